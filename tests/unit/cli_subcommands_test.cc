// `doudi` adds only the subcommand its command line names with its options
// (tools/cli/cli.cc, Wanted); the others by name and summary. Help lists
// every command, and a command named after global options (with their
// values, or as --opt=value) still gets all of its own. A wrong word is
// named with the one meant, and every error CLI11 finds is a diagnostic with
// a code; `bundle -o -` writes to standard output.
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "doudi/engine.h"
#include "tools/cli/cli.h"

namespace {

struct Ran {
  int rc;
  std::string out, err;
};

Ran cli(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int rc = doudi::run_cli(args, out, err);
  return {rc, out.str(), err.str()};
}

}  // namespace

TEST_CASE("doudi --help lists every command") {
  const Ran r = cli({"--help"});
  CHECK(r.rc == 0);
  for (const char* name : {"check", "diff", "run", "test", "fmt", "lsp", "cites", "batch", "verify-log", "keygen", "log",
                           "replay", "explain", "notice", "bundle", "ir", "serve"}) {
    INFO(name);
    CHECK(r.out.find(std::string("\n  ") + name + " ") != std::string::npos);
  }
}

TEST_CASE("a command named after global options gets its own options") {
  const Ran run = cli({"--lang", "en", "--color", "never", "run", "--help"});
  CHECK(run.rc == 0);
  CHECK(run.out.find("--jurisdiction") != std::string::npos);
  CHECK(run.out.find("--why-not") != std::string::npos);
  const Ran keygen = cli({"--lang=en", "keygen", "--help"});
  CHECK(keygen.out.find("--output") != std::string::npos);
  const Ran prove = cli({"--diagnostics", "json", "log", "prove", "--help"});
  CHECK(prove.out.find("--since") != std::string::npos);
  // Options still parse: a missing required one is named.
  const Ran missing = cli({"--lang", "en", "batch", "rules.doudi", "records.jsonl"});
  CHECK(missing.rc == 2);
  CHECK(missing.err.find("--jurisdiction") != std::string::npos);
}

TEST_CASE("an unknown command is named, with the command meant") {
  const Ran r = cli({"--lang", "en", "bach", "x"});
  CHECK(r.rc == 2);
  CHECK(r.err.find("error[E3014]: `doudi` has no command `bach`") != std::string::npos);
  CHECK(r.err.find("note[N0402]: did you mean `batch`?") != std::string::npos);
  CHECK(cli({"verify", "x.log"}).err.find("是否想写 `verify-log`？") != std::string::npos);  // Chinese by default
  CHECK(cli({"rnu", "x"}).err.find("`run`") != std::string::npos);  // two letters swapped: one edit
  // A global option's bad value is that option's error, not a command's.
  const Ran bad_value = cli({"--lang", "run", "a.doudi", "r.json"});
  CHECK(bad_value.rc == 2);
  CHECK(bad_value.err.find("错误[E3016]：`--lang` 不接受 `run` 这个值") != std::string::npos);
  CHECK(bad_value.err.find("`--lang` 的取值：zh、en 之一") != std::string::npos);
  CHECK(bad_value.err.find("E3014") == std::string::npos);
  const Ran none = cli({"--lang", "en"});
  CHECK(none.rc == 2);
  CHECK(none.err.find("error[E3015]: `doudi` needs one of its commands: check, diff, run,") != std::string::npos);
}

