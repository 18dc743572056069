#include "tools/cli/print_pdf.h"

#include <fmt/format.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "runtime/diag/diagnostic.h"

extern char** environ;

namespace doudi::cli {
namespace fs = std::filesystem;
namespace {

constexpr auto kPrintTimeout = std::chrono::seconds(120);

// A scratch folder removed when it goes out of scope.
struct Scratch {
  fs::path dir;
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "doudi-notice-XXXXXX").string();
    if (mkdtemp(tmpl.data())) dir = tmpl;
  }
  ~Scratch() {
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }
};

}  // namespace

std::string print_pdf(const std::string& html, const std::string& pdf_path, const std::string& chromium) {
  Scratch scratch;
  if (scratch.dir.empty()) return bilingual("无法创建临时文件夹", "cannot create a scratch folder");
  const fs::path page = scratch.dir / "notice.html";
  {
    std::ofstream out(page, std::ios::binary);
    out << html;
    if (!out) return bilingual("无法写入临时文件", "cannot write a scratch file");
  }
  std::error_code ec;
  const fs::path target = fs::absolute(pdf_path, ec);
  fs::remove(target, ec);
  std::vector<std::string> args = {chromium,
                                   "--headless",
                                   "--no-sandbox",  // runs as root in containers and CI
                                   "--disable-gpu",
                                   "--no-first-run",
                                   "--user-data-dir=" + (scratch.dir / "profile").string(),
                                   "--no-pdf-header-footer",
                                   "--print-to-pdf=" + target.string(),
                                   "file://" + page.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t quiet;
  posix_spawn_file_actions_init(&quiet);
  posix_spawn_file_actions_addopen(&quiet, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&quiet, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, chromium.c_str(), &quiet, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&quiet);
  if (spawned != 0)
    return bilingual(fmt::format("找不到浏览器 `{}`（请安装 Debian 的 chromium：./setup.sh --optional chromium）", chromium),
                     fmt::format("cannot run the browser `{}` (install Debian's chromium: ./setup.sh --optional chromium)",
                                 chromium));
  const auto deadline = std::chrono::steady_clock::now() + kPrintTimeout;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0) return bilingual("等待浏览器时出错", "lost the browser process");
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return bilingual("浏览器在 120 秒内未完成打印", "the browser did not finish printing within 120 seconds");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(target, ec) || fs::file_size(target, ec) == 0)
    return bilingual("浏览器未能打印出 PDF", "the browser did not print a PDF");
  return "";
}

}  // namespace doudi::cli
