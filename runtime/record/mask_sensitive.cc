#include "runtime/record/mask_sensitive.h"

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

}  // namespace doudi
