#include "runtime/log/log_format.h"

#include <fmt/format.h>

#include "runtime/bundle/json_text.h"
#include "runtime/digest/digest.h"

namespace doudi {
namespace {

std::string quoted_or_null(const std::string& s) { return s.empty() ? "null" : json_quote(s); }

}  // namespace

std::string context_text(uint64_t seq, const LogContext& c) {
  return fmt::format(
      "{{\"seq\":{},\"context\":{{\"batch\":{},\"month\":{},\"jurisdiction\":{},\"bundle\":{},\"bundle_signer\":{},\"key\":{},"
      "\"outputs\":{}{}}}",
      seq, json_quote(c.batch), json_quote(c.month), json_quote(c.jurisdiction), json_quote(c.bundle),
      quoted_or_null(c.bundle_signer), quoted_or_null(c.key_id), c.outputs.empty() ? "[]" : c.outputs,
      c.defaults.empty() || c.defaults == "{}" ? "" : ",\"defaults\":" + c.defaults);
}

void decision_text(std::string& out, uint64_t seq, const std::string& id, uint64_t context_seq, const LogFields& f) {
  out.clear();
  out.reserve(64 + f.input_json.size() + f.outputs_json.size() + f.error_json.size() + f.rejected_json.size());
  fmt::format_to(std::back_inserter(out), "{{\"seq\":{},\"id\":\"{}\",\"context\":{},\"index\":{},\"input\":", seq, id, context_seq,
                 f.index);
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

std::string decision_id(const std::string& batch, int64_t index, uint64_t seq) {
  return sha256_hex(fmt::format("{}|{}|{}", batch, index, seq)).substr(0, 20);
}

merkle::Hash line_leaf(std::string_view unclosed_text) {
  static constexpr char kLeafPrefix[1] = {'\0'};
  return sha256_bytes({std::string_view(kLeafPrefix, 1), unclosed_text, "}"});
}

merkle::Hash chain_hash(const merkle::Hash& prev, const merkle::Hash& leaf) { return sha256_bytes({prev, leaf}); }

const merkle::Hash& genesis_hash() {
  static const merkle::Hash zeros(32, '\0');
  return zeros;
}

void append_line(std::string& out, std::string_view text, const merkle::Hash& hash) {
  out += text;
  out += kHashKey;
  append_hex(out, hash);
  out += "\"}\n";
}

}  // namespace doudi
