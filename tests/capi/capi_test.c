/* libdoudi through its C header, as a C program sees it: every call checked,
 * bad input refused with its code, engines on several threads, the log.
 *
 *   capi_test BUNDLE HOUSEHOLD.json WORK_DIR
 *
 * Writes WORK_DIR/capi.log (verified by `doudi verify-log` in the next test). */
#define _POSIX_C_SOURCE 200809L /* unsetenv */
#include <doudi/doudi.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int failures = 0;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

static char* read_all(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* text = malloc((size_t)n + 1);
  if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
    free(text);
    text = NULL;
  }
  fclose(f);
  if (text) text[n] = '\0';
  *size = (size_t)n;
  return text;
}

static int output_index(const doudi_decision* d, const char* name) {
  for (size_t i = 0; i < doudi_decision_output_count(d); ++i)
    if (strcmp(doudi_decision_output_name(d, i), name) == 0) return (int)i;
  return -1;
}

/* The code of the first problem, then the error freed. */
static char last_code[16];
static const char* code_of(doudi_error* e) {
  snprintf(last_code, sizeof last_code, "%s", e && doudi_error_count(e) ? doudi_error_code(e, 0) : "(none)");
  doudi_error_free(e);
  return last_code;
}

static const char* household_text;
static size_t household_size;

struct worker {
  const doudi_rules* rules;
  int64_t benefit; /* 月低保金 of every decision, or -1 if they disagree */
};

