/* What the doudi extension's C files share (doudi_pg.c: bundles, engines,
 * decisions as jsonb; doudi_rows.c: households given as rows). */
#ifndef DOUDI_PG_H
#define DOUDI_PG_H

/* PostgreSQL's headers, from the server's include folder (PGXS gives it). */
#include <postgres.h>

#include <access/htup.h>
#include <utils/date.h>
#include <utils/datetime.h>

#include <doudi/doudi.h>

/* Raises `error` as a PostgreSQL error: the Doudi code and Chinese message
 * as the message, the English one as the detail, every further problem as
 * well. Frees `error` first. */
void raise_doudi_error(doudi_error* error, int sqlstate) pg_attribute_noreturn();
/* The same with a hint (what to do about it), in both languages. */
void raise_doudi_error_hint(doudi_error* error, int sqlstate, const char* hint) pg_attribute_noreturn();
int sqlstate_of(doudi_status status);

/* The fields of a doudi.context value, none of them NULL. */
typedef struct Context {
  char* digest;
  char* jurisdiction;
  DateADT month;
} Context;
Context read_context(HeapTupleHeader context);

/* An engine of a loaded bundle, and the settings it was made with. */
typedef struct Engine {
  doudi_engine* engine;
  int kind;           /* doudi.engine when it was made */
  char* jurisdiction; /* its context, malloc'd */
  char month[8];
  char* key_file;     /* a logging engine's: doudi.log_key_file when it began logging, malloc'd */
} Engine;

/* A bundle, with an engine for plain decisions and one that logs (its
 * decisions are chained onto doudi.decision_log; the plain one builds no
 * log lines). Kept per backend; a bundle not used lately may be evicted by
 * the next load_bundle. */
typedef struct Loaded {
  char digest[65];
  doudi_rules* rules;
  Engine deciding, logging;
} Loaded;

/* The bundle with `digest`, read from doudi.bundles and verified (its own
 * digest must be the one asked for). */
Loaded* load_bundle(const char* digest);
/* `e`, made (again, if doudi.engine or doudi.log_key_file changed since) and
 * set to `jurisdiction` and the month of `month`. */
doudi_engine* ready_engine(Loaded* l, Engine* e, const char* jurisdiction, DateADT month, bool logging);

Datum jsonb_of(const char* json);
/* The decision as doudi_decision_json gives it (with its log id first when
 * `id` is given), as jsonb; frees `d` (also when this raises). */
Datum decision_jsonb(doudi_decision* d, const char* id, const Loaded* l, const Engine* e);
/* {"refused": [problems]} in palloc'd memory; frees `error`. */
char* refused_json(doudi_error* error);
/* What a deciding function returns for the plain engine's answer: the
 * decision `d`, or (when d is NULL) `error` as {"refused": …} if the
 * household was refused and `refusal_as_value`, else raised. */
Datum decision_or_refusal(doudi_decision* d, doudi_error* error, bool refusal_as_value, Loaded* l);

#endif
