// The Doudi console: a page for policy officers, served by `doudi serve` at /
// and built into the program (no CDN, no build step). It only calls the
// service's /v1 API (docs/api.md): the household form is generated from the
// rule set's JSON Schema, decisions and explanations come from /v1/decide,
// the editor checks with /v1/check and never writes on the server.
"use strict";

const I18N = {
  zh: {
    "title": "兜底 · 决定控制台", "tab.decide": "决定", "tab.editor": "规则编辑", "tab.impact": "影响分析",
    "ruleset": "规则集", "jurisdiction": "辖区", "month": "月份", "outputs.choose": "要看的结果",
    "decide": "作出决定", "household.load": "载入家庭记录（JSON）", "household": "家庭记录",
    "folded": "其他字段（所选结果不读取）", "add": "添加", "remove": "删除", "unset": "（未填）",
    "yes": "是", "no": "否", "choose": "（请选择）", "sensitive": "敏感", "conclusion": "结论", "output": "结果", "value": "数值",
    "unit": "单位", "flags": "需人工审核的标记", "no.flags": "无", "error.result": "规则的计算结果是错误",
    "logged": "已记入决定日志：编号 {id}，第 {seq} 条", "not.logged": "本服务不记录决定（--no-log）",
    "notice": "决定通知书", "summary": "理由摘要", "full": "完整推理（逐步）", "rejected": "请求有误",
    "editor.open": "打开", "editor.scratch": "作为草稿副本编辑", "editor.check": "完整检查（含证明）",
    "editor.test": "运行测试", "editor.download": "下载",
    "editor.note": "编辑只在本页进行，服务器上的规则文件不会被改写；保存请用“下载”。",
    "checking": "检查中…", "check.ok": "没有问题", "check.count": "{errors} 个错误，{warnings} 个警告",
    "check.cancelled": "（证明超时，只列出已发现的问题）", "line.col": "第 {line} 行第 {column} 列",
    "tests": "测试：{passed} 通过，{failed} 失败", "not.compiles": "无法编译，测试未运行",
    "param.none": "将光标放在参数名上，可看到它在所选辖区、月份的现行值。",
    "param.value": "参数 {name} = {value}（{where}，{from}起{until}）",
    "param.nowhere": "参数 {name} 在此时此地没有现行值", "everywhere": "全国通用", "start": "开始",
    "until": "，至 {date}", "impact.base": "基准规则集", "impact.other": "比较规则集",
    "impact.file": "家庭记录（JSONL，每行一户）", "impact.run": "比较", "impact.need.file": "请先选择 JSONL 文件",
    "impact.summary": "{households} 户，其中 {changed} 户的决定改变，{rejected} 户的记录被拒收；合计只计两边都作出决定的 {compared} 户",
    "total.base": "基准合计", "total.other": "比较合计", "difference": "差额", "changed": "改变户数",
    "line": "行", "changes": "改变的决定（前 {n} 户）", "chart": "{name}：每户金额变化的分布",
    "rejections": "被拒收的记录", "no.rulesets": "没有可用的规则集",
    "questions": "改变什么，结果会不同", "questions.none": "这个规则集来自规则包，服务器没有它的源文件：无法回答“为什么不”与临界值。",
    "whynot": "为什么不", "whynot.output": "结果", "whynot.value": "想要的值", "whynot.any": "（留空：任何其他值）",
    "whynot.run": "求最小改动", "whynot.goal": "{name} = {value}", "whynot.other": "{name} 不为 {now}",
    "whynot.found": "要使 {goal}（现为 {now}），最小的改动：", "whynot.confirmed": "已按改动后的家庭重新计算确认：{name} = {after}",
    "whynot.smallest": "；在这些字段上，更小的改动都不行", "whynot.notsmallest": "；金额未证明为最小",
    "whynot.already": "{name} 已经是 {now}，无需改动",
    "whynot.impossible": "对家庭记录的任何改动都不能使 {goal}（求解器的证明：规则、辖区、月份不变，成员不增减）",
    "unknown": "无法回答：{reason}", "whynot.apply": "把这些改动填入表单",
    "thresholds": "临界值", "thresholds.field": "金额或整数字段", "thresholds.run": "找临界值",
    "thresholds.head": "{field}（现为 {now}）：其余不变时，结果在这些取值处改变：",
    "thresholds.none": "没有：该字段的任何取值都不改变资格、人数或选项", "thresholds.more": "还有更远的临界值未列出",
    "thresholds.unconfirmed": "{n} 处求解器给出的临界值经重新计算未能确认，未列出", "asking": "求解中…",
  },
  en: {
    "title": "Doudi · decision console", "tab.decide": "Decide", "tab.editor": "Rule editor", "tab.impact": "Impact",
    "ruleset": "Rule set", "jurisdiction": "Jurisdiction", "month": "Month", "outputs.choose": "Outputs to show",
    "decide": "Decide", "household.load": "Load a household record (JSON)", "household": "Household record",
    "folded": "Other fields (not read by the chosen outputs)", "add": "Add", "remove": "Remove", "unset": "(not given)",
    "yes": "yes", "no": "no", "choose": "(choose)", "sensitive": "sensitive", "conclusion": "Conclusion", "output": "Output", "value": "Value",
    "unit": "Unit", "flags": "Flags for review", "no.flags": "none", "error.result": "The rules' result is an error",
    "logged": "Logged: decision {id}, entry {seq}", "not.logged": "This server does not log decisions (--no-log)",
    "notice": "Decision notice", "summary": "Summary of reasons", "full": "Full reasoning (every step)",
    "rejected": "The request has problems",
    "editor.open": "Open", "editor.scratch": "Edit as a scratch copy", "editor.check": "Full check (with proofs)",
    "editor.test": "Run tests", "editor.download": "Download",
    "editor.note": "Edits stay in this page: the server's rule files are never written. Download to save.",
    "checking": "checking…", "check.ok": "no problems", "check.count": "{errors} errors, {warnings} warnings",
    "check.cancelled": " (the proofs ran out of time: problems found so far)", "line.col": "line {line}, column {column}",
    "tests": "tests: {passed} passed, {failed} failed", "not.compiles": "does not compile; the tests did not run",
    "param.none": "Put the cursor on a parameter's name to see its value in force in the chosen jurisdiction and month.",
    "param.value": "parameter {name} = {value} ({where}, from {from}{until})",
    "param.nowhere": "parameter {name} has no value in force here and then", "everywhere": "everywhere",
    "start": "the start", "until": " until {date}", "impact.base": "Base rule set", "impact.other": "Compared rule set",
    "impact.file": "Households (JSONL, one per line)", "impact.run": "Compare", "impact.need.file": "Choose a JSONL file first",
    "impact.summary": "{households} households: {changed} decisions changed, {rejected} records rejected; the totals count the {compared} both rule sets decided",
    "total.base": "Base total", "total.other": "Compared total", "difference": "Difference", "changed": "Changed",
    "line": "Line", "changes": "Changed decisions (first {n})", "chart": "{name}: change per household",
    "rejections": "Rejected records", "no.rulesets": "no rule set is served",
    "questions": "What would change the outcome", "questions.none": "This rule set was served from a bundle and the server has not its source: why-not and thresholds cannot be answered.",
    "whynot": "Why not", "whynot.output": "Output", "whynot.value": "Value wanted", "whynot.any": "(empty: any other value)",
    "whynot.run": "Find the smallest change", "whynot.goal": "{name} = {value}", "whynot.other": "{name} other than {now}",
    "whynot.found": "For {goal} (now {now}), the smallest change:", "whynot.confirmed": "confirmed by deciding the changed household: {name} = {after}",
    "whynot.smallest": "; on these fields, no smaller change does it", "whynot.notsmallest": "; the amounts are not proven the smallest",
    "whynot.already": "{name} is {now} already: nothing to change",
    "whynot.impossible": "no change to the household record gives {goal} (a proof by the solver: same rules, jurisdiction and month, same members)",
    "unknown": "cannot answer: {reason}", "whynot.apply": "Put these changes in the form",
    "thresholds": "Thresholds", "thresholds.field": "Amount or whole-number field", "thresholds.run": "Find the thresholds",
    "thresholds.head": "{field} (now {now}): with the rest unchanged, the outcome changes at:",
    "thresholds.none": "none: no value of this field changes an eligibility, count or choice", "thresholds.more": "there are more edges further away",
    "thresholds.unconfirmed": "{n} edges the solver found were not confirmed by deciding again and are left out", "asking": "solving…",
  },
};

