#include "compiler/analysis/proof_cache.h"

#include "runtime/diag/diagnostic.h"
#include "runtime/diag/system_reason.h"
#include "runtime/digest/cache_key.h"
#include "runtime/source/cache_dir.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>
#include <z3.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>

#include "runtime/source/read_file.h"
#include "runtime/bundle/bundle.h"
#include "runtime/bundle/json_text.h"
#include "compiler/analysis/unused_definitions.h"
#include "runtime/digest/digest.h"
#include "runtime/digest/signature.h"
#include "runtime/source/build_id.h"
#include "runtime/source/write_file.h"

namespace doudi {
namespace {

constexpr const char* kCacheFormat = "doudi-proof-cache/1";

// The build of the code that encodes the proofs: the build id of the object
// this function is in (libdoudi_compile.so, which `doudi` loads, or the
// program that links the analyses), not of /proc/self/exe, which in `doudi`
// is the runtime-only program and is not rebuilt when the analyses change.
const std::string& build_digest() {
  static const std::string digest = build_id(reinterpret_cast<const void*>(&build_digest));
  return digest;
}

// Every property of every field the proofs' encoding reads: its type, the
// bounds a sign gives (可为负 lets amounts go below zero), whether it must be
// given, and its default.
std::string schema_text(const ir::Module& m) {
  std::string o = fmt::format("input {} : {}\n", m.input_name, m.type_name(m.input_type, false));
  for (const auto& s : m.structs) {
    o += fmt::format("struct {}\n", s.name);
    for (const auto& f : s.fields)
      o += fmt::format("  {} : {}{}{}{} = {}\n", f.name, m.type_name(f.type, false), f.required ? " required" : "",
                       f.signed_ ? " signed" : "", f.sensitive ? " sensitive" : "",
                       f.default_value ? m.format_value(*f.default_value, f.type, false) : "-");
  }
  for (const auto& e : m.enums) {
    o += fmt::format("enum {}:", e.name);
    for (const auto& v : e.values) o += " " + v;
    o += '\n';
  }
  return o;
}

// Jurisdictions are stored by name; "" is kNoJurisdiction.
std::string name_of(const Program& p, uint32_t jurisdiction) {
  return jurisdiction == kNoJurisdiction ? "" : p.jurisdictions[jurisdiction].name;
}

}  // namespace

std::string proof_key_header(int max_members) {
  if (build_digest().empty()) return "";
  return fmt::format("{}\nbuild {}\nlanguage {}\nz3 {}\nmembers {}\n", kCacheFormat, build_digest(), kLanguageVersion,
                     Z3_get_full_version(), max_members);
}

std::string program_context_text(const Program& p, const ir::Module& m) {
  std::string text = schema_text(m);
  for (uint32_t j = 0; j < p.jurisdictions.size(); ++j)
    text += fmt::format("jurisdiction {} < {}{}\n", m.jurisdictions[j].name,
                        m.jurisdictions[j].parent == UINT32_MAX ? "-" : m.jurisdictions[m.jurisdictions[j].parent].name,
                        p.jurisdictions[j].test_fixture ? " (tests only)" : "");
  return text;
}

std::string closure_text(const Program& p, const ir::Module& m, uint32_t function) {
  // Named rather than numbered: a function keeps its text when unrelated
  // declarations are added before it.
  const std::vector<bool> reached = reachable_functions(m, {function});
  std::vector<std::string> functions;
  std::set<uint32_t> params = rule_inputs(p, function).params;
  for (uint32_t g = 0; g < m.functions.size(); ++g) {
    if (!reached[g]) continue;
    functions.push_back(ir::print_function(m, g));
    for (const auto& in : m.functions[g].code)
      if (in.op == ir::Op::Param || in.op == ir::Op::ParamLastYear || in.op == ir::Op::ParamAt) params.insert(in.a);
  }
  std::sort(functions.begin(), functions.end());
  std::string text;
  for (const auto& f : functions) text += f;
  std::vector<std::string> values;
  for (uint32_t pi : params) values.push_back(ir::print_param(m, pi));
  std::sort(values.begin(), values.end());
  for (const auto& v : values) text += v;
  return text;
}

bool same_function(const Program& p, const ir::Module& m, uint32_t function) {
  return function < m.functions.size() && function < p.functions.size() && m.functions[function].name == p.functions[function].name;
}

std::string rule_proof_key(const Program& p, const ir::Module& m, uint32_t rule, int max_members) {
  const std::string header = proof_key_header(max_members);
  if (header.empty() || !same_function(p, m, rule) || !p.functions[rule].decided_by_branches()) return "";
  std::string text = header + program_context_text(p, m);
  const auto& info = p.functions[rule];
  text += fmt::format("rule {}\n", info.name);
  for (size_t b = 0; b < info.branches.size(); ++b) {
    text += fmt::format("branch {} {}{}, overridden by", b, info.branches[b].label,
                        info.branches[b].is_default ? " (default)" : "");
    for (uint32_t w : info.overridden_by[b]) text += fmt::format(" {}", w);
    text += '\n';
  }
  return sha256_hex(text + closure_text(p, m, rule));
}

namespace {

constexpr std::string_view kMacLine = "\nmac ";

}  // namespace

ProofCache::ProofCache(std::filesystem::path dir) : dir_(std::move(dir)) {
  secret_ = load_or_make_cache_key(secret_error_);
}

std::optional<std::filesystem::path> default_proof_cache_dir() { return cache_dir(); }

std::optional<ProofCache> open_proof_cache(bool no_cache, const std::string& dir) {
  if (no_cache) return std::nullopt;
  if (!dir.empty()) return ProofCache(dir);
  if (auto fallback = default_proof_cache_dir()) return ProofCache(*fallback);
  return std::nullopt;
}

std::filesystem::path ProofCache::path_of(const std::string& key) const {
  return dir_ / "proofs" / key.substr(0, 2) / (key.substr(2) + ".json");
}

std::string ProofCache::store(const std::string& key, const Program& p, const ConflictReport& r) const {
  if (key.empty() || !r.undecided.empty()) return "";
  std::string o = entry_header(key) + fmt::format(",\"proved\":{}", r.proved.empty() ? "false" : "true");
  o += ",\"gaps\":[";
  for (size_t i = 0; i < r.gaps.size(); ++i)
    o += fmt::format("{}{{\"jurisdiction\":{},\"month\":{},\"record\":{}}}", i ? "," : "",
                     json_quote(name_of(p, r.gaps[i].jurisdiction)), r.gaps[i].month, json_quote(r.gaps[i].record_json));
  o += "],\"dead\":[";
  for (size_t i = 0; i < r.dead.size(); ++i)
    o += fmt::format("{}{{\"branch\":{},\"masked\":{}}}", i ? "," : "", r.dead[i].branch, r.dead[i].masked);
  o += "],\"conflicts\":[";
  for (size_t i = 0; i < r.conflicts.size(); ++i) {
    const auto& c = r.conflicts[i];
    o += fmt::format("{}{{\"first\":{},\"second\":{},\"jurisdiction\":{},\"month\":{},\"record\":{}}}", i ? "," : "", c.first,
                     c.second, json_quote(name_of(p, c.jurisdiction)), c.month, json_quote(c.record_json));
  }
  o += "],\"not_encoded\":[";
  for (size_t i = 0; i < r.not_encoded.size(); ++i) o += (i ? "," : "") + json_quote(r.not_encoded[i].second);
  o += "]}\n";
  return write_entry(key, o);
}

std::string ProofCache::write_entry(const std::string& key, const std::string& given) const {
  if (secret_.empty()) return secret_error_;
  // The MAC covers the entry's text, which names its key.
  const std::string text = given + std::string(kMacLine) + hmac_sha256_hex(secret_, given) + "\n";
  std::error_code ec;
  const auto path = path_of(key);
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return system_failure("无法建立文件夹：", "cannot make the folder: ", ec.value());
  // Written beside the entry and renamed over it: a reader sees all or nothing.
  // Named per process and thread: writers in parallel never share a file.
  static std::atomic<uint64_t> serial{0};
  const auto tmp = path.parent_path() / fmt::format(".{}.{}.{}.tmp", path.filename().string(), ::getpid(), serial++);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      std::filesystem::remove(tmp, ec);
      return bilingual("无法写入 " + tmp.string(), "cannot write " + tmp.string());
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (!ec) return "";
  const std::string why = system_failure("无法改名：", "cannot rename it: ", ec.value());
  std::filesystem::remove(tmp, ec);
  return why;
}

std::optional<std::string> ProofCache::read_entry(const std::string& key) const {
  if (key.empty() || secret_.empty()) return std::nullopt;
  const auto path = path_of(key);
  std::string text;
  if (!read_source_file(path.string(), text)) return std::nullopt;
  // An entry whose MAC does not match was not written with our key: a miss.
  const size_t mac = text.rfind(kMacLine);
  if (mac == std::string::npos) return std::nullopt;
  const std::string stated = text.substr(mac + kMacLine.size());
  text.resize(mac);
  if (stated != hmac_sha256_hex(secret_, text) + "\n") return std::nullopt;
  std::error_code ec;
  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now(), ec);  // in use
  return text;
}

