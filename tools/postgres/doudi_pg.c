/* The doudi extension's C functions: PostgreSQL's side of libdoudi (the C
 * API, include/doudi/doudi.h).
 *
 * Bundles are read from doudi.bundles once per backend and kept, with one
 * engine each, by digest. Nothing of libdoudi's is held across a call that
 * can raise a PostgreSQL error (which jumps past C cleanup): texts are
 * copied into palloc'd memory and the library's objects freed first. */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "doudi_pg.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(doudi_pg_bundle_digest);
PG_FUNCTION_INFO_V1(doudi_pg_decide);
PG_FUNCTION_INFO_V1(doudi_pg_try_decide);
PG_FUNCTION_INFO_V1(doudi_pg_context);
PG_FUNCTION_INFO_V1(doudi_pg_decide_in);
PG_FUNCTION_INFO_V1(doudi_pg_try_decide_in);
PG_FUNCTION_INFO_V1(doudi_pg_decide_logged);
PG_FUNCTION_INFO_V1(doudi_pg_output_fen);

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

void raise_doudi_error_hint(doudi_error* error, int sqlstate, const char* hint) {
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
  ereport(ERROR, (errcode(sqlstate), errmsg("doudi: %s", zh.data), errdetail("%s", en.data), hint ? errhint("%s", hint) : 0));
}

void raise_doudi_error(doudi_error* error, int sqlstate) { raise_doudi_error_hint(error, sqlstate, NULL); }

int sqlstate_of(doudi_status status) {
  switch (status) {
    case DOUDI_REFUSED: return ERRCODE_INVALID_PARAMETER_VALUE;
    case DOUDI_UNAVAILABLE: return ERRCODE_FEATURE_NOT_SUPPORTED;
    case DOUDI_MISUSE: return ERRCODE_INTERNAL_ERROR;
    default: return ERRCODE_INTERNAL_ERROR;
  }
}

/* A bundle digest as `doudi bundle` prints it, or an error. */
static void check_digest(const char* digest) {
  if (strlen(digest) != 64 || strspn(digest, "0123456789abcdef") != 64)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("doudi: `%s` 不是规则包摘要（64 位小写十六进制数）", digest),
                    errdetail("`%s` is not a bundle digest (64 lower-case hex digits)", digest)));
}

/* A month is any finite date in it. */
static void check_month(DateADT month) {
  if (DATE_NOT_FINITE(month))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("doudi: 月份不能是无穷日期"),
                    errdetail("the month cannot be an infinite date")));
}

Context read_context(HeapTupleHeader context) {
  /* Rules, households and messages are UTF-8: a database in another
   * encoding would hand over bytes Doudi reads as something else. */
  if (GetDatabaseEncoding() != PG_UTF8)
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("doudi needs a database in the UTF8 encoding"),
                    errdetail("this database is %s; create one with ENCODING 'UTF8'", GetDatabaseEncodingName())));
  bool nulls[3];
  Datum bundle = GetAttributeByName(context, "bundle", &nulls[0]);
  Datum jurisdiction = GetAttributeByName(context, "jurisdiction", &nulls[1]);
  Datum month = GetAttributeByName(context, "month", &nulls[2]);
  if (nulls[0] || nulls[1] || nulls[2])
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("doudi: 决定上下文缺少规则包、辖区或月份"),
                    errdetail("the decision context lacks the bundle, the jurisdiction or the month")));
  Context c = {TextDatumGetCString(bundle), TextDatumGetCString(jurisdiction), DatumGetDateADT(month)};
  return c;
}

/* ---- bundles, kept per backend ---- */

#define MAX_LOADED 16
static Loaded loaded[MAX_LOADED];
static int loaded_count = 0;
static int next_evicted = 0; /* when all are in use, the slot reused next */

static void forget_engine(Engine* e) {
  doudi_engine_free(e->engine);
  free(e->jurisdiction);
  free(e->key_file);
  memset(e, 0, sizeof *e);
}

