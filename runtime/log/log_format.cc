#include "runtime/log/log_format.h"

#include <fmt/format.h>

#include <stdexcept>

#include "runtime/bundle/json_text.h"
#include "runtime/digest/digest.h"
#include "runtime/value/decimal_digits.h"

namespace doudi {
namespace {

std::string quoted_or_null(const std::string& s) { return s.empty() ? "null" : json_quote(s); }

}  // namespace

std::string context_text(uint64_t seq, const LogContext& c) {
  // Only this format's lines are written: a context read from an older
  // line is never written again (its decisions would not be of its format).
  if (c.format != kLogFormat) throw std::logic_error(fmt::format("a context of format {} written as {}", c.format, kLogFormat));
  // Its decisions' inputs cannot be read without it.
  if (c.input_shape.empty()) throw std::logic_error("a context line without its input's shape");
  return fmt::format(
      "{{\"seq\":{},\"context\":{{\"format\":{},\"batch\":{},\"month\":{},\"jurisdiction\":{},\"bundle\":{},\"bundle_signer\":{},\"key\":{},"
      "\"outputs\":{}{},\"input_shape\":{}}}",
      seq, kLogFormat, json_quote(c.batch), json_quote(c.month), json_quote(c.jurisdiction), json_quote(c.bundle),
      quoted_or_null(c.bundle_signer), quoted_or_null(c.key_id), c.outputs.empty() ? "[]" : c.outputs,
      c.defaults.empty() || c.defaults == "{}" ? "" : ",\"defaults\":" + c.defaults, c.input_shape);
}

void decision_text(std::string& out, uint64_t seq, uint64_t context_seq, const LogFields& f) {
  out.clear();
  // Every part counted: one allocation for the line.
  out.reserve(96 + f.input_json.size() + f.outputs_json.size() + f.flags_json.size() + f.error_json.size() +
              f.rejected_json.size() + f.input_digest.size());
  append_decision_text(out, seq, context_seq, f);
}

void append_decision_text(std::string& out, uint64_t seq, uint64_t context_seq, const LogFields& f) {
  // Appended piece by piece rather than through a format string: a batch
  // writes one of these per record.
  out += "{\"seq\":";
  append_decimal(out, seq);
  out += ",\"context\":";
  append_decimal(out, context_seq);
  out += ",\"index\":";
  append_decimal(out, f.index);
  out += ",\"input\":";
  out += f.input_json;
  out += ",\"outputs\":";
  out += f.outputs_json;
  if (f.flags_json != "[]") {
    out += ",\"flags\":";
    out += f.flags_json;
  }
  if (f.error_json != "null") {
    out += ",\"error\":";
    out += f.error_json;
  }
  if (f.rejected_json != "null") {
    out += ",\"rejected\":";
    out += f.rejected_json;
  }
  if (!f.input_digest.empty()) {
    out += ",\"input_digest\":";
    out += json_quote(f.input_digest);
  }
}

std::string decision_id(const merkle::Hash& context_leaf, const merkle::Hash& leaf) {
  unsigned char md[32];
  sha256_to({context_leaf, leaf}, md);
  std::string out;
  append_hex(out, std::string_view(reinterpret_cast<const char*>(md), 10));
  return out;
}

std::string decision_id_v2(const std::string& batch, int64_t index, uint64_t seq) {
  return sha256_hex(batch + "|" + std::to_string(index) + "|" + std::to_string(seq)).substr(0, 20);
}

namespace {
constexpr char kLeafPrefix[1] = {'\0'};
}  // namespace

merkle::Hash line_leaf(std::string_view unclosed_text) {
  merkle::Hash out;
  line_leaf(unclosed_text, out);
  return out;
}

void line_leaf(std::string_view unclosed_text, merkle::Hash& out) {
  unsigned char md[32];
  line_leaf(unclosed_text, md);
  out.assign(reinterpret_cast<const char*>(md), sizeof md);
}

void line_leaf(std::string_view unclosed_text, unsigned char (&out)[32]) {
  sha256_to({std::string_view(kLeafPrefix, 1), unclosed_text, "}"}, out);
}

merkle::Hash chain_hash(const merkle::Hash& prev, const merkle::Hash& leaf) {
  unsigned char md[32];
  chain_hash(prev, leaf, md);
  return merkle::Hash(reinterpret_cast<const char*>(md), sizeof md);
}

void chain_hash(std::string_view prev, std::string_view leaf, unsigned char (&out)[32]) { sha256_to({prev, leaf}, out); }

const merkle::Hash& genesis_hash() {
  static const merkle::Hash zeros(32, '\0');
  return zeros;
}

HashField hash_field(std::string_view line) {
  HashField f;
  const size_t at = line.rfind(kHashKey);
  if (at == std::string_view::npos || line.size() != at + kHashKey.size() + 64 + 2) return f;
  f.state = line.substr(at + kHashKey.size() + 64) == "\"}" ? HashField::Ok : HashField::TextAfter;
  f.hex = line.substr(at + kHashKey.size(), 64);
  f.unclosed = line.substr(0, at);
  return f;
}

std::optional<merkle::Hash> written_line_leaf(std::string_view line) {
  const HashField field = hash_field(line);
  if (field.state != HashField::Ok) return std::nullopt;
  return line_leaf(field.unclosed);
}

namespace {
constexpr std::string_view kLineClose = "\"}\n";  // after the hash's digits
}  // namespace

void append_line(std::string& out, std::string_view text, std::string_view hash) {
  out += text;
  append_unhashed_close(out);
  fill_line_hash(out, out.size(), hash);
}

void append_unhashed_close(std::string& out) {
  out += kHashKey;
  out.append(64, '0');
  out += kLineClose;
}

void fill_line_hash(std::string& text, size_t line_end, std::string_view hash) {
  write_hex(text.data() + line_end - kLineClose.size() - 2 * hash.size(), hash);
}

}  // namespace doudi