TEST_CASE("an unknown option or subcommand is named, with the one meant") {
  // CLI11 alone says "--log is required": the misspelt option is never named.
  const Ran lgo = cli({"--lang", "en", "batch", "m.doudi", "r.jsonl", "-j", "a", "-m", "2022-06", "--lgo", "x.log"});
  CHECK(lgo.rc == 2);
  CHECK(lgo.err.find("error[E3013]: `doudi batch` has no option `--lgo`") != std::string::npos);
  CHECK(lgo.err.find("did you mean `--log`?") != std::string::npos);
  CHECK(lgo.err.find("note[N0426]: `doudi batch --help` shows its usage") != std::string::npos);
  // A global option after the command is known, and `--name=value` is one
  // word.
  const Ran thread = cli({"batch", "m.doudi", "r.jsonl", "-j", "a", "-m", "2022-06", "--lang=en", "--log", "x", "--thread", "2"});
  CHECK(thread.rc == 2);
  CHECK(thread.err.find("no option `--thread`") != std::string::npos);
  CHECK(thread.err.find("did you mean `--threads`?") != std::string::npos);
  CHECK(cli({"run", "m.doudi", "r.json", "--explian"}).err.find("是否想写 `--explain`？") != std::string::npos);
  // Under a command with commands of its own.
  const Ran sub = cli({"log", "chekpoint", "x.log"});
  CHECK(sub.rc == 2);
  CHECK(sub.err.find("错误[E3014]：`doudi log` 没有 `chekpoint` 这个命令") != std::string::npos);
  CHECK(sub.err.find("是否想写 `checkpoint`？") != std::string::npos);
  CHECK(sub.err.find("用 `doudi log --help` 查看用法") != std::string::npos);
  const Ran none = cli({"log"});
  CHECK(none.rc == 2);
  CHECK(none.err.find("`doudi log` 需要给出它的一个命令：checkpoint、prove、list、find、check-proof") != std::string::npos);
  // A short option's value attached (-Ipolicies, -m2022-06) is no unknown
  // option: the missing --log is what is wrong.
  const Ran attached = cli({"--lang", "en", "batch", "m.doudi", "-Ipolicies", "r.jsonl", "-j", "a", "-m2022-06"});
  CHECK(attached.err.find("error[E3012]: `doudi batch` needs `--log`, which is not given") != std::string::npos);
  CHECK(attached.err.find("E3013") == std::string::npos);
  // Nothing unknown: what CLI11 found, in the same words as every diagnostic.
  const Ran missing = cli({"--lang", "en", "batch", "m.doudi", "r.jsonl", "-m", "2022-06", "--log", "x"});
  CHECK(missing.err.find("`doudi batch` needs `--jurisdiction`, which is not given") != std::string::npos);
  CHECK(missing.err.find("E3013") == std::string::npos);
}

TEST_CASE("a command line CLI11 refuses is a diagnostic with a code, in the language asked for") {
  // Every kind CLI11 reports, in its own words only in English, has a code
  // and both languages; each points to the command's --help.
  const Ran range = cli({"--lang", "en", "check", "--jobs", "0", "x.doudi"});
  CHECK(range.rc == 2);
  CHECK(range.err.find("error[E3016]: `--jobs` does not take `0`") != std::string::npos);
  CHECK(range.err.find("note[N0425]: `--jobs` takes a whole number from 1 to 256") != std::string::npos);
  CHECK(range.err.find("note[N0426]: `doudi check --help` shows its usage") != std::string::npos);
  const Ran bare = cli({"batch", "a", "b", "-j"});
  CHECK(bare.err.find("错误[E3017]：`--jurisdiction` 后面需要一个值") != std::string::npos);
  CHECK(cli({"--lang", "en", "diff", "a.doudi", "b.doudi", "--between", "x"}).err.find("error[E3017]: `--between` needs 2 values after it") !=
        std::string::npos);
  const Ran both = cli({"--lang", "en", "check", "--no-cache", "--cache-dir", "d", "x.doudi"});
  CHECK(both.err.find("error[E3018]: `--no-cache` cannot be given with `--cache-dir`") != std::string::npos);
  const Ran needs = cli({"--lang=en", "diff", "a.doudi", "b.doudi", "-j", "x"});
  CHECK(needs.err.find("error[E0020]: `--jurisdiction` needs `--data`") != std::string::npos);
  const Ran extra = cli({"--lang", "en", "ir", "a.doudi", "b.doudi"});
  CHECK(extra.err.find("error[E3019]: `doudi ir` takes no more arguments: `b.doudi`") != std::string::npos);
  // In the order given (CLI11 lists them backwards), a word with a space one word.
  CHECK(cli({"--lang", "en", "ir", "a.doudi", "b", "c d"}).err.find("takes no more arguments: `b` `c d`") != std::string::npos);
  const Ran twice = cli({"--lang", "en", "run", "a", "b", "-m", "2024-01", "-j", "x", "-j", "y"});
  CHECK(twice.err.find("error[E3020]: the command line is not valid: `--jurisdiction` may be given once, and is given 2 times") !=
        std::string::npos);
  // A value holding CLI11's own words is still the value.
  CHECK(cli({"--lang", "en", "batch", "a", "b", "-j", "x", "-m", "2024-01", "--log", "l", "--threads", "1 to 2"})
            .err.find("`--threads` does not take `1 to 2`\n  = note[N0425]: `--threads` takes a whole number from 1 to 1024\n") !=
        std::string::npos);
  // A command's option given before the command.
  const Ran early = cli({"--lang", "en", "--threads", "2", "batch", "a", "b", "-j", "x", "-m", "2024-01", "--log", "l"});
  CHECK(early.err.find("error[E3013]: `doudi` has no option `--threads`") != std::string::npos);
  CHECK(early.err.find("note[N0427]: the options of `doudi batch` are given after it") != std::string::npos);
  // The first valid --lang decides the language.
  CHECK(cli({"--lang", "en", "--lang", "zh", "log"}).err.find("error[E3020]") != std::string::npos);
  CHECK(cli({"--lang", "fr", "--lang", "en", "log"}).err.rfind("error[E30", 0) == 0);  // English, whatever CLI11 reports first
  CHECK(cli({"--lang", "fr", "log"}).err.find("错误[E3016]") != std::string::npos);
  // For programs: one JSON line, both languages.
  const Ran json = cli({"--diagnostics", "json", "bach"});
  CHECK(json.err.rfind("{\"code\":\"E3014\"", 0) == 0);
  CHECK(json.err.find("\"en\":\"`doudi` has no command `bach`\"") != std::string::npos);
  CHECK(json.err.find("\"code\":\"N0402\"") != std::string::npos);
}

