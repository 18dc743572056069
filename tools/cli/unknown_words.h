// What CLI11 cannot name when a command line is wrong: an option the
// command does not have (`doudi batch --lgo x.log`, for which CLI11 says
// only that --log is required) and a command under a command that is not
// one (`doudi log chekpoint`: "A subcommand is required"). run_cli shows
// this message, with the nearest name, in place of CLI11's.
#pragma once
#include <CLI/CLI.hpp>

#include <string>

namespace doudi::cli {

struct UnknownWord {
  std::string message;  // empty: nothing unknown found, CLI11's message stands
  std::string command;  // the command it was given to ("doudi log"), for its --help
};

// After `app.parse` threw: the first word no command took, if any.
UnknownWord find_unknown_word(const CLI::App& app);

}  // namespace doudi::cli
