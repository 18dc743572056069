// An integer's decimal digits appended to text: the one way the log, the
// records' JSON and the bundle write their whole numbers.
#pragma once
#include <charconv>
#include <concepts>
#include <string>

namespace doudi {

// By length: appending a pair of pointers goes through std::string's
// general replace, a few percent of a batch's time over the log's numbers.
template <std::integral Integer>
void append_decimal(std::string& out, Integer n) {
  char digits[24];
  out.append(digits, static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, n).ptr - digits));
}

}  // namespace doudi
