// The web console (tools/serve/console/), built into the program so that a
// server needs no installed folder and the page works offline.
#pragma once
#include <string_view>

namespace doudi::serve {

struct ConsoleFile {
  std::string_view path, content_type, body;
};

// The file served at `path` (/, /console.js, /console.css); null for another.
const ConsoleFile* console_file(std::string_view path);

}  // namespace doudi::serve