std::optional<ConflictReport> ProofCache::load(const std::string& key, const Program& p, uint32_t rule) const {
  const auto text = read_entry(key);
  if (!text) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (!entry_document(parser, *text, key, doc)) return std::nullopt;
  const auto& branches = p.functions[rule].branches;
  auto jurisdiction = [&](simdjson::dom::element e, uint32_t& out) {
    std::string_view name;
    if (e["jurisdiction"].get(name)) return false;
    if (name.empty()) {
      out = kNoJurisdiction;
      return true;
    }
    out = p.find_jurisdiction(std::string(name));
    return out != UINT32_MAX;
  };
  auto branch = [&](simdjson::dom::element e, const char* field, uint32_t& out) {
    uint64_t v = 0;
    if (e[field].get(v) || v >= branches.size()) return false;
    out = static_cast<uint32_t>(v);
    return true;
  };
  ConflictReport r;
  bool proved = false;
  simdjson::dom::array gaps, dead, conflicts, not_encoded;
  if (doc["proved"].get(proved) || doc["gaps"].get(gaps) || doc["dead"].get(dead) || doc["conflicts"].get(conflicts) ||
      doc["not_encoded"].get(not_encoded))
    return std::nullopt;
  if (proved) r.proved.push_back(rule);
  for (auto e : gaps) {
    RuleGap g{rule, 0, 0, ""};
    std::string_view record;
    if (!jurisdiction(e, g.jurisdiction) || e["month"].get(g.month) || e["record"].get(record)) return std::nullopt;
    g.record_json = std::string(record);
    r.gaps.push_back(std::move(g));
  }
  for (auto e : dead) {
    DeadException d{rule, 0, false};
    if (!branch(e, "branch", d.branch) || e["masked"].get(d.masked)) return std::nullopt;
    r.dead.push_back(d);
  }
  for (auto e : conflicts) {
    ExceptionConflict c{rule, 0, 0, 0, 0, ""};
    std::string_view record;
    if (!branch(e, "first", c.first) || !branch(e, "second", c.second) || !jurisdiction(e, c.jurisdiction) ||
        e["month"].get(c.month) || e["record"].get(record))
      return std::nullopt;
    c.record_json = std::string(record);
    r.conflicts.push_back(std::move(c));
  }
  for (auto e : not_encoded) {
    std::string_view why;
    if (e.get(why)) return std::nullopt;
    r.not_encoded.push_back({rule, std::string(why)});
  }
  return r;
}

bool entry_document(simdjson::dom::parser& parser, const std::string& text, const std::string& key,
                    simdjson::dom::element& doc) {
  std::string_view format, stored_key;
  return parser.parse(text).get(doc) == simdjson::SUCCESS && !doc["format"].get(format) && format == kCacheFormat &&
         !doc["key"].get(stored_key) && stored_key == key;
}

std::string entry_header(const std::string& key) {
  return fmt::format("{{\"format\":{},\"key\":{}", json_quote(kCacheFormat), json_quote(key));
}

size_t ProofCache::prune() const {
  std::error_code ec;
  const auto root = dir_ / "proofs";
  if (!std::filesystem::is_directory(root, ec)) return 0;
  const auto now = std::filesystem::file_time_type::clock::now();
  size_t removed = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec); !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const auto& path = it->path();
    const bool entry = path.extension() == ".json" || path.extension() == ".tmp";
    const auto written = std::filesystem::last_write_time(path, ec);
    if (!entry || ec || now - written < kUnusedFor) continue;
    std::error_code gone;
    removed += std::filesystem::remove(path, gone);
  }
  return removed;
}

}  // namespace doudi
