// A household record (one JSON text, as `run` reads a file and `batch` a
// line) against the Huining deployment's schema: loading, and when it
// loads, deciding and explaining; when it does not, the problems rendered
// with their carets in both languages.
#include <cstdlib>

#include "runtime/record/record_json.h"
#include "runtime/record/record_loader.h"
#include "tests/fuzz/exercise.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace doudi;
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  const fuzz::Deployment& r = fuzz::huining_deployment();
  const LoadedRecord household = load_household(*r.rules, json);
  // The batch's reader, which parses once on demand in place, must accept
  // exactly what the strict loader accepts, with the same record.
  static RecordReader reader(r.rules->module());
  std::string padded(json);
  padded.append(64, ' ');
  const LoadedRecord& fast = reader.load(std::string_view(padded).substr(0, size), padded.size());
  if (fast.ok() != household.ok() ||
      (fast.ok() && record_to_json(r.rules->module(), fast.data, nullptr) !=
                        record_to_json(r.rules->module(), household.data, nullptr)))
    std::abort();
  if (!household.ok()) {
    for (Lang lang : {Lang::Zh, Lang::En})
      (void)render_record_problems(household.problems, "fuzz.json", json, RenderOptions{lang});
    return 0;
  }
  fuzz::decide_and_explain(r.rules, r.context, household.data);
  return 0;
}
