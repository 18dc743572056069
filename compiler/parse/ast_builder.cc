#include "compiler/parse/ast_builder.h"

#include "compiler/parse/literal_forms.h"
#include "runtime/source/date_spellings.h"
#include "runtime/value/calendar.h"

namespace doudi::parse_detail {
namespace {

using P = doudi_gen::DoudiParser;
using namespace ast;

class Builder {
 public:
  Builder(const std::vector<uint32_t>& cp, FileId file, DiagSink& diags) : cp_(cp), file_(file), diags_(diags) {}

  Span span(antlr4::ParserRuleContext* ctx) const {
    return span_between(ctx->getStart(), ctx->getStop());
  }
  Span span(antlr4::tree::TerminalNode* node) const { return span_between(node->getSymbol(), node->getSymbol()); }
  Span span(antlr4::Token* t) const { return span_between(t, t); }

  Span span_between(antlr4::Token* a, antlr4::Token* b) const {
    if (a == nullptr) return Span{file_, 0, 0};
    if (b == nullptr || b->getStopIndex() + 1 < a->getStartIndex()) b = a;
    const size_t s = std::min<size_t>(a->getStartIndex(), cp_.size() - 1);
    const size_t e = std::min<size_t>(b->getStopIndex() + 1, cp_.size() - 1);
    return Span{file_, cp_[s], cp_[e]};
  }

  Name name(antlr4::tree::TerminalNode* node) const {
    if (node == nullptr) return {};
    return Name{node->getText(), span(node)};
  }

  Name qualified(P::QualifiedNameContext* ctx) const {
    std::string joined;
    for (auto* id : ctx->IDENT()) {
      if (!joined.empty()) joined += '.';
      joined += id->getText();
    }
    return Name{joined, span(ctx)};
  }

  static std::string unquote(const std::string& raw) {
    // "..." with backslash escapes, or “...”.
    if (raw.rfind("“", 0) == 0) return raw.substr(3, raw.size() - 6);
    std::string out;
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 2 < raw.size()) {
        ++i;
        out += raw[i] == 'n' ? '\n' : raw[i] == 't' ? '\t' : raw[i];
      } else {
        out += raw[i];
      }
    }
    return out;
  }

  Annotations annotations(P::AnnotationsContext* ctx) const {
    Annotations out;
    if (ctx == nullptr) return out;
    for (auto* a : ctx->annotation()) {
      if (auto* c = a->CITATION()) {
        std::string t = c->getText();
        // 【…】 brackets are 3 bytes each in UTF-8, [ ] one.
        t = t.rfind("【", 0) == 0 ? t.substr(3, t.size() - 6) : t.substr(1, t.size() - 2);
        out.citations.push_back({t, span(c)});
      } else if (auto* s = a->STRING()) {
        if (a->KW_PROVISION() != nullptr) out.provisions.push_back({unquote(s->getText()), span(s)});
        else out.notes.push_back({unquote(s->getText()), span(s)});
      }
    }
    return out;
  }

  // A date or year-month token's value; E0008 (quoting it as written, with
  // the part that is wrong) when it is not a real one.
  std::optional<int64_t> date(antlr4::tree::TerminalNode* node) {
    const std::string canonical = canonical_literal(node->getText());
    auto d = canonical.size() == 7 ? parse_year_month(canonical) : parse_date(canonical);
    if (!d) diags_.report(DiagCode::E0008, span(node), {node->getText(), why_not_a_date(canonical)});
    return d;
  }

  Validity validity(P::ValidityContext* ctx) {
    Validity v;
    if (ctx == nullptr) return v;
    auto dates = ctx->DATE();
    size_t i = 0;
    if (ctx->KW_FROM() != nullptr && i < dates.size()) {
      v.from = date(dates[i]);
      v.from_span = span(dates[i]);
      ++i;
    }
    if (ctx->KW_UNTIL() != nullptr && i < dates.size()) {
      v.until = date(dates[i]);
      v.until_span = span(dates[i]);
    }
    return v;
  }

