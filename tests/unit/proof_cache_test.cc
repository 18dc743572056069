// The proof cache: a rule's key changes exactly when something it reads
// changes; a second `check` answers from the cache with the same findings;
// damaged entries are misses; parallel proofs find what serial ones find.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/driver/pipeline.h"
#include "compiler/analysis/proof_cache.h"
#include "compiler/analysis/rule_proofs.h"
#include "runtime/source/read_file.h"
#include "tools/cli/cli.h"

namespace fs = std::filesystem;

namespace {

// A rule 补助 reading 标准 through 收入低; 其他标准 is read by no rule.
std::string policy(const std::string& standard, const std::string& other, const std::string& extra = "") {
  return "语言 中文\n模块 缓存.示例\n"
         "结构 人 { 年龄 : 整数 }\n"
         "结构 户 { 成员 : 列表<人>, 收入 : 元/月 }\n"
         "输入 户 : 户\n"
         "参数 标准 : 元/月 【示例】\n"
         "参数 其他标准 : 元/月 【示例】\n"
         "辖区 国家 {\n  标准 = " + standard + " 元/月 【示例】\n  其他标准 = " + other + " 元/月 【示例】\n}\n" + extra +
         "定义 收入低 : 布尔 = 户.收入 < 标准 【示例】\n"
         "规则 补助 : 整数\n"
         "  默认 = 0 【示例】\n"
         "  例外 老人 当 收入低 且 (存在 m 属于 户.成员 : m.年龄 ≥ 60) 则 2 【示例】\n"
         "  例外 儿童 当 收入低 且 (存在 m 属于 户.成员 : m.年龄 < 18) 则 1 【示例】\n";
}

struct Keyed {
  std::unique_ptr<doudi::Compilation> comp;
  uint32_t rule = UINT32_MAX;
};

Keyed compile_text(const std::string& text) {
  static int n = 0;
  const fs::path file = fs::temp_directory_path() / ("doudi_cache_policy_" + std::to_string(n++) + ".doudi");
  std::ofstream(file) << text;
  Keyed k{doudi::compile({file.string()}, doudi::Stage::Lower), UINT32_MAX};
  REQUIRE(k.comp->ok());
  for (uint32_t f = 0; f < k.comp->program->functions.size(); ++f)
    if (k.comp->program->functions[f].name == "补助") k.rule = f;
  REQUIRE(k.rule != UINT32_MAX);
  return k;
}

std::string key_of(const std::string& text, int members = 6) {
  const auto k = compile_text(text);
  return doudi::rule_proof_key(*k.comp->program, *k.comp->module, k.rule, members);
}

// The entries' key in a temporary file, not the user's configuration.
const bool kKeyInTemp = [] {
  const fs::path key = fs::temp_directory_path() / "doudi_proof_cache_test.key";
  fs::remove(key);
  return setenv("DOUDI_CACHE_KEY", key.c_str(), 1) == 0;
}();

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string check(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--lang", "en", "--color", "never", "check"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::ostringstream out, err;
  doudi::run_cli(args, out, err);
  return err.str() + out.str();
}

}  // namespace

TEST_CASE("a rule's proof key changes exactly when something it reads changes") {
  const std::string base = key_of(policy("600", "700"));
  REQUIRE(base.size() == 64);
  CHECK(key_of(policy("600", "700")) == base);
  CHECK(key_of(policy("601", "700")) != base);  // a value it reads
  CHECK(key_of(policy("600", "900")) == base);  // a value it does not read
  CHECK(key_of(policy("600", "700"), 5) != base);  // another household bound
  // A declaration added before it moves every index, not the rule's meaning.
  CHECK(key_of(policy("600", "700", "定义 无关 : 整数 = 1 【示例】\n")) == base);
  // Reformatted: a comment and blank lines.
  std::string spaced = policy("600", "700");
  spaced.insert(spaced.find("规则 补助"), "# 说明\n\n");
  CHECK(key_of(spaced) == base);
  // The rule's own text, and precedence.
  std::string edited = policy("600", "700");
  edited.replace(edited.find("m.年龄 ≥ 60"), std::string("m.年龄 ≥ 60").size(), "m.年龄 ≥ 65");
  CHECK(key_of(edited) != base);
  std::string ordered = policy("600", "700");
  ordered.replace(ordered.find("例外 老人 当"), std::string("例外 老人 当").size(), "例外 老人 优先于 儿童 当");
  CHECK(key_of(ordered) != base);
  // Each property of the schema the encoding reads: a sign (可为负 widens
  // an amount's range below zero), a default, a required field.
  auto schema = [&](const std::string& from, const std::string& to) {
    std::string text = policy("600", "700");
    text.replace(text.find(from), from.size(), to);
    return key_of(text);
  };
  CHECK(schema("收入 : 元/月 }", "收入 : 元/月 可为负 }") != base);
  CHECK(schema("年龄 : 整数 }", "年龄 : 整数 = 30 }") != base);
  CHECK(schema("年龄 : 整数 }", "年龄 : 整数 可为负 }") != base);
  // An enum's values, and the solver: another Z3 never reuses an answer.
  CHECK(key_of(policy("600", "700", "枚举 档 { 甲, 乙 }\n")) != key_of(policy("600", "700", "枚举 档 { 甲, 乙, 丙 }\n")));
  const std::string header = doudi::proof_key_header(6);
  const size_t z3 = header.find("\nz3 ");
  REQUIRE(z3 != std::string::npos);
  CHECK(header[z3 + 4] != '\n');  // the solver's version is part of every key
}

