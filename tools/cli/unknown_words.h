// What CLI11 cannot name when a command line is wrong: a command that is not
// one (`doudi bach`, `doudi log chekpoint`: CLI11 says a subcommand is
// required), none given under a command that needs one (`doudi log`), and
// an option the command does not have (`doudi batch --lgo x.log`, for which
// CLI11 says only that --log is required). usage_error shows this, with the
// nearest name, in place of CLI11's message.
#pragma once
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "runtime/diag/diagnostic.h"

namespace doudi::cli {

struct UnknownWord {
  std::optional<Diagnostic> error;  // none: nothing unknown found
  const CLI::App* at = nullptr;     // the command the parse reached
  std::string command;              // its name as typed ("doudi log"), for its --help
};

// After `app.parse` threw `error`: the first word no command took, if any.
// A leftover word is taken for a command only when CLI11 was looking for one
// (it reports a missing or an unexpected word); after another error, such
// as a global option's bad value, the words left are the command's own.
// `words`: the command line as given, to tell a word given before the
// command from one given after it.
UnknownWord find_unknown_word(const CLI::App& app, const CLI::ParseError& error, const std::vector<std::string>& words);

// The names in both languages: "a、b、c" and "a, b, c".
std::string listed_in_both(const std::vector<std::string>& names);

}  // namespace doudi::cli
