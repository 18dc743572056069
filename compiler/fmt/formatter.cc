// Item layout. Each printed line remembers the source span it came from, so
// comments can be put back: before the line they preceded or at the end of
// the line they followed.
#include "compiler/fmt/formatter.h"

#include <fmt/format.h>

#include "runtime/source/utf8.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {

constexpr int kWidth = 100;

class Formatter {
 public:
  Formatter(const ast::File& f, const SourceManager& sm, Dialect d) : f_(f), sm_(sm), d_(d) {}

  std::string kw(Keyword k) const { return std::string(keyword_text(k, d_)); }
  std::string expr(const ast::Expr& e) const { return format_expr(e, d_); }

  std::string cite(const ast::Citation& c) const {
    return d_ == Dialect::Zh ? "【" + c.text + "】" : "[" + c.text + "]";
  }
  std::string annos(const ast::Annotations& a) const {
    std::string out = citations(a);
    for (const auto& n : note_lines(a)) out += (out.empty() ? "" : " ") + n;
    return out;
  }
  // Citations and the provision ids they support, on one line.
  std::string citations(const ast::Annotations& a) const {
    std::string out;
    for (const auto& c : a.citations) out += (out.empty() ? "" : " ") + cite(c);
    for (const auto& p : a.provisions) out += (out.empty() ? "" : " ") + kw(Keyword::Provision) + " \"" + p.text + "\"";
    return out;
  }
  std::vector<std::string> note_lines(const ast::Annotations& a) const {
    std::vector<std::string> out;
    for (const auto& n : a.notes) {
      std::string q = "\"";
      for (char ch : n.text) {
        if (ch == '"' || ch == '\\') q += '\\';
        q += ch;
      }
      out.push_back(kw(Keyword::Interp) + " " + q + "\"");
    }
    return out;
  }
  static std::string with(const std::string& s, const std::string& tail) {
    return tail.empty() ? s : s + " " + tail;
  }

  std::string type(const ast::TypeRef& t) const {
    std::string out;
    switch (t.kind) {
      case ast::TypeRef::Kind::Named: out = std::string(translate_builtin_name(t.name.text, d_)); break;
      case ast::TypeRef::Kind::List: out = kw(Keyword::List) + "<" + type(*t.elem) + ">"; break;
      case ast::TypeRef::Kind::Money:
        out = kw(t.unit == ast::Unit::YuanPerMonth  ? Keyword::YuanPerMonth
                 : t.unit == ast::Unit::YuanPerYear ? Keyword::YuanPerYear
                                                    : Keyword::Yuan);
        break;
      case ast::TypeRef::Kind::Months: out = d_ == Dialect::Zh ? "月" : "months"; break;
      case ast::TypeRef::Kind::Days: out = kw(Keyword::Days); break;
    }
    return t.optional ? out + "?" : out;
  }

  std::string validity(const ast::Validity& v) const {
    std::string out;
    if (v.from) out += " " + kw(Keyword::From) + " " + format_date(*v.from);
    if (v.until) out += " " + kw(Keyword::Until) + " " + format_date(*v.until);
    return out;
  }

  std::string params(const std::vector<ast::Parameter>& ps) const {
    if (ps.empty()) return "";
    std::string out = "(";
    for (size_t i = 0; i < ps.size(); ++i) out += (i ? ", " : "") + type(ps[i].type) + " " + ps[i].name.text;
    return out + ")";
  }

  // ---- output with comments ----
  // Keeps one blank line wherever the source had at least one.
  void blank_line_before(uint32_t offset) {
    const auto& text = sm_.file(f_.file).text();
    int newlines = 0;
    for (uint32_t i = last_end_; i < offset && i < text.size(); ++i) {
      if (text[i] == '\n') ++newlines;
      else if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r') newlines = 0;
    }
    if (newlines >= 2 && !out_.empty() && out_.back() == '\n' && out_.size() >= 2 && out_[out_.size() - 2] != '\n')
      out_ += "\n";
  }
  void flush_comments_before(uint32_t offset, int indent) {
    while (next_comment_ < f_.comments.size() && f_.comments[next_comment_].span.begin < offset) {
      const auto& c = f_.comments[next_comment_];
      blank_line_before(c.span.begin);
      emit_raw(indent, c.text);
      last_end_ = c.span.end;
      ++next_comment_;
    }
  }
  uint32_t line_of(uint32_t offset) const { return sm_.file(f_.file).line_col(offset).line; }

