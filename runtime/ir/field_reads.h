// Which record fields a computation may read: every field loaded by the
// function or by a function it may call. A form shows these first and folds
// the others away; nothing decides with it (a field not listed here cannot
// change the function's value, whatever the record holds).
#pragma once
#include <cstdint>
#include <set>
#include <utility>

#include "runtime/ir/ir.h"

namespace doudi::ir {

// (struct index, field index) pairs.
using FieldSet = std::set<std::pair<uint32_t, uint32_t>>;

FieldSet fields_read_by(const Module& m, uint32_t function);

}  // namespace doudi::ir