let lang = localStorage.getItem("doudi.lang") === "en" ? "en" : "zh";
function t(key, values = {}) {
  const text = I18N[lang][key] ?? I18N.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ""));
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}
const $ = (id) => document.getElementById(id);
// replaceChildren writes null as the text "null": parts left out are dropped first.
function show(parent, ...children) {
  parent.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
  return parent;
}

async function api(method, path, body, type = "application/json") {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.body = body;
    init.headers["Content-Type"] = type;
  }
  const r = await fetch(path, init);
  const ct = r.headers.get("Content-Type") || "";
  return { status: r.status, data: ct.includes("json") ? await r.json() : await r.text() };
}

// An error body (docs/api.md): its first message, and each diagnostic with its place.
function errorView(error) {
  const items = (error.diagnostics || []).map((d) =>
    el("li", { text: `${d.line ? t("line.col", d) + " " : ""}[${d.code}] ${d.message[lang]}` }));
  return el("div", { class: "problem" }, el("strong", { text: `${t("rejected")}: [${error.code}] ${error[lang]}` }), el("ul", {}, items));
}

// ---- the context: rule set, jurisdiction, month ----

const state = { rulesets: [], schema: null, digest: "", parameters: null };

function currentRuleset() { return state.rulesets.find((r) => r.digest === state.digest); }

