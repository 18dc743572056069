#include "tests/golden/golden.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <stdlib.h>

#include "tools/cli/cli.h"

namespace doudi::golden {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> split_args(const std::string& line, const std::string& self) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string word;
  while (in >> word) out.push_back(word == "FILE" ? self : word);
  return out;
}

std::string read(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::vector<Case> load_cases(const std::string& root) {
  std::vector<Case> cases;
  std::vector<fs::directory_entry> entries;
  for (const char* dir : {"/tests/golden", "/tests/check"})
    for (auto& entry : fs::recursive_directory_iterator(root + dir)) entries.push_back(entry);
  for (auto& entry : entries) {
    if (!entry.is_regular_file()) continue;
    const auto ext = entry.path().extension();
    if (ext != ".doudi" && ext != ".golden") continue;
    Case c;
    c.path = fs::relative(entry.path(), root).string();
    const std::string text = read(entry.path().string());
    std::istringstream in(text);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
      if (line.rfind("#$ ", 0) == 0 && line.find('=') != std::string::npos) {
        const size_t eq = line.find('=');
        c.env.emplace_back(line.substr(3, eq - 3), line.substr(eq + 1));
      } else if (line.rfind("#> ", 0) == 0) {
        c.args = split_args(line.substr(3), c.path);
      } else if (line.rfind("#= ", 0) == 0) {
        c.expected_exit = std::stoi(line.substr(3));
      } else if (ext == ".doudi" && (line.rfind("#! ", 0) == 0 || line == "#!")) {
        c.expected += line.size() > 3 ? line.substr(3) : "";
        c.expected += '\n';
      } else if (ext == ".golden" && !first) {
        c.expected += line + '\n';
      }
      first = false;
    }
    if (c.args.empty()) c.args = {"check", c.path};
    if (c.args[0] != "--lang") c.args.insert(c.args.begin(), {"--lang", "en", "--color", "never"});
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.path < b.path; });
  return cases;
}

// Each case runs with an empty folder of its own: `TMP` in its arguments names
// it (for logs a case writes), and it is the proof cache, so every case proves
// afresh (an answer reused from another case would change the output and hide
// what the case is meant to show).
std::string run_case(const Case& c, int& exit_code) {
  char dir_template[] = "/tmp/doudi-golden-XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  REQUIRE(dir != nullptr);
  ::setenv("DOUDI_CACHE_DIR", dir, 1);
  std::vector<std::string> args = c.args;
  for (auto& a : args)
    for (size_t at = a.find("TMP"); at != std::string::npos; at = a.find("TMP", at + 1)) a.replace(at, 3, dir);
  for (const auto& [name, value] : c.env) ::setenv(name.c_str(), value.c_str(), 1);
  std::ostringstream out, err;
  exit_code = run_cli(args, out, err);
  for (const auto& [name, value] : c.env) ::unsetenv(name.c_str());
  ::unsetenv("DOUDI_CACHE_DIR");
  fs::remove_all(dir);
  return err.str() + out.str();
}

void update_case(const Case& c, const std::string& actual) {
  const std::string text = read(c.path);
  std::istringstream in(text);
  std::string line, kept;
  bool first = true;
  const bool is_doudi = fs::path(c.path).extension() == ".doudi";
  while (std::getline(in, line)) {
    if (is_doudi) {
      if (line.rfind("#! ", 0) == 0 || line == "#!") continue;
      kept += line + '\n';
    } else if (first || line.rfind("#> ", 0) == 0 || line.rfind("#= ", 0) == 0 || line.rfind("#$ ", 0) == 0) {
      kept += line + '\n';
    }
    first = false;
  }
  std::ofstream out(c.path, std::ios::binary);
  if (is_doudi) {
    while (!kept.empty() && kept.size() >= 2 && kept[kept.size() - 1] == '\n' && kept[kept.size() - 2] == '\n')
      kept.pop_back();
    out << kept;
    std::istringstream lines(actual);
    while (std::getline(lines, line)) out << (line.empty() ? "#!" : "#! " + line) << '\n';
  } else {
    out << kept << actual;
  }
}

}  // namespace doudi::golden

TEST_CASE("golden outputs") {
  using namespace doudi::golden;
  const std::string root = DOUDI_SOURCE_DIR;
  std::filesystem::current_path(root);
  // Git keeps no file modes but the executable bit, and a checkout's depend
  // on the umask: set them. The test signing key is readable by others, as
  // W4006's golden needs; the log key is private, as a real one must be.
  std::filesystem::permissions("tests/fixtures/keys/signer.key", std::filesystem::perms(0644));
  for (const char* key : {"tests/fixtures/logs/key", "tests/fixtures/logs/other_key", "tests/fixtures/logs/short_key"})
    std::filesystem::permissions(key, std::filesystem::perms(0600));
  const bool update = std::getenv("DOUDI_UPDATE_GOLDEN") != nullptr;
  const auto cases = load_cases(root);
  REQUIRE(cases.size() > 0);
  for (const auto& c : cases) {
    int exit_code = 0;
    const std::string actual = run_case(c, exit_code);
    if (update) {
      update_case(c, actual);
      continue;
    }
    INFO("case: ", c.path);
    CHECK(actual == c.expected);
    if (c.expected_exit >= 0) CHECK(exit_code == c.expected_exit);
  }
}
