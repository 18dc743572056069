#include "tools/cli/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>

#include "tools/cli/commands.h"

namespace doudi {

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"doudi (兜底): write, check, test and run social-assistance rules\n"
               "兜底：编写、检查、测试和运行社会救助规则",
               "doudi"};
  app.require_subcommand(1);
  app.fallthrough();
  std::string lang = "zh", color = "auto";
  app.add_option("--lang", lang, "language of messages: zh (default) or en / 提示语言")
      ->check(CLI::IsMember({"zh", "en"}));
  app.add_option("--color", color, "colour diagnostics: auto (default), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  cli::CheckArgs check;
  auto* check_cmd = app.add_subcommand("check", "parse, resolve and type-check files; print diagnostics only\n"
                                                  "检查规则文件（语法、名称、类型与单位）");
  check_cmd->add_option("paths", check.paths, "files or folders of .doudi files")->required();

  cli::RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "decide one household record with a module\n"
                                              "用规则模块对一户家庭记录作出决定");
  run_cmd->add_option("module", run.module, "the module's .doudi file, or a rule bundle")->required();
  run_cmd->add_option("record", run.record, "household record (JSON; keys are the schema's field names)")->required();
  run_cmd->add_option("--jurisdiction,-j", run.jurisdiction, "jurisdiction, e.g. 会宁县")->required();
  run_cmd->add_option("--month,-m", run.month, "decision month, YYYY-MM")->required();
  run_cmd->add_flag("--explain", run.explain, "explain each value with its rule and citation / 给出理由");
  run_cmd->add_flag("--json", run.json, "print the decision as JSON");

  cli::TestArgs test;
  auto* test_cmd = app.add_subcommand("test", "run every 测试 block in the given files or folders (default: .)\n"
                                                "运行测试块；最后一行为 `N passed, N failed`");
  test_cmd->add_option("paths", test.paths, "files or folders");

  cli::FmtArgs fmt;
  auto* fmt_cmd = app.add_subcommand("fmt", "print files in canonical layout, optionally in the other dialect\n"
                                              "按规范格式输出规则文件，可转换为另一种关键字方言");
  fmt_cmd->add_option("paths", fmt.paths, "files")->required();
  fmt_cmd->add_option("--to", fmt.to, "dialect to print: zh or en (default: the file's own)")
      ->check(CLI::IsMember({"zh", "en"}));
  fmt_cmd->add_flag("--write,-w", fmt.write, "rewrite the files in place");
  fmt_cmd->add_flag("--check", fmt.check, "exit 1 if a file is not in canonical layout");

  cli::CitesArgs cites;
  auto* cites_cmd = app.add_subcommand("cites", "citation index: which rules cite each clause and which tests exercise them;\n"
                                                  "provisions of the registry without a tested declaration\n"
                                                  "出处索引：每个条款被哪些规则引用、被哪些测试覆盖");
  cites_cmd->add_option("paths", cites.paths, "files or folders")->required();
  cites_cmd->add_option("--provisions", cites.provisions,
                        "provisions registry (TSV); default: provisions.tsv beside the nearest doudi-root");
  cites_cmd->add_flag("--markdown", cites.markdown, "print the tables as Markdown (docs/policies/coverage.md)");
  cites_cmd->add_option("--check", cites.check, "exit 1 unless FILE equals the output (keeps the docs current)");

  cli::BundleArgs bundle;
  auto* bundle_cmd = app.add_subcommand("bundle", "pack a module, everything it imports and all parameter values into one\n"
                                                    "content-addressed rule bundle; prints its digest\n"
                                                    "打包规则（含引用模块与各辖区参数取值），输出摘要");
  bundle_cmd->add_option("module", bundle.module, "the module's .doudi file")->required();
  bundle_cmd->add_option("-o,--output", bundle.output, "the bundle file to write")->required();

  cli::IrArgs ir;
  auto* ir_cmd = app.add_subcommand("ir", "print the IR of a module (for developers)\n打印模块的中间表示");
  ir_cmd->add_option("module", ir.module, "the module's .doudi file")->required();

  std::vector<const char*> argv{"doudi"};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
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
    err << "doudi: " << e.what() << "\n" << "Run `doudi --help` for usage. 用 `doudi --help` 查看用法。\n";
    return 2;
  }

  cli::Common c;
  c.lang = lang == "en" ? Lang::En : Lang::Zh;
  c.color = color == "always" || (color == "auto" && &out == &std::cout && isatty(STDERR_FILENO));
  c.out = &out;
  c.err = &err;
  if (check_cmd->parsed()) return cli::cmd_check(c, check);
  if (run_cmd->parsed()) return cli::cmd_run(c, run);
  if (test_cmd->parsed()) {
    if (test.paths.empty()) test.paths.push_back(".");
    return cli::cmd_test(c, test);
  }
  if (fmt_cmd->parsed()) return cli::cmd_fmt(c, fmt);
  if (ir_cmd->parsed()) return cli::cmd_ir(c, ir);
  if (cites_cmd->parsed()) return cli::cmd_cites(c, cites);
  if (bundle_cmd->parsed()) return cli::cmd_bundle(c, bundle);
  return 2;
}

}  // namespace doudi
