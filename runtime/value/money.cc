#include "runtime/value/money.h"

#include <charconv>
#include <iterator>

#include "runtime/value/checked.h"

namespace doudi {

MoneyParse parse_money_yuan(std::string_view text) {
  MoneyParse out;
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') { negative = true; ++i; }
  int64_t whole = 0;
  size_t digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    auto m = checked_mul(whole, 10);
    auto a = m ? checked_add(*m, text[i] - '0') : std::nullopt;
    if (!a) { out.error = "too large"; return out; }
    whole = *a;
  }
  if (digits == 0) { out.error = "not a number"; return out; }
  int64_t frac = 0;
  size_t frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++frac_digits) {
      if (frac_digits >= 2) {
        if (text[i] != '0') { out.error = "more than two decimal places"; return out; }
        continue;
      }
      frac = frac * 10 + (text[i] - '0');
    }
    if (frac_digits == 0) { out.error = "not a number"; return out; }
  }
  if (i != text.size()) { out.error = "not a number"; return out; }
  if (frac_digits == 1) frac *= 10;
  auto fen = checked_mul(whole, 100);
  fen = fen ? checked_add(*fen, frac) : std::nullopt;
  if (!fen) { out.error = "too large"; return out; }
  out.fen = negative ? -*fen : *fen;
  return out;
}

std::string format_fen(int64_t fen) {
  std::string out;
  append_fen(out, fen);
  return out;
}

void append_fen(std::string& out, int64_t fen) {
  // The magnitude in 64 unsigned bits (INT64_MIN's too): a division by 100
  // on 128 bits is a library call, and amounts are written for every member
  // of every household a batch logs.
  const bool negative = fen < 0;
  const uint64_t mag = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  const uint64_t yuan = mag / 100;
  const auto cents = static_cast<unsigned>(mag % 100);
  char digits[1 + 20 + 3];  // a sign, 2^64's 20 digits, the cents
  char* p = digits;
  if (negative) *p++ = '-';
  p = std::to_chars(p, std::end(digits) - 3, yuan).ptr;
  if (cents != 0) {
    *p++ = '.';
    *p++ = static_cast<char>('0' + cents / 10);
    if (cents % 10 != 0) *p++ = static_cast<char>('0' + cents % 10);
  }
  out.append(digits, static_cast<size_t>(p - digits));  // by length: a pair of pointers goes through replace
}

std::string format_fen_fixed(int64_t fen) {
  std::string out = format_fen(fen);
  const auto dot = out.find('.');
  if (dot == std::string::npos) out += ".00";
  else if (out.size() - dot == 2) out += '0';
  return out;
}

std::optional<int64_t> scale_money(int64_t fen, Ratio factor, bool divide, RoundMode mode, ExactFen* exact) {
  const __int128 num = static_cast<__int128>(fen) * (divide ? factor.den : factor.num);
  const __int128 den = divide ? factor.num : factor.den;
  if (exact) *exact = ExactFen{num, den};
  if (den == 0) return std::nullopt;
  return rounded_div(num, den, mode);
}

}  // namespace doudi
