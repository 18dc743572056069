#include "tools/cli/unknown_words.h"

#include <algorithm>

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

// E3013 or E3014 with the nearest name as a note (N0402), if one is near.
Diagnostic unknown(DiagCode code, const std::string& command, const std::string& word,
                   const std::vector<std::string>& names) {
  Diagnostic d{code, Span{}, {command, word}, {}};
  const std::string near = nearest_name(word, names);
  if (!near.empty()) d.notes.push_back(make_note(DiagCode::N0402, Span{}, {near}));
  return d;
}

}  // namespace

UnknownWord find_unknown_word(const CLI::App& app, const CLI::ParseError& error, const std::vector<std::string>& words) {
  // The commands the parse reached, and the words none of them took (CLI11
  // keeps them even when it stops at a missing required option first).
  std::vector<const CLI::App*> chain{&app};
  std::string command = app.get_name();
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
        return {unknown(DiagCode::E3014, command, word, names), &at, command};
  for (const std::string& word : left)
    if (is_option(word)) {
      const std::string name = word.substr(0, word.find('='));
      // Given before the command (`doudi --threads 2 batch`): `doudi` has no
      // such option, and the command's own come after it.
      const auto word_at = std::find(words.begin(), words.end(), word);
      if (chain.size() > 1 && word_at < std::find(words.begin(), words.end(), chain[1]->get_name())) {
        Diagnostic d{DiagCode::E3013, Span{}, {app.get_name(), name}, {}};
        d.notes.push_back(make_note(DiagCode::N0427, Span{}, {command}));
        return {std::move(d), &at, command};
      }
      std::vector<std::string> options;
      add_option_names(at, options);
      if (&at != &app) add_option_names(app, options);  // the global ones, which may follow the command
      return {unknown(DiagCode::E3013, command, name, options), &at, command};
    }
  // None given under a command (`doudi log`), or `doudi` alone.
  if (looking_for_command) return {Diagnostic{DiagCode::E3015, Span{}, {command, listed_in_both(names)}, {}}, &at, command};
  return {std::nullopt, &at, command};
}

std::string listed_in_both(const std::vector<std::string>& names) {
  std::string zh, en;
  for (const std::string& name : names) {
    zh += (zh.empty() ? "" : "、") + name;
    en += (en.empty() ? "" : ", ") + name;
  }
  return bilingual(zh, en);
}

}  // namespace doudi::cli
