// A household given as typed values, field by field, without JSON: the fast
// path of the C API and of the database extension (a row's columns). Fields
// are named once by their path in the schema ("户籍", "成员.年龄"); values
// are then set by handle, and checked against the schema by the same
// RecordBuilder that checks JSON records, with the same problems.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/ir/ir.h"
#include "runtime/record/record_builder.h"
#include "runtime/record/record_loader.h"

namespace doudi {

// The fields a typed household can set: every field reachable from the
// module's input type, through lists of structs and nested structs.
class RecordFields {
 public:
  explicit RecordFields(const ir::Module& m);

  enum class Shape : uint8_t {
    Value,       // one value (a scalar, or absent for an optional list or struct)
    ValueList,   // a list of scalars: each value set is the next item
    StructList,  // a list of structs: each item is opened with add_item
    Struct,      // a struct: its fields are set directly
  };
  struct Field {
    std::string path;  // "成员.年龄"
    uint32_t place;    // the struct it belongs to (a Place)
    uint32_t index;    // in that struct's fields
    Shape shape;
    uint32_t child_place;  // StructList and Struct: the place of its items, or of the struct
  };
  // A struct as it occurs in the schema: the input itself (place 0), the
  // items of a list of structs, a struct inside a struct.
  struct Place {
    uint32_t struct_index;
    uint32_t parent;  // the place holding the field that leads here (0 for place 0)
    bool via_list;
    std::vector<uint32_t> nested;  // handles of its fields of shape other than Value, in schema order
  };

  const ir::Module& module() const { return m_; }
  // A field's handle from its path; none if the schema has no such field.
  std::optional<uint32_t> find(std::string_view path) const;
  const Field& field(uint32_t handle) const { return fields_[handle]; }
  // The schema's declaration of a field, and the type its values take (a
  // list of values: its items'; Optional unwrapped).
  const ir::Field& declared(uint32_t handle) const;
  TypeId value_type(uint32_t handle) const;
  size_t size() const { return fields_.size(); }
  const Place& place(uint32_t p) const { return places_[p]; }
  size_t place_count() const { return places_.size(); }
  // record::StructOffsets of the module, made once for every household.
  const std::vector<std::vector<uint32_t>>& offsets() const { return offsets_; }

 private:
  void add_place(uint32_t struct_index, uint32_t parent, bool via_list, const std::string& prefix, size_t depth);
  const ir::Module& m_;
  std::vector<Field> fields_;
  std::vector<Place> places_;
  std::vector<std::vector<uint32_t>> offsets_;
};

// One household being filled in. Reuse it (clear) for the next: nothing is
// allocated per household once the buffers have grown.
class TypedRecord {
 public:
  explicit TypedRecord(const RecordFields& fields);
  const RecordFields& fields() const { return fields_; }

  void clear();
  // Why a call was wrong (the caller's mistake, not the household's).
  enum class Misuse : uint8_t {
    None,
    NoSuchField,    // a handle out of range
    NotAStructList, // add_item on a field that is not a list of structs
    NotAValue,      // a value for a list of structs or a struct (use add_item, or the struct's fields)
    NotAList,       // set_empty_list on a field that is not a list
    NoItem,         // a field inside a list's item before add_item opened one
    TooLarge,       // the household's texts past 4 GiB
  };
  // Opens the next item of a list of structs: the fields of its items set
  // from now on go to this item. A null item (JSON's [null]) opens nothing.
  Misuse add_item(uint32_t list_field, bool null_item = false);
  // A struct given even if none of its fields is (JSON's {}): its fields
  // take their defaults. Setting one of its fields gives it as well.
  Misuse open_struct(uint32_t struct_field);
  // The value of a field (the next item of a list of scalars). Texts are copied.
  Misuse set(uint32_t field, const record::Scalar& value);
  // A list given, and empty (no item added).
  Misuse set_empty_list(uint32_t field);

  // Checks the household against the schema into `out` (its storage reused).
  void load(LoadedRecord& out) const;
  // The household as JSON text (as a JSON record would give it): what a
  // refused household's log entry digests and masks.
  std::string json() const;

 private:
  struct Node {
    uint32_t place;
    uint32_t parent;  // node
    bool null_item = false;
  };
  struct Entry {
    uint32_t node;
    uint32_t field;
    record::Scalar::Kind kind;
    bool list_mark;  // set_empty_list
    int64_t a;
    uint32_t text_at, text_size;  // in texts_
  };
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t node_for(uint32_t place);
  record::Scalar scalar(const Entry& e) const;
  // Entries and child nodes grouped by node (made by index()).
  void index() const;
  // The items node `node` gives the list or struct field `h` — entries (a
  // list of values) or child nodes (structs) — in order; and whether it
  // gives that field at all (items, or a list given empty).
  template <class Visit>
  void for_each_item(uint32_t node, uint32_t h, Visit&& visit) const;
  bool gives(uint32_t node, uint32_t h) const;
  bool load_node(record::RecordBuilder& b, uint32_t node, const record::Path& path, Value& out) const;
  void json_node(uint32_t node, std::string& out) const;

  const RecordFields& fields_;
  std::vector<Node> nodes_;
  std::vector<Entry> entries_;
  std::string texts_;
  std::vector<uint32_t> open_;  // by place: its current node (or kNone)
  mutable std::vector<uint32_t> entry_start_, entry_order_, child_start_, child_order_;
};

}  // namespace doudi
