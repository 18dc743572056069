// The module: type table, schema, jurisdictions, values, the call graph and
// the entry points (outputs, flags, constraints). Functions and their
// instructions are in verify_code.cc.
#include "runtime/ir/verify.h"

#include <numeric>
#include <unordered_set>

#include "runtime/ir/verify_internal.h"
#include "runtime/value/calendar.h"

namespace doudi::ir {
namespace verify_detail {

TypeId strip_optional(const TypeTable& types, TypeId t) {
  while (types.kind(t) == TypeKind::Optional) t = types.get(t).elem;
  return t;
}

Rep rep_of(const TypeTable& types, TypeId t) {
  switch (types.kind(strip_optional(types, t))) {
    case TypeKind::Int: case TypeKind::Bool: case TypeKind::Date: case TypeKind::YearMonth: case TypeKind::Months:
    case TypeKind::Days: case TypeKind::Money: case TypeKind::Enum:
      return Rep::Int;
    case TypeKind::Ratio: return Rep::Ratio;
    case TypeKind::Text: return Rep::Text;
    case TypeKind::Struct: return Rep::Struct;
    case TypeKind::List: return Rep::List;
    default: return Rep::None;
  }
}

std::string type_text(const Module& m, TypeId t) {
  const TypeKind k = m.types.kind(t);
  if (k == TypeKind::Unchecked || k == TypeKind::Error) return k == TypeKind::Error ? "`error`" : "`unchecked`";
  return "`" + m.type_name(t, false) + "`";
}

namespace {

class ModuleChecker {
 public:
  ModuleChecker(const Module& m, Problems& p) : m_(m), p_(p) {
    for (const auto& s : m.strings) texts_.insert(&s);
  }

  void run() {
    references();
    jurisdictions();
    values();
    if (p_.any()) return;  // the functions' checks rely on the schema
    // The interpreter allocates one frame per function up front (each at
    // most 64 registers larger for what it inlines).
    size_t registers = 0;
    for (const auto& f : m_.functions) registers += f.regs.size();
    if (registers > kMaxRegisters) {
      p_.add(kWhole, kWhole, "{} registers in all, more than {}", registers, kMaxRegisters);
      return;
    }
    ModuleFacts facts;
    facts.branches.assign(m_.functions.size(), 0);
    for (const auto& f : m_.functions)
      if ((f.kind == FunctionKind::ExceptionValue || f.kind == FunctionKind::Default) && f.owner < m_.functions.size())
        ++facts.branches[f.owner];
    for (uint32_t i = 0; i < m_.functions.size(); ++i) verify_function(m_, facts, i, p_);
    if (p_.any()) return;  // the call graph needs every callee in range
    call_cycles();
    entry_points();
  }

 private:
  void references() {
    for (TypeId t = 0; t < m_.types.size(); ++t) {
      const Type& ty = m_.types.get(t);
      if (ty.kind == TypeKind::Enum && ty.ref >= m_.enums.size())
        p_.add(kWhole, kWhole, "type #{} refers to enumeration #{} (the module has {})", t, ty.ref, m_.enums.size());
      if (ty.kind == TypeKind::Struct && ty.ref >= m_.structs.size())
        p_.add(kWhole, kWhole, "type #{} refers to structure #{} (the module has {})", t, ty.ref, m_.structs.size());
    }
    for (const auto& s : m_.structs)
      for (const auto& f : s.fields)
        if (f.type >= m_.types.size())
          p_.add(kWhole, kWhole, "field `{}.{}` has type #{} (the module has {})", s.name, f.name, f.type,
                 m_.types.size());
    if (m_.input_type != 0 && (m_.input_type >= m_.types.size() || m_.types.kind(m_.input_type) != TypeKind::Struct))
      p_.add(kWhole, kWhole, "the input `{}` (type #{}) is not a structure", m_.input_name, m_.input_type);
    for (const auto& p : m_.params)
      if (p.type >= m_.types.size())
        p_.add(kWhole, kWhole, "parameter `{}` has type #{} (the module has {})", p.name, p.type, m_.types.size());
    if (m_.constants.size() != m_.constant_types.size())
      p_.add(kWhole, kWhole, "{} constants but {} constant types", m_.constants.size(), m_.constant_types.size());
    for (size_t i = 0; i < m_.constant_types.size(); ++i)
      if (m_.constant_types[i] >= m_.types.size())
        p_.add(kWhole, kWhole, "constant #{} has type #{} (the module has {})", i, m_.constant_types[i],
               m_.types.size());
  }