TEST_CASE("doudi bundle -o - writes the bundle to standard output, and no file named -") {
  const std::string schema = std::string(DOUDI_SOURCE_DIR) + "/tests/fixtures/logs/schema.doudi";
  const std::filesystem::path dash = std::filesystem::current_path() / "-";
  std::filesystem::remove(dash);
  const Ran r = cli({"bundle", schema, "-o", "-"});
  CHECK(r.rc == 0);
  CHECK(r.out.rfind("{\"format\":\"doudi-bundle/", 0) == 0);
  CHECK(r.out.back() == '\n');
  CHECK_FALSE(std::filesystem::exists(dash));
  std::vector<doudi::Diagnostic> errors;
  CHECK(doudi::RuleSet::from_bundle(r.out, "stdout", errors) != nullptr);
  CHECK(errors.empty());
}

namespace {

// Whether the text has a Chinese character (U+4E00 to U+9FFF: UTF-8 lead
// bytes E4 to E9).
bool has_chinese(const std::string& text) {
  for (unsigned char ch : text)
    if (ch >= 0xE4 && ch <= 0xE9) return true;
  return false;
}

}  // namespace

TEST_CASE("every command's options are described in both languages") {
  const std::vector<std::vector<std::string>> commands = {
      {"check"}, {"diff"},  {"run"},     {"test"},   {"fmt"},    {"lsp"},         {"cites"},       {"batch"},
      {"verify-log"}, {"keygen"}, {"replay"}, {"explain"}, {"notice"}, {"bundle"}, {"ir"}, {"serve"},
      {"log", "checkpoint"}, {"log", "prove"}, {"log", "find"}, {"log", "check-proof"}};
  for (auto command : commands) {
    command.push_back("--help");
    const Ran r = cli(command);
    REQUIRE(r.rc == 0);
    // An entry is a line indented by two spaces, and the lines under it
    // indented further; CLI11's own -h,--help is English.
    std::istringstream lines(r.out);
    std::string line, entry;
    std::vector<std::string> english_only;
    auto close = [&] {
      if (!entry.empty() && entry.find("--help") == std::string::npos && !has_chinese(entry)) english_only.push_back(entry);
      entry.clear();
    };
    while (std::getline(lines, line)) {
      if (line.rfind("  ", 0) == 0 && line.size() > 2 && line[2] != ' ') {
        close();
        entry = line;
      } else if (line.rfind("    ", 0) == 0 && !entry.empty()) {
        entry += "\n" + line;
      } else {
        close();
      }
    }
    close();
    std::string named;
    for (const auto& e : english_only) named += e + "\n";
    INFO(command[0], " ", command.size() > 2 ? command[1] : "", " has options in English only:\n", named);
    CHECK(english_only.empty());
  }
}
