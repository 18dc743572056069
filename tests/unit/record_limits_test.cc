// Records an attacker (or a broken export) could send: nesting that would
// drive recursion, thousands of unknown keys, a key given twice, terminal
// escapes; a file with thousands of errors. Each is a bounded, clear refusal.
#include <doctest/doctest.h>

#include <string>

#include "runtime/record/record_loader.h"

using namespace doudi;

namespace {

ir::Module schema() {
  ir::Module m;
  m.structs.push_back(ir::Struct{"户", {ir::Field{"收入", TypeTable::kInt, false, false, std::nullopt, false}}});
  m.input_type = m.types.struct_type(0);
  return m;
}

size_t count(const LoadedRecord& r, DiagCode code) {
  size_t n = 0;
  for (const auto& p : r.problems) n += p.code == code;
  return n;
}

}  // namespace

TEST_CASE("a record nested 200,000 deep is one syntax error, found without recursion") {
  const ir::Module m = schema();
  const std::string deep = R"({"收入": )" + std::string(200000, '[') + std::string(200000, ']') + "}";
  const LoadedRecord r = load_record_json(m, deep);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].code == DiagCode::E2001);
  CHECK(r.problems[0].offset == std::string(R"({"收入": )").size() + 63);  // the 65th level opens here
}

TEST_CASE("20,000 unknown keys: the first problems and one E0011, rendered in bounded space") {
  const ir::Module m = schema();
  std::string json = R"({"收入": 1)";
  for (int i = 0; i < 20000; ++i) json += ", \"k" + std::to_string(i) + "\": " + std::to_string(i);
  json += "}";
  const LoadedRecord r = load_record_json(m, json);
  CHECK(count(r, DiagCode::E2004) == 50);
  CHECK(count(r, DiagCode::E0011) == 1);
  const std::string shown = render_record_problems(r.problems, "r.json", json, RenderOptions{Lang::En});
  CHECK(shown.size() < 50 * 1024);  // 51 windows of one line, not 51 copies of a 300 KB line
}

TEST_CASE("a key given twice is an error, not the last one silently") {
  const ir::Module m = schema();
  const LoadedRecord r = load_record_json(m, R"({"收入": 100000, "收入": 0})");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].code == DiagCode::E2010);
}

TEST_CASE("terminal escapes in a record are shown as visible characters") {
  const ir::Module m = schema();
  const std::string json = "{\"收\x1b[2J\x07入\": 1}";
  const LoadedRecord r = load_record_json(m, json);
  REQUIRE(!r.problems.empty());
  const std::string shown = render_record_problems(r.problems, "r.json", json, RenderOptions{Lang::En});
  CHECK(shown.find('\x1b') == std::string::npos);
  CHECK(shown.find('\x07') == std::string::npos);
  CHECK(shown.find("\xE2\x90\x9B") != std::string::npos);  // ␛
}

TEST_CASE("a compilation keeps at most DiagSink::kMaxKept diagnostics, then one E0011") {
  DiagSink sink;
  for (int i = 0; i < 10000; ++i) sink.report(DiagCode::E0101, Span{}, {"x"}).notes.push_back(make_note(DiagCode::N0402, Span{}, {"y"}));
  CHECK(sink.all().size() == DiagSink::kMaxKept + 1);
  CHECK(sink.all().back().code == DiagCode::E0011);
  CHECK(sink.error_count() == 10001);
}
