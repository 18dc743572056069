// A failed 测试 expectation told in words, with the trace of what was
// computed: what `doudi test` prints and the service's /v1/test returns.
#pragma once
#include <string>

#include "compiler/analysis/run_tests.h"
#include "runtime/diag/diagnostic.h"

namespace doudi {

// "✗ file:line: 测试「title」: expected X = 1, actual 2" and the explanation
// of the call that failed, indented; every line ends with a newline.
std::string test_failure_text(const ir::Module& m, const TestResult& t, const TestFailure& f, Lang lang);

}  // namespace doudi
