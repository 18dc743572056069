// A module shipped with the source, loaded for a test that needs a real
// schema (the Huining deployment's, the benchmark rule's), with the
// standard library's policies to import from.
#pragma once
#include <doctest/doctest.h>

#include <string>

#include "doudi/compiler.h"

namespace doudi::testing {

// `path`: from the source root, e.g. "examples/huining/deployment.doudi".
inline LoadedRules load_shipped(const std::string& path) {
  CompileOptions options;
  options.import_roots = {DOUDI_SOURCE_DIR "/stdlib-policies"};
  LoadedRules loaded = load_rules(DOUDI_SOURCE_DIR "/" + path, options);
  REQUIRE(loaded.rules);
  return loaded;
}

}  // namespace doudi::testing
