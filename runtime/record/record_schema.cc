#include "runtime/record/record_schema.h"

#include <fmt/format.h>

#include <map>
#include <vector>

#include "runtime/bundle/json_text.h"
#include "runtime/ir/field_reads.h"

namespace doudi {
namespace {

// The loader's forms (runtime/record/record_loader.cc), as patterns. Money
// given as a JSON number is not constrained to two decimals here: a
// validator's `multipleOf: 0.01` on binary floating point refuses 828.1.
// (Zeros after the second decimal are accepted: 1.500 is 1.50.)
constexpr const char* kMoneyPattern = R"(^-?[0-9]+(\\.[0-9]{1,2}0*)?$)";
constexpr const char* kMoneyPatternUnsigned = R"(^[0-9]+(\\.[0-9]{1,2}0*)?$)";
constexpr const char* kRatioPattern = R"(^-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)%?$)";
constexpr const char* kRatioPatternUnsigned = R"(^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)%?$)";
constexpr const char* kDatePattern = R"(^[0-9]{4}-[0-9]{2}-[0-9]{2}$)";
constexpr const char* kYearMonthPattern = R"(^[0-9]{4}-[0-9]{2}$)";

class SchemaWriter {
 public:
  explicit SchemaWriter(const ir::Module& m) : m_(m) {
    for (const auto& o : m.outputs)
      for (const auto& field : ir::fields_read_by(m, o.function)) read_by_[field].push_back(o.name);
    for (const auto& f : m.flags)
      for (const auto& field : ir::fields_read_by(m, f.function)) read_by_flags_[field].push_back(f.name);
  }

  // The schema of a value of type `t`; `signed_` for a field declared 可为负.
  std::string type(TypeId t, bool signed_) const {
    const Type& ty = m_.types.get(t);
    const std::string named = fmt::format(R"("x-doudi-type":{{"zh":{},"en":{}}})", json_quote(m_.type_name(t, true)),
                                          json_quote(m_.type_name(t, false)));
    const std::string minimum = signed_ ? "" : R"(,"minimum":0)";
    switch (ty.kind) {
      case TypeKind::Optional:
        return fmt::format(R"({{"anyOf":[{},{{"type":"null"}}]}})", type(ty.elem, signed_));
      case TypeKind::Int:
      case TypeKind::Months:
      case TypeKind::Days:
        return fmt::format(R"({{"type":"integer"{},{}}})", minimum, named);
      case TypeKind::Money:
        return fmt::format(R"({{"anyOf":[{{"type":"number"{}}},{{"type":"string","pattern":"{}"}}],)"
                           R"("x-doudi-unit":{{"zh":{},"en":{}}},{}}})",
                           minimum, signed_ ? kMoneyPattern : kMoneyPatternUnsigned, json_quote(m_.type_name(t, true)),
                           json_quote(m_.type_name(t, false)), named);
      case TypeKind::Ratio:
        return fmt::format(R"({{"anyOf":[{{"type":"number"{}}},{{"type":"string","pattern":"{}"}}],{}}})", minimum,
                           signed_ ? kRatioPattern : kRatioPatternUnsigned, named);
      case TypeKind::Bool:
        return fmt::format(R"({{"type":"boolean",{}}})", named);
      case TypeKind::Text:
        return fmt::format(R"({{"type":"string",{}}})", named);
      case TypeKind::Date:
        return fmt::format(R"({{"type":"string","format":"date","pattern":"{}",{}}})", kDatePattern, named);
      case TypeKind::YearMonth:
        return fmt::format(R"({{"type":"string","pattern":"{}",{}}})", kYearMonthPattern, named);
      case TypeKind::Enum: {
        std::string values;
        for (const auto& v : m_.enums[ty.ref].values) values += (values.empty() ? "" : ",") + json_quote(v);
        return fmt::format(R"({{"type":"string","enum":[{}],{}}})", values, named);
      }
      case TypeKind::Struct:
        return fmt::format(R"({{"$ref":"#/$defs/{}"}})", pointer_escape(m_.structs[ty.ref].name));
      case TypeKind::List:
        return fmt::format(R"({{"type":"array","items":{},{}}})", type(ty.elem, signed_), named);
      default:
        // No record field has another type (sets, errors): nothing is accepted.
        return fmt::format(R"({{"not":{{}},{}}})", named);
    }
  }

  // A structure's object schema (its fields in the schema's order).
  std::string structure(uint32_t index) const {
    const ir::Struct& s = m_.structs[index];
    std::string properties, required;
    for (uint32_t fi = 0; fi < s.fields.size(); ++fi) {
      const ir::Field& f = s.fields[fi];
      std::string field = type(f.type, f.signed_);
      field.pop_back();  // the closing brace: annotations follow
      field += fmt::format(R"(,"title":{})", json_quote(f.name));
      if (f.default_value) field += R"(,"default":)" + value_to_json(m_, *f.default_value, f.type);
      if (f.sensitive) field += R"(,"x-doudi-sensitive":true)";
      std::string outputs;
      if (auto it = read_by_.find({index, fi}); it != read_by_.end())
        for (const auto& o : it->second) outputs += (outputs.empty() ? "" : ",") + json_quote(o);
      field += R"(,"x-doudi-read-by":[)" + outputs + "]";
      std::string flags;
      if (auto it = read_by_flags_.find({index, fi}); it != read_by_flags_.end())
        for (const auto& flag : it->second) flags += (flags.empty() ? "" : ",") + json_quote(flag);
      field += R"(,"x-doudi-read-by-flags":[)" + flags + "]";
      field += "}";
      properties += (properties.empty() ? "" : ",") + json_quote(f.name) + ":" + field;
      // The loader fills a missing field from its default, or with null
      // when it is optional; any other missing field is E2003.
      if (!f.default_value && m_.types.kind(f.type) != TypeKind::Optional)
        required += (required.empty() ? "" : ",") + json_quote(f.name);
    }
    return fmt::format(R"({{"type":"object","title":{},"properties":{{{}}},"required":[{}],"additionalProperties":false}})",
                       json_quote(s.name), properties, required);
  }

 private:
  // A name as a JSON Pointer token inside a JSON string.
  static std::string pointer_escape(const std::string& name) {
    std::string out;
    for (char c : name) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    const std::string quoted = json_quote(out);
    return quoted.substr(1, quoted.size() - 2);
  }

  const ir::Module& m_;
  std::map<std::pair<uint32_t, uint32_t>, std::vector<std::string>> read_by_;  // outputs reading each field
  std::map<std::pair<uint32_t, uint32_t>, std::vector<std::string>> read_by_flags_;  // review flags reading it
};

}  // namespace

std::string household_json_schema(const ir::Module& m) {
  const SchemaWriter w(m);
  std::string root = R"({"type":"object"})";
  if (m.types.kind(m.input_type) == TypeKind::Struct) {
    root = w.structure(m.types.get(m.input_type).ref);
    root.pop_back();
  } else {
    root.pop_back();
  }
  std::string defs;
  for (uint32_t s = 0; s < m.structs.size(); ++s)
    defs += (defs.empty() ? "" : ",") + json_quote(m.structs[s].name) + ":" + w.structure(s);
  return fmt::format(R"({{"$schema":"https://json-schema.org/draft/2020-12/schema",{},"$defs":{{{}}}}})",
                     root.substr(1), defs);
}

}  // namespace doudi
