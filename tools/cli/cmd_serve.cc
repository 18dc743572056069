#include "tools/cli/cmd_serve.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "runtime/diag/system_reason.h"
#include "runtime/digest/digest.h"
#include "runtime/source/read_file.h"
#include "runtime/source/usable_cores.h"
#include "tools/cli/engine_choice.h"
#include "tools/cli/keys.h"
#include "tools/cli/module_source.h"

namespace doudi::cli {
namespace {

// The rule sets of one --rules folder: every module directly in it that can
// decide a household (a library module, with no input or no outputs, is not
// a rule set).
bool load_folder(const Common& c, const ServeArgs& a, const std::string& dir, std::vector<serve::ServedRuleSet>& out) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".doudi") files.push_back(entry.path().string());
  if (ec) {
    report_plain(c, DiagCode::E0007, {dir, system_failure("", "", ec.value())});
    return false;
  }
  std::sort(files.begin(), files.end());
  size_t found = 0;
  for (const auto& f : files) {
    serve::ServedRuleSet r;
    r.rules = rules_or_report(c, f, a.import_roots, &r.compilation);
    if (!r.rules) return false;
    std::vector<Diagnostic> ignored;
    if (!r.rules->decides(ignored)) continue;
    r.origin = f;
    out.push_back(std::move(r));
    ++found;
  }
  if (found == 0) {
    report_plain(c, DiagCode::E0007,
                 {dir, bilingual("其中没有能作出决定的模块（需有输入与输出）",
                                 "it holds no module that can decide a household (one with an input and outputs)")});
    return false;
  }
  return true;
}

}  // namespace

int serve_setup(const Common& c, const ServeArgs& a, ServeSetup& out) {
  if (a.bundles.empty() && a.rule_dirs.empty()) {
    *c.err << c.pick("doudi serve：请用 --bundle FILE 或 --rules DIR 给出规则\n",
                     "doudi serve: give the rules with --bundle FILE or --rules DIR\n");
    return 2;
  }
  if (a.log.empty() == !a.no_log) {
    *c.err << c.pick("doudi serve：请用 --log FILE 给出决定日志，或用 --no-log 明确不记录\n",
                     "doudi serve: give the decision log with --log FILE, or --no-log to log nothing\n");
    return 2;
  }
  std::vector<serve::ServedRuleSet> loaded;
  for (const auto& b : a.bundles) {
    serve::ServedRuleSet r;
    r.rules = rules_or_report(c, b, a.import_roots, &r.compilation);
    if (!r.rules) return 1;
    std::vector<Diagnostic> errors;
    if (!r.rules->decides(errors)) {
      report_all(c, errors);
      return 1;
    }
    r.origin = b;
    loaded.push_back(std::move(r));
  }
  for (const auto& d : a.rule_dirs)
    if (!load_folder(c, a, d, loaded)) return 1;

  for (auto& r : loaded) {
    const auto& rules = r.rules;
    if (!trusted_or_report(c, *rules, r.origin, a.trusted_keys, r.signer)) return 1;
    if (!a.no_log) {
      std::vector<Diagnostic> errors;
      const bool ok = load_log_key(rules->module(), a.key_file, r.key, errors);
      report_all(c, errors);
      if (!ok) return 1;
    }
    const auto kind = choose_engine(c, a.engine, true, rules);
    if (!kind) return 1;
    r.engine = *kind;
    out.rules.add(std::move(r));
  }
  if (!a.no_log) {
    CheckpointSettings checkpoints;
    if (!a.signing_key.empty() && !(checkpoints.key = signing_key_or_report(c, a.signing_key))) return 1;
    std::string error;
    out.log = serve::DurableLog::open(a.log, std::move(checkpoints), error);
    if (!out.log) {
      report_plain(c, DiagCode::E4003, {a.log, error});
      return 1;
    }
  }
  out.options.max_body_bytes = a.max_body;
  out.options.lang = c.lang;
  const auto nonce = random_hex(16);
  if (!nonce) {
    *c.err << c.pick("doudi serve：系统没有给出随机数\n", "doudi serve: the system gave no random bytes\n");
    return 1;
  }
  out.options.batch_nonce = *nonce;
  out.options.full_checks = a.full_checks >= 0 ? static_cast<unsigned>(a.full_checks)
                                              : std::max(1u, usable_cores() / 2);
  out.options.rule_dirs = a.rule_dirs;
  out.options.import_roots = a.import_roots;
  return 0;
}

namespace {

// --request METHOD PATH[?QUERY]: the request line a client would send.
bool parse_request_line(const std::vector<std::string>& line, serve::Request& r) {
  if (line.size() != 2) return false;
  r.method = line[0];
  const std::string& target = line[1];
  const auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::string query = target.substr(q + 1);
    for (size_t start = 0; start <= query.size();) {
      size_t end = query.find('&', start);
      if (end == std::string::npos) end = query.size();
      const std::string pair = query.substr(start, end - start);
      const auto eq = pair.find('=');
      if (!pair.empty()) r.query.emplace(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
      start = end + 1;
    }
  }
  return !r.method.empty() && !r.path.empty() && r.path[0] == '/';
}

}  // namespace

int cmd_serve_request(const Common& c, const ServeArgs& a) {
  serve::Request request;
  if (!parse_request_line(a.request, request)) {
    *c.err << c.pick("doudi serve：--request 应为 方法 路径，如 --request POST /v1/decide\n",
                     "doudi serve: --request takes METHOD PATH, e.g. --request POST /v1/decide\n");
    return 2;
  }
  request.content_type = a.content_type;
  if (!a.body.empty()) {
    std::string error;
    if (!read_regular_file(a.body, request.body, error, 1L << 34)) {
      report_plain(c, DiagCode::E0007, {a.body, error});
      return 1;
    }
  }
  ServeSetup setup;
  if (int rc = serve_setup(c, a, setup)) return rc;
  serve::Service service(std::move(setup.rules), setup.log.get(), setup.options);
  const serve::Response response = service.handle(request);
  *c.out << response.status << "\n" << response.body;
  if (response.stream) {
    const bool whole = service.stream(response, [&](std::string_view piece) {
      *c.out << piece;
      return static_cast<bool>(*c.out);
    });
    return whole ? 0 : 1;
  }
  *c.out << "\n";
  return response.status < 400 ? 0 : 1;
}

}  // namespace doudi::cli