function fillRulesetSelect(select, chosen) {
  select.replaceChildren(...state.rulesets.map((r) =>
    el("option", { value: r.digest, selected: r.digest === chosen, text: `${r.module} (${r.digest.slice(0, 8)})` })));
}

async function loadRulesets() {
  const { data } = await api("GET", "/v1/rulesets");
  state.rulesets = data.rulesets;
  if (!state.rulesets.length) return showProblem(t("no.rulesets"));
  const first = state.rulesets.find((r) => r.default) || state.rulesets[0];
  for (const id of ["ruleset", "impact-base", "impact-other"]) fillRulesetSelect($(id), first.digest);
  const now = new Date();
  $("month").value = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
  await chooseRuleset(first.digest);
}

async function chooseRuleset(digest) {
  state.digest = digest;
  const r = currentRuleset();
  $("jurisdiction").replaceChildren(...r.jurisdictions.map((j) => el("option", { value: j, text: j })));
  state.schema = (await api("GET", `/v1/rulesets/${digest}/schema`)).data;
  state.parameters = null;
  buildOutputsChoice();
  buildForm(undefined);
}

function showProblem(text) {
  $("problem").hidden = !text;
  $("problem").textContent = text || "";
}

// ---- the household form, generated from the JSON Schema ----

function resolve(s) {
  return s && s.$ref ? state.schema.$defs[decodeURIComponent(s.$ref.split("/").pop())] : s;
}

// What a field's schema asks for: its kind, and whether null (empty) is allowed.
function kindOf(s) {
  s = resolve(s);
  if (s.anyOf) {
    const other = s.anyOf.filter((x) => x.type !== "null");
    if (s["x-doudi-unit"]) return { kind: "money", s };
    if (other.length === 1 && other.length < s.anyOf.length) return { ...kindOf(other[0]), optional: true };
    return { kind: "ratio", s };
  }
  if (s.type === "object") return { kind: "object", s };
  if (s.type === "array") return { kind: "list", s };
  if (s.type === "integer") return { kind: "int", s };
  if (s.type === "boolean") return { kind: "bool", s };
  if (s.enum) return { kind: "enum", s };
  if (s.format === "date") return { kind: "date", s };
  if (s.pattern === "^[0-9]{4}-[0-9]{2}$") return { kind: "month", s };
  return { kind: "text", s };
}

function chosenOutputs() {
  return [...document.querySelectorAll("#outputs-choice input:checked")].map((i) => i.value);
}

function buildOutputsChoice() {
  const r = currentRuleset();
  const box = $("outputs-choice");
  box.replaceChildren(el("legend", { text: t("outputs.choose") }),
    ...r.outputs.map((o) => el("label", {}, el("input", { type: "checkbox", value: o, checked: true, onchange: () => buildForm(collect()) }), o)));
}

// Each editor: { el, get() } where get() gives the JSON value or undefined (left out).
function scalarEditor(kind, s, value, path, required) {
  const attrs = { "data-field": path };
  let input;
  if (kind === "bool" || kind === "enum") {
    const choices = kind === "bool" ? [["true", t("yes")], ["false", t("no")]] : s.enum.map((v) => [v, v]);
    const current = value === undefined ? "" : String(value);
    // A field with no value yet shows a placeholder, never its first choice:
    // a field left alone is left out (the server says it is missing) rather
    // than silently "yes" or the first enum value.
    const placeholder = required
      ? el("option", { value: "", disabled: true, selected: current === "", text: t("choose") })
      : el("option", { value: "", text: t("unset") });
    input = el("select", attrs, placeholder,
      choices.map(([v, label]) => el("option", { value: v, selected: v === current, text: label })));
    return { el: input, get: () => input.value === "" ? undefined : kind === "bool" ? input.value === "true" : input.value };
  }
  const type = kind === "date" ? "date" : kind === "month" ? "month" : "text";
  input = el("input", { ...attrs, type, inputmode: kind === "money" || kind === "int" ? "decimal" : undefined });
  if (value !== undefined && value !== null) input.value = String(value);
  return {
    el: input,
    get: () => {
      const v = input.value.trim();
      if (v === "") return undefined;
      // Whole numbers as numbers; anything else as typed, for the server to judge.
      if (kind === "int") return /^-?\d+$/.test(v) ? Number(v) : v;
      return v;
    },
  };
}

