// Rule bundles: an IR module with its schema, parameter values and citations
// in one file. The digest (SHA-256 of the canonical semantic part) identifies
// the rule set: it ignores source locations, so the same rules reformatted,
// translated to the other dialect or moved to another folder keep their
// digest, and any change to a value, rule, citation or schema changes it.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "runtime/bundle/bundle_signature.h"
#include "runtime/ir/ir.h"

namespace doudi {

inline constexpr const char* kBundleFormat = "doudi-bundle/1";
inline constexpr const char* kLanguageVersion = "doudi/0.1";

// The canonical text the digest is taken over.
std::string canonical_module_text(const ir::Module& m);
std::string module_digest(const ir::Module& m);

// The bundle file: {"format", "digest", "module", "locations"} and, when
// signed, "signatures": [{"key", "signature"}] (outside the digest: signing
// a bundle does not change what it is).
std::string write_bundle(const ir::Module& m, const std::vector<BundleSignature>& signatures = {});

// Reads a bundle, checks its digest and verifies its IR (runtime/ir/verify.h),
// so the interpreter may run what it returns. On failure returns nullopt and
// sets `error` (English; the caller reports it with E4xxx).
// `signatures`, if given, receives the signatures the file carries (unchecked).
std::optional<ir::Module> read_bundle(std::string_view text, std::string& digest, std::string& error,
                                      std::vector<BundleSignature>* signatures = nullptr);

// Reads a bundle's module and its stated digest without checking either:
// the fuzz target uses it to recompute the digest as an attacker would.
// Never run what it returns; read_bundle is parse, digest check, verify.
std::optional<ir::Module> parse_bundle(std::string_view text, std::string& digest, std::string& error,
                                       std::vector<BundleSignature>* signatures = nullptr);

// A refusal for IR the verifier rejects, in both languages (its detail,
// the verifier's, is in English).
std::string invalid_ir(const std::string& detail);

// Whether the rules at `path` with this text are a bundle (else source): a
// file named *.bundle always is, so a damaged one is refused as a bundle
// (E4001) rather than read as rules in no language; any other file is if
// its text begins as a bundle's does.
bool is_bundle(std::string_view path, std::string_view text);

}  // namespace doudi
