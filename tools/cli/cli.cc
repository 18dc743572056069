#include "tools/cli/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <functional>
#include <memory>

#include "runtime/diag/diagnostic.h"
#include "tools/cli/commands.h"
#include "tools/cli/compile_side.h"
#include "tools/cli/serve_options.h"
#include "tools/cli/usage_error.h"

namespace doudi {
namespace {

// A subcommand and how to run it once its options are parsed.
struct Command {
  CLI::App* app;
  std::function<int(const cli::Common&)> run;
};

// Whether a subcommand is added with its options, or by name and summary
// only (all `doudi --help` lists, and enough to refuse an unknown command
// as before): only the one the command line names gets them. Building
// every option of every command was half of what `doudi --version` ran
// (2.3M of 4.6M instructions) and came before every command.
struct Wanted {
  std::string named;
  bool operator()(const CLI::App* cmd) const { return cmd->get_name() == named; }
};

// The subcommand the command line names: its first argument that is
// neither an option nor the value of one of `app`'s own options given
// before it (`doudi --lang en run …`; `--lang=en` carries its value).
// Empty if there is none.
std::string named_subcommand(const CLI::App& app, const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.empty() || a[0] != '-') return a;
    if (a.find('=') != std::string::npos) continue;
    const CLI::Option* option = app.get_option_no_throw(a);
    if (option && option->get_type_size() > 0) ++i;  // its value
  }
  return "";
}

// A command of the compile side (compile_side.h), loaded if need be.
template <class Args>
int compiled(const cli::Common& c, int (cli::CompileSide::*command)(const cli::Common&, const Args&) const,
             const Args& args) {
  const cli::CompileSide* side = cli::compile_side(c);
  return side ? (side->*command)(c, args) : 1;
}

