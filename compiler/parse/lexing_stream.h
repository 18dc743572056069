// The rule text as ANTLR's lexer reads it, made fast for Chinese text.
//
// ANTLR's lexer caches its DFA edges only for code points below 128; any
// other character (all of Chinese text) goes through the ATN simulation
// again, each time, which made lexing most of an editor's check. Yet most
// non-ASCII characters behave, to the lexer, exactly like some ASCII
// character: a Chinese character that is in no keyword is a letter like `Q`,
// 。 is a character that starts no token, like `@`. This stream shows the
// lexer that ASCII twin (LA) and the real text everywhere else (getText, so
// tokens carry their own text). Two code points are twins when every
// transition of the lexer's ATN matches both or neither, so the lexer makes
// the same moves and the tokens are the same, by construction; a character
// with no ASCII twin (those in keywords, units, full-width punctuation) is
// shown as itself.
#pragma once
#include <string>

#include "ANTLRInputStream.h"

namespace doudi::parse_detail {

class LexingStream : public antlr4::ANTLRInputStream {
 public:
  explicit LexingStream(const std::string& text);
  std::string getText(const antlr4::misc::Interval& interval) override;

 private:
  UTF32String real_;  // what the file says; _data holds what the lexer is shown
};

}  // namespace doudi::parse_detail
