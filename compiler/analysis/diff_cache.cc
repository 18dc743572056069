#include "compiler/analysis/diff_cache.h"

#include <fmt/format.h>

#include "runtime/source/utf8.h"
#include "runtime/digest/digest.h"

namespace doudi {

std::string output_diff_key(const Program& old_p, const ir::Module& old_m, uint32_t old_f, const Program& new_p,
                            const ir::Module& new_m, uint32_t new_f, const std::string& between, int max_members) {
  const std::string header = proof_key_header(max_members);
  if (header.empty() || !same_function(old_p, old_m, old_f) || !same_function(new_p, new_m, new_f)) return "";
  return sha256_hex(header + "diff\nbetween " + between + "\nold\n" + program_context_text(old_p, old_m) +
                    closure_text(old_p, old_m, old_f) + "new\n" + program_context_text(new_p, new_m) +
                    closure_text(new_p, new_m, new_f));
}

std::string store_output_diff(const ProofCache& cache, const std::string& key, const OutputDiff& d) {
  using S = OutputDiff::Status;
  if (key.empty() || (d.status != S::Same && d.status != S::Differs && d.status != S::NotEncoded)) return "";
  const char* status = d.status == S::Same ? "same" : d.status == S::Differs ? "differs" : "not_encoded";
  return cache.write_entry(
      key, entry_header(key) + fmt::format(",\"status\":\"{}\",\"jurisdiction\":{},\"new_jurisdiction\":{},\"month\":{},"
                                           "\"record\":{},\"reason\":{}}}\n",
                                           status, json_quote(d.jurisdiction), json_quote(d.new_jurisdiction), d.month,
                                           json_quote(d.record_json), json_quote(d.reason)));
}

std::optional<OutputDiff> load_output_diff(const ProofCache& cache, const std::string& key, const OutputDiff& pending) {
  const auto text = cache.read_entry(key);
  if (!text) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (!entry_document(parser, *text, key, doc)) return std::nullopt;
  std::string_view status, jurisdiction, new_jurisdiction, record, reason;
  OutputDiff d = pending;
  if (doc["status"].get(status) || doc["jurisdiction"].get(jurisdiction) || doc["new_jurisdiction"].get(new_jurisdiction) ||
      doc["month"].get(d.month) || doc["record"].get(record) || doc["reason"].get(reason))
    return std::nullopt;
  if (status == "same") d.status = OutputDiff::Status::Same;
  else if (status == "differs") d.status = OutputDiff::Status::Differs;
  else if (status == "not_encoded") d.status = OutputDiff::Status::NotEncoded;
  else return std::nullopt;
  d.jurisdiction = std::string(jurisdiction);
  d.new_jurisdiction = std::string(new_jurisdiction);
  d.record_json = std::string(record);
  d.reason = std::string(reason);
  return d;
}

}  // namespace doudi
