/* Doudi's C API: decide households with a verified rule bundle from any
 * language that can call C (a database extension, Python's ctypes, Go's cgo).
 *
 *   doudi_error* err = NULL;
 *   doudi_rules* rules = doudi_rules_from_bundle(bytes, size, "rules.bundle", &err);
 *   doudi_engine* engine = doudi_engine_new(rules, NULL, &err);      // NULL: the fastest engine built
 *   doudi_engine_set_context(engine, "会宁县", "2022-06", &err);
 *   doudi_decision* d = doudi_decide_json(engine, json, strlen(json), &err);
 *   if (d && doudi_decision_ok(d)) printf("%s\n", doudi_decision_output_json(d, 0));
 *   doudi_decision_free(d); doudi_engine_free(engine); doudi_rules_free(rules);
 *
 * Errors are data: a function that fails returns NULL (or a nonzero status)
 * and, when `error` is not NULL, sets *error to an object holding each
 * problem's stable code (E1002, E4001, …) and message in Chinese and in
 * English; free it with doudi_error_free. No C++ exception crosses this
 * boundary.
 *
 * Threads: a rule set is immutable and may be shared by any number of
 * threads (doudi_rules_free may run while engines still use it: they hold
 * their own reference). An engine, and the decisions it returns, belong to
 * one thread at a time: open one engine per thread. A log may be shared by
 * engines on several threads.
 *
 * Strings are UTF-8 and NUL-terminated unless a length is given. Strings a
 * function returns are owned by the object they came from and live as long
 * as it does.
 *
 * Link with -ldoudi (pkg-config doudi). The library links neither the rule
 * compiler nor the solver: rules arrive as bundles (`doudi bundle`). */
#ifndef DOUDI_DOUDI_H
#define DOUDI_DOUDI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header; doudi_version() gives the library's. A
 * library with the same major version runs programs built against any
 * earlier minor version. */
#define DOUDI_VERSION_MAJOR 0
#define DOUDI_VERSION_MINOR 1
#define DOUDI_VERSION_PATCH 0
const char* doudi_version(void); /* "0.1.0" */

typedef struct doudi_rules doudi_rules;
typedef struct doudi_engine doudi_engine;
typedef struct doudi_decision doudi_decision;
typedef struct doudi_log doudi_log;
typedef struct doudi_error doudi_error;

typedef enum doudi_status {
  DOUDI_OK = 0,
  /* The input was refused and the problems say why: a bundle that does not
   * verify, an unknown jurisdiction, a bad month, a household the schema
   * does not accept, a key file that cannot be used. */
  DOUDI_REFUSED = 1,
  /* The compiled engine was asked for and is not available, or the
   * decision log could not be written. */
  DOUDI_UNAVAILABLE = 2,
  /* The call itself is wrong: a NULL argument, an index out of range, an
   * engine without a context. */
  DOUDI_MISUSE = 3,
  /* Out of memory, or a failure inside the library (please report it). */
  DOUDI_INTERNAL = 4
} doudi_status;

typedef enum doudi_lang { DOUDI_ZH = 0, DOUDI_EN = 1 } doudi_lang;

/* ---- errors ---- */
doudi_status doudi_error_status(const doudi_error* error);
/* How many problems (at least one). */
size_t doudi_error_count(const doudi_error* error);
/* The problem's stable code ("E2001"); "" for DOUDI_MISUSE and
 * DOUDI_INTERNAL, which have no catalogue entry. */
const char* doudi_error_code(const doudi_error* error, size_t i);
const char* doudi_error_message(const doudi_error* error, size_t i, doudi_lang lang);
/* For a household that was refused: the byte offset in its JSON text of the
 * value at fault; -1 when the problem has no place there. */
int64_t doudi_error_offset(const doudi_error* error, size_t i);
/* All problems as a JSON array: [{"code": …, "zh": …, "en": …, "offset": …}].
 * Made on first use and kept in the error: not to be called from two threads
 * on one error at once. */
const char* doudi_error_json(const doudi_error* error);
void doudi_error_free(doudi_error* error);

/* ---- rule sets ---- */
/* Reads a bundle and verifies its digest and IR. `origin` names it in
 * messages (a path, "doudi.bundles row 3"). */
