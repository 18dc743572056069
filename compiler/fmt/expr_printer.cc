// Expressions in canonical form. The AST keeps no parentheses, so they are
// put back from precedence: a child is parenthesized when it binds more
// loosely than its position requires.
#include <fmt/format.h>

#include "compiler/fmt/formatter.h"
#include "runtime/source/utf8.h"

namespace doudi {
namespace {

using ast::BinOp;
using ast::Expr;
using ast::ExprKind;

// Higher binds tighter; mirrors the alternative order of `expr` in Doudi.g4.
int precedence(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Neg: return 90;
    case ExprKind::AsOf: return 95;
    case ExprKind::Binary:
      switch (e.op) {
        case BinOp::Mul: case BinOp::Div: return 80;
        case BinOp::Add: case BinOp::Sub: return 70;
        case BinOp::OrElse: return 65;
        case BinOp::Lt: case BinOp::Le: case BinOp::Gt: case BinOp::Ge: case BinOp::Eq: case BinOp::Ne: return 60;
        case BinOp::And: return 40;
        case BinOp::Or: return 30;
      }
      return 0;
    case ExprKind::In: return 55;
    case ExprKind::Not: return 50;
    case ExprKind::If: return 20;
    case ExprKind::Aggregate: case ExprKind::CountWhere: return 10;
    default: return 100;
  }
}

class ExprPrinter {
 public:
  explicit ExprPrinter(Dialect d) : d_(d) {}

  std::string kw(Keyword k) const { return std::string(keyword_text(k, d_)); }
  bool zh() const { return d_ == Dialect::Zh; }

  std::string unit(ast::Unit u) const {
    switch (u) {
      case ast::Unit::None: return "";
      case ast::Unit::Yuan: return kw(Keyword::Yuan);
      case ast::Unit::YuanPerMonth: return kw(Keyword::YuanPerMonth);
      case ast::Unit::YuanPerYear: return kw(Keyword::YuanPerYear);
      case ast::Unit::Months: return kw(Keyword::Months);
      case ast::Unit::Days: return kw(Keyword::Days);
    }
    return "";
  }

  std::string name(const std::string& n) const { return std::string(translate_builtin_name(n, d_)); }

  std::string op(BinOp o) const {
    if (o == BinOp::And) return kw(Keyword::And);
    if (o == BinOp::Or) return kw(Keyword::Or);
    return std::string(operator_text(ast::symbol_of(o), zh()));
  }

  // Prints `e` where a binding of at least `min_prec` is required.
  std::string at(const Expr& e, int min_prec) {
    std::string s = print(e);
    // Parentheses the author wrote around a compound expression stay.
    const bool kept = e.parens && precedence(e) < 100;
    return precedence(e) < min_prec || kept ? "(" + s + ")" : s;
  }

  std::string list(const std::vector<ast::ExprPtr>& kids) {
    std::string out;
    for (size_t i = 0; i < kids.size(); ++i) out += (i ? ", " : "") + print(*kids[i]);
    return out;
  }

