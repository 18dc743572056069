// "What would have to change": the smallest changes to one household's
// inputs that give an output a wanted value, found by the solver over the
// rules (as few fields as possible, then the smallest amounts), for the
// caller to confirm by deciding the changed household. Membership stays as
// it is: a member is neither added nor removed, and text fields never change.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/program.h"
#include "compiler/analysis/thresholds.h"
#include "runtime/ir/ir.h"

namespace doudi {

struct WhyNotChange {
  std::string field;  // 成员#2.工资性收入
  std::string from, to;  // in the language asked for
  std::string by;        // for amounts: 减少 520.01 元/月 / 增加 …; empty otherwise
  size_t slot = 0;       // its first word in RecordData::words (record_layout.h)
  TypeId type = 0;       // the field's type
  Value value;           // the new value (absent: leave the field out)
};

struct WhyNotReport {
  enum class Outcome {
    Found,       // changes below give the wanted value
    AlreadySo,   // the output has that value already
    Impossible,  // no change of the inputs gives it (a proof)
    Unknown,     // the solver could not decide (reason says why)
  } outcome = Outcome::Unknown;
  std::vector<WhyNotChange> changes;
  bool smallest = false;  // the amounts are proven the smallest (else: a change that works)
  int excluded = 0;       // candidates the confirmation turned down
  std::string reason;     // Unknown: bilingual, "中文\x1fEnglish"
};

// Decides the household with `changes` applied; true if it gives the
// wanted value (the analysis never trusts the solver alone).
using WhyNotConfirm = std::function<bool(const std::vector<WhyNotChange>& changes)>;

// `function`: an output (a parameterless rule) of `program`, lowered as
// `module`; `want`: the wanted value (IR encoding), or none for "any other
// value than `current`". The household is `record` (loaded for `module`).
WhyNotReport why_not(const Program& program, const ir::Module& module, uint32_t function, std::optional<Value> want,
                     Value current, uint32_t jurisdiction, int64_t month, const RecordData& record, bool zh,
                     const WhyNotConfirm& confirm);

}  // namespace doudi