function objectEditor(s, value, path) {
  s = resolve(s);
  value = value || {};
  const chosen = chosenOutputs();
  const shown = [], folded = [], editors = {};
  const required = new Set(s.required || []);
  for (const [name, fs] of Object.entries(s.properties)) {
    const fieldPath = path ? `${path}.${name}` : name;
    const given = name in value ? value[name] : fs.default;
    const k = kindOf(fs);
    const editor = k.kind === "object" ? objectEditor(k.s, given, fieldPath)
      : k.kind === "list" ? listEditor(k.s, given, fieldPath)
      : scalarEditor(k.kind, k.s, given, fieldPath, required.has(name) || (fs.default !== undefined && !k.optional));
    editors[name] = editor;
    const unit = fs["x-doudi-unit"] ? fs["x-doudi-unit"][lang] : "";
    const row = el("div", { class: k.kind === "list" || k.kind === "object" ? "block" : "field" },
      el("span", { class: "name" }, name, required.has(name) ? el("span", { class: "required", text: " *" }) : null,
        fs["x-doudi-sensitive"] ? el("span", { class: "badge", text: t("sensitive") }) : null),
      el("span", {}, editor.el, unit ? el("span", { class: "unit", text: unit }) : null));
    // Shown: what the chosen outputs or any review flag may read, and what
    // must be given; the rest is folded away.
    const read = (fs["x-doudi-read-by"] || []).some((o) => chosen.includes(o)) || (fs["x-doudi-read-by-flags"] || []).length > 0;
    (read || (required.has(name) && fs.default === undefined) ? shown : folded).push(row);
  }
  const box = el("div", { class: "object" }, shown,
    folded.length ? el("details", { class: "folded", "data-path": path }, el("summary", { text: t("folded") }), folded) : null);
  return {
    el: box,
    get: () => {
      const out = {};
      for (const [name, editor] of Object.entries(editors)) {
        const v = editor.get();
        if (v !== undefined) out[name] = v;
      }
      return out;
    },
  };
}

function listEditor(s, value, path) {
  const items = [];
  const list = el("div", { class: "list", "data-list": path });
  const itemSchema = s.items;
  const isObject = kindOf(itemSchema).kind === "object";
  const add = (v) => {
    const i = items.length;
    const editor = isObject ? objectEditor(itemSchema, v, `${path}[${i}]`)
      : scalarEditor(kindOf(itemSchema).kind, kindOf(itemSchema).s, v, `${path}[${i}]`, true);
    const item = { editor };
    item.el = el("fieldset", { class: "member" }, el("legend", { text: `${path.split(".").pop()} ${i + 1}` }),
      el("button", { type: "button", class: "remove", text: t("remove"), onclick: () => {
        const all = get();
        all.splice(items.indexOf(item), 1);
        rebuild(all);
      } }), editor.el);
    items.push(item);
    list.append(item.el);
  };
  const get = () => items.map((i) => i.editor.get());
  const rebuild = (values) => {
    items.length = 0;
    list.replaceChildren();
    values.forEach(add);
  };
  (value || []).forEach(add);
  const addButton = el("button", { type: "button", class: "add", "data-add": path, text: `${t("add")} ${path.split(".").pop()}`, onclick: () => add(undefined) });
  return { el: el("div", {}, list, addButton), get };
}

let form = null;
function buildForm(value) {
  form = objectEditor(state.schema, value, "");
  $("household").replaceChildren(el("fieldset", {}, el("legend", { text: t("household") }), form.el));
}
function collect() { return form ? form.get() : undefined; }

// ---- deciding ----

async function decide() {
  showProblem("");
  const body = { ruleset: state.digest, jurisdiction: $("jurisdiction").value, month: $("month").value, household: collect() };
  const { status, data } = await api("POST", `/v1/decide?explain=summary&lang=${lang}`, JSON.stringify(body));
  const result = $("result");
  if (status !== 200) return show(result, errorView(data.error)).scrollIntoView();
  const chosen = chosenOutputs();
  const rows = data.outputs ? Object.entries(data.outputs).filter(([name]) => chosen.includes(name)).map(([name, v]) =>
    el("tr", { class: v.value && v.value !== "0.00" && v.value !== 0 ? "nonzero" : "", "data-output": name },
      el("td", { text: name }), el("td", { class: "num", text: formatValue(v.value) }), el("td", { text: v.unit || "" }))) : [];
  const full = el("details", { id: "full-explanation" }, el("summary", { text: t("full") }), el("pre", { class: "explanation" }));
  full.addEventListener("toggle", async () => {
    if (!full.open || full.dataset.loaded) return;
    full.dataset.loaded = "1";
    const answer = data.decision
      ? await api("GET", `/v1/decisions/${data.decision.id}/explain?level=full&lang=${lang}`)
      : await api("POST", `/v1/decide?explain=full&lang=${lang}`, JSON.stringify(body));
    full.querySelector("pre").textContent = answer.status === 200 ? (answer.data.text ?? answer.data.explanation.text) : answer.data.error[lang];
  });
  show(result,
    el("h2", { text: t("conclusion") }),
    data.error ? el("p", { class: "problem", text: `${t("error.result")}: [${data.error.code}] ${data.error.message}` }) : null,
    rows.length ? el("table", { id: "outputs" }, el("tr", {}, el("th", { text: t("output") }), el("th", { text: t("value") }), el("th", { text: t("unit") })), rows) : null,
    el("h3", { text: t("flags") }),
    data.flags.length ? el("ul", { class: "flags" }, data.flags.map((f) => el("li", { text: `${f.name}: ${f.message}` }))) : el("p", { text: t("no.flags") }),
    el("p", {}, data.decision ? t("logged", { id: data.decision.id, seq: data.decision.log_seq }) : t("not.logged"),
      data.decision ? " · " : null,
      data.decision ? el("a", { href: `/v1/decisions/${data.decision.id}/notice?lang=${lang}`, target: "_blank", text: t("notice") }) : null),
    el("h3", { text: t("summary") }),
    el("pre", { class: "explanation", id: "summary" , text: data.explanation.text }),
    full,
    data.error ? null : questionsView(body, data)).scrollIntoView();
}

