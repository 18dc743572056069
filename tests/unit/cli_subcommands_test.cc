// `doudi` adds only the subcommand its command line names with its options
// (tools/cli/cli.cc, Wanted); the others by name and summary. Help lists
// every command, and a command named after global options (with their
// values, or as --opt=value) still gets all of its own. A wrong word is
// named with the one meant; `bundle -o -` writes to standard output.
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
  CHECK(r.err.find("no command `bach`") != std::string::npos);
  CHECK(r.err.find("did you mean `batch`?") != std::string::npos);
  CHECK(cli({"verify", "x.log"}).err.find("did you mean `verify-log`?") != std::string::npos);
  CHECK(cli({"rnu", "x"}).err.find("did you mean `run`?") != std::string::npos);  // two letters swapped: one edit
  // A global option's bad value is that option's error, not a command's.
  const Ran bad_value = cli({"--lang", "run", "a.doudi", "r.json"});
  CHECK(bad_value.rc == 2);
  CHECK(bad_value.err.find("--lang") != std::string::npos);
  CHECK(bad_value.err.find("no command") == std::string::npos);
  const Ran none = cli({});
  CHECK(none.rc == 2);
  CHECK(none.err.find("A subcommand is required") != std::string::npos);
}

TEST_CASE("an unknown option or subcommand is named, with the one meant") {
  // CLI11 alone says "--log is required": the misspelt option is never named.
  const Ran lgo = cli({"--lang", "en", "batch", "m.doudi", "r.jsonl", "-j", "a", "-m", "2022-06", "--lgo", "x.log"});
  CHECK(lgo.rc == 2);
  CHECK(lgo.err.find("doudi batch: 没有 `--lgo` 这个选项 / no option `--lgo`") != std::string::npos);
  CHECK(lgo.err.find("did you mean `--log`?") != std::string::npos);
  CHECK(lgo.err.find("Run `doudi batch --help`") != std::string::npos);
  // A global option after the command is known, and `--name=value` is one
  // word.
  const Ran thread = cli({"batch", "m.doudi", "r.jsonl", "-j", "a", "-m", "2022-06", "--lang=en", "--log", "x", "--thread", "2"});
  CHECK(thread.rc == 2);
  CHECK(thread.err.find("no option `--thread`") != std::string::npos);
  CHECK(thread.err.find("did you mean `--threads`?") != std::string::npos);
  CHECK(cli({"run", "m.doudi", "r.json", "--explian"}).err.find("did you mean `--explain`?") != std::string::npos);
  // Under a command with commands of its own.
  const Ran sub = cli({"log", "chekpoint", "x.log"});
  CHECK(sub.rc == 2);
  CHECK(sub.err.find("doudi log: 没有 `chekpoint` 这个命令 / no command `chekpoint`") != std::string::npos);
  CHECK(sub.err.find("did you mean `checkpoint`?") != std::string::npos);
  CHECK(sub.err.find("Run `doudi log --help`") != std::string::npos);
  const Ran none = cli({"log"});
  CHECK(none.rc == 2);
  CHECK(none.err.find("give one of its commands: checkpoint, prove, find, check-proof") != std::string::npos);
  // A short option's value attached (-Ipolicies, -m2022-06) is no unknown
  // option: the missing --log is what is wrong.
  const Ran attached = cli({"--lang", "en", "batch", "m.doudi", "-Ipolicies", "r.jsonl", "-j", "a", "-m2022-06"});
  CHECK(attached.err.find("--log is required") != std::string::npos);
  CHECK(attached.err.find("no option") == std::string::npos);
  // Nothing unknown: CLI11's own message stands.
  const Ran missing = cli({"--lang", "en", "batch", "m.doudi", "r.jsonl", "-m", "2022-06", "--log", "x"});
  CHECK(missing.err.find("--jurisdiction is required") != std::string::npos);
  CHECK(missing.err.find("no option") == std::string::npos);
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
