// doudi batch: decide every record of a JSONL file into the decision log.
#include <fmt/format.h>

#include <sstream>

#include "compiler/resolve/module_loader.h"
#include "runtime/digest/digest.h"
#include "runtime/value/calendar.h"
#include "tools/cli/decision_entry.h"
#include "tools/cli/module_source.h"

namespace doudi::cli {

// Rejected records shown in full on the terminal; a batch of bad data should
// not bury the summary.
constexpr size_t kShownRejections = 20;

int cmd_batch(const Common& c, const BatchArgs& a) {
  ModuleSource src;
  if (!load_module(c, a.module, src, a.import_roots)) return 1;
  const ir::Module& m = *src.module;
  const uint32_t j = m.find_jurisdiction(a.jurisdiction);
  if (j == UINT32_MAX) {
    report_plain(c, DiagCode::E0106, {a.jurisdiction});
    return 2;
  }
  const auto month = parse_year_month(a.month);
  if (!month) {
    report_plain(c, DiagCode::E3001, {a.month});
    return 2;
  }
  std::optional<std::string> key;
  if (!log_key(c, m, a.key_file, key)) return 1;
  std::string input;
  if (!read_source_file(a.records, input)) {
    report_plain(c, DiagCode::E0007, {a.records, bilingual("文件不存在或无法打开", "no such file or not readable")});
    return 1;
  }
  const std::string month_text = format_year_month(*month);
  const std::string batch = batch_id(src.digest, month_text, a.jurisdiction, sha256_hex(input));

  std::string error;
  auto log = DecisionLog::open(a.log, a.resume, error);
  if (!log) {
    report_plain(c, DiagCode::E4003, {a.log, error});
    return 1;
  }
  const int64_t done = log->last_index(batch);
  if (done >= 0 && !a.resume) {
    report_plain(c, DiagCode::E4004, {a.log});
    return 1;
  }

  Interpreter interp(m);
  interp.set_context(j, *month);
  std::istringstream lines(input);
  std::string line;
  int64_t index = -1;
  size_t in = 0, decided = 0, errors = 0, rejected = 0, skipped = 0;
  try {
    while (std::getline(lines, line)) {
      ++index;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines are not records
      ++in;
      if (index <= done) {  // logged before the interruption
        ++skipped;
        continue;
      }
      LogFields f;
      auto record = load_record_json(m, line);
      if (!record.ok()) {
        f = rejected_entry(record.problems, line);
        // The first rejections in full, with their line; all are in the log.
        if (rejected < kShownRejections)
          *c.err << render_record_problems(record.problems, a.records, line, c.render(), static_cast<uint32_t>(index + 1));
        ++rejected;
      } else {
        const Decision d = interp.decide(record.data);
        f = decided_entry(m, record.data, d, key);
        ++decided;
        errors += d.error.has_value();
      }
      f.batch = batch;
      f.index = index;
      f.month = month_text;
      f.jurisdiction = a.jurisdiction;
      f.bundle = src.digest;
      // Syncing every entry would dominate a large batch; a crash loses
      // at most the unsynced tail, which --resume decides again.
      log->append(f, false);
      if ((index & 255) == 255) log->sync();
    }
    log->sync();
  } catch (const std::exception& e) {
    report_plain(c, DiagCode::E4003, {a.log, e.what()});
    return 1;
  }
  if (rejected > kShownRejections)
    *c.err << (c.lang == Lang::Zh ? fmt::format("另有 {} 条被拒收的记录未在此列出；每条拒收及其原因都记在日志中\n", rejected - kShownRejections)
                                  : fmt::format("{} more rejected record(s) not shown here; the log has every rejection and why\n",
                                                rejected - kShownRejections));
  const size_t already = skipped;
  *c.out << (c.lang == Lang::Zh
                 ? fmt::format("记录 {} 条 = 已决定 {} 条（其中错误结果 {} 条）+ 拒收 {} 条{}\n", in, decided + already,
                               errors, rejected, already ? fmt::format("；续跑前已记录 {} 条", already) : "")
                 : fmt::format("records in: {} = decided {} (of which error results {}) + rejected {}{}\n", in,
                               decided + already, errors, rejected,
                               already ? fmt::format("; {} were logged before resuming", already) : ""));
  return rejected == 0 ? 0 : 1;
}

int cmd_verify_log(const Common& c, const VerifyLogArgs& a) {
  const VerifyResult r = verify_log(a.log);
  if (r.ok) {
    *c.out << (c.lang == Lang::Zh ? fmt::format("日志完好：{} 条记录，链尾哈希 {}\n", r.entries, r.head)
                                  : fmt::format("log intact: {} entries, head {}\n", r.entries, r.head));
    return 0;
  }
  *c.out << (c.lang == Lang::Zh ? fmt::format("日志第 {} 条有问题：{}（此前 {} 条完好）\n", r.bad_entry, r.reason, r.entries)
                                : fmt::format("entry {} is bad: {} ({} entries before it are intact)\n", r.bad_entry,
                                              r.reason, r.entries));
  return 1;
}

}  // namespace doudi::cli