// ---- questions about the decided household: why not, thresholds ----

// A value as the API gives it ({value, unit}) in words.
function valueText(v) { return v ? `${formatValue(v.value)}${v.unit ? " " + v.unit : ""}` : "—"; }

// The amounts and whole numbers of a household, named as explanations name
// them (成员#2.工资性收入), for the thresholds question.
function numberFields(s, value, path, out) {
  s = resolve(s);
  for (const [name, fs] of Object.entries(s.properties || {})) {
    if (!value || !(name in value) || value[name] === null) continue;
    const k = kindOf(fs), here = path ? `${path}.${name}` : name;
    if (k.kind === "money" || k.kind === "int") out.push(here);
    else if (k.kind === "object") numberFields(k.s, value[name], here, out);
    else if (k.kind === "list" && kindOf(k.s.items).kind === "object")
      value[name].forEach((item, i) => numberFields(kindOf(k.s.items).s, item, `${name}#${i + 1}`, out));
  }
  return out;
}

// Sets the field named as above (成员#2.工资性收入) in a household.
function setField(household, field, value) {
  const parts = field.split(".");
  let at = household;
  parts.forEach((part, i) => {
    const [name, number] = part.split("#");
    if (i === parts.length - 1) at[name] = value;
    else at = number ? at[name][Number(number) - 1] : (at[name] ??= {});
  });
}

function questionsView(body, decided) {
  const box = el("section", { id: "questions" }, el("h3", { text: t("questions") }));
  if (!currentRuleset().questions) return show(box, box.firstChild, el("p", { class: "note", text: t("questions.none") }));
  const ask = (path, extra, out) => async () => {
    show(out, el("p", { class: "status", text: t("asking") }));
    const { status, data } = await api("POST", `${path}?lang=${lang}`, JSON.stringify({ ...body, ...extra() }));
    if (status !== 200) return show(out, errorView(data.error));
    show(out, path === "/v1/why-not" ? whyNotAnswer(data, body) : thresholdsAnswer(data));
  };
  // Why not: an output and the value wanted (a yes/no output: the other answer).
  const outputs = Object.keys(decided.outputs);
  const output = el("select", { id: "why-not-output" }, outputs.map((o) => el("option", { value: o, text: o })));
  const wanted = el("span", {});
  const wantedInput = () => wanted.querySelector("select, input");
  const fillWanted = () => {
    const now = decided.outputs[output.value].value;
    show(wanted, typeof now === "boolean"
      ? el("select", { id: "why-not-value" }, [[true, t("yes")], [false, t("no")]].map(([v, label]) =>
        el("option", { value: v ? "真" : "假", selected: v !== now, text: label })))
      : el("input", { id: "why-not-value", type: "text", placeholder: t("whynot.any") }),
      decided.outputs[output.value].unit ? el("span", { class: "unit", text: decided.outputs[output.value].unit }) : null);
  };
  output.addEventListener("change", fillWanted);
  fillWanted();
  const whyNotOut = el("div", { id: "why-not-answer" });
  const whyNotExtra = () => {
    const v = wantedInput().value.trim();
    return v === "" ? { output: output.value } : { output: output.value, value: v };
  };
  // Thresholds: one amount or whole number the household gives.
  const fields = numberFields(state.schema, body.household, "", []);
  const field = el("select", { id: "thresholds-field" }, fields.map((f) => el("option", { value: f, text: f })));
  const thresholdsOut = el("div", { id: "thresholds-answer" });
  return show(box, box.firstChild,
    el("fieldset", {}, el("legend", { text: t("whynot") }),
      el("div", { class: "bar" }, el("label", {}, t("whynot.output"), output), el("label", {}, t("whynot.value"), wanted),
        el("button", { type: "button", id: "why-not-run", onclick: ask("/v1/why-not", whyNotExtra, whyNotOut), text: t("whynot.run") })),
      whyNotOut),
    fields.length ? el("fieldset", {}, el("legend", { text: t("thresholds") }),
      el("div", { class: "bar" }, el("label", {}, t("thresholds.field"), field),
        el("button", { type: "button", id: "thresholds-run", onclick: ask("/v1/thresholds", () => ({ field: field.value }), thresholdsOut), text: t("thresholds.run") })),
      thresholdsOut) : null);
}

