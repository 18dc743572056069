// Asking the memory for a household's words before it is decided, so that
// they arrive while the one before is decided: the engines walk a record's
// fields where the rules read them, not in order, and a Huining household
// (about 1.7 KB) read from memory otherwise costs the rules one wait after
// another (bench/README.md, "Households asked for ahead").
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "runtime/value/value.h"

namespace doudi {

// At most this much of a record is asked for: a larger record's first
// fields still overlap its decision.
inline constexpr size_t kPrefetchBytes = 4096;

inline void prefetch_record(const RecordView& record) {
  const char* const first = reinterpret_cast<const char*>(record.words);
  const size_t bytes = std::min(record.size * sizeof(int64_t), kPrefetchBytes);
  for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(first + offset);
  // GCC 12 counts a prefetch as doing nothing, finds a function of nothing
  // else has no effect and drops every call to it; this says otherwise.
  asm volatile("");
}

}  // namespace doudi
