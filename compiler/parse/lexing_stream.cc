#include "compiler/parse/lexing_stream.h"

#include <memory>
#include <mutex>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "DoudiLexer.h"
#include "Lexer.h"
#include "atn/ATNState.h"
#include "atn/Transition.h"
#include "compiler/parse/token_listing.h"
#include "compiler/parse/token_pass.h"
#include "support/StringUtils.h"

namespace doudi::parse_detail {
namespace {

// The ASCII twin of each non-ASCII code point met so far.
class Twins {
 public:
  explicit Twins(const antlr4::atn::ATN& atn) {
    for (const auto* state : atn.states) {
      if (state == nullptr) continue;
      for (const auto* t : state->transitions)
        if (!t->isEpsilon()) consuming_.push_back(t);
    }
    for (char32_t c = 0; c < 128; ++c) ascii_.emplace(signature(c), c);  // the first ASCII of each kind
  }

  char32_t twin(char32_t c) {
    if (c < 128) return c;
    auto [it, fresh] = known_.try_emplace(c, c);
    if (fresh) {
      if (auto a = ascii_.find(signature(c)); a != ascii_.end()) it->second = a->second;
    }
    return it->second;
  }

 private:
  // Which transitions consume `c`: all the lexer asks of a character, but
  // for one thing: it counts lines at '\n' (the last bit), so no other
  // character may stand for it.
  std::string signature(char32_t c) const {
    std::string bits(consuming_.size() + 1, '0');
    bits.back() = c == U'\n' ? '1' : '0';
    for (size_t i = 0; i < consuming_.size(); ++i)
      if (consuming_[i]->matches(c, antlr4::Lexer::MIN_CHAR_VALUE, antlr4::Lexer::MAX_CHAR_VALUE)) bits[i] = '1';
    return bits;
  }

  std::vector<const antlr4::atn::Transition*> consuming_;
  std::unordered_map<std::string, char32_t> ascii_;
  std::unordered_map<char32_t, char32_t> known_;
};

}  // namespace

LexingStream::LexingStream(const std::string& text) : ANTLRInputStream(text) {
  static std::mutex mutex;
  static Twins twins = [] {
    // The ATN is a static of the generated lexer, built with its first instance.
    antlr4::ANTLRInputStream nothing;
    doudi_gen::DoudiLexer lexer(&nothing);
    return Twins(lexer.getATN());
  }();
  real_ = _data;
  std::lock_guard lock(mutex);
  for (auto& c : _data) c = twins.twin(c);
}

// As ANTLRInputStream::getText, from the real text.
std::string LexingStream::getText(const antlr4::misc::Interval& interval) {
  if (interval.a < 0 || interval.b < 0) return {};
  const size_t start = static_cast<size_t>(interval.a);
  size_t stop = static_cast<size_t>(interval.b);
  if (start >= real_.size()) return {};
  if (stop >= real_.size()) stop = real_.size() - 1;
  return antlrcpp::utf32_to_utf8(real_.substr(start, stop - start + 1));
}

}  // namespace doudi::parse_detail

namespace doudi::parse_detail {

std::string token_listing(const std::string& text, bool ascii_twins) {
  std::lock_guard lock(antlr_mutex());
  std::unique_ptr<antlr4::ANTLRInputStream> input;
  if (ascii_twins)
    input = std::make_unique<LexingStream>(text);
  else
    input = std::make_unique<antlr4::ANTLRInputStream>(text);
  doudi_gen::DoudiLexer lexer(input.get());
  lexer.removeErrorListeners();
  std::ostringstream out;
  for (const auto& t : lexer.getAllTokens())
    out << t->getType() << '/' << t->getChannel() << ' ' << t->getStartIndex() << '-' << t->getStopIndex() << ' '
        << t->getLine() << ':' << t->getCharPositionInLine() << ' ' << t->getText() << '\n';
  return out.str();
}

}  // namespace doudi::parse_detail
