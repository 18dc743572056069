// doudi batch: decide every record of a JSON Lines or CSV file into the decision log.
#include <fmt/format.h>
#include <strings.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <system_error>
#include <thread>

#include "runtime/batch/batch.h"
#include "runtime/batch/csv_records.h"
#include "runtime/log/log_entry.h"
#include "runtime/record/record_json.h"
#include "runtime/record/mask_sensitive.h"
#include "runtime/value/calendar.h"
#include "tools/cli/engine_choice.h"
#include "tools/cli/keys.h"
#include "tools/cli/module_source.h"

namespace doudi::cli {

// Rejected records shown in full on the terminal; a batch of bad data should
// not bury the summary.
constexpr size_t kShownRejections = 20;

std::string records_name(const Common& c, const std::string& path) {
  return path == "-" ? c.pick("标准输入", "standard input") : path;
}

// A line on standard error while a batch runs: records so far, records per
// second and the time left (from the bytes read). On a terminal it is
// rewritten in place a few times a second; elsewhere (--progress into a
// file) a line every few seconds.
class Progress {
 public:
  Progress(const Common& c, bool on, bool terminal, uint64_t total_bytes)
      : c_(c), on_(on), terminal_(terminal), total_(total_bytes), start_(std::chrono::steady_clock::now()), last_(start_) {}

  void update(uint64_t records, uint64_t bytes) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < (terminal_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(5000))) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(records) / seconds : 0;
    const double left = bytes > 0 && bytes < total_ ? seconds * static_cast<double>(total_ - bytes) / static_cast<double>(bytes) : 0;
    const std::string text =
        c_.lang == Lang::Zh ? fmt::format("已处理 {} 条，每秒 {:.0f} 条，约剩 {:.0f} 秒", records, rate, left)
                            : fmt::format("{} records, {:.0f} a second, about {:.0f} s left", records, rate, left);
    *c_.err << (terminal_ ? "\r\x1b[K" + text : text + "\n") << std::flush;
    shown_ = true;
  }
  void finish() {
    if (shown_ && terminal_) *c_.err << "\r\x1b[K" << std::flush;
    shown_ = false;
  }

 private:
  const Common& c_;
  bool on_, terminal_;
  uint64_t total_;
  std::chrono::steady_clock::time_point start_, last_;
  bool shown_ = false;
};

