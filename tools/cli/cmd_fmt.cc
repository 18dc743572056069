#include <fmt/format.h>

#include <fstream>

#include "compiler/fmt/formatter.h"
#include "compiler/parse/parser.h"
#include "compiler/load/module_loader.h"
#include "runtime/source/write_file.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

int cmd_fmt(const Common& c, const FmtArgs& a) {
  if (a.write && a.check) {
    *c.err << c.pick("doudi fmt：--write 与 --check 不能同时使用\n", "doudi fmt: --write and --check cannot be combined\n");
    return 2;
  }
  int status = 0;
  for (const auto& path : expand_paths(a.paths)) {
    SourceManager sm;
    DiagSink diags;
    std::string text;
    if (!read_source_file(path, text)) {
      report_all(c, {unreadable_file(path)});
      status = 1;
      continue;
    }
    const FileId fid = sm.add(path, text);
    auto file = parse_file(sm, fid, diags);
    if (!file) {
      *c.err << render_all(diags, sm, c.render());
      status = 1;
      continue;
    }
    const Dialect to = a.to.empty() ? file->dialect : a.to == "en" ? Dialect::En : Dialect::Zh;
    const std::string out = format_file(*file, sm, to);
    if (a.check) {
      if (out != text) {
        *c.out << fmt::format("{}: {}\n", path, c.pick("不是规范格式", "not in canonical layout"));
        status = 1;
      }
    } else if (a.write) {
      std::string error;
      if (out != text && !write_file_atomically(path, out, error)) {
        report_plain(c, DiagCode::E0016, {path, error});
        status = 1;
      }
    } else {
      *c.out << out;
    }
  }
  return status;
}

}  // namespace doudi::cli