// `-I DIR`, repeatable, one folder each time: where else imported modules are.
void add_import_roots(CLI::App* cmd, std::vector<std::string>& roots) {
  cmd->add_option("-I,--import-root", roots,
                  "another folder to find imported modules in (repeatable)\n另一个查找被引用模块的文件夹（可重复）")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void add_check(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::CheckArgs>();
  cli::CheckArgs& a = *args;
  CLI::App* check_cmd = app.add_subcommand("check", "parse, resolve and type-check files, check every constraint in every\n"
                                           "jurisdiction on every date its inputs change, prove rules free of exception\n"
                                           "conflicts and gaps, and list missing values and unused definitions\n"
                                           "检查规则文件（语法、名称、类型与单位），核验约束，证明例外不冲突、没有缺口，并列出缺少的取值与未用的定义");
  if (!wanted(check_cmd)) return;
  check_cmd->add_option("paths", a.paths, "files or folders of .doudi files\n.doudi 文件或其所在的文件夹")->required();
  add_import_roots(check_cmd, a.import_roots);
  check_cmd->add_option("--max-members", a.max_members, "households in proofs have 1 to N members (default 6)\n证明中的家庭有 1 至 N 名成员（默认 6）")
      ->check(CLI::Range(1, 12));
  check_cmd->add_option("--jobs", a.jobs, "prove rules on N threads (default: one per CPU this process may use)\n用 N 个线程证明规则（默认每核一个）")->check(CLI::Range(1, 256));
  auto* no_cache = check_cmd->add_flag("--no-cache", a.no_cache, "prove every rule again; neither read nor write the proof cache\n重新证明每条规则；不读也不写证明缓存");
  check_cmd->add_option("--cache-dir", a.cache_dir,
                        "keep proofs in DIR (default: $DOUDI_CACHE_DIR, else $XDG_CACHE_HOME/doudi, else ~/.cache/doudi)\n"
                        "证明缓存的目录（默认 $DOUDI_CACHE_DIR，其次 $XDG_CACHE_HOME/doudi，再次 ~/.cache/doudi）")
      ->excludes(no_cache);
  commands.push_back({check_cmd, [args](const cli::Common& c) {
    return compiled(c, &cli::CompileSide::check, *args);
  }});
}

void add_diff(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::DiffArgs>();
  cli::DiffArgs& a = *args;
  CLI::App* diff_cmd = app.add_subcommand("diff", "prove two versions of a rule set give the same value for every household,\n"
                                          "output by output, or show a household where they differ\n"
                                          "逐项证明两个版本的规则对每户家庭结论相同，或给出结论不同的家庭");
  if (!wanted(diff_cmd)) return;
  diff_cmd->add_option("old", a.old_path, "the old version (a .doudi file)\n旧版本（.doudi 文件）")->required();
  diff_cmd->add_option("new", a.new_path, "the new version (a .doudi file); leave out with --between to compare two jurisdictions\n"
                      "新版本（.doudi 文件）；用 --between 比较两个辖区时可省略");
  diff_cmd->add_option("--between", a.between, "J1 J2: OLD in J1 against NEW (or OLD) in J2\n辖区1 辖区2：旧版本在辖区1 与新版本（或旧版本）在辖区2 比较")->expected(2);
  add_import_roots(diff_cmd, a.import_roots);
  diff_cmd->add_option("--max-members", a.max_members, "households in proofs have 1 to N members (default 6)\n证明中的家庭有 1 至 N 名成员（默认 6）")
      ->check(CLI::Range(1, 12));
  diff_cmd->add_option("--jobs", a.jobs, "compare outputs on N threads (default: one per CPU this process may use)\n用 N 个线程比较各输出（默认每核一个）")->check(CLI::Range(1, 256));
  auto* diff_no_cache = diff_cmd->add_flag("--no-cache", a.no_cache, "compare every output again; neither read nor write the proof cache\n重新比较每个输出；不读也不写证明缓存");
  diff_cmd->add_option("--cache-dir", a.cache_dir, "keep answers in DIR (default as for check)\n缓存比较结果的目录（默认同 check）")->excludes(diff_no_cache);
  auto* diff_data = diff_cmd->add_option("--data", a.data, "JSONL household records: also count how many change, which way, by how much\n"
                                           "JSONL 家庭记录：另统计有多少户结果改变、朝哪个方向、变化多少");
  diff_cmd->add_option("-j,--jurisdiction", a.jurisdiction, "with --data: the jurisdiction to decide in (not with --between)\n配合 --data：作出决定的辖区（不与 --between 同用）")->needs(diff_data);
  auto* diff_m = diff_cmd->add_option("-m,--month", a.month, "with --data: the month to decide (YYYY-MM)\n配合 --data：决定月份（YYYY-MM）")->needs(diff_data);
  diff_data->needs(diff_m);
  commands.push_back({diff_cmd, [args](const cli::Common& c) { return compiled(c, &cli::CompileSide::diff, *args); }});
}

void add_run(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::RunArgs>();
  cli::RunArgs& a = *args;
  CLI::App* run_cmd = app.add_subcommand("run", "decide one household record with a module\n"
                                         "用规则模块对一户家庭记录作出决定");
  if (!wanted(run_cmd)) return;
  run_cmd->add_option("module", a.module, "the module's .doudi file, or a rule bundle\n模块的 .doudi 文件，或规则包")->required();
  run_cmd->add_option("record", a.record, "household record (JSON; keys are the schema's field names)\n家庭记录（JSON，键为数据结构的字段名）")->required();
  run_cmd->add_option("--jurisdiction,-j", a.jurisdiction, "jurisdiction, e.g. 会宁县\n辖区，如 会宁县")->required();
  run_cmd->add_option("--month,-m", a.month, "decision month, YYYY-MM\n决定月份，格式 YYYY-MM")->required();
  run_cmd->add_flag("--explain", a.explain, "explain each value with its rule and citation / 给出理由");
  run_cmd->add_option("--detail", a.detail,
                      "summary (default: the deciding reasons) or full (every step)\nsummary（默认，只给决定性理由）或 full（全部步骤）")
      ->check(CLI::IsMember({"summary", "full"}));
  CLI::Option* json_flag = run_cmd->add_flag("--json", a.json, "print the decision as JSON\n以 JSON 输出决定");
  run_cmd->add_option("--engine", a.engine,
                      "interp (default) or jit: the same decision; explanations always come from the interpreter\n"
                      "解释器 interp（默认）或编译引擎 jit：决定相同；说明总由解释器给出")
      ->check(CLI::IsMember({"interp", "jit"}));
  run_cmd->add_option("--output", a.outputs, "show and explain only this output (repeatable)\n只显示并解释这个输出（可重复）")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->excludes(json_flag);
  run_cmd->add_option("--why-not", a.why_not,
                      "OUTPUT[=VALUE]: the smallest changes to the household that give the output that value (or another "
                      "value), found by the solver and confirmed by deciding again\n"
                      "输出[=取值]：使该输出取得该值（或另一值）所需的最小改动，由求解器求得并重新计算确认")
      ->excludes(json_flag);
  run_cmd->add_option("--thresholds", a.thresholds,
                      "FIELD (e.g. 成员#2.工资性收入): the exact values of this amount at which an eligibility, count or "
                      "choice changes, the rest of the household as it is, with the outputs on each side\n"
                      "字段：其余不变时，使资格、人数或选项改变的该字段的确切取值，及两侧的结果")
      ->excludes(json_flag);
  run_cmd->add_option("--notice", a.notice,
                      "also write the household's decision notice to FILE (.pdf through headless Chromium, else HTML); "
                      "with --log it carries the decision id and log position\n"
                      "同时把决定通知书写入文件（.pdf 用无头 Chromium 打印，否则为 HTML）；与 --log 同用时载有决定编号与日志位置");
  run_cmd->add_option("--log", a.log, "also append the decision to this decision log\n同时把决定追加到这个决定日志");
  add_import_roots(run_cmd, a.import_roots);
  run_cmd->add_option("--key-file", a.key_file, "a file holding the key for hashing sensitive fields in the log (else the key itself in DOUDI_LOG_KEY)\n"
                      "存放日志中敏感字段哈希密钥的文件（否则用 DOUDI_LOG_KEY 中的密钥本身）");
  run_cmd->add_option("--trusted-keys", a.trusted_keys, "accept only a rule bundle signed by one of the public keys in FILE (doudi bundle --sign)\n只接受由 FILE 中某个公钥签名的规则包");
  run_cmd->add_option("--signing-key", a.signing_key,
                      "sign a checkpoint over the log after the entry (a private key from doudi keygen)\n"
                      "记录后用此私钥签署日志检查点（doudi keygen 生成）");
  commands.push_back({run_cmd, [args](const cli::Common& c) { return cli::cmd_run(c, *args); }});
}

void add_test(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::TestArgs>();
  cli::TestArgs& a = *args;
  CLI::App* test_cmd = app.add_subcommand("test", "run every 测试 block in the given files or folders (default: .)\n"
                                          "运行测试块；最后一行为 `N passed, N failed`");
  if (!wanted(test_cmd)) return;
  test_cmd->add_option("paths", a.paths, "files or folders\n文件或文件夹");
  add_import_roots(test_cmd, a.import_roots);
  commands.push_back({test_cmd, [args](const cli::Common& c) {
    if (args->paths.empty()) args->paths.push_back(".");
    return compiled(c, &cli::CompileSide::test, *args);
  }});
}

void add_fmt(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::FmtArgs>();
  cli::FmtArgs& a = *args;
  CLI::App* fmt_cmd = app.add_subcommand("fmt", "print files in canonical layout, optionally in the other dialect\n"
                                         "按规范格式输出规则文件，可转换为另一种关键字方言");
  if (!wanted(fmt_cmd)) return;
  fmt_cmd->add_option("paths", a.paths, "files\n文件")->required();
  fmt_cmd->add_option("--to", a.to, "dialect to print: zh or en (default: the file's own)\n输出的关键字方言：zh 或 en（默认沿用文件本身的）")
      ->check(CLI::IsMember({"zh", "en"}));
  fmt_cmd->add_flag("--write,-w", a.write, "rewrite the files in place\n直接改写文件");
  fmt_cmd->add_flag("--check", a.check, "exit 1 if a file is not in canonical layout\n有文件不是规范格式时退出码为 1");
  // One command line for every command (`-I stdlib-policies` in a county's
  // scripts); laying out a file reads that file alone.
  fmt_cmd->add_option("-I,--import-root", a.import_roots,
                      "accepted like the other commands' -I; fmt lays out each file alone and reads no imports\n"
                      "与其他命令一样接受 -I；fmt 只按每个文件本身排版，不读取被引用的模块")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  commands.push_back({fmt_cmd, [args](const cli::Common& c) { return compiled(c, &cli::CompileSide::fmt, *args); }});
}

void add_lsp(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::LspArgs>();
  cli::LspArgs& a = *args;
  CLI::App* lsp_cmd = app.add_subcommand("lsp", "a language server for editors: the Language Server Protocol on stdin and stdout (docs/editors.md)\n"
                                         "编辑器的语言服务：在标准输入输出上使用语言服务器协议（见 docs/editors.md）");
  if (!wanted(lsp_cmd)) return;
  lsp_cmd->add_option("-I,--import-root", a.import_roots, "where else imported modules are (repeatable)\n引用模块的其他查找目录")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  lsp_cmd->add_option("--debounce", a.debounce_ms,
                      "milliseconds of quiet after a change before the file is checked (default 200)\n改动后停顿多少毫秒再检查（默认 200）")
      ->check(CLI::Range(0, 10000));
  lsp_cmd->add_flag("--stdio", a.stdio, "accepted, as editors pass it: stdio is the only transport\n接受此选项（编辑器会传入）：只使用标准输入输出");
  commands.push_back({lsp_cmd, [args](const cli::Common& c) { return compiled(c, &cli::CompileSide::lsp, *args); }});
}

void add_cites(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::CitesArgs>();
  cli::CitesArgs& a = *args;
  CLI::App* cites_cmd = app.add_subcommand("cites", "citation index: which rules cite each clause and which tests exercise them;\n"
                                           "provisions of the registry without a tested declaration\n"
                                           "出处索引：每个条款被哪些规则引用、被哪些测试覆盖");
  if (!wanted(cites_cmd)) return;
  cites_cmd->add_option("paths", a.paths, "files or folders\n文件或文件夹")->required();
  add_import_roots(cites_cmd, a.import_roots);
  cites_cmd->add_option("--provisions", a.provisions,
                        "provisions registry (TSV); default: provisions.tsv beside the nearest doudi-root\n"
                        "条款登记表（TSV）；默认为最近的 doudi-root 旁的 provisions.tsv");
  cites_cmd->add_flag("--markdown", a.markdown, "print the tables as Markdown (docs/policies/coverage.md)\n以 Markdown 表格输出（docs/policies/coverage.md）");
  cites_cmd->add_option("--check", a.check, "exit 1 unless FILE equals the output (keeps the docs current)\n输出与 FILE 不同时退出码为 1（使文档保持最新）");
  commands.push_back({cites_cmd, [args](const cli::Common& c) {
    return compiled(c, &cli::CompileSide::cites, *args);
  }});
}

void add_batch(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::BatchArgs>();
  cli::BatchArgs& a = *args;
  CLI::App* batch_cmd = app.add_subcommand("batch", "decide every record of a JSONL or CSV file and append each decision to the log\n"
                                           "批量决定 JSONL 或 CSV 文件中的每条记录并写入决定日志");
  if (!wanted(batch_cmd)) return;
  batch_cmd->add_option("module", a.module, "the module's .doudi file, or a rule bundle\n模块的 .doudi 文件，或规则包")->required();
  batch_cmd->add_option("records", a.records, "household records: one JSON object per line, or CSV (a .csv file or --format csv; docs/cli.md); - for standard input\n"
                         "家庭记录：每行一个 JSON 对象，或 CSV（.csv 文件或 --format csv，见 docs/cli.md）；- 表示标准输入")->required();
  batch_cmd->add_option("--jurisdiction,-j", a.jurisdiction, "jurisdiction, e.g. 会宁县\n辖区，如 会宁县")->required();
  batch_cmd->add_option("--month,-m", a.month, "decision month, YYYY-MM\n决定月份，格式 YYYY-MM")->required();
  batch_cmd->add_option("--log", a.log, "decision log (JSONL) to append to: a file\n要追加写入的决定日志（JSONL 文件）")->required();
  batch_cmd->add_option("--key-file", a.key_file, "a file holding the key for hashing sensitive fields (else the key itself in DOUDI_LOG_KEY)\n"
                        "存放敏感字段哈希密钥的文件（否则用 DOUDI_LOG_KEY 中的密钥本身）");
  batch_cmd->add_option("--trusted-keys", a.trusted_keys, "accept only a rule bundle signed by one of the public keys in FILE (doudi bundle --sign)\n只接受由 FILE 中某个公钥签名的规则包");
  batch_cmd->add_option("--signing-key", a.signing_key,
                        "sign checkpoints over the log every N entries and at the end (a private key from doudi keygen)\n"
                        "每 N 条及批次结束时用此私钥签署日志检查点（doudi keygen 生成）");
  batch_cmd->add_option("--checkpoint-every", a.checkpoint_every, "N for --signing-key (default 1000)\n每 N 条签一个检查点（配合 --signing-key，默认 1000）")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  batch_cmd->add_flag("--resume", a.resume, "continue an interrupted batch without repeating a decision\n续跑被中断的批次，不重复已作出的决定");
  batch_cmd->add_option("--threads", a.threads, "deciding threads (default: one per CPU this process may use); the log is the same for any number\n"
                        "决定所用线程数（默认每核一个）；线程数不影响日志内容")
      ->check(CLI::Range(1u, 1024u));
  batch_cmd->add_option("--sync-every", a.sync_every,
                        "while the batch runs, sync the log to disk every N entries (default 100000) ...\n"
                        "批次运行中每 N 条（默认 100000）……")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  batch_cmd->add_option("--sync-ms", a.sync_ms,
                        "... or every T milliseconds (default 1000), whichever comes first; the batch's end is always synced\n"
                        "……或每 T 毫秒（默认 1000）同步到磁盘，以先到者为准；批次结束时总会同步")
      ->check(CLI::Range(uint64_t{1}, uint64_t{86400000}));
  batch_cmd->add_flag("--progress", a.progress,
                      "a progress line (records/s, time left) on standard error even when it is not a terminal\n"
                      "即使标准错误不是终端也显示进度（每秒记录数、剩余时间）");
  batch_cmd->add_flag("--no-progress", a.no_progress, "no progress line, even on a terminal\n即使在终端上也不显示进度");
  batch_cmd->add_option("--format", a.format, "jsonl or csv (default: csv for a .csv file, else jsonl)\n输入格式 jsonl 或 csv（默认按扩展名）")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  batch_cmd->add_option("--csv-key", a.csv_key,
                        "CSV with member columns (LIST.FIELD): the column whose value identifies a household; its rows follow each other\n"
                        "CSV 含成员列（列表.字段）时，标识同一户的列；同一户的各行须相邻");
  batch_cmd->add_option("--engine", a.engine,
                        "interp or jit (default: jit when this build has the compiled engine); the same decisions and log\n"
                        "解释器 interp 或编译引擎 jit（默认：有编译引擎时用 jit）；决定与日志完全相同")
      ->check(CLI::IsMember({"interp", "jit"}));
  add_import_roots(batch_cmd, a.import_roots);
  commands.push_back({batch_cmd, [args](const cli::Common& c) { return cli::cmd_batch(c, *args); }});
}

void add_verify(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::VerifyLogArgs>();
  cli::VerifyLogArgs& a = *args;
  CLI::App* verify_cmd = app.add_subcommand("verify-log", "check a decision log: the hash chain, every entry and every signed checkpoint;\n"
                                            "name the first bad entry\n"
                                            "校验决定日志（哈希链、每条记录与每个签名检查点），指出第一条有问题的记录");
  if (!wanted(verify_cmd)) return;
  verify_cmd->add_option("log", a.log, "decision log\n决定日志")->required();
  verify_cmd->add_option("--public-key", a.public_key,
                         "the log signer's public key: every checkpoint must be signed with it, and every entry covered\n"
                         "签署者的公钥：每个检查点都须由它签署，每条记录都须有检查点覆盖");
  verify_cmd->add_option("--since", a.since,
                         "a checkpoint you kept (doudi log checkpoint): prove today's log begins with what it signed\n"
                         "你保存的检查点：证明今天的日志以它签署的内容开头");
  commands.push_back({verify_cmd, [args](const cli::Common& c) { return cli::cmd_verify_log(c, *args); }});
}

void add_keygen(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::KeygenArgs>();
  CLI::App* cmd = app.add_subcommand("keygen", "make an Ed25519 key pair for signing log checkpoints: FILE (private, mode 600)\n"
                                     "and FILE.pub (for auditors)\n生成签署日志检查点的 Ed25519 密钥对");
  if (!wanted(cmd)) return;
  cmd->add_option("-o,--output", args->output, "the private key file to write; the public key goes to FILE.pub\n要写出的私钥文件；公钥写入 FILE.pub")->required();
  commands.push_back({cmd, [args](const cli::Common& c) { return cli::cmd_keygen(c, *args); }});
}

void add_log(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  CLI::App* log_cmd = app.add_subcommand("log", "checkpoints and proofs over a decision log\n决定日志的检查点与证明");
  if (!wanted(log_cmd)) return;
  log_cmd->require_subcommand(1);
  auto cp = std::make_shared<cli::LogCheckpointArgs>();
  CLI::App* cp_cmd = log_cmd->add_subcommand("checkpoint", "print the log's last signed checkpoint: one line for an auditor to keep\n"
                                             "打印日志最后一个签名检查点（一行，供审计人员保存）");
  cp_cmd->add_option("log", cp->log, "decision log\n决定日志")->required();
  commands.push_back({cp_cmd, [cp](const cli::Common& c) { return cli::cmd_log_checkpoint(c, *cp); }});
  auto prove = std::make_shared<cli::LogProveArgs>();
  CLI::App* prove_cmd = log_cmd->add_subcommand("prove", "print a proof against the last checkpoint: that a decision is in the log\n"
                                                "(--id), or that the log begins with an older checkpoint's entries (--since)\n"
                                                "打印证明：某项决定收录在日志中（--id），或日志以旧检查点的内容开头（--since）");
  prove_cmd->add_option("log", prove->log, "decision log\n决定日志")->required();
  prove_cmd->add_option("--id", prove->id, "decision id\n决定编号");
  prove_cmd->add_option("--since", prove->since, "an older checkpoint (a file doudi log checkpoint wrote)\n较早的检查点（doudi log checkpoint 写出的文件）");
  commands.push_back({prove_cmd, [prove](const cli::Common& c) { return cli::cmd_log_prove(c, *prove); }});
  auto list = std::make_shared<cli::LogListArgs>();
  CLI::App* list_cmd = log_cmd->add_subcommand("list", "list the log's decisions, one a line: seq, id, jurisdiction, month, batch, the\n"
                                               "record's place in its input, and an error result's or a refusal's code\n"
                                               "列出日志中的决定，每行一个：序号、编号、辖区、月份、批次、记录在输入中的位置，以及错误结果或拒收的代码");
  list_cmd->add_option("log", list->log, "decision log\n决定日志")->required();
  list_cmd->add_option("--public-key", list->public_key,
                       "the log signer's public key: every checkpoint must be signed with it\n签署者的公钥：每个检查点都须由它签署");
  commands.push_back({list_cmd, [list](const cli::Common& c) { return cli::cmd_log_list(c, *list); }});
  auto find = std::make_shared<cli::LogFindArgs>();
  CLI::App* find_cmd = log_cmd->add_subcommand("find", "list the decisions whose record has a 敏感 field with this value (keyed, as the\n"
                                               "log keeps it)\n列出记录中某敏感字段为此值的决定（按日志的密钥哈希查找）");
  find_cmd->add_option("log", find->log, "decision log\n决定日志")->required();
  find_cmd->add_option("--field", find->field, "NAME VALUE: the field and the value to look for, e.g. --field 身份证号 620102…\n"
                      "字段名 取值：要查找的字段及其取值，如 --field 身份证号 620102…")
      ->expected(2)
      ->required();
  find_cmd->add_option("--key-file", find->key_file, "a file holding the log key (else the key itself in DOUDI_LOG_KEY)\n"
                       "存放日志密钥的文件（否则用 DOUDI_LOG_KEY 中的密钥本身）");
  commands.push_back({find_cmd, [find](const cli::Common& c) { return cli::cmd_log_find(c, *find); }});
  auto check = std::make_shared<cli::CheckProofArgs>();
  CLI::App* check_cmd = log_cmd->add_subcommand("check-proof", "check a proof from doudi log prove, without the log\n"
                                                "核验 doudi log prove 给出的证明（无需日志）");
  check_cmd->add_option("proof", check->proof, "the proof file\n证明文件")->required();
  check_cmd->add_option("--public-key", check->public_key, "the log signer's public key\n日志签署者的公钥")->required();
  commands.push_back({check_cmd, [check](const cli::Common& c) { return cli::cmd_log_check_proof(c, *check); }});
}

void add_replay(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::ReplayArgs>();
  cli::ReplayArgs& a = *args;
  CLI::App* replay_cmd = app.add_subcommand("replay", "re-evaluate logged decisions: with --bundle, report any that differ; with\n"
                                            "--against, show which decisions new rules would change\n"
                                            "重放决定日志：核对结果是否一致，或分析新规则的影响");
  if (!wanted(replay_cmd)) return;
  replay_cmd->add_option("log", a.log, "decision log\n决定日志")->required();
  auto* replay_bundle = replay_cmd->add_option("--bundle", a.bundle, "the rules the decisions were made with\n作出这些决定所用的规则");
  auto* replay_against = replay_cmd->add_option("--against", a.against, "new rules to compare with (impact)\n用来比较的新规则（影响分析）");
  replay_bundle->excludes(replay_against);
  replay_cmd->add_option("--trusted-keys", a.trusted_keys, "accept only a rule bundle signed by one of the public keys in FILE (doudi bundle --sign)\n只接受由 FILE 中某个公钥签名的规则包");
  replay_cmd->add_option("--public-key", a.public_key, "the log signer's public key: every entry must be under a checkpoint signed with it\n签署者的公钥：每条记录都须有由它签署的检查点覆盖");
  add_import_roots(replay_cmd, a.import_roots);
  commands.push_back({replay_cmd, [args](const cli::Common& c) { return cli::cmd_replay(c, *args); }});
}

void add_notice(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::NoticeArgs>();
  cli::NoticeArgs& a = *args;
  CLI::App* cmd = app.add_subcommand("notice", "a logged decision as a printable A4 notice for the household (HTML or PDF)\n"
                                               "把日志中的一项决定写成给家庭的 A4 决定通知书（HTML 或 PDF）");
  if (!wanted(cmd)) return;
  cmd->add_option("log", a.log, "decision log\n决定日志")->required();
  cmd->add_option("--id", a.id, "decision id\n决定编号")->required();
  cmd->add_option("--bundle", a.bundle, "the rule bundle the decision was made with (or the .doudi module it was made from)\n"
                   "作出该决定所用的规则包（或打包它的 .doudi 模块）")->required();
  cmd->add_option("--format", a.format, "html or pdf (default: by the -o file's extension; html on stdout without -o)\n"
                                 "html 或 pdf（默认按 -o 文件的扩展名；无 -o 时向标准输出写 html）")
      ->check(CLI::IsMember({"html", "pdf"}));
  cmd->add_option("-o,--output", a.output, "the file to write (a .pdf is printed with headless Chromium)\n要写出的文件（.pdf 用无头 Chromium 打印）");
  cmd->add_option("--chromium", a.chromium, "the browser that prints PDF (default: $DOUDI_CHROMIUM, else chromium)\n打印 PDF 的浏览器（默认 $DOUDI_CHROMIUM，其次 chromium）");
  cmd->add_option("--trusted-keys", a.trusted_keys, "accept only a rule bundle signed by one of the public keys in FILE (doudi bundle --sign)\n只接受由 FILE 中某个公钥签名的规则包");
  cmd->add_option("--public-key", a.public_key, "the log signer's public key: the entry must be under a checkpoint signed with it\n签署者的公钥：该记录须有由它签署的检查点覆盖");
  cmd->add_flag("--show-sensitive", a.show_sensitive,
                "show 敏感 fields on the notice (masked by default)\n在通知书上显示敏感字段（默认隐去）");
  add_import_roots(cmd, a.import_roots);
  commands.push_back({cmd, [args](const cli::Common& c) { return cli::cmd_notice(c, *args); }});
}

void add_explain(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::ExplainArgs>();
  cli::ExplainArgs& a = *args;
  CLI::App* explain_cmd = app.add_subcommand("explain", "explain a logged decision from its rules\n用规则包解释日志中的一项决定");
  if (!wanted(explain_cmd)) return;
  explain_cmd->add_option("log", a.log, "decision log\n决定日志")->required();
  explain_cmd->add_option("--id", a.id, "decision id\n决定编号")->required();
  explain_cmd->add_option("--bundle", a.bundle, "the rule bundle the decision was made with (or the .doudi module it was made from)\n"
                   "作出该决定所用的规则包（或打包它的 .doudi 模块）")->required();
  explain_cmd->add_option("--trusted-keys", a.trusted_keys, "accept only a rule bundle signed by one of the public keys in FILE (doudi bundle --sign)\n只接受由 FILE 中某个公钥签名的规则包");
  explain_cmd->add_option("--public-key", a.public_key, "the log signer's public key: the entry must be under a checkpoint signed with it\n签署者的公钥：该记录须有由它签署的检查点覆盖");
  explain_cmd->add_option("--format", a.format, "text (default), json (the trace tree) or html (a printable page)\n"
                                "text（默认）、json（推导树）或 html（可打印的页面）")
      ->check(CLI::IsMember({"text", "json", "html"}));
  explain_cmd->add_option("--detail", a.detail,
                          "summary (default: the deciding reasons) or full (every step)\nsummary（默认，只给决定性理由）或 full（全部步骤）")
      ->check(CLI::IsMember({"summary", "full"}));
  explain_cmd->add_option("--output", a.outputs, "explain only this output (repeatable)\n只解释这个输出（可重复）")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  explain_cmd->add_option("--why-not", a.why_not, "OUTPUT[=VALUE]: as in run (needs --rules)\n同 run（需要 --rules）");
  explain_cmd->add_option("--thresholds", a.thresholds, "FIELD: as in run (needs --rules)\n同 run（需要 --rules）");
  explain_cmd->add_option("--rules", a.rules,
                          "the .doudi module the bundle was made from (it must compile to the same digest), for the "
                          "solver of --why-not and --thresholds\n打包该规则包的 .doudi 模块（须编译出相同摘要），供 --why-not 与 --thresholds 求解");
  add_import_roots(explain_cmd, a.import_roots);
  commands.push_back({explain_cmd, [args](const cli::Common& c) { return cli::cmd_explain(c, *args); }});
}

void add_bundle(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::BundleArgs>();
  cli::BundleArgs& a = *args;
  CLI::App* bundle_cmd = app.add_subcommand("bundle", "pack a module, everything it imports and all parameter values into one\n"
                                            "content-addressed rule bundle; prints its digest\n"
                                            "打包规则（含引用模块与各辖区参数取值），输出摘要");
  if (!wanted(bundle_cmd)) return;
  bundle_cmd->add_option("module", a.module, "the module's .doudi file, or a bundle to sign again\n模块的 .doudi 文件，或要再签名的规则包")->required();
  bundle_cmd->add_option("-o,--output", a.output, "the bundle file to write (- for standard output)\n要写出的规则包文件（- 表示标准输出）")->required();
  bundle_cmd->add_option("--sign", a.sign,
                         "sign the bundle's digest with this private key (doudi keygen); MODULE may be a bundle others "
                         "signed: their signatures are kept\n用此私钥签署规则包摘要；MODULE 可以是他人已签名的规则包（保留其签名）");
  add_import_roots(bundle_cmd, a.import_roots);
  commands.push_back({bundle_cmd, [args](const cli::Common& c) {
    return compiled(c, &cli::CompileSide::bundle, *args);
  }});
}

void add_serve(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted,
               const std::vector<std::string>& all_args) {
  auto args = std::make_shared<cli::ServeArgs>();
  cli::ServeArgs& a = *args;
  CLI::App* serve_cmd = app.add_subcommand(
      "serve", "the decision service: a JSON API over HTTP (docs/api.md)\n决定服务：HTTP 上的 JSON 接口");
  if (!wanted(serve_cmd)) return;
  cli::add_serve_options(serve_cmd, a);
  serve_cmd->add_option("--request", a.request,
                        "METHOD PATH: answer one request here and exit, e.g. --request POST /v1/decide (no port is "
                        "opened)\n只在本进程内答复一个请求后退出，不打开端口")
      ->expected(2);
  serve_cmd->add_option("--body", a.body, "the request's body, for --request\n--request 的请求体文件");
  serve_cmd->add_option("--content-type", a.content_type,
                        "the body's type, for --request (default application/json)\n--request 请求体的类型（默认 application/json）");
  commands.push_back({serve_cmd, [args, all_args](const cli::Common& c) {
    return args->request.empty() ? cli::exec_server(c, all_args) : compiled(c, &cli::CompileSide::serve_request, *args);
  }});
}

void add_ir(CLI::App& app, std::vector<Command>& commands, const Wanted& wanted) {
  auto args = std::make_shared<cli::IrArgs>();
  cli::IrArgs& a = *args;
  CLI::App* ir_cmd = app.add_subcommand("ir", "print the IR of a module (for developers)\n打印模块的中间表示");
  if (!wanted(ir_cmd)) return;
  ir_cmd->add_option("module", a.module, "the module's .doudi file\n模块的 .doudi 文件")->required();
  add_import_roots(ir_cmd, a.import_roots);
  commands.push_back({ir_cmd, [args](const cli::Common& c) { return compiled(c, &cli::CompileSide::ir, *args); }});
}
}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"doudi (兜底): write, check, test and run social-assistance rules\n"
               "兜底：编写、检查、测试和运行社会救助规则",
               "doudi"};
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", DOUDI_VERSION, "print the version and exit / 显示版本");
  std::string lang = "zh", color = "auto", diagnostics = "text";
  app.add_option("--lang", lang, "language of messages: zh (default) or en / 提示语言")
      ->check(CLI::IsMember({"zh", "en"}));
  app.add_option("--color", color, "colour diagnostics: auto (default), always, never / 诊断着色：auto（默认）、always、never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--diagnostics", diagnostics,
                 "text (default), or json: one JSON object per diagnostic and line, with both languages, for editors "
                 "and CI / 诊断格式：text（默认）或 json（每行一个诊断，含两种语言，供编辑器与持续集成使用）")
      ->check(CLI::IsMember({"text", "json"}));

  std::vector<Command> commands;
  const Wanted wanted{named_subcommand(app, args)};  // after the global options
  add_check(app, commands, wanted);
  add_diff(app, commands, wanted);
  add_run(app, commands, wanted);
  add_test(app, commands, wanted);
  add_fmt(app, commands, wanted);
  add_lsp(app, commands, wanted);
  add_cites(app, commands, wanted);
  add_batch(app, commands, wanted);
  add_verify(app, commands, wanted);
  add_keygen(app, commands, wanted);
  add_log(app, commands, wanted);
  add_replay(app, commands, wanted);
  add_explain(app, commands, wanted);
  add_notice(app, commands, wanted);
  add_bundle(app, commands, wanted);
  add_ir(app, commands, wanted);
  add_serve(app, commands, wanted, args);

  std::vector<const char*> argv{"doudi"};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForVersion& e) {
    out << "doudi " << e.what() << "\n";
    return 0;
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ParseError& e) {
    // Subcommand help (`doudi run --help`) arrives here too.
    if (e.get_exit_code() == 0) {
      for (auto* sub : app.get_subcommands()) {
        out << sub->help();
        return 0;
      }
      out << app.help();
      return 0;
    }
    // A diagnostic with a code, in the language the line asks for (CLI11's
    // own words are English only); an unknown word is named with the one
    // meant.
    err << render(cli::usage_error(app, e, args), SourceManager{},
                  cli::usage_render_options(args, &out == &std::cout && isatty(STDERR_FILENO)));
    return 2;
  }

  cli::Common c;
  c.lang = lang == "en" ? Lang::En : Lang::Zh;
  c.color = color == "always" || (color == "auto" && &out == &std::cout && isatty(STDERR_FILENO));
  c.json = diagnostics == "json";
  c.out = &out;
  c.err = &err;
  for (const auto& command : commands) {
    if (!command.app->parsed()) continue;
    try {
      return command.run(c);
    } catch (const std::bad_alloc&) {
      err << "doudi: 内存不足 / out of memory\n";
      return 1;
    }
  }
  return 2;
}

}  // namespace doudi