int cmd_batch(const Common& c, const BatchArgs& a) {
  // The records are opened first, before the rules are compiled and the
  // engine made. A file is hashed from then on, on a thread of its own,
  // while its records are decided: the batch's first line waits for its
  // digest, which took a core 0.19 s for a million households, and opened
  // after the rules it began about 25 ms after the start of the batch, with
  // the second core idle meanwhile. Standard input is kept in a file and hashed
  // as it is kept, on a thread of its own, which takes about as long as
  // making the engine.
  std::string why;
  std::optional<RecordInput> input;
  std::atomic<bool> stop_reading{false};
  const auto read_input = [&] {
    if (auto opened = RecordInput::open(a.records, why, &stop_reading)) input.emplace(std::move(*opened));
  };
  // Standard input's thread: joined once the engine is made, or on a return
  // before that, told first to stop (the input is not needed then).
  struct Reading {
    std::thread thread;
    std::atomic<bool>& stop;
    void finish(bool needed) {
      if (!needed) stop = true;
      if (thread.joinable()) thread.join();
    }
    ~Reading() { finish(false); }
  } reading{{}, stop_reading};
  bool read_later = false;  // standard input with no thread to be had: read once the engine is made
  if (a.records != "-") {
    // A file opens at once, and its hashing thread starts before any
    // library is loaded: loading one holds the dynamic loader's lock, which
    // a thread being started waits for.
    read_input();
  } else {
    try {
      reading.thread = std::thread(read_input);
    } catch (const std::system_error&) {
      read_later = true;
    }
  }
  std::shared_ptr<const RuleSet> rules;
  DecisionContext context;
  BatchSettings settings;
  if (int rc = decision_setup(c, a.module, a.import_roots, a.jurisdiction, a.month, rules, context, nullptr,
                              a.trusted_keys, &settings.context.bundle_signer))
    return rc;
  std::vector<Diagnostic> errors;
  const bool key_ok = load_log_key(rules->module(), a.key_file, settings.key, errors);
  report_all(c, errors);  // warnings too
  if (!key_ok) return 1;
  // .csv in any case: exports from Windows systems are often named .CSV.
  const bool named_csv = a.records.size() > 4 && strcasecmp(a.records.c_str() + a.records.size() - 4, ".csv") == 0;
  const bool csv = a.format == "csv" || (a.format.empty() && named_csv);
  if (!csv && !a.csv_key.empty()) {
    report_plain(c, DiagCode::E0020,
                 {"--csv-key", bilingual("CSV 输入（.csv 文件或 --format csv）", "CSV input (a .csv file or --format csv)")});
    return 2;
  }
  std::optional<EngineKind> engine = choose_engine(c, a.engine, true, rules);
  reading.finish(engine.has_value());
  if (read_later && engine) read_input();
  if (!engine) return 1;
  if (!input) {
    report_plain(c, DiagCode::E0007, {records_name(c, a.records), why});
    return 1;
  }
  // A CSV's header and quoting are checked before the log is opened: a
  // table refused there leaves no log behind.
  std::unique_ptr<RecordSource> source;
  try {
    if (csv) source = std::make_unique<CsvRecords>(rules->module(), input->fd(), input->size(), a.csv_key);
    else source = std::make_unique<ChunkReader>(input->fd(), input->size());
  } catch (const CsvError& e) {
    report_plain(c, DiagCode::E2011, {records_name(c, a.records), e.what()});
    return 1;
  } catch (const std::exception& e) {  // the header could not be read
    report_plain(c, DiagCode::E0007, {records_name(c, a.records), e.what()});
    return 1;
  }
  LogContext& where = settings.context;
  where.month = format_year_month(context.month);
  where.jurisdiction = context.jurisdiction_name;
  where.bundle = rules->digest();
  describe_schema(where, rules->module());
  const std::string key_id = where.key_id = settings.key ? settings.key->id : "";
  CheckpointSettings checkpoints;
  checkpoints.every = a.checkpoint_every;
  if (!a.signing_key.empty() && !(checkpoints.key = signing_key_or_report(c, a.signing_key))) return 1;
  std::string error;
  auto log = DecisionLog::open(a.log, a.resume, error, std::move(checkpoints));
  if (!log) {
    report_plain(c, DiagCode::E4003, {a.log, error});
    return 1;
  }
  // The batch is named by its input's digest. A new batch is decided while
  // the digest is computed, and refused (E4004, nothing written) if the log
  // turns out to hold it already; a resumed one needs the digest first, to
  // know where it stopped.
  struct Refused {
    DiagCode code;
    std::vector<std::string> args;
  };
  DecisionLog::Logged before;  // what the log holds of this batch (a resumed one's part)
  auto name_batch = [&]() -> std::optional<Refused> {
    where.batch = batch_id(rules->digest(), where.month, a.jurisdiction, input->digest());
    before = log->logged(where.batch);
    const int64_t done = before.last_index;
    if (done >= 0 && !a.resume) return Refused{DiagCode::E4004, {a.log}};
    // --resume continues a batch; given another input (or month, or rules)
    // it would start a new one and leave the interrupted one unfinished. (A
    // batch cut off after its context line, before any entry, is the last
    // one begun: that one resumes.)
    const bool begun_last = log->last_context() && log->last_context()->batch == where.batch;
    if (done < 0 && a.resume && log->batches_logged() > 0 && !begun_last) return Refused{DiagCode::E4010, {a.log}};
    if (done >= 0 && before.key_id != key_id)
      return Refused{DiagCode::E4007, {a.log, before.key_id.empty() ? "—" : before.key_id, key_id.empty() ? "—" : key_id}};
    return std::nullopt;
  };
  if (a.resume) {
    std::optional<Refused> refused;
    try {
      refused = name_batch();
    } catch (const RecordReadError& e) {
      report_plain(c, DiagCode::E0007, {records_name(c, a.records), e.what()});
      return 1;
    }
    if (refused) {
      report_plain(c, refused->code, refused->args);
      return 1;
    }
    settings.done = before.last_index;
  } else {  // (settings.done stays -1: a batch the log holds is refused)
    settings.context_to_come = [&] {
      if (auto refused = name_batch()) throw *refused;
      return where;
    };
    settings.context_known = [&] { return input->digest_ready(); };
  }
  // The first rejections in full, with their line; all are in the log. A
  // CSV household is shown as the JSON record its rows made, named by the
  // line of its first row, each problem with a note naming its cell.
  size_t shown = 0;
  auto show = [&](int64_t line, std::string_view text, const std::vector<RecordProblem>& problems) {
    if (shown++ >= kShownRejections) return;
    const std::string place =
        csv ? (c.lang == Lang::Zh ? fmt::format("{} 第 {} 行起的一户（JSON 形式）", records_name(c, a.records), line + 1)
                                  : fmt::format("{}, the household from line {} (as JSON)", records_name(c, a.records), line + 1))
            : records_name(c, a.records);
    *c.err << render_record_problems(problems_without_sensitive_values(rules->module(), problems, text, stars_for), place,
                                     mask_sensitive_values(rules->module(), text), c.render(),
                                     csv ? 1 : static_cast<uint32_t>(line + 1));
  };
  settings.threads = a.threads;
  settings.engine = *engine;
  log->group_commit(GroupCommit{a.sync_every, std::chrono::milliseconds(a.sync_ms)});
  Progress progress(c, a.progress || (!a.no_progress && ::isatty(STDERR_FILENO)), ::isatty(STDERR_FILENO), input->size());
  BatchReport r;
  try {
    r = decide_batch(rules, context, *source, *log, settings, show,
                     [&](const BatchReport& so_far, uint64_t bytes) { progress.update(so_far.in, bytes); });
    progress.finish();
    log->checkpoint();  // the batch is done: sign what it wrote
  } catch (const Refused& refused) {  // a new batch the log holds already: nothing was written
    progress.finish();
    report_plain(c, refused.code, refused.args);
    return 1;
  } catch (const CsvError& e) {
    progress.finish();
    report_plain(c, DiagCode::E2011, {records_name(c, a.records), e.what()});
    return 1;
  } catch (const RecordReadError& e) {  // the records, not the log
    progress.finish();
    report_plain(c, DiagCode::E0007, {records_name(c, a.records), e.what()});
    return 1;
  } catch (const std::exception& e) {
    progress.finish();
    report_plain(c, DiagCode::E4003, {a.log, e.what()});
    return 1;
  }
  if (r.rejected > kShownRejections)
    *c.err << (c.lang == Lang::Zh ? fmt::format("另有 {} 条被拒收的记录未在此列出；每条拒收及其原因都记在日志中\n", r.rejected - kShownRejections)
                                  : fmt::format("{} more rejected record(s) not shown here; the log has every rejection and why\n",
                                                r.rejected - kShownRejections));
  // Error results are decisions (logged with their message, which
  // `doudi explain` shows); here only how many of each code and where the
  // first is, so a batch that cannot decide says so on the terminal.
  if (!r.error_codes.empty()) {
    std::string list;
    for (const auto& [code, tally] : r.error_codes)
      list += (list.empty() ? "" : c.pick("；", "; ")) +
              (c.lang == Lang::Zh ? fmt::format("{} {} 条（首条在第 {} 行）", diag_info(code).code, tally.count, tally.first_line + 1)
                                  : fmt::format("{} × {} (the first on line {})", diag_info(code).code, tally.count, tally.first_line + 1));
    *c.err << c.pick("错误结果：", "error results: ") << list
           << c.pick("。每条的说明都记在日志中（doudi explain 可查看）\n", "; the log has each one's message (doudi explain shows it)\n");
  }
  // The whole batch, the part logged before a resume included.
  const uint64_t decided = r.decided + before.decided, error_results = r.errors + before.errors,
                 rejected = r.rejected + before.rejected;
  *c.out << (c.lang == Lang::Zh
                 ? fmt::format("记录 {} 条 = 已决定 {} 条（其中错误结果 {} 条）+ 拒收 {} 条{}\n", r.in, decided, error_results,
                               rejected, r.skipped ? fmt::format("；续跑前已记录 {} 条", r.skipped) : "")
                 : fmt::format("records in: {} = decided {} (of which error results {}) + rejected {}{}\n", r.in, decided,
                               error_results, rejected, r.skipped ? fmt::format("; {} were logged before resuming", r.skipped) : ""));
  if (rejected > 0) return 1;
  return decided > 0 && error_results == decided ? 3 : 0;  // every decision an error result: the rules cannot decide here
}

}  // namespace doudi::cli
