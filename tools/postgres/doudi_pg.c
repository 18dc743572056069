/* The doudi extension's C functions: PostgreSQL's side of libdoudi (the C
 * API, include/doudi/doudi.h).
 *
 * Bundles are read from doudi.bundles once per backend and kept, with one
 * engine each, by digest. Nothing of libdoudi's is held across a call that
 * can raise a PostgreSQL error (which jumps past C cleanup): texts are
 * copied into palloc'd memory and the library's objects freed first. */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/jsonb.h"

#include <doudi/doudi.h>

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(doudi_pg_bundle_digest);
PG_FUNCTION_INFO_V1(doudi_pg_decide);
PG_FUNCTION_INFO_V1(doudi_pg_try_decide);
PG_FUNCTION_INFO_V1(doudi_pg_context);
PG_FUNCTION_INFO_V1(doudi_pg_decide_in);
PG_FUNCTION_INFO_V1(doudi_pg_try_decide_in);
PG_FUNCTION_INFO_V1(doudi_pg_decide_logged);

void _PG_init(void);

/* doudi.engine: which engine decides ("auto": the fastest that loads). */
static int engine_setting = 0;
static const struct config_enum_entry engine_options[] = {
    {"auto", 0, false}, {"interp", 1, false}, {"jit", 2, false}, {NULL, 0, false}};

/* doudi.log_key_file: the key that hashes the sensitive fields of logged
 * decisions (a file the server can read); empty: $DOUDI_LOG_KEY of the server. */
static char* log_key_file = NULL;

void _PG_init(void) {
  DefineCustomEnumVariable("doudi.engine", "Which Doudi engine decides: auto (the fastest that loads), interp or jit.",
                           NULL, &engine_setting, 0, engine_options, PGC_USERSET, 0, NULL, NULL, NULL);
  DefineCustomStringVariable("doudi.log_key_file",
                             "The file holding the key that hashes sensitive fields in doudi.decision_log.", NULL,
                             &log_key_file, "", PGC_SUSET, 0, NULL, NULL, NULL);
}

/* Raises `error` as a PostgreSQL error: the Doudi code and Chinese message
 * as the message, the English one as the detail, every further problem as
 * well. Frees `error` first. */
static void raise_doudi_error(doudi_error* error, int sqlstate) pg_attribute_noreturn();
static void raise_doudi_error(doudi_error* error, int sqlstate) {
  StringInfoData zh, en;
  initStringInfo(&zh);
  initStringInfo(&en);
  for (size_t i = 0; i < doudi_error_count(error); ++i) {
    const char* code = doudi_error_code(error, i);
    appendStringInfo(&zh, "%s%s%s%s%s", i ? "；" : "", *code ? "[" : "", code, *code ? "] " : "",
                     doudi_error_message(error, i, DOUDI_ZH));
    appendStringInfo(&en, "%s%s%s%s%s", i ? "; " : "", *code ? "[" : "", code, *code ? "] " : "",
                     doudi_error_message(error, i, DOUDI_EN));
  }
  if (doudi_error_count(error) == 0) appendStringInfoString(&zh, "Doudi 错误（未给出原因）");
  doudi_error_free(error);
  ereport(ERROR, (errcode(sqlstate), errmsg("doudi: %s", zh.data), errdetail("%s", en.data)));
}

static int sqlstate_of(doudi_status status) {
  switch (status) {
    case DOUDI_REFUSED: return ERRCODE_INVALID_PARAMETER_VALUE;
    case DOUDI_UNAVAILABLE: return ERRCODE_FEATURE_NOT_SUPPORTED;
    case DOUDI_MISUSE: return ERRCODE_INTERNAL_ERROR;
    default: return ERRCODE_INTERNAL_ERROR;
  }
}

/* ---- bundles, kept per backend ---- */

typedef struct Loaded {
  char digest[65];
  doudi_rules* rules;
  doudi_engine* engine;
  char* jurisdiction; /* the engine's context, malloc'd */
  char month[8];
  bool keeps_log; /* doudi_engine_keep_log was called: decide_logged's engine */
} Loaded;

#define MAX_LOADED 16
static Loaded loaded[MAX_LOADED];
static int loaded_count = 0;
static int next_evicted = 0; /* when all are in use, the slot reused next */

static void forget(Loaded* l) {
  doudi_engine_free(l->engine);
  doudi_rules_free(l->rules);
  free(l->jurisdiction);
  memset(l, 0, sizeof *l);
}

