// POST /v1/check and /v1/test: rule text sent by the console's editor,
// compiled as if it stood at its path in one of the served rule folders
// (so its imports resolve as they would there), checked or tested, and
// answered with diagnostics as data. The text is an in-memory buffer: the
// server's rule folders are never written.
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include <algorithm>

#include "doudi/analysis.h"
#include "runtime/source/read_file.h"
#include "runtime/source/utf8.h"
#include "tools/serve/service.h"
#include "tools/serve/service_json.h"

namespace doudi::serve {
namespace {

namespace fs = std::filesystem;

struct RuleText {
  std::string path, text;
};

std::string folders_text(const ServiceOptions& options) {
  std::string folders;
  for (const auto& d : options.rule_dirs) folders += (folders.empty() ? "" : ", ") + d;
  return folders.empty() ? bilingual("本服务没有 --rules 文件夹", "this server has no --rules folder") : folders;
}

// Whether `path` is a .doudi path inside one of the rule folders (E6009 if not).
std::optional<Response> outside_rule_folders(const std::string& path, const ServiceOptions& options) {
  const fs::path given(path);
  if (given.extension() == ".doudi") {
    std::error_code ec;
    const fs::path where = fs::weakly_canonical(given, ec);
    for (const auto& d : options.rule_dirs) {
      const fs::path root = fs::weakly_canonical(d, ec);
      const fs::path inside = where.lexically_relative(root);
      if (!ec && !inside.empty() && *inside.begin() != ".." && inside.native() != ".") return std::nullopt;
    }
  }
  return error(400, DiagCode::E6009, {path, folders_text(options)});
}

// {"path": "examples/huining/local_rule.doudi", "text": "…"}: the path as
// GET /v1/rulesets gives a module's origin, inside a --rules folder.
std::optional<Response> read_rule_text(const std::string& body, const ServiceOptions& options, RuleText& out) {
  if (auto bad = find_invalid_utf8(body)) return error(400, DiagCode::E2002, {std::to_string(*bad + 1)});
  const Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded()) return error(400, DiagCode::E2001, {bilingual("请求体不是 JSON", "the body is not JSON")});
  if (!j.is_object()) return error(400, DiagCode::E6002, {"$", bilingual("一个 JSON 对象", "a JSON object")});
  for (const auto& [key, value] : j.items()) {
    if (key != "path" && key != "text") return error(400, DiagCode::E6003, {key, "path, text"});
    if (!value.is_string()) return error(400, DiagCode::E6002, {key, bilingual("文字", "a string")});
  }
  for (const char* required : {"path", "text"})
    if (!j.contains(required)) return error(400, DiagCode::E6001, {required});
  out.path = j["path"].get<std::string>();
  out.text = j["text"].get<std::string>();
  return outside_rule_folders(out.path, options);
}

// Diagnostics as `doudi --diagnostics json` writes them, placed in `sources`.
void add_diagnostics(Json& list, const std::vector<Diagnostic>& diagnostics, const SourceManager& sources) {
  for (const auto& d : diagnostics) list.push_back(Json::parse(render(d, sources, RenderOptions{Lang::Zh, false, true})));
}

// Sets `cancel` after `seconds` unless destroyed first.
class Deadline {
 public:
  Deadline(unsigned seconds, std::atomic<bool>& cancel)
      : thread_([this, seconds, &cancel] {
          std::unique_lock lock(mutex_);
          if (!wake_.wait_for(lock, std::chrono::seconds(seconds), [this] { return done_; })) cancel = true;
        }) {}
  ~Deadline() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

Response Service::sources() {
  // Every module under the rule folders (a folder's library modules may sit
  // in folders of their own), at most kListed of them.
  constexpr size_t kListed = 2000;
  Json files = Json::array();
  for (const auto& dir : options_.rule_dirs) {
    std::vector<std::string> paths;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator() && paths.size() < kListed; it.increment(ec))
      if (it->path().extension() == ".doudi" && it->is_regular_file(ec)) paths.push_back(it->path().string());
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
      Json f{{"path", path}, {"ruleset", nullptr}};
      for (const auto& digest : rules_.digests())
        if (rules_.find(digest)->origin == path) f["ruleset"] = digest;
      files.push_back(std::move(f));
    }
  }
  Json folders = Json::array();
  for (const auto& dir : options_.rule_dirs) folders.push_back(dir);
  return json_response(200, Json{{"folders", folders}, {"files", files}});
}

