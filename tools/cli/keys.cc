#include "runtime/source/read_file.h"
#include "tools/cli/keys.h"

namespace doudi::cli {
namespace {

template <typename Key>
std::optional<Key> key_or_report(const Common& c, const std::string& path) {
  std::string text, error;
  if (!read_regular_file(path, text, error, kMaxKeyFileBytes)) {
    report_plain(c, DiagCode::E4005, {path, error});
    return std::nullopt;
  }
  auto key = Key::from_pem(text, error);
  if (!key) report_plain(c, DiagCode::E4005, {path, error});
  return key;
}

}  // namespace

std::optional<SigningKey> signing_key_or_report(const Common& c, const std::string& path) {
  auto key = key_or_report<SigningKey>(c, path);
  if (key && readable_by_others(path)) report_plain(c, DiagCode::W4006, {path});
  return key;
}

std::optional<PublicKey> public_key_or_report(const Common& c, const std::string& path) {
  return key_or_report<PublicKey>(c, path);
}

}  // namespace doudi::cli
