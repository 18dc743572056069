#include "runtime/explain/notice.h"

#include <fmt/format.h>

#include <optional>
#include <sstream>

#include "runtime/explain/explain_formats.h"
#include "runtime/explain/summary.h"
#include "runtime/record/record_layout.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {

struct DeclaredText {
  std::string text;
  std::vector<std::string> citations;
};

// A text parameter in force in the jurisdiction on the day; none if the
// rules do not declare it or the jurisdiction has not set it.
std::optional<DeclaredText> declared_text(const ir::Module& m, const char* name, uint32_t j, int64_t day) {
  for (uint32_t p = 0; p < m.params.size(); ++p) {
    if (m.params[p].name != name || m.types.kind(m.types.unwrap(m.params[p].type)) != TypeKind::Text) continue;
    const uint32_t v = m.value_in_force(p, j, day);
    if (v == UINT32_MAX || m.params[p].values[v].value.is_absent()) return std::nullopt;
    return DeclaredText{m.params[p].values[v].value.text(), m.params[p].values[v].citations};
  }
  return std::nullopt;
}

class Notice {
 public:
  Notice(const ir::Module& m, const NoticeInput& in, Lang lang) : m_(m), in_(in), zh_(lang == Lang::Zh) {}

  std::string render() {
    const int64_t day = first_day_of(in_.month);
    const std::string place =
        in_.jurisdiction < m_.jurisdictions.size() ? m_.jurisdictions[in_.jurisdiction].name : "?";
    const auto office = declared_text(m_, kNoticeOfficeParam, in_.jurisdiction, day);
    const auto appeal = declared_text(m_, kNoticeAppealParam, in_.jurisdiction, day);
    out_ << "<!DOCTYPE html>\n<html lang=\"" << (zh_ ? "zh" : "en") << "\"><head><meta charset=\"utf-8\"><title>"
         << html_escape(pick("社会救助决定通知书", "Social assistance decision notice")) << "</title>\n<style>" << kStyle
         << "</style></head><body>\n";
    out_ << "<div class=\"office\">"
         << (office ? html_escape(office->text) : missing(kNoticeOfficeParam, pick("发文机关", "issuing office"))) << "</div>\n";
    out_ << "<h1>" << html_escape(pick("社会救助决定通知书", "Social assistance decision notice")) << "</h1>\n";
    out_ << "<table class=\"meta\">" << row(pick("辖区", "jurisdiction"), html_escape(place))
         << row(pick("评估月份", "month"), html_escape(format_year_month(in_.month)))
         << row(pick("决定编号", "decision id"),
                in_.decision_id.empty() ? unlogged() : "<code>" + html_escape(in_.decision_id) + "</code>")
         << row(pick("日志位置", "log position"),
                in_.decision_id.empty()
                    ? unlogged()
                    : html_escape(fmt::format(fmt::runtime(zh_ ? "第 {} 条" : "entry {}"), in_.log_seq)))
         << row(pick("规则包摘要", "rule bundle"), "<code class=\"digest\">" + html_escape(in_.bundle_digest) + "</code>")
         << "</table>\n";
    household();
    reasons();
    flags();
    out_ << "<h2>" << html_escape(pick("救济途径", "How to appeal")) << "</h2>\n<p>"
         << (appeal ? html_escape(appeal->text) + cites(appeal->citations)
                    : missing(kNoticeAppealParam, pick("救济途径", "appeal route")))
         << "</p>\n";
    out_ << "<p class=\"check\">"
         << html_escape(pick("核对：凭决定编号、日志位置与规则包摘要，可在决定日志中核对本通知书（doudi verify-log；doudi explain）。",
                             "To check this notice: the decision id, log position and rule-bundle digest identify it in the "
                             "decision log (doudi verify-log; doudi explain)."))
         << "</p>\n</body></html>\n";
    return out_.str();
  }

