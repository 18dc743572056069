#include "runtime/batch/batch.h"

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "runtime/batch/line_chunks.h"
#include "runtime/log/log_entry.h"
#include "runtime/source/usable_cores.h"

namespace doudi {
namespace {

struct Job {
  Chunk chunk;
  uint64_t context_seq = 0;  // of the batch's context line
  // This chunk's lines. Kept with the job when it is read into again, so a
  // worker writes over the lines the writer has written: the writer's
  // thread frees none of the storage the workers made (freeing what another
  // thread allocated took a fifth of its time).
  PreparedLines lines;
};

// What a worker makes of one chunk; the job comes back with it, to be
// read into again.
struct ChunkResult {
  std::unique_ptr<Job> job;
  struct Rejection {
    int64_t line;
    std::string text;
    std::vector<RecordProblem> problems;
  };
  std::vector<Rejection> rejections;
  BatchReport counts;
  std::exception_ptr failure;
};

// The seq of each chunk's first decision. It follows the decisions of the
// chunks before, whose number is known only once their records are made
// (a CSV chunk's rows become households on a deciding thread): each
// deciding thread says how many its chunk holds, then waits for the chunks
// before it. Chunks are taken in order and counted before any wait, so the
// first chunk not counted is always being made, by a thread that waits for
// nothing.
class FirstSeqs {
 public:
  explicit FirstSeqs(uint64_t first) : next_first_(first) {}

  // Chunk `number` holds `decisions` to log: the seq of its first, or 0 once
  // abandoned.
  uint64_t counted(uint64_t number, uint64_t decisions) {
    std::unique_lock lock(mutex_);
    counts_.emplace(number, decisions);
    for (auto c = counts_.find(added_); c != counts_.end(); c = counts_.find(added_)) {
      firsts_.emplace(added_++, next_first_);
      next_first_ += c->second;
      counts_.erase(c);
    }
    known_.notify_all();
    known_.wait(lock, [&] { return abandoned_ || firsts_.count(number) != 0; });
    if (abandoned_) return 0;
    const auto f = firsts_.find(number);
    const uint64_t first = f->second;
    firsts_.erase(f);
    return first;
  }

  // The batch is stopping: no thread waits any longer.
  void abandon() {
    {
      std::lock_guard lock(mutex_);
      abandoned_ = true;
    }
    known_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable known_;
  std::map<uint64_t, uint64_t> counts_;  // of chunks counted out of order
  std::map<uint64_t, uint64_t> firsts_;  // of chunks counted and not yet told
  uint64_t added_ = 0;                   // chunks before this one have been added up
  uint64_t next_first_;                  // the first seq of chunk added_
  bool abandoned_ = false;
};

// The storage of a record's fields kept for the next record (a household's
// are a few hundred bytes).
constexpr size_t kKeptFieldBytes = 64 * 1024;

// One deciding thread's tools, reused for every record.
class Worker {
 public:
  Worker(const std::shared_ptr<const RuleSet>& rules, const DecisionContext& context, const BatchSettings& settings,
         const RecordSource& source)
      : m_(rules->module()), converter_(source.converter()), reader_(m_), plan_(m_), settings_(settings), done_(settings.done) {
    std::string error;
    engine_ = make_engine(settings.engine, rules, error);
    if (!engine_) throw std::runtime_error(error);
    engine_->set_context(context);
  }

  ChunkResult run(Job& job, FirstSeqs& firsts) {
    ChunkResult out;
    if (converter_) {
      try {
        converter_->convert(job.chunk);
      } catch (...) {
        firsts.counted(job.chunk.number, 0);  // the chunks after it wait for its count
        throw;
      }
    }
    uint64_t decisions = 0;
    for (const RecordLine& r : job.chunk.records) decisions += r.index > done_;
    uint64_t seq = firsts.counted(job.chunk.number, decisions);
    if (seq == 0) return out;  // the batch is stopping (seqs start at 1)
    // A chunk's lines take about as many bytes as its records: a job keeps
    // storage for a few ordinary chunks, not for the largest it ever held.
    job.lines.clear(8 * settings_.chunk_bytes);
    for (const RecordLine& r : job.chunk.records) {
      ++out.counts.in;
      if (r.index <= done_) {  // logged before the interruption
        ++out.counts.skipped;
        continue;
      }
      const std::string_view line = job.chunk.line(r);
      LogFields& f = fields_;
      LoadedRecord preset;
      if (r.problem) preset.problems.push_back(job.chunk.problems[r.problem - 1]);
      const LoadedRecord& record = r.problem ? preset : reader_.load(line, job.chunk.bytes.size() - r.offset);
      if (!record.ok()) {
        f = rejected_entry(m_, record.problems, line, settings_.key);
        std::vector<RecordProblem> problems = record.problems;
        // A problem found reading the record names the table's cell; those
        // found while its rows were read name their lines themselves.
        if (!r.problem) job.chunk.place_in_table(r, problems);
        out.rejections.push_back({r.index, std::string(line.substr(0, 1 << 16)), std::move(problems)});
        ++out.counts.rejected;
      } else {
        engine_->decide_into(record.data, decision_);
        decided_entry(f, m_, record.data, decision_, settings_.key, &plan_);
        ++out.counts.decided;
        if (decision_.error) {
          ++out.counts.errors;
          ErrorTally& tally = out.counts.error_codes[decision_.error->code];
          if (tally.count++ == 0) tally.first_line = r.index;
        }
      }
      f.index = r.index;
      job.lines.add(seq++, job.context_seq, f);
      if (f.input_json.capacity() > kKeptFieldBytes) f = LogFields{};
    }
    return out;
  }

