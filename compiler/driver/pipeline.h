// The whole compiler pipeline in one place:
//   load (read, parse → AST, follow imports) → check (resolve, types, units)
//   → lower (IR) → verify the IR (debug builds; the tests verify always).
// Each stage runs only if the one before produced no errors, so diagnostics
// never cascade from one stage into the next.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/program.h"
#include "compiler/load/source_files.h"
#include "runtime/diag/diagnostic.h"
#include "runtime/ir/ir.h"

namespace doudi {

struct Compilation {
  SourceManager sources;
  DiagSink diags;
  std::unique_ptr<Program> program;
  std::optional<ir::Module> module;

  bool ok() const { return !diags.has_errors(); }
};

enum class Stage { Check, Lower };

struct CompileOptions {
  Stage until = Stage::Lower;
  // Searched, in order, for imported modules that a file's own root lacks.
  std::vector<std::string> import_roots;
  // In-memory buffers over the disk; none by default.
  SourceFiles files;
};

std::unique_ptr<Compilation> compile(const std::vector<std::string>& paths, const CompileOptions& options);
std::unique_ptr<Compilation> compile(const std::vector<std::string>& paths, Stage until,
                                     const std::vector<std::string>& import_roots = {});

}  // namespace doudi
