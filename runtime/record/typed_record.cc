#include "runtime/record/typed_record.h"

#include <algorithm>

#include "runtime/source/utf8.h"
#include "runtime/value/calendar.h"
#include "runtime/value/money.h"

namespace doudi {

using record::Path;
using record::RecordBuilder;
using record::Scalar;

namespace {
// Structs inside structs deeper than this get no handles (a schema is a
// household, its members, perhaps their items; nothing recursive).
constexpr size_t kMaxPlaceDepth = 16;
}  // namespace

RecordFields::RecordFields(const ir::Module& m) : m_(m), offsets_(record::struct_offsets(m)) {
  const TypeId input = m.types.unwrap(m.input_type);
  if (m.types.kind(input) == TypeKind::Struct) add_place(m.types.get(input).ref, 0, false, "", 0);
}

void RecordFields::add_place(uint32_t struct_index, uint32_t parent, bool via_list, const std::string& prefix,
                             size_t depth) {
  const auto p = static_cast<uint32_t>(places_.size());
  places_.push_back(Place{struct_index, parent, via_list, {}});
  const auto& st = m_.structs[struct_index];
  for (size_t i = 0; i < st.fields.size(); ++i) {
    const TypeId t = m_.types.unwrap(st.fields[i].type);
    Shape shape = Shape::Value;
    if (m_.types.kind(t) == TypeKind::Struct) shape = Shape::Struct;
    else if (m_.types.kind(t) == TypeKind::List)
      shape = m_.types.kind(m_.types.unwrap(m_.types.get(t).elem)) == TypeKind::Struct ? Shape::StructList : Shape::ValueList;
    const auto h = static_cast<uint32_t>(fields_.size());
    const std::string path = prefix + st.fields[i].name;
    fields_.push_back(Field{path, p, static_cast<uint32_t>(i), shape, 0});
    if (shape == Shape::Value || (shape != Shape::ValueList && depth + 1 >= kMaxPlaceDepth)) continue;
    places_[p].nested.push_back(h);
    if (shape == Shape::ValueList) continue;
    const TypeId child = shape == Shape::Struct ? t : m_.types.unwrap(m_.types.get(t).elem);
    fields_[h].child_place = static_cast<uint32_t>(places_.size());
    add_place(m_.types.get(child).ref, p, shape == Shape::StructList, path + ".", depth + 1);
  }
}

const ir::Field& RecordFields::declared(uint32_t handle) const {
  const Field& f = fields_[handle];
  return m_.structs[places_[f.place].struct_index].fields[f.index];
}

TypeId RecordFields::value_type(uint32_t handle) const {
  const TypeId t = m_.types.unwrap(declared(handle).type);
  return fields_[handle].shape == Shape::ValueList ? m_.types.unwrap(m_.types.get(t).elem) : t;
}

std::optional<uint32_t> RecordFields::find(std::string_view path) const {
  for (size_t h = 0; h < fields_.size(); ++h)
    if (fields_[h].path == path) return static_cast<uint32_t>(h);
  return std::nullopt;
}

TypedRecord::TypedRecord(const RecordFields& fields) : fields_(fields) { clear(); }

void TypedRecord::clear() {
  nodes_.assign(1, Node{0, kNone});
  entries_.clear();
  texts_.clear();
  open_.assign(fields_.place_count(), kNone);
  if (!open_.empty()) open_[0] = 0;
}

// The node that values of `place` go to now: the item last opened for a
// list's items, the struct (made on first use) for a struct inside one.
uint32_t TypedRecord::node_for(uint32_t place) {
  if (place == 0) return open_.empty() ? kNone : 0;
  const auto& pl = fields_.place(place);
  const uint32_t parent = node_for(pl.parent);
  if (parent == kNone) return kNone;
  const uint32_t n = open_[place];
  if (n != kNone && nodes_[n].parent == parent) return n;
  if (pl.via_list) return kNone;
  nodes_.push_back(Node{place, parent});
  return open_[place] = static_cast<uint32_t>(nodes_.size() - 1);
}

TypedRecord::Misuse TypedRecord::add_item(uint32_t list_field, bool null_item) {
  if (list_field >= fields_.size()) return Misuse::NoSuchField;
  const auto& f = fields_.field(list_field);
  if (f.shape != RecordFields::Shape::StructList || f.child_place == 0) return Misuse::NotAStructList;
  const uint32_t parent = node_for(f.place);
  if (parent == kNone) return Misuse::NoItem;
  nodes_.push_back(Node{f.child_place, parent, null_item});
  open_[f.child_place] = null_item ? kNone : static_cast<uint32_t>(nodes_.size() - 1);
  return Misuse::None;
}

TypedRecord::Misuse TypedRecord::open_struct(uint32_t struct_field) {
  if (struct_field >= fields_.size()) return Misuse::NoSuchField;
  const auto& f = fields_.field(struct_field);
  if (f.shape != RecordFields::Shape::Struct || f.child_place == 0) return Misuse::NotAValue;
  return node_for(f.child_place) == kNone ? Misuse::NoItem : Misuse::None;
}

TypedRecord::Misuse TypedRecord::set(uint32_t field, const Scalar& value) {
  if (field >= fields_.size()) return Misuse::NoSuchField;
  const auto& f = fields_.field(field);
  const bool whole = f.shape == RecordFields::Shape::Struct || f.shape == RecordFields::Shape::StructList;
  if (whole && value.kind != Scalar::Kind::Null) return Misuse::NotAValue;  // only "absent" is a value for those
  if (value.text.size() > UINT32_MAX - texts_.size()) return Misuse::TooLarge;
  const uint32_t node = node_for(f.place);
  if (node == kNone) return Misuse::NoItem;
  entries_.push_back(Entry{node, field, value.kind, false, value.a, static_cast<uint32_t>(texts_.size()),
                           static_cast<uint32_t>(value.text.size())});
  texts_.append(value.text);
  return Misuse::None;
}

TypedRecord::Misuse TypedRecord::set_empty_list(uint32_t field) {
  if (field >= fields_.size()) return Misuse::NoSuchField;
  const auto& f = fields_.field(field);
  if (f.shape != RecordFields::Shape::ValueList && f.shape != RecordFields::Shape::StructList) return Misuse::NotAList;
  const uint32_t node = node_for(f.place);
  if (node == kNone) return Misuse::NoItem;
  entries_.push_back(Entry{node, field, Scalar::Kind::Null, true, 0, 0, 0});
  return Misuse::None;
}

Scalar TypedRecord::scalar(const Entry& e) const {
  return Scalar{e.kind, std::string_view(texts_).substr(e.text_at, e.text_size), e.a};
}

void TypedRecord::index() const {
  const size_t n = nodes_.size();
  auto group = [n](std::vector<uint32_t>& start, std::vector<uint32_t>& order, size_t count, auto&& key) {
    start.assign(n + 1, 0);
    for (size_t i = 0; i < count; ++i)
      if (key(i) != kNone) ++start[key(i) + 1];
    for (size_t i = 0; i < n; ++i) start[i + 1] += start[i];
    order.resize(start[n]);
    // Filled in order, each group's items in the order they came; `start`
    // moves on to each group's end, then back by one group.
    for (size_t i = 0; i < count; ++i)
      if (key(i) != kNone) order[start[key(i)]++] = static_cast<uint32_t>(i);
    for (size_t i = n; i > 0; --i) start[i] = start[i - 1];
    start[0] = 0;
  };
  group(entry_start_, entry_order_, entries_.size(), [&](size_t i) { return entries_[i].node; });
  group(child_start_, child_order_, nodes_.size(), [&](size_t i) { return nodes_[i].parent; });
}

template <class Visit>
void TypedRecord::for_each_item(uint32_t node, uint32_t h, Visit&& visit) const {
  const auto& f = fields_.field(h);
  if (f.shape == RecordFields::Shape::ValueList) {
    for (uint32_t k = entry_start_[node]; k < entry_start_[node + 1]; ++k)
      if (const Entry& e = entries_[entry_order_[k]]; e.field == h && !e.list_mark) visit(entry_order_[k]);
  } else {
    for (uint32_t k = child_start_[node]; k < child_start_[node + 1]; ++k)
      if (nodes_[child_order_[k]].place == f.child_place) visit(child_order_[k]);
  }
}

bool TypedRecord::gives(uint32_t node, uint32_t h) const {
  for (uint32_t k = entry_start_[node]; k < entry_start_[node + 1]; ++k)
    if (const Entry& e = entries_[entry_order_[k]]; e.field == h && (e.list_mark || fields_.field(h).shape == RecordFields::Shape::ValueList))
      return true;
  bool any = false;
  for_each_item(node, h, [&](uint32_t) { any = true; });
  return any;
}

bool TypedRecord::load_node(RecordBuilder& b, uint32_t node, const Path& path, Value& out) const {
  const auto& m = fields_.module();
  const auto& place = fields_.place(nodes_[node].place);
  const auto& st = m.structs[place.struct_index];
  const auto fill = b.begin_struct(place.struct_index);
  bool ok = true;
  // Values, in the order they were set.
  for (uint32_t k = entry_start_[node]; k < entry_start_[node + 1]; ++k) {
    const Entry& e = entries_[entry_order_[k]];
    const auto& f = fields_.field(e.field);
    if (e.list_mark || f.shape == RecordFields::Shape::ValueList) continue;  // a list's items: below
    const ir::Field& sf = st.fields[f.index];
    if (!b.give(fill, f.index, path, record::kNoOffset)) {
      ok = false;
      continue;
    }
    Value v;
    ok &= b.scalar(scalar(e), sf.type, Path{&path, sf.name}, record::kNoOffset, v, sf.signed_);
    b.set(fill, f.index, v);
  }
  // Lists and structs, in the schema's order.
  for (const uint32_t h : place.nested) {
    if (!gives(node, h)) continue;
    const auto& f = fields_.field(h);
    const ir::Field& sf = st.fields[f.index];
    if (!b.give(fill, f.index, path, record::kNoOffset)) {
      ok = false;
      continue;
    }
    const Path field_path{&path, sf.name};
    Value v;
    if (f.shape == RecordFields::Shape::Struct) {
      for_each_item(node, h, [&](uint32_t child) { ok &= load_node(b, child, field_path, v); });
    } else {
      const TypeId elem = m.types.get(m.types.unwrap(sf.type)).elem;
      const size_t first = b.begin_list();
      size_t i = 0;
      for_each_item(node, h, [&](uint32_t it) {
        const Path item_path{&field_path, {}, i++};
        Value item;
        if (f.shape == RecordFields::Shape::ValueList)
          ok &= b.scalar(scalar(entries_[it]), elem, item_path, record::kNoOffset, item, sf.signed_);
        else if (nodes_[it].null_item) ok &= b.scalar(Scalar{}, elem, item_path, record::kNoOffset, item, false);
        else ok &= load_node(b, it, item_path, item);
        b.add_item(item);
      });
      v = b.end_list(first, elem);
    }
    b.set(fill, f.index, v);
  }
  return b.end_struct(fill, path, record::kNoOffset, out) && ok;
}

void TypedRecord::load(LoadedRecord& out) const {
  out.problems.clear();
  out.data.words.clear();
  out.data.strings.clear();
  out.data.root = Value{};
  RecordBuilder b(fields_.module(), out, nullptr, &fields_.offsets());
  if (open_.empty()) {  // the rules take no household of fields
    b.mismatch(Path{}, fields_.module().input_type, bilingual("字段", "fields"), record::kNoOffset);
    return;
  }
  // Texts must be UTF-8, as a JSON record must be: the first that is not
  // refuses the household (its byte is counted within that value).
  for (const Entry& e : entries_)
    if (e.text_size > 0)
      if (auto bad = find_invalid_utf8(scalar(e).text)) {
        b.problem(DiagCode::E2002, {std::to_string(*bad + 1)}, record::kNoOffset);  // counted from 1
        return;
      }
  index();
  // Every struct's words and every list's items, allocated once (at most
  // two words a value, record_layout.h).
  size_t words = 0;
  for (const Node& n : nodes_) words += 2 * fields_.module().structs[fields_.place(n.place).struct_index].fields.size() + 2;
  out.data.words.reserve(words + 2 * entries_.size());
  load_node(b, 0, Path{}, out.data.root);
}

void TypedRecord::json_node(uint32_t node, std::string& out) const {
  if (nodes_[node].null_item) {
    out += "null";
    return;
  }
  const auto& m = fields_.module();
  out += '{';
  bool first = true;
  auto key = [&](uint32_t h) {
    out += first ? "" : ",";
    first = false;
    out += json_quote(fields_.declared(h).name) + ":";
  };
  // As JSON would hold it: a date for a year-month field on the 1st of
  // its month as the month.
  auto value = [&](const Entry& e) {
    const Scalar s = scalar(e);
    switch (s.kind) {
      case Scalar::Kind::Null: out += "null"; break;
      case Scalar::Kind::Bool: out += s.a ? "true" : "false"; break;
      case Scalar::Kind::Integer: out += std::to_string(s.a); break;
      case Scalar::Kind::Fen: out += format_fen(s.a); break;
      case Scalar::Kind::Date: {
        const TypeId t = fields_.value_type(e.field);
        const bool month = m.types.kind(t) == TypeKind::YearMonth && day_in_range(s.a) &&
                           first_day_of(year_month_of_date(s.a)) == s.a;
        out += !day_in_range(s.a) ? std::to_string(s.a)
               : month            ? json_quote(format_year_month(year_month_of_date(s.a)))
                                  : json_quote(format_date(s.a));
        break;
      }
      case Scalar::Kind::Number: out += record::json_number(s.text) ? std::string(s.text) : json_quote(s.text); break;
      case Scalar::Kind::BadDate:
      case Scalar::Kind::String: out += json_quote(s.text); break;
    }
  };
  for (uint32_t k = entry_start_[node]; k < entry_start_[node + 1]; ++k) {
    const Entry& e = entries_[entry_order_[k]];
    if (e.list_mark || fields_.field(e.field).shape == RecordFields::Shape::ValueList) continue;
    key(e.field);
    value(e);
  }
  for (const uint32_t h : fields_.place(nodes_[node].place).nested) {
    if (!gives(node, h)) continue;
    const auto& f = fields_.field(h);
    key(h);
    const bool list = f.shape != RecordFields::Shape::Struct;
    if (list) out += '[';
    bool first_item = true;
    for_each_item(node, h, [&](uint32_t it) {
      if (!first_item) out += ',';
      first_item = false;
      if (f.shape == RecordFields::Shape::ValueList) value(entries_[it]);
      else json_node(it, out);
    });
    if (list) out += ']';
  }
  out += '}';
}

std::string TypedRecord::json() const {
  if (open_.empty()) return "{}";
  index();
  std::string out;
  json_node(0, out);
  return out;
}

}  // namespace doudi
