// `doudi lsp`: the Language Server Protocol over stdin and stdout. One
// thread reads messages into a queue; the main thread answers them in
// order and, once the typing has paused, compiles changed files and
// publishes their diagnostics. Malformed JSON, unknown methods, wrong
// parameters and text that is not UTF-8 are answered with errors; only
// `exit`, a closed stdin and framing that cannot be trusted end it.
#pragma once
#include <chrono>
#include <condition_variable>
#include <deque>
#include <istream>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/lsp/documents.h"

namespace doudi::lsp {

using Json = nlohmann::json;

struct ServerOptions {
  std::vector<std::string> import_roots;  // -I, and the client's initializationOptions.importRoots
  std::chrono::milliseconds debounce{200};
  // After this much quiet, the proofs of `doudi check` run on the file in
  // the background; the next change cancels them. Negative: never.
  std::chrono::milliseconds proof_pause{1500};
};

// The semantic token types and modifiers the server uses (semantic_tokens.cc).
Json semantic_tokens_legend();

class LanguageServer {
 public:
  LanguageServer(std::istream& in, std::ostream& out, ServerOptions options);
  // Runs until `exit` (returns 0 after `shutdown`, 1 without) or the end of
  // the input (1).
  int run();

 private:
  void reader();
  void handle(const std::string& body);
  void request(const Json& id, const std::string& method, const Json& params);
  void notification(const std::string& method, const Json& params);
  void send(const Json& message);
  void reply(const Json& id, Json result);
  void reply_error(const Json& id, int code, const std::string& message);
  // Compiles the documents changed since their last analysis and publishes
  // their diagnostics.
  void analyse_stale();
  std::shared_ptr<const Analysis> fresh(Document& doc);
  void publish(Document& doc);
  // The background proofs: started on a quiet open file not yet proved at
  // its version; their findings replace its diagnostics when they finish
  // with the version unchanged.
  bool start_proofs_if_due(std::chrono::steady_clock::time_point& wake);
  void cancel_proofs();
  void finish_proofs();

  // A name where a request points, in the analysis it was found in (which
  // keeps it alive).
  struct Occurrence {
    std::shared_ptr<const Analysis> analysis;
    const NameOccurrence* name = nullptr;
  };
  // The name at a request's textDocument and position; none if the file is
  // not open, did not reach the checker, or has no name there.
  Occurrence name_at(const Json& params);
  // Every occurrence of the name at the request's position, in the file's
  // compilation and in every open file's that includes its declaration;
  // `found` receives the name at the position (null if none).
  std::vector<Occurrence> occurrences_at(const Json& params, bool with_declaration,
                                         const NameOccurrence** found = nullptr);

  Json hover(const Json& params);
  Json definition(const Json& params);
  Json references(const Json& params);
  Json document_symbols(const Json& params);
  Json formatting(const Json& params);
  Json completion(const Json& params);
  Json code_lenses(const Json& params);
  Json prepare_rename(const Json& params);
  Json rename(const Json& id, const Json& params);  // replies itself (an invalid name is an error)
  Json workspace_symbols(const Json& params);
  Json semantic_tokens(const Json& params);
  Json code_actions(const Json& params);
  Json run_test_command(const Json& arguments);

  std::istream& in_;
  std::ostream& out_;
  ServerOptions options_;
  Documents docs_;
  Lang lang_ = Lang::Zh;
  bool shutdown_ = false, exit_ = false;

  std::mutex mutex_;
  std::condition_variable arrived_;
  struct Incoming {
    enum class Kind { Message, Broken, ProofsDone } kind = Kind::Message;
    std::string text;  // the message, or why the framing broke
  };
  std::deque<Incoming> queue_;
  bool input_ended_ = false;
  std::chrono::steady_clock::time_point last_change_{};
  std::string last_changed_uri_;

  struct Proofs {
    std::string uri;
    int64_t version = 0;
    std::thread thread;
    std::atomic<bool> cancel{false};
    Json diagnostics;  // set by the thread before it queues ProofsDone
    bool cancelled = false;
  };
  std::unique_ptr<Proofs> proofs_;
};

}  // namespace doudi::lsp