Response Service::source_text(const Request& request) {
  const std::string path = query_value(request, "path");
  if (path.empty()) return error(400, DiagCode::E6001, {"path"});
  if (auto bad = outside_rule_folders(path, options_)) return *bad;
  std::string text, why;
  if (!read_regular_file(path, text, why, static_cast<long>(options_.max_body_bytes)))
    return error(404, DiagCode::E0007, {path, why});
  return Response{200, "text/plain; charset=utf-8", std::move(text)};
}

Response Service::check_text(const Request& request) {
  RuleText r;
  if (auto bad = read_rule_text(request.body, options_, r)) return *bad;
  const std::string proofs = query_value(request, "proofs");
  if (!proofs.empty() && proofs != "true" && proofs != "false")
    return error(400, DiagCode::E6002, {"proofs", bilingual(" true 或 false", "true or false")});
  Json diagnostics = Json::array();
  size_t errors = 0, warnings = 0;
  bool cancelled = false;
  if (proofs == "false") {
    // The fast stages only (parse, names, types, units, lowering): what an
    // editor shows as the officer types.
    CompileOptions options;
    options.import_roots = options_.import_roots;
    const auto compilation = compile_text(r.path, r.text, options);
    add_diagnostics(diagnostics, compilation->diags.all(), compilation->sources);
    errors = compilation->diags.error_count();
    warnings = compilation->diags.all().size() - errors;
  } else {
    // Everything `doudi check` does, proofs included, on one thread, its
    // proofs stopped after proof_seconds (then what was found so far), and
    // at most full_checks at once: proofs must not starve decisions.
    const auto slot = take_solver_slot();
    if (!slot) return error(503, DiagCode::E6011, {std::to_string(options_.full_checks)});
    std::atomic<bool> cancel{false};
    CheckOptions options;
    options.import_roots = options_.import_roots;
    options.files.set_buffer(r.path, r.text);
    options.jobs = 1;
    options.cancel = &cancel;
    CheckReport report;
    {
      Deadline deadline(options_.proof_seconds, cancel);
      report = check_files({r.path}, options);
    }
    for (const auto& f : report.findings) add_diagnostics(diagnostics, {f.diagnostic}, report.compilations[f.compilation]->sources);
    errors = report.errors;
    warnings = report.warnings;
    cancelled = report.cancelled;
  }
  return json_response(200, Json{{"path", r.path}, {"ok", errors == 0}, {"errors", errors}, {"warnings", warnings},
                                 {"proofs", proofs != "false"}, {"cancelled", cancelled}, {"diagnostics", diagnostics}});
}

Response Service::test_text(const Request& request) {
  RuleText r;
  if (auto bad = read_rule_text(request.body, options_, r)) return *bad;
  Lang lang = options_.lang;
  if (auto bad = read_lang(request, options_.lang, lang)) return *bad;
  CompileOptions options;
  options.import_roots = options_.import_roots;
  options.files.set_buffer(r.path, r.text);
  const TestReport report = run_tests({r.path}, options);
  const TestFile& file = report.files.front();
  Json diagnostics = Json::array();
  add_diagnostics(diagnostics, file.compilation->diags.all(), file.compilation->sources);
  Json tests = Json::array();
  for (const auto& t : file.tests) {
    Json failures = Json::array();
    for (const auto& f : t.failures) failures.push_back(test_failure_text(*file.compilation->module, t, f, lang));
    tests.push_back(Json{{"title", t.title}, {"where", t.where}, {"passed", t.failures.empty()}, {"failures", failures}});
  }
  return json_response(200, Json{{"path", r.path}, {"compiles", file.compilation->ok()}, {"passed", report.passed},
                                 {"failed", report.failed}, {"tests", tests}, {"diagnostics", diagnostics}});
}

}  // namespace doudi::serve
