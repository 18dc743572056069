#include "runtime/log/log_reader.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "runtime/diag/diagnostic.h"
#include "runtime/digest/digest.h"

namespace doudi {
namespace {

// The fields of an entry; false if one is missing or has the wrong type.
bool parse_entry(simdjson::dom::element e, LogEntry& le, std::string_view& prev) {
  int64_t seq = 0;
  std::string_view id, batch, month, jurisdiction, bundle, input_digest;
  simdjson::dom::element input, outputs, flags, error, rejected, key, signer;
  if (e["seq"].get_int64().get(seq) || seq < 1 || e["id"].get_string().get(id) ||
      e["batch"].get_string().get(batch) || e["index"].get_int64().get(le.index) ||
      e["month"].get_string().get(month) || e["jurisdiction"].get_string().get(jurisdiction) ||
      e["bundle"].get_string().get(bundle) || e["bundle_signer"].get(signer) || e["input"].get(input) ||
      e["input_digest"].get_string().get(input_digest) || e["key"].get(key) || e["outputs"].get(outputs) || e["flags"].get_array().error() ||
      e["flags"].get(flags) || e["error"].get(error) || e["rejected"].get(rejected) ||
      e["prev"].get_string().get(prev))
    return false;
  if (!(input.is_null() || input.is_object()) || !(outputs.is_null() || outputs.is_object()) ||
      !(rejected.is_null() || rejected.is_array()))
    return false;
  std::string_view code, key_id, signer_id;
  if (!error.is_null() && error["code"].get_string().get(code)) return false;
  if (!key.is_null() && key.get_string().get(key_id)) return false;
  if (!signer.is_null() && signer.get_string().get(signer_id)) return false;
  le.seq = static_cast<uint64_t>(seq);
  le.id = id;
  le.batch = batch;
  le.month = month;
  le.jurisdiction = jurisdiction;
  le.bundle = bundle;
  le.input_json = simdjson::minify(input);
  le.input_digest = input_digest;
  le.outputs_json = simdjson::minify(outputs);
  le.flags_json = simdjson::minify(flags);
  le.rejected = !rejected.is_null();
  le.error_code = code;
  le.key_id = key_id;
  le.bundle_signer = signer_id;
  return true;
}

}  // namespace

std::string read_log_text(const std::string& path, bool& exists) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    exists = false;
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  exists = static_cast<bool>(in);
  std::ostringstream ss;
  if (in) ss << in.rdbuf();
  return ss.str();
}

std::string decision_id(const std::string& prev, const std::string& input_digest, uint64_t seq) {
  return sha256_hex(prev + input_digest + std::to_string(seq)).substr(0, 20);
}

VerifyResult verify_log(const std::string& path, const PublicKey* key, LogContents* contents) {
  bool exists = false;
  const std::string text = read_log_text(path, exists);
  if (exists) return verify_log_text(text, key, contents);
  VerifyResult r;
  r.head = kGenesisHash;
  r.ok = false;
  r.reason = bilingual("无法读取日志（不存在，或不是普通文件）", "cannot read the log (missing, or not a regular file)");
  return r;
}

