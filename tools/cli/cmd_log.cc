// The auditor's commands: keygen (a signing key pair), verify-log (the chain,
// every entry and every signed checkpoint; with --since, that the log still
// begins with what an old checkpoint signed), and `log checkpoint | prove |
// check-proof` (the printable checkpoint an auditor keeps, inclusion and
// consistency proofs, and checking a proof without the log).
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "runtime/bundle/json_text.h"
#include "runtime/diag/system_reason.h"
#include "runtime/digest/digest.h"
#include "runtime/log/log_entry.h"
#include "runtime/log/log_reader.h"
#include "runtime/record/record_json.h"
#include "runtime/source/read_file.h"
#include "runtime/source/write_file.h"
#include "tools/cli/keys.h"
#include "tools/cli/verified_log.h"

namespace doudi::cli {
namespace {

// Proofs are a few kilobytes; anything far larger is not one.
constexpr long kMaxProofBytes = 1 << 20;

std::string hex_list(const std::vector<merkle::Hash>& hashes) {
  std::string out = "[";
  for (size_t i = 0; i < hashes.size(); ++i) out += (i ? ",\"" : "\"") + to_hex(hashes[i]) + "\"";
  return out + "]";
}

// A checkpoint or proof file; reports E0007 (with why) and returns false.
bool small_file_or_report(const Common& c, const std::string& path, std::string& text) {
  std::string why;
  if (read_regular_file(path, text, why, kMaxProofBytes)) return true;
  report_all(c, {Diagnostic{DiagCode::E0007, Span{}, {path, why}, {}}});
  return false;
}

std::optional<Checkpoint> checkpoint_file_or_report(const Common& c, const std::string& path) {
  std::string text, error;
  if (!small_file_or_report(c, path, text)) return std::nullopt;
  auto cp = parse_checkpoint(text, error);
  if (!cp) report_plain(c, DiagCode::E4003, {path, error});
  return cp;
}

// What a proof from `doudi log prove` shows, or why it does not hold; both
// languages.
struct ProofVerdict {
  bool holds = false;
  std::string text;
};

ProofVerdict refused(std::string why) { return {false, std::move(why)}; }

// A proof's path: raw hashes from hex; none if an item is not a hash.
std::optional<std::vector<merkle::Hash>> hash_list(simdjson::dom::array hexes) {
  std::vector<merkle::Hash> path;
  for (auto h : hexes) {
    std::string_view hex;
    std::optional<std::string> bytes;
    if (h.get_string().get(hex) || !(bytes = from_hex(hex)) || bytes->size() != 32) return std::nullopt;
    path.push_back(*bytes);
  }
  return path;
}

// A checkpoint the proof carries in `field`, signed by `key`.
std::optional<Checkpoint> signed_checkpoint(simdjson::dom::element proof, const char* field, const PublicKey& key) {
  std::string_view line;
  std::string error;
  if (proof[field].get_string().get(line)) return std::nullopt;
  auto cp = parse_checkpoint(line, error);
  if (!cp || !checkpoint_signed_by(*cp, key)) return std::nullopt;
  return cp;
}

ProofVerdict check_inclusion(simdjson::dom::element proof, const std::vector<merkle::Hash>& path, const PublicKey& key) {
  const auto cp = signed_checkpoint(proof, "checkpoint", key);
  if (!cp)
    return refused(bilingual(fmt::format("检查点不是由密钥 {} 签署的", key.key_id()),
                             fmt::format("the checkpoint is not signed by key {}", key.key_id())));
  std::string_view entry, id;
  int64_t seq = 0;
  if (proof["entry"].get_string().get(entry) || proof["seq"].get_int64().get(seq) || proof["id"].get_string().get(id) ||
      seq < 1)
    return refused(bilingual("缺少 entry、seq 或 id", "entry, seq or id is missing"));
  const ProofVerdict wrong_id =
      refused(bilingual("证明中的决定编号与所附记录不符", "the decision id does not match the entry the proof carries"));
  simdjson::dom::parser parser;
  simdjson::dom::element parsed;
  if (parser.parse(entry).get(parsed) != simdjson::SUCCESS) return wrong_id;
  // A format 1 entry is its own leaf; a later entry's leaf is its text
  // without its hash field, which must end it (text after it would be read
  // by some JSON readers and not hashed), and its context line comes with it.
  const bool format1 = parsed["prev"].error() == simdjson::SUCCESS;
  const std::optional<merkle::Hash> leaf = format1 ? merkle::leaf_hash(entry) : written_line_leaf(entry);
  if (!leaf)
    return refused(bilingual("所附记录不以其哈希结尾", "the entry the proof carries does not end with its hash"));
  const merkle::Hash root = *from_hex(cp->root);
  if (!merkle::verify_inclusion(*leaf, static_cast<uint64_t>(seq - 1), cp->size, path, root))
    return refused(bilingual("该记录不在检查点所签署的日志中", "the entry is not in the log the checkpoint signed"));
  // The id must be the entry's own, not a label beside it.
  std::string where;
  if (format1) {
    std::string_view written_id;
    if (parsed["id"].get_string().get(written_id) || written_id != id) return wrong_id;
  } else {
    std::string_view context_line;
    simdjson::dom::array hexes;
    if (proof["context_line"].get_string().get(context_line) || proof["context_path"].get_array().get(hexes))
      return refused(bilingual("缺少记录所属批次的信息行或其路径", "the context line of the entry, or its path, is missing"));
    const auto context_path = hash_list(hexes);
    if (!context_path) return refused(bilingual("路径中有不是哈希的项", "the path holds something that is not a hash"));
    // Read as the log's own readers read it: under the context line it
    // names, its id written and checked (format 2) or made from both lines
    // (formats 3 and 4).
    const std::optional<LogEntry> decision = read_logged_decision(context_line, entry);
    if (!decision)
      return refused(bilingual("所附的批次信息行不是这条记录的，或不是这个版本能读的",
                               "the context line the proof carries is not the entry's, or not one this doudi reads"));
    if (!merkle::verify_inclusion(*written_line_leaf(context_line), decision->context_seq - 1, cp->size, *context_path, root))
      return refused(bilingual("记录所属批次的信息行不在检查点所签署的日志中", "the entry's context line is not in the log the checkpoint signed"));
    if (decision->id != id || decision->seq != static_cast<uint64_t>(seq)) return wrong_id;
    where = bilingual(fmt::format("（{}，{}，规则 {}）", decision->jurisdiction, decision->month, decision->bundle.substr(0, 16)),
                      fmt::format(" ({}, {}, rules {})", decision->jurisdiction, decision->month, decision->bundle.substr(0, 16)));
  }
  return {true, bilingual(fmt::format("已证明：决定 {}{}（第 {} 条）收录在密钥 {} 签署的、共 {} 条的日志中", id, in_lang(where, Lang::Zh), seq,
                                      key.key_id(), cp->size),
                          fmt::format("proved: decision {}{} (entry {}) is in the log of {} entries that key {} signed", id,
                                      in_lang(where, Lang::En), seq, cp->size, key.key_id()))};
}

ProofVerdict check_consistency(simdjson::dom::element proof, const std::vector<merkle::Hash>& path, const PublicKey& key) {
  const auto old = signed_checkpoint(proof, "old", key), now = signed_checkpoint(proof, "new", key);
  if (!old || !now)
    return refused(bilingual(fmt::format("检查点不是由密钥 {} 签署的", key.key_id()),
                             fmt::format("a checkpoint is not signed by key {}", key.key_id())));
  if (!merkle::verify_consistency(old->size, now->size, *from_hex(old->root), *from_hex(now->root), path))
    return refused(bilingual("后一个日志并不以前一个检查点所签署的内容开头", "the later log does not begin with what the earlier checkpoint signed"));
  return {true, bilingual(fmt::format("已证明：密钥 {} 签署的 {} 条日志以它先前签署的 {} 条开头", key.key_id(), now->size, old->size),
                          fmt::format("proved: the log of {} entries key {} signed begins with the {} entries it signed before",
                                      now->size, key.key_id(), old->size))};
}

ProofVerdict check_proof(std::string_view text, const PublicKey& key) {
  simdjson::dom::parser parser;
  simdjson::dom::element proof;
  std::string_view kind;
  simdjson::dom::array hexes;
  if (parser.parse(text.data(), text.size()).get(proof) || proof["proof"].get_string().get(kind) ||
      proof["path"].get_array().get(hexes))
    return refused(bilingual("不是 doudi log prove 写出的证明", "not a proof doudi log prove wrote"));
  const auto path = hash_list(hexes);
  if (!path) return refused(bilingual("路径中有不是哈希的项", "the path holds something that is not a hash"));
  if (kind == "inclusion") return check_inclusion(proof, *path, key);
  if (kind == "consistency") return check_consistency(proof, *path, key);
  return refused(bilingual("未知的证明种类", "an unknown kind of proof"));
}

// --since: the checkpoint an auditor kept is signed, and today's log begins
// with the entries it signed (a consistency proof from it to the last checkpoint).
int check_since(const Common& c, const VerifyLogArgs& a, const PublicKey& key, const VerifyResult& r,
                const LogContents& contents) {
  const auto old = checkpoint_file_or_report(c, a.since);
  if (!old) return 1;
  const bool zh = c.lang == Lang::Zh;
  if (!checkpoint_signed_by(*old, key)) {
    *c.out << (zh ? fmt::format("你保存的检查点 {} 不是由密钥 {} 签署的（或已被改动）\n", a.since, key.key_id())
                  : fmt::format("the checkpoint you kept ({}) is not signed by key {} (or was altered)\n", a.since, key.key_id()));
    return 1;
  }
  if (old->size > r.entries) {
    *c.out << (zh ? fmt::format("日志被截断：你保存的检查点覆盖 {} 条，而日志只有 {} 条\n", old->size, r.entries)
                  : fmt::format("the log was cut: the checkpoint you kept covers {} entries, the log has only {}\n",
                                old->size, r.entries));
    return 1;
  }
  if (old->size > r.covered()) {
    *c.out << (zh ? fmt::format("你保存的检查点覆盖 {} 条，而日志中仍有签名的只有 {} 条：检查点被删去了\n", old->size, r.covered())
                  : fmt::format("the checkpoint you kept covers {} entries, and only {} are still under a signed "
                                "checkpoint in the log: checkpoints were removed\n", old->size, r.covered()));
    return 1;
  }
  const Checkpoint& now = *r.last_checkpoint;
  const auto proof = merkle::consistency_proof(contents.leaves, old->size, now.size);
  if (!merkle::verify_consistency(old->size, now.size, *from_hex(old->root), *from_hex(now.root), proof)) {
    *c.out << (zh ? fmt::format("日志前 {} 条已不是你保存的检查点所签署的内容：日志被改写过\n", old->size)
                  : fmt::format("the log's first {} entries are not the ones the checkpoint you kept signed: the log "
                                "was rewritten\n", old->size));
    return 1;
  }
  *c.out << (zh ? fmt::format("一致性已证明：今天的日志（已签署 {} 条）以你保存的检查点所签署的 {} 条开头\n", now.size, old->size)
                : fmt::format("consistency proved: today's log ({} signed entries) begins with the {} entries the "
                              "checkpoint you kept signed\n", now.size, old->size));
  return 0;
}

}  // namespace

int cmd_keygen(const Common& c, const KeygenArgs& a) {
  for (const auto& path : {a.output, a.output + ".pub"})
    if (std::filesystem::exists(std::filesystem::symlink_status(path))) {
      report_plain(c, DiagCode::E0016,
                   {path, bilingual("文件已存在；doudi keygen 不会覆盖密钥", "the file exists; doudi keygen never overwrites a key")});
      return 1;
    }
  const std::optional<KeyPairPem> made = generate_signing_key();
  if (!made) {
    report_plain(c, DiagCode::E0016, {a.output, bilingual("系统没有给出随机数", "the system gave no random bytes")});
    return 1;
  }
  const KeyPairPem& pair = *made;
  std::string error;
  if (!write_file_atomically(a.output, pair.private_pem, error, 0600)) {
    report_plain(c, DiagCode::E0016, {a.output, error});
    return 1;
  }
  if (!write_file_atomically(a.output + ".pub", pair.public_pem, error, 0644)) {
    report_plain(c, DiagCode::E0016, {a.output + ".pub", error});
    return 1;
  }
  *c.out << (c.lang == Lang::Zh
                 ? fmt::format("已生成签名密钥 {}：私钥 {}（只有你可读，切勿外传），公钥 {}（交给审计人员）\n", pair.key_id, a.output, a.output + ".pub")
                 : fmt::format("signing key {}: private key {} (readable by you only; never share it), public key {} "
                               "(give it to auditors)\n", pair.key_id, a.output, a.output + ".pub"));
  return 0;
}

int cmd_verify_log(const Common& c, const VerifyLogArgs& a) {
  if (!a.since.empty() && a.public_key.empty()) {
    report_plain(c, DiagCode::E0020,
                 {"--since", bilingual("--public-key（检查点的签名要用它核验）", "--public-key (to check the checkpoints' signatures)")});
    return 2;
  }
  std::optional<PublicKey> key;
  if (!a.public_key.empty() && !(key = public_key_or_report(c, a.public_key))) return 1;
  const bool zh = c.lang == Lang::Zh;
  LogContents contents;  // only --since needs more than the verdict
  contents.keep_entries = false;
  contents.keep_leaves = !a.since.empty();
  const VerifyResult r = verify_log(a.log, key ? &*key : nullptr, &contents);
  if (!r.ok && r.bad_line == 0) {  // the file itself could not be read: as every log command says it
    report_plain(c, DiagCode::E4003, {a.log, verify_failure(r)});
    return 1;
  }
  if (!r.ok) {
    *c.out << (zh ? fmt::format("日志第 {} 条（第 {} 行）有问题：{}（此前 {} 条完好）\n", r.bad_entry, r.bad_line,
                                  in_lang(r.reason, c.lang), r.bad_entry - 1)
                    : fmt::format("entry {} (line {}) is bad: {} ({} entries before it are intact)\n", r.bad_entry,
                                  r.bad_line, in_lang(r.reason, c.lang), r.bad_entry - 1));
    return 1;
  }
  if (r.entries == 0) {
    // Intact, and proving nothing: a log cut to nothing looks the same.
    *c.out << c.pick("日志是空的：没有任何记录，也没有可核验的签名\n", "the log is empty: no entries, and no signature to check\n");
    return key ? 1 : 0;
  }
  if (r.format == 1)
    *c.out << (zh ? fmt::format("日志完好（格式 1，较早版本所写）：{} 条记录，链尾哈希 {}\n", r.entries, r.head)
                  : fmt::format("log intact (format 1, written by an earlier doudi): {} entries, head {}\n", r.entries, r.head));
  else
    *c.out << (zh ? fmt::format("日志完好：{} 条记录（{} 个批次的 {} 个决定），链尾哈希 {}\n", r.entries, r.batches, r.decisions, r.head)
                  : fmt::format("log intact: {} entries ({} decision(s) in {} batch(es)), head {}\n", r.entries, r.decisions,
                                r.batches, r.head));
  if (r.checkpoints == 0)
    *c.out << c.pick("没有检查点：写日志时没有签名密钥（--signing-key），或日志在第一个检查点之前被截断；任何能改写文件的人都能重算哈希链\n",
                     "no checkpoints: the log was written without a signing key (--signing-key), or cut before its "
                     "first checkpoint; anyone who can rewrite the file can recompute the chain\n");
  else if (!key)
    *c.out << (zh ? fmt::format("检查点 {} 个，最后一个覆盖 {} 条；签名未核验（请给出 --public-key）\n", r.checkpoints, r.covered())
                  : fmt::format("{} checkpoint(s), the last covering {} entries; signatures not checked (give "
                                "--public-key)\n", r.checkpoints, r.covered()));
  else
    *c.out << (zh ? fmt::format("检查点 {} 个，均由密钥 {} 签署；最后一个覆盖 {} 条\n", r.checkpoints, key->key_id(), r.covered())
                  : fmt::format("{} checkpoint(s), all signed by key {}; the last covers {} entries\n", r.checkpoints,
                                key->key_id(), r.covered()));
  if (!key) return 0;
  int rc = 0;
  if (r.covered() < r.entries) {
    *c.out << (zh ? fmt::format("第 {}–{} 条尚无签名检查点覆盖（批次被中断，或检查点被删去），其内容无法证明\n", r.covered() + 1, r.entries)
                  : fmt::format("entries {}–{} are not yet covered by a signed checkpoint (an interrupted batch, or "
                                "checkpoints removed): nothing proves them\n", r.covered() + 1, r.entries));
    rc = 1;
  }
  if (!a.since.empty() && check_since(c, a, *key, r, contents) != 0) rc = 1;
  return rc;
}

int cmd_log_checkpoint(const Common& c, const LogCheckpointArgs& a) {
  LogContents contents;
  contents.keep_entries = false;
  VerifyResult r;
  if (!read_verified_log(c, a.log, "", contents, r)) return 1;
  if (!r.last_checkpoint) {
    report_plain(c, DiagCode::E4003, {a.log, bilingual("日志中没有检查点（写入时没有 --signing-key，或在第一个检查点之前被截断）",
                                          "the log holds no checkpoint (it was written without --signing-key, or cut "
                                          "before its first checkpoint)")});
    return 1;
  }
  *c.out << checkpoint_line(*r.last_checkpoint) << "\n";
  return 0;
}

int cmd_log_prove(const Common& c, const LogProveArgs& a) {
  if (a.id.empty() == a.since.empty()) {
    *c.err << c.pick("doudi log prove：请给出 --id（收录证明）或 --since（一致性证明）之一\n",
                     "doudi log prove: give one of --id (inclusion) or --since (consistency)\n");
    return 2;
  }
  LogContents contents;
  contents.keep_entries = contents.keep_lines = !a.id.empty();  // to find the entry, and to quote it
  contents.keep_leaves = true;
  VerifyResult r;
  if (!read_verified_log(c, a.log, "", contents, r)) return 1;
  if (!r.last_checkpoint) {
    report_plain(c, DiagCode::E4003, {a.log, bilingual("日志中没有检查点，无从证明", "the log holds no checkpoint: there is nothing to prove against")});
    return 1;
  }
  const Checkpoint& now = *r.last_checkpoint;
  if (!a.since.empty()) {
    const auto old = checkpoint_file_or_report(c, a.since);
    if (!old) return 1;
    if (old->size > now.size) {
      report_plain(c, DiagCode::E4003, {a.log, bilingual(fmt::format("该检查点覆盖 {} 条，而日志已签署的只有 {} 条（日志被截断？）", old->size, now.size),
                                                         fmt::format("that checkpoint covers {} entries, the log's signed part only {} (was it cut?)", old->size, now.size))});
      return 1;
    }
    *c.out << "{\"proof\":\"consistency\",\"old\":" << json_quote(checkpoint_line(*old))
           << ",\"new\":" << json_quote(checkpoint_line(now))
           << ",\"path\":" << hex_list(merkle::consistency_proof(contents.leaves, old->size, now.size)) << "}\n";
    return 0;
  }
  const auto e = std::find_if(contents.entries.begin(), contents.entries.end(), [&](const LogEntry& x) { return x.id == a.id; });
  if (e == contents.entries.end()) {
    report_plain(c, DiagCode::E4003, {a.log, bilingual("没有这个决定编号：" + a.id, "no decision with id " + a.id)});
    return 1;
  }
  const uint64_t i = e->seq - 1;  // its leaf
  if (i >= now.size) {
    report_plain(c, DiagCode::E4003, {a.log, bilingual("该决定尚无签名检查点覆盖", "no signed checkpoint covers that decision yet")});
    return 1;
  }
  *c.out << "{\"proof\":\"inclusion\",\"id\":" << json_quote(a.id) << ",\"seq\":" << e->seq
         << ",\"entry\":" << json_quote(contents.lines[i]);
  // The decision's month, jurisdiction and rules are on its context line:
  // the proof carries that line and its own path.
  if (e->context_seq != 0)
    *c.out << ",\"context_line\":" << json_quote(contents.lines[e->context_seq - 1]) << ",\"context_path\":"
           << hex_list(merkle::inclusion_proof(contents.leaves, e->context_seq - 1, now.size));
  *c.out << ",\"checkpoint\":" << json_quote(checkpoint_line(now))
         << ",\"path\":" << hex_list(merkle::inclusion_proof(contents.leaves, i, now.size)) << "}\n";
  return 0;
}

int cmd_log_check_proof(const Common& c, const CheckProofArgs& a) {
  const auto key = public_key_or_report(c, a.public_key);
  std::string text;
  if (!key || !small_file_or_report(c, a.proof, text)) return 1;
  const ProofVerdict v = check_proof(text, *key);
  if (!v.holds) *c.out << c.pick("证明不成立：", "the proof does not hold: ");
  *c.out << in_lang(v.text, c.lang) << "\n";
  return v.holds ? 0 : 1;
}

int cmd_log_list(const Common& c, const LogListArgs& a) {
  LogContents contents;
  contents.keep_entries = false;
  const bool zh = c.lang == Lang::Zh;
  // Printed once the whole log holds (a checkpoint further on may show an
  // earlier line rewritten): nothing is listed from a log that does not.
  // Kept meanwhile in an unnamed temporary file, not in memory: a batch's
  // log may hold tens of millions of decisions.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> listing(std::tmpfile(), &std::fclose);
  if (!listing) {
    report_plain(c, DiagCode::E4003, {a.log, system_failure("无法建立临时文件：", "cannot make a temporary file: ", errno)});
    return 1;
  }
  contents.on_entry = [&](const LogEntry& e) {
    std::string outcome;
    if (e.rejected) {
      outcome = zh ? " 拒收" : " refused";
      for (const auto& r : e.rejections) outcome += " " + r.code;
    } else if (!e.error_code.empty()) {
      outcome = " " + e.error_code;
    }
    const std::string line =
        zh ? fmt::format("#{} {} {} {} {} 记录 {}{}\n", e.seq, e.id, e.jurisdiction, e.month, e.batch, e.index, outcome)
           : fmt::format("#{} {} {} {} {} record {}{}\n", e.seq, e.id, e.jurisdiction, e.month, e.batch, e.index, outcome);
    std::fwrite(line.data(), 1, line.size(), listing.get());
  };
  VerifyResult r;
  if (!read_verified_log(c, a.log, a.public_key, contents, r)) return 1;
  if (std::fflush(listing.get()) != 0 || std::ferror(listing.get())) {
    report_plain(c, DiagCode::E4003, {a.log, system_failure("无法写临时文件：", "cannot write a temporary file: ", errno)});
    return 1;
  }
  std::rewind(listing.get());
  char block[1 << 16];
  for (size_t n; (n = std::fread(block, 1, sizeof block, listing.get())) > 0;) c.out->write(block, static_cast<std::streamsize>(n));
  return 0;
}

int cmd_log_find(const Common& c, const LogFindArgs& a) {
  std::optional<LogKey> key;
  std::vector<Diagnostic> errors;
  const bool key_ok = read_log_key(a.key_file, key, errors);
  report_all(c, errors);
  if (!key_ok) return 1;
  if (!key) {
    report_plain(c, DiagCode::E4002, {});
    return 1;
  }
  LogContents contents;
  VerifyResult r;
  if (!read_verified_log(c, a.log, "", contents, r)) return 1;
  // The logged record holds the field as "NAME":"hmac:…" (record_to_json).
  const std::string wanted = json_quote(a.field[0]) + ":" + json_quote(keyed_token(key->secret, a.field[1]));
  const std::string& id = key->id;
  size_t found = 0, same_key = 0;
  for (const auto& e : contents.entries) {
    same_key += e.key_id == id;
    if (e.input_json.find(wanted) == std::string::npos) continue;
    ++found;
    *c.out << fmt::format("#{} {} {} {} {}\n", e.seq, e.id, e.jurisdiction, e.month, e.batch);
  }
  if (found > 0) return 0;
  // Why not: another key, a field no record has, or one logged in clear
  // (only 敏感 fields are hashed, and only hashed values are searched).
  const std::string named = json_quote(a.field[0]) + ":", hashed = named + "\"hmac:";
  bool has_field = false, has_hashed = false;
  for (const auto& e : contents.entries) {
    has_field = has_field || e.input_json.find(named) != std::string::npos;
    has_hashed = has_hashed || e.input_json.find(hashed) != std::string::npos;
  }
  const bool zh = c.lang == Lang::Zh;
  if (same_key == 0 && !contents.entries.empty())
    *c.out << (zh ? fmt::format("没有找到：日志中没有一条是用这把密钥（{}）记录的\n", id)
                  : fmt::format("none found: no entry of the log was made with this key ({})\n", id));
  else if (!contents.entries.empty() && !has_field)
    *c.out << (zh ? fmt::format("没有找到：日志中没有一条记录含字段 `{}`（请写数据结构中的字段名）\n", a.field[0])
                  : fmt::format("none found: no record in the log has a field `{}` (give the field's name as the "
                                "schema writes it)\n", a.field[0]));
  else if (has_field && !has_hashed)
    *c.out << (zh ? fmt::format("没有找到：`{}` 不是敏感字段，它的值在日志中以明文记录；log find 只查找敏感字段（其值经哈希）\n",
                                a.field[0])
                  : fmt::format("none found: `{}` is not a sensitive field, and the log holds its values in clear; "
                                "log find searches only sensitive fields (their values are hashed)\n", a.field[0]));
  else
    *c.out << c.pick("没有找到\n", "none found\n");
  return 1;
}

}  // namespace doudi::cli