  // Walking up from any jurisdiction must reach the top.
  void jurisdictions() {
    const auto& js = m_.jurisdictions;
    for (uint32_t j = 0; j < js.size(); ++j) {
      if (js[j].parent != UINT32_MAX && js[j].parent >= js.size()) {
        p_.add(kWhole, kWhole, "the parent #{} of jurisdiction `{}` is out of range (the module has {})", js[j].parent,
               js[j].name, js.size());
        return;
      }
    }
    std::vector<uint32_t> cycles;
    walk_lengths(static_cast<uint32_t>(js.size()), [&](uint32_t j) { return js[j].parent; }, cycles);
    for (uint32_t j : cycles) p_.add(kWhole, kWhole, "jurisdiction `{}` is its own ancestor", js[j].name);
  }

  bool jurisdiction_ok(uint32_t j) const { return j == UINT32_MAX || j < m_.jurisdictions.size(); }

  void values() {
    if (p_.any()) return;  // values are read by their types
    for (const auto& s : m_.structs)
      for (const auto& f : s.fields)
        if (f.default_value)
          if (auto why = value_problem(*f.default_value, f.type); !why.empty())
            p_.add(kWhole, kWhole, "the default of field `{}.{}`: {}", s.name, f.name, why);
    for (size_t i = 0; i < m_.constants.size(); ++i)
      if (auto why = value_problem(m_.constants[i], m_.constant_types[i]); !why.empty())
        p_.add(kWhole, kWhole, "constant #{}: {}", i, why);
    for (const auto& p : m_.params)
      for (size_t i = 0; i < p.values.size(); ++i) {
        const auto& v = p.values[i];
        if (!jurisdiction_ok(v.jurisdiction))
          p_.add(kWhole, kWhole, "value {} of parameter `{}`: jurisdiction #{} out of range", i + 1, p.name,
                 v.jurisdiction);
        if (v.loc >= m_.locations.size())
          p_.add(kWhole, kWhole, "value {} of parameter `{}`: source location #{} out of range", i + 1, p.name, v.loc);
        if (auto why = value_problem(v.value, p.type); !why.empty())
          p_.add(kWhole, kWhole, "value {} of parameter `{}`: {}", i + 1, p.name, why);
      }
  }

  // Why `v` is not a value of type `t` as the runtime lays it out, or "".
  std::string value_problem(Value v, TypeId t) const {
    const Type& ty = m_.types.get(t);
    // An absent value is {0, kAbsent} wherever the engines make one, and
    // nowhere else: an absent text moved into a text register is read as
    // the empty text, its first word never taken for a text's address.
    if (ty.kind == TypeKind::Optional) {
      if (!v.is_absent()) return value_problem(v, ty.elem);
      return v.a == 0 ? "" : fmt::format("an absent value must have 0 as its first word, not {}", v.a);
    }
    const std::string name = type_text(m_, t);
    if (ty.kind == TypeKind::Ratio) {
      if (v.b <= 0) return fmt::format("the ratio {}/{} has a denominator that is not positive", v.a, v.b);
      const uint64_t num = v.a < 0 ? 0 - static_cast<uint64_t>(v.a) : static_cast<uint64_t>(v.a);
      if (std::gcd(num, static_cast<uint64_t>(v.b)) != 1)
        return fmt::format("the ratio {}/{} is not in lowest terms", v.a, v.b);
      return "";
    }
    if (ty.kind == TypeKind::Text)
      return v.b == 0 && texts_.count(reinterpret_cast<const std::string*>(static_cast<intptr_t>(v.a)))
                 ? ""
                 : "not a text of the module";
    // Without a record to hold elements, the one list constant is the empty list.
    if (ty.kind == TypeKind::List) return v == Value{0, 0} ? "" : "a list constant must be empty";
    if (rep_of(m_.types, t) != Rep::Int) return fmt::format("no constant can be of type {}", name);
    if (v.b != 0) return fmt::format("[{},{}] is not a value of type {}", v.a, v.b, name);
    int64_t lo = INT64_MIN, hi = INT64_MAX;
    switch (ty.kind) {
      case TypeKind::Bool: lo = 0, hi = 1; break;
      case TypeKind::Enum: lo = 0, hi = static_cast<int64_t>(m_.enums[ty.ref].values.size()) - 1; break;
      // Dates are written as literals only (parse_date: years 1 to 9999);
      // the calendar overflows on day numbers near the ends of int64.
      case TypeKind::Date: lo = days_from_civil({1, 1, 1}), hi = days_from_civil({9999, 12, 31}); break;
      default: break;
    }
    if (v.a < lo || v.a > hi) return fmt::format("{} is out of range for {}", v.a, name);
    return "";
  }

