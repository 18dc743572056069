#include <cstdlib>
#include <iostream>

#include "tools/cli/commands.h"
#include "tools/lsp/language_server.h"

namespace doudi::cli {

int cmd_lsp(const Common&, const LspArgs& a) {
  // The protocol is bytes: no locale conversion, no sync with C stdio.
  std::ios::sync_with_stdio(false);
  lsp::ServerOptions options;
  options.import_roots = a.import_roots;
  options.debounce = std::chrono::milliseconds(a.debounce_ms);
  lsp::LanguageServer server(std::cin, std::cout, options);
  const int rc = server.run();
  std::cout.flush();
  // The reading thread may still be blocked on stdin: end the process here
  // rather than unwind under it.
  std::_Exit(rc);
}

}  // namespace doudi::cli
