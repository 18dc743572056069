// Names for the structures one level below a household record, so an
// explanation says 计入收入(成员#2) instead of an address: list elements as
// 成员#1, 成员#2 …, structure fields by their name.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "runtime/ir/ir.h"
#include "runtime/value/value.h"

namespace doudi {

class MemberLabels {
 public:
  MemberLabels(const ir::Module& m, const RecordData* record);
  // The label of the structure at word `at` of the record, or "…".
  std::string of(int64_t at) const;
  // Element `i` of the list value `list` (a record's list), or "第 i+1 项".
  std::string element(Value list, int64_t i, bool zh) const;

 private:
  const RecordData* record_;
  std::map<int64_t, std::string> labels_;
  // The first words of the record's lists of structures labelled above:
  // only their elements are read as structures.
  std::set<int64_t> struct_lists_;
};

}  // namespace doudi