  // The interpreter's register stack holds one frame per function, enough
  // only if no function can reach itself; the interpreter and explanations
  // recurse along calls, so chains are at most kMaxCallDepth long.
  void call_cycles() {
    const auto n = static_cast<uint32_t>(m_.functions.size());
    enum : uint8_t { kNew, kOnPath, kDone };
    std::vector<uint8_t> state(n, kNew);
    std::vector<uint32_t> depth(n, 1);  // the longest chain of calls from each function, itself included
    bool cyclic = false;
    struct Step { uint32_t fn, next; };
    std::vector<Step> path;
    for (uint32_t root = 0; root < n; ++root) {
      if (state[root] != kNew) continue;
      path.push_back({root, 0});
      state[root] = kOnPath;
      while (!path.empty()) {
        Step& s = path.back();
        const auto& code = m_.functions[s.fn].code;
        if (s.next == code.size()) {
          state[s.fn] = kDone;
          for (const Inst& in : code)
            if (in.op == Op::Call && state[in.a] == kDone) depth[s.fn] = std::max(depth[s.fn], depth[in.a] + 1);
          path.pop_back();
          continue;
        }
        const uint32_t at = s.next++;
        if (code[at].op != Op::Call) continue;
        const uint32_t callee = code[at].a;
        if (state[callee] == kNew) {
          state[callee] = kOnPath;
          path.push_back({callee, 0});
        } else if (state[callee] == kOnPath) {
          std::string cycle;
          size_t from = path.size();
          while (path[from - 1].fn != callee) --from;
          for (size_t k = from - 1; k < path.size(); ++k) cycle += "`" + m_.functions[path[k].fn].name + "` → ";
          p_.add(s.fn, at, "call cycle: {}`{}`", cycle, m_.functions[callee].name);
          cyclic = true;
        }
      }
    }
    if (cyclic) return;
    for (uint32_t f = 0; f < n; ++f)
      if (depth[f] > kMaxCallDepth) {
        p_.add(f, kWhole, "calls nest {} deep from here, more than {}", depth[f], kMaxCallDepth);
        return;
      }
  }

  void entry_points() {
    auto entry = [&](const char* what, const std::string& name, uint32_t fn, bool boolean) {
      if (fn >= m_.functions.size()) {
        p_.add(kWhole, kWhole, "{} `{}` refers to function #{} (the module has {})", what, name, fn,
               m_.functions.size());
        return false;
      }
      const Function& f = m_.functions[fn];
      // Entry points are called without arguments.
      if (f.num_params != 0) p_.add(fn, kWhole, "{} `{}` needs a function without parameters", what, name);
      if (boolean ? f.result >= m_.types.size() || m_.types.kind(f.result) != TypeKind::Bool
                  : rep_of(m_.types, f.result) == Rep::None)
        p_.add(fn, kWhole, "{} `{}` needs a function returning {}", what, name, boolean ? "`bool`" : "a value");
      return true;
    };
    for (const auto& o : m_.outputs) entry("output", o.name, o.function, false);
    for (const auto& f : m_.flags) entry("flag", f.name, f.function, true);
    // Constraints are evaluated without a record (Interpreter::check_constraint).
    std::vector<uint32_t> todo;
    std::vector<uint8_t> seen(m_.functions.size(), 0);
    for (const auto& c : m_.constraints) {
      const std::string name = c.label.empty() ? "constraint" : c.label;
      if (!jurisdiction_ok(c.jurisdiction))
        p_.add(kWhole, kWhole, "constraint `{}`: jurisdiction #{} out of range", name, c.jurisdiction);
      if (entry("constraint", name, c.function, true) && !seen[c.function]) {
        seen[c.function] = 1;
        todo.push_back(c.function);
      }
    }
    while (!todo.empty()) {
      const uint32_t fn = todo.back();
      todo.pop_back();
      const auto& code = m_.functions[fn].code;
      for (uint32_t i = 0; i < code.size(); ++i) {
        if (code[i].op == Op::Input) p_.add(fn, i, "reads the record, but a constraint, evaluated without one, reaches it");
        if (code[i].op == Op::Call && !seen[code[i].a]) {
          seen[code[i].a] = 1;
          todo.push_back(code[i].a);
        }
      }
    }
  }