function whyNotAnswer(a, body) {
  const now = valueText(a.now);
  const goal = a.want ? t("whynot.goal", { name: a.output, value: valueText(a.want) }) : t("whynot.other", { name: a.output, now });
  if (a.outcome === "already") return el("p", { text: t("whynot.already", { name: a.output, now }) });
  if (a.outcome === "impossible") return el("p", { text: t("whynot.impossible", { goal }) });
  if (a.outcome === "unknown") return el("p", { class: "problem", text: t("unknown", a) });
  const amounts = a.changes.some((c) => c.by);
  const apply = () => {
    const household = JSON.parse(JSON.stringify(body.household));
    for (const c of a.changes) setField(household, c.field, c.value.value);
    buildForm(household);
    $("household").scrollIntoView();
  };
  return el("div", {},
    el("p", { text: t("whynot.found", { goal, now }) }),
    el("ul", { class: "changes" }, a.changes.map((c) =>
      el("li", { "data-field": c.field, text: `${c.field}${lang === "zh" ? "：" : ": "}${c.from} → ${c.to}${c.by ? (lang === "zh" ? `（${c.by}）` : ` (${c.by})`) : ""}` }))),
    el("p", { class: "confirmed", text: t("whynot.confirmed", { name: a.output, after: valueText(a.after) }) +
      (amounts ? t(a.smallest ? "whynot.smallest" : "whynot.notsmallest") : "") }),
    el("button", { type: "button", id: "why-not-apply", onclick: apply, text: t("whynot.apply") }));
}

function thresholdsAnswer(a) {
  if (!a.answered) return el("p", { class: "problem", text: t("unknown", a) });
  const sep = lang === "zh" ? "；" : "; ";
  return el("div", {},
    el("p", { text: t("thresholds.head", { field: a.field, now: valueText(a.now) }) }),
    a.edges.length ? el("ul", { class: "edges" }, a.edges.map((e) => el("li", { "data-at": e.at.value,
      text: `${valueText(e.below)} → ${valueText(e.at)}${lang === "zh" ? "：" : ": "}` +
        e.changes.map((c) => `${c.output} ${valueText(c.below)} → ${valueText(c.at)}`).join(sep) })))
      : el("p", { text: t("thresholds.none") }),
    a.reason ? el("p", { class: "note", text: a.reason }) : null,
    a.more_below || a.more_above ? el("p", { class: "note", text: t("thresholds.more") }) : null,
    a.unconfirmed ? el("p", { class: "note", text: t("thresholds.unconfirmed", { n: a.unconfirmed }) }) : null);
}

function formatValue(v) {
  if (v === true) return t("yes");
  if (v === false) return t("no");
  return v === null ? "—" : String(v);
}

async function loadHouseholdFile(file) {
  try {
    buildForm(JSON.parse(await file.text()));
    showProblem("");
  } catch (e) {
    showProblem(String(e));
  }
}

// ---- the rule editor ----

const editor = { path: "", timer: 0, version: 0 };

async function loadSources() {
  const { data } = await api("GET", "/v1/sources");
  $("source-file").replaceChildren(...data.files.map((f) => el("option", { value: f.path, text: f.path })));
}

async function openSource(path, asScratch) {
  const { status, data } = await api("GET", `/v1/source?path=${encodeURIComponent(path)}`);
  if (status !== 200) return showProblem(data.error[lang]);
  editor.path = asScratch ? path.replace(/[^/]*\.doudi$/, "草稿.doudi") : path;
  $("editor-path").textContent = editor.path;
  $("source").value = data;
  renderGutter([]);
  checkSoon();
}

function renderGutter(diagnostics) {
  // Only this file's lines: a diagnostic may be in a module it imports.
  const bad = new Set(diagnostics.filter((d) => d.severity === "error" && d.file === editor.path).map((d) => d.line));
  const lines = $("source").value.split("\n").length;
  const gutter = $("gutter");
  gutter.replaceChildren(...Array.from({ length: lines }, (_, i) =>
    el("div", { class: bad.has(i + 1) ? "bad" : "", "data-line": i + 1, text: String(i + 1) })));
  gutter.scrollTop = $("source").scrollTop;
}

