/* doudi.decide_row and doudi.try_decide_row: a household given as a row
 * whose columns are the schema's fields, decided without building JSON
 * (libdoudi's typed households, doudi_household_*).
 *
 * A column of a scalar type gives its field; a column of a row type gives a
 * structure's fields; an array of rows gives a list of structures (成员),
 * an array of scalars a list of values. Columns are matched to fields once
 * per query and row type (a plan, kept in the function's fn_extra), then
 * each row's values are handed over by handle. */
#include "doudi_pg.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/typcache.h"

PG_FUNCTION_INFO_V1(doudi_pg_decide_row);
PG_FUNCTION_INFO_V1(doudi_pg_try_decide_row);

typedef enum ColumnKind {
  COL_IGNORED, /* named in `ignore`, or dropped from the table */
  COL_BOOL,
  COL_INT2,
  COL_INT4,
  COL_INT8,
  COL_NUMERIC, /* as decimal text, the way a JSON number is read */
  COL_TEXT,
  COL_DATE,
  COL_OUTPUT, /* an enum type: its label */
  COL_ROW,    /* a structure */
  COL_ARRAY,  /* a list */
} ColumnKind;

typedef struct Column {
  ColumnKind kind;
  int32_t handle; /* the field's, in libdoudi */
  char* path;     /* the field's path: "成员.年龄" */
  char* prefix;   /* COL_ROW, and arrays of rows: the path of the structure's fields, "成员." */
  /* COL_ARRAY: its elements */
  ColumnKind elem_kind;
  Oid elem_type;
  int16 elem_len;
  bool elem_byval;
  char elem_align;
  FmgrInfo output; /* COL_OUTPUT, or an array of those */
} Column;

/* How the columns of one row type map to fields, under one path prefix. */
typedef struct RowPlan {
  Oid type;
  int32 typmod;
  uint64 identifier; /* the row type's version: a table altered since gets a new plan */
  char* prefix;
  int natts;
  Column* columns;
  struct RowPlan* next;
} RowPlan;

/* Kept per call site (fn_extra) for the query's life. */
typedef struct RowCache {
  char digest[65];       /* the plans' bundle: handles belong to its schema */
  char* ignore;          /* the `ignore` argument as given (its bytes), or NULL */
  int ignore_size;
  char** ignored;        /* its names */
  int nignored;
  doudi_household* household;
  RowPlan* plans;
  MemoryContext plans_cxt; /* plans live here; reset when the bundle or `ignore` changes */
  MemoryContextCallback free_household;
} RowCache;

static void free_household(void* arg) {
  RowCache* c = (RowCache*)arg;
  doudi_household_free(c->household);
  c->household = NULL;
}

/* The kind of a column of `type` (a domain counts as its base type). */
static ColumnKind kind_of(Oid type, const char* path) {
  const Oid base = getBaseType(type);
  if (type_is_rowtype(base)) return COL_ROW;
  if (OidIsValid(get_element_type(base))) return COL_ARRAY;
  switch (base) {
    case BOOLOID: return COL_BOOL;
    case INT2OID: return COL_INT2;
    case INT4OID: return COL_INT4;
    case INT8OID: return COL_INT8;
    case NUMERICOID: return COL_NUMERIC;
    case TEXTOID: case VARCHAROID: return COL_TEXT;
    case DATEOID: return COL_DATE;
    case FLOAT4OID: case FLOAT8OID:
      ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                      errmsg("doudi: 列 `%s` 是浮点数：金额与比例须是精确的数，请用 numeric", path),
                      errdetail("column `%s` is floating point: amounts and ratios must be exact; use numeric", path)));
      pg_unreachable();
    default:
      if (type_is_enum(base)) return COL_OUTPUT;
      ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                      errmsg("doudi: 列 `%s` 的类型 %s 不能读作字段（可用 boolean、整数、numeric、text、date、枚举、行类型及其数组）",
                             path, format_type_be(type)),
                      errdetail("column `%s` has type %s, which is not read as a field (use boolean, an integer, numeric, "
                                "text, date, an enum, a row type, or an array of these)",
                                path, format_type_be(type))));
  }
}

static bool ignored(const RowCache* c, const char* name) {
  for (int i = 0; i < c->nignored; ++i)
    if (strcmp(c->ignored[i], name) == 0) return true;
  return false;
}

/* The field handle of `path`, or an error naming the column (E2004, the
 * nearest field, and how to leave a column out). */