  const Module& m_;
  Problems& p_;
  std::unordered_set<const std::string*> texts_;
};

}  // namespace
}  // namespace verify_detail

std::vector<Problem> verify_types(const Module& m) {
  using verify_detail::kWhole;
  std::vector<Problem> out;
  verify_detail::Problems p(out);
  const TypeTable& types = m.types;
  const TypeTable fresh;
  // Lowering and the interpreter name the first types by constant (TypeTable::kInt, ...).
  for (TypeId t = 0; t < fresh.size(); ++t)
    if (t >= types.size() || !(types.get(t) == fresh.get(t)))
      p.add(kWhole, kWhole, "type #{} is not the built-in type the runtime expects there", t);
  for (TypeId t = 0; t < types.size(); ++t) {
    const Type& ty = types.get(t);
    if (static_cast<size_t>(ty.kind) > static_cast<size_t>(TypeKind::Set))
      p.add(kWhole, kWhole, "type #{} has an unknown kind {}", t, static_cast<int>(ty.kind));
    if (static_cast<size_t>(ty.period) > static_cast<size_t>(Period::Year))
      p.add(kWhole, kWhole, "type #{} has an unknown period {}", t, static_cast<int>(ty.period));
    const bool wraps = ty.kind == TypeKind::List || ty.kind == TypeKind::Optional || ty.kind == TypeKind::Set;
    if (!wraps) continue;
    if (ty.elem >= types.size()) {
      p.add(kWhole, kWhole, "type #{} has element type #{} (the module has {})", t, ty.elem, types.size());
      continue;
    }
    // The language refuses an optional structure or list (E0213), and the
    // engines count on it for structures: a structure register always holds
    // the place of one in the record. An absent one moved into such a
    // register would have its fields read from word 0 under the wrong
    // structure, and a nested structure's or list's place taken from
    // whatever word lies there. (An absent list's length, kAbsent, is
    // negative, so no element of it is read; it is refused as the language
    // refuses it.)
    const TypeKind inner = types.kind(ty.elem);
    if (ty.kind == TypeKind::Optional && (inner == TypeKind::Struct || inner == TypeKind::List))
      p.add(kWhole, kWhole, "type #{} is an optional {}, which no module can have", t,
            inner == TypeKind::Struct ? "record structure" : "list");
  }
  if (p.any()) return out;
  std::vector<uint32_t> cycles;
  const auto depth = verify_detail::walk_lengths(
      types.size(),
      [&](TypeId t) {
        const TypeKind k = types.kind(t);
        return k == TypeKind::List || k == TypeKind::Optional || k == TypeKind::Set ? types.get(t).elem : UINT32_MAX;
      },
      cycles);
  for (TypeId t : cycles) p.add(kWhole, kWhole, "type #{} contains itself", t);
  // Values, names and records are read and printed recursively by type.
  // The parser bounds nesting far below this.
  for (TypeId t = 0; t < types.size(); ++t)
    if (depth[t] != verify_detail::kCycle && depth[t] > kMaxTypeDepth) {
      p.add(kWhole, kWhole, "type #{} nests {} types deep, more than {}", t, depth[t], kMaxTypeDepth);
      break;
    }
  return out;
}

std::vector<Problem> verify_module(const Module& m) {
  std::vector<Problem> out = verify_types(m);
  if (!out.empty()) return out;
  verify_detail::Problems p(out);
  verify_detail::ModuleChecker(m, p).run();
  return out;
}

std::string describe_problem(const Module& m, const Problem& p) {
  if (p.function >= m.functions.size()) return p.message;
  const Function& f = m.functions[p.function];
  std::string where = fmt::format("function `{}`", f.name);
  if (p.instruction < f.code.size()) {
    const Op op = f.code[p.instruction].op;
    where += fmt::format(", instruction {} ({})", p.instruction, static_cast<size_t>(op) < kNumOps ? op_name(op) : "?");
  }
  return where + ": " + p.message;
}

}  // namespace doudi::ir