function checkSoon() {
  clearTimeout(editor.timer);
  editor.timer = setTimeout(() => check(false), 400);
}

async function check(proofs) {
  if (!editor.path) return;
  const version = ++editor.version;
  $("check-status").textContent = t("checking");
  const { status, data } = await api("POST", `/v1/check?proofs=${proofs}`, JSON.stringify({ path: editor.path, text: $("source").value }));
  if (version !== editor.version) return;  // a later edit is being checked
  if (status !== 200) {
    $("check-status").textContent = data.error[lang];
    return;
  }
  $("check-status").textContent = (data.ok && !data.warnings ? t("check.ok") : t("check.count", data)) + (data.cancelled ? t("check.cancelled") : "");
  $("diagnostics").replaceChildren(...data.diagnostics.map((d) =>
    el("li", { class: d.severity, "data-line": d.line, "data-code": d.code, onclick: () => goToLine(d.line, d.column),
      text: `${d.line ? t("line.col", d) + " " : ""}[${d.code}] ${d.message[lang]}` })));
  renderGutter(data.diagnostics);
}

function goToLine(line, column) {
  const text = $("source").value;
  let at = 0;
  for (let i = 1; i < line; i++) at = text.indexOf("\n", at) + 1;
  const source = $("source");
  source.focus();
  source.setSelectionRange(at + (column || 1) - 1, at + (column || 1) - 1);
  // The line a few lines below the top (the text is 1.5 lines of 14 px).
  source.scrollTop = Math.max(0, (line - 4) * 21);
  $("gutter").scrollTop = source.scrollTop;
}

async function runTests() {
  const { status, data } = await api("POST", `/v1/test?lang=${lang}`, JSON.stringify({ path: editor.path, text: $("source").value }));
  const box = $("test-results");
  if (status !== 200) return box.replaceChildren(errorView(data.error));
  box.replaceChildren(el("p", { text: data.compiles ? t("tests", data) : t("not.compiles") }),
    el("ul", {}, data.tests.map((x) => el("li", { class: x.passed ? "test-pass" : "test-fail", text: `${x.passed ? "✓" : "✗"} ${x.title} (${x.where})${x.failures.length ? "\n" + x.failures.join("") : ""}` }))));
}

function download() {
  const a = el("a", { href: URL.createObjectURL(new Blob([$("source").value], { type: "text/plain" })), download: editor.path.split("/").pop() || "rules.doudi" });
  a.click();
  URL.revokeObjectURL(a.href);
}

// The parameter named where the cursor is: its value in force in the chosen
// jurisdiction on the first day of the chosen month.
async function showParameterAtCursor() {
  const text = $("source").value, at = $("source").selectionStart;
  const word = /[\p{L}\p{N}_]*$/u.exec(text.slice(0, at))[0] + /^[\p{L}\p{N}_]*/u.exec(text.slice(at))[0];
  const panel = $("param-panel");
  if (!state.parameters) {
    const { status, data } = await api("GET", `/v1/rulesets/${state.digest}/parameters?jurisdiction=${encodeURIComponent($("jurisdiction").value)}&date=${$("month").value}-01&lang=${lang}`);
    state.parameters = status === 200 ? data.parameters : [];
  }
  const p = state.parameters.find((x) => x.name === word);
  if (!p) return (panel.textContent = t("param.none"));
  if (!p.in_force) return (panel.textContent = t("param.nowhere", p));
  panel.textContent = t("param.value", {
    name: p.name, value: `${formatValue(p.value)}${p.unit ? " " + p.unit : ""}`, where: p.set_in || t("everywhere"),
    from: p.from || t("start"), until: p.until ? t("until", { date: p.until }) : "",
  }) + (p.citations.length ? ` 【${p.citations.join("；")}】` : "");
}

// ---- the impact page ----

