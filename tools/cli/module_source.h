// A module from source (.doudi, compiled) or from a rule bundle (read and
// digest-checked), for the commands that decide records.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "compiler/driver/pipeline.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

struct ModuleSource {
  std::unique_ptr<Compilation> compilation;  // when compiled from source
  std::optional<ir::Module> bundle;          // when read from a bundle
  const ir::Module* module = nullptr;
  std::string digest;                        // the rule set's identity
};

// Reports problems (diagnostics, or E4001) and returns false on failure.
bool load_module(const Common& c, const std::string& path, ModuleSource& out,
                 const std::vector<std::string>& import_roots = {});

}  // namespace doudi::cli
