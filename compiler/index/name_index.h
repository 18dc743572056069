// Every name written in a checked program and what it stands for: the
// declarations, and each use the checker resolved. What an editor needs to
// go to a definition, list references, rename, outline a file and say what
// is under the cursor; read from the Program and the AST's annotations, so
// it agrees with the checker by construction.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/sema/program.h"

namespace doudi {

enum class NameKind : uint8_t {
  Module,       // a = the ast::File index of the module
  Enum,         // a = Program::enums index
  EnumValue,    // a = enum, b = value
  Struct,       // a = Program::structs index
  Field,        // a = struct, b = field
  Input,
  Param,        // a = Program::params index
  Function,     // a = Program::functions index (a definition or a rule)
  Flag,         // a = Program::flags index
  Jurisdiction, // a = Program::jurisdictions index
  Local,        // a = the declaration it belongs to (a counter), b = slot
};

struct NameRef {
  NameKind kind = NameKind::Module;
  uint32_t a = 0, b = 0;
  bool operator==(const NameRef& o) const { return kind == o.kind && a == o.a && b == o.b; }
};

struct NameOccurrence {
  Span span;  // the name as written
  NameRef ref;
  bool declaration = false;
  TypeId type = 0;  // for a name in an expression: its type as checked (0: unknown)
};

class NameIndex {
 public:
  explicit NameIndex(const Program& program);
  // The name covering `offset` in `file` (its end included: a cursor just
  // after a name is on it); null if none.
  const NameOccurrence* at(FileId file, uint32_t offset) const;
  // Every occurrence of `ref`, the declaration first when there is one.
  std::vector<const NameOccurrence*> occurrences(const NameRef& ref) const;
  const NameOccurrence* declaration(const NameRef& ref) const;
  // The name `ref` is declared with (for a local: as written).
  std::string name(const NameRef& ref) const;
  const std::vector<NameOccurrence>& all() const { return names_; }

 private:
  const Program& program_;
  std::vector<NameOccurrence> names_;  // sorted by file, then offset
};

}  // namespace doudi
