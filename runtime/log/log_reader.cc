#include "runtime/log/log_reader.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "runtime/diag/diagnostic.h"
#include "runtime/digest/digest.h"
#include "runtime/log/logged_values.h"
#include "runtime/source/utf8.h"

namespace doudi {
namespace {

std::string why_fields() { return bilingual("缺少字段，或字段类型不对", "a field is missing or of the wrong type"); }

// A string field that may be null (empty then).
bool string_or_null(simdjson::dom::element e, std::string& out) {
  if (e.is_null()) return true;
  std::string_view s;
  if (e.get_string().get(s)) return false;
  out = s;
  return true;
}

// The decision's own fields, shared by every format; `names`, the output
// names of its context line (formats 2 to 4), and `shape`, its input's
// shape (format 4: the input is positional, and read back keyed). Its id is
// written in formats 1 and 2 (`written_id`), and from format 3 on follows
// from its leaf: there the line must not have one.
// `line` is the line `e` was parsed from: its record and outputs are read
// from it as written (LoggedValues).
bool parse_decision(simdjson::dom::element e, std::string_view line, LoggedValues& values, LogEntry& le,
                    bool written_id, const std::vector<std::string>* names = nullptr,
                    const InputShape* shape = nullptr) {
  int64_t seq = 0;
  std::string_view id;
  if (e["seq"].get_int64().get(seq) || seq < 1 || e["index"].get_int64().get(le.index))
    return false;
  if (written_id ? e["id"].get_string().get(id) != simdjson::SUCCESS : e["id"].error() != simdjson::NO_SUCH_FIELD)
    return false;
  le.seq = static_cast<uint64_t>(seq);
  le.id = id;
  return values.read(line, shape, names, le.input_json, le.outputs_json);
}

// Fields format 2 may leave out: flags (none), error, rejected (null).
bool parse_outcome(simdjson::dom::element e, LogEntry& le, bool optional) {
  simdjson::dom::element flags, error, rejected;
  const bool has_flags = e["flags"].get(flags) == simdjson::SUCCESS;
  const bool has_error = e["error"].get(error) == simdjson::SUCCESS;
  const bool has_rejected = e["rejected"].get(rejected) == simdjson::SUCCESS;
  if (!optional && !(has_flags && has_error && has_rejected)) return false;
  if (has_flags && !flags.is_array()) return false;
  le.flags_json = has_flags ? simdjson::minify(flags) : "[]";
  if (has_rejected && !(rejected.is_null() || rejected.is_array())) return false;
  le.rejected = has_rejected && !rejected.is_null();
  le.rejections.clear();
  if (le.rejected) {
    simdjson::dom::array problems;
    if (rejected.get_array().get(problems)) return false;
    for (simdjson::dom::element p : problems) {
      std::string_view code, zh, en;
      if (p["code"].get_string().get(code) || p["zh"].get_string().get(zh) || p["en"].get_string().get(en)) return false;
      le.rejections.push_back({std::string(code), std::string(zh), std::string(en)});
    }
  }
  std::string_view code, at;
  if (has_error && !error.is_null() && error["code"].get_string().get(code)) return false;
  le.error_code = code;
  if (has_error && !error.is_null() && error["at"].get_string().get(at) == simdjson::SUCCESS) le.error_at = at;
  return true;
}

// A format 1 entry: every field on every line.
bool parse_entry_v1(simdjson::dom::element e, std::string_view line, LoggedValues& values, LogEntry& le,
                    std::string_view& prev) {
  std::string_view batch, month, jurisdiction, bundle, input_digest;
  simdjson::dom::element key, signer;
  if (!parse_decision(e, line, values, le, true) || !parse_outcome(e, le, false) || e["batch"].get_string().get(batch) ||
      e["month"].get_string().get(month) || e["jurisdiction"].get_string().get(jurisdiction) ||
      e["bundle"].get_string().get(bundle) || e["bundle_signer"].get(signer) ||
      e["input_digest"].get_string().get(input_digest) || e["key"].get(key) || e["prev"].get_string().get(prev) ||
      !string_or_null(key, le.key_id) || !string_or_null(signer, le.bundle_signer))
    return false;
  le.batch = batch;
  le.month = month;
  le.jurisdiction = jurisdiction;
  le.bundle = bundle;
  le.input_digest = input_digest;
  return true;
}

// A context line's "format": absent in format 2, else 3 or 4 (kLogFormat).
// False for anything else: a format this reader does not know.
bool context_format(simdjson::dom::element c, int& format) {
  simdjson::dom::element given;
  if (c["format"].get(given) != simdjson::SUCCESS) {
    format = 2;
    return true;
  }
  int64_t n = 0;
  if (given.get_int64().get(n) || n < 3 || n > kLogFormat) return false;
  format = static_cast<int>(n);
  return true;
}

std::string why_format(simdjson::dom::element c) {
  return bilingual(fmt::format("批次信息行的格式 {} 不是这个版本能读的（由更新的 doudi 写成？）", simdjson::minify(c["format"])),
                   fmt::format("its context line's format {} is not one this doudi reads (written by a newer one?)",
                               simdjson::minify(c["format"])));
}

// A context line as the decisions under it are read: its fields, and what
// reading them takes, worked out once per batch rather than per decision.
struct ContextReading {
  LogContext context;
  std::vector<std::string> output_names;        // the outputs' names, in order
  std::optional<InputShape> shape;              // format 4: the records' shape
  std::shared_ptr<const std::string> defaults;  // context.defaults, shared by its decisions' entries
};

// False also for a format this reader does not know (context_format), and
// for a format 4 line without its input's shape.
bool parse_context(simdjson::dom::element c, ContextReading& reading) {
  LogContext& out = reading.context;
  std::string_view batch, month, jurisdiction, bundle;
  simdjson::dom::element signer, key, defaults, input_shape;
  simdjson::dom::array outputs;
  if (!context_format(c, out.format)) return false;
  if (out.format >= 4) {
    if (c["input_shape"].get(input_shape)) return false;
    reading.shape = InputShape::read(input_shape);
    if (!reading.shape) return false;
    out.input_shape = simdjson::minify(input_shape);
  }
  if (c["outputs"].get_array().get(outputs)) return false;
  for (auto name : outputs) {
    std::string_view text;
    if (name.get_string().get(text)) return false;
    reading.output_names.emplace_back(text);
  }
  out.outputs = simdjson::minify(outputs);
  if (c["defaults"].get(defaults) == simdjson::SUCCESS) {
    if (!defaults.is_object()) return false;
    out.defaults = simdjson::minify(defaults);
    reading.defaults = std::make_shared<const std::string>(out.defaults);
  }
  if (c["batch"].get_string().get(batch) || c["month"].get_string().get(month) ||
      c["jurisdiction"].get_string().get(jurisdiction) || c["bundle"].get_string().get(bundle) ||
      c["bundle_signer"].get(signer) || c["key"].get(key) || !string_or_null(signer, out.bundle_signer) ||
      !string_or_null(key, out.key_id))
    return false;
  out.batch = batch;
  out.month = month;
  out.jurisdiction = jurisdiction;
  out.bundle = bundle;
  return true;
}

// What a decision takes from its context line (the defaults aside: shared
// between the decisions of a batch, ContextReading::defaults).
void take_context(LogEntry& le, const LogContext& c) {
  le.batch = c.batch;
  le.month = c.month;
  le.jurisdiction = c.jurisdiction;
  le.bundle = c.bundle;
  le.bundle_signer = c.bundle_signer;
  le.key_id = c.key_id;
}

// Format 1's decision id: it followed from the chain.
std::string decision_id_v1(const std::string& prev, const std::string& input_digest, uint64_t seq) {
  return sha256_hex(prev + input_digest + std::to_string(seq)).substr(0, 20);
}

// A decision line of format 2, 3 or 4 under its context line: its fields,
// the context's, and its id, written and checked against its batch and
// place in format 2, made from the two lines' leaves from format 3 on.
// Empty, or why not (both languages).
std::string read_decision(simdjson::dom::element e, std::string_view line, LoggedValues& values,
                          const ContextReading& under, const merkle::Hash& context_leaf, const merkle::Hash& leaf,
                          LogEntry& le) {
  const LogContext& c = under.context;
  const bool v2 = c.format == 2;
  std::string_view digest;
  simdjson::dom::element given;
  if (!parse_decision(e, line, values, le, v2, &under.output_names, under.shape ? &*under.shape : nullptr) ||
      !parse_outcome(e, le, true) ||
      (e["input_digest"].get(given) == simdjson::SUCCESS && given.get_string().get(digest)))
    return v2 || e["id"].error() == simdjson::NO_SUCH_FIELD
               ? why_fields()
               : bilingual(fmt::format("有 id 字段，而格式 {} 的决定不写编号（编号由其内容与批次算出）", c.format),
                           fmt::format("it has an id field, which a format {} decision does not (its id follows from "
                                       "its content and batch)", c.format));
  le.input_digest = digest;
  if (!v2) le.id = decision_id(context_leaf, leaf);
  else if (le.id != decision_id_v2(c.batch, le.index, le.seq))
    return bilingual("决定编号与其批次、位置不符", "its decision id does not follow from its batch and place");
  take_context(le, c);
  le.defaults = under.defaults;
  return {};
}

}  // namespace

std::string rejection_reasons(const LogEntry& e) {
  std::string zh, en;
  for (const auto& r : e.rejections) {
    zh += (zh.empty() ? "" : "；") + r.code + " " + r.zh;
    en += (en.empty() ? "" : "; ") + r.code + " " + r.en;
  }
  return bilingual(zh, en);
}

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
  merkle::Hash head_raw = genesis_hash();
  ContextReading current;  // the last context line
  LoggedValues values;
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
    const HashField field = hash_field(line);
    if (field.state == HashField::Missing) return fail(seq, bilingual("没有哈希", "no hash"));
    if (field.state == HashField::TextAfter) return fail(seq, bilingual("哈希之后还有文字", "text after the hash"));
    const std::string stated(field.hex);
    const std::string_view unclosed = field.unclosed;
    simdjson::dom::element e;
    // The JSON is parsed before the hash is trusted only to learn the
    // format, from the first line; nothing else is read from it yet.
    if (parser.parse(line.data(), line.size()).get(e) != simdjson::SUCCESS) return fail(seq, bilingual("不是有效的 JSON", "not valid JSON"));
    if (seq == 1) r.format = e["prev"].error() == simdjson::SUCCESS ? 1 : kLogFormat;  // formats 2 to 4: by their context lines
    LogEntry le;
    bool is_decision = true;
    merkle::Hash leaf;
    if (r.format == 1) {
      if (sha256_hex(std::string(unclosed) + "}") != stated)
        return fail(seq, bilingual("内容与其哈希不符（被改动）", "its content does not match its hash (edited)"));
      std::string_view prev;
      if (!parse_entry_v1(e, line, values, le, prev)) return fail(seq, why_fields());
      if (prev != r.head)
        return fail(seq, bilingual("与前一条接不上（有记录被删除、插入或调换）", "it does not follow the entry before it (removed, inserted or reordered)"));
      if (le.seq != seq) return fail(seq, bilingual("序号不在应在的位置", "its sequence number is out of place"));
      if (le.id != decision_id_v1(r.head, le.input_digest, seq))
        return fail(seq, bilingual("决定编号与哈希链不符", "its decision id does not follow from the chain"));
      leaf = merkle::leaf_hash(line);
      r.head = stated;
    } else {
      leaf = line_leaf(unclosed);
      const merkle::Hash hash = chain_hash(head_raw, leaf);
      if (to_hex(hash) != stated)
        return fail(seq, e["prev"].error() == simdjson::SUCCESS
                             ? bilingual("格式 1 的记录出现在格式 2 至 4 的日志中", "a format 1 entry in a log of format 2 to 4")
                             : bilingual("内容与其哈希不符（被改动，或与前一条接不上：有记录被删除、插入或调换）",
                                         "its content does not match its hash (edited, or it does not follow the entry "
                                         "before it: removed, inserted or reordered)"));
      int64_t line_seq = 0;
      if (e["seq"].get_int64().get(line_seq)) return fail(seq, why_fields());
      if (line_seq < 1 || static_cast<uint64_t>(line_seq) != seq)
        return fail(seq, bilingual("序号不在应在的位置", "its sequence number is out of place"));
      simdjson::dom::element context;
      if (e["context"].get(context) == simdjson::SUCCESS && context.is_object()) {  // a decision names it by number
        ContextReading reading;
        const LogContext& ctx = reading.context;
        if (!parse_context(context, reading))
          return fail(seq, context_format(context, reading.context.format) ? why_fields() : why_format(context));
        // Formats go one way: a writer of one format never writes an older one.
        if (r.context && r.context->format > ctx.format)
          return fail(seq, bilingual(fmt::format("格式 {} 的批次信息行出现在格式 {} 的之后", ctx.format, r.context->format),
                                     fmt::format("a context line of format {} after one of format {}", ctx.format,
                                                 r.context->format)));
        r.format = ctx.format;
        r.context = ctx;
        current = std::move(reading);
        r.context_seq = seq;
        r.context_leaf = leaf;
        is_decision = false;
      } else {
        if (!r.context)
          return fail(seq, bilingual("之前没有批次信息行（日志开头被删去？）", "no context line before it (was the log's beginning removed?)"));
        uint64_t context_seq = 0;
        if (e["context"].get_uint64().get(context_seq)) return fail(seq, why_fields());
        if (context_seq != r.context_seq)
          return fail(seq, bilingual("所指的批次信息行不是它之前的那一行", "the context line it names is not the one before it"));
        if (std::string why = read_decision(e, line, values, current, r.context_leaf, leaf, le); !why.empty())
          return fail(seq, why);
        le.context_seq = context_seq;
      }
      head_raw = hash;
      r.head = stated;
    }
    r.frontier.add(leaf);
    r.entries = seq;
    r.decisions += is_decision;
    r.batches += !is_decision;
    if (contents) {
      if (contents->on_entry && is_decision) contents->on_entry(le);
      if (contents->keep_entries && is_decision) contents->entries.push_back(std::move(le));
      if (contents->keep_leaves) contents->leaves.push_back(leaf);
      if (contents->keep_lines) contents->lines.emplace_back(line);
    }
  }
  return r;
}