static void forget(Loaded* l) {
  forget_engine(&l->deciding);
  forget_engine(&l->logging);
  doudi_rules_free(l->rules);
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
Loaded* load_bundle(const char* digest) {
  for (int i = 0; i < loaded_count; ++i)
    if (strcmp(loaded[i].digest, digest) == 0) return &loaded[i];
  check_digest(digest);

  SPI_connect();
  Oid types[1] = {TEXTOID};
  Datum values[1] = {CStringGetTextDatum(digest)};
  if (SPI_execute_with_args("SELECT bundle FROM doudi.bundles WHERE digest OPERATOR(pg_catalog.=) $1", 1, types, values, NULL, true, 1) !=
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
  Loaded* l;
  if (loaded_count < MAX_LOADED) {
    l = &loaded[loaded_count++];
  } else {
    l = &loaded[next_evicted];
    forget(l);
    next_evicted = (next_evicted + 1) % MAX_LOADED;
  }
  memset(l, 0, sizeof *l);
  snprintf(l->digest, sizeof l->digest, "%s", digest);
  l->rules = rules;
  return l;
}

/* `e`, made (again, if doudi.engine or doudi.log_key_file changed since) and
 * set to `jurisdiction` and the month of `month`. */
doudi_engine* ready_engine(Loaded* l, Engine* e, const char* jurisdiction, DateADT month, bool logging) {
  check_month(month);
  const char* key_file = log_key_file ? log_key_file : "";
  if (e->engine && (e->kind != engine_setting || (logging && strcmp(e->key_file, key_file) != 0))) forget_engine(e);
  doudi_error* error = NULL;
  if (!e->engine) {
    doudi_engine* engine = doudi_engine_new(l->rules, engine_kind(), &error);
    if (!engine) raise_doudi_error(error, sqlstate_of(doudi_error_status(error)));
    e->engine = engine;
    e->kind = engine_setting;
    if (logging) {
      if (doudi_engine_keep_log(e->engine, *key_file ? key_file : NULL, &error) != DOUDI_OK) {
        forget_engine(e);
        raise_doudi_error(error, ERRCODE_INVALID_PARAMETER_VALUE);
      }
      e->key_file = strdup(key_file);
      if (!e->key_file) {
        forget_engine(e);
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
      }
    }
  }
  int year, mon, day;
  j2date(month + POSTGRES_EPOCH_JDATE, &year, &mon, &day);
  char text[16];
  snprintf(text, sizeof text, "%04d-%02d", year, mon);
  if (e->jurisdiction && strcmp(e->jurisdiction, jurisdiction) == 0 && strcmp(e->month, text) == 0) return e->engine;
  free(e->jurisdiction);
  e->jurisdiction = NULL;
  if (doudi_engine_set_context(e->engine, jurisdiction, text, &error) != DOUDI_OK)
    raise_doudi_error(error, ERRCODE_INVALID_PARAMETER_VALUE);
  e->jurisdiction = strdup(jurisdiction);
  if (!e->jurisdiction) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
  snprintf(e->month, sizeof e->month, "%s", text);
  return e->engine;
}

Datum jsonb_of(const char* json) { return DirectFunctionCall1(jsonb_in, CStringGetDatum(json)); }

/* ---- the decision as jsonb, built directly: parsing its JSON text again
 * (jsonb_in) was nearly half of a decision's time in SQL ---- */

static void push_string(JsonbParseState** state, JsonbIteratorToken token, const char* text) {
  JsonbValue v;
  v.type = jbvString;
  v.val.string.val = (char*)text;
  v.val.string.len = (int)strlen(text);
  pushJsonbValue(state, token, &v);
}

static void push_key_string(JsonbParseState** state, const char* key, const char* value) {
  push_string(state, WJB_KEY, key);
  push_string(state, WJB_VALUE, value);
}

/* An output's value: yes/no and numbers directly, anything else (dates,
 * lists, structures) from the JSON text the C API gives for it. */
static void push_output(JsonbParseState** state, const doudi_decision* d, size_t i) {
  JsonbValue v;
  int64_t n = 0;
  const char* json = NULL; /* written out only for the kinds read from it */
  switch (doudi_decision_output_kind(d, i)) {
    case DOUDI_KIND_BOOL:
      doudi_decision_output_int(d, i, &n);
      v.type = jbvBool;
      v.val.boolean = n != 0;
      pushJsonbValue(state, WJB_VALUE, &v);
      return;
    case DOUDI_KIND_INT:
    case DOUDI_KIND_MONEY: /* exact yuan, "828.5": numeric's own syntax */
      json = doudi_decision_output_json(d, i);
      if (!json) break;
      v.type = jbvNumeric;
      v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(json), ObjectIdGetDatum(InvalidOid),
                                                          Int32GetDatum(-1)));
      pushJsonbValue(state, WJB_VALUE, &v);
      return;
    case DOUDI_KIND_TEXT:
    case DOUDI_KIND_ENUM:
      if (doudi_decision_output_text(d, i)) {
        push_string(state, WJB_VALUE, doudi_decision_output_text(d, i));
        return;
      }
      break;
    case DOUDI_KIND_ABSENT:
      v.type = jbvNull;
      pushJsonbValue(state, WJB_VALUE, &v);
      return;
    default:
      break;
  }
  if (!json) json = doudi_decision_output_json(d, i);
  Jsonb* parsed = DatumGetJsonbP(jsonb_of(json ? json : "null"));
  if (JB_ROOT_IS_SCALAR(parsed)) {
    JsonbExtractScalar(&parsed->root, &v);
  } else {
    v.type = jbvBinary;
    v.val.binary.data = &parsed->root;
    v.val.binary.len = (int)VARSIZE(parsed) - VARHDRSZ;
  }
  pushJsonbValue(state, WJB_VALUE, &v);
}

