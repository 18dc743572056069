// Shared options and the subcommands' entry points.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "runtime/diag/diagnostic.h"
#include "compiler/driver/pipeline.h"

namespace doudi::cli {

struct Common {
  Lang lang = Lang::Zh;
  bool color = false;
  bool json = false;  // diagnostics (and check's summary) as JSON lines
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  RenderOptions render() const { return RenderOptions{lang, color, json}; }
  const char* pick(const char* zh, const char* en) const { return lang == Lang::Zh ? zh : en; }
};

struct CheckArgs {
  std::vector<std::string> paths;
  std::vector<std::string> import_roots;
  int max_members = 6;
  unsigned jobs = 0;       // 0: one per core
  bool no_cache = false;
  std::string cache_dir;   // empty: default_proof_cache_dir()
};
struct DiffArgs {
  std::string old_path, new_path;
  std::vector<std::string> import_roots;
  int max_members = 6;
  std::string data;  // JSONL records for an impact table, with jurisdiction and month
  std::string jurisdiction, month;
  std::vector<std::string> between;  // two jurisdictions: OLD in the first, NEW (or OLD) in the second
  unsigned jobs = 0;                 // 0: one per core
  bool no_cache = false;
  std::string cache_dir;             // empty: default_proof_cache_dir()
};
struct RunArgs {
  std::string module;
  std::string jurisdiction;
  std::string month;
  std::string record;
  bool explain = false;
  std::string detail = "summary";  // --detail: summary or full
  bool json = false;
  std::vector<std::string> outputs;  // --output: only these, in the text and the explanation
  std::string why_not;               // --why-not OUTPUT[=VALUE]
  std::string thresholds;            // --thresholds FIELD
  std::string notice;                // --notice FILE (.html or .pdf)
  std::string log, key_file;
  std::string signing_key;  // --signing-key: sign a checkpoint after the entry
  std::string trusted_keys;  // --trusted-keys: the rules must be a bundle one of these signed
  std::string engine;        // --engine interp|jit; empty: the interpreter
  std::vector<std::string> import_roots;
};
struct TestArgs {
  std::vector<std::string> paths;
  std::vector<std::string> import_roots;
};
struct LspArgs {
  std::vector<std::string> import_roots;
  bool stdio = false;
  int debounce_ms = 200;
};
struct FmtArgs {
  std::vector<std::string> paths;
  std::vector<std::string> import_roots;  // accepted, not read: layout needs no imports
  std::string to;
  bool write = false;
  bool check = false;
};
struct CitesArgs {
  std::vector<std::string> paths;
  std::vector<std::string> import_roots;
  std::string provisions;
  bool markdown = false;
  std::string check;
};
struct BatchArgs {
  std::string module, jurisdiction, month, records, log, key_file;
  std::string signing_key;          // --signing-key: sign checkpoints
  std::string trusted_keys;         // --trusted-keys
  uint64_t checkpoint_every = 1000;  // --checkpoint-every
  bool resume = false;
  unsigned threads = 0;              // --threads; 0: one per core
  uint64_t sync_every = 100000;      // --sync-every
  uint64_t sync_ms = 1000;           // --sync-ms
  bool progress = false, no_progress = false;  // default: a progress line on a terminal
  std::string format;                // --format jsonl|csv; empty: from the file name (.csv is CSV)
  std::string csv_key;               // --csv-key: the column that identifies a household
  std::string engine;                // --engine interp|jit; empty: the compiled engine if built
  std::vector<std::string> import_roots;
};
struct VerifyLogArgs {
  std::string log, public_key, since;
};
struct KeygenArgs {
  std::string output;
};
struct LogCheckpointArgs {
  std::string log;
};
struct LogProveArgs {
  std::string log, id, since;
};
struct LogListArgs {
  std::string log, public_key;
};
struct LogFindArgs {
  std::string log, key_file;
  std::vector<std::string> field;  // NAME VALUE
};
struct CheckProofArgs {
  std::string proof, public_key;
};
struct ReplayArgs {
  std::string log, bundle, against, public_key, trusted_keys;
  std::vector<std::string> import_roots;
};
struct ExplainArgs {
  std::string log, id, bundle, format = "text";
  std::string public_key;  // --public-key: the entry must be under a checkpoint signed with it
  std::string trusted_keys;
  std::string detail = "summary";
  std::vector<std::string> outputs;
  std::string why_not, thresholds;        // as in run; need the rules as source:
  std::string rules;                      // --rules: the .doudi module the bundle was made from
  std::vector<std::string> import_roots;
};
struct NoticeArgs {
  std::string log, id, bundle, public_key, trusted_keys;
  std::string format;  // html or pdf; empty: by the -o file's extension (html if none)
  std::string output, chromium;
  bool show_sensitive = false;
  std::vector<std::string> import_roots;
};
struct BundleArgs {
  std::string module;
  std::string output;
  std::string sign;  // --sign: a private key from doudi keygen
  std::vector<std::string> import_roots;
};
struct IrArgs {
  std::string module;
  std::vector<std::string> import_roots;
};

int cmd_check(const Common& c, const CheckArgs& a);
int cmd_diff(const Common& c, const DiffArgs& a);
int cmd_run(const Common& c, const RunArgs& a);
int cmd_test(const Common& c, const TestArgs& a);
int cmd_fmt(const Common& c, const FmtArgs& a);
int cmd_lsp(const Common& c, const LspArgs& a);
int cmd_ir(const Common& c, const IrArgs& a);
int cmd_cites(const Common& c, const CitesArgs& a);
int cmd_bundle(const Common& c, const BundleArgs& a);
int cmd_batch(const Common& c, const BatchArgs& a);
int cmd_verify_log(const Common& c, const VerifyLogArgs& a);
int cmd_keygen(const Common& c, const KeygenArgs& a);
int cmd_log_checkpoint(const Common& c, const LogCheckpointArgs& a);
int cmd_log_prove(const Common& c, const LogProveArgs& a);
int cmd_log_check_proof(const Common& c, const CheckProofArgs& a);
int cmd_log_find(const Common& c, const LogFindArgs& a);
int cmd_log_list(const Common& c, const LogListArgs& a);
int cmd_replay(const Common& c, const ReplayArgs& a);
int cmd_explain(const Common& c, const ExplainArgs& a);
int cmd_notice(const Common& c, const NoticeArgs& a);

// Prints a compilation's diagnostics to err; returns true if it has no errors.
bool report(const Common& c, const Compilation& comp);
// Expands directories into their .doudi files.
std::vector<std::string> expand_paths(const std::vector<std::string>& paths);
// Diagnostics with no source position (command-line problems).
void report_plain(const Common& c, DiagCode code, std::vector<std::string> args);
void report_all(const Common& c, const std::vector<Diagnostic>& errors);

}  // namespace doudi::cli
