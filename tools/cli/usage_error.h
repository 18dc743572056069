// A command line CLI11 refused, as a diagnostic with a stable code (E3012–
// E3020) in the language the line asks for: CLI11's own messages are
// English only and carry no code. Unknown words are named first
// (unknown_words.h); the rest is told from CLI11's kind of error. Every one
// ends with a note naming the command's --help.
#pragma once
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "runtime/diag/diagnostic.h"

namespace doudi::cli {

Diagnostic usage_error(const CLI::App& app, const CLI::ParseError& error, const std::vector<std::string>& words);

// --lang, --color and --diagnostics as the words give them, read without
// CLI11 (whose parse failed): the first valid value of each counts, and
// without one its default. `terminal`: the messages go to a terminal (for
// --color auto).
RenderOptions usage_render_options(const std::vector<std::string>& words, bool terminal);

}  // namespace doudi::cli