  TypeRef type_ref(P::TypeRefContext* ctx) {
    TypeRef t;
    t.span = span(ctx);
    t.optional = ctx->QUESTION() != nullptr;
    auto* base = ctx->baseType();
    if (auto* l = dynamic_cast<P::ListTypeContext*>(base)) {
      t.kind = TypeRef::Kind::List;
      t.elem = std::make_unique<TypeRef>(type_ref(l->typeRef()));
    } else if (auto* m = dynamic_cast<P::MoneyTypeContext*>(base)) {
      t.kind = TypeRef::Kind::Money;
      t.unit = m->YUAN_M() ? Unit::YuanPerMonth : m->YUAN_Y() ? Unit::YuanPerYear : Unit::Yuan;
    } else if (dynamic_cast<P::MonthsTypeContext*>(base)) {
      t.kind = TypeRef::Kind::Months;
    } else if (dynamic_cast<P::DaysTypeContext*>(base)) {
      t.kind = TypeRef::Kind::Days;
    } else if (auto* n = dynamic_cast<P::NamedTypeContext*>(base)) {
      t.kind = TypeRef::Kind::Named;
      t.name = name(n->IDENT());
    }
    return t;
  }

  std::vector<Parameter> params(P::ParamsContext* ctx) {
    std::vector<Parameter> out;
    if (ctx == nullptr) return out;
    for (auto* p : ctx->param()) out.push_back(Parameter{type_ref(p->typeRef()), name(p->IDENT())});
    return out;
  }

