// Rule bundles: an IR module with its schema, parameter values and citations
// in one file. The digest (SHA-256 of the canonical semantic part) identifies
// the rule set: it ignores source locations, so the same rules reformatted,
// translated to the other dialect or moved to another folder keep their
// digest, and any change to a value, rule, citation or schema changes it.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "runtime/ir/ir.h"

namespace doudi {

inline constexpr const char* kBundleFormat = "doudi-bundle/1";
inline constexpr const char* kLanguageVersion = "doudi/0.1";

// The canonical text the digest is taken over.
std::string canonical_module_text(const ir::Module& m);
std::string module_digest(const ir::Module& m);

// The bundle file: {"format", "language", "digest", "module", "locations"}.
std::string write_bundle(const ir::Module& m);

// Reads a bundle, checks its digest and verifies its IR (runtime/ir/verify.h),
// so the interpreter may run what it returns. On failure returns nullopt and
// sets `error` (English; the caller reports it with E4xxx).
std::optional<ir::Module> read_bundle(std::string_view text, std::string& digest, std::string& error);

// Reads a bundle's module and its stated digest without checking either:
// the fuzz target uses it to recompute the digest as an attacker would.
// Never run what it returns; read_bundle is parse, digest check, verify.
std::optional<ir::Module> parse_bundle(std::string_view text, std::string& digest, std::string& error);

bool looks_like_bundle(std::string_view text);

}  // namespace doudi
