// The cliff edges of one input: the exact values of a household's amount or
// whole-number field at which an output that is not an amount (an
// eligibility, a count, a choice) changes, the household's other inputs
// held as they are. Found by the solver over the rules (each edge the
// smallest or largest value past the last), for the caller to confirm by
// deciding both sides.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/sema/program.h"
#include "runtime/ir/ir.h"

namespace doudi {

struct ThresholdReport {
  bool ok = false;
  std::string reason;  // when not ok: bilingual, "中文\x1fEnglish"
  std::vector<std::string> fields;  // when the field is unknown: the ones that can be asked for
  std::string field;
  size_t slot = 0;     // its first word in RecordData::words (record_layout.h)
  TypeId type = 0;
  Value original;
  // Ascending: at each edge e the watched outputs differ between e − 1 and e
  // (in the field's unit: fen for amounts).
  std::vector<int64_t> edges;
  bool more_below = false, more_above = false;  // the search stopped before the field's bounds
};

// `watched`: the output functions whose changes make an edge.
ThresholdReport thresholds(const Program& program, const std::string& field, const std::vector<uint32_t>& watched,
                           uint32_t jurisdiction, int64_t month, const RecordData& record);

}  // namespace doudi
