// Engine::decide_each over records kept apart (the overload over a Caseload
// is in doudi/engine.h): households held in memory, decided in order with
// the records ahead prefetched. A record's words are a separate allocation, so
// the hardware's prefetchers, which follow a stream of addresses, cannot
// guess where the next one lies: without help each record costs the rules
// one cache miss after another as they walk its fields.
#include "doudi/engine.h"

#include <algorithm>

#include "runtime/record/prefetch_record.h"

namespace doudi {
namespace {

// How many records ahead are asked for: far enough that they arrive while
// the current one is decided (a decision takes tens to thousands of
// nanoseconds, a miss about a hundred), near enough that they are still in
// the caches when their turn comes.
constexpr size_t kAhead = 4;

}  // namespace

void Engine::decide_each(std::span<const RecordData> households, Decision& scratch,
                         const std::function<void(size_t, const Decision&)>& each) {
  for (size_t i = 0; i < std::min(kAhead, households.size()); ++i) prefetch_record(households[i]);
  for (size_t i = 0; i < households.size(); ++i) {
    if (i + kAhead < households.size()) prefetch_record(households[i + kAhead]);
    decide_into(households[i], scratch);
    each(i, scratch);
  }
}

}  // namespace doudi