/* The decision as doudi_decision_json gives it (with its log id first when
 * `id` is given), as jsonb; frees `d` (also when this raises). */
Datum decision_jsonb(doudi_decision* d, const char* id, const Loaded* l, const Engine* e) {
  JsonbParseState* state = NULL;
  Jsonb* result = NULL;
  const doudi_error* error = doudi_decision_error(d);
  PG_TRY();
  {
    pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
    if (id) push_key_string(&state, "id", id);
    push_key_string(&state, "module", doudi_rules_module(l->rules));
    push_key_string(&state, "jurisdiction", e->jurisdiction);
    push_key_string(&state, "month", e->month);
    if (error) {
      push_string(&state, WJB_KEY, "error");
      pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
      push_key_string(&state, "code", doudi_error_code(error, 0));
      push_key_string(&state, "message", doudi_error_message(error, 0, DOUDI_ZH));
      pushJsonbValue(&state, WJB_END_OBJECT, NULL);
    } else {
      push_string(&state, WJB_KEY, "outputs");
      pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
      for (size_t i = 0; i < doudi_decision_output_count(d); ++i) {
        push_string(&state, WJB_KEY, doudi_decision_output_name(d, i));
        push_output(&state, d, i);
      }
      pushJsonbValue(&state, WJB_END_OBJECT, NULL);
      push_string(&state, WJB_KEY, "flags");
      pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
      for (size_t i = 0; i < doudi_decision_flag_count(d); ++i) {
        pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
        push_key_string(&state, "name", doudi_decision_flag_name(d, i));
        push_key_string(&state, "message", doudi_decision_flag_message(d, i));
        pushJsonbValue(&state, WJB_END_OBJECT, NULL);
      }
      pushJsonbValue(&state, WJB_END_ARRAY, NULL);
    }
    /* The values pushed point into the decision (an error's message, a text
     * output): the jsonb is made, copying them, before it is freed. */
    result = JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
  }
  PG_CATCH();
  {
    doudi_decision_free(d);
    PG_RE_THROW();
  }
  PG_END_TRY();
  doudi_decision_free(d);
  return JsonbPGetDatum(result);
}

