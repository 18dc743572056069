// The bounds of the households the proofs search, stated in every "proved"
// message. Apart from smt_eval.h so that callers of the analyses see no Z3.
#pragma once
#include <cstdint>

namespace doudi::smt {

inline constexpr int kDefaultMaxItems = 6;  // members per household in proofs
inline constexpr int64_t kMaxMoneyFen = 1'000'000'000;  // 1000 万元
inline constexpr int kMaxWholeNumber = 1'000'000;
inline constexpr int kMaxRatio = 10;

}  // namespace doudi::smt