static void* decide_many(void* arg) {
  struct worker* w = arg;
  doudi_error* e = NULL;
  doudi_engine* engine = doudi_engine_new(w->rules, "interp", &e);
  if (!engine || doudi_engine_set_context(engine, "会宁县", "2022-06", &e) != DOUDI_OK) {
    doudi_error_free(e);
    w->benefit = -1;
    return NULL;
  }
  w->benefit = -2;
  for (int i = 0; i < 2000; ++i) {
    doudi_decision* d = doudi_decide_json(engine, household_text, household_size, &e);
    int64_t fen = -1;
    if (!d || doudi_decision_output_int(d, (size_t)output_index(d, "月低保金"), &fen) != DOUDI_OK) fen = -1;
    if (w->benefit == -2) w->benefit = fen;
    if (fen != w->benefit) w->benefit = -1;
    doudi_decision_free(d);
  }
  doudi_engine_free(engine);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: capi_test BUNDLE HOUSEHOLD.json WORK_DIR\n");
    return 2;
  }
  char version[32];
  snprintf(version, sizeof version, "%d.%d.%d", DOUDI_VERSION_MAJOR, DOUDI_VERSION_MINOR, DOUDI_VERSION_PATCH);
  CHECK(strcmp(doudi_version(), version) == 0);

  size_t bundle_size = 0;
  char* bundle = read_all(argv[1], &bundle_size);
  household_text = read_all(argv[2], &household_size);
  CHECK(bundle && household_text);
  if (!bundle || !household_text) return 1;
  doudi_error* e = NULL;

  /* A bundle with one byte changed is refused: E4001. */
  char* corrupt = malloc(bundle_size);
  memcpy(corrupt, bundle, bundle_size);
  corrupt[bundle_size / 2] ^= 0x20;
  CHECK(doudi_rules_from_bundle(corrupt, bundle_size, "corrupt.bundle", &e) == NULL);
  CHECK(doudi_error_status(e) == DOUDI_REFUSED);
  CHECK(strcmp(code_of(e), "E4001") == 0);
  free(corrupt);
  CHECK(doudi_rules_from_bundle("", 0, "empty", &e) == NULL);
  CHECK(strcmp(code_of(e), "E4001") == 0);
  CHECK(doudi_rules_open("/no/such/file.bundle", &e) == NULL);
  CHECK(strcmp(code_of(e), "E0007") == 0);
  CHECK(doudi_rules_from_bundle(NULL, 5, "null", &e) == NULL);
  CHECK(doudi_error_status(e) == DOUDI_MISUSE);
  code_of(e);

  doudi_rules* rules = doudi_rules_from_bundle(bundle, bundle_size, argv[1], &e);
  CHECK(rules != NULL);
  if (!rules) return 1;
  CHECK(strlen(doudi_rules_digest(rules)) == 64 && strspn(doudi_rules_digest(rules), "0123456789abcdef") == 64);
  CHECK(strcmp(doudi_rules_module(rules), "部署.会宁县") == 0);
  CHECK(doudi_rules_output_count(rules) > 0);
  CHECK(doudi_rules_output_name(rules, doudi_rules_output_count(rules)) == NULL);

  /* Engines: an unknown kind is misuse; no context yet is misuse. */
  CHECK(doudi_engine_new(rules, "fast", &e) == NULL);
  CHECK(doudi_error_status(e) == DOUDI_MISUSE);
  code_of(e);
  doudi_engine* engine = doudi_engine_new(rules, "interp", &e);
  CHECK(engine && strcmp(doudi_engine_kind(engine), "interp") == 0);
  CHECK(doudi_decide_json(engine, household_text, household_size, &e) == NULL);
  CHECK(doudi_error_status(e) == DOUDI_MISUSE);
  code_of(e);

  /* A jurisdiction that is not in the rules: E0106, naming the near one. */
  CHECK(doudi_engine_set_context(engine, "会宁", "2022-06", &e) == DOUDI_REFUSED);
  CHECK(e && strstr(doudi_error_message(e, 0, DOUDI_EN), "会宁县") != NULL);
  CHECK(strcmp(code_of(e), "E0106") == 0);
  CHECK(doudi_engine_set_context(engine, "会宁县", "2022-13", &e) == DOUDI_REFUSED);
  CHECK(strcmp(code_of(e), "E3001") == 0);
  CHECK(doudi_engine_set_context(engine, "会宁县", "2022-06", &e) == DOUDI_OK);

  /* The README's household: 月低保金 = 828 元/月, i.e. 82800 分. */
  doudi_decision* d = doudi_decide_json(engine, household_text, household_size, &e);
  CHECK(d && doudi_decision_ok(d));
  CHECK(doudi_decision_error(d) == NULL);
  CHECK(doudi_decision_id(d) == NULL); /* no log */
  const int benefit = output_index(d, "月低保金");
  CHECK(benefit >= 0);
  int64_t fen = 0;
  CHECK(doudi_decision_output_kind(d, (size_t)benefit) == DOUDI_KIND_MONEY);
  CHECK(doudi_decision_output_int(d, (size_t)benefit, &fen) == DOUDI_OK && fen == 82800);
  CHECK(strcmp(doudi_decision_output_json(d, (size_t)benefit), "828") == 0);
  CHECK(doudi_decision_output_text(d, (size_t)benefit) == NULL);
  const int single = output_index(d, "单人户纳入");
  CHECK(single >= 0 && doudi_decision_output_kind(d, (size_t)single) == DOUDI_KIND_BOOL);
  CHECK(doudi_decision_output_int(d, (size_t)single, &fen) == DOUDI_OK && fen == 1);
  CHECK(doudi_decision_output_json(d, doudi_decision_output_count(d)) == NULL);
  CHECK(strstr(doudi_decision_json(d, DOUDI_ZH), "\"月低保金\": 828") != NULL);
  doudi_decision_free(d);

  /* A household the schema refuses: its code, and where in the JSON. */
  const char* bad = "{\"户籍\": \"城市\", \"财产符合规定\": true, \"成员\": [{\"年龄\": \"五十\"}]}";
  CHECK(doudi_decide_json(engine, bad, strlen(bad), &e) == NULL);
  CHECK(doudi_error_status(e) == DOUDI_REFUSED);
  CHECK(doudi_error_offset(e, 0) == (int64_t)(strstr(bad, "\"五十\"") - bad));
  CHECK(strstr(doudi_error_json(e), "\"offset\": ") != NULL);
  CHECK(code_of(e)[0] == 'E');
  const char* not_json = "{\"户籍\": ";
  CHECK(doudi_decide_json(engine, not_json, strlen(not_json), &e) == NULL);
  CHECK(code_of(e)[0] == 'E');

  /* The same household as typed values: the same decision, word for word. */
  const int32_t f_kind = doudi_rules_field(rules, "户籍", &e), f_assets = doudi_rules_field(rules, "财产符合规定", &e),
                f_single = doudi_rules_field(rules, "申请单人户", &e), f_members = doudi_rules_field(rules, "成员", &e),
                f_name = doudi_rules_field(rules, "成员.姓名", &e), f_id = doudi_rules_field(rules, "成员.身份证号", &e),
                f_age = doudi_rules_field(rules, "成员.年龄", &e), f_disability = doudi_rules_field(rules, "成员.残疾类别", &e),
                f_grade = doudi_rules_field(rules, "成员.残疾等级", &e), f_wage = doudi_rules_field(rules, "成员.工资性收入", &e);
  CHECK(f_kind >= 0 && f_assets >= 0 && f_single >= 0 && f_members >= 0 && f_name >= 0 && f_id >= 0 && f_age >= 0 &&
        f_disability >= 0 && f_grade >= 0 && f_wage >= 0);
  CHECK(doudi_rules_field_shape(rules, f_kind) == DOUDI_FIELD_VALUE);
  CHECK(doudi_rules_field_shape(rules, f_members) == DOUDI_FIELD_LIST_OF_STRUCTS);
  CHECK(doudi_rules_field_shape(rules, -1) == DOUDI_FIELD_NONE && doudi_rules_field_shape(rules, 100000) == DOUDI_FIELD_NONE);
  CHECK(doudi_rules_field(rules, "成员.年纪", &e) == -1);
  CHECK(doudi_error_status(e) == DOUDI_REFUSED && doudi_error_count(e) == 1);
  CHECK(strstr(doudi_error_message(e, 0, DOUDI_EN), "did you mean `成员.年龄`") != NULL); /* the nearest */
  CHECK(strcmp(code_of(e), "E2004") == 0);
  doudi_household* h = doudi_household_new(rules, &e);
  CHECK(h != NULL);
  CHECK(doudi_household_set_int(h, f_age, 52) == DOUDI_MISUSE); /* no member opened yet */
  CHECK(doudi_household_add_item(h, f_kind) == DOUDI_MISUSE);   /* not a list of structures */
  CHECK(doudi_household_set_int(h, f_members, 2) == DOUDI_MISUSE);
  CHECK(doudi_household_set_int(h, 100000, 2) == DOUDI_MISUSE && doudi_household_set_int(h, -1, 2) == DOUDI_MISUSE);
  CHECK(doudi_household_set_text(h, f_kind, "城市", strlen("城市")) == DOUDI_OK);
  CHECK(doudi_household_set_bool(h, f_assets, 1) == DOUDI_OK);
  CHECK(doudi_household_set_bool(h, f_single, 1) == DOUDI_OK);
  CHECK(doudi_household_add_item(h, f_members) == DOUDI_OK);
  CHECK(doudi_household_set_text(h, f_name, "张某", strlen("张某")) == DOUDI_OK);
  CHECK(doudi_household_set_text(h, f_id, "620422197001010011", 18) == DOUDI_OK);
  CHECK(doudi_household_set_int(h, f_age, 52) == DOUDI_OK);
  CHECK(doudi_household_set_text(h, f_disability, "肢体", strlen("肢体")) == DOUDI_OK);
  CHECK(doudi_household_set_int(h, f_grade, 1) == DOUDI_OK);
  CHECK(doudi_household_add_item(h, f_members) == DOUDI_OK);
  CHECK(doudi_household_set_text(h, f_name, "李某", strlen("李某")) == DOUDI_OK);
  CHECK(doudi_household_set_text(h, f_id, "620422197203030022", 18) == DOUDI_OK);
  CHECK(doudi_household_set_int(h, f_age, 50) == DOUDI_OK);
  CHECK(doudi_household_set_fen(h, f_wage, 190000) == DOUDI_OK);
  doudi_decision* from_json = doudi_decide_json(engine, household_text, household_size, &e);
  d = doudi_decide_household(engine, h, &e);
  CHECK(d && from_json && strcmp(doudi_decision_json(d, DOUDI_ZH), doudi_decision_json(from_json, DOUDI_ZH)) == 0);
  CHECK(d && doudi_decision_output_int(d, (size_t)benefit, &fen) == DOUDI_OK && fen == 82800);
  doudi_decision_free(d);
  doudi_decision_free(from_json);
  /* The wage as decimal text, then as yuan: the same; given twice: E2010. */
  CHECK(doudi_household_set_decimal(h, f_wage, "1900.00", 7) == DOUDI_OK);
  CHECK(doudi_decide_household(engine, h, &e) == NULL);
  CHECK(doudi_error_offset(e, 0) == -1);
  CHECK(strstr(doudi_error_message(e, 0, DOUDI_EN), "$.成员[1]") != NULL);
  CHECK(strcmp(code_of(e), "E2010") == 0);
  /* Refused as JSON would be: the path of the value at fault. */
  doudi_household_clear(h);
  CHECK(doudi_household_set_text(h, f_kind, "城镇", strlen("城镇")) == DOUDI_OK);
  CHECK(doudi_household_set_bool(h, f_assets, 1) == DOUDI_OK);
  CHECK(doudi_household_add_item(h, f_members) == DOUDI_OK);
  CHECK(doudi_household_set_int(h, f_age, -1) == DOUDI_OK);
  CHECK(doudi_household_set_date(h, f_wage, 2022, 6, 1) == DOUDI_OK); /* a date for an amount */
  CHECK(doudi_decide_household(engine, h, &e) == NULL);
  CHECK(doudi_error_status(e) == DOUDI_REFUSED && doudi_error_count(e) == 3);
  CHECK(strcmp(doudi_error_code(e, 0), "E2006") == 0 && strcmp(doudi_error_code(e, 1), "E2009") == 0 &&
        strcmp(doudi_error_code(e, 2), "E2005") == 0);
  CHECK(strstr(doudi_error_message(e, 1, DOUDI_EN), "$.成员[0].年龄") != NULL);
  code_of(e);
  /* An amount as a bare whole number: yuan or 分? Refused (E2005). */
  doudi_household_clear(h);
  CHECK(doudi_household_set_text(h, f_kind, "城市", strlen("城市")) == DOUDI_OK);
  CHECK(doudi_household_set_bool(h, f_assets, 1) == DOUDI_OK);
  CHECK(doudi_household_add_item(h, f_members) == DOUDI_OK);
  CHECK(doudi_household_set_int(h, f_age, 40) == DOUDI_OK);
  CHECK(doudi_household_set_int(h, f_wage, 1900) == DOUDI_OK);
  CHECK(doudi_household_set_date(h, f_name, 2022, 2, 30) == DOUDI_OK); /* no such day, for a text */
  CHECK(doudi_decide_household(engine, h, &e) == NULL);
  CHECK(doudi_error_count(e) == 2 && strstr(doudi_error_message(e, 0, DOUDI_EN), "分") != NULL);
  CHECK(strstr(doudi_error_message(e, 1, DOUDI_EN), "a date") != NULL);
  CHECK(strcmp(code_of(e), "E2005") == 0);
  CHECK(doudi_household_add_null_item(h, f_kind) == DOUDI_MISUSE && doudi_household_open_struct(h, f_members) == DOUDI_MISUSE);
  /* An empty household list: given, and empty. */
  doudi_household_clear(h);
  CHECK(doudi_household_set_text(h, f_kind, "农村", strlen("农村")) == DOUDI_OK);
  CHECK(doudi_household_set_bool(h, f_assets, 1) == DOUDI_OK);
  CHECK(doudi_household_set_empty_list(h, f_members) == DOUDI_OK);
  d = doudi_decide_household(engine, h, &e);
  const char* empty_json = "{\"户籍\": \"农村\", \"财产符合规定\": true, \"成员\": []}";
  from_json = doudi_decide_json(engine, empty_json, strlen(empty_json), &e);
  CHECK(d && from_json && strcmp(doudi_decision_json(d, DOUDI_EN), doudi_decision_json(from_json, DOUDI_EN)) == 0);
  doudi_decision_free(d);
  doudi_decision_free(from_json);

  /* The fastest engine agrees with the interpreter. */
  doudi_engine* fastest = doudi_engine_new(rules, NULL, &e);
  CHECK(fastest != NULL);
  CHECK(doudi_engine_set_context(fastest, "会宁县", "2022-06", &e) == DOUDI_OK);
  d = doudi_decide_json(fastest, household_text, household_size, &e);
  CHECK(d && doudi_decision_output_int(d, (size_t)benefit, &fen) == DOUDI_OK && fen == 82800);
  printf("fastest engine: %s\n", doudi_engine_kind(fastest));
  doudi_decision_free(d);
  doudi_engine_free(fastest);

  /* A month before the deployment's values: a decision with an error result. */
  CHECK(doudi_engine_set_context(engine, "会宁县", "2000-01", &e) == DOUDI_OK);
  d = doudi_decide_json(engine, household_text, household_size, &e);
  CHECK(d && !doudi_decision_ok(d));
  CHECK(d && doudi_decision_error(d) && strcmp(doudi_error_code(doudi_decision_error(d), 0), "E1005") == 0);
  CHECK(d && doudi_decision_output_count(d) == 0);
  CHECK(d && strstr(doudi_decision_json(d, DOUDI_EN), "\"error\"") != NULL);
  doudi_decision_free(d);

  /* The log: the schema has sensitive fields, so a key is needed (E4002). */
  char log_path[4096], key_path[4096];
  snprintf(log_path, sizeof log_path, "%s/capi.log", argv[3]);
  snprintf(key_path, sizeof key_path, "%s/capi.key", argv[3]);
  remove(log_path);
  FILE* key = fopen(key_path, "w");
  CHECK(key != NULL);
  fputs("a log key of at least thirty-two bytes, for the C API test\n", key);
  fclose(key);
  chmod(key_path, 0600);
  doudi_log* log = doudi_log_open(log_path, &e);
  CHECK(log != NULL);
  unsetenv("DOUDI_LOG_KEY");
  CHECK(doudi_engine_set_log(engine, log, NULL, &e) == DOUDI_REFUSED);
  CHECK(strcmp(code_of(e), "E4002") == 0);
  CHECK(doudi_engine_set_log(engine, log, key_path, &e) == DOUDI_OK);
  CHECK(doudi_engine_set_context(engine, "会宁县", "2022-06", &e) == DOUDI_OK);
  d = doudi_decide_json(engine, household_text, household_size, &e);
  CHECK(d && doudi_decision_id(d) && strlen(doudi_decision_id(d)) == 20);
  char first_id[32] = "";
  if (d && doudi_decision_id(d)) snprintf(first_id, sizeof first_id, "%s", doudi_decision_id(d));
  doudi_decision_free(d);
  d = doudi_decide_json(engine, household_text, household_size, &e);
  CHECK(d && doudi_decision_id(d) && strcmp(doudi_decision_id(d), first_id) != 0);
  doudi_decision_free(d);
  CHECK(doudi_decide_json(engine, bad, strlen(bad), &e) == NULL); /* refused, and logged as refused */
  code_of(e);
  /* Typed households are logged alike, refused ones under their JSON form's digest. */
  doudi_household_clear(h);
  CHECK(doudi_household_set_text(h, f_kind, "城市", strlen("城市")) == DOUDI_OK);
  CHECK(doudi_household_set_bool(h, f_assets, 0) == DOUDI_OK);
  CHECK(doudi_household_add_item(h, f_members) == DOUDI_OK);
  CHECK(doudi_household_set_text(h, f_id, "620422197001010011", 18) == DOUDI_OK);
  CHECK(doudi_household_set_int(h, f_age, 30) == DOUDI_OK);
  d = doudi_decide_household(engine, h, &e);
  CHECK(d && doudi_decision_id(d) != NULL);
  doudi_decision_free(d);
  CHECK(doudi_household_set_int(h, f_age, 31) == DOUDI_OK);
  CHECK(doudi_decide_household(engine, h, &e) == NULL);
  CHECK(strcmp(code_of(e), "E2010") == 0);
  doudi_household_free(h);
  CHECK(doudi_log_sync(log, &e) == DOUDI_OK);
  doudi_engine_free(engine);
  CHECK(doudi_log_close(log, &e) == DOUDI_OK);
  size_t log_size = 0;
  char* logged = read_all(log_path, &log_size);
  /* Its id is its line's leaf (docs/cli.md), not written in the line:
   * the test capi_logged_ids finds it with `doudi log list`. */
  CHECK(logged && strstr(logged, first_id) == NULL);
  char id_path[4096];
  snprintf(id_path, sizeof id_path, "%s/capi.ids", argv[3]);
  FILE* id_file = fopen(id_path, "w");
  CHECK(id_file != NULL);
  if (id_file) {
    fprintf(id_file, "%s\n", first_id);
    fclose(id_file);
  }
  CHECK(logged && strstr(logged, "620422197001010011") == NULL); /* the ID number is keyed, not written */
  free(logged);

  /* A log the caller keeps: two engines (two writers, say two database
   * sessions) append in turn, each starting from the head as stored. */
  char kept_path[4096];
  snprintf(kept_path, sizeof kept_path, "%s/capi_kept.log", argv[3]);
  FILE* kept = fopen(kept_path, "w");
  CHECK(kept != NULL);
  snprintf(id_path, sizeof id_path, "%s/capi_kept.ids", argv[3]);
  FILE* kept_ids = fopen(id_path, "w");
  CHECK(kept_ids != NULL);
  static char stored[16][8192];
  size_t stored_count = 0;
  int last_context = -1;
  doudi_engine* writers[2];
  for (int w = 0; w < 2; ++w) {
    writers[w] = doudi_engine_new(rules, "interp", &e);
    CHECK(writers[w] && doudi_engine_set_context(writers[w], "会宁县", w ? "2022-07" : "2022-06", &e) == DOUDI_OK);
    CHECK(doudi_engine_set_log_head(writers[w], NULL, NULL, &e) == DOUDI_MISUSE); /* keep_log first */
    code_of(e);
    CHECK(doudi_engine_keep_log(writers[w], key_path, &e) == DOUDI_OK);
  }
  CHECK(doudi_engine_set_log_head(writers[0], "{\"seq\": 1}", NULL, &e) == DOUDI_REFUSED);
  CHECK(strcmp(code_of(e), "E4003") == 0);
  for (int round = 0; round < 6; ++round) {
    doudi_engine* w = writers[round % 2];
    CHECK(doudi_engine_set_log_head(w, stored_count ? stored[stored_count - 1] : NULL,
                                    last_context >= 0 ? stored[last_context] : NULL, &e) == DOUDI_OK);
    const char* text = round == 3 ? bad : household_text;
    d = doudi_decide_json(w, text, strlen(text), &e);
    CHECK((round == 3) == (d == NULL));
    if (!d) code_of(e);
    for (size_t i = 0; i < doudi_engine_log_line_count(w) && stored_count < 16; ++i) {
      const char* line = doudi_engine_log_line(w, i);
      snprintf(stored[stored_count], sizeof stored[0], "%s", line);
      if (strstr(line, "\"context\":{")) last_context = (int)stored_count;
      fprintf(kept, "%s\n", line);
      ++stored_count;
    }
    /* The decision's line is the last one made; its id is that line's leaf
     * (capi_kept_logged_ids finds each in the kept log). */
    if (d) {
      CHECK(strstr(stored[stored_count - 1], "\"context\":{") == NULL && strlen(doudi_decision_id(d)) == 20);
      if (kept_ids) fprintf(kept_ids, "%s\n", doudi_decision_id(d));
    }
    doudi_decision_free(d);
  }
  CHECK(stored_count == 12); /* each turn changes the month: a context line, then the decision */
  fclose(kept);
  if (kept_ids) fclose(kept_ids);
  /* Logging stopped: no lines are made any more (nor kept anywhere). */
  CHECK(doudi_engine_set_log(writers[0], NULL, NULL, &e) == DOUDI_OK);
  d = doudi_decide_json(writers[0], household_text, household_size, &e);
  CHECK(d && doudi_engine_log_line_count(writers[0]) == 0 && doudi_decision_id(d) == NULL);
  doudi_decision_free(d);
  doudi_engine_free(writers[0]);
  doudi_engine_free(writers[1]);

  /* Four threads, one engine each, sharing one rule set. */
  struct worker workers[4];
  pthread_t threads[4];
  for (int i = 0; i < 4; ++i) {
    workers[i].rules = rules;
    CHECK(pthread_create(&threads[i], NULL, decide_many, &workers[i]) == 0);
  }
  for (int i = 0; i < 4; ++i) {
    pthread_join(threads[i], NULL);
    CHECK(workers[i].benefit == 82800);
  }
  doudi_rules_free(rules);
  doudi_rules_free(NULL);
  doudi_decision_free(NULL);
  doudi_engine_free(NULL);
  doudi_error_free(NULL);
  CHECK(doudi_log_close(NULL, NULL) == DOUDI_OK);

  free(bundle);
  free((char*)household_text);
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("C API: all checks passed\n");
  return 0;
}
