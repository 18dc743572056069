// Runs docs/tutorial.md as a reader would: in an empty folder beside the
// shipped policies, it writes every file the tutorial has you write, runs
// every command it has you run, and compares what each command prints with
// the output the tutorial shows. A tutorial that no longer reproduces fails.
//
// Fenced blocks the test reads (the info string after ```):
//   ```doudi PATH   the whole file PATH (also json, jsonl); `+PATH` appends
//   ```sh           commands, one per line, each `./build/doudi …`
//   ```output       exactly what the last command before it printed
//                   (stderr, then stdout); `output rc=N` also checks its
//                   exit code. A command with no output block after it must
//                   succeed (exit code 0).
// Other blocks are illustration and are left alone. Set
// DOUDI_UPDATE_TUTORIAL=1 to rewrite the output blocks from what the
// commands print now (then read the diff).
#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tools/cli/cli.h"

namespace fs = std::filesystem;

namespace {

const fs::path kRoot = DOUDI_SOURCE_DIR;

struct Block {
  std::string info;
  std::string text;
  size_t first_line = 0, end_line = 0;  // the content's lines [first, end) in the document
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::vector<Block> blocks_of(const std::vector<std::string>& lines) {
  std::vector<Block> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("```", 0) != 0) continue;
    Block b;
    b.info = lines[i].substr(3);
    b.first_line = i + 1;
    size_t j = i + 1;
    while (j < lines.size() && lines[j] != "```") b.text += lines[j++] + '\n';
    REQUIRE_MESSAGE(j < lines.size(), "unclosed block at line ", i + 1);
    b.end_line = j;
    out.push_back(std::move(b));
    i = j;
  }
  return out;
}

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

// Restores the working folder and the environment, however the test ends.
struct RestoreOnExit {
  fs::path cwd = fs::current_path();
  std::vector<std::pair<std::string, std::optional<std::string>>> env;
  void keep(const char* name) {
    const char* v = std::getenv(name);
    env.push_back({name, v ? std::optional<std::string>(v) : std::nullopt});
  }
  ~RestoreOnExit() {
    std::error_code ec;
    fs::current_path(cwd, ec);
    for (const auto& [name, value] : env) {
      if (value) ::setenv(name.c_str(), value->c_str(), 1);
      else ::unsetenv(name.c_str());
    }
  }
};

TEST_CASE("the tutorial reproduces when followed") {
  const fs::path doc = kRoot / "docs/tutorial.md";
  std::vector<std::string> lines = lines_of(read(doc));
  const std::vector<Block> blocks = blocks_of(lines);

  char dir_template[] = "/tmp/doudi-tutorial-XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  REQUIRE(dir != nullptr);
  const fs::path work = dir;
  RestoreOnExit restore;
  for (const char* name : {"HOME", "DOUDI_CACHE_DIR", "XDG_CACHE_HOME"}) restore.keep(name);
  struct RemoveOnExit {
    fs::path dir;
    ~RemoveOnExit() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } remove{work};
  // The reader's checkout: the shipped policies and examples, the binary.
  fs::create_directory_symlink(kRoot / "stdlib-policies", work / "stdlib-policies");
  fs::create_directory_symlink(kRoot / "examples", work / "examples");
  // The reader's home, where the proof cache lives by default; outputs show
  // it as `~`.
  ::setenv("HOME", work.c_str(), 1);
  ::unsetenv("DOUDI_CACHE_DIR");
  ::unsetenv("XDG_CACHE_HOME");
  fs::current_path(work);

  const bool update = std::getenv("DOUDI_UPDATE_TUTORIAL") != nullptr;
  std::vector<std::pair<const Block*, std::string>> rewrites;
  std::string last_output, last_command;
  int last_rc = 0;
  bool last_shown = true;  // the last command's output block came
  size_t commands = 0, outputs = 0;
  auto must_have_succeeded = [&] {
    INFO("`", last_command, "` has no output block after it, so it must succeed; it printed:\n", last_output);
    CHECK((last_shown || last_rc == 0));
  };
  for (const Block& b : blocks) {
    const auto info = words(b.info);
    if (info.empty()) continue;
    const std::string& kind = info[0];
    if ((kind == "doudi" || kind == "json" || kind == "jsonl") && info.size() > 1) {
      const bool append = info[1][0] == '+';
      const fs::path path = work / (append ? info[1].substr(1) : info[1]);
      fs::create_directories(path.parent_path());
      std::ofstream(path, append ? std::ios::app | std::ios::binary : std::ios::trunc | std::ios::binary) << b.text;
    } else if (kind == "sh") {
      for (std::string line : lines_of(b.text)) {
        if (auto hash = line.find("  #"); hash != std::string::npos) line.resize(hash);
        auto args = words(line);
        if (args.empty() || args[0][0] == '#') continue;
        INFO("tutorial line ", b.first_line + 1, ": ", line);
        REQUIRE(args[0] == "./build/doudi");
        args.erase(args.begin());
        must_have_succeeded();
        std::ostringstream out, err;
        last_rc = doudi::run_cli(args, out, err);
        last_output = err.str() + out.str();
        for (size_t at = last_output.find(work.string()); at != std::string::npos;
             at = last_output.find(work.string(), at))
          last_output.replace(at, work.string().size(), "~");
        last_command = line;
        last_shown = false;
        ++commands;
      }
    } else if (kind == "output") {
      INFO("output block at docs/tutorial.md:", b.first_line, " for `", last_command, "`");
      ++outputs;
      last_shown = true;
      if (update) {
        rewrites.push_back({&b, last_output});
        continue;
      }
      CHECK(last_output == b.text);
      if (info.size() > 1 && info[1].rfind("rc=", 0) == 0) CHECK(last_rc == std::stoi(info[1].substr(3)));
    }
  }
  must_have_succeeded();
  CHECK(commands > 10);
  CHECK(outputs > 5);

  if (update) {
    // Replace from the last block up, so earlier line numbers stay valid.
    for (auto it = rewrites.rbegin(); it != rewrites.rend(); ++it) {
      auto fresh = lines_of(it->second);
      lines.erase(lines.begin() + static_cast<long>(it->first->first_line),
                  lines.begin() + static_cast<long>(it->first->end_line));
      lines.insert(lines.begin() + static_cast<long>(it->first->first_line), fresh.begin(), fresh.end());
    }
    std::ofstream out(doc, std::ios::binary | std::ios::trunc);
    for (const auto& l : lines) out << l << '\n';
  }
}
