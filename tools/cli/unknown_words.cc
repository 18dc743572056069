#include "tools/cli/unknown_words.h"

#include "runtime/diag/diagnostic.h"

namespace doudi::cli {
namespace {

std::vector<const CLI::App*> commands_of(const CLI::App& cmd) {
  return cmd.get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty(); });  // not option groups
}

void add_option_names(const CLI::App& cmd, std::vector<std::string>& names) {
  for (const CLI::Option* o : cmd.get_options()) {
    for (const auto& l : o->get_lnames()) names.push_back("--" + l);
    for (const auto& s : o->get_snames()) names.push_back("-" + s);
  }
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& names) {
  const std::string near = nearest_name(word, names);
  return near.empty() ? "" : "（是否想用 `" + near + "`？）/ did you mean `" + near + "`?";
}

}  // namespace

UnknownWord find_unknown_word(const CLI::App& app, const CLI::ParseError& error) {
  // The commands the parse reached, and the words none of them took (CLI11
  // keeps them even when it stops at a missing required option first).
  std::vector<const CLI::App*> chain{&app};
  std::string command = "doudi";
  while (!chain.back()->get_subcommands().empty()) {
    chain.push_back(chain.back()->get_subcommands().front());
    command += " " + chain.back()->get_name();
  }
  const CLI::App& at = *chain.back();
  std::vector<std::string> left;
  for (const CLI::App* cmd : chain)
    for (const std::string& word : cmd->remaining()) left.push_back(word);
  auto is_option = [](const std::string& word) { return word.size() > 1 && word[0] == '-'; };

  const bool looking_for_command = at.get_require_subcommand_min() > 0 &&
                                   (dynamic_cast<const CLI::RequiredError*>(&error) ||
                                    dynamic_cast<const CLI::ExtrasError*>(&error));
  std::vector<std::string> names;  // the commands `at` has
  for (const CLI::App* sub : commands_of(at)) names.push_back(sub->get_name());
  if (looking_for_command)
    for (const std::string& word : left)
      if (!is_option(word))
        return {command + ": 没有 `" + word + "` 这个命令 / no command `" + word + "`" + did_you_mean(word, names), command};
  for (const std::string& word : left)
    if (is_option(word)) {
      const std::string name = word.substr(0, word.find('='));
      std::vector<std::string> options;
      add_option_names(at, options);
      if (&at != &app) add_option_names(app, options);  // the global ones, which may follow the command
      return {command + ": 没有 `" + name + "` 这个选项 / no option `" + name + "`" + did_you_mean(name, options), command};
    }
  // None given under a command (`doudi log`); `doudi` alone keeps CLI11's
  // word, and its usage is the whole --help.
  if (looking_for_command && &at != &app) {
    std::string zh, en;
    for (const std::string& name : names) {
      zh += (zh.empty() ? "" : "、") + name;
      en += (en.empty() ? "" : ", ") + name;
    }
    return {command + ": 请给出它的一个命令：" + zh + " / give one of its commands: " + en, command};
  }
  return {"", command};
}

}  // namespace doudi::cli