std::optional<ChainHead> read_chain_head(std::string_view last_line, std::string_view context_line, std::string& why) {
  ChainHead head;
  if (last_line.empty()) return head;
  auto stated_hash = [](std::string_view line) -> std::optional<std::string> {
    const HashField field = hash_field(line);
    if (field.state != HashField::Ok) return std::nullopt;
    return from_hex(field.hex);
  };
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  const auto hash = stated_hash(last_line);
  int64_t seq = 0;
  if (!hash || hash->size() != head.hash.size() || parser.parse(last_line.data(), last_line.size()).get(e) ||
      e["seq"].get_int64().get(seq) || seq < 1) {
    why = bilingual("最后一行不是决定日志的一行", "the last line is not a line of a decision log");
    return std::nullopt;
  }
  head.seq = static_cast<uint64_t>(seq);
  std::copy(hash->begin(), hash->end(), head.hash.begin());
  simdjson::dom::element context;
  int64_t context_seq = 0;
  ContextReading c;
  if (!stated_hash(context_line) || parser.parse(context_line.data(), context_line.size()).get(e) ||
      e["context"].get(context) || !context.is_object() || !parse_context(context, c) ||
      e["seq"].get_int64().get(context_seq) || context_seq < 1 || context_seq > seq) {
    why = bilingual("批次信息行不是决定日志的批次信息行", "the context line is not a context line of a decision log");
    return std::nullopt;
  }
  head.context = std::move(c.context);
  head.context_seq = static_cast<uint64_t>(context_seq);
  head.context_leaf = *written_line_leaf(context_line);  // its hash field was read above
  return head;
}

std::optional<LogEntry> read_logged_decision(std::string_view context_line, std::string_view decision_line) {
  simdjson::dom::parser context_parser, decision_parser;
  simdjson::dom::element c, e, context;
  if (context_parser.parse(context_line.data(), context_line.size()).get(c) ||
      decision_parser.parse(decision_line.data(), decision_line.size()).get(e) || c["context"].get(context) ||
      !context.is_object())
    return std::nullopt;
  ContextReading under;
  LoggedValues values;
  int64_t context_seq = 0;
  uint64_t named_context = 0;
  if (!parse_context(context, under) || c["seq"].get_int64().get(context_seq) || context_seq < 1 ||
      e["context"].get_uint64().get(named_context) || named_context != static_cast<uint64_t>(context_seq))
    return std::nullopt;
  const auto context_leaf = written_line_leaf(context_line), leaf = written_line_leaf(decision_line);
  LogEntry le;
  if (!context_leaf || !leaf || !read_decision(e, decision_line, values, under, *context_leaf, *leaf, le).empty())
    return std::nullopt;
  le.context_seq = named_context;
  return le;
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
