// Appending to a decision log whose lines are kept elsewhere (a database
// table): the lines a log file would get, chained on from the stored head,
// for the keeper to store in order. What DecisionLog does for a file, without
// the file; the lines are the same, so an export verifies with verify_log.
#pragma once
#include <string>
#include <vector>

#include "runtime/log/log_format.h"
#include "runtime/log/log_reader.h"

namespace doudi {

class LogChain {
 public:
  explicit LogChain(ChainHead head) : head_(std::move(head)) {}
  // Appends to `lines` a context line when `c` is not the last one, then the
  // decision (or refused record) `f`; each line whole, without its newline.
  // Returns the decision's id.
  std::string append(const LogContext& c, const LogFields& f, std::vector<std::string>& lines);
  const ChainHead& head() const { return head_; }

 private:
  void chain(const std::string& unclosed_text, const merkle::Hash& leaf, std::vector<std::string>& lines);
  ChainHead head_;
};

}  // namespace doudi
