#include "runtime/record/mask_sensitive.h"

#include "runtime/source/utf8.h"

#include <algorithm>
#include <set>

namespace doudi {
namespace {

// Masks the UTF-8 character at `at` in place, keeping its byte length: an
// ASCII character becomes `*`, a three-byte one (CJK, two columns wide)
// `＊`, others a run of `*`. Returns the character's length.
size_t mask_char(std::string& s, size_t at) {
  const auto c = static_cast<unsigned char>(s[at]);
  const size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  const size_t n = std::min(len, s.size() - at);
  if (n == 3) s.replace(at, 3, "\xEF\xBC\x8A");  // ＊
  else s.replace(at, n, std::string(n, '*'));
  return n;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string mask_sensitive_values(const ir::Module& m, std::string_view json) {
  std::set<std::string> keys;
  for (const auto& st : m.structs)
    for (const auto& f : st.fields)
      if (f.sensitive) keys.insert("\"" + f.name + "\"");
  std::string out(json);
  for (const auto& key : keys) {
    for (size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + 1)) {
      size_t i = at + key.size();
      while (i < out.size() && is_space(out[i])) ++i;
      if (i >= out.size() || out[i] != ':') continue;  // the text of a value, not a key
      ++i;
      while (i < out.size() && is_space(out[i])) ++i;
      if (i < out.size() && out[i] == '"') {
        for (++i; i < out.size() && out[i] != '"';) {
          if (out[i] == '\\' && i + 1 < out.size()) {
            out[i] = '*';
            i += 1 + mask_char(out, i + 1);
            continue;
          }
          i += mask_char(out, i);
        }
      } else {
        // Not text (a wrong type): mask the token all the same.
        while (i < out.size() && out[i] != ',' && out[i] != '}' && out[i] != ']' && !is_space(out[i]))
          i += mask_char(out, i);
      }
    }
  }
  return out;
}

std::vector<std::string> masked_runs(std::string_view json, std::string_view masked) {
  // Whole characters: a masked CJK character (＊) may share a byte with the
  // one it hides, and a piece of a character is no value.
  std::vector<std::string> out;
  const size_t n = std::min(json.size(), masked.size());
  size_t start = std::string::npos;
  for (size_t i = 0, next = 0; i < n; i = next) {
    decode_utf8(json, next);
    const bool differs = json.substr(i, next - i) != masked.substr(i, next - i);
    if (differs && start == std::string::npos) start = i;
    if (!differs && start != std::string::npos) {
      out.emplace_back(json.substr(start, i - start));
      start = std::string::npos;
    }
  }
  if (start != std::string::npos) out.emplace_back(json.substr(start, n - start));
  return out;
}

std::string replace_values(std::string text, std::vector<std::string> values,
                           const std::function<std::string(const std::string&)>& replace) {
  std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& v : values) {
    if (v.empty()) continue;
    const std::string with = replace(v);
    for (size_t at = text.find(v); at != std::string::npos; at = text.find(v, at + with.size())) text.replace(at, v.size(), with);
  }
  return text;
}

std::vector<RecordProblem> problems_without_sensitive_values(const ir::Module& m, std::vector<RecordProblem> problems,
                                                             std::string_view json,
                                                             const std::function<std::string(const std::string&)>& replace) {
  const auto values = masked_runs(json, mask_sensitive_values(m, json));
  if (values.empty()) return problems;
  for (auto& p : problems)
    for (auto& arg : p.args) arg = replace_values(arg, values, replace);
  return problems;
}

std::string stars_for(const std::string& value) {
  std::string out;
  for (size_t i = count_code_points(value); i > 0; --i) out += "\xEF\xBC\x8A";  // ＊
  return out;
}

}  // namespace doudi