/* {"refused": [problems]} in palloc'd memory; frees `error`. */
char* refused_json(doudi_error* error) {
  const char* problems = doudi_error_json(error);
  char* text = psprintf("{\"refused\": %s}", problems ? problems : "[]");
  doudi_error_free(error);
  return text;
}

Datum decision_or_refusal(doudi_decision* d, doudi_error* error, bool refusal_as_value, Loaded* l) {
  if (d) return decision_jsonb(d, NULL, l, &l->deciding);
  if (refusal_as_value && doudi_error_status(error) == DOUDI_REFUSED) return jsonb_of(refused_json(error));
  raise_doudi_error(error, sqlstate_of(doudi_error_status(error)));
}

/* Decides `household` with the bundle `digest` in `jurisdiction` for the
 * month of `month`. `refusal_as_value` gives a refused household as
 * {"refused": […]} rather than an error. */
static Datum decide(const char* digest, const char* jurisdiction, DateADT month, Datum household_jsonb,
                    bool refusal_as_value) {
  /* The household as JSON text: jsonb's own output. */
  char* household = DatumGetCString(DirectFunctionCall1(jsonb_out, household_jsonb));
  Loaded* l = load_bundle(digest);
  doudi_engine* engine = ready_engine(l, &l->deciding, jurisdiction, month, false);
  doudi_error* error = NULL;
  doudi_decision* d = doudi_decide_json(engine, household, strlen(household), &error);
  return decision_or_refusal(d, error, refusal_as_value, l);
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
  check_digest(text_to_cstring(PG_GETARG_TEXT_PP(0)));
  check_month(PG_GETARG_DATEADT(2));
  Datum values[3] = {PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), PG_GETARG_DATUM(2)};
  bool nulls[3] = {false, false, false};
  PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

