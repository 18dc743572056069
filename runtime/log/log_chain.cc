#include "runtime/log/log_chain.h"

#include "runtime/log/decision_log.h"

namespace doudi {

void LogChain::chain(const std::string& unclosed_text, const merkle::Hash& leaf, std::vector<std::string>& lines) {
  head_.hash = chain_hash(head_.hash, leaf);
  std::string line;
  append_line(line, unclosed_text, head_.hash);
  line.pop_back();  // the newline: the keeper stores lines, not a file
  lines.push_back(std::move(line));
  ++head_.seq;
}

std::string LogChain::append(const LogContext& c, const LogFields& f, std::vector<std::string>& lines) {
  if (head_.context != c) {
    const std::string text = context_text(head_.seq + 1, c);
    const merkle::Hash leaf = line_leaf(text);
    chain(text, leaf, lines);
    head_.context = c;
    head_.context_seq = head_.seq;
    head_.context_leaf = leaf;
  }
  const PreparedEntry e = prepare_decision(head_.seq + 1, head_.context_seq, f);
  chain(e.text, e.leaf, lines);
  return decision_id(head_.context_leaf, e.leaf);
}

}  // namespace doudi
