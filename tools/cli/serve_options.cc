#include "tools/cli/serve_options.h"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "runtime/diag/diagnostic.h"
#include "runtime/diag/system_reason.h"
#include "runtime/source/program_dir.h"

namespace doudi::cli {
namespace {

// The program next to this one, else on PATH.
std::string server_program() {
  if (const auto dir = program_dir(); !dir.empty()) {
    std::error_code ec;
    const auto beside = dir / "doudi-serve";
    if (std::filesystem::exists(beside, ec)) return beside.string();
  }
  return "doudi-serve";
}

}  // namespace

void add_serve_options(CLI::App* cmd, ServeArgs& a) {
  cmd->add_option("--bundle", a.bundles, "a rule bundle to serve (repeatable; the first is the default)\n提供服务的规则包（可重复；第一个为默认）");
  cmd->add_option("--rules", a.rule_dirs,
                  "a folder of .doudi modules: each that decides is served, compiled at start (repeatable)\n"
                  "规则源文件夹：其中每个能作出决定的模块都提供服务（可重复）");
  cmd->add_option("-I", a.import_roots, "where else imported modules are (repeatable)\n引用模块的其他查找目录")
      ->allow_extra_args(false);
  cmd->add_option("--log", a.log, "the decision log every decision is appended to before it is answered\n决定日志：每项决定在答复前写入");
  cmd->add_flag("--no-log", a.no_log, "answer decisions without logging them (load tests)\n不记录决定（压力测试用）");
  cmd->add_option("--key-file", a.key_file, "a file holding the log key, for 敏感 fields (else the key itself in DOUDI_LOG_KEY)\n"
                  "存放日志密钥的文件，用于敏感字段（否则用 DOUDI_LOG_KEY 中的密钥本身）");
  cmd->add_option("--signing-key", a.signing_key, "sign log checkpoints with this private key\n用此私钥签署日志检查点");
  cmd->add_option("--trusted-keys", a.trusted_keys, "serve only bundles signed by one of these public keys\n只接受由这些公钥签名的规则包");
  cmd->add_option("--engine", a.engine, "interp or jit (default: jit where this build has it)\n引擎：interp 或 jit")
      ->check(CLI::IsMember({"interp", "jit"}));
  cmd->add_option("--bind", a.bind, "address to listen on (default 127.0.0.1: this machine only)\n监听地址（默认仅本机）");
  cmd->add_option("--port", a.port, "port (default 8080)\n端口（默认 8080）")->check(CLI::Range(1, 65535));
  cmd->add_option("--threads", a.threads, "threads answering requests (default: four per core, at least 16)\n处理请求的线程数（默认每核 4 个，至少 16 个）");
  cmd->add_option("--full-checks", a.full_checks,
                  "how many /v1/check requests with proofs may run at once (default: one per two cores; 0: none)\n"
                  "同时运行的完整检查（含证明）上限（默认每两核一个；0 表示不接受）")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--max-body", a.max_body, "largest request body in bytes (default 4194304); larger: 413\n请求体上限（字节）")
      ->check(CLI::Range(size_t{1}, size_t{1} << 34));
}

int exec_server(const Common& c, const std::vector<std::string>& args) {
  // The server: doudi-serve with the same arguments (those after `serve`,
  // and --lang).
  std::vector<std::string> argv{server_program()};
  if (c.lang == Lang::En) argv.insert(argv.end(), {"--lang", "en"});
  const auto at = std::find(args.begin(), args.end(), "serve");
  argv.insert(argv.end(), at == args.end() ? args.end() : at + 1, args.end());
  std::vector<char*> raw;
  for (auto& s : argv) raw.push_back(s.data());
  raw.push_back(nullptr);
  execvp(raw[0], raw.data());
  *c.err << in_lang(system_failure("doudi serve：无法启动 " + argv[0] + "：", "doudi serve: cannot start " + argv[0] + ": ", errno),
                    c.lang)
         << "\n";
  return 1;
}

}  // namespace doudi::cli
