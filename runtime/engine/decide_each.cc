// Engine::decide_each over records kept apart (the overload over a Caseload
// is in doudi/engine.h): households held in memory, decided in order with
// the records ahead prefetched. A record's words are a separate allocation, so
// the hardware's prefetchers, which follow a stream of addresses, cannot
// guess where the next one lies: without help each record costs the rules
// one cache miss after another as they walk its fields.
#include "doudi/engine.h"

#include <algorithm>

namespace doudi {
namespace {

// How many records ahead are asked for: far enough that they arrive while
// the current one is decided (a decision takes tens to thousands of
// nanoseconds, a miss about a hundred), near enough that they are still in
// the caches when their turn comes.
constexpr size_t kAhead = 4;
// At most this much of a record is asked for (a Huining household is about
// 1.7 KB): a larger record's first fields still overlap.
constexpr size_t kPrefetchBytes = 4096;

void prefetch_words(const RecordData& record) {
  const char* const first = reinterpret_cast<const char*>(record.words.data());
  const size_t bytes = std::min(record.words.size() * sizeof(int64_t), kPrefetchBytes);
  for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(first + offset);
  // GCC 12 counts a prefetch as doing nothing, finds this function has no
  // effect and drops every call to it; this empty statement says otherwise.
  asm volatile("");
}

}  // namespace

void Engine::decide_each(std::span<const RecordData> households, Decision& scratch,
                         const std::function<void(size_t, const Decision&)>& each) {
  for (size_t i = 0; i < std::min(kAhead, households.size()); ++i) prefetch_words(households[i]);
  for (size_t i = 0; i < households.size(); ++i) {
    if (i + kAhead < households.size()) prefetch_words(households[i + kAhead]);
    decide_into(households[i], scratch);
    each(i, scratch);
  }
}

}  // namespace doudi
