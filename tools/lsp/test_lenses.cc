// Code lenses on 测试 blocks: each test run on the editor's text, its result
// shown above it; clicking runs it again (workspace/executeCommand
// doudi.runTest) and tells the failure with the trace of what was computed.
#include "doudi/analysis.h"
#include "tools/lsp/language_server.h"
#include "tools/lsp/lsp_json.h"

namespace doudi::lsp {
namespace {

const char* kRunTest = "doudi.runTest";

// The module's tests run on the open files' texts.
TestReport run_open(Documents& docs, const Document& doc, const std::vector<std::string>& import_roots) {
  CompileOptions options;
  options.import_roots = import_roots;
  options.files = docs.buffers();
  return run_tests({doc.path}, options);
}

// "✗ file:line: 测试「title」: 期望 … , 实际 …" → "✗ 期望 …, 实际 …": the
// lens stands on the test's title already.
std::string lens_text(const std::string& failure, const std::string& title) {
  const std::string line = failure.substr(0, failure.find('\n'));
  const size_t at = line.find(title);
  const size_t colon = at == std::string::npos ? std::string::npos : line.find(": ", at + title.size());
  return colon == std::string::npos ? line : "✗ " + line.substr(colon + 2);
}

}  // namespace

Json LanguageServer::code_lenses(const Json& params) {
  Document* doc = docs_.find(params.at("textDocument").at("uri"));
  if (!doc) return nullptr;
  auto a = fresh(*doc);
  Json out = Json::array();
  if (!a->compilation->program) return out;
  const FileId here = a->file_of(doc->path);
  std::vector<const ast::TestDecl*> tests;
  for (const auto& f : a->compilation->program->files)
    if (f.file == here)
      for (const auto& node : f.items)
        if (auto* t = std::get_if<ast::TestDecl>(&node.item)) tests.push_back(t);
  if (tests.empty()) return out;
  const TestReport report = run_open(docs_, *doc, options_.import_roots);
  const TestFile& file = report.files.front();
  const bool zh = lang_ == Lang::Zh;
  size_t k = 0;
  for (const ast::TestDecl* t : tests) {
    std::string title;
    if (!file.compilation->ok() || !file.compilation->module) {
      title = zh ? "✗ 无法编译，测试未运行" : "✗ does not compile; the test did not run";
    } else {
      // Results come in the order of the file's tests.
      while (k < file.tests.size() && file.tests[k].title != t->name.text) ++k;
      if (k == file.tests.size()) break;
      const TestResult& r = file.tests[k++];
      title = r.failures.empty() ? (zh ? "✓ 通过 · 再次运行" : "✓ passed · run again")
                                 : lens_text(test_failure_text(*file.compilation->module, r, r.failures.front(), lang_), r.title);
    }
    out.push_back(Json{{"range", range_json(a->compilation->sources, t->name.span)},
                       {"command", {{"title", title}, {"command", kRunTest}, {"arguments", {doc->uri, t->name.text}}}}});
  }
  return out;
}

Json LanguageServer::run_test_command(const Json& arguments) {
  Document* doc = docs_.find(arguments.at(0).get<std::string>());
  const std::string title = arguments.at(1);
  if (!doc) return nullptr;
  const TestReport report = run_open(docs_, *doc, options_.import_roots);
  const TestFile& file = report.files.front();
  const bool zh = lang_ == Lang::Zh;
  Json result{{"title", title}, {"found", false}, {"passed", false}, {"text", ""}};
  if (!file.compilation->ok() || !file.compilation->module) {
    result["text"] = zh ? "无法编译，测试未运行" : "does not compile; the test did not run";
  } else {
    for (const TestResult& r : file.tests) {
      if (r.title != title) continue;
      std::string text;
      for (const auto& f : r.failures) text += test_failure_text(*file.compilation->module, r, f, lang_);
      result = Json{{"title", title}, {"found", true}, {"passed", r.failures.empty()},
                    {"text", r.failures.empty() ? (zh ? "✓ 测试「" + title + "」通过" : "✓ test \"" + title + "\" passed") : text}};
      break;
    }
  }
  send(Json{{"jsonrpc", "2.0"}, {"method", "window/showMessage"},
            {"params", {{"type", result["passed"].get<bool>() ? 3 : 1}, {"message", result["text"]}}}});
  return result;
}

}  // namespace doudi::lsp
