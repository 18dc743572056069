// Reading a format 4 decision's positional input back into the keyed JSON
// of format 3 (record_json.h: append_record_positional writes it,
// input_shape_json describes it on the context line). What comes out is
// what a format 3 log would hold for the same record, so everything that
// reads a logged record (replay, explain, the service) reads one form.
#pragma once
#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace doudi {

class InputShape {
 public:
  // The context line's "input_shape"; nullopt if it is not one (a shape
  // naming a structure it does not list, a field without its name).
  static std::optional<InputShape> read(simdjson::dom::element shape);

 private:
  friend class LoggedInput;
  struct Field {
    std::string key;  // the name quoted, with its colon
    std::string shape;
    bool omissible = false;
  };
  struct Struct {
    std::vector<Field> fields;
    size_t omissible = 0;
  };
  std::string root_;
  std::vector<Struct> structs_;
};

// A decision line's "input" as keyed JSON, its values exactly as written
// (an amount keeps its digits: read through a double, 92233720368547758.07
// would not come back). One per reader of many lines: its parser is reused.
class LoggedInput {
 public:
  // Appends to `out` the input of `line` (valid JSON, a decision's) read
  // with `shape` (format 4), or as written without one (an object or null,
  // formats 1 to 3); false if it is not of that shape (a crafted or damaged line).
  bool read(std::string_view line, const InputShape* shape, std::string& out);

 private:
  bool value(simdjson::ondemand::value v, const InputShape& shape, std::string_view of, std::string& out,
             size_t depth);
  simdjson::ondemand::parser parser_;
  std::string padded_;
};

}  // namespace doudi