 private:
  const ir::Module& m_;
  const std::unique_ptr<ChunkConverter> converter_;  // the source's, if its records are made here
  std::unique_ptr<Engine> engine_;
  Decision decision_;  // reused: its vectors keep their storage
  LogFields fields_;   // reused: its strings keep their storage
  RecordReader reader_;
  const RecordWriterPlan plan_;
  const BatchSettings& settings_;
  const int64_t done_;  // copied: the calling thread may name the batch while this one decides
};

void add(BatchReport& to, const BatchReport& from) {
  to.in += from.in;
  to.decided += from.decided;
  to.errors += from.errors;
  to.rejected += from.rejected;
  to.skipped += from.skipped;
  // Chunks are added in input order: the first line of a code is the first
  // chunk's that has it.
  for (const auto& [code, tally] : from.error_codes) {
    ErrorTally& into = to.error_codes[code];
    if (into.count == 0) into.first_line = tally.first_line;
    into.count += tally.count;
  }
}

}  // namespace

BatchReport decide_batch(const std::shared_ptr<const RuleSet>& rules, const DecisionContext& context,
                         const RecordInput& input,
                         DecisionLog& log, const BatchSettings& settings, const OnRejected& on_rejected,
                         const OnProgress& on_progress) {
  ChunkReader reader(input.fd(), input.size(), settings.chunk_bytes);
  return decide_batch(rules, context, reader, log, settings, on_rejected, on_progress);
}

BatchReport decide_batch(const std::shared_ptr<const RuleSet>& rules, const DecisionContext& context,
                         RecordSource& reader,
                         DecisionLog& log, const BatchSettings& settings, const OnRejected& on_rejected,
                         const OnProgress& on_progress) {
  const unsigned cores = usable_cores();
  const unsigned threads = settings.threads ? settings.threads : cores;
  // Chunks read ahead of the one being logged: enough to keep every worker
  // busy, few enough that memory stays a few MiB per thread.
  const size_t max_in_flight = 2 * threads + 1;
  // Decisions name their context line by seq, which is known before the
  // context itself is (BatchSettings::context_to_come).
  bool begun = !settings.context_to_come;
  if (begun) log.begin(settings.context);
  const uint64_t context_seq = begun ? log.context_seq() : log.entries() + 1;
  FirstSeqs firsts((begun ? log.entries() : context_seq) + 1);

  std::mutex mutex;
  std::condition_variable work_ready, result_ready;
  std::deque<std::unique_ptr<Job>> queue;
  std::map<uint64_t, ChunkResult> results;
  bool closing = false;
  // Until the context is known, all workers but the last decide ahead and
  // the last waits: the context waits for the input's digest, hashed on a
  // thread of its own, which would otherwise share a core with deciding
  // while the other cores run out of chunks they may decide. On one core
  // there is no core to spare: holding lines would only cost memory.
  // Changed under `mutex`, then `ahead_over` told, when the batch begins.
  bool ahead = threads > 1 && cores > 1 && !begun && settings.context_known && !settings.context_known();
  std::condition_variable ahead_over;

  std::vector<std::thread> pool;
  std::exception_ptr fatal;  // a worker that could not even start (its tools would not allocate)
  // One deciding thread: takes chunks until the queue is closed.
  auto work = [&](unsigned worker_number) {
    std::optional<Worker> made;
    try {
      made.emplace(rules, context, settings, reader);
    } catch (...) {
      {
        std::lock_guard lock(mutex);
        fatal = std::current_exception();
      }
      result_ready.notify_all();
      return;
    }
    Worker& worker = *made;
    if (worker_number + 1 == threads) {  // waits on a condition of its own: a chunk queued wakes a worker that may take it
      std::unique_lock lock(mutex);
      ahead_over.wait(lock, [&] { return closing || !ahead; });
    }
    while (true) {
      std::unique_ptr<Job> job;
      {
        std::unique_lock lock(mutex);
        work_ready.wait(lock, [&] { return closing || !queue.empty(); });
        if (queue.empty()) return;
        job = std::move(queue.front());
        queue.pop_front();
      }
      ChunkResult result;
      try {
        result = worker.run(*job, firsts);
      } catch (...) {
        result.failure = std::current_exception();
      }
      {
        std::lock_guard lock(mutex);
        const uint64_t number = job->chunk.number;
        result.job = std::move(job);
        results.emplace(number, std::move(result));
      }
      result_ready.notify_all();
    }
  };
  auto stop = [&] {
    {
      std::lock_guard lock(mutex);
      closing = true;
      queue.clear();
    }
    work_ready.notify_all();
    ahead_over.notify_all();
    firsts.abandon();
    for (auto& t : pool)
      if (t.joinable()) t.join();
  };

  BatchReport report;
  // A chunk's lines into the log, its rejections shown, its counts added.
  auto log_chunk = [&](PreparedLines& lines, const ChunkResult& result) {
    log.append(lines);
    if (on_rejected)
      for (const auto& r : result.rejections) on_rejected(r.line, r.text, r.problems);
    add(report, result.counts);
    if (on_progress) on_progress(report, reader.bytes_read());
  };
  // Chunks decided before the context was known: their lines and
  // rejections, held in input order (their storage counted against
  // max_held_bytes).
  struct Held {
    PreparedLines lines;
    ChunkResult result;
  };
  std::deque<Held> held;
  size_t held_bytes = 0;
  uint64_t submitted = 0, taken = 0;
  bool more = true;
  std::vector<std::unique_ptr<Job>> spare;  // jobs logged or held, their buffers kept
  // Chunks read and queued until max_in_flight are decided and not yet taken.
  auto top_up = [&] {
    while (more && submitted - taken < max_in_flight) {
      std::unique_ptr<Job> job;
      if (spare.empty()) job = std::make_unique<Job>();
      else {
        job = std::move(spare.back());
        spare.pop_back();
      }
      if (!(more = reader.next(job->chunk))) break;
      job->context_seq = context_seq;
      {
        std::lock_guard lock(mutex);
        queue.push_back(std::move(job));
      }
      work_ready.notify_one();
      ++submitted;
    }
  };
  // Once: the context line (waiting for it if need be), then the chunks
  // held. Their storage goes to the jobs queued without any (those read
  // into again while chunks were held); the rest is given back.
  auto begin = [&] {
    if (begun) return;
    log.begin_new(settings.context_to_come());
    begun = true;
    if (log.context_seq() != context_seq)  // the log changed under the batch: its decisions name another line
      throw std::logic_error(fmt::format("context line written as {}, decided under {}", log.context_seq(), context_seq));
    {
      std::lock_guard lock(mutex);
      ahead = false;
    }
    ahead_over.notify_all();
    for (Held& h : held) log_chunk(h.lines, h.result);
    {
      std::lock_guard lock(mutex);
      for (auto job = queue.begin(); job != queue.end() && !held.empty(); ++job) {
        if ((*job)->lines.capacity() != 0) continue;
        (*job)->lines = std::move(held.back().lines);
        held.pop_back();
      }
    }
    held.clear();
  };
  try {
    // Inside the try: a thread that cannot be started stops those that were.
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work, t);
    while (true) {
      top_up();
      if (taken == submitted) {
        begin();  // an input with no records still has its context line
        break;
      }
      ChunkResult result;
      {
        std::unique_lock lock(mutex);
        auto taken_ready = [&] { return fatal || results.count(taken) != 0; };
        // Reading ahead, it looks at the context now and then: nothing
        // tells this thread when the digest is done.
        while (ahead && !taken_ready() && !settings.context_known()) result_ready.wait_for(lock, std::chrono::milliseconds(1));
        if (ahead && !taken_ready()) {  // the context is known: log what is held, and go on as usual
          lock.unlock();
          begin();
          continue;
        }
        result_ready.wait(lock, taken_ready);
        if (fatal) std::rethrow_exception(fatal);  // at once, the chunks held not logged: a worker short of memory stops the batch where it is
        result = std::move(results.at(taken));
        results.erase(taken);
      }
      ++taken;
      if (result.failure) {
        if (!held.empty()) begin();  // as if logged on the way: the chunks before it are
        std::rethrow_exception(result.failure);
      }
      if (ahead && held_bytes < settings.max_held_bytes && !settings.context_known()) {
        // Held, and its job read into again at once, with new storage for
        // its lines. (The bound is checked before: one chunk may pass it.)
        held_bytes += result.job->lines.capacity();
        for (const auto& r : result.rejections) held_bytes += r.text.capacity();
        Held& h = held.emplace_back();
        h.lines = std::move(result.job->lines);
        result.job->lines = PreparedLines{};
        spare.push_back(std::move(result.job));
        h.result = std::move(result);
        continue;
      }
      begin();
      log_chunk(result.job->lines, result);
      spare.push_back(std::move(result.job));
    }
  } catch (...) {
    stop();
    throw;
  }
  stop();
  return report;
}

}  // namespace doudi
