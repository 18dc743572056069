#include "compiler/analysis/coverage.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/driver/pipeline.h"
#include "runtime/interp/interpreter.h"

namespace doudi {
namespace {

// The same file reached by two paths (given, imported) must give one key.
std::string where_of(const ir::Module& m, uint32_t loc) {
  if (loc == 0 || loc >= m.locations.size()) return "?";
  const auto& l = m.locations[loc];
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(l.display(), ec);
  return fmt::format("{}:{}:{}", ec ? l.display() : canonical.string(), l.line, l.column);
}

const char* kind_of(ir::FunctionKind k) {
  switch (k) {
    case ir::FunctionKind::Definition: return "definition";
    case ir::FunctionKind::Rule: return "rule";
    case ir::FunctionKind::Default: return "default";
    case ir::FunctionKind::ExceptionCondition: return "exception";
    case ir::FunctionKind::ExceptionValue: return "exception";
    case ir::FunctionKind::Flag: return "flag";
    case ir::FunctionKind::Constraint: return "constraint";
  }
  return "?";
}

// The declaration a function stands for. An exception's condition and value
// are one declaration (the value's location).
std::string key_of(const ir::Module& m, uint32_t f) {
  const auto& fn = m.functions[f];
  if (fn.kind == ir::FunctionKind::ExceptionCondition)
    for (uint32_t g = 0; g < m.functions.size(); ++g)
      if (m.functions[g].owner == fn.owner && m.functions[g].kind == ir::FunctionKind::ExceptionValue &&
          m.functions[g].label == fn.label)
        return where_of(m, m.functions[g].loc);
  return where_of(m, fn.loc);
}

void add_declarations(const ir::Module& m, Coverage& cov) {
  for (uint32_t f = 0; f < m.functions.size(); ++f) {
    const auto& fn = m.functions[f];
    if (fn.kind == ir::FunctionKind::ExceptionCondition) continue;
    // A rule's own citations only count when it has some; its branches carry theirs.
    if (fn.citations.empty() && fn.provisions.empty()) continue;
    std::string name = fn.name;
    if (fn.owner != UINT32_MAX) {
      name = m.functions[fn.owner].name + (fn.label.empty() ? "" : "." + fn.label);
    } else if (fn.kind == ir::FunctionKind::Flag && name.rfind("flag:", 0) == 0) {
      name = name.substr(5);
    } else if (fn.kind == ir::FunctionKind::Constraint && name.rfind("constraint:", 0) == 0) {
      name = name.substr(11);
    }
    auto& d = cov.declarations[where_of(m, fn.loc)];
    d.kind = kind_of(fn.kind);
    d.name = name;
    d.where = where_of(m, fn.loc);
    d.citations = fn.citations;
    d.provisions = fn.provisions;
  }
  for (const auto& p : m.params) {
    for (const auto& v : p.values) {
      auto& d = cov.declarations[where_of(m, v.loc)];
      d.kind = "value";
      d.name = v.jurisdiction == UINT32_MAX ? p.name : p.name + "@" + m.jurisdictions[v.jurisdiction].name;
      d.where = where_of(m, v.loc);
      d.citations = v.citations;
      d.provisions = v.provisions;
    }
  }
}

void mark(const ir::Module& m, const TraceNode& n, const std::string& test, Coverage& cov) {
  if (n.function != UINT32_MAX) {
    auto it = cov.declarations.find(key_of(m, n.function));
    if (it != cov.declarations.end()) it->second.tests.insert(test);
    // A rule is exercised with any of its branches.
    const auto& fn = m.functions[n.function];
    if (fn.owner != UINT32_MAX) {
      auto r = cov.declarations.find(where_of(m, m.functions[fn.owner].loc));
      if (r != cov.declarations.end()) r->second.tests.insert(test);
    }
  }
  for (const auto& p : n.params) {
    if (p.value_index == UINT32_MAX) continue;
    auto it = cov.declarations.find(where_of(m, m.params[p.param].values[p.value_index].loc));
    if (it != cov.declarations.end()) it->second.tests.insert(test);
  }
  for (const auto& c : n.children) mark(m, *c, test, cov);
}

}  // namespace

Coverage collect_coverage(const std::vector<std::string>& files, const std::vector<std::string>& import_roots) {
  Coverage cov;
  for (const auto& file : files) {
    auto comp = compile({file}, Stage::Lower, import_roots);
    if (!comp->ok()) {
      cov.failed_files.push_back(file);
      continue;
    }
    const Program& p = *comp->program;
    const ir::Module& m = *comp->module;
    add_declarations(m, cov);
    Interpreter interp(m);
    for (const auto& t : p.tests) {
      if (t.module != p.root_module) continue;
      ++cov.tests;
      const std::string test = fmt::format("{}「{}」", file, t.decl->name.text);
      interp.set_context(t.jurisdiction, t.decl->month, t.param_overrides);
      // Only what the test checks counts: its expected values, flags and
      // constraints (and everything those read), not every output.
      TraceRecorder trace;
      for (const auto& ex : t.expectations) {
        EvalError error{};
        if (ex.constraint != kNone) {
          bool in_force = false;
          interp.check_constraint(ex.constraint, in_force, error, &trace);
        } else {
          interp.evaluate_function(t.input, ex.flag != kNone ? m.flags[ex.flag].function : ex.function, error, &trace);
        }
      }
      mark(m, trace.root(), test, cov);
    }
  }
  return cov;
}

bool read_provisions(const std::string& path, std::vector<ProvisionRow>& rows) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() < 5) continue;
    rows.push_back({cols[0], cols[1], cols[2], cols[3], cols[4]});
  }
  return true;
}

CoverageReport coverage_report(const Coverage& cov, const std::vector<ProvisionRow>& rows,
                               std::string (*place)(const std::string& where)) {
  CoverageReport r;
  for (const auto& [where, d] : cov.declarations)
    for (const auto& cite : d.citations) r.by_citation[cite].push_back(&d);
  for (const auto& [cite, decls] : r.by_citation) {
    bool tested = false;
    for (const auto* d : decls) tested |= !d->tests.empty();
    r.untested_citations += !tested;
  }
  std::set<std::string> known;
  for (const auto& row : rows) known.insert(row.id);
  for (const auto& [where, d] : cov.declarations)
    for (const auto& p : d.provisions) {
      if (!known.count(p)) r.unknown_tags.push_back(fmt::format("{} ({} {})", p, d.kind, place(d.where)));
      r.rows[p].decls.push_back(&d);
    }
  for (const auto& row : rows) {
    auto& s = r.rows[row.id];
    bool has_flag = false;
    for (const auto* d : s.decls) {
      s.tested |= !d->tests.empty();
      has_flag |= d->kind == "flag";
    }
    if (row.kind == "N") s.status = "not encoded (N)";
    else if (s.decls.empty()) s.status = "untagged", ++r.missing;
    else if (row.kind == "F" && !has_flag) s.status = "needs a flag", ++r.missing;
    else if (!s.tested) s.status = "untested", ++r.untested;
    else s.status = "ok", ++r.ok;
  }
  return r;
}

}  // namespace doudi
