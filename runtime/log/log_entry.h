// Turning a decision (or a rejected record) into a decision-log entry, and
// the key that hashes sensitive fields.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "runtime/diag/diagnostic.h"
#include "runtime/interp/interpreter.h"
#include "runtime/log/decision_log.h"
#include "runtime/record/record_json.h"
#include "runtime/record/record_loader.h"

namespace doudi {

// The log key: it keys every digest over data with 敏感 values. The file
// `key_file` if given, else $DOUDI_LOG_KEY, which holds the key itself;
// trailing newlines and spaces are not part of it. At least kMinLogKeyBytes:
// a short key could be guessed, and with it every hashed ID number. Appends
// E4005 (the file unreadable, not a regular file, too large or its key too
// short), E4009 (the variable's key too short, or the variable naming a file
// that exists: a key file's name put there by mistake) or E4002 (the schema
// has sensitive fields and no key is given) and returns false; appends W4006
// (and goes on) when others can read the key file.
constexpr size_t kMinLogKeyBytes = 32;

// The log key and its id, worked out once: every entry records the id.
struct LogKey {
  explicit LogKey(std::string secret);
  std::string secret;
  std::string id;  // log_key_id(secret)
};

// The key alone, for commands with no schema at hand (log find).
bool read_log_key(const std::string& key_file, std::optional<LogKey>& key, std::vector<Diagnostic>& errors);
bool load_log_key(const ir::Module& m, const std::string& key_file, std::optional<LogKey>& key,
                  std::vector<Diagnostic>& errors);

// Names a log key without revealing it: the first 16 hex digits of
// HMAC-SHA-256(key, "doudi log key id"). Every entry records it, so a batch
// resumed with another key is refused.
std::string log_key_id(const std::string& key);

// Identifies a batch: rule bundle, month, jurisdiction and input digest.
std::string batch_id(const std::string& bundle, const std::string& month, const std::string& jurisdiction,
                     const std::string& input_digest);

// What a context line says of the rules' schema, for its decisions to be
// read: the outputs' names, the fields' defaults and the input's shape
// (output_names_json, schema_defaults_json, input_shape_json).
void describe_schema(LogContext& c, const ir::Module& m);

// Where an error result arose as the log writes it ("at"): FILE:LINE:COLUMN
// of its rule, FILE within the rules' import root; empty when the error has
// no place. Replay compares it too: the bundle's places are outside its
// digest, so a log's places are checked against the genuine bundle's.
std::string error_place(const ir::Module& m, const EvalError& e);

// The entry's record, outputs, flags and error; the caller fills in the index.
LogFields decided_entry(const ir::Module& m, const RecordData& record, const Decision& d,
                        const std::optional<LogKey>& key);
// The same into `f`, reusing its strings' storage (a batch worker keeps one,
// with its RecordWriterPlan, which a writer of one entry need not make).
void decided_entry(LogFields& f, const ir::Module& m, const RecordData& record, const Decision& d,
                   const std::optional<LogKey>& key, const RecordWriterPlan* plan = nullptr);

// A record that did not load: only the digest of the raw line and why, with
// its 敏感 values hidden in the messages (keyed tokens with a key, else ＊).
LogFields rejected_entry(const ir::Module& m, const std::vector<RecordProblem>& problems, std::string_view raw,
                         const std::optional<LogKey>& key);

// The digest of data that may hold 敏感 values (a rejected record's raw
// line): "hmac:" + HMAC-SHA-256(key, data) with a key, else SHA-256(data)
// (only when the schema has no 敏感 field).
std::string input_digest(const std::optional<LogKey>& key, std::string_view data);

}  // namespace doudi