doudi_rules* doudi_rules_from_bundle(const void* bytes, size_t size, const char* origin, doudi_error** error);
/* The same from a file. */
doudi_rules* doudi_rules_open(const char* path, doudi_error** error);
const char* doudi_rules_digest(const doudi_rules* rules); /* SHA-256, 64 hex digits, as `doudi bundle` prints */
const char* doudi_rules_module(const doudi_rules* rules); /* the module's name */
size_t doudi_rules_output_count(const doudi_rules* rules);
const char* doudi_rules_output_name(const doudi_rules* rules, size_t i); /* NULL if out of range */
void doudi_rules_free(doudi_rules* rules);

/* ---- engines ---- */
/* `kind`: "interp" (the interpreter), "jit" (the compiled engine) or NULL
 * for the fastest this build has that loads. Every engine gives the same
 * answers, bit for bit. */
doudi_engine* doudi_engine_new(const doudi_rules* rules, const char* kind, doudi_error** error);
/* The engine actually used: "interp" or "jit". */
const char* doudi_engine_kind(const doudi_engine* engine);
/* Where and when the next decisions are made: a jurisdiction named as in the
 * rules, a month written YYYY-MM. */
doudi_status doudi_engine_set_context(doudi_engine* engine, const char* jurisdiction, const char* month,
                                      doudi_error** error);
/* Log every decision this engine makes from now on in `log` (NULL: stop
 * logging, to a file or to a kept log).
 * `key_file` holds the key that hashes the schema's sensitive fields; NULL
 * takes the key itself from $DOUDI_LOG_KEY (E4009 if the variable names a
 * file); a schema with sensitive fields and no key is DOUDI_REFUSED (E4002). */
doudi_status doudi_engine_set_log(doudi_engine* engine, doudi_log* log, const char* key_file, doudi_error** error);
/* A log the caller keeps (a database table): from now on every decision
 * (and every refused household) this engine makes is chained onto the head
 * given by doudi_engine_set_log_head, and the lines a log file would get are
 * left for the caller to store, in order (doudi_engine_log_line). Stored
 * one per line in a file, they verify with `doudi verify-log`. `key_file` as
 * for doudi_engine_set_log. The head starts as an empty log. */
doudi_status doudi_engine_keep_log(doudi_engine* engine, const char* key_file, doudi_error** error);
/* Where the kept log stands: its last line and its last context line (NULL
 * and NULL for an empty log). Set it before each decision when another
 * writer may have appended; the engine's own appends move it on. */
doudi_status doudi_engine_set_log_head(doudi_engine* engine, const char* last_line, const char* context_line,
                                       doudi_error** error);
/* The lines the last doudi_decide_json or doudi_decide_household appended
 * to the kept log (a context line first when the context changed, then the
 * decision), without newlines. Valid until the engine's next decision. */
size_t doudi_engine_log_line_count(const doudi_engine* engine);
const char* doudi_engine_log_line(const doudi_engine* engine, size_t i);
void doudi_engine_free(doudi_engine* engine);

/* ---- decisions ---- */
/* Decides a household given as JSON (the schema's field names as keys).
 * NULL with DOUDI_REFUSED when the household does not fit the schema (every
 * problem, with its offset in `json`). A decision that ends in an error
 * result (a division by zero, a parameter with no value in force) is a
 * decision: doudi_decision_ok is 0 and doudi_decision_error says why. With a
 * log, the decision (or the refused household) is logged before this
 * returns; DOUDI_UNAVAILABLE if the log cannot be written. */
doudi_decision* doudi_decide_json(doudi_engine* engine, const char* json, size_t size, doudi_error** error);

int doudi_decision_ok(const doudi_decision* decision);
/* The error result (one problem), or NULL for a decision with outputs.
 * Owned by the decision: do not free it. */
const doudi_error* doudi_decision_error(const doudi_decision* decision);
/* The id of the decision in the log (20 hex digits), or NULL when the engine
 * has no log. */
const char* doudi_decision_id(const doudi_decision* decision);

