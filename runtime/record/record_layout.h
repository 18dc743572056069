// Where a record's values lie in RecordData::words: the one definition the
// record's writers (record_builder.cc), its readers (record_json.cc, the
// explanations, the solver's household) and both engines (the interpreter's
// decoded Field and ListGet, the compiled engine's loads) share. Header
// only: the compiled engine's library reads the IR through headers and links
// nothing of the runtime.
//
// A value whose second word is always 0 takes one word; any other two.
// The compiled engine's library compiles this header into its lowering:
// changing the layout changes its ABI (jit_abi.h, kAbiVersion).
// A structure's fields follow one another in declaration order; a list's
// elements, each as wide as its element type says, follow one another.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/ir/ir.h"

namespace doudi::record {

// Whether a value of type `t` takes two words in a record. Only the kinds
// whose second word Value's encoding (value.h) fixes at 0 take one; any
// kind not listed takes two, so nothing a value carries is ever dropped.
inline bool wide_slot(const TypeTable& types, TypeId t) {
  if (t >= types.size()) return true;
  switch (types.kind(t)) {
    case TypeKind::Int:
    case TypeKind::Bool:
    case TypeKind::Text:
    case TypeKind::Date:
    case TypeKind::YearMonth:
    case TypeKind::Months:
    case TypeKind::Days:
    case TypeKind::Money:
    case TypeKind::Enum:
    case TypeKind::Struct: return false;
    default: return true;
  }
}

inline uint32_t slot_words(const TypeTable& types, TypeId t) { return wide_slot(types, t) ? 2 : 1; }

// Where field `field` of a structure lies, in words from its first field
// (past the last field: the words the structure takes).
inline uint32_t field_offset(const ir::Module& m, uint32_t struct_index, size_t field) {
  const auto& fields = m.structs[struct_index].fields;
  uint32_t at = 0;
  for (size_t i = 0; i < field && i < fields.size(); ++i) at += slot_words(m.types, fields[i].type);
  return at;
}

// The words a structure's fields take, together.
inline uint32_t struct_words(const ir::Module& m, uint32_t struct_index) {
  return field_offset(m, struct_index, m.structs[struct_index].fields.size());
}

// Per struct of a module: where each of its fields lies from its first
// word, and after the last, the words the struct takes. Made once per module
// by whatever loads many records (RecordReader, RecordFields).
using StructOffsets = std::vector<std::vector<uint32_t>>;

inline std::vector<uint32_t> offsets_of(const ir::Module& m, uint32_t struct_index) {
  std::vector<uint32_t> at{0};
  at.reserve(m.structs[struct_index].fields.size() + 1);
  for (const auto& f : m.structs[struct_index].fields) at.push_back(at.back() + slot_words(m.types, f.type));
  return at;
}

inline StructOffsets struct_offsets(const ir::Module& m) {
  StructOffsets out;
  for (uint32_t s = 0; s < m.structs.size(); ++s) out.push_back(offsets_of(m, s));
  return out;
}

// The words an engine reads for a record. Verified code reads a field of a
// structure only through a structure register, which holds the place of a
// structure of the record or word 0: the compiled engine reads a structure
// register's fields where the register is written, its zero at a
// function's entry included (runtime/jit/lower.cc, plan_field_reads), and
// every such read lies within the module's largest structure from word 0.
// A record shorter than that is read through a copy padded with zeros, so
// such a read stays inside memory the engine owns (both engines read the
// same words, so they still agree); any other record is read in place.
class ReadableWords {
 public:
  explicit ReadableWords(const ir::Module& m) {
    for (uint32_t s = 0; s < m.structs.size(); ++s) least_ = std::max<size_t>(least_, struct_words(m, s));
  }
  const int64_t* of(const RecordView& r) {
    if (r.size >= least_) return r.words;
    padded_.assign(r.words, r.words + r.size);
    padded_.resize(least_, 0);
    return padded_.data();
  }
  // How many words from of(r) may be read.
  size_t readable(const RecordView& r) const { return std::max(r.size, least_); }
  // The fewest words a record may have to be read in place (of(r) is r's own).
  size_t least() const { return least_; }

 private:
  size_t least_ = 0;
  std::vector<int64_t> padded_;
};

// The value of field `field` of the structure `s` (of struct `struct_index`).
inline Value field_value(const ir::Module& m, const RecordData& r, Value s, uint32_t struct_index, size_t field) {
  const auto& fields = m.structs[struct_index].fields;
  if (field >= fields.size()) return Value::absent();
  return r.read(static_cast<size_t>(s.a) + field_offset(m, struct_index, field), wide_slot(m.types, fields[field].type));
}

// Calls visit(i, value) for each field of the structure `s`, in order.
template <class Visit>
void each_field(const ir::Module& m, const RecordData& r, Value s, uint32_t struct_index, Visit&& visit) {
  auto at = static_cast<size_t>(s.a);
  const auto& fields = m.structs[struct_index].fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    const bool wide = wide_slot(m.types, fields[i].type);
    visit(i, r.read(at, wide));
    at += wide ? 2 : 1;
  }
}

// Element `i` of the list `list` whose elements are of type `elem`.
inline Value list_item(const TypeTable& types, const RecordData& r, Value list, TypeId elem, int64_t i) {
  const uint32_t width = slot_words(types, elem);
  return r.read(static_cast<size_t>(list.a + i * width), width == 2);
}

}  // namespace doudi::record