  // One line that came from `span`: comments before it go first; a comment
  // on the span's last source line goes at its end.
  void line(int indent, const std::string& text, Span span) {
    flush_comments_before(span.begin, indent);
    std::string out = text;
    const uint32_t end_line = line_of(span.end > span.begin ? span.end - 1 : span.begin);
    while (next_comment_ < f_.comments.size()) {
      const auto& c = f_.comments[next_comment_];
      if (c.span.begin < span.end || line_of(c.span.begin) != end_line) break;
      out += "  " + c.text;
      ++next_comment_;
    }
    // Comments inside the span (within an expression) move before the line.
    while (next_comment_ < f_.comments.size() && f_.comments[next_comment_].span.begin < span.end) {
      emit_raw(indent, f_.comments[next_comment_].text);
      ++next_comment_;
    }
    blank_line_before(span.begin);
    emit_raw(indent, out);
    last_end_ = std::max(last_end_, span.end);
  }
  void emit_raw(int indent, const std::string& text) {
    out_ += std::string(static_cast<size_t>(indent) * 2, ' ') + text + "\n";
  }
  static int width(const std::string& s) { return display_width(s); }

  // `head body annotations` on one line when it fits; otherwise the body
  // (broken at + 且 或 if still too long), the citations and each note on
  // lines of their own, indented below the head.
  void fitted(int indent, const std::string& head, const ast::Expr* body, const ast::Annotations& a, Span span,
              const std::string& body_text = "") {
    const std::string b = body ? expr(*body) : body_text;
    const std::string one = with(b.empty() ? head : head + " " + b, annos(a));
    if (width(one) + indent * 2 <= kWidth) {
      line(indent, one, span);
      return;
    }
    const std::string cites = citations(a);
    const std::string short_head = with(b.empty() ? head : head + " " + b, cites);
    if (b.empty() || width(short_head) + indent * 2 <= kWidth) {
      line(indent, b.empty() ? head : head + " " + b, Span{span.file, span.begin, span.begin + 1});
      if (!cites.empty() && width(short_head) + indent * 2 <= kWidth && !b.empty()) {
        out_.pop_back();
        out_ += " " + cites + "\n";
      } else if (!cites.empty()) {
        emit_raw(indent + 1, cites);
      }
    } else {
      line(indent, head, Span{span.file, span.begin, span.begin + 1});
      auto lines = body ? format_expr_lines(*body, d_, kWidth - (indent + 1) * 2) : std::vector<std::string>{b};
      if (!cites.empty() && width(lines.back() + " " + cites) + (indent + 1) * 2 <= kWidth && lines.size() == 1)
        lines.back() += " " + cites;
      else if (!cites.empty())
        lines.push_back(cites);
      for (const auto& l : lines) emit_raw(indent + 1, l);
    }
    for (const auto& n : note_lines(a)) emit_raw(indent + 1, n);
    flush_trailing(span);
    last_end_ = std::max(last_end_, span.end);
  }
  // Comments inside a multi-line item go after what was printed for it.
  void flush_trailing(Span span) {
    while (next_comment_ < f_.comments.size() && f_.comments[next_comment_].span.begin < span.end) {
      emit_raw(1, f_.comments[next_comment_].text);
      ++next_comment_;
    }
  }

