// Finds, reads and parses a module and everything it imports.
//
// A module is found by name, not by path: every `.doudi` file under the
// import root is scanned for its `模块` / `module` line. The import root of a
// file is the nearest folder above it holding a file named `doudi-root`
// (stdlib-policies/ has one), or the file's own folder.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "compiler/sema/program.h"
#include "compiler/load/source_files.h"
#include "runtime/source/read_file.h"

namespace doudi {

// Loads the given files and, transitively, the modules they import. The
// first file's module becomes program.root_module. Parse errors are reported;
// files that fail to parse are skipped.
// `extra_roots` are searched, in order, for modules a file's own root lacks.
std::unique_ptr<Program> load_program(SourceManager& sm, const std::vector<std::string>& paths, DiagSink& diags,
                                      const std::vector<std::string>& extra_roots, const SourceFiles& files);

// Where a file lies within its import root (`huining/urban_dibao.doudi`):
// how the IR names source files, so bundles and decision logs carry no
// path of the machine that built them.
std::string path_in_root(const std::string& file);

// Every `.doudi` file below `dir`, sorted, for `doudi check DIR` and `test DIR`.
std::vector<std::string> find_doudi_files(const std::string& dir);

}  // namespace doudi
