// Two rule sets (two versions, or one in two jurisdictions) decide every
// record of a JSONL text: how many outcomes change, per output. Shared by
// `diff --data`; `replay --against` does the same over a decision log.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/ir/ir.h"
#include "runtime/record/record_loader.h"
#include "runtime/replay/impact.h"

namespace doudi {

struct DataSide {
  const ir::Module& module;
  uint32_t jurisdiction;
  int64_t month;
};

struct DataImpact {
  size_t records = 0, changed = 0;
  struct Unreadable {
    size_t line;  // 1-based
    RecordProblem problem;  // the first problem either version found
  };
  std::vector<Unreadable> unreadable;  // skipped; the others still count
  std::map<std::string, Impact> by_output;  // outputs both versions have
};

DataImpact data_impact(const DataSide& before, const DataSide& after, std::string_view jsonl);

}  // namespace doudi
