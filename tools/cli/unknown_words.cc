#include "tools/cli/unknown_words.h"

#include "runtime/diag/diagnostic.h"

namespace doudi::cli {
namespace {

std::vector<std::string> option_names(const CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::Option* o : cmd.get_options()) {
    for (const auto& l : o->get_lnames()) names.push_back("--" + l);
    for (const auto& s : o->get_snames()) names.push_back("-" + s);
  }
  return names;
}

std::vector<const CLI::App*> commands_of(const CLI::App& cmd) {
  return cmd.get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty(); });  // not option groups
}

const CLI::App* command_named(const CLI::App& cmd, const std::string& word) {
  for (const CLI::App* sub : commands_of(cmd))
    if (sub->check_name(word)) return sub;
  return nullptr;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& names) {
  const std::string near = nearest_name(word, names);
  return near.empty() ? "" : "（是否想用 `" + near + "`？）/ did you mean `" + near + "`?";
}

}  // namespace

UnknownWord find_unknown_word(const CLI::App& app, const std::vector<std::string>& args) {
  const CLI::App* at = &app;
  std::string command = "doudi";
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--") break;  // positionals only from here
    if (word.size() > 1 && word[0] == '-') {
      const std::string name = word.substr(0, word.find('='));
      const CLI::Option* option = at->get_option_no_throw(name);
      if (!option && at != &app) option = app.get_option_no_throw(name);  // a global option after the command
      if (!option)
        return {command + ": 没有 `" + name + "` 这个选项 / no option `" + name + "`" + did_you_mean(name, option_names(*at)),
                command};
      if (word.find('=') == std::string::npos && option->get_type_size() > 0) ++i;  // its value
      continue;
    }
    if (const CLI::App* sub = command_named(*at, word)) {
      at = sub;
      command += " " + word;
      continue;
    }
    // A word where a command must come: under a command that has commands
    // of its own (`doudi log …`); the top level's is run_cli's to name.
    if (at != &app && at->get_require_subcommand_min() > 0) {
      std::vector<std::string> names;
      for (const CLI::App* sub : commands_of(*at)) names.push_back(sub->get_name());
      return {command + ": 没有 `" + word + "` 这个命令 / no command `" + word + "`" + did_you_mean(word, names), command};
    }
  }
  if (at != &app && at->get_require_subcommand_min() > 0) {  // `doudi log` alone
    std::string zh, en;
    for (const CLI::App* sub : commands_of(*at)) {
      zh += (zh.empty() ? "" : "、") + sub->get_name();
      en += (en.empty() ? "" : ", ") + sub->get_name();
    }
    return {command + ": 请给出它的一个命令：" + zh + " / give one of its commands: " + en, command};
  }
  return {};
}

}  // namespace doudi::cli