static Datum decide_in_context(FunctionCallInfo fcinfo, bool refusal_as_value) {
  const Context c = read_context(PG_GETARG_HEAPTUPLEHEADER(0));
  return decide(c.digest, c.jurisdiction, c.month, PG_GETARG_DATUM(1), refusal_as_value);
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

/* decide_logged(context, household): decides as try_decide does and appends
 * the decision (or the refused household) to doudi.decision_log, chained on
 * the lines already there exactly as a log file would be: the table's lines
 * in seq order are a log `doudi verify-log` verifies. Writers take turns: a
 * transaction-level advisory lock, then a fresh snapshot (READ COMMITTED) to
 * read the head the last writer left. */
#define DECISION_LOG_LOCK INT64CONST(0x646F7564694C6F67) /* "doudiLog" */

Datum doudi_pg_decide_logged(PG_FUNCTION_ARGS) {
  if (IsolationUsesXactSnapshot())
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("doudi: doudi.decide_logged 需要在 READ COMMITTED 隔离级别下运行"),
                    errdetail("doudi.decide_logged needs the READ COMMITTED isolation level: it must see the lines "
                              "other sessions appended before it")));
  const Context c = read_context(PG_GETARG_HEAPTUPLEHEADER(0));
  char* household = DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(1)));
  Loaded* l = load_bundle(c.digest);
  doudi_engine* engine = ready_engine(l, &l->logging, c.jurisdiction, c.month, true);

  /* What outlives SPI_finish is made in the caller's memory context. */
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  Oid lock_type[1] = {INT8OID};
  Datum lock_key[1] = {Int64GetDatum(DECISION_LOG_LOCK)};
  if (SPI_execute_with_args("SELECT pg_catalog.pg_advisory_xact_lock($1)", 1, lock_type, lock_key, NULL, false, 1) !=
      SPI_OK_SELECT)
    elog(ERROR, "doudi: cannot take the lock of doudi.decision_log");
  /* Not read-only: SPI then takes a new snapshot, which sees what the
   * writer this session waited for appended. */
  if (SPI_execute("SELECT seq, line FROM doudi.decision_log ORDER BY seq DESC LIMIT 1", false, 1) != SPI_OK_SELECT)
    elog(ERROR, "doudi: cannot read doudi.decision_log");
  int64 seq = 0;
  char* last_line = NULL;
  if (SPI_processed > 0) {
    seq = strtoll(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), NULL, 10);
    last_line = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
  }
  if (SPI_execute("SELECT line FROM doudi.decision_log WHERE is_context ORDER BY seq DESC LIMIT 1", false, 1) !=
      SPI_OK_SELECT)
    elog(ERROR, "doudi: cannot read doudi.decision_log");
  char* context_line = SPI_processed > 0 ? SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1) : NULL;
  doudi_error* error = NULL;
  if (doudi_engine_set_log_head(engine, last_line, context_line, &error) != DOUDI_OK)
    raise_doudi_error(error, ERRCODE_DATA_CORRUPTED);

  doudi_decision* d = doudi_decide_json(engine, household, strlen(household), &error);
  MemoryContext spi = MemoryContextSwitchTo(caller);
  Datum answer;
  if (d) {
    char id[32];
    snprintf(id, sizeof id, "%s", doudi_decision_id(d) ? doudi_decision_id(d) : "");
    answer = decision_jsonb(d, id, l, &l->logging);
  } else if (doudi_error_status(error) == DOUDI_REFUSED) {
    answer = jsonb_of(refused_json(error));
  } else {
    raise_doudi_error(error, sqlstate_of(doudi_error_status(error)));
  }
  MemoryContextSwitchTo(spi);
  const size_t lines = doudi_engine_log_line_count(engine);
  for (size_t i = 0; i < lines; ++i) {
    Oid types[3] = {INT8OID, TEXTOID, BOOLOID};
    /* A context line comes first, when there is one; the decision is last. */
    Datum values[3] = {Int64GetDatum(seq + (int64)i + 1), CStringGetTextDatum(doudi_engine_log_line(engine, i)),
                       BoolGetDatum(i + 1 < lines)};
    if (SPI_execute_with_args("INSERT INTO doudi.decision_log (seq, line, is_context) VALUES ($1, $2, $3)", 3, types,
                              values, NULL, false, 0) != SPI_OK_INSERT)
      elog(ERROR, "doudi: cannot write doudi.decision_log");
  }
  SPI_finish();
  PG_RETURN_DATUM(answer);
}

/* output_fen(decision, output): a money output in 分, read from the jsonb. */
Datum doudi_pg_output_fen(PG_FUNCTION_ARGS) {
  Jsonb* decision = PG_GETARG_JSONB_P(0);
  text* name = PG_GETARG_TEXT_PP(1);
  if (!JB_ROOT_IS_OBJECT(decision)) PG_RETURN_NULL();
  JsonbValue key;
  key.type = jbvString;
  key.val.string.val = "outputs";
  key.val.string.len = 7;
  JsonbValue* outputs = findJsonbValueFromContainer(&decision->root, JB_FOBJECT, &key);
  if (!outputs || outputs->type != jbvBinary) PG_RETURN_NULL();
  key.val.string.val = VARDATA_ANY(name);
  key.val.string.len = (int)VARSIZE_ANY_EXHDR(name);
  JsonbValue* value = findJsonbValueFromContainer(outputs->val.binary.data, JB_FOBJECT, &key);
  if (!value || value->type != jbvNumeric) PG_RETURN_NULL();
  /* Exact yuan with at most two decimals: × 100 is a whole number of 分. */
  Datum fen = DirectFunctionCall2(numeric_mul, NumericGetDatum(value->val.numeric), NumericGetDatum(int64_to_numeric(100)));
  PG_RETURN_DATUM(DirectFunctionCall1(numeric_int8, fen));
}