VerifyResult verify_log_text(std::string_view text, const PublicKey* key, LogContents* contents) {
  VerifyResult r;
  r.head = kGenesisHash;
  simdjson::dom::parser parser;
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = text.find('\n', pos);
    const std::string_view line(text.data() + pos, (end == std::string::npos ? text.size() : end) - pos);
    pos = end == std::string::npos ? text.size() : end + 1;
    ++line_no;
    auto fail = [&](uint64_t entry, const std::string& why) {
      r.ok = false;
      r.bad_entry = entry;
      r.bad_line = line_no;
      r.reason = why;
      return r;
    };
    if (end == std::string::npos)
      return fail(r.entries + 1, bilingual("最后一行不完整（写入被中断）", "incomplete last line (an interrupted write)"));
    if (is_checkpoint_line(line)) {
      std::string why;
      const auto c = parse_checkpoint(line, why);
      if (!c) return fail(r.entries + 1, why);
      if (c->size != r.entries)
        return fail(r.entries + 1, bilingual(fmt::format("检查点覆盖 {} 条，却位于第 {} 条之后（日志被截断或改动）", c->size, r.entries),
                                             fmt::format("a checkpoint for {} entries stands after entry {} (the log was cut or edited)",
                                                         c->size, r.entries)));
      if (to_hex(r.frontier.root()) != c->root)
        return fail(r.covered() + 1,
                    r.covered() + 1 == c->size
                        ? bilingual(fmt::format("第 {} 条不是检查点所签署的内容：它被改写过（哈希链已重算）", c->size),
                                    fmt::format("entry {} is not the one the checkpoint signed: it was rewritten (and the "
                                                "chain recomputed)", c->size))
                        : bilingual(fmt::format("第 {}–{} 条与检查点签署的内容不符：其中有记录被改写（哈希链已重算）", r.covered() + 1, c->size),
                                    fmt::format("entries {}–{} are not the ones the checkpoint signed: one of them was "
                                                "rewritten (and the chain recomputed)", r.covered() + 1, c->size)));
      if (key != nullptr && !checkpoint_signed_by(*c, *key))
        return fail(r.covered() + 1,
                    c->key_id != key->key_id()
                        ? bilingual(fmt::format("检查点由另一把密钥（{}）签署，不是 {}", c->key_id, key->key_id()),
                                    fmt::format("the checkpoint is signed by another key ({}), not {}", c->key_id, key->key_id()))
                        : bilingual("检查点的签名无效", "the checkpoint's signature is not valid"));
      ++r.checkpoints;
      r.last_checkpoint = *c;
      continue;
    }
    const uint64_t seq = r.entries + 1;
    const size_t at = line.rfind(kHashKey);
    if (at == std::string::npos || line.size() != at + kHashKey.size() + 64 + 2) return fail(seq, bilingual("没有哈希", "no hash"));
    const std::string stated(line.substr(at + kHashKey.size(), 64));
    if (line.substr(at + kHashKey.size() + 64) != "\"}") return fail(seq, bilingual("哈希之后还有文字", "text after the hash"));
    if (sha256_hex(std::string(line.substr(0, at)) + "}") != stated)
      return fail(seq, bilingual("内容与其哈希不符（被改动）", "its content does not match its hash (edited)"));
    simdjson::dom::element e;
    if (parser.parse(line.data(), line.size()).get(e) != simdjson::SUCCESS) return fail(seq, bilingual("不是有效的 JSON", "not valid JSON"));
    LogEntry le;
    std::string_view prev;
    if (!parse_entry(e, le, prev)) return fail(seq, bilingual("缺少字段，或字段类型不对", "a field is missing or of the wrong type"));
    if (prev != r.head)
      return fail(seq, bilingual("与前一条接不上（有记录被删除、插入或调换）", "it does not follow the entry before it (removed, inserted or reordered)"));
    if (le.seq != seq) return fail(seq, bilingual("序号不在应在的位置", "its sequence number is out of place"));
    if (le.id != decision_id(r.head, le.input_digest, seq))
      return fail(seq, bilingual("决定编号与哈希链不符", "its decision id does not follow from the chain"));
    const merkle::Hash leaf = merkle::leaf_hash(line);
    r.frontier.add(leaf);
    r.head = stated;
    r.entries = seq;
    if (contents) {
      if (contents->keep_entries) contents->entries.push_back(std::move(le));
      if (contents->keep_leaves) contents->leaves.push_back(leaf);
      if (contents->keep_lines) contents->lines.emplace_back(line);
    }
  }
  return r;
}

std::string verify_failure(const VerifyResult& r) {
  if (r.bad_line == 0) return r.reason;  // the file itself could not be read
  return bilingual(fmt::format("日志未通过校验，第 {} 条（第 {} 行）：{}", r.bad_entry, r.bad_line, in_lang(r.reason, Lang::Zh)),
                   fmt::format("the log does not verify at entry {} (line {}): {}", r.bad_entry, r.bad_line,
                               in_lang(r.reason, Lang::En)));
}

bool read_log(const std::string& path, std::vector<LogEntry>& out, std::string& error, const PublicKey* key) {
  LogContents contents;
  const VerifyResult r = verify_log(path, key, &contents);
  if (!r.ok) {
    error = verify_failure(r);
    return false;
  }
  out = std::move(contents.entries);
  return true;
}

}  // namespace doudi