  static std::string quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') { out += "\\n"; continue; }
      out += c;
    }
    return out + "\"";
  }

  std::string print(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Number: return e.unit == ast::Unit::None ? e.text : e.text + " " + unit(e.unit);
      case ExprKind::Percent: return e.text + "%";
      case ExprKind::Date:
      case ExprKind::YearMonth: return e.text;
      case ExprKind::String: return quote(e.text);
      case ExprKind::Bool: return kw(e.text == "true" ? Keyword::True : Keyword::False);
      case ExprKind::Name: return name(e.name.text);
      case ExprKind::Field: return at(*e.kids[0], 100) + "." + e.name.text;
      case ExprKind::Call: return name(e.name.text) + "(" + list(e.kids) + ")";
      case ExprKind::Neg: return "-" + at(*e.kids[0], 90);
      case ExprKind::Not: return kw(Keyword::Not) + " " + at(*e.kids[0], 50);
      case ExprKind::Binary: {
        const int p = precedence(e);
        // Left-associative; comparisons do not chain, so both sides need more.
        const bool cmp = p == 60;
        return at(*e.kids[0], cmp ? p + 1 : p) + " " + op(e.op) + " " + at(*e.kids[1], p + 1);
      }
      case ExprKind::In:
        return at(*e.kids[0], 56) + " " +
               (e.negated ? (zh() ? "∉" : "not in") : (zh() ? "∈" : "in")) + " " + at(*e.kids[1], 56);
      case ExprKind::If:
        return kw(Keyword::If) + " " + print(*e.kids[0]) + " " + kw(Keyword::Then) + " " + print(*e.kids[1]) + " " +
               kw(Keyword::Else) + " " + at(*e.kids[2], 20);
      case ExprKind::Aggregate: {
        static const Keyword kKinds[] = {Keyword::Sum, Keyword::Exists, Keyword::All, Keyword::Max, Keyword::Min};
        std::string out = kw(kKinds[static_cast<int>(e.agg)]) + " " + e.name.text + " " + kw(Keyword::In) + " " +
                          at(*e.kids[0], 11);
        if (e.has_filter) out += " " + kw(Keyword::When) + " " + at(*e.kids[2], 11);
        return out + " : " + print(*e.kids[1]);
      }
      case ExprKind::CountWhere: {
        std::string out = kw(Keyword::Count) + " " + e.name.text + " " + kw(Keyword::In) + " " + at(*e.kids[0], 11);
        if (e.has_filter) out += " " + kw(Keyword::When) + " " + print(*e.kids[1]);
        return out;
      }
      case ExprKind::CountList: return kw(Keyword::Count) + "(" + print(*e.kids[0]) + ")";
      case ExprKind::LastYear: return kw(Keyword::LastYear) + " " + e.name.text;
      case ExprKind::AsOf: return e.name.text + " " + kw(Keyword::AsOf) + " " + at(*e.kids[0], 95);
      case ExprKind::Set: return "{" + list(e.kids) + "}";
      case ExprKind::List: return "[" + list(e.kids) + "]";
      case ExprKind::Record: {
        std::string out = "{";
        for (size_t i = 0; i < e.keys.size(); ++i)
          out += (i ? ", " : "") + e.keys[i].text + ": " + print(*e.kids[i]);
        return out + "}";
      }
    }
    return "?";
  }

 private:
  Dialect d_;
};

void flatten(const Expr& e, std::vector<const Expr*>& operands, std::vector<BinOp>& ops, bool additive) {
  const bool same = e.kind == ExprKind::Binary &&
                    (additive ? (e.op == BinOp::Add || e.op == BinOp::Sub) : false);
  if (same) {
    flatten(*e.kids[0], operands, ops, additive);
    ops.push_back(e.op);
    operands.push_back(e.kids[1].get());
    return;
  }
  operands.push_back(&e);
}

void flatten_logic(const Expr& e, BinOp op, std::vector<const Expr*>& operands) {
  if (e.kind == ExprKind::Binary && e.op == op) {
    flatten_logic(*e.kids[0], op, operands);
    operands.push_back(e.kids[1].get());
    return;
  }
  operands.push_back(&e);
}

}  // namespace

std::vector<std::string> format_expr_lines(const ast::Expr& e, Dialect to, int width) {
  ExprPrinter p(to);
  std::string flat = p.print(e);
  if (display_width(flat) <= width || e.kind != ExprKind::Binary) return {flat};
  std::vector<const Expr*> operands;
  std::vector<std::string> ops;
  const int prec = precedence(e);
  if (e.op == BinOp::Add || e.op == BinOp::Sub) {
    std::vector<BinOp> bops;
    flatten(e, operands, bops, true);
    for (auto o : bops) ops.push_back(p.op(o));
  } else if (e.op == BinOp::And || e.op == BinOp::Or) {
    flatten_logic(e, e.op, operands);
    ops.assign(operands.size() - 1, p.op(e.op));
  } else {
    return {flat};
  }
  std::vector<std::string> lines{p.at(*operands[0], prec)};
  for (size_t i = 1; i < operands.size(); ++i) {
    std::string piece = "  " + ops[i - 1] + " " + p.at(*operands[i], prec + 1);
    // Pack short operands onto one line while it fits.
    if (display_width(lines.back() + " " + piece.substr(2)) <= width)
      lines.back() += " " + piece.substr(2);
    else
      lines.push_back(piece);
  }
  return lines;
}

std::string format_expr(const ast::Expr& e, Dialect to) {
  ExprPrinter p(to);
  return p.print(e);
}

}  // namespace doudi
