// What a household record may hold, in one place: the record's values are
// checked against the schema and written into RecordData here, whichever
// source they come from — JSON text (record_loader.cc) or typed values set
// one by one (typed_record.cc, the C API's and the database's fast path).
// A source walks its own structure and hands each value over as a Scalar;
// every problem (wrong type, negative amount, unknown enum value, a field
// given twice or missing) is worked out and worded here.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/ir/ir.h"
#include "runtime/record/record_layout.h"
#include "runtime/record/record_loader.h"

namespace doudi::record {

// Problems reported per record; past that one E0011 stands for the rest.
inline constexpr size_t kMaxRecordProblems = 50;
// Where a problem has no place in a text (a typed record).
inline constexpr uint32_t kNoOffset = UINT32_MAX;

// One value as a source gives it.
struct Scalar {
  enum class Kind : uint8_t {
    Null,
    Bool,     // a: 0 or 1
    Number,   // text: a decimal number as JSON writes one (828.50, -3, 1e2)
    String,   // text: a JSON string's content; amounts, ratios and dates may be written so
    Integer,  // a: a whole number (not an amount: is it yuan or 分? Fen or decimal text say)
    Fen,      // a: an amount in 分
    Date,     // a: a day number (runtime/value/calendar.h)
    BadDate,  // text: a date given as numbers that is no day of the calendar ("2022-2-30")
  };
  Kind kind = Kind::Null;
  std::string_view text;
  int64_t a = 0;
};

// Whether a number token is one JSON allows (JSON text was checked by the
// strict parse already; a typed source's decimal text is checked here).
bool json_number(std::string_view t);

// Where a value is in the record, kept as a chain of keys and indices and
// written out ("$.成员[2].年龄") only when a problem is reported.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;  // empty: an index
  size_t index = 0;
  std::string str() const;
};

using LoggedDefaults = std::map<std::string, Value, std::less<>>;

class RecordBuilder {
 public:
  // `defaults`: the defaults a log's context line gives, used in place of
  // the schema's own (load_record_json's `logged_defaults`), or null.
  // `offsets`: the module's record::struct_offsets, when the caller keeps
  // them across records; otherwise the builder works out what it needs.
  RecordBuilder(const ir::Module& m, LoadedRecord& out, const LoggedDefaults* defaults = nullptr,
                const record::StructOffsets* offsets = nullptr)
      : m_(m), out_(out), defaults_(defaults), offsets_(offsets ? offsets : &own_offsets_) {}

  const ir::Module& module() const { return m_; }
  // Ready for another record (into the same LoadedRecord), keeping the
  // storage of its stacks: a batch's reader builds every record with one.
  void reset() {
    items_.clear();
    given_.clear();
  }
  void problem(DiagCode code, std::vector<std::string> args, uint32_t at);
  // E2005: `found` is what stands where a value of type `t` should.
  bool mismatch(const Path& path, TypeId t, std::string found, uint32_t at);
  std::string type_desc(TypeId t) const;

  // A scalar into a value of type `t` (an Optional's absent value from
  // null). Amounts and whole numbers may be negative only in a field
  // declared 可为负 (`may_be_negative`, passed down to its list items).
  // False if a problem was reported.
  bool scalar(const Scalar& s, TypeId t, const Path& path, uint32_t at, Value& out, bool may_be_negative);

  // A struct is filled field by field: begin_struct lays its slots down
  // with every field at its default, give() marks a field given (E2010 if
  // it was already), set() stores its value, end_struct() reports a field
  // without a default that was not given (E2003).
  struct StructFill {
    uint32_t struct_index = 0;
    uint32_t base = 0;    // the first field's word (record_layout.h)
    size_t given_at = 0;  // where its given-flags start in given_
  };
  StructFill begin_struct(uint32_t struct_index);
  bool give(const StructFill& s, size_t field, const Path& path, uint32_t at);
  void set(const StructFill& s, size_t field, Value v) {
    const auto& at = (*offsets_)[s.struct_index];
    out_.data.write(s.base + at[field], at[field + 1] - at[field] == 2, v);
  }
  bool end_struct(const StructFill& s, const Path& path, uint32_t at, Value& out);

  // A list's items gather on a stack shared by every list (a nested list's
  // items are taken off before its parent's next item), then move to
  // consecutive words, as wide as the list's element type `elem` says.
  size_t begin_list() const { return items_.size(); }
  void add_item(Value v) { items_.push_back(v); }
  Value end_list(size_t first, TypeId elem);

 private:
  bool number(const Scalar& s, TypeId t, const Path& path, uint32_t at, Value& out, bool may_be_negative);
  bool negative(const Path& path, std::string shown, uint32_t at);

  const ir::Module& m_;
  LoadedRecord& out_;
  const LoggedDefaults* defaults_;
  std::vector<Value> items_;
  std::vector<uint8_t> given_;
  // The caller's record::struct_offsets, or own_offsets_, made struct by
  // struct as the record first holds one.
  const record::StructOffsets* offsets_;
  record::StructOffsets own_offsets_;
  // A struct's words as begin_struct lays them down, every field at its
  // default (the log's, with `defaults`), an optional one absent, and the
  // fields that have none, which end_struct checks were given. Made as a
  // record first holds the struct: filling in the defaults field by field
  // took a tenth of a Huining batch (45 fields a member, most left out).
  struct Blank {
    bool made = false;
    std::vector<int64_t> words;
    std::vector<uint32_t> required;
  };
  const Blank& blank(uint32_t struct_index);
  std::vector<Blank> blanks_;
};

}  // namespace doudi::record