static const char* engine_kind(void) {
  switch (engine_setting) {
    case 1: return "interp";
    case 2: return "jit";
    default: return NULL;
  }
}

/* The bundle with `digest`, read from doudi.bundles and verified (its own
 * digest must be the one asked for), with an engine. */
static Loaded* load_bundle(const char* digest) {
  for (int i = 0; i < loaded_count; ++i)
    if (strcmp(loaded[i].digest, digest) == 0) return &loaded[i];
  if (strlen(digest) != 64 || strspn(digest, "0123456789abcdef") != 64)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("doudi: `%s` 不是规则包摘要（64 位小写十六进制数）", digest),
                    errdetail("`%s` is not a bundle digest (64 lower-case hex digits)", digest)));

  SPI_connect();
  Oid types[1] = {TEXTOID};
  Datum values[1] = {CStringGetTextDatum(digest)};
  if (SPI_execute_with_args("SELECT bundle FROM doudi.bundles WHERE digest = $1", 1, types, values, NULL, true, 1) !=
      SPI_OK_SELECT)
    elog(ERROR, "doudi: cannot read doudi.bundles");
  if (SPI_processed == 0) {
    SPI_finish();
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("doudi: doudi.bundles 中没有摘要为 %s 的规则包；请用 doudi.add_bundle 加入", digest),
                    errdetail("there is no bundle with digest %s in doudi.bundles; add it with doudi.add_bundle", digest)));
  }
  bool is_null = false;
  Datum bundle = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null);
  bytea* bytes = DatumGetByteaPP(bundle);
  char origin[96];
  snprintf(origin, sizeof origin, "doudi.bundles %.16s…", digest);
  doudi_error* error = NULL;
  doudi_rules* rules = doudi_rules_from_bundle(VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes), origin, &error);
  SPI_finish();
  if (!rules) raise_doudi_error(error, ERRCODE_DATA_CORRUPTED);
  if (strcmp(doudi_rules_digest(rules), digest) != 0) {
    char found[65];
    snprintf(found, sizeof found, "%s", doudi_rules_digest(rules));
    doudi_rules_free(rules);
    ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                    errmsg("doudi: doudi.bundles 中摘要为 %s 的一行装的是另一个规则包（摘要 %s）", digest, found),
                    errdetail("the row of doudi.bundles with digest %s holds another bundle (digest %s)", digest, found)));
  }
  doudi_engine* engine = doudi_engine_new(rules, engine_kind(), &error);
  if (!engine) {
    const doudi_status status = doudi_error_status(error);
    doudi_rules_free(rules);
    raise_doudi_error(error, sqlstate_of(status));
  }
  Loaded* l;
  if (loaded_count < MAX_LOADED) {
    l = &loaded[loaded_count++];
  } else {
    l = &loaded[next_evicted];
    forget(l);
    next_evicted = (next_evicted + 1) % MAX_LOADED;
  }
  snprintf(l->digest, sizeof l->digest, "%s", digest);
  l->rules = rules;
  l->engine = engine;
  return l;
}

/* Sets the engine's jurisdiction and month unless they are already set. */
static void set_context(Loaded* l, const char* jurisdiction, DateADT month) {
  if (DATE_NOT_FINITE(month))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("doudi: 月份不能是无穷日期"),
                    errdetail("the month cannot be an infinite date")));
  int year, mon, day;
  j2date(month + POSTGRES_EPOCH_JDATE, &year, &mon, &day);
  char text[16];
  snprintf(text, sizeof text, "%04d-%02d", year, mon);
  if (l->jurisdiction && strcmp(l->jurisdiction, jurisdiction) == 0 && strcmp(l->month, text) == 0) return;
  free(l->jurisdiction);
  l->jurisdiction = NULL;
  doudi_error* error = NULL;
  if (doudi_engine_set_context(l->engine, jurisdiction, text, &error) != DOUDI_OK)
    raise_doudi_error(error, ERRCODE_INVALID_PARAMETER_VALUE);
  l->jurisdiction = strdup(jurisdiction);
  snprintf(l->month, sizeof l->month, "%s", text);
}

static Datum jsonb_of(const char* json) { return DirectFunctionCall1(jsonb_in, CStringGetDatum(json)); }

/* Decides `household` with the bundle `digest` in `jurisdiction` for the
 * month of `month`. `refusal_as_value` gives a refused household as
 * {"refused": […]} rather than an error. */
