// Rule bundles: the digest identifies the rules, not the files.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "compiler/driver/pipeline.h"
#include "compiler/fmt/formatter.h"
#include "compiler/parse/parser.h"
#include "compiler/load/module_loader.h"
#include "runtime/bundle/bundle.h"
#include "runtime/interp/interpreter.h"
#include "runtime/record/record_loader.h"
#include "runtime/value/calendar.h"

using namespace doudi;
namespace fs = std::filesystem;

namespace {

const fs::path kStdlib = DOUDI_SOURCE_DIR "/stdlib-policies";
const char* kModule = "huining/urban_dibao.doudi";
// The policy with a county's (example) values: what decides in 会宁县.
const fs::path kDeployment = DOUDI_SOURCE_DIR "/examples/huining/deployment.doudi";

std::string read(const fs::path& p) {
  std::string s;
  REQUIRE(read_source_file(p.string(), s));
  return s;
}

// Copies the stdlib to `dst`, passing every file through `edit`.
void copy_stdlib(const fs::path& dst, const std::function<std::string(const fs::path&, std::string)>& edit) {
  fs::remove_all(dst);
  for (auto& e : fs::recursive_directory_iterator(kStdlib)) {
    if (!e.is_regular_file()) continue;
    const fs::path out = dst / fs::relative(e.path(), kStdlib);
    fs::create_directories(out.parent_path());
    std::ofstream(out, std::ios::binary) << edit(e.path(), read(e.path()));
  }
}

std::string digest_of(const fs::path& root) {
  auto comp = compile({(root / kModule).string()}, Stage::Lower);
  std::string errors;
  for (const auto& d : comp->diags.all()) errors += render(d, comp->sources, {Lang::En, false});
  INFO(errors);
  REQUIRE(comp->ok());
  return module_digest(*comp->module);
}

std::string to_english(const fs::path& p, std::string text) {
  if (p.extension() != ".doudi") return text;
  SourceManager sm;
  DiagSink diags;
  auto file = parse_file(sm, sm.add(p.string(), text), diags);
  REQUIRE(file.has_value());
  return format_file(*file, sm, Dialect::En);
}

std::string replace_once(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a bundle's digest survives moving and reformatting, and changes with any change") {
  const fs::path tmp = fs::temp_directory_path() / "doudi_bundle_test";
  const std::string original = digest_of(kStdlib);

  copy_stdlib(tmp / "moved", [](const fs::path&, std::string s) { return s; });
  CHECK(digest_of(tmp / "moved") == original);

  copy_stdlib(tmp / "english", to_english);
  CHECK(digest_of(tmp / "english") == original);

  copy_stdlib(tmp / "value", [](const fs::path& p, std::string s) {
    return p.filename() == "urban_dibao.doudi" ? replace_once(s, "比例 = 20%", "比例 = 21%") : s;
  });
  CHECK(digest_of(tmp / "value") != original);

  copy_stdlib(tmp / "rule", [](const fs::path& p, std::string s) {
    return p.filename() == "urban_dibao.doudi" ? replace_once(s, "人均收入 ≤ 1.5 × 城市低保标准", "人均收入 < 1.5 × 城市低保标准") : s;
  });
  CHECK(digest_of(tmp / "rule") != original);

  copy_stdlib(tmp / "citation", [](const fs::path& p, std::string s) {
    return p.filename() == "urban_dibao.doudi" ? replace_once(s, "【会民发〔2022〕63号 一(三)】", "【会民发〔2022〕63号 一(四)】") : s;
  });
  CHECK(digest_of(tmp / "citation") != original);
}

TEST_CASE("a bundle reads back to the same rules and decides the same way") {
  auto comp = compile({kDeployment.string()}, Stage::Lower, {kStdlib.string()});
  REQUIRE(comp->ok());
  const ir::Module& m = *comp->module;
  const std::string text = write_bundle(m);
  std::string digest, error;
  auto back = read_bundle(text, digest, error);
  INFO(error);
  REQUIRE(back.has_value());
  CHECK(digest == module_digest(m));
  CHECK(canonical_module_text(*back) == canonical_module_text(m));

  for (const char* household : {"edge_disabled.json", "low_income.json"}) {
    const std::string json = read(kStdlib / "huining/households" / household);
    auto r1 = load_record_json(m, json);
    auto r2 = load_record_json(*back, json);
    REQUIRE(r1.ok());
    REQUIRE(r2.ok());
    Interpreter i1(m), i2(*back);
    i1.set_context(m.find_jurisdiction("会宁县"), *parse_year_month("2022-06"));
    i2.set_context(back->find_jurisdiction("会宁县"), *parse_year_month("2022-06"));
    const Decision d1 = i1.decide(r1.data), d2 = i2.decide(r2.data);
    REQUIRE_FALSE(d1.error);
    REQUIRE_FALSE(d2.error);
    CHECK(d1.outputs == d2.outputs);
    CHECK(d1.flags == d2.flags);
  }
}

TEST_CASE("an altered bundle is refused") {
  auto comp = compile({kDeployment.string()}, Stage::Lower, {kStdlib.string()});
  REQUIRE(comp->ok());
  std::string text = write_bundle(*comp->module);
  // 690 元/月 is 69000 分 in the bundle.
  const auto at = text.find("[69000,0]");
  REQUIRE(at != std::string::npos);
  text.replace(at, 9, "[69100,0]");
  std::string digest, error;
  CHECK_FALSE(read_bundle(text, digest, error).has_value());
  CHECK(error.find("digest") != std::string::npos);
  CHECK_FALSE(read_bundle("{\"format\":\"doudi-bundle/1\"", digest, error).has_value());
}