  // ---- items ----
  void item(const ast::ItemNode& node) {
    const Span sp = node.span;
    std::visit(
        [&](const auto& it) {
          using T = std::decay_t<decltype(it)>;
          if constexpr (std::is_same_v<T, ast::ModuleDecl>) {
            line(0, kw(Keyword::Module) + " " + it.name.text, sp);
          } else if constexpr (std::is_same_v<T, ast::ImportDecl>) {
            line(0, kw(Keyword::Import) + " " + it.name.text, sp);
          } else if constexpr (std::is_same_v<T, ast::EnumDecl>) {
            bool simple = true;
            for (const auto& v : it.values) simple &= v.annos.citations.empty() && v.annos.notes.empty();
            std::string vals;
            for (size_t i = 0; i < it.values.size(); ++i) vals += (i ? ", " : "") + it.values[i].name.text;
            const std::string head = with(kw(Keyword::Enum) + " " + it.name.text, annos(it.annos));
            if (simple && width(head + vals) + 6 <= kWidth && !has_comment_inside(sp)) {
              line(0, head + " { " + vals + " }", sp);
            } else {
              line(0, head + " {", Span{sp.file, sp.begin, it.name.span.end});
              for (const auto& v : it.values) line(1, with(v.name.text, annos(v.annos)), v.name.span);
              line(0, "}", Span{sp.file, sp.end - 1, sp.end});
            }
          } else if constexpr (std::is_same_v<T, ast::StructDecl>) {
            line(0, with(kw(Keyword::Struct) + " " + it.name.text, annos(it.annos)) + " {",
                 Span{sp.file, sp.begin, it.name.span.end});
            for (const auto& fd : it.fields) {
              std::string s = fd.name.text + " : " + type(fd.type);
              if (fd.sensitive) s += " " + kw(Keyword::Sensitive);
              if (fd.signed_) s += " " + kw(Keyword::Signed);
              if (fd.default_value) s += " = " + expr(*fd.default_value);
              line(1, with(s, annos(fd.annos)), fd.span);
            }
            line(0, "}", Span{sp.file, sp.end - 1, sp.end});
          } else if constexpr (std::is_same_v<T, ast::InputDecl>) {
            line(0, with(kw(Keyword::Input) + " " + it.name.text + " : " + type(it.type), annos(it.annos)), sp);
          } else if constexpr (std::is_same_v<T, ast::ParamDecl>) {
            std::string s = kw(Keyword::Param) + " " + it.name.text + " : " + type(it.type);
            if (it.value) s += " = " + expr(*it.value->value) + validity(it.value->validity);
            fitted(0, s, nullptr, it.annos, sp);
          } else if constexpr (std::is_same_v<T, ast::JurisdictionDecl>) {
            std::string head = kw(Keyword::Juris) + " " + it.name.text;
            if (it.parent) head += " " + kw(Keyword::Parent) + " " + it.parent->text;
            if (it.test_only) head += " " + kw(Keyword::TestOnly);
            head = with(head, annos(it.annos));
            if (it.values.empty() && it.exceptions.empty() && !has_comment_inside(sp)) {
              line(0, head + " {}", sp);
            } else {
              line(0, head + " {", Span{sp.file, sp.begin, it.name.span.end});
              // Values and local exceptions in the order written.
              size_t vi = 0, ei = 0;
              while (vi < it.values.size() || ei < it.exceptions.size()) {
                if (ei == it.exceptions.size() ||
                    (vi < it.values.size() && it.values[vi].span.begin < it.exceptions[ei].branch.span.begin)) {
                  const auto& v = it.values[vi++];
                  fitted(1, v.param.text + " = " + expr(*v.value) + validity(v.validity), nullptr, v.annos, v.span);
                  continue;
                }
                const auto& x = it.exceptions[ei++];
                std::string target = x.target.text;
                if (!x.params.empty()) {
                  target += "(";
                  for (size_t i = 0; i < x.params.size(); ++i) target += (i ? ", " : "") + x.params[i].text;
                  target += ")";
                }
                fitted(1, exception_head(x.branch, target), x.branch.value.get(), x.branch.annos, x.branch.span);
              }
              line(0, "}", Span{sp.file, sp.end - 1, sp.end});
            }
          } else if constexpr (std::is_same_v<T, ast::ConstraintDecl>) {
            std::string head = kw(Keyword::Constraint);
            if (it.label) head += " \"" + it.label->text + "\"";
            if (it.jurisdiction) head += " " + kw(Keyword::Juris) + " " + it.jurisdiction->text;
            fitted(0, head, nullptr, it.annos, sp, expr(*it.expr) + validity(it.validity));
          } else if constexpr (std::is_same_v<T, ast::DefinitionDecl>) {
            fitted(0, kw(Keyword::Def) + " " + it.name.text + params(it.params) + " : " + type(it.type) + " =",
                   it.body.get(), it.annos, sp);
          } else if constexpr (std::is_same_v<T, ast::RuleDecl>) {
            line(0,
                 with(kw(Keyword::Rule) + " " + it.name.text + params(it.params) + " : " + type(it.type),
                      annos(it.annos)),
                 Span{sp.file, sp.begin, it.type.span.end});
            for (const auto& b : it.branches) {
              if (b.is_default) {
                fitted(1, kw(Keyword::Default) + " =", b.value.get(), b.annos, b.span);
                continue;
              }
              fitted(1, exception_head(b, ""), b.value.get(), b.annos, b.span);
            }
          } else if constexpr (std::is_same_v<T, ast::FlagDecl>) {
            std::string q = "\"" + it.message.text + "\"";
            fitted(0, kw(Keyword::Flag) + " " + it.name.text + " " + kw(Keyword::When) + " " + expr(*it.condition),
                   nullptr, it.annos, sp, q);
          } else if constexpr (std::is_same_v<T, ast::TestDecl>) {
            line(0,
                 kw(Keyword::Test) + " \"" + it.name.text + "\" " + kw(Keyword::Juris) + " " + it.jurisdiction.text +
                     " " + kw(Keyword::Month) + " " + format_year_month(it.month) + " {",
                 Span{sp.file, sp.begin, it.month_span.end});
            for (const auto& st : it.stmts) test_stmt(st);
            line(0, "}", Span{sp.file, sp.end - 1, sp.end});
          }
        },
        node.item);
  }