static Datum decide(const char* digest, const char* jurisdiction, DateADT month, Datum household_jsonb,
                    bool refusal_as_value) {
  /* The household as JSON text: jsonb's own output. */
  char* household = DatumGetCString(DirectFunctionCall1(jsonb_out, household_jsonb));
  Loaded* l = load_bundle(digest);
  set_context(l, jurisdiction, month);
  doudi_error* error = NULL;
  doudi_decision* d = doudi_decide_json(l->engine, household, strlen(household), &error);
  if (!d) {
    if (refusal_as_value && doudi_error_status(error) == DOUDI_REFUSED) {
      char* refused = psprintf("{\"refused\": %s}", doudi_error_json(error));
      doudi_error_free(error);
      return jsonb_of(refused);
    }
    raise_doudi_error(error, sqlstate_of(doudi_error_status(error)));
  }
  char* json = pstrdup(doudi_decision_json(d, DOUDI_ZH));
  doudi_decision_free(d);
  return jsonb_of(json);
}

static Datum decide_by_arguments(FunctionCallInfo fcinfo, bool refusal_as_value) {
  return decide(text_to_cstring(PG_GETARG_TEXT_PP(0)), text_to_cstring(PG_GETARG_TEXT_PP(1)), PG_GETARG_DATEADT(2),
                PG_GETARG_DATUM(3), refusal_as_value);
}

Datum doudi_pg_decide(PG_FUNCTION_ARGS) { PG_RETURN_DATUM(decide_by_arguments(fcinfo, false)); }

Datum doudi_pg_try_decide(PG_FUNCTION_ARGS) { PG_RETURN_DATUM(decide_by_arguments(fcinfo, true)); }

/* doudi.context(bundle, jurisdiction, month): the three as one value of the
 * composite type doudi.context, checked. A context carries no collation, so
 * postgres_fdw can ship decide(context, household) to a shard, which it
 * cannot do with text arguments that do not come from the foreign table. */
Datum doudi_pg_context(PG_FUNCTION_ARGS) {
  TupleDesc desc;
  if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE) elog(ERROR, "doudi.context: not a composite type");
  const char* digest = text_to_cstring(PG_GETARG_TEXT_PP(0));
  if (strlen(digest) != 64 || strspn(digest, "0123456789abcdef") != 64)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("doudi: `%s` 不是规则包摘要（64 位小写十六进制数）", digest),
                    errdetail("`%s` is not a bundle digest (64 lower-case hex digits)", digest)));
  if (DATE_NOT_FINITE(PG_GETARG_DATEADT(2)))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("doudi: 月份不能是无穷日期"),
                    errdetail("the month cannot be an infinite date")));
  Datum values[3] = {PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), PG_GETARG_DATUM(2)};
  bool nulls[3] = {false, false, false};
  PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

static Datum decide_in_context(FunctionCallInfo fcinfo, bool refusal_as_value) {
  HeapTupleHeader context = PG_GETARG_HEAPTUPLEHEADER(0);
  bool null_bundle, null_jurisdiction, null_month;
  Datum bundle = GetAttributeByName(context, "bundle", &null_bundle);
  Datum jurisdiction = GetAttributeByName(context, "jurisdiction", &null_jurisdiction);
  Datum month = GetAttributeByName(context, "month", &null_month);
  if (null_bundle || null_jurisdiction || null_month)
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("doudi: 决定上下文缺少规则包、辖区或月份"),
                    errdetail("the decision context lacks the bundle, the jurisdiction or the month")));
  return decide(TextDatumGetCString(bundle), TextDatumGetCString(jurisdiction), DatumGetDateADT(month),
                PG_GETARG_DATUM(1), refusal_as_value);
}

Datum doudi_pg_decide_in(PG_FUNCTION_ARGS) { PG_RETURN_DATUM(decide_in_context(fcinfo, false)); }

Datum doudi_pg_try_decide_in(PG_FUNCTION_ARGS) { PG_RETURN_DATUM(decide_in_context(fcinfo, true)); }

Datum doudi_pg_bundle_digest(PG_FUNCTION_ARGS) {
  bytea* bytes = PG_GETARG_BYTEA_PP(0);
  doudi_error* error = NULL;
  doudi_rules* rules = doudi_rules_from_bundle(VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes), "bytea", &error);
  if (!rules) raise_doudi_error(error, ERRCODE_DATA_CORRUPTED);
  text* digest = cstring_to_text(doudi_rules_digest(rules));
  doudi_rules_free(rules);
  PG_RETURN_TEXT_P(digest);
}

