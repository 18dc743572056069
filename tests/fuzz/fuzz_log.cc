// A decision log file (any bytes): verified and read as verify-log, replay
// and explain read it.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "runtime/log/decision_log.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace doudi;
  // The log is read from a path: one temporary file per process, rewritten.
  static const std::string path = [] {
    char name[] = "/tmp/doudi-fuzz-log-XXXXXX";
    const int fd = mkstemp(name);
    if (fd < 0) std::abort();
    close(fd);
    return std::string(name);
  }();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size) std::fwrite(data, 1, size, f);
  std::fclose(f);
  (void)verify_log(path);
  std::vector<LogEntry> entries;
  std::string error;
  (void)read_log(path, entries, error);
  return 0;
}
