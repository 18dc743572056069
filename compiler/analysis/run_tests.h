// The language's own tests (测试 blocks) as a library call: each file is
// compiled as the root of its program and its tests run in their
// jurisdiction and month, with their parameter overrides. Results are data;
// a failure keeps the trace of the expectation that failed, so a renderer can
// explain it.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "runtime/interp/interpreter.h"
#include "runtime/interp/trace.h"

namespace doudi {

struct TestFailure {
  enum class Kind { Error, Mismatch };
  Kind kind = Kind::Error;
  // What was expected of: an output or definition (function), a flag, or a constraint.
  uint32_t function = UINT32_MAX;
  uint32_t flag = UINT32_MAX;
  uint32_t constraint = UINT32_MAX;
  EvalError error{};       // Kind::Error
  Value expected, actual;  // Kind::Mismatch (constraints: 1 holds, 0 violated)
  TypeId type = 0;
  bool in_force = true;    // constraints: whether it was in force there and then
  std::shared_ptr<const TraceRecorder> trace;
};

struct TestResult {
  std::string title;
  std::string where;  // file:line
  const RecordData* input = nullptr;  // the test's household (in its compilation)
  std::vector<TestFailure> failures;  // empty: passed
};

struct TestFile {
  std::string path;
  std::unique_ptr<Compilation> compilation;  // its diagnostics say why, when it does not compile
  std::vector<TestResult> tests;
};

struct TestReport {
  std::vector<TestFile> files;
  size_t passed = 0, failed = 0;  // a file that does not compile counts as one failure
};

// `import_roots` are searched for imported modules a file's own root lacks.
TestReport run_tests(const std::vector<std::string>& files, const std::vector<std::string>& import_roots = {});
// The same with in-memory buffers over the disk (options.until is ignored:
// tests need the IR).
TestReport run_tests(const std::vector<std::string>& files, CompileOptions options);

}  // namespace doudi
