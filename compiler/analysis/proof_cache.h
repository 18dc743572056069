// The proof cache: what the proofs found about a rule, filed under the SHA-256
// of everything the finding depends on. A rule is proved again only when
// something it reads changes: its own text or that of a function it calls,
// a value of a parameter it reads, the record schema, the jurisdictions, the
// household bound, or the doudi build that proved it (its executable's digest,
// so a changed encoding never reuses an old answer). Entries are whole files
// written atomically; a damaged or foreign entry is a miss, never an error.
//
// Entries are authenticated: each ends with an HMAC-SHA-256 under a key kept
// outside the cache (runtime/digest/cache_key.h, created on first use, mode 600),
// so a cache restored from elsewhere, or edited ("proved": true), is a miss.
#pragma once
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include <simdjson.h>

#include "compiler/analysis/conflict_check.h"
#include "runtime/ir/ir.h"

namespace doudi {

// The key of rule `rule`'s findings; empty when the rule cannot be keyed
// (then it is proved and not stored).
std::string rule_proof_key(const Program& p, const ir::Module& m, uint32_t rule, int max_members);

// Pieces of keys, shared with the keys of `diff`'s answers.
std::string proof_key_header(int max_members);  // format, build, Z3, bound; empty: no caching
std::string program_context_text(const Program& p, const ir::Module& m);  // schema, jurisdictions
std::string closure_text(const Program& p, const ir::Module& m, uint32_t function);  // what it reads
bool same_function(const Program& p, const ir::Module& m, uint32_t function);  // indices agree

// Where proofs are cached unless told: $DOUDI_CACHE_DIR, else
// $XDG_CACHE_HOME/doudi, else $HOME/.cache/doudi; nullopt when none is set.
std::optional<std::filesystem::path> default_proof_cache_dir();

// Entries are JSON objects that start {"format", "key", ...}.
std::string entry_header(const std::string& key);
bool entry_document(simdjson::dom::parser& parser, const std::string& text, const std::string& key,
                    simdjson::dom::element& doc);

class ProofCache {
 public:
  // Loads (or makes) the key; without one, every read misses and every
  // write returns why.
  explicit ProofCache(std::filesystem::path dir);
  const std::filesystem::path& dir() const { return dir_; }

  // Entries not used for this long are deleted by prune(): every build of
  // doudi has keys of its own, so old builds' entries would otherwise pile up.
  static constexpr std::chrono::hours kUnusedFor{24 * 30};

  // The findings stored under `key`, with rule indices set to `rule`. A hit
  // marks the entry as used.
  std::optional<ConflictReport> load(const std::string& key, const Program& p, uint32_t rule) const;
  // Stores findings; answers the solver gave up on are not stored (a later
  // run may have more time). Returns why the entry could not be written, or
  // an empty string.
  std::string store(const std::string& key, const Program& p, const ConflictReport& findings) const;
  // A whole entry, or writing one (returns why it failed, or "").
  std::optional<std::string> read_entry(const std::string& key) const;
  std::string write_entry(const std::string& key, const std::string& text) const;

  // Deletes entries unused for kUnusedFor, and leftovers of interrupted
  // writes; returns how many files it removed.
  size_t prune() const;

 private:
  std::filesystem::path path_of(const std::string& key) const;
  std::filesystem::path dir_;
  std::string secret_;        // the entries' HMAC key
  std::string secret_error_;  // why there is none
};

// The cache a command uses: none with --no-cache, else --cache-dir DIR (when
// given), else default_proof_cache_dir().
std::optional<ProofCache> open_proof_cache(bool no_cache, const std::string& dir);

}  // namespace doudi
