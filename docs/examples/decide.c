/* Deciding a household from C with libdoudi (docs/embedding.md).
 *
 *   cc decide.c $(pkg-config --cflags --libs doudi) -o decide
 *   ./decide huining.bundle 会宁县 2022-06 household.json
 *
 * Prints each output, the raised flags, then the whole decision as JSON; a
 * refused household or context prints every problem with its code. */
#include <doudi/doudi.h>
#include <stdio.h>
#include <stdlib.h>

static char* read_all(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  char* text = NULL;
  size_t used = 0, capacity = 0, n;
  char chunk[4096];
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (used + n + 1 > capacity) {
      capacity = 2 * (used + n + 1);
      char* grown = realloc(text, capacity);
      if (!grown) break;
      text = grown;
    }
    for (size_t i = 0; i < n; ++i) text[used + i] = chunk[i];
    used += n;
  }
  fclose(f);
  if (text) text[used] = '\0';
  *size = used;
  return text;
}

static int fail(doudi_error* error) {
  for (size_t i = 0; i < doudi_error_count(error); ++i)
    fprintf(stderr, "[%s] %s\n", doudi_error_code(error, i), doudi_error_message(error, i, DOUDI_ZH));
  doudi_error_free(error);
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: decide BUNDLE JURISDICTION YYYY-MM HOUSEHOLD.json\n");
    return 2;
  }
  doudi_error* error = NULL;
  doudi_rules* rules = doudi_rules_open(argv[1], &error);
  if (!rules) return fail(error);
  doudi_engine* engine = doudi_engine_new(rules, NULL, &error);
  if (!engine) return fail(error);
  doudi_rules_free(rules); /* the engine keeps what it needs */
  if (doudi_engine_set_context(engine, argv[2], argv[3], &error) != DOUDI_OK) return fail(error);

  size_t size = 0;
  char* household = read_all(argv[4], &size);
  if (!household) {
    fprintf(stderr, "cannot read %s\n", argv[4]);
    return 1;
  }
  doudi_decision* d = doudi_decide_json(engine, household, size, &error);
  free(household);
  if (!d) return fail(error);
  if (doudi_decision_ok(d)) {
    for (size_t i = 0; i < doudi_decision_output_count(d); ++i)
      printf("%s = %s\n", doudi_decision_output_name(d, i), doudi_decision_output_json(d, i));
    for (size_t i = 0; i < doudi_decision_flag_count(d); ++i) printf("flag %s\n", doudi_decision_flag_name(d, i));
  } else {
    const doudi_error* why = doudi_decision_error(d);
    printf("error result [%s] %s\n", doudi_error_code(why, 0), doudi_error_message(why, 0, DOUDI_ZH));
  }
  printf("%s\n", doudi_decision_json(d, DOUDI_ZH));
  doudi_decision_free(d);
  doudi_engine_free(engine);
  return 0;
}
