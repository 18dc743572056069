// A decision line's record and outputs as the log's readers hand them on:
// keyed JSON, each value exactly as written. A format 4 record is written
// by position (record_json.h: append_record_positional writes it,
// input_shape_json describes it on the context line) and comes out as the
// keyed record a format 3 log would hold, so everything that reads a
// logged record (replay, explain, the service) reads one form; outputs
// (from format 2 on, values in the order the context line names them)
// come out as {"name":value,…}.
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
  friend class LoggedValues;
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

// A value as it is written, appended to `out`: a scalar's token, an
// array's or object's text (the document it is in must be valid JSON).
bool append_as_written(simdjson::ondemand::value v, std::string& out);

// One per reader of many lines: its parser is reused. Values are read from
// the line's own text (on demand), so an amount keeps its digits: read
// through a double, 92233720368547758.07 would not come back.
class LoggedValues {
 public:
  // Of `line` (valid JSON, a decision's): its "input" into `input`, read
  // with `shape` (format 4) or as written without one (an object or null,
  // formats 1 to 3), and its "outputs" into `outputs`: named by `names`
  // (from format 2 on: an array of as many values, or null) or as written
  // without them (an object or null, format 1). False if either is not of
  // that form (a crafted or damaged line).
  bool read(std::string_view line, const InputShape* shape, const std::vector<std::string>* names, std::string& input,
            std::string& outputs);

 private:
  bool value(simdjson::ondemand::value v, const InputShape& shape, std::string_view of, std::string& out,
             size_t depth);
  simdjson::ondemand::parser parser_;
  std::string padded_;
};

}  // namespace doudi