  ExprPtr make(ExprKind kind, antlr4::ParserRuleContext* ctx) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->span = span(ctx);
    return e;
  }

  static Unit unit_of(P::UnitContext* u) {
    if (u == nullptr) return Unit::None;
    if (u->YUAN()) return Unit::Yuan;
    if (u->YUAN_M()) return Unit::YuanPerMonth;
    if (u->YUAN_Y()) return Unit::YuanPerYear;
    if (u->U_MONTHS()) return Unit::Months;
    return Unit::Days;
  }

  ExprPtr primary(P::PrimaryContext* ctx) {
    if (auto* c = dynamic_cast<P::NumberLitContext*>(ctx)) {
      auto e = make(ExprKind::Number, ctx);
      e->text = canonical_literal(c->NUMBER()->getText());
      e->unit = unit_of(c->unit());
      return e;
    }
    if (auto* c = dynamic_cast<P::PercentLitContext*>(ctx)) {
      auto e = make(ExprKind::Percent, ctx);
      const std::string t = canonical_literal(c->PERCENT()->getText());
      e->text = t.substr(0, t.size() - 1);  // without the `%`
      return e;
    }
    if (auto* c = dynamic_cast<P::DateLitContext*>(ctx)) {
      auto e = make(ExprKind::Date, ctx);
      e->text = canonical_literal(c->DATE()->getText());
      date(c->DATE());
      return e;
    }
    if (auto* c = dynamic_cast<P::YearMonthLitContext*>(ctx)) {
      auto e = make(ExprKind::YearMonth, ctx);
      e->text = canonical_literal(c->YEARMONTH()->getText());
      date(c->YEARMONTH());
      return e;
    }
    if (auto* c = dynamic_cast<P::StringLitContext*>(ctx)) {
      auto e = make(ExprKind::String, ctx);
      e->text = unquote(c->STRING()->getText());
      return e;
    }
    if (auto* c = dynamic_cast<P::BoolLitContext*>(ctx)) {
      auto e = make(ExprKind::Bool, ctx);
      e->text = c->KW_TRUE() ? "true" : "false";
      return e;
    }
    if (auto* c = dynamic_cast<P::CountExprContext*>(ctx)) {
      auto e = make(ExprKind::CountList, ctx);
      e->kids.push_back(expr(c->expr()));
      return e;
    }
    if (auto* c = dynamic_cast<P::LastYearExprContext*>(ctx)) {
      auto e = make(ExprKind::LastYear, ctx);
      e->name = name(c->IDENT());
      return e;
    }
    if (auto* c = dynamic_cast<P::CallExprContext*>(ctx)) {
      auto e = make(ExprKind::Call, ctx);
      e->name = name(c->IDENT());
      for (auto* a : c->expr()) e->kids.push_back(expr(a));
      return e;
    }
    if (auto* c = dynamic_cast<P::NameExprContext*>(ctx)) {
      auto e = make(ExprKind::Name, ctx);
      e->name = name(c->IDENT());
      return e;
    }
    if (auto* c = dynamic_cast<P::ParenExprContext*>(ctx)) {
      auto inner = expr(c->expr());
      inner->span = span(ctx);  // keep the parentheses in the span for carets
      inner->parens = true;
      return inner;
    }
    if (dynamic_cast<P::EmptyBracesContext*>(ctx)) return make(ExprKind::Record, ctx);
    if (auto* c = dynamic_cast<P::RecordLitContext*>(ctx)) {
      auto e = make(ExprKind::Record, ctx);
      auto ids = c->IDENT();
      auto vals = c->expr();
      for (size_t i = 0; i < ids.size() && i < vals.size(); ++i) {
        e->keys.push_back(name(ids[i]));
        e->kids.push_back(expr(vals[i]));
      }
      return e;
    }
    if (auto* c = dynamic_cast<P::SetLitContext*>(ctx)) {
      auto e = make(ExprKind::Set, ctx);
      for (auto* a : c->expr()) e->kids.push_back(expr(a));
      return e;
    }
    if (auto* c = dynamic_cast<P::ListLitContext*>(ctx)) {
      auto e = make(ExprKind::List, ctx);
      for (auto* a : c->expr()) e->kids.push_back(expr(a));
      return e;
    }
    return make(ExprKind::Bool, ctx);  // unreachable for a parse without errors
  }

  ExprPtr binary(antlr4::ParserRuleContext* ctx, BinOp op, P::ExprContext* l, P::ExprContext* r) {
    auto e = make(ExprKind::Binary, ctx);
    e->op = op;
    e->kids.push_back(expr(l));
    e->kids.push_back(expr(r));
    return e;
  }

  // Later passes recurse over expressions; past this depth the item is
  // rejected (E0010) instead of risking the stack.
  static constexpr int kMaxDepth = 400;

  ExprPtr expr(P::ExprContext* ctx) {
    struct DepthGuard {
      int& d;
      explicit DepthGuard(int& x) : d(++x) {}
      ~DepthGuard() { --d; }
    } guard(depth_);
    if (depth_ > kMaxDepth) {
      if (!too_deep_) diags_.report(DiagCode::E0010, span(ctx));
      too_deep_ = true;
      return make(ExprKind::Bool, ctx);
    }
    return expr_inner(ctx);
  }

  ExprPtr expr_inner(P::ExprContext* ctx) {
    using T = doudi_gen::DoudiParser;
    if (auto* c = dynamic_cast<P::PrimaryExprContext*>(ctx)) return primary(c->primary());
    if (auto* c = dynamic_cast<P::FieldExprContext*>(ctx)) {
      auto e = make(ExprKind::Field, ctx);
      e->kids.push_back(expr(c->expr()));
      e->name = name(c->IDENT());
      return e;
    }
    if (auto* c = dynamic_cast<P::AsOfExprContext*>(ctx)) {
      auto e = make(ExprKind::AsOf, ctx);
      e->name = name(c->IDENT());
      e->kids.push_back(expr(c->expr()));
      return e;
    }
    if (auto* c = dynamic_cast<P::NegExprContext*>(ctx)) {
      auto e = make(ExprKind::Neg, ctx);
      e->kids.push_back(expr(c->expr()));
      return e;
    }
    if (auto* c = dynamic_cast<P::NotExprContext*>(ctx)) {
      auto e = make(ExprKind::Not, ctx);
      e->kids.push_back(expr(c->expr()));
      return e;
    }
    if (auto* c = dynamic_cast<P::MulExprContext*>(ctx))
      return binary(ctx, c->op->getType() == T::TIMES ? BinOp::Mul : BinOp::Div, c->expr(0), c->expr(1));
    if (auto* c = dynamic_cast<P::AddExprContext*>(ctx))
      return binary(ctx, c->op->getType() == T::PLUS ? BinOp::Add : BinOp::Sub, c->expr(0), c->expr(1));
    if (auto* c = dynamic_cast<P::OrElseExprContext*>(ctx)) return binary(ctx, BinOp::OrElse, c->expr(0), c->expr(1));
    if (auto* c = dynamic_cast<P::CmpExprContext*>(ctx)) {
      BinOp op = BinOp::Eq;
      switch (c->op->getType()) {
        case T::LT: op = BinOp::Lt; break;
        case T::LE: op = BinOp::Le; break;
        case T::GT: op = BinOp::Gt; break;
        case T::GE: op = BinOp::Ge; break;
        case T::NE: op = BinOp::Ne; break;
        default: op = BinOp::Eq; break;
      }
      return binary(ctx, op, c->expr(0), c->expr(1));
    }
    if (auto* c = dynamic_cast<P::InExprContext*>(ctx)) {
      auto e = make(ExprKind::In, ctx);
      e->negated = c->KW_NOTIN() != nullptr || c->KW_NOT() != nullptr;
      e->kids.push_back(expr(c->expr(0)));
      e->kids.push_back(expr(c->expr(1)));
      return e;
    }
    if (auto* c = dynamic_cast<P::AndExprContext*>(ctx)) return binary(ctx, BinOp::And, c->expr(0), c->expr(1));
    if (auto* c = dynamic_cast<P::OrExprContext*>(ctx)) return binary(ctx, BinOp::Or, c->expr(0), c->expr(1));
    if (auto* c = dynamic_cast<P::IfExprContext*>(ctx)) {
      auto e = make(ExprKind::If, ctx);
      for (auto* k : c->expr()) e->kids.push_back(expr(k));
      return e;
    }
    if (auto* c = dynamic_cast<P::AggregateExprContext*>(ctx)) {
      auto e = make(ExprKind::Aggregate, ctx);
      switch (c->kind->getType()) {
        case T::KW_SUM: e->agg = AggKind::Sum; break;
        case T::KW_EXISTS: e->agg = AggKind::Exists; break;
        case T::KW_ALL: e->agg = AggKind::All; break;
        case T::KW_MAX: e->agg = AggKind::Max; break;
        default: e->agg = AggKind::Min; break;
      }
      e->name = name(c->IDENT());
      auto ks = c->expr();
      e->has_filter = c->KW_WHEN() != nullptr;
      // kids: list, body, filter
      e->kids.push_back(expr(ks[0]));
      e->kids.push_back(expr(ks.back()));
      if (e->has_filter) e->kids.push_back(expr(ks[1]));
      return e;
    }
    if (auto* c = dynamic_cast<P::CountWhereExprContext*>(ctx)) {
      auto e = make(ExprKind::CountWhere, ctx);
      e->name = name(c->IDENT());
      auto ks = c->expr();
      e->kids.push_back(expr(ks[0]));
      e->has_filter = c->KW_WHEN() != nullptr;
      if (e->has_filter) e->kids.push_back(expr(ks[1]));
      return e;
    }
    return make(ExprKind::Bool, ctx);
  }

  ValueSetting value_setting(antlr4::ParserRuleContext* ctx, Name param, P::ExprContext* e,
                             P::ValidityContext* v, P::AnnotationsContext* a) {
    ValueSetting s;
    s.param = std::move(param);
    s.value = expr(e);
    s.validity = validity(v);
    s.annos = annotations(a);
    s.span = span(ctx);
    return s;
  }

  Item item(P::ItemContext* ctx) {
    if (auto* c = ctx->moduleDecl()) return ModuleDecl{qualified(c->qualifiedName())};
    if (auto* c = ctx->importDecl()) return ImportDecl{qualified(c->qualifiedName())};
    if (auto* c = ctx->enumDecl()) {
      EnumDecl d{name(c->IDENT()), annotations(c->annotations()), {}};
      for (auto* v : c->enumValue()) d.values.push_back({name(v->IDENT()), annotations(v->annotations())});
      return d;
    }
    if (auto* c = ctx->structDecl()) {
      StructDecl d{name(c->IDENT()), annotations(c->annotations()), {}};
      for (auto* f : c->fieldDecl()) {
        FieldDecl fd;
        fd.name = name(f->IDENT());
        fd.type = type_ref(f->typeRef());
        fd.sensitive = f->KW_SENSITIVE() != nullptr;
        fd.signed_ = f->KW_SIGNED() != nullptr;
        if (f->expr() != nullptr) fd.default_value = expr(f->expr());
        fd.annos = annotations(f->annotations());
        fd.span = span(f);
        d.fields.push_back(std::move(fd));
      }
      return d;
    }
    if (auto* c = ctx->inputDecl()) return InputDecl{name(c->IDENT()), type_ref(c->typeRef()), annotations(c->annotations())};
    if (auto* c = ctx->paramDecl()) {
      ParamDecl d;
      d.name = name(c->IDENT());
      d.type = type_ref(c->typeRef());
      d.annos = annotations(c->annotations());
      if (c->expr() != nullptr) {
        d.value = value_setting(c, d.name, c->expr(), c->validity(), nullptr);
        d.value->annos = d.annos;  // the declaration's citation is the value's citation
      }
      return d;
    }
    if (auto* c = ctx->jurisdictionDecl()) {
      JurisdictionDecl d;
      auto ids = c->IDENT();
      d.name = name(ids[0]);
      if (ids.size() > 1) d.parent = name(ids[1]);
      d.test_only = c->KW_TEST_ONLY() != nullptr;
      d.annos = annotations(c->annotations());
      for (auto* item : c->jurisdictionItem()) {
        if (auto* v = item->paramValue()) {
          d.values.push_back(value_setting(v, name(v->IDENT()), v->expr(), v->validity(), v->annotations()));
          continue;
        }
        auto* le = item->localException();
        auto words = le->IDENT();
        // IDENT order: the target, its parameters' names (inside the
        // parentheses), the label, the labels it overrides.
        LocalException x;
        x.target = name(words[0]);
        size_t k = 1;
        if (le->LPAREN() != nullptr)
          for (; k < words.size() && words[k]->getSymbol()->getTokenIndex() < le->RPAREN()->getSymbol()->getTokenIndex(); ++k)
            x.params.push_back(name(words[k]));
        x.branch.span = span(le);
        x.branch.label = name(words[k++]);
        for (; k < words.size(); ++k) x.branch.overrides.push_back(name(words[k]));
        x.branch.condition = expr(le->expr(0));
        x.branch.value = expr(le->expr(1));
        x.branch.annos = annotations(le->annotations());
        d.exceptions.push_back(std::move(x));
      }
      return d;
    }
    if (auto* c = ctx->constraintDecl()) {
      ConstraintDecl d;
      if (c->STRING() != nullptr) d.label = Name{unquote(c->STRING()->getText()), span(c->STRING())};
      if (c->IDENT() != nullptr) d.jurisdiction = name(c->IDENT());
      d.expr = expr(c->expr());
      d.validity = validity(c->validity());
      d.annos = annotations(c->annotations());
      return d;
    }
    if (auto* c = ctx->definitionDecl()) {
      DefinitionDecl d;
      d.name = name(c->IDENT());
      d.params = params(c->params());
      d.type = type_ref(c->typeRef());
      d.body = expr(c->expr());
      d.annos = annotations(c->annotations());
      return d;
    }
    if (auto* c = ctx->ruleDecl()) {
      RuleDecl d;
      d.name = name(c->IDENT());
      d.params = params(c->params());
      d.type = type_ref(c->typeRef());
      d.annos = annotations(c->annotations());
      for (auto* b : c->ruleBranch()) {
        Branch br;
        br.span = span(b);
        if (auto* db = dynamic_cast<P::DefaultBranchContext*>(b)) {
          br.is_default = true;
          br.value = expr(db->expr());
          br.annos = annotations(db->annotations());
        } else if (auto* eb = dynamic_cast<P::ExceptionBranchContext*>(b)) {
          auto ids = eb->IDENT();
          br.label = name(ids[0]);
          for (size_t i = 1; i < ids.size(); ++i) br.overrides.push_back(name(ids[i]));
          br.condition = expr(eb->expr(0));
          br.value = expr(eb->expr(1));
          br.annos = annotations(eb->annotations());
        }
        d.branches.push_back(std::move(br));
      }
      return d;
    }
    if (auto* c = ctx->flagDecl()) {
      FlagDecl d;
      d.name = name(c->IDENT());
      d.condition = expr(c->expr());
      d.message = Name{unquote(c->STRING()->getText()), span(c->STRING())};
      d.annos = annotations(c->annotations());
      return d;
    }
    auto* c = ctx->testDecl();
    TestDecl d;
    d.name = Name{unquote(c->STRING()->getText()), span(c->STRING())};
    d.jurisdiction = name(c->IDENT());
    d.month_span = span(c->YEARMONTH());
    if (auto ym = date(c->YEARMONTH())) d.month = *ym;
    for (auto* s : c->testStmt()) {
      TestStmt st;
      st.span = span(s);
      if (auto* p = dynamic_cast<P::TestParamContext*>(s)) {
        st.kind = TestStmt::Kind::SetParam;
        st.name = name(p->IDENT());
        st.value = expr(p->expr());
      } else if (auto* in = dynamic_cast<P::TestInputContext*>(s)) {
        st.kind = TestStmt::Kind::SetInput;
        st.name = name(in->IDENT());
        st.value = expr(in->expr());
      } else if (auto* ex = dynamic_cast<P::TestExpectContext*>(s)) {
        st.kind = TestStmt::Kind::Expect;
        st.name = name(ex->IDENT());
        st.value = expr(ex->expr());
      } else if (auto* ec = dynamic_cast<P::TestExpectConstraintContext*>(s)) {
        st.kind = TestStmt::Kind::ExpectConstraint;
        st.name = Name{unquote(ec->STRING()->getText()), span(ec->STRING())};
        st.negated = ec->KW_NOT() != nullptr;
      } else if (auto* fl = dynamic_cast<P::TestExpectFlagContext*>(s)) {
        st.kind = TestStmt::Kind::ExpectFlag;
        st.name = name(fl->IDENT());
        st.negated = fl->KW_NOT() != nullptr;
      }
      d.stmts.push_back(std::move(st));
    }
    return d;
  }

 private:
  const std::vector<uint32_t>& cp_;
  FileId file_;
  DiagSink& diags_;
  int depth_ = 0;
  bool too_deep_ = false;
};

}  // namespace

ast::ItemNode build_item(P::ItemContext* ctx, const std::string& text, const std::vector<uint32_t>& cp, FileId file,
                         DiagSink& diags) {
  Builder b(cp, file, diags);
  return ItemNode{b.item(ctx), b.span(ctx)};
}

void finish_file(ast::File& f, DiagSink& diags) {
  for (const auto& node : f.items) {
    if (const auto* m = std::get_if<ModuleDecl>(&node.item)) {
      if (f.module.text.empty()) {
        f.module = m->name;
      } else {
        auto& d = diags.report(DiagCode::E0102, m->name.span, {m->name.text});
        d.notes.push_back(make_note(DiagCode::N0401, f.module.span));
      }
    } else if (const auto* im = std::get_if<ImportDecl>(&node.item)) {
      f.imports.push_back(im->name);
    }
  }
  if (f.module.text.empty()) diags.report(DiagCode::E0012, Span{f.file, 0, 0});
}

}  // namespace doudi::parse_detail