static int32_t field_of(const Loaded* l, const char* path) {
  doudi_error* error = NULL;
  const int32_t handle = doudi_rules_field(l->rules, path, &error);
  if (handle < 0)
    raise_doudi_error_hint(error, ERRCODE_UNDEFINED_COLUMN,
                           "不是字段的列（如 id 这样的键）请写在 ignore 参数中 / columns that are not fields of the schema "
                           "(keys such as id) are named in the `ignore` argument");
  return handle;
}

static const char* shape_zh(doudi_field_shape shape) {
  switch (shape) {
    case DOUDI_FIELD_STRUCT: return "结构（给出一行）";
    case DOUDI_FIELD_LIST: return "值的列表（给出数组）";
    case DOUDI_FIELD_LIST_OF_STRUCTS: return "结构的列表（给出行的数组）";
    default: return "单个值";
  }
}
static const char* shape_en(doudi_field_shape shape) {
  switch (shape) {
    case DOUDI_FIELD_STRUCT: return "a structure (give a row)";
    case DOUDI_FIELD_LIST: return "a list of values (give an array)";
    case DOUDI_FIELD_LIST_OF_STRUCTS: return "a list of structures (give an array of rows)";
    default: return "one value";
  }
}

/* The shape a column of this kind gives. */
static doudi_field_shape shape_of(const Column* col) {
  if (col->kind == COL_ROW) return DOUDI_FIELD_STRUCT;
  if (col->kind == COL_ARRAY) return col->elem_kind == COL_ROW ? DOUDI_FIELD_LIST_OF_STRUCTS : DOUDI_FIELD_LIST;
  return DOUDI_FIELD_VALUE;
}

/* A column must give what its field holds: a value, a row, an array. */
static void check_shape(const Loaded* l, const Column* col) {
  const doudi_field_shape field = doudi_rules_field_shape(l->rules, col->handle), column = shape_of(col);
  if (field == column) return;
  ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                  errmsg("doudi: 字段 `%s` 是%s，而这一列给出的是%s", col->path, shape_zh(field), shape_zh(column)),
                  errdetail("the field `%s` is %s; the column gives %s", col->path, shape_en(field), shape_en(column))));
}

static RowPlan* plan_for(RowCache* c, const Loaded* l, Oid type, int32 typmod, const char* prefix) {
  /* The plan lives as long as the call site, which (in PL/pgSQL) can outlive
   * an ALTER TABLE: the row type's identifier changes with its columns. */
  const uint64 identifier = assign_record_type_identifier(type, typmod);
  for (RowPlan* p = c->plans; p; p = p->next)
    if (p->type == type && p->typmod == typmod && p->identifier == identifier && strcmp(p->prefix, prefix) == 0) return p;
  MemoryContext old = MemoryContextSwitchTo(c->plans_cxt);
  TupleDesc desc = lookup_rowtype_tupdesc(type, typmod);
  RowPlan* plan = palloc0(sizeof(RowPlan));
  plan->type = type;
  plan->typmod = typmod;
  plan->identifier = identifier;
  plan->prefix = pstrdup(prefix);
  plan->natts = desc->natts;
  plan->columns = palloc0(sizeof(Column) * (size_t)Max(desc->natts, 1));
  for (int i = 0; i < desc->natts; ++i) {
    const Form_pg_attribute att = TupleDescAttr(desc, i);
    Column* col = &plan->columns[i];
    if (att->attisdropped || ignored(c, NameStr(att->attname))) {
      col->kind = COL_IGNORED;
      continue;
    }
    col->path = psprintf("%s%s", prefix, NameStr(att->attname));
    col->prefix = psprintf("%s.", col->path);
    col->handle = field_of(l, col->path); /* first: a column that is no field is told so, whatever its type */
    col->kind = kind_of(att->atttypid, col->path);
    Oid scalar = getBaseType(att->atttypid);
    if (col->kind == COL_ARRAY) {
      col->elem_type = get_element_type(scalar);
      col->elem_kind = kind_of(col->elem_type, col->path);
      get_typlenbyvalalign(col->elem_type, &col->elem_len, &col->elem_byval, &col->elem_align);
      scalar = getBaseType(col->elem_type);
    }
    check_shape(l, col);
    if (col->kind == COL_OUTPUT || col->elem_kind == COL_OUTPUT) {
      Oid out;
      bool varlena;
      getTypeOutputInfo(scalar, &out, &varlena);
      fmgr_info_cxt(out, &col->output, c->plans_cxt);
    }
  }
  ReleaseTupleDesc(desc);
  plan->next = c->plans;
  c->plans = plan;
  MemoryContextSwitchTo(old);
  return plan;
}