typedef enum doudi_kind {
  DOUDI_KIND_OTHER = 0, /* a list, a structure: read it with doudi_decision_output_json */
  DOUDI_KIND_BOOL = 1,
  DOUDI_KIND_INT = 2,   /* whole numbers; months and days counts */
  DOUDI_KIND_MONEY = 3, /* integer 分 */
  DOUDI_KIND_RATIO = 4,
  DOUDI_KIND_TEXT = 5,
  DOUDI_KIND_DATE = 6,
  DOUDI_KIND_ENUM = 7,
  DOUDI_KIND_ABSENT = 8 /* an optional output with no value */
} doudi_kind;

/* Outputs in the rule set's order (doudi_rules_output_name); none for a
 * decision that ended in an error. */
size_t doudi_decision_output_count(const doudi_decision* decision);
const char* doudi_decision_output_name(const doudi_decision* decision, size_t i);
doudi_kind doudi_decision_output_kind(const doudi_decision* decision, size_t i);
/* The value as the decision log writes it: true, 828.5 (yuan, exact), "2022-06-01", "城市低保". */
const char* doudi_decision_output_json(const doudi_decision* decision, size_t i);
/* The value of a yes/no, whole-number or money (分) output in *out;
 * DOUDI_MISUSE if the output is of another kind or out of range. */
doudi_status doudi_decision_output_int(const doudi_decision* decision, size_t i, int64_t* out);
/* The text of a text or enum output (the enum value's name). */
const char* doudi_decision_output_text(const doudi_decision* decision, size_t i);

size_t doudi_decision_flag_count(const doudi_decision* decision);
const char* doudi_decision_flag_name(const doudi_decision* decision, size_t i);
const char* doudi_decision_flag_message(const doudi_decision* decision, size_t i);

/* The whole decision as one JSON object, as `doudi run --json` prints it:
 * module, jurisdiction, month, outputs and flags, or the error (its message
 * in `lang`). */
const char* doudi_decision_json(doudi_decision* decision, doudi_lang lang);
void doudi_decision_free(doudi_decision* decision);

/* ---- households as typed values: the fast path (no JSON) ----
 * A household is filled in field by field, each field named once by a
 * handle, and decided as the same household written in JSON would be: the
 * same checks, the same problems (with offset -1: there is no text).
 *
 *   int32_t kind = doudi_rules_field(rules, "户籍", &err);
 *   int32_t members = doudi_rules_field(rules, "成员", &err);
 *   int32_t age = doudi_rules_field(rules, "成员.年龄", &err);
 *   doudi_household* h = doudi_household_new(rules, &err);
 *   doudi_household_set_text(h, kind, "城市", 6);
 *   doudi_household_add_item(h, members);          // the first member
 *   doudi_household_set_int(h, age, 67);
 *   doudi_decision* d = doudi_decide_household(engine, h, &err);
 *   doudi_household_clear(h);                       // the next household
 *
 * Values are taken as a JSON record would hold them: an amount is set in 分
 * (doudi_household_set_fen) or as decimal text in yuan ("828.50",
 * set_decimal or set_text); a ratio as set_int,
 * decimal text or text with % ("30%"); a date as set_date or text
 * ("2022-06-01"); a year-month as text ("2022-06") or as set_date on the
 * 1st of the month; an enum value and a text as set_text; an absent
 * optional value as set_null. A field left out takes its default, as in
 * JSON. The setters check only the call itself (DOUDI_MISUSE: a handle out
 * of range, a value other than null for a structure or a list of
 * structures, add_item on a field that is not a list of structures,
 * set_empty_list on one that is not a list, a field of a list's item before
 * doudi_household_add_item opened one, texts past 4 GiB); the household is
 * checked when it is decided. Problems come in the order values were set,
 * then lists and structures in the schema's order.
 *
 * A handle is an index into the schema of the rules it came from: use it
 * only with households of rules with that digest (doudi_decide_household
 * checks the household's rules against the engine's, not each handle).
 *
 * A household, like an engine, belongs to one thread at a time. */
typedef struct doudi_household doudi_household;

/* The handle of a field from its path in the schema: "户籍", or "成员.年龄"
 * for the field 年龄 of each item of the list 成员. -1 with DOUDI_REFUSED
 * (E2004, and the nearest name) if the schema has no such field. Handles
 * belong to the rules' schema: any rule set with the same digest takes them. */
