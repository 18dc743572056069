// When each parameter value is in force: implicit end dates, overlaps, and a
// deployment's values replacing those of the modules it imports.
#include <algorithm>

#include "compiler/sema/checker_internal.h"
#include "runtime/value/calendar.h"

namespace doudi::check_detail {
namespace {

int64_t start_of(const ParamValue& v) { return v.from.value_or(INT64_MIN); }
int64_t end_of(const ParamValue& v) { return v.until.value_or(INT64_MAX); }
bool overlap(const ParamValue& a, const ParamValue& b) {
  return std::max(start_of(a), start_of(b)) <= std::min(end_of(a), end_of(b));
}

// The module of each value's file, and which modules import which: a value
// set in a module that imports (directly or not) the module of another is a
// layer over it, as a county's deployment is over the policy.
class Layers {
 public:
  explicit Layers(const Program& p) : p_(p) {
    for (const auto& f : p.files) module_of_file_[f.file] = f.module.text;
  }
  const std::string& module(const ParamValue& v) const {
    static const std::string none;
    auto it = module_of_file_.find(v.span.file);
    return it == module_of_file_.end() ? none : it->second;
  }
  // Whether `upper`'s module imports `lower`'s.
  bool over(const ParamValue& upper, const ParamValue& lower) {
    const std::string& a = module(upper);
    const std::string& b = module(lower);
    if (a == b) return false;
    auto it = imports_.find(a);
    if (it == imports_.end()) it = imports_.emplace(a, p_.imported_modules(a)).first;
    return it->second.count(b) > 0;
  }
  bool layered(const ParamValue& a, const ParamValue& b) { return over(a, b) || over(b, a); }

 private:
  const Program& p_;
  std::map<FileId, std::string> module_of_file_;
  std::map<std::string, std::set<std::string>> imports_;
};

// `v` without the days [from, until]: none, one or two pieces.
std::vector<ParamValue> without(const ParamValue& v, int64_t from, int64_t until) {
  std::vector<ParamValue> pieces;
  if (from > start_of(v)) {
    ParamValue left = v;
    left.until = from - 1;
    pieces.push_back(std::move(left));
  }
  if (until < end_of(v)) {
    ParamValue right = v;
    right.from = until + 1;
    pieces.push_back(std::move(right));
  }
  return pieces;
}

}  // namespace

// A value without an end date ends the day before the next value of the
// same parameter and jurisdiction starts, so raising a standard next year is
// one added line. Values that still overlap (an explicit end date past the
// next start, or two starting on the same day) are E0117, the later one
// dropped, with the end date that would fix it when there is one.
//
// A module that imports another is a layer over it: where a county's
// deployment sets a value for a jurisdiction the policy also sets one for,
// the deployment's value is in force on the days it covers and the policy's
// on the others (recorded for N0416), as a county's value replaces the
// city's. Layers never end each other's values implicitly.
void Checker::settle_validity(uint32_t param) {
  ParamInfo& prm = p_.params[param];
  Layers layers(p_);
  std::vector<size_t> order(prm.values.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto& x = prm.values[a];
    const auto& y = prm.values[b];
    return x.jurisdiction != y.jurisdiction ? x.jurisdiction < y.jurisdiction : start_of(x) < start_of(y);
  });
  for (size_t k = 0; k < order.size(); ++k) {
    auto& v = prm.values[order[k]];
    if (v.until) continue;
    for (size_t n = k + 1; n < order.size(); ++n) {
      const auto& next = prm.values[order[n]];
      if (next.jurisdiction != v.jurisdiction) break;
      if (start_of(next) > start_of(v) && !layers.layered(v, next)) {
        v.until = start_of(next) - 1;
        break;
      }
    }
  }
  std::vector<bool> dropped(prm.values.size(), false);
  for (size_t b = 0; b < prm.values.size(); ++b)
    for (size_t a = 0; a < b && !dropped[b]; ++a) {
      const auto& earlier = prm.values[a];
      const auto& later = prm.values[b];
      if (dropped[a] || earlier.jurisdiction != later.jurisdiction || !overlap(earlier, later)) continue;
      if (layers.layered(earlier, later)) continue;
      auto& d = d_.report(DiagCode::E0117, later.span,
                          {prm.name, later.jurisdiction == kNone ? bilingual("全部辖区", "all jurisdictions")
                                                                 : p_.jurisdictions[later.jurisdiction].name});
      d.notes.push_back(make_note(DiagCode::N0403, earlier.span));
      if (layers.module(earlier) != layers.module(later))
        d.notes.push_back(make_note(DiagCode::N0417, Span{}, {layers.module(later), layers.module(earlier)}));
      // The first-starting of the two can end the day before the other starts.
      const auto& first = start_of(earlier) <= start_of(later) ? earlier : later;
      const auto& second = &first == &earlier ? later : earlier;
      if (start_of(second) > start_of(first) && start_of(second) != INT64_MIN)
        d.notes.push_back(make_note(DiagCode::N0408, first.span, {format_date(start_of(second) - 1)}));
      dropped[b] = true;
    }
  std::vector<ParamValue> kept;
  for (size_t lo = 0; lo < prm.values.size(); ++lo) {
    if (dropped[lo]) continue;
    std::vector<ParamValue> pieces{prm.values[lo]};
    for (size_t hi = 0; hi < prm.values.size(); ++hi) {
      const auto& upper = prm.values[hi];
      if (dropped[hi] || upper.jurisdiction != prm.values[lo].jurisdiction || !overlap(upper, prm.values[lo]) ||
          !layers.over(upper, prm.values[lo]))
        continue;
      p_.replaced_values.push_back(ReplacedValue{param, upper, prm.values[lo]});
      std::vector<ParamValue> rest;
      for (const auto& piece : pieces)
        for (auto& part : without(piece, start_of(upper), end_of(upper))) rest.push_back(std::move(part));
      pieces = std::move(rest);
    }
    for (auto& piece : pieces) kept.push_back(std::move(piece));
  }
  prm.values = std::move(kept);
}

}  // namespace doudi::check_detail
