#include "runtime/record/caseload.h"

#include <algorithm>

namespace doudi {
namespace {

// Room for `more` items in `v`, growing as push_back would (doubling), so
// that what follows cannot fail half-way.
template <class T>
void room_for(std::vector<T>& v, size_t more) {
  if (v.capacity() - v.size() < more) v.reserve(std::max(v.size() + more, 2 * v.capacity()));
}

}  // namespace

void Caseload::add(RecordData&& record) {
  // Everything that may fail first (running out of memory leaves the
  // caseload as it was), then what cannot.
  room_for(views_, 1);
  room_for(strings_, record.strings.size());
  const size_t first = words_.size(), room = words_.capacity();
  words_.insert(words_.end(), record.words.begin(), record.words.end());
  if (words_.capacity() != room) point_views();  // the words moved
  views_.push_back(RecordView{words_.data() + first, record.words.size(), record.root});
  for (auto& text : record.strings) strings_.push_back(std::move(text));
  record.strings.clear();
  record.words.clear();  // nothing left to read that points at texts held here
}

void Caseload::reserve(size_t households, size_t words) {
  views_.reserve(households);
  const size_t room = words_.capacity();
  words_.reserve(words);
  if (words_.capacity() != room) point_views();
}

void Caseload::point_views() {
  size_t at = 0;
  for (auto& v : views_) {
    v.words = words_.data() + at;
    at += v.size;
  }
}

}  // namespace doudi
