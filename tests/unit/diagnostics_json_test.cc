// --diagnostics json: every line is one JSON object with the fields the
// documentation promises, and check's summary counts what the lines say.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tools/cli/cli.h"

namespace fs = std::filesystem;

namespace {

struct Counted {
  size_t lines = 0, errors = 0, warnings = 0, with_place = 0, households = 0;
  int64_t summary_errors = -1, summary_warnings = -1;
};

Counted parse_lines(const std::string& text) {
  Counted n;
  simdjson::dom::parser parser;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    INFO(line);
    ++n.lines;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(line).get(doc) == simdjson::SUCCESS);
    simdjson::dom::object summary;
    if (doc["summary"].get(summary) == simdjson::SUCCESS) {
      REQUIRE(summary["errors"].get(n.summary_errors) == simdjson::SUCCESS);
      REQUIRE(summary["warnings"].get(n.summary_warnings) == simdjson::SUCCESS);
      continue;
    }
    std::string_view code, severity, zh, en;
    REQUIRE(doc["code"].get(code) == simdjson::SUCCESS);
    REQUIRE(doc["severity"].get(severity) == simdjson::SUCCESS);
    REQUIRE(doc["message"]["zh"].get(zh) == simdjson::SUCCESS);
    REQUIRE(doc["message"]["en"].get(en) == simdjson::SUCCESS);
    CHECK(!zh.empty());
    CHECK(!en.empty());
    n.errors += severity == "error";
    n.warnings += severity == "warning";
    std::string_view file;
    if (doc["file"].get(file) == simdjson::SUCCESS) {
      int64_t line_no = 0, column = 0;
      CHECK(doc["line"].get(line_no) == simdjson::SUCCESS);
      CHECK(doc["column"].get(column) == simdjson::SUCCESS);
      CHECK(line_no >= 1);
      CHECK(column >= 1);
      ++n.with_place;
    }
    simdjson::dom::array notes;
    REQUIRE(doc["notes"].get(notes) == simdjson::SUCCESS);
    for (auto note : notes) {
      simdjson::dom::object household;
      if (note["data"]["household"].get(household) == simdjson::SUCCESS) ++n.households;
    }
  }
  return n;
}

std::string run(const std::vector<std::string>& args, int& rc) {
  std::ostringstream out, err;
  rc = doudi::run_cli(args, out, err);
  return err.str();
}

}  // namespace

TEST_CASE("check --diagnostics json: one object per line, counted by the summary") {
  fs::current_path(DOUDI_SOURCE_DIR);
  int rc = 0;
  const std::string text = run({"--diagnostics", "json", "check", "--no-cache", "-I", "stdlib-policies", "tests/check"}, rc);
  CHECK(rc == 1);
  const Counted n = parse_lines(text);
  CHECK(n.errors > 0);
  CHECK(n.warnings > 0);
  CHECK(n.summary_errors == static_cast<int64_t>(n.errors));
  CHECK(n.summary_warnings == static_cast<int64_t>(n.warnings));
  CHECK(n.with_place == n.errors + n.warnings);
  CHECK(n.households >= 2);  // the conflict and gap examples, as records
}

TEST_CASE("run --diagnostics json: a broken record and a broken rule file give JSON lines") {
  fs::current_path(DOUDI_SOURCE_DIR);
  const fs::path record = fs::temp_directory_path() / "doudi_json_diag_record.json";
  std::ofstream(record) << "{\"户籍\": \"城市\",";
  int rc = 0;
  Counted n = parse_lines(run({"--diagnostics", "json", "run", "stdlib-policies/huining/urban_dibao.doudi", "-j", "会宁县",
                               "-m", "2022-06", record.string()},
                              rc));
  CHECK(rc != 0);
  CHECK(n.errors >= 1);
  const fs::path rules = fs::temp_directory_path() / "doudi_json_diag_rules.doudi";
  std::ofstream(rules) << "语言 中文\n模块 坏.例子\n规则 x : 整数\n  默认 = 未知名字 【示例】\n";
  n = parse_lines(run({"--diagnostics", "json", "check", "--no-cache", rules.string()}, rc));
  CHECK(rc == 1);
  CHECK(n.errors >= 1);
  CHECK(n.summary_errors == static_cast<int64_t>(n.errors));
}
