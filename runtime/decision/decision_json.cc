#include "runtime/decision/decision_json.h"

#include "runtime/bundle/json_text.h"
#include "runtime/value/calendar.h"

namespace doudi {

namespace {

// The outputs as {"name": value, ...}, or with `named` false as [value, ...].
void append_outputs(std::string& out, const ir::Module& m, const Decision& d, bool spaced, bool named,
                    const std::function<std::string(std::string)>& mask) {
  if (d.error) {
    out += "null";
    return;
  }
  const char* comma = spaced ? ", " : ",";
  const char* colon = spaced ? ": " : ":";
  out += named ? '{' : '[';
  for (size_t i = 0; i < m.outputs.size(); ++i) {
    const TypeId t = m.functions[m.outputs[i].function].result;
    const Type& ty = m.types.get(t);
    const bool text = ty.kind == TypeKind::Text || (ty.kind == TypeKind::Optional && m.types.get(ty.elem).kind == TypeKind::Text);
    if (i) out += comma;
    if (named) {
      append_json_quoted(out, m.outputs[i].name);
      out += colon;
    }
    if (mask && text && !d.outputs[i].is_absent()) append_json_quoted(out, mask(std::string(d.outputs[i].text())));
    else append_value_json(out, m, d.outputs[i], t);
  }
  out += named ? '}' : ']';
}

std::string outputs_text(const ir::Module& m, const Decision& d, bool spaced, bool named,
                         const std::function<std::string(std::string)>& mask) {
  std::string out;
  append_outputs(out, m, d, spaced, named, mask);
  return out;
}

}  // namespace

std::string outputs_json(const ir::Module& m, const Decision& d, bool spaced,
                         const std::function<std::string(std::string)>& mask) {
  return outputs_text(m, d, spaced, true, mask);
}

std::string output_values_json(const ir::Module& m, const Decision& d, const std::function<std::string(std::string)>& mask) {
  return outputs_text(m, d, false, false, mask);
}

void append_output_values_json(std::string& out, const ir::Module& m, const Decision& d,
                               const std::function<std::string(std::string)>& mask) {
  append_outputs(out, m, d, false, false, mask);
}

std::string output_names_json(const ir::Module& m) {
  std::string out = "[";
  for (size_t i = 0; i < m.outputs.size(); ++i) {
    if (i) out += ',';
    append_json_quoted(out, m.outputs[i].name);
  }
  return out + "]";
}

std::string flag_names_json(const ir::Module& m, const Decision& d) {
  std::string out;
  append_flag_names_json(out, m, d);
  return out;
}

void append_flag_names_json(std::string& out, const ir::Module& m, const Decision& d) {
  out += '[';
  if (!d.error)
    for (size_t i = 0; i < d.flags.size(); ++i) {
      if (i) out += ',';
      append_json_quoted(out, m.flags[d.flags[i]].name);
    }
  out += ']';
}

std::map<std::string, std::string> output_texts(const ir::Module& m, const Decision& d) {
  std::map<std::string, std::string> out;
  if (d.error) return out;
  for (size_t i = 0; i < m.outputs.size(); ++i)
    out[m.outputs[i].name] = value_to_json(m, d.outputs[i], m.functions[m.outputs[i].function].result);
  return out;
}

std::string error_json(const ir::Module& m, const Decision& d, Lang lang, bool spaced) {
  if (!d.error) return "null";
  return std::string(spaced ? "{\"code\": " : "{\"code\":") + json_quote(diag_info(d.error->code).code) +
         (spaced ? ", \"message\": " : ",\"message\":") + json_quote(describe_eval_error(m, *d.error, lang)) + "}";
}

std::string decision_json(const ir::Module& m, const std::string& jurisdiction, int64_t month, const Decision& d,
                          Lang lang) {
  std::string out = "{\"module\": " + json_quote(m.name) + ", \"jurisdiction\": " + json_quote(jurisdiction) +
                    ", \"month\": " + json_quote(format_year_month(month));
  if (d.error) return out + ", \"error\": " + error_json(m, d, lang, true) + "}";
  out += ", \"outputs\": " + outputs_json(m, d, true) + ", \"flags\": [";
  for (size_t i = 0; i < d.flags.size(); ++i) {
    const auto& fl = m.flags[d.flags[i]];
    out += (i ? ", " : "") + std::string("{\"name\": ") + json_quote(fl.name) + ", \"message\": " + json_quote(fl.message) + "}";
  }
  return out + "]}";
}

}  // namespace doudi