TEST_CASE("the sign flip: a rule proved over amounts ≥ 0 is proved again when the field becomes 可为负") {
  fs::current_path(DOUDI_SOURCE_DIR);
  const fs::path dir = fresh_dir("doudi_cache_sign_test");
  std::string text;
  REQUIRE(doudi::read_source_file("tests/check/ok_negative_not_allowed.doudi", text));
  const fs::path file = dir / "rule.doudi";
  std::ofstream(file) << text;
  const std::string first = check({"--cache-dir", (dir / "cache").string(), file.string()});
  CHECK(first.find("error[E5002]") == std::string::npos);
  CHECK(check({"--cache-dir", (dir / "cache").string(), file.string()}).find("answered from the proof cache") !=
        std::string::npos);
  text.replace(text.find("经营净收入 : 元/月 }"), std::string("经营净收入 : 元/月 }").size(), "经营净收入 : 元/月 可为负 }");
  std::ofstream(file, std::ios::trunc) << text;
  const std::string flipped = check({"--cache-dir", (dir / "cache").string(), file.string()});
  CHECK(flipped.find("error[E5002]") != std::string::npos);
  CHECK(flipped.find("answered from the proof cache") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("an entry edited to say proved, or written with another key, is a miss: the failing check stays failing") {
  fs::current_path(DOUDI_SOURCE_DIR);
  const fs::path dir = fresh_dir("doudi_cache_forged_test");
  const std::string file = "tests/check/fail_conflict_needs_negative.doudi";
  const std::string first = check({"--cache-dir", dir.string(), file});
  REQUIRE(first.find("error[E5002]") != std::string::npos);
  size_t forged = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string entry;
    REQUIRE(doudi::read_source_file(e.path().string(), entry));
    // What an attacker would write: no conflicts, proved, and the MAC line kept.
    const size_t conflicts = entry.find("\"conflicts\":[");
    REQUIRE(conflicts != std::string::npos);
    entry.replace(conflicts, entry.find("],\"not_encoded\"") - conflicts + 1, "\"conflicts\":[]");
    const size_t proved = entry.find("\"proved\":false");
    if (proved != std::string::npos) entry.replace(proved, std::string("\"proved\":false").size(), "\"proved\":true");
    std::ofstream(e.path(), std::ios::trunc) << entry;
    ++forged;
  }
  REQUIRE(forged == 1);
  const std::string again = check({"--cache-dir", dir.string(), file});
  CHECK(again.find("error[E5002]") != std::string::npos);
  CHECK(again.find("answered from the proof cache") == std::string::npos);
  // Another user's key (a cache restored from elsewhere): every entry a miss.
  const fs::path other_key = fs::temp_directory_path() / "doudi_proof_cache_other.key";
  std::ofstream(other_key, std::ios::trunc) << "0123456789abcdef0123456789abcdef0123456789abcdef";
  const std::string key = std::getenv("DOUDI_CACHE_KEY");
  setenv("DOUDI_CACHE_KEY", other_key.c_str(), 1);
  CHECK(check({"--cache-dir", dir.string(), file}).find("answered from the proof cache") == std::string::npos);
  setenv("DOUDI_CACHE_KEY", key.c_str(), 1);
  fs::remove_all(dir);
}

TEST_CASE("a second check answers from the cache with the same findings") {
  fs::current_path(DOUDI_SOURCE_DIR);
  const fs::path dir = fresh_dir("doudi_cache_test");
  const std::string file = "tests/check/fail_jilin_phaseout_no_precedence.doudi";
  const std::string first = check({"--cache-dir", dir.string(), "-I", "stdlib-policies", file});
  CHECK(first.find("answered from the proof cache") == std::string::npos);
  CHECK(first.find("error[E5002]") != std::string::npos);
  const std::string second = check({"--cache-dir", dir.string(), "-I", "stdlib-policies", file});
  const std::string note = "13 of 13 rule(s) answered from the proof cache in " + dir.string();
  REQUIRE(second.find(note) != std::string::npos);
  // The same text but for the line that says where the answers came from.
  std::string without = second;
  const size_t at = without.find(note);
  without.erase(at, without.find('\n', at) + 1 - at);
  CHECK(without == first);
  CHECK(check({"--no-cache", "-I", "stdlib-policies", file}) == first);

  // Every entry damaged: each is a miss, proved again, and rewritten.
  size_t entries = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) {
      std::ofstream(e.path(), std::ios::trunc) << "{\"format\":\"doudi-proof-cache/1\",\"key\":\"";
      ++entries;
    }
  CHECK(entries == 13);
  CHECK(check({"--cache-dir", dir.string(), "-I", "stdlib-policies", file}) == first);
  CHECK(check({"--cache-dir", dir.string(), "-I", "stdlib-policies", file}).find(note) != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a second diff answers from the cache with the same report") {
  fs::current_path(DOUDI_SOURCE_DIR);
  const fs::path dir = fresh_dir("doudi_diff_cache_test");
  auto diff = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> args{"--lang", "en", "diff", "tests/diff/old.doudi", "tests/diff/new.doudi"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::ostringstream out, err;
    doudi::run_cli(args, out, err);
    return out.str() + err.str();
  };
  const std::string first = diff({"--cache-dir", dir.string()});
  CHECK(first.find("differs") != std::string::npos);
  CHECK(first.find("answered from the proof cache") == std::string::npos);
  const std::string second = diff({"--cache-dir", dir.string()});
  const std::string note = "3 of 3 output(s) answered from the proof cache in " + dir.string();
  REQUIRE(second.find(note) != std::string::npos);
  std::string without = second;
  const size_t at = without.find(note);
  without.erase(at, without.find('\n', at) + 1 - at);
  CHECK(without == first);  // stored differences shown with the outcomes run again
  CHECK(diff({"--no-cache"}) == first);
  fs::remove_all(dir);
}

TEST_CASE("entries unused for 30 days are pruned; entries in use are kept") {
  fs::current_path(DOUDI_SOURCE_DIR);
  const fs::path dir = fresh_dir("doudi_cache_prune_test");
  const std::string file = "tests/check/warn_exception_never_decides.doudi";
  check({"--cache-dir", dir.string(), file});
  std::vector<fs::path> entries;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) entries.push_back(e.path());
  REQUIRE(entries.size() == 1);
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(24 * 40);
  fs::last_write_time(entries[0], old);  // in use: this check reads it
  const fs::path stale = dir / "proofs" / "zz" / "unused.json";
  const fs::path torn = dir / "proofs" / "zz" / ".unused.json.123.tmp";
  const fs::path recent = dir / "proofs" / "zz" / "recent.json";
  fs::create_directories(stale.parent_path());
  for (const auto& f : {stale, torn, recent}) std::ofstream(f) << "{}";
  fs::last_write_time(stale, old);
  fs::last_write_time(torn, old);
  CHECK(check({"--cache-dir", dir.string(), file}).find("1 of 1 rule(s) answered from the proof cache") != std::string::npos);
  CHECK(fs::exists(entries[0]));
  CHECK(fs::last_write_time(entries[0]) > old + std::chrono::hours(24));
  CHECK(!fs::exists(stale));
  CHECK(!fs::exists(torn));
  CHECK(fs::exists(recent));
  fs::remove_all(dir);
}

TEST_CASE("proofs on several threads find what one thread finds") {
  fs::current_path(DOUDI_SOURCE_DIR);
  const std::string serial = check({"--no-cache", "--jobs", "1", "-I", "stdlib-policies", "tests/check"});
  CHECK(serial.find("error[E5002]") != std::string::npos);
  CHECK(serial.find("error[E5003]") != std::string::npos);
  CHECK(check({"--no-cache", "--jobs", "4", "-I", "stdlib-policies", "tests/check"}) == serial);
}