/* ---- decisions logged to doudi.decision_log ---- */

/* The text of column 1 of the first row of `query`, or NULL. Not read-only:
 * SPI then takes a new snapshot, which sees the lines this statement and
 * other sessions (whose lock this one waited for) have appended. */
static char* first_text(const char* query) {
  if (SPI_execute(query, false, 1) != SPI_OK_SELECT) elog(ERROR, "doudi: cannot read doudi.decision_log");
  if (SPI_processed == 0) return NULL;
  return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/* decide_logged(context, household): decides as try_decide does and appends
 * the decision (or the refused household) to doudi.decision_log, chained on
 * the lines already there exactly as a log file would be: the table's lines
 * in seq order are a log `doudi verify-log` verifies. Writers take turns (an
 * EXCLUSIVE lock on the table until the transaction ends). */
Datum doudi_pg_decide_logged(PG_FUNCTION_ARGS) {
  HeapTupleHeader context = PG_GETARG_HEAPTUPLEHEADER(0);
  bool nulls[3];
  Datum bundle = GetAttributeByName(context, "bundle", &nulls[0]);
  Datum jurisdiction = GetAttributeByName(context, "jurisdiction", &nulls[1]);
  Datum month = GetAttributeByName(context, "month", &nulls[2]);
  if (nulls[0] || nulls[1] || nulls[2])
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("doudi: 决定上下文缺少规则包、辖区或月份"),
                    errdetail("the decision context lacks the bundle, the jurisdiction or the month")));
  char* household = DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(1)));
  Loaded* l = load_bundle(TextDatumGetCString(bundle));
  set_context(l, TextDatumGetCString(jurisdiction), DatumGetDateADT(month));
  doudi_error* error = NULL;
  if (!l->keeps_log) {
    if (doudi_engine_keep_log(l->engine, log_key_file && *log_key_file ? log_key_file : NULL, &error) != DOUDI_OK)
      raise_doudi_error(error, ERRCODE_INVALID_PARAMETER_VALUE);
    l->keeps_log = true;
  }

  SPI_connect();
  if (SPI_execute("LOCK TABLE doudi.decision_log IN EXCLUSIVE MODE", false, 0) != SPI_OK_UTILITY)
    elog(ERROR, "doudi: cannot lock doudi.decision_log");
  const char* last_seq = first_text("SELECT seq FROM doudi.decision_log ORDER BY seq DESC LIMIT 1");
  const int64 seq = last_seq ? strtoll(last_seq, NULL, 10) : 0;
  const char* last_line = first_text("SELECT line FROM doudi.decision_log ORDER BY seq DESC LIMIT 1");
  const char* context_line = first_text("SELECT line FROM doudi.decision_log WHERE is_context ORDER BY seq DESC LIMIT 1");
  if (doudi_engine_set_log_head(l->engine, last_line, context_line, &error) != DOUDI_OK)
    raise_doudi_error(error, ERRCODE_DATA_CORRUPTED);

  doudi_decision* d = doudi_decide_json(l->engine, household, strlen(household), &error);
  char* answer;
  if (d) {
    const char* json = doudi_decision_json(d, DOUDI_ZH);
    answer = psprintf("{\"id\": \"%s\", %s", doudi_decision_id(d), json + 1);
    doudi_decision_free(d);
  } else if (doudi_error_status(error) == DOUDI_REFUSED) {
    answer = psprintf("{\"refused\": %s}", doudi_error_json(error));
    doudi_error_free(error);
  } else {
    raise_doudi_error(error, sqlstate_of(doudi_error_status(error)));
  }
  const size_t lines = doudi_engine_log_line_count(l->engine);
  for (size_t i = 0; i < lines; ++i) {
    Oid types[3] = {INT8OID, TEXTOID, BOOLOID};
    /* A context line comes first, when there is one; the decision is last. */
    Datum values[3] = {Int64GetDatum(seq + (int64)i + 1), CStringGetTextDatum(doudi_engine_log_line(l->engine, i)),
                       BoolGetDatum(i + 1 < lines)};
    if (SPI_execute_with_args("INSERT INTO doudi.decision_log (seq, line, is_context) VALUES ($1, $2, $3)", 3, types,
                              values, NULL, false, 0) != SPI_OK_INSERT)
      elog(ERROR, "doudi: cannot write doudi.decision_log");
  }
  SPI_finish();
  PG_RETURN_DATUM(jsonb_of(answer));
}
