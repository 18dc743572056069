// Writing whole files the tools produce (formatted rules, bundles, notices)
// so that a failure never leaves a file half written: the text goes to a
// temporary file beside the target, is synced, and replaces the target by a
// rename. On a full disk the user's policy file stays as it was.
#pragma once
#include <string>
#include <string_view>

namespace doudi {

// False with `error` (why, in both languages: the E0016 message's second
// argument) when the file could not be written; the target is then untouched.
// A file that exists keeps its permissions; a new one gets `new_file_mode`
// (0600 for a private key).
bool write_file_atomically(const std::string& path, std::string_view text, std::string& error,
                           unsigned new_file_mode = 0644);

}  // namespace doudi
