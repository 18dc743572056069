// A decision log file (any bytes): verified and read as verify-log, replay
// and explain read it, with the test signer's public key (so checkpoint
// lines reach the signature check), and read as a kept checkpoint.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "runtime/source/read_file.h"
#include "runtime/digest/signature.h"
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
  static const std::optional<PublicKey> key = [] {
    std::string pem, error;
    read_regular_file(DOUDI_SOURCE_DIR "/tests/fixtures/keys/signer.key.pub", pem, error, kMaxKeyFileBytes);
    return PublicKey::from_pem(pem, error);
  }();
  (void)verify_log(path);
  LogContents contents;
  contents.keep_leaves = contents.keep_lines = true;
  (void)verify_log(path, key ? &*key : nullptr, &contents);
  std::string why;
  (void)parse_checkpoint(std::string_view(reinterpret_cast<const char*>(data), size), why);
  std::vector<LogEntry> entries;
  std::string error;
  (void)read_log(path, entries, error);
  return 0;
}