 private:
  static constexpr const char* kStyle =
      "@page{size:A4;margin:16mm 16mm}"
      "body{font-family:'Noto Sans CJK SC','Noto Sans',sans-serif;font-size:10pt;line-height:1.45;color:#111}"
      ".office{font-size:12pt;font-weight:bold;text-align:center}"
      "h1{font-size:15pt;text-align:center;margin:.3em 0 .6em}"
      "h2{font-size:11pt;border-bottom:1px solid #999;margin:1em 0 .4em}"
      "table{border-collapse:collapse;margin:.2em 0}td,th{border:1px solid #bbb;padding:1px 6px;vertical-align:top}"
      "th{background:#f1f1f1;font-weight:normal}"
      "table.meta td{border:none;padding:0 8px 0 0}code{font-size:9pt}code.digest{font-size:7.5pt}"
      ".r{margin:0;white-space:pre-wrap}.r.k{font-weight:bold}.cite{color:#444}"
      ".flag{color:#a40000;font-weight:bold}.missing{color:#a40000;border:1px dashed #a40000;padding:0 4px}"
      ".check{font-size:8.5pt;color:#555;margin-top:1.2em}";

  std::string pick(const char* zh, const char* en) const { return zh_ ? zh : en; }
  static std::string row(const std::string& k, const std::string& v) {
    return "<tr><td>" + html_escape(k) + "</td><td>" + v + "</td></tr>";
  }
  std::string cites(const std::vector<std::string>& c) const {
    std::string out;
    for (const auto& x : c) out += "<span class=\"cite\">" + html_escape(zh_ ? "【" + x + "】" : " [" + x + "]") + "</span>";
    return out;
  }
  // A decision not written to a decision log cannot be checked against one.
  std::string unlogged() const {
    return "<span class=\"missing\">" +
           html_escape(pick("未记入决定日志（运行时加 --log）", "not in a decision log (run with --log)")) + "</span>";
  }

  // What a jurisdiction has not declared, said on the notice itself.
  std::string missing(const char* param, const std::string& what) const {
    return "<span class=\"missing\">" +
           html_escape(zh_ ? fmt::format("本辖区尚未声明{}（在部署中设置参数 {}）", what, param)
                           : fmt::format("this jurisdiction has not declared its {} (set the parameter {} in its "
                                         "deployment)", what, param)) +
           "</span>";
  }

  // A field's value for the table: text as written, 敏感 masked.
  std::string cell(const ir::Field& f, Value v) const {
    if (v.is_absent()) return "";
    if (f.sensitive && !in_.show_sensitive) return html_escape(pick("＊＊＊（已隐去）", "*** (withheld)"));
    const TypeId t = m_.types.unwrap(f.type);
    if (m_.types.kind(t) == TypeKind::Text) return html_escape(v.text());
    return html_escape(m_.format_value(v, t, zh_));
  }
  // Fields the household filled in: present, and not at their default.
  static bool declared(const ir::Field& f, Value v) {
    if (v.is_absent()) return false;
    return !(f.default_value && *f.default_value == v);
  }

  Value field(Value s, uint32_t struct_index, size_t f) const {
    return record::field_value(m_, *in_.record, s, struct_index, f);
  }

  void household() {
    if (!in_.record || m_.types.kind(m_.input_type) != TypeKind::Struct) return;
    const uint32_t root = m_.types.get(m_.input_type).ref;
    const auto& st = m_.structs[root];
    out_ << "<h2>" << html_escape(pick("家庭情况（本决定所依据的记录）", "The household (the record this decision used)"))
         << "</h2>\n";
    std::string scalars;
    for (size_t f = 0; f < st.fields.size(); ++f) {
      const auto& field = st.fields[f];
      const Value v = this->field(in_.record->root, root, f);
      const Type& ft = m_.types.get(m_.types.unwrap(field.type));
      if (ft.kind == TypeKind::List && m_.types.kind(ft.elem) == TypeKind::Struct) {
        members(field.name, ft.elem, v);
      } else if (ft.kind != TypeKind::Struct && ft.kind != TypeKind::List && declared(field, v)) {
        scalars += row(field.name, cell(field, v));
      }
    }
    if (!scalars.empty()) out_ << "<table>" << scalars << "</table>\n";
  }

