// Per-output impact of changing rules: how many outcomes change, which way,
// and by how much money. Shared by `replay --against` and `diff --data`.
#pragma once
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace doudi {

struct Impact {
  size_t changed = 0, up = 0, down = 0;
  int64_t delta_fen = 0;
  bool money = false;
  std::vector<std::string> ids;
};

// Record one output's change from `before` to `after` (JSON texts: amounts
// in yuan, true/false, or anything else).
void add_change(Impact& imp, const std::string& before, const std::string& after, const std::string& id);

// A decision's outputs object (JSON) as output name → value text.
std::map<std::string, std::string> outputs_of_json(const std::string& json);

// One line per output, indented under a heading the caller prints.
void print_impact(std::ostream& out, bool zh, const std::map<std::string, Impact>& by_output);

}  // namespace doudi
