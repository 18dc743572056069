#include "tools/lsp/language_server.h"

#include <filesystem>
#include <optional>
#include <thread>

#include "compiler/fmt/formatter.h"
#include "compiler/parse/parser.h"
#include "doudi/analysis.h"

#include "tools/lsp/json_rpc.h"
#include "tools/lsp/lsp_json.h"

namespace doudi::lsp {

// JSON-RPC error codes (the LSP specification, "Response Message").
constexpr int kParseError = -32700, kInvalidRequest = -32600, kMethodNotFound = -32601, kInvalidParams = -32602,
              kInternalError = -32603, kServerNotInitialized = -32002;

LanguageServer::LanguageServer(std::istream& in, std::ostream& out, ServerOptions options)
    : in_(in), out_(out), options_(std::move(options)) {
  // std::cin flushes std::cout before every read: from the reading thread,
  // while the main thread writes, that is a race on the output that loses
  // messages. The two streams are independent here.
  in_.tie(nullptr);
}

void LanguageServer::reader() {
  for (;;) {
    std::string body, error;
    const ReadStatus status = read_message(in_, body, error);
    std::lock_guard lock(mutex_);
    if (status == ReadStatus::Message) queue_.push_back({Incoming::Kind::Message, std::move(body)});
    // Answered as a parse error; then the input is over (its framing is lost).
    if (status == ReadStatus::Broken) queue_.push_back({Incoming::Kind::Broken, std::move(error)});
    if (status != ReadStatus::Message) input_ended_ = true;
    arrived_.notify_one();
    if (status != ReadStatus::Message) return;
  }
}

int LanguageServer::run() {
  using Clock = std::chrono::steady_clock;
  std::thread reading([this] { reader(); });
  reading.detach();  // blocked on stdin at `exit`; the process ends with it
  int rc = 1;
  while (!exit_) {
    Incoming next;
    {
      std::unique_lock lock(mutex_);
      const auto pending = [&] {
        for (auto& [uri, doc] : docs_.all())
          if (doc.stale) return true;
        return false;
      };
      bool analyse = false;
      while (queue_.empty() && !input_ended_) {
        if (pending()) {
          const auto due = last_change_ + options_.debounce;
          if (Clock::now() >= due) {
            analyse = true;
            break;
          }
          arrived_.wait_until(lock, due);
          continue;
        }
        // Nothing to compile: the proofs of a quiet file may be due.
        auto wake = Clock::time_point::max();
        lock.unlock();
        const bool started = start_proofs_if_due(wake);
        lock.lock();
        if (started || !queue_.empty() || input_ended_) continue;
        if (wake == Clock::time_point::max()) arrived_.wait(lock);
        else arrived_.wait_until(lock, wake);
      }
      if (analyse || queue_.empty()) {
        if (!analyse && input_ended_) break;  // the client went away without `exit`
        lock.unlock();
        analyse_stale();
        continue;
      }
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    switch (next.kind) {
      case Incoming::Kind::Message: handle(next.text); break;
      case Incoming::Kind::Broken: reply_error(nullptr, kParseError, next.text); break;
      case Incoming::Kind::ProofsDone: finish_proofs(); break;
    }
    if (exit_) rc = shutdown_ ? 0 : 1;
  }
  cancel_proofs();
  if (proofs_ && proofs_->thread.joinable()) proofs_->thread.join();
  return rc;
}

bool LanguageServer::start_proofs_if_due(std::chrono::steady_clock::time_point& wake) {
  if (options_.proof_pause.count() < 0 || proofs_) return false;
  const auto due = last_change_ + options_.proof_pause;
  for (auto& [uri, doc] : docs_.all()) {
    if (doc.stale || doc.proved_version == doc.version || !doc.analysis) continue;
    if (!doc.analysis->compilation->ok()) {
      doc.proved_version = doc.version;  // proofs need rules that compile
      continue;
    }
    if (std::chrono::steady_clock::now() < due) {
      wake = due;
      return false;
    }
    auto p = std::make_unique<Proofs>();
    p->uri = uri;
    p->version = doc.version;
    CheckOptions options;
    options.import_roots = options_.import_roots;
    options.files = docs_.buffers();
    options.jobs = 1;
    options.cancel = &p->cancel;
    Proofs* raw = p.get();
    const std::string path = doc.path;
    const Lang lang = lang_;
    p->thread = std::thread([this, raw, path, lang, options = std::move(options)] {
      try {
        const CheckReport report = check_files({path}, options);
        Json list = Json::array();
        const std::string want = path_key(path);
        for (const auto& f : report.findings) {
          const SourceManager& sm = report.compilations[f.compilation]->sources;
          FileId here = kNoFile;
          for (FileId id = 0; id < sm.size(); ++id)
            if (path_key(sm.file(id).path()) == want) here = id;
          list.push_back(diagnostic_json(f.diagnostic, sm, here, lang));
        }
        raw->diagnostics = std::move(list);
        raw->cancelled = report.cancelled;
      } catch (const std::exception&) {
        // A path the system refuses (too long, no permission): no proofs
        // for this version, and the server goes on.
        raw->cancelled = true;
      }
      std::lock_guard lock(mutex_);
      queue_.push_back({Incoming::Kind::ProofsDone, {}});
      arrived_.notify_one();
    });
    proofs_ = std::move(p);
    return true;
  }
  return false;
}

void LanguageServer::cancel_proofs() {
  if (proofs_) proofs_->cancel = true;
}

void LanguageServer::finish_proofs() {
  if (!proofs_) return;
  proofs_->thread.join();
  std::unique_ptr<Proofs> p = std::move(proofs_);
  Document* doc = docs_.find(p->uri);
  if (!doc) return;
  doc->proved_version = p->version;  // a cancelled run is tried again after the next change
  if (p->cancelled || p->cancel || doc->version != p->version || doc->stale || !doc->analysis) return;
  // The file's own diagnostics (with their quick fixes), then what only the
  // proofs and the other analyses found.
  Json merged = diagnostics_json(*doc->analysis, *doc, lang_);
  const Json fast = merged;
  for (const auto& d : p->diagnostics) {
    bool known = false;
    for (const auto& f : fast)
      known = known || (f["code"] == d["code"] && f["range"] == d["range"] && f["message"] == d["message"]);
    if (!known) merged.push_back(d);
  }
  send(Json{{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"},
            {"params", {{"uri", doc->uri}, {"version", doc->version}, {"diagnostics", merged}}}});
}

void LanguageServer::handle(const std::string& body) {
  Json message;
  try {
    message = Json::parse(body);
  } catch (const Json::exception& e) {
    return reply_error(nullptr, kParseError, e.what());
  }
  if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
    if (message.is_object() && message.contains("id") && !message.contains("method")) return;  // a response to us
    return reply_error(message.is_object() && message.contains("id") ? message["id"] : Json(nullptr), kInvalidRequest,
                       "a request needs a method");
  }
  const std::string method = message["method"];
  const Json params = message.value("params", Json::object());
  try {
    if (message.contains("id")) request(message["id"], method, params);
    else notification(method, params);
  } catch (const Json::exception& e) {
    // A field of the wrong type or missing: the client's mistake.
    if (message.contains("id")) reply_error(message["id"], kInvalidParams, e.what());
  } catch (const std::exception& e) {
    if (message.contains("id")) reply_error(message["id"], kInternalError, e.what());
  }
}

void LanguageServer::request(const Json& id, const std::string& method, const Json& params) {
  if (method == "initialize") {
    const std::string locale = params.value("locale", "");
    lang_ = locale.empty() || locale.rfind("zh", 0) == 0 ? Lang::Zh : Lang::En;
    if (params.contains("initializationOptions") && params["initializationOptions"].is_object())
      for (const auto& root : params["initializationOptions"].value("importRoots", Json::array()))
        options_.import_roots.push_back(root.get<std::string>());
    return reply(id, Json{{"capabilities",
                           {{"textDocumentSync", {{"openClose", true}, {"change", 1}, {"save", true}}},
                            {"hoverProvider", true},
                            {"definitionProvider", true},
                            {"referencesProvider", true},
                            {"documentSymbolProvider", true},
                            {"documentFormattingProvider", true},
                            {"completionProvider", {{"triggerCharacters", {"."}}}},
                            {"codeLensProvider", {{"resolveProvider", false}}},
                            {"renameProvider", {{"prepareProvider", true}}},
                            {"workspaceSymbolProvider", true},
                            {"codeActionProvider", {{"codeActionKinds", {"quickfix", "refactor.rewrite"}}}},
                            {"semanticTokensProvider", {{"legend", semantic_tokens_legend()}, {"full", true}}},
                            {"executeCommandProvider", {{"commands", {"doudi.runTest"}}}}}},
                          {"serverInfo", {{"name", "doudi"}, {"version", DOUDI_VERSION}}}});
  }
  if (method == "shutdown") {
    shutdown_ = true;
    return reply(id, nullptr);
  }
  if (shutdown_) return reply_error(id, kInvalidRequest, "the server is shutting down");
  if (method == "textDocument/hover") return reply(id, hover(params));
  if (method == "textDocument/definition") return reply(id, definition(params));
  if (method == "textDocument/references") return reply(id, references(params));
  if (method == "textDocument/documentSymbol") return reply(id, document_symbols(params));
  if (method == "textDocument/formatting") return reply(id, formatting(params));
  if (method == "textDocument/completion") return reply(id, completion(params));
  if (method == "textDocument/codeLens") return reply(id, code_lenses(params));
  if (method == "textDocument/prepareRename") return reply(id, prepare_rename(params));
  if (method == "textDocument/rename") {
    rename(id, params);
    return;
  }
  if (method == "workspace/symbol") return reply(id, workspace_symbols(params));
  if (method == "textDocument/codeAction") return reply(id, code_actions(params));
  if (method == "textDocument/semanticTokens/full") return reply(id, semantic_tokens(params));
  if (method == "workspace/executeCommand") {
    if (params.at("command") == "doudi.runTest") return reply(id, run_test_command(params.at("arguments")));
    return reply_error(id, kInvalidParams, "doudi lsp has no command " + params.at("command").dump());
  }
  (void)kServerNotInitialized;
  reply_error(id, kMethodNotFound, "doudi lsp does not answer " + method);
}

void LanguageServer::notification(const std::string& method, const Json& params) {
  if (method == "exit") {
    exit_ = true;
    return;
  }
  if (method == "textDocument/didOpen") {
    const Json& td = params.at("textDocument");
    const std::string uri = td.at("uri");
    const auto path = path_of_uri(uri);
    if (!path) return;  // not a file: nothing to compile it as
    cancel_proofs();
    docs_.open(uri, *path, td.at("text"), td.value("version", 0));
    last_change_ = std::chrono::steady_clock::now() - options_.debounce;  // an opened file is checked at once
    return;
  }
  if (method == "textDocument/didChange") {
    Document* doc = docs_.find(params.at("textDocument").at("uri"));
    if (!doc) return;
    // Full synchronisation: the last change holds the whole text. Read
    // everything first: a malformed change leaves the document as it was.
    std::optional<std::string> text;
    for (const auto& change : params.at("contentChanges"))
      if (!change.contains("range")) text = change.at("text").get<std::string>();
    const int64_t version = params.at("textDocument").value("version", doc->version + 1);
    if (!text) return;
    doc->text = std::move(*text);
    doc->version = version;
    doc->stale = true;
    doc->proved_version = -1;
    // The open files whose compilation read this one (a deployment that
    // imports the policy being edited) are checked again too.
    for (auto& [u, other] : docs_.all()) {
      if (other.stale || !other.analysis || other.analysis->file_of(doc->path) != kNoFile) {
        other.stale = true;
        other.proved_version = -1;
      }
    }
    last_change_ = std::chrono::steady_clock::now();
    last_changed_uri_ = doc->uri;
    cancel_proofs();
    return;
  }
  if (method == "textDocument/didClose") {
    const std::string uri = params.at("textDocument").at("uri");
    send(Json{{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"},
              {"params", {{"uri", uri}, {"diagnostics", Json::array()}}}});
    cancel_proofs();
    docs_.close(uri);
    return;
  }
  // initialized, didSave, $/cancelRequest, $/setTrace and the rest need no answer.
}

void LanguageServer::send(const Json& message) {
  // Text from files that are not UTF-8 reaches messages as it is: replaced, never thrown on.
  write_message(out_, message.dump(-1, ' ', false, Json::error_handler_t::replace));
}

void LanguageServer::reply(const Json& id, Json result) {
  send(Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void LanguageServer::reply_error(const Json& id, int code, const std::string& message) {
  send(Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

Json LanguageServer::code_actions(const Json& params) {
  // The fixes travel in the diagnostics' data (quick_fixes.h).
  const std::string uri = params.at("textDocument").at("uri");
  Json actions = Json::array();
  for (const auto& d : params.at("context").value("diagnostics", Json::array())) {
    if (!d.contains("data") || !d["data"].is_object()) continue;
    const Json fixes = d["data"].value("fixes", Json::array());
    if (!fixes.is_array()) continue;
    for (const auto& fix : fixes) {
      // The data comes back from the client: only well-formed edits are used.
      if (!fix.is_object() || !fix.contains("title") || !fix["title"].is_string() || !fix.contains("edits") ||
          !fix["edits"].is_array())
        continue;
      bool edits_ok = true;
      for (const auto& e : fix["edits"])
        edits_ok = edits_ok && e.is_object() && e.contains("range") && e["range"].is_object() && e.contains("newText") &&
                   e["newText"].is_string();
      if (!edits_ok) continue;
      actions.push_back(Json{{"title", fix.at("title")}, {"kind", "quickfix"}, {"diagnostics", {d}},
                             {"edit", {{"changes", {{uri, fix.at("edits")}}}}}});
    }
  }
  // The whole file in the other dialect's keywords (as `doudi fmt --to`).
  if (Document* doc = docs_.find(uri)) {
    SourceManager sm;
    DiagSink diags;
    const auto file = parse_file(sm, sm.add(doc->path, doc->text), diags);
    if (file) {
      const bool to_en = file->dialect == Dialect::Zh;
      const Position end = position_of(doc->text, static_cast<uint32_t>(doc->text.size()));
      actions.push_back(Json{
          {"title", lang_ == Lang::Zh ? (to_en ? "以英文关键字显示此文件" : "以中文关键字显示此文件")
                                      : (to_en ? "Show this file with English keywords" : "Show this file with Chinese keywords")},
          {"kind", "refactor.rewrite"},
          {"edit", {{"changes", {{uri, {Json{{"range", {{"start", position_json({0, 0})}, {"end", position_json(end)}}},
                                             {"newText", format_file(*file, sm, to_en ? Dialect::En : Dialect::Zh)}}}}}}}}});
    }
  }
  return actions;
}

void LanguageServer::analyse_stale() {
  // The file being typed in first: its diagnostics are the ones awaited.
  std::vector<Document*> order;
  for (auto& [uri, doc] : docs_.all())
    if (doc.stale) order.insert(uri == last_changed_uri_ ? order.begin() : order.end(), &doc);
  for (Document* d : order) {
    Document& doc = *d;
    try {
      fresh(doc);
    } catch (const std::exception& e) {
      // A compiler bug must not end the editor's server: said once, and the
      // file is not tried again until it changes.
      doc.stale = false;
      send(Json{{"jsonrpc", "2.0"}, {"method", "window/logMessage"},
                {"params", {{"type", 1}, {"message", std::string("doudi lsp: ") + e.what()}}}});
    }
  }
}

std::shared_ptr<const Analysis> LanguageServer::fresh(Document& doc) {
  if (!doc.stale && doc.analysis) return doc.analysis;
  docs_.analyse(doc, options_.import_roots);
  publish(doc);
  return doc.analysis;
}

void LanguageServer::publish(Document& doc) {
  send(Json{{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"},
            {"params", {{"uri", doc.uri}, {"version", doc.version}, {"diagnostics", diagnostics_json(*doc.analysis, doc, lang_)}}}});
}

}  // namespace doudi::lsp
