// The one value representation shared by constants, the interpreter and
// records: two 64-bit words, no allocation.
//   int, money (分), date (day number), year-month, months, days, bool, enum
//   ordinal: a = payload, b = 0
//   ratio: a = numerator, b = denominator (> 0)
//   text: a = address of a std::string that outlives the evaluation
//   struct: a = offset of its first field in RecordData::words
//   list: a = offset of its first element in RecordData::words, b = length
//   absent optional: b == kAbsent
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/value/ratio.h"

namespace doudi {

inline constexpr int64_t kAbsent = INT64_MIN;

struct Value {
  int64_t a = 0;
  int64_t b = 0;

  static Value of(int64_t v) { return Value{v, 0}; }
  static Value of_bool(bool v) { return Value{v ? 1 : 0, 0}; }
  static Value of_ratio(Ratio r) { return Value{r.num, r.den}; }
  static Value of_text(const std::string* s) { return Value{static_cast<int64_t>(reinterpret_cast<intptr_t>(s)), 0}; }
  static Value absent() { return Value{0, kAbsent}; }

  bool is_absent() const { return b == kAbsent; }
  // Lowering never reads a ratio or a text that is absent (it tests first);
  // a crafted bundle can (a move that drops an Optional layer), so nothing
  // reads as 0 and as empty text rather than as a division by zero or a
  // null address.
  Ratio ratio() const { return b > 0 ? Ratio{a, b} : Ratio{0, 1}; }
  const std::string& text() const {
    static const std::string kNothing;
    return a ? *reinterpret_cast<const std::string*>(static_cast<intptr_t>(a)) : kNothing;
  }
  friend bool operator==(const Value&, const Value&) = default;
};

// A household record (or any structured input) laid out flat, in 8-byte
// words: a value whose second word is always 0 (a whole number, amount,
// date, year-month, month or day count, bool, enum, text or structure, not
// optional) takes one word, any other (optional, ratio, list, set) two
// (runtime/record/record_layout.h says which). A ratio is in lowest terms
// with a positive denominator, as the record loader makes it: the engines
// rely on that to agree bit for bit. Deciding from memory reads
// records faster than the engines compute, so the narrower the record, the
// faster a batch held in memory is decided. Small: a record without text
// allocates its words and nothing else (millions are held at once in
// memory, and a batch reuses one per thread).
struct RecordData {
  // Texts point into `strings`: a copy's would point into the original.
  RecordData() = default;
  RecordData(RecordData&&) = default;
  RecordData& operator=(RecordData&&) = default;
  RecordData(const RecordData&) = delete;
  RecordData& operator=(const RecordData&) = delete;

  std::vector<int64_t> words;
  // Each text apart, so its address stays valid as more are added.
  std::vector<std::unique_ptr<std::string>> strings;
  Value root;

  // The value at word `at`, one word or two; out of range reads as absent
  // (a crafted or damaged record is never read past its end).
  Value read(size_t at, bool wide) const {
    if (at >= words.size() || at + wide >= words.size()) [[unlikely]] return Value::absent();
    return Value{words[at], wide ? words[at + 1] : 0};
  }
  void write(size_t at, bool wide, Value v) {
    words[at] = v.a;
    if (wide) words[at + 1] = v.b;
  }

  // A copy of the words whose texts still point into this record's strings
  // (this record must outlive it): for trying changed values of a record.
  RecordData sharing_texts() const {
    RecordData copy;
    copy.words = words;
    copy.root = root;
    return copy;
  }

  uint32_t alloc(uint32_t n) {
    const auto at = static_cast<uint32_t>(words.size());
    words.resize(words.size() + n);
    return at;
  }
  // The same, the new words a copy of `from`.
  uint32_t alloc_copy(const std::vector<int64_t>& from) {
    const auto at = static_cast<uint32_t>(words.size());
    words.insert(words.end(), from.begin(), from.end());
    return at;
  }
  const std::string* intern(std::string s) {
    strings.push_back(std::make_unique<std::string>(std::move(s)));
    return strings.back().get();
  }
};

// A record as the engines read it: its words and its root, wherever they
// are kept (a RecordData, or one household of a Caseload). Its texts are
// addresses into whatever holds it, which must outlive the view. Made from
// a RecordData implicitly, as a string_view from a string.
struct RecordView {
  RecordView() = default;
  RecordView(const RecordData& r) : words(r.words.data()), size(r.words.size()), root(r.root) {}  // NOLINT
  RecordView(const int64_t* w, size_t n, Value r) : words(w), size(n), root(r) {}

  const int64_t* words = nullptr;
  size_t size = 0;
  Value root;
};

}  // namespace doudi
