// Every diagnostic code must appear in some golden expectation, so each one
// has been seen, rendered in full, at least once.
#include <doctest/doctest.h>

#include <set>

#include "runtime/diag/diagnostic.h"
#include "tests/golden/golden.h"

TEST_CASE("every diagnostic code has a golden test") {
  const auto cases = doudi::golden::load_cases(DOUDI_SOURCE_DIR);
  std::string all;
  for (const auto& c : cases) all += c.expected;
  std::vector<std::string> missing;
  for (auto code : doudi::all_diag_codes()) {
    const std::string name = doudi::diag_info(code).code;
    // Rendered as text ([E0101]) or as JSON (`--diagnostics json`, the
    // service's error bodies: "code":"E6001").
    if (all.find("[" + name + "]") == std::string::npos && all.find("\"code\":\"" + name + "\"") == std::string::npos)
      missing.push_back(name);
  }
  std::string list;
  for (const auto& m : missing) list += m + " ";
  INFO("codes without a golden test: ", list);
  CHECK(missing.empty());
}