  // `例外 [目标(参数)] 标签 [优先于 …] 当 条件 则`; the target only for a
  // jurisdiction's local exception.
  std::string exception_head(const ast::Branch& b, const std::string& target) const {
    std::string head = kw(Keyword::Exception) + " " + (target.empty() ? "" : target + " ") + b.label.text;
    if (!b.overrides.empty()) {
      head += " " + kw(Keyword::Overrides) + " ";
      for (size_t i = 0; i < b.overrides.size(); ++i) head += (i ? ", " : "") + b.overrides[i].text;
    }
    return head + " " + kw(Keyword::When) + " " + expr(*b.condition) + " " + kw(Keyword::Then);
  }

  bool has_comment_inside(Span sp) const {
    for (size_t i = next_comment_; i < f_.comments.size(); ++i)
      if (f_.comments[i].span.begin > sp.begin && f_.comments[i].span.begin < sp.end) return true;
    return false;
  }

  // Record literals in tests break across lines when they do not fit.
  std::string value(const ast::Expr& e, int indent) const {
    const std::string flat = expr(e);
    if (width(flat) + indent * 2 <= kWidth) return flat;
    const std::string pad(static_cast<size_t>(indent + 1) * 2, ' ');
    const std::string close(static_cast<size_t>(indent) * 2, ' ');
    if (e.kind == ast::ExprKind::Record) {
      std::string out = "{\n";
      for (size_t i = 0; i < e.keys.size(); ++i)
        out += pad + e.keys[i].text + ": " + value(*e.kids[i], indent + 1) + (i + 1 < e.keys.size() ? ",\n" : "\n");
      return out + close + "}";
    }
    if (e.kind == ast::ExprKind::List) {
      std::string out = "[\n";
      for (size_t i = 0; i < e.kids.size(); ++i)
        out += pad + value(*e.kids[i], indent + 1) + (i + 1 < e.kids.size() ? ",\n" : "\n");
      return out + close + "]";
    }
    return flat;
  }

  void test_stmt(const ast::TestStmt& st) {
    switch (st.kind) {
      case ast::TestStmt::Kind::SetParam:
        line(1, kw(Keyword::Param) + " " + st.name.text + " = " + value(*st.value, 1), st.span);
        break;
      case ast::TestStmt::Kind::SetInput:
        line(1, st.name.text + " = " + value(*st.value, 1), st.span);
        break;
      case ast::TestStmt::Kind::Expect:
        line(1, kw(Keyword::Expect) + " " + st.name.text + " = " + value(*st.value, 1), st.span);
        break;
      case ast::TestStmt::Kind::ExpectConstraint:
        line(1, kw(Keyword::Expect) + " " + (st.negated ? kw(Keyword::Not) + " " : "") + kw(Keyword::Constraint) +
                    " \"" + st.name.text + "\"",
             st.span);
        break;
      case ast::TestStmt::Kind::ExpectFlag:
        line(1, kw(Keyword::Expect) + " " + (st.negated ? kw(Keyword::Not) + " " : "") + kw(Keyword::Flag) + " " + st.name.text,
             st.span);
        break;
    }
  }

  std::string run() {
    emit_raw(0, d_ == Dialect::Zh ? "语言 中文" : "language en");
    // The header is the first line that is neither blank nor a comment.
    const auto& text = sm_.file(f_.file).text();
    size_t pos = 0;
    while (pos < text.size()) {
      size_t eol = text.find('\n', pos);
      if (eol == std::string::npos) eol = text.size();
      size_t first = text.find_first_not_of(" \t\r", pos);
      const bool skip = first >= eol || text[first] == '#';
      pos = eol + 1;
      if (!skip) break;
    }
    last_end_ = static_cast<uint32_t>(std::min(pos, text.size()));
    for (const auto& node : f_.items) item(node);
    flush_comments_before(UINT32_MAX, 0);
    return out_;
  }

 private:
  const ast::File& f_;
  const SourceManager& sm_;
  Dialect d_;
  std::string out_;
  size_t next_comment_ = 0;
  uint32_t last_end_ = 0;
};

}  // namespace

std::string format_file(const ast::File& file, const SourceManager& sm, Dialect to) {
  Formatter f(file, sm, to);
  return f.run();
}

}  // namespace doudi