  void members(const std::string& name, TypeId elem, Value list) {
    if (list.is_absent() || list.b <= 0) return;
    const uint32_t person = m_.types.get(elem).ref;
    const ir::Struct& st = m_.structs[person];
    auto member = [&](int64_t i) { return record::list_item(m_.types, *in_.record, list, elem, i); };
    std::vector<size_t> columns;
    for (size_t f = 0; f < st.fields.size(); ++f) {
      const TypeKind k = m_.types.kind(m_.types.unwrap(st.fields[f].type));
      if (k == TypeKind::List || k == TypeKind::Struct) continue;
      for (int64_t i = 0; i < list.b; ++i)
        if (declared(st.fields[f], field(member(i), person, f))) {
          columns.push_back(f);
          break;
        }
    }
    out_ << "<table><tr><th>" << html_escape(name) << "</th>";
    for (size_t f : columns) out_ << "<th>" << html_escape(st.fields[f].name) << "</th>";
    out_ << "</tr>\n";
    for (int64_t i = 0; i < list.b; ++i) {
      const Value at = member(i);
      out_ << "<tr><td>#" << (i + 1) << "</td>";
      for (size_t f : columns) {
        const Value v = field(at, person, f);
        out_ << "<td>" << (declared(st.fields[f], v) ? cell(st.fields[f], v) : "") << "</td>";
      }
      out_ << "</tr>\n";
    }
    out_ << "</table>\n";
  }

  // The summary explanation: the determination (its 结论 block, outputs in
  // bold), then the reasons (its 理由 block).
  void reasons() {
    const SummaryResult s = explain_summary(m_, *in_.decision, *in_.trace, zh_ ? Lang::Zh : Lang::En, in_.record);
    std::istringstream lines(s.text);
    std::string line;
    int heading = 0;
    out_ << "<h2>" << html_escape(pick("决定", "Determination")) << "</h2>\n";
    while (std::getline(lines, line)) {
      if (line.empty()) continue;
      size_t indent = 0;
      while (indent < line.size() && line[indent] == ' ') ++indent;
      if (indent == 0) {
        if (++heading == 2)
          out_ << "<h2>" << html_escape(pick("理由与依据", "Reasons and the clauses they rest on")) << "</h2>\n";
        continue;
      }
      out_ << fmt::format("<p class=\"r{}\" style=\"margin-left:{}em\">{}</p>\n", heading < 2 ? " k" : "",
                          (indent / 2 - 1) * 1.2, marked(line.substr(indent)));
    }
  }

  // Citations in grey, review flags in red.
  std::string marked(const std::string& text) const {
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
      const size_t open = text.find("【", i);
      const size_t flag = text.find("⚑", i);
      const size_t next = std::min(open, flag);
      if (next == std::string::npos) {
        out += html_escape(text.substr(i));
        break;
      }
      out += html_escape(text.substr(i, next - i));
      if (next == flag) {
        out += "<span class=\"flag\">" + html_escape(text.substr(flag)) + "</span>";
        break;
      }
      const size_t close = text.find("】", open);
      const size_t end = close == std::string::npos ? text.size() : close + std::string("】").size();
      out += "<span class=\"cite\">" + html_escape(text.substr(open, end - open)) + "</span>";
      i = end;
    }
    return out;
  }

  void flags() {
    out_ << "<h2>" << html_escape(pick("待人工审核事项", "Pending manual review")) << "</h2>\n";
    if (in_.decision->flags.empty()) {
      out_ << "<p>" << html_escape(pick("无", "none")) << "</p>\n";
      return;
    }
    for (uint32_t fi : in_.decision->flags) {
      const auto& f = m_.flags[fi];
      out_ << "<p class=\"flag\">⚑ " << html_escape(f.name) << zh_sep() << html_escape(f.message) << cites(f.citations)
           << "</p>\n";
    }
  }
  std::string zh_sep() const { return zh_ ? "：" : ": "; }

  const ir::Module& m_;
  const NoticeInput& in_;
  bool zh_;
  std::ostringstream out_;
};

}  // namespace

std::string notice_html(const ir::Module& m, const NoticeInput& in, Lang lang) {
  if (!in.decision || !in.trace) return "";
  return Notice(m, in, lang).render();
}

}  // namespace doudi
