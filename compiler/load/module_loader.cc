#include "compiler/load/module_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "compiler/parse/parser.h"

namespace doudi {
namespace fs = std::filesystem;
namespace {

fs::path import_root_of(const fs::path& file) {
  std::error_code ec;
  fs::path dir = fs::absolute(file, ec).parent_path();
  for (fs::path d = dir; !d.empty(); d = d.parent_path()) {
    if (fs::exists(d / "doudi-root", ec)) return d;
    if (d == d.parent_path()) break;
  }
  return dir;
}

}  // namespace

std::string path_in_root(const std::string& file) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(file, ec);
  const fs::path relative = absolute.lexically_normal().lexically_relative(import_root_of(file).lexically_normal());
  return relative.empty() ? fs::path(file).filename().generic_string() : relative.generic_string();
}

namespace {

// The module name declared in a file, read without a full parse.
std::string scan_module_name(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    for (const std::string kw : {"模块", "module"}) {
      if (line.compare(i, kw.size(), kw) == 0 && i + kw.size() < line.size() &&
          (line[i + kw.size()] == ' ' || line[i + kw.size()] == '\t')) {
        size_t s = i + kw.size();
        while (s < line.size() && (line[s] == ' ' || line[s] == '\t')) ++s;
        size_t e = s;
        while (e < line.size() && line[e] != ' ' && line[e] != '\t' && line[e] != '#' && line[e] != '\r') ++e;
        return line.substr(s, e - s);
      }
    }
  }
  return {};
}

// A path as the user would write it from where doudi runs ("." for there).
// Lexical, so a file reached through a symlinked folder is shown through
// the link (`stdlib-policies/…`), as the user reaches it, not as its target.
// Outside the current folder it is shown whole (`/srv/policies/…`, not
// `../../../srv/policies/…`).
std::string shown_path(const std::string& path) {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (ec) return path;
  const fs::path whole = fs::absolute(path, ec).lexically_normal();
  if (ec) return path;
  const fs::path rel = whole.lexically_relative(cwd);
  if (rel.empty()) return path;
  if (*rel.begin() == "..") return whole.string();
  return rel.string();
}

}  // namespace

std::vector<std::string> find_doudi_files(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (fs::is_regular_file(dir, ec)) return {dir};
  // Symlinked folders are followed (a county links the policies it uses into
  // its own tree); a folder reached twice, as a link back up would be, is
  // read once.
  std::set<fs::path> seen;
  if (auto top = fs::canonical(dir, ec); !ec) seen.insert(top);
  ec.clear();
  const auto options = fs::directory_options::follow_directory_symlink | fs::directory_options::skip_permission_denied;
  for (auto it = fs::recursive_directory_iterator(dir, options, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::error_code kind_ec;
    if (it->is_directory(kind_ec)) {
      const auto real = fs::canonical(it->path(), kind_ec);
      if (kind_ec || !seen.insert(real).second) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(kind_ec) && it->path().extension() == ".doudi") out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::unique_ptr<Program> load_program(SourceManager& sm, const std::vector<std::string>& paths, DiagSink& diags,
                                      const std::vector<std::string>& extra_roots, const SourceFiles& files) {
  auto program = std::make_unique<Program>(sm);
  std::set<std::string> loaded_paths;
  std::set<std::string> loaded_modules;
  std::map<std::string, std::map<std::string, std::vector<std::string>>> index_by_root;  // root → module → paths

  auto index_for = [&](const fs::path& root) -> const std::map<std::string, std::vector<std::string>>& {
    auto key = root.string();
    auto it = index_by_root.find(key);
    if (it != index_by_root.end()) return it->second;
    auto& idx = index_by_root[key];
    auto candidates = find_doudi_files(key);
    for (const auto& p : files.buffers_under(root)) {
      std::error_code ec;
      const bool on_disk = std::any_of(candidates.begin(), candidates.end(),
                                       [&](const std::string& c) { return fs::equivalent(c, p, ec); });
      if (!on_disk) candidates.push_back(p);
    }
    for (const auto& p : candidates) {
      std::string text;
      if (!files.read(p, text)) continue;
      const std::string name = scan_module_name(text);
      if (!name.empty()) idx[name].push_back(p);
    }
    return idx;
  };

  struct Pending {
    std::string path;
  };
  std::vector<Pending> queue;
  for (const auto& p : paths) queue.push_back({p});

  for (size_t qi = 0; qi < queue.size(); ++qi) {
    const std::string path = queue[qi].path;
    std::error_code ec;
    const std::string canonical = fs::weakly_canonical(path, ec).string();
    if (loaded_paths.count(canonical)) continue;
    loaded_paths.insert(canonical);
    std::string text;
    if (!files.read(path, text)) {
      diags.add(unreadable_file(path));
      continue;
    }
    const FileId fid = sm.add(path, std::move(text));
    auto file = parse_file(sm, fid, diags);
    if (!file) continue;
    if (!file->module.text.empty()) {
      if (loaded_modules.count(file->module.text)) {
        auto& d = diags.report(DiagCode::E0104, file->module.span, {file->module.text, path});
        if (const auto* other = program->file_of_module(file->module.text))
          d.notes.push_back(make_note(DiagCode::N0401, other->module.span));
        continue;
      }
      loaded_modules.insert(file->module.text);
      if (program->root_module.empty() && qi < paths.size()) program->root_module = file->module.text;
    }
    const fs::path root = import_root_of(path);
    // The file's own root, then the -I roots. A module found in two
    // different files anywhere on this path is an error, never a silent pick:
    // an edited copy must not replace the published module unnoticed.
    std::vector<fs::path> roots{root};
    for (const auto& extra : extra_roots) {
      std::error_code rec;
      roots.push_back(fs::absolute(extra, rec));
    }
    for (const auto& imp : file->imports) {
      if (loaded_modules.count(imp.text)) continue;
      std::vector<std::string> found, found_canonical, names;
      for (const auto& r : roots) {
        const auto& idx = index_for(r);
        if (auto it = idx.find(imp.text); it != idx.end())
          for (const auto& p : it->second) {
            std::error_code rec;
            const std::string claimant = fs::weakly_canonical(p, rec).string();
            if (std::find(found_canonical.begin(), found_canonical.end(), claimant) != found_canonical.end()) continue;
            found_canonical.push_back(claimant);
            found.push_back(p);
          }
        for (const auto& [n, p] : idx) names.push_back(n);
      }
      if (found.empty()) {
        auto& d = diags.report(DiagCode::E0103, imp.span, {imp.text});
        if (auto s = closest_name(imp.text, names); !s.empty())
          d.notes.push_back(make_note(DiagCode::N0402, Span{}, {s}));
        std::string searched;
        for (const auto& r : roots) searched += (searched.empty() ? "" : ", ") + shown_path(r.string());
        d.notes.push_back(make_note(DiagCode::N0409, Span{}, {searched}));
        continue;
      }
      if (found.size() > 1) {
        // Two files claim the module: refuse to guess which one is meant.
        std::string claimants;
        for (const auto& p : found) claimants += (claimants.empty() ? "" : ", ") + shown_path(p);
        diags.report(DiagCode::E0104, imp.span, {imp.text, claimants});
        continue;
      }
      // Keep paths relative to where doudi runs, as the user gave theirs.
      queue.push_back({shown_path(found.front())});
    }
    program->files.push_back(std::move(*file));
  }
  return program;
}

}  // namespace doudi
