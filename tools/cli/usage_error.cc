#include "tools/cli/usage_error.h"

#include <fmt/format.h>

#include <algorithm>

#include "tools/cli/unknown_words.h"

namespace doudi::cli {
namespace {

// The text between `before` and `after` in `text` (after: to the end when
// empty); false when `before` is not there. `last`: `before` is looked for
// from the end (CLI11 puts the value given first, and a value may itself
// hold CLI11's words).
bool between(std::string_view text, std::string_view before, std::string_view after, std::string& out,
             bool last = false) {
  const size_t from = last ? text.rfind(before) : text.find(before);
  if (from == std::string_view::npos) return false;
  const size_t start = from + before.size();
  const size_t end = after.empty() ? text.size() : text.find(after, start);
  if (end == std::string_view::npos) return false;
  out = std::string(text.substr(start, end - start));
  return true;
}

// What an option takes, in both languages, from its CLI11 type name.
std::string what_it_takes(const CLI::App& app, const std::string& name) {
  const CLI::Option* option = app.get_option_no_throw(name);
  const std::string type = option ? option->get_type_name() : "";
  if (type == "UINT") return bilingual("不小于 0 的整数", "a whole number, 0 or more");
  if (type == "INT") return bilingual("整数", "a whole number");
  return "";
}

// `{a,b,c}` → the values, listed in each language.
std::string one_of(std::string_view set) {
  if (set.size() >= 2 && set.front() == '{' && set.back() == '}') set = set.substr(1, set.size() - 2);
  std::vector<std::string> values;
  for (size_t start = 0; start <= set.size();) {
    const size_t comma = std::min(set.find(',', start), set.size());
    values.emplace_back(set.substr(start, comma - start));
    start = comma + 1;
  }
  const std::string both = listed_in_both(values);
  return bilingual(in_lang(both, Lang::Zh) + " 之一", "one of " + in_lang(both, Lang::En));
}

// CLI11's error as a diagnostic, told by its kind and, where CLI11 gives
// the parts only inside its English text, by that text's fixed shape
// (CLI11 2.1). A shape not known here keeps CLI11's words, under E3020.
Diagnostic translated(const CLI::App& app, const CLI::App& at, const std::string& command, const CLI::ParseError& e) {
  const std::string what = e.what();
  std::string name, value, rest;
  if (dynamic_cast<const CLI::RequiredError*>(&e) && between(what, "", " is required", name) && !name.empty() &&
      !what.starts_with("A subcommand"))
    return Diagnostic{DiagCode::E3012, Span{}, {command, name}, {}};
  if (dynamic_cast<const CLI::ValidationError*>(&e) || dynamic_cast<const CLI::ConversionError*>(&e)) {
    // "NAME: V not in {a,b}", "NAME: Value V not in range A to B",
    // "Could not convert: NAME = V".
    const size_t colon = what.find(": ");
    if (colon != std::string::npos && !what.starts_with("Could not convert")) {
      name = what.substr(0, colon);
      const std::string said = what.substr(colon + 2);
      std::string low, high;
      const size_t range = said.rfind(" not in range ");
      if (said.starts_with("Value ") && range != std::string::npos && range > 6 &&
          between(said.substr(range), " not in range ", " to ", low) && between(said, " to ", "", high, true))
        return Diagnostic{DiagCode::E3016, Span{}, {name, said.substr(6, range - 6)},
                          {make_note(DiagCode::N0425, Span{}, {name, bilingual(fmt::format("{} 至 {} 的整数", low, high),
                                                                               fmt::format("a whole number from {} to {}", low, high))})}};
      if (const size_t set = said.rfind(" not in {"); set != std::string::npos)
        return Diagnostic{DiagCode::E3016, Span{}, {name, said.substr(0, set)},
                          {make_note(DiagCode::N0425, Span{}, {name, one_of(said.substr(set + 8))})}};
    }
    if (between(what, "Could not convert: ", " = ", name) && between(what, " = ", "", value)) {
      Diagnostic d{DiagCode::E3016, Span{}, {name, value}, {}};
      const std::string takes = what_it_takes(at, name);
      if (!takes.empty()) d.notes.push_back(make_note(DiagCode::N0425, Span{}, {name, takes}));
      return d;
    }
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    // "NAME: At Most N required but received M": an option given twice.
    std::string most, given, needed;
    if (between(what, "", ": At Most ", name) && between(what, ": At Most ", " required", most) &&
        between(what, " received ", "", given))
      return Diagnostic{DiagCode::E3020, Span{},
                        {most == "1" ? bilingual(fmt::format("`{}` 只能给出一次，这里给出了 {} 次", name, given),
                                                 fmt::format("`{}` may be given once, and is given {} times", name, given))
                                     : bilingual(fmt::format("`{}` 最多取 {} 个值，这里给出了 {} 个", name, most, given),
                                                 fmt::format("`{}` takes at most {} values, and {} are given", name, most, given))},
                        {}};
    // "NAME: N required TEXT missing", "NAME: At least N required but
    // received M", "Expected exactly N arguments to NAME, got M".
    if ((between(what, "", ": ", name) &&
         (between(what, ": ", " required ", needed) || between(what, ": At least ", " required", needed))) ||
        (between(what, " arguments to ", ",", name) && between(what, "Expected exactly ", " arguments", needed))) {
      if (needed.starts_with("At least ")) needed = needed.substr(9);
      const std::string values = needed == "1" ? bilingual("一个值", "a value")
                                               : bilingual(fmt::format("{} 个值", needed), fmt::format("{} values", needed));
      return Diagnostic{DiagCode::E3017, Span{}, {name, values}, {}};
    }
  }
  if (dynamic_cast<const CLI::ExcludesError*>(&e) && between(what, "", " excludes ", name) &&
      between(what, " excludes ", "", rest))
    return Diagnostic{DiagCode::E3018, Span{}, {name, rest}, {}};
  if (dynamic_cast<const CLI::RequiresError*>(&e) && between(what, "", " requires ", name) &&
      between(what, " requires ", "", rest))
    return Diagnostic{DiagCode::E0020, Span{}, {name, "`" + rest + "`"}, {}};
  if (dynamic_cast<const CLI::ExtrasError*>(&e) && between(what, "not expected: ", "", rest)) {
    // The words in the order given (CLI11's text lists them backwards, and
    // hands a command's extra words up to the commands before it), each
    // quoted: a word with a space in it stays one.
    std::string words;
    for (const std::string& word : app.remaining(true)) words += (words.empty() ? "`" : " `") + word + "`";
    return Diagnostic{DiagCode::E3019, Span{}, {command, words.empty() ? rest : words}, {}};
  }
  // A shape not known here: CLI11's words, with a code.
  return Diagnostic{DiagCode::E3020, Span{}, {what}, {}};
}

}  // namespace

Diagnostic usage_error(const CLI::App& app, const CLI::ParseError& error, const std::vector<std::string>& words) {
  UnknownWord word = find_unknown_word(app, error, words);
  Diagnostic d = word.error ? std::move(*word.error) : translated(app, *word.at, word.command, error);
  d.notes.push_back(make_note(DiagCode::N0426, Span{}, {word.command}));
  return d;
}

namespace {

bool valid(const std::string& flag, const std::string& value) {
  if (flag == "--lang") return value == "zh" || value == "en";
  if (flag == "--color") return value == "auto" || value == "always" || value == "never";
  return value == "text" || value == "json";
}

}  // namespace

RenderOptions usage_render_options(const std::vector<std::string>& words, bool terminal) {
  std::pair<std::string, std::string> lang{"--lang", ""}, color{"--color", ""}, diagnostics{"--diagnostics", ""};
  for (size_t i = 0; i < words.size(); ++i) {
    for (auto* into : {&lang, &color, &diagnostics}) {
      const std::string& flag = into->first;
      std::string value;
      if (words[i] == flag && i + 1 < words.size()) value = words[i + 1];
      else if (words[i].starts_with(flag + "=")) value = words[i].substr(flag.size() + 1);
      if (into->second.empty() && valid(flag, value)) into->second = value;  // the first valid one given
    }
  }
  RenderOptions how;
  how.lang = lang.second == "en" ? Lang::En : Lang::Zh;
  how.color = color.second == "always" || ((color.second.empty() || color.second == "auto") && terminal);
  how.json = diagnostics.second == "json";
  return how;
}

}  // namespace doudi::cli