async function runImpact() {
  const file = $("impact-file").files[0];
  if (!file) return showProblem(t("impact.need.file"));
  showProblem("");
  const query = new URLSearchParams({ base: $("impact-base").value, other: $("impact-other").value,
    jurisdiction: $("jurisdiction").value, month: $("month").value, lang });
  const { status, data } = await api("POST", `/v1/impact?${query}`, await file.text(), "application/x-ndjson");
  const box = $("impact-result");
  if (status !== 200) return box.replaceChildren(errorView(data.error));
  const totals = el("table", { id: "impact-totals" },
    el("tr", {}, ["output", "total.base", "total.other", "difference", "changed"].map((k) => el("th", { text: t(k) }))),
    data.outputs.map((o) => el("tr", { "data-output": o.name }, el("td", { text: o.name + (o.unit ? ` (${o.unit})` : "") }),
      el("td", { class: "num", text: formatValue(o.base_total ?? null) }), el("td", { class: "num", text: formatValue(o.other_total ?? null) }),
      el("td", { class: "num", text: formatValue(o.difference ?? null) }), el("td", { class: "num", text: String(o.changed) }))));
  const changes = el("table", {}, el("tr", {}, el("th", { text: t("line") }), el("th", { text: t("output") }), el("th", { text: t("total.base") }), el("th", { text: t("total.other") })),
    data.changes.flatMap((c) => Object.entries(c.outputs).map(([name, v]) => el("tr", {}, el("td", { text: String(c.line) }), el("td", { text: name }),
      el("td", { class: "num", text: formatValue(v.base?.value ?? null) }), el("td", { class: "num", text: formatValue(v.other?.value ?? null) })))));
  const charts = data.outputs.filter((o) => o.differences && o.differences.length).map((o) =>
    el("figure", {}, el("figcaption", { text: t("chart", { name: o.name }) }), histogram(o.differences.map(Number))));
  show(box, el("p", { id: "impact-summary", text: t("impact.summary", data) }), totals, charts,
    data.changes.length ? el("h3", { text: t("changes", { n: data.changes.length }) }) : null, data.changes.length ? changes : null,
    data.rejections.length ? el("h3", { text: t("rejections") }) : null,
    el("ul", {}, data.rejections.map((r) => el("li", { text: `${t("line")} ${r.line}: [${r.code}] ${r.message}` }))));
}

// An SVG histogram of the changes (元), 20 bins between the smallest and largest.
function histogram(values) {
  const ns = "http://www.w3.org/2000/svg", width = 520, height = 180, bins = 20;
  // (Not Math.min(...values): up to 100,000 arguments overflow the stack.)
  const lo = values.reduce((a, b) => Math.min(a, b)), hi = values.reduce((a, b) => Math.max(a, b)), span = hi - lo || 1;
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor(((v - lo) / span) * bins))]++;
  const top = counts.reduce((a, b) => Math.max(a, b));
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height + 30);
  counts.forEach((c, i) => {
    const bar = document.createElementNS(ns, "rect");
    const h = (c / top) * height;
    Object.entries({ x: 40 + i * ((width - 40) / bins), y: height - h, width: (width - 40) / bins - 2, height: h, fill: "#7a1f1f" })
      .forEach(([k, v]) => bar.setAttribute(k, v));
    svg.append(bar);
  });
  for (const [x, label] of [[40, lo.toFixed(2)], [width - 60, hi.toFixed(2)], [0, String(top)]]) {
    const text = document.createElementNS(ns, "text");
    text.setAttribute("x", x);
    text.setAttribute("y", label === String(top) ? 12 : height + 16);
    text.textContent = label;
    svg.append(text);
  }
  return svg;
}

// ---- the page ----

function showTab(name) {
  for (const page of document.querySelectorAll(".page")) page.hidden = page.id !== name;
  for (const tab of document.querySelectorAll(".tab")) tab.classList.toggle("active", tab.dataset.tab === name);
  if (name === "editor" && !$("source-file").options.length) loadSources();
}

function applyLanguage() {
  document.documentElement.lang = lang;
  document.title = t("title");
  for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
  $("lang-switch").textContent = lang === "zh" ? "English" : "中文";
  if (state.schema) {
    const value = collect();
    buildOutputsChoice();
    buildForm(value);
  }
  $("param-panel").textContent = t("param.none");
}

document.addEventListener("DOMContentLoaded", async () => {
  for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => showTab(tab.dataset.tab));
  $("lang-switch").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    localStorage.setItem("doudi.lang", lang);
    applyLanguage();
  });
  $("ruleset").addEventListener("change", (e) => chooseRuleset(e.target.value));
  $("jurisdiction").addEventListener("change", () => (state.parameters = null));
  $("month").addEventListener("change", () => (state.parameters = null));
  $("decide-button").addEventListener("click", decide);
  $("household").addEventListener("submit", (e) => e.preventDefault());  // Enter in a field does not reload the page
  $("household-file").addEventListener("change", (e) => e.target.files[0] && loadHouseholdFile(e.target.files[0]));
  $("source-open").addEventListener("click", () => openSource($("source-file").value, false));
  $("source-scratch").addEventListener("click", () => openSource($("source-file").value, true));
  $("source-check").addEventListener("click", () => check(true));
  $("source-test").addEventListener("click", runTests);
  $("source-download").addEventListener("click", download);
  $("source").addEventListener("input", () => { renderGutter([]); checkSoon(); });
  $("source").addEventListener("scroll", () => ($("gutter").scrollTop = $("source").scrollTop));
  for (const event of ["click", "keyup"]) $("source").addEventListener(event, showParameterAtCursor);
  $("impact-run").addEventListener("click", runImpact);
  showTab("decide");
  applyLanguage();
  await loadRulesets();
  document.body.dataset.ready = "1";
});
