// The decision log's lines, format 4: the one definition of what a writer
// writes and a reader checks. A log is JSON lines of three kinds:
//
//   context:    {"seq":N,"context":{"format":4,"batch":…,"month":…,"jurisdiction":…,"bundle":…,
//                "bundle_signer":…|null,"key":…|null,"outputs":["name",…]
//                [,"defaults":{"Struct.field":value,…}],"input_shape":{…}},"hash":"…"}
//   decision:   {"seq":N,"context":C,"index":I,"input":[…]|null,"outputs":[value,…]|null,
//                ["flags":[…],] ["error":{…},] ["rejected":[…],] ["input_digest":"…",] "hash":"…"}
//   checkpoint: {"checkpoint":{…}} (runtime/log/checkpoint.h), outside the chain
//
// A decision belongs to the context line before it, whose seq it names (so
// a proof of its inclusion carries that line too): what a batch shares
// (rules, month, jurisdiction, keys) is written once per batch, not once per
// household, which kept three quarters of every entry in format 1; so are
// the outputs' names (a decision lists its output values in that order). Empty
// flags and absent errors are left out, and so are a record's fields at
// their schema default and its absent optional fields: the context line
// lists the defaults, so a reader
// restores them exactly even under other rules; a rejected record keeps the digest of
// its raw line, the only trace of it (a decided record's logged input is
// itself its trace). The record is written by position (format 4), as the
// outputs are: each structure an array of its fields' values in the
// schema's order, after a mask of its omissible fields that are given
// (record_json.h, append_record_positional); the context line's
// "input_shape" names the fields (input_shape_json), and a reader turns the
// record back into the keyed JSON of format 3 (logged_values.h). Field names
// were three fifths of a household's line, and every byte of a line is
// hashed, copied and written.
//
// Chained lines (contexts and decisions) are numbered by seq from 1. Each one's
// leaf is RFC 6962's SHA-256(0x00 || text), text being the line without its
// hash field, closed with "}"; its hash is SHA-256(prev || leaf), prev the
// raw hash of the line before (32 zero bytes for the first). Leaves can be
// hashed on every core, the chain step is one short hash per line, and a
// proof of inclusion needs only the line.
//
// A decision's id is the first 20 hex digits of SHA-256(context leaf ||
// leaf), its context line's leaf and its own. It is not written: it names
// the line by its content (seq, index, input and outcome) and by its batch
// (whose name the service draws at random, so that an id cannot be worked
// out from a household's fields), so the same record and outcome in
// another batch or log has another id. The line itself depends on nothing
// but the record and its place, so a batch decides before the digest of its
// input (which names the batch in the context line) is known; the id is
// made only where it is asked for (one short hash). The format is the
// context line's: one log may
// hold batches of format 2 (each decision carries "id", the first 20 hex
// digits of SHA-256("batch|index|seq"), and its context line no "format"),
// of format 3 (as 4, with the record keyed: {"field":value,…}, and no
// "input_shape") and of format 4, and format 1 logs (every field on every
// line, "prev" written out) are still read: runtime/log/log_reader.cc.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/log/merkle.h"

namespace doudi {

inline constexpr int kLogFormat = 4;

// An entry ends with this, 64 hex digits and "}.
inline constexpr std::string_view kHashKey = ",\"hash\":\"";
// The hash before the first line.
inline const std::string kGenesisHash(64, '0');

// What a batch's decisions share.
struct LogContext {
  std::string batch;          // identifies the batch: bundle, month, jurisdiction, input
  std::string month, jurisdiction, bundle;
  std::string bundle_signer;  // the trusted key that signed the bundle (--trusted-keys), or empty
  std::string key_id;         // log_key_id of the log key, or empty without one
  std::string outputs;        // output_names_json of the rules: ["name", ...]
  std::string defaults;       // schema_defaults_json of the rules ({"Struct.field": value}), or empty
  // Of its batch's lines: 4, or 2 read from a context line that has no
  // "format", or 3 (a writer writes only kLogFormat).
  int format = kLogFormat;
  std::string input_shape;    // input_shape_json of the rules (format 4; empty in older ones)
  friend bool operator==(const LogContext&, const LogContext&) = default;
};

// One decision (or rejected record), as JSON texts.
struct LogFields {
  int64_t index = 0;          // position of the record in the batch's input
  std::string input_json;     // positional record (append_record_positional), sensitive fields keyed; "null" if rejected
  std::string input_digest;   // a rejected record's: input_digest(key, raw line); else empty
  std::string outputs_json;   // output_values_json: [value, ...] in the context's order, or "null"
  std::string flags_json;     // ["name", ...]
  std::string error_json;     // {"code": ..., "at": ..., "zh": ..., "en": ...} or "null"
  std::string rejected_json;  // [{"code": ..., "zh": ..., "en": ...}, ...] or "null"
};

// The texts of the lines without their hash field, not yet closed.
std::string context_text(uint64_t seq, const LogContext& c);
// A decision's text into `out` (a line chained alone: prepare_decision).
void decision_text(std::string& out, uint64_t seq, uint64_t context_seq, const LogFields& f);
// The same after what `out` holds (a batch's lines built one after another).
void append_decision_text(std::string& out, uint64_t seq, uint64_t context_seq, const LogFields& f);

// A decision's id from format 3 on, from its context line's leaf and its own.
std::string decision_id(const merkle::Hash& context_leaf, const merkle::Hash& leaf);
// A format 2 decision's id: the first 20 hex digits of SHA-256("batch|index|seq").
std::string decision_id_v2(const std::string& batch, int64_t index, uint64_t seq);

// The Merkle leaf of an unclosed text: SHA-256(0x00 || text || "}").
merkle::Hash line_leaf(std::string_view unclosed_text);
// The same into `out`, reusing its storage, or into a buffer.
void line_leaf(std::string_view unclosed_text, merkle::Hash& out);
void line_leaf(std::string_view unclosed_text, unsigned char (&out)[32]);
// The chain: SHA-256(prev || leaf), both raw.
merkle::Hash chain_hash(const merkle::Hash& prev, const merkle::Hash& leaf);
// The same into a buffer (the writer's thread chains every line).
void chain_hash(std::string_view prev, std::string_view leaf, unsigned char (&out)[32]);
// The raw hash before the first line.
const merkle::Hash& genesis_hash();

// A whole line's closing hash field, `…,"hash":"<64 hex>"}`: the one place
// its form is read.
struct HashField {
  enum State { Missing, TextAfter, Ok } state = Missing;
  std::string_view hex;       // the 64 digits as written
  std::string_view unclosed;  // the line before the field
};
HashField hash_field(std::string_view line);
// The leaf of a whole line as written (without its newline); none unless it
// ends with its hash field and nothing after.
std::optional<merkle::Hash> written_line_leaf(std::string_view line);

// Appends the whole line to `out`: the text, its hash, the closing brace and a newline.
void append_line(std::string& out, std::string_view unclosed_text, std::string_view hash);
// The same in two steps, for a line closed before its hash is known (a
// batch worker's, chained later by the writer): the close with the hash's
// digits left as zeros, then the raw hash written into the line that ends
// (after its newline) at `line_end`.
void append_unhashed_close(std::string& out);
void fill_line_hash(std::string& text, size_t line_end, std::string_view hash);

}  // namespace doudi
