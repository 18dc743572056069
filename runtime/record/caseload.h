// Households held in memory together, to be decided again and again (a
// what-if over a caseload, a replay over a stored table): every record's
// words one after another in one allocation. Deciding them in order then
// reads memory in order, which the hardware fetches ahead by itself, with
// no pointer to follow from one household to the next; records kept apart
// (a std::vector<RecordData>) each lie wherever the allocator put them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "runtime/value/value.h"

namespace doudi {

class Caseload {
 public:
  // The record's words are copied in; its texts move here (their
  // addresses, which its words hold, stay what they were). The record is
  // left empty. A record whose texts another holds (sharing_texts()) brings
  // none: that other record must outlive the caseload. Out of memory, the
  // caseload is left as it was.
  void add(RecordData&& record);
  // Room for this many households and words in all, to grow only once.
  void reserve(size_t households, size_t words);

  size_t size() const { return views_.size(); }
  bool empty() const { return views_.empty(); }
  // Kept, not made on each call: an engine reads it in place, not through
  // a copy just written to the stack. Valid until the next add or reserve.
  const RecordView& operator[](size_t i) const { return views_[i]; }
  std::span<const RecordView> views() const { return views_; }

 private:
  // After words_ moved: every view points again at its record, in order.
  void point_views();

  std::vector<int64_t> words_;
  std::vector<RecordView> views_;  // into words_, in order
  std::vector<std::unique_ptr<std::string>> strings_;
};

}  // namespace doudi