int32_t doudi_rules_field(const doudi_rules* rules, const char* path, doudi_error** error);

/* What a field holds, for a program that maps its own data to fields (a
 * database row's columns); DOUDI_FIELD_NONE for a handle out of range. */
typedef enum doudi_field_shape {
  DOUDI_FIELD_NONE = 0,
  DOUDI_FIELD_VALUE = 1,           /* one value: set it */
  DOUDI_FIELD_STRUCT = 2,          /* a structure: set its fields ("地址.省") */
  DOUDI_FIELD_LIST = 3,            /* a list of values: each value set is the next item */
  DOUDI_FIELD_LIST_OF_STRUCTS = 4  /* a list of structures: doudi_household_add_item, then its fields */
} doudi_field_shape;
doudi_field_shape doudi_rules_field_shape(const doudi_rules* rules, int32_t field);

doudi_household* doudi_household_new(const doudi_rules* rules, doudi_error** error);
/* Empties the household for the next one, keeping its buffers. */
void doudi_household_clear(doudi_household* household);
/* Opens the next item of a list of structures (a member): the fields of
 * its items set from now on belong to this item. */
doudi_status doudi_household_add_item(doudi_household* household, int32_t list_field);
/* An item that is null, as JSON's [null]: refused where the items are
 * structures (E2005), absent where they are optional. It opens no item. */
doudi_status doudi_household_add_null_item(doudi_household* household, int32_t list_field);
/* A structure given, as JSON's {}, even if none of its fields is set (they
 * take their defaults); setting one of its fields gives it too. */
doudi_status doudi_household_open_struct(doudi_household* household, int32_t struct_field);
/* A list given and empty (a list left out takes its default, or is missing). */
doudi_status doudi_household_set_empty_list(doudi_household* household, int32_t list_field);
/* Each setter gives the field its value; on a list of values (not of
 * structures) it adds the next item (set_null: a null item). Texts are
 * copied. set_int is for whole numbers, months, days and ratios: an amount
 * given as a bare whole number is refused (E2005), for it could be yuan or
 * 分; give amounts with set_fen (分) or set_decimal (yuan). A date that is no
 * day of the calendar is refused with the household (E2008). */
doudi_status doudi_household_set_null(doudi_household* household, int32_t field);
doudi_status doudi_household_set_bool(doudi_household* household, int32_t field, int value);
doudi_status doudi_household_set_int(doudi_household* household, int32_t field, int64_t value);
doudi_status doudi_household_set_fen(doudi_household* household, int32_t field, int64_t fen);
/* Decimal text as a JSON number is written: "828.50", "-3", "0.3". */
doudi_status doudi_household_set_decimal(doudi_household* household, int32_t field, const char* text, size_t size);
doudi_status doudi_household_set_text(doudi_household* household, int32_t field, const char* text, size_t size);
doudi_status doudi_household_set_date(doudi_household* household, int32_t field, int year, int month, int day);
void doudi_household_free(doudi_household* household);

/* Decides a household given as typed values, as doudi_decide_json does one
 * given as JSON (refused households, error results and the log alike; a
 * refused household is logged under the digest of its JSON form). The
 * household must come from a rule set with the engine's digest. */
doudi_decision* doudi_decide_household(doudi_engine* engine, doudi_household* household, doudi_error** error);

/* ---- the decision log ---- */
/* Opens (creating if needed) a decision log, the same hash-chained file
 * `doudi batch --log` writes and `doudi verify-log` verifies. One process
 * holds a log at a time (a lock). Each decision logged is written to the
 * file before doudi_decide_json returns; doudi_log_sync (and
 * doudi_log_close) make every entry so far durable (fsync). */
doudi_log* doudi_log_open(const char* path, doudi_error** error);
doudi_status doudi_log_sync(doudi_log* log, doudi_error** error);
/* Syncs and closes; engines still pointing at the log must have been freed
 * or given another log first. */
doudi_status doudi_log_close(doudi_log* log, doudi_error** error);

#ifdef __cplusplus
}
#endif
#endif /* DOUDI_DOUDI_H */