/* A setter's status: the plan checked shapes, so anything but OK is a bug. */
static void check_set(doudi_status status, const Column* col) {
  if (status != DOUDI_OK) elog(ERROR, "doudi: cannot set the field `%s` (status %d)", col->path, (int)status);
}

static void fill_row(RowCache* c, const Loaded* l, HeapTupleHeader row, const char* prefix);

/* One value of kind `kind` for `col`'s field (an item, for a list). */
static void set_value(RowCache* c, const Column* col, ColumnKind kind, Datum v) {
  doudi_household* h = c->household;
  doudi_status status = DOUDI_OK;
  switch (kind) {
    case COL_BOOL: status = doudi_household_set_bool(h, col->handle, DatumGetBool(v)); break;
    case COL_INT2: case COL_INT4: case COL_INT8: {
      /* As decimal text, as to_jsonb writes it: for an amount, yuan. */
      const int64 n = kind == COL_INT2 ? DatumGetInt16(v) : kind == COL_INT4 ? DatumGetInt32(v) : DatumGetInt64(v);
      char text[24];
      const int size = snprintf(text, sizeof text, INT64_FORMAT, n);
      status = doudi_household_set_decimal(h, col->handle, text, (size_t)size);
      break;
    }
    case COL_NUMERIC: {
      char* text = DatumGetCString(DirectFunctionCall1(numeric_out, v));
      status = doudi_household_set_decimal(h, col->handle, text, strlen(text));
      pfree(text);
      break;
    }
    case COL_TEXT: {
      text* t = DatumGetTextPP(v);
      status = doudi_household_set_text(h, col->handle, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
      break;
    }
    case COL_DATE: {
      const DateADT d = DatumGetDateADT(v);
      if (DATE_NOT_FINITE(d)) {
        const char* text = DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity"; /* refused with the household (E2008) */
        status = doudi_household_set_text(h, col->handle, text, strlen(text));
      } else {
        int year, month, day;
        j2date(d + POSTGRES_EPOCH_JDATE, &year, &month, &day);
        status = doudi_household_set_date(h, col->handle, year, month, day);
      }
      break;
    }
    case COL_OUTPUT: {
      char* text = OutputFunctionCall((FmgrInfo*)&col->output, v);
      status = doudi_household_set_text(h, col->handle, text, strlen(text));
      pfree(text);
      break;
    }
    default: elog(ERROR, "doudi: unexpected column kind %d", (int)kind);
  }
  check_set(status, col);
}

static void set_column(RowCache* c, const Loaded* l, const Column* col, Datum v, bool is_null) {
  /* NULL is no value given: the field takes its default, is absent if
   * optional, or is missing (E2003) — as a key left out of JSON. */
  if (col->kind == COL_IGNORED || is_null) return;
  if (col->kind == COL_ROW) {
    /* Given, even if all its columns are NULL (to_jsonb's {}). */
    check_set(doudi_household_open_struct(c->household, col->handle), col);
    fill_row(c, l, DatumGetHeapTupleHeader(v), col->prefix);
    return;
  }
  if (col->kind != COL_ARRAY) {
    set_value(c, col, col->kind, v);
    return;
  }
  ArrayType* array = DatumGetArrayTypeP(v);
  Datum* items;
  bool* nulls;
  int n;
  deconstruct_array(array, col->elem_type, col->elem_len, col->elem_byval, col->elem_align, &items, &nulls, &n);
  if (n == 0) check_set(doudi_household_set_empty_list(c->household, col->handle), col);
  for (int i = 0; i < n; ++i) {
    if (col->elem_kind == COL_ROW) {
      /* A NULL row is a null item (JSON's [null]): refused (E2005). */
      check_set(nulls[i] ? doudi_household_add_null_item(c->household, col->handle)
                         : doudi_household_add_item(c->household, col->handle),
                col);
      if (!nulls[i]) fill_row(c, l, DatumGetHeapTupleHeader(items[i]), col->prefix);
    } else if (nulls[i]) {
      check_set(doudi_household_set_null(c->household, col->handle), col);
    } else {
      set_value(c, col, col->elem_kind, items[i]);
    }
  }
}

static void fill_row(RowCache* c, const Loaded* l, HeapTupleHeader row, const char* prefix) {
  const Oid type = HeapTupleHeaderGetTypeId(row);
  const int32 typmod = HeapTupleHeaderGetTypMod(row);
  const RowPlan* plan = plan_for(c, l, type, typmod, prefix);
  TupleDesc desc = lookup_rowtype_tupdesc(type, typmod);
  HeapTupleData tuple;
  tuple.t_len = HeapTupleHeaderGetDatumLength(row);
  ItemPointerSetInvalid(&tuple.t_self);
  tuple.t_tableOid = InvalidOid;
  tuple.t_data = row;
  Datum* values = palloc(sizeof(Datum) * (size_t)Max(plan->natts, 1));
  bool* nulls = palloc(sizeof(bool) * (size_t)Max(plan->natts, 1));
  heap_deform_tuple(&tuple, desc, values, nulls);
  ReleaseTupleDesc(desc);
  for (int i = 0; i < plan->natts; ++i) set_column(c, l, &plan->columns[i], values[i], nulls[i]);
  pfree(values);
  pfree(nulls);
}

/* The call site's cache, made on first use; its plans dropped when the
 * bundle or the `ignore` argument differs from the last call's. */
static RowCache* row_cache(FunctionCallInfo fcinfo, const Loaded* l) {
  RowCache* c = (RowCache*)fcinfo->flinfo->fn_extra;
  if (!c) {
    c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(RowCache));
    c->plans_cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "doudi row plans", ALLOCSET_SMALL_SIZES);
    c->free_household.func = free_household;
    c->free_household.arg = c;
    MemoryContextRegisterResetCallback(fcinfo->flinfo->fn_mcxt, &c->free_household);
    fcinfo->flinfo->fn_extra = c;
  }
  const bool has_ignore = PG_NARGS() > 2 && !PG_ARGISNULL(2);
  ArrayType* ignore = has_ignore ? PG_GETARG_ARRAYTYPE_P(2) : NULL;
  const int ignore_size = ignore ? (int)VARSIZE(ignore) : 0;
  const bool same_ignore =
      ignore_size == c->ignore_size && (ignore_size == 0 || memcmp(c->ignore, ignore, (size_t)ignore_size) == 0);
  if (strcmp(c->digest, l->digest) == 0 && same_ignore && c->household) return c;

  MemoryContextReset(c->plans_cxt);
  c->plans = NULL;
  c->ignored = NULL;
  c->nignored = 0;
  c->ignore = NULL;
  c->ignore_size = 0;
  c->digest[0] = '\0';
  if (ignore) {
    Datum* names;
    bool* nulls;
    int n;
    deconstruct_array(ignore, TEXTOID, -1, false, TYPALIGN_INT, &names, &nulls, &n);
    MemoryContext old = MemoryContextSwitchTo(c->plans_cxt);
    c->ignored = palloc0(sizeof(char*) * (size_t)Max(n, 1));
    for (int i = 0; i < n; ++i)
      if (!nulls[i]) c->ignored[c->nignored++] = TextDatumGetCString(names[i]);
    c->ignore = palloc((size_t)ignore_size);
    memcpy(c->ignore, ignore, (size_t)ignore_size);
    c->ignore_size = ignore_size;
    MemoryContextSwitchTo(old);
  }
  doudi_household_free(c->household);
  c->household = NULL;
  doudi_error* error = NULL;
  c->household = doudi_household_new(l->rules, &error);
  if (!c->household) raise_doudi_error(error, sqlstate_of(doudi_error_status(error)));
  snprintf(c->digest, sizeof c->digest, "%s", l->digest);
  return c;
}

static Datum decide_row(FunctionCallInfo fcinfo, bool refusal_as_value) {
  const Context ctx = read_context(PG_GETARG_HEAPTUPLEHEADER(0));
  Loaded* l = load_bundle(ctx.digest);
  doudi_engine* engine = ready_engine(l, &l->deciding, ctx.jurisdiction, ctx.month, false);
  RowCache* c = row_cache(fcinfo, l);
  doudi_household_clear(c->household);
  fill_row(c, l, PG_GETARG_HEAPTUPLEHEADER(1), "");
  doudi_error* error = NULL;
  doudi_decision* d = doudi_decide_household(engine, c->household, &error);
  return decision_or_refusal(d, error, refusal_as_value, l);
}

/* A NULL context or household gives NULL, as the STRICT decide does (a
 * household missing from an outer join); a NULL `ignore` ignores nothing. */
Datum doudi_pg_decide_row(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) PG_RETURN_NULL();
  PG_RETURN_DATUM(decide_row(fcinfo, false));
}

Datum doudi_pg_try_decide_row(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) PG_RETURN_NULL();
  PG_RETURN_DATUM(decide_row(fcinfo, true));
}
