// `doudi diff`'s answers in the proof cache: one entry per output, filed
// under the SHA-256 of both versions' closures of the output (what each reads,
// as for rule keys), both schemas and jurisdiction lists, the jurisdictions
// compared, the household bound, the Z3 version and the doudi build.
#pragma once
#include <optional>
#include <string>

#include "compiler/analysis/semantic_diff.h"
#include "compiler/analysis/proof_cache.h"

namespace doudi {

// `between`: "J1 J2" when comparing two jurisdictions, else empty. Empty key:
// the output cannot be keyed (then it is compared and not stored).
std::string output_diff_key(const Program& old_p, const ir::Module& old_m, uint32_t old_f, const Program& new_p,
                            const ir::Module& new_m, uint32_t new_f, const std::string& between, int max_members);

// A stored answer for `pending` (name and functions set): same, differs (with
// the household) or not encodable. Undecided answers are never stored.
std::optional<OutputDiff> load_output_diff(const ProofCache& cache, const std::string& key, const OutputDiff& pending);
std::string store_output_diff(const ProofCache& cache, const std::string& key, const OutputDiff& d);

}  // namespace doudi
