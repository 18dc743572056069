#!/usr/bin/env python3
"""A scripted editor for `doudi lsp`: starts the server on pipes, opens a
stdlib policy and a scratch module that imports it, and checks what an
editor shows — diagnostics (at UTF-16 ranges, Chinese and emoji included)
appearing and disappearing, hover with the values in force, definition and
references across files, the outline, formatting equal to `doudi fmt` — and
that hostile input (malformed JSON-RPC, unknown methods, text that is not
UTF-8, a closed stdin) never crashes it.

usage: lsp_test.py BUILD_DIR SOURCE_DIR
"""
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time

build, source = sys.argv[1], sys.argv[2]
doudi = os.path.join(build, "doudi")
failures = []


def check(condition, what):
    print(("ok:   " if condition else "FAIL: ") + what, flush=True)
    if not condition:
        failures.append(what)


def uri(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))


def decoded_tokens(data, text, legend):
    """(text, type) of each semantic token, from the protocol's relative encoding."""
    tokens, line, start = [], 0, 0
    lines = text.split("\n")
    for i in range(0, len(data), 5):
        line += data[i]
        start = data[i + 1] + (start if data[i] == 0 else 0)
        tokens.append((utf16_slice(lines[line], start, start + data[i + 2]), legend[data[i + 3]]))
    return tokens


def utf16_slice(line, start, end):
    """The text between two UTF-16 columns of a line, as the protocol counts them."""
    units = line.encode("utf-16-le")
    return units[2 * start:2 * end].decode("utf-16-le")


class Client:
    def __init__(self, *args):
        # The server's stderr to a file: a pipe nobody reads would block it once full.
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([doudi, "lsp", *args], cwd=source, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr)
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.decode().strip()
                if not line:
                    break
                name, value = line.split(":", 1)
                headers[name.lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            if os.environ.get("LSP_TRACE"):
                print("<<", body[:200].decode(errors="replace"), file=sys.stderr, flush=True)
            self.messages.put(json.loads(body))

    def raw(self, body):
        if os.environ.get("LSP_TRACE"):
            print(">>", body[:200].decode(errors="replace"), file=sys.stderr, flush=True)
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, message):
        self.raw(json.dumps(message, ensure_ascii=False).encode())

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, seconds=30):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id, f"the answer to {method}", seconds)

    def wait(self, matches, what, seconds=30):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                m = self.messages.get(timeout=max(0.01, deadline - time.time()))
            except queue.Empty:
                break
            if matches(m):
                return m
        check(False, f"waited {seconds} s for {what}")
        return {}

    def diagnostics(self, file_uri, matches=lambda d: True, what="diagnostics"):
        m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == file_uri
                      and matches(m["params"]["diagnostics"]), what)
        return m.get("params", {}).get("diagnostics", [])


policy = os.path.join(source, "stdlib-policies/huining/urban_dibao.doudi")
policy_text = open(policy, encoding="utf-8").read()
# A scratch module beside the example deployment (never written: the editor's buffer).
scratch = os.path.join(source, "examples/huining/草稿.doudi")
scratch_lines = [
    "语言 中文",
    "模块 草稿.会宁县",
    "引用 部署.会宁县",
    "",
    "定义 标准 : 元/月 = 城市低保标准",
    "定义 收入和(成员 m) : 元/月 = m.工资性收入 + 计入收入(m)",
    '定义 说明 : 布尔 = "😀" = "😀" 且 低保边缘家庭',
]
scratch_text = "\n".join(scratch_lines) + "\n"

client = Client("-I", "stdlib-policies")
try:
    init = client.request("initialize", {"processId": os.getpid(), "rootUri": uri(source), "locale": "zh-CN",
                                         "capabilities": {}})
    caps = init.get("result", {}).get("capabilities", {})
    check(caps.get("hoverProvider") and caps.get("definitionProvider") and caps.get("referencesProvider"),
          f"the server says what it answers: {sorted(caps)}")
    client.notify("initialized", {})

    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri(policy), "languageId": "doudi", "version": 1,
                                                            "text": policy_text}})
    found = client.diagnostics(uri(policy), what="the policy's diagnostics on open")
    check(not [d for d in found if d["severity"] == 1], f"the stdlib policy has no errors: {found[:2]}")
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri(scratch), "languageId": "doudi", "version": 1,
                                                            "text": scratch_text}})
    found = client.diagnostics(uri(scratch), what="the scratch module's diagnostics on open")
    check(not [d for d in found if d["severity"] == 1], f"the scratch module has no errors: {found[:2]}")

    # A unit error typed in: shown at its range (UTF-16 columns, Chinese before it), then gone when fixed.
    broken_line = "定义 收入和(成员 m) : 元/月 = m.工资性收入 + 1 元/年"
    broken = scratch_text.replace(scratch_lines[5], broken_line)
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(scratch), "version": 2},
                                             "contentChanges": [{"text": broken}]})
    found = client.diagnostics(uri(scratch), lambda ds: any(d["severity"] == 1 for d in ds), "the unit error")
    errors = [d for d in found if d["severity"] == 1]
    if errors:
        d = errors[0]
        r = d["range"]
        covered = utf16_slice(broken_line, r["start"]["character"], r["end"]["character"])
        check(r["start"]["line"] == 5 and covered == "m.工资性收入 + 1 元/年",
              f"the unit error [{d['code']}] covers the expression (line {r['start']['line']}: {covered!r})")
        check(d["code"].startswith("E02") and "元/年" in d["message"], f"its code and Chinese message: {d['code']} {d['message']}")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(scratch), "version": 3},
                                             "contentChanges": [{"text": scratch_text}]})
    found = client.diagnostics(uri(scratch), lambda ds: not any(d["severity"] == 1 for d in ds), "the fix")
    check(not [d for d in found if d["severity"] == 1], "the diagnostic disappears when the error is fixed")

    # Hover on 城市低保标准: the values set for it, per jurisdiction, with dates and citations.
    line = scratch_lines[4]
    character = len(line[:line.index("城市低保标准")].encode("utf-16-le")) // 2 + 1
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri(scratch)},
                                                  "position": {"line": 4, "character": character}}).get("result") or {}
    text = hover.get("contents", {}).get("value", "")
    check("城市低保标准" in text and "会宁县" in text and "2022-01-01" in text and "【示例：会宁县城市低保标准的通知】" in text,
          f"hover lists the values in force with their citations: {text[:300]!r}")
    # A name after an emoji (two UTF-16 units) on the same line.
    line = scratch_lines[6]
    character = len(line[:line.index("低保边缘家庭")].encode("utf-16-le")) // 2 + 2
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri(scratch)},
                                                  "position": {"line": 6, "character": character}}).get("result") or {}
    check("低保边缘家庭" in hover.get("contents", {}).get("value", ""), f"hover after an emoji finds the name: {hover}")

    # Definition across files: 计入收入 in the scratch module → the policy.
    line = scratch_lines[5]
    character = len(line[:line.index("计入收入")].encode("utf-16-le")) // 2 + 1
    where = client.request("textDocument/definition", {"textDocument": {"uri": uri(scratch)},
                                                       "position": {"line": 5, "character": character}}).get("result") or {}
    policy_line = next(i for i, l in enumerate(policy_text.split("\n")) if l.startswith("定义 计入收入"))
    check(where.get("uri") == uri(policy) and where["range"]["start"]["line"] == policy_line,
          f"definition of 计入收入 is in the policy at line {policy_line + 1}: {where}")
    # References from the policy reach the scratch module's use.
    refs = client.request("textDocument/references", {"textDocument": {"uri": uri(policy)},
                                                      "position": {"line": policy_line, "character": 4},
                                                      "context": {"includeDeclaration": True}}).get("result") or []
    check(any(r["uri"] == uri(scratch) and r["range"]["start"]["line"] == 5 for r in refs)
          and any(r["uri"] == uri(policy) for r in refs), f"references of 计入收入 span both files: {len(refs)}")

    # The outline.
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri(policy)}}).get("result") or []
    def flat(items, depth=0):
        for s_ in items:
            yield s_["name"], depth
            yield from flat(s_.get("children", []), depth + 1)
    names = dict(flat(symbols))
    check(names.get("一、总体要求") == 0 and names.get("一是 落实社会救助兜底保障政策") == 1 and names.get("计入收入") == 2
          and names.get("低保边缘家庭") == 1, f"the outline nests declarations under the policy's headings: {list(names.items())[:8]}")

    # Completion: the member's fields after `m.`, units after a number, names and keywords elsewhere.
    def complete_after(typed, version):
        """The completion labels at the end of line 5 when it reads `typed`."""
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri(scratch), "version": version},
                                                 "contentChanges": [{"text": scratch_text.replace(scratch_lines[5], typed)}]})
        at = {"line": 5, "character": len(typed.encode("utf-16-le")) // 2}
        return [i["label"] for i in client.request("textDocument/completion", {"textDocument": {"uri": uri(scratch)},
                                                                               "position": at}).get("result") or []]
    labels = complete_after("定义 收入和(成员 m) : 元/月 = m.", 4)
    check("工资性收入" in labels and "年龄" in labels and "规则" not in labels, f"after `m.`: the member's fields: {labels[:8]}")
    labels = complete_after("定义 收入和(成员 m) : 元/月 = 700 ", 5)
    check("元/月" in labels, f"after a number: units: {labels}")
    labels = complete_after("定义 收入和(成员 m) : 元/月 = 城市", 6)
    check("城市低保标准" in labels and "m" in labels and "规则" in labels and "会宁县" in labels,
          f"elsewhere: names in scope (the parameter m too), keywords, jurisdictions ({len(labels)} items)")

    # Code lenses on tests: each run, its result above it; the command runs it again.
    tested = scratch_text + ('\n测试 "按 690 元/月" 辖区 会宁县 月份 2022-06 {\n  家庭 = {户籍: 城市, 财产符合规定: 真, 成员: []}\n  期望 标准 = 690 元/月\n}\n'
                             '\n测试 "按 700 元/月" 辖区 会宁县 月份 2022-06 {\n  家庭 = {户籍: 城市, 财产符合规定: 真, 成员: []}\n  期望 标准 = 700 元/月\n}\n')
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(scratch), "version": 7},
                                             "contentChanges": [{"text": tested}]})
    lenses = client.request("textDocument/codeLens", {"textDocument": {"uri": uri(scratch)}}).get("result") or []
    titles = [l["command"]["title"] for l in lenses]
    check(len(lenses) == 2 and titles[0].startswith("✓") and titles[1].startswith("✗") and "690" in titles[1],
          f"a lens on each test with its result: {titles}")
    if len(lenses) == 2:
        ran = client.request("workspace/executeCommand", {"command": lenses[1]["command"]["command"],
                                                          "arguments": lenses[1]["command"]["arguments"]}).get("result") or {}
        check(ran.get("found") and not ran.get("passed") and "700" in ran.get("text", ""),
              f"the lens's command runs the test and tells the failure: {str(ran)[:300]}")

    # Formatting equals `doudi fmt`.
    messy = scratch_text.replace("定义 标准 : 元/月 = 城市低保标准", "定义   标准 :元/月 =   城市低保标准")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(scratch), "version": 8},
                                             "contentChanges": [{"text": messy}]})
    edits = client.request("textDocument/formatting", {"textDocument": {"uri": uri(scratch)},
                                                       "options": {"tabSize": 2, "insertSpaces": True}}).get("result") or []
    with tempfile.NamedTemporaryFile("w", suffix=".doudi", encoding="utf-8", delete=False) as f:
        f.write(messy)
    expected = subprocess.run([doudi, "fmt", f.name], capture_output=True, text=True).stdout
    os.unlink(f.name)
    check(len(edits) == 1 and edits[0]["newText"] == expected and expected != messy, "formatting gives what doudi fmt prints")

    # Semantic tokens: keywords, units, dates, citations in either dialect; names by what they stand for.
    legend = caps.get("semanticTokensProvider", {}).get("legend", {}).get("tokenTypes", [])
    coloured = "\n".join(scratch_lines[:4] + ["参数 示例标准 : 元/月 = 700 元/月 自 2022-01-01 【示例😀】", scratch_lines[4]]) + "\n"
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(scratch), "version": 9},
                                             "contentChanges": [{"text": coloured}]})
    data = (client.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri(scratch)}}).get("result") or {}).get("data", [])
    tokens = decoded_tokens(data, coloured, legend)
    for text_, kind in [("模块", "keyword"), ("引用", "keyword"), ("元/月", "type"), ("2022-01-01", "regexp"),
                        ("【示例😀】", "decorator"), ("700", "number"), ("城市低保标准", "parameter"), ("标准", "function")]:
        check((text_, kind) in tokens, f"semantic token {text_!r} is a {kind}")

    english = os.path.join(source, "tests/fixtures/serve/text_rules/who.doudi")
    english_text = open(english, encoding="utf-8").read()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri(english), "languageId": "doudi", "version": 1,
                                                            "text": english_text}})
    data = (client.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri(english)}}).get("result") or {}).get("data", [])
    tokens = decoded_tokens(data, english_text, legend)
    check(("rule", "keyword") in tokens and ("yuan/month", "type") in tokens and ("[test]", "decorator") in tokens,
          f"the English dialect is coloured alike: {tokens[:12]}")
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri(english)}})

    # Quick fixes: a misspelled name, an overlapping value's end date, a missing citation.
    fixable = "\n".join(scratch_lines[:4] + [
        "定义 标准 : 元/月 = 城市低保标",
        "辖区 某村 上级 会宁县 仅供测试 {",
        "  城市低保标准 = 700 元/月 自 2022-01-01 至 2023-06-30 【示例】",
        "  城市低保标准 = 720 元/月 自 2023-01-01 【示例】",
        "}"]) + "\n"
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(scratch), "version": 11},
                                             "contentChanges": [{"text": fixable}]})
    found = client.diagnostics(uri(scratch), lambda ds: any(d["severity"] == 1 for d in ds), "the fixable errors")
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri(scratch)},
                                                         "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}},
                                                         "context": {"diagnostics": found}}).get("result") or []
    edits = [(a["title"], e["newText"], e["range"]["start"]["line"]) for a in actions for e in a["edit"]["changes"][uri(scratch)]]
    check(any(t == "城市低保标准" and l == 4 for _, t, l in edits), f"a quick fix for the misspelled name: {edits}")
    check(any(t == "2022-12-31" and l == 6 for _, t, l in edits), f"a quick fix ending the overlapping value: {edits}")
    fixed = fixable.replace("= 城市低保标\n", "= 城市低保标准\n").replace("至 2023-06-30", "至 2022-12-31")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(scratch), "version": 12},
                                             "contentChanges": [{"text": fixed}]})
    found = client.diagnostics(uri(scratch), lambda ds: not any(d["severity"] == 1 for d in ds), "the fixes applied")
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri(scratch)},
                                                         "range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 5}},
                                                         "context": {"diagnostics": [d for d in found if d["code"] == "W0301"]}}).get("result") or []
    check(any("【待补充：出处】" in e["newText"] for a in actions for e in a["edit"]["changes"][uri(scratch)]),
          f"a quick fix adding a citation placeholder: {[a['title'] for a in actions]}")

    # The proofs of `doudi check` after a pause: a conflict between two
    # exceptions, with a counterexample household as related information.
    conflict = os.path.join(source, "examples/huining/草稿冲突.doudi")
    conflict_text = "\n".join(["语言 中文", "模块 草稿.冲突", "引用 部署.会宁县", "",
                               "规则 草稿补助 : 元/月",
                               "  默认 = 0 元/月 【示例】",
                               "  例外 多人 当 人数(家庭.成员) ≥ 2 则 100 元/月 【示例】",
                               "  例外 大户 当 人数(家庭.成员) ≥ 3 则 200 元/月 【示例】"]) + "\n"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri(conflict), "languageId": "doudi", "version": 1,
                                                            "text": conflict_text}})
    found = client.diagnostics(uri(conflict), lambda ds: any(d["code"] == "E5002" for d in ds), "the proofs' conflict")
    proved = [d for d in found if d["code"] == "E5002"]
    check(proved and proved[0]["range"]["start"]["line"] == 6
          and any("成员" in r["message"] and "{" in r["message"] for r in proved[0].get("relatedInformation", [])),
          f"the proofs find the conflict, with a counterexample household: {str(proved)[:400]}")
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri(conflict)}})

    # A code action shows the file with the other dialect's keywords (as `doudi fmt --to en`).
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri(policy)},
                                                         "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                                                         "context": {"diagnostics": []}}).get("result") or []
    rewrite = [a for a in actions if a.get("kind") == "refactor.rewrite"]
    expected = subprocess.run([doudi, "fmt", "--to", "en", policy], capture_output=True, text=True).stdout
    check(rewrite and rewrite[0]["edit"]["changes"][uri(policy)][0]["newText"] == expected and expected.startswith("language en"),
          f"a code action shows the file in English keywords: {[a['title'] for a in rewrite]}")

    # When the proofs' findings arrive (W5005: parameters without values), the quick fixes stay.
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(scratch), "version": 20},
                                             "contentChanges": [{"text": scratch_text + "\n"}]})
    found = client.diagnostics(uri(scratch), lambda ds: any(d["code"].startswith("W5") for d in ds),
                               "the proofs' findings on the scratch module")
    check(any(d["code"] == "W0301" and d.get("data", {}).get("fixes") for d in found),
          f"the quick fixes stay when the proofs' findings arrive: {[d['code'] for d in found]}")

    # Rename across files: 计入收入, from its use in the scratch module.
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(scratch), "version": 13},
                                             "contentChanges": [{"text": scratch_text}]})
    line = scratch_lines[5]
    at = {"line": 5, "character": len(line[:line.index("计入收入")].encode("utf-16-le")) // 2 + 1}
    edit = client.request("textDocument/rename", {"textDocument": {"uri": uri(scratch)}, "position": at,
                                                  "newName": "可计收入"}).get("result") or {}
    changes = edit.get("changes", {})
    policy_uses = policy_text.count("计入收入(")
    check(len(changes.get(uri(scratch), [])) == 1 and len(changes.get(uri(policy), [])) == policy_uses - policy_text.count("不计入收入(")
          and all(e["newText"] == "可计收入" for es in changes.values() for e in es),
          f"rename edits the declaration and every use in both files: { {k[-20:]: len(v) for k, v in changes.items()} }")
    for bad, why in [("规则", "a keyword"), ("城市低保标准", "a name taken"), ("两 个", "not a name")]:
        refused = client.request("textDocument/rename", {"textDocument": {"uri": uri(scratch)}, "position": at, "newName": bad})
        check("error" in refused, f"rename to {why} is refused: {refused.get('error', {}).get('message')}")
    found = client.request("workspace/symbol", {"query": "计入"}).get("result") or []
    check(any(s["name"] == "计入收入" and s["location"]["uri"] == uri(policy) for s in found),
          f"workspace symbols find 计入收入 in the policy: {[s['name'] for s in found][:6]}")

    # Found by review: names a rename must refuse, an importer checked again after its import changes, a
    # parameter declared with its value found from its declaration, workspace symbols once each.
    shadow = os.path.join(source, "examples/huining/遮蔽.doudi")
    shadow_text = "\n".join(["语言 中文", "模块 草稿.遮蔽", "引用 部署.会宁县", "",
                              "参数 上限 : 元/月 = 100 元/月 【示例】",
                              "定义 加(元/月 x) : 元/月 = x + 上限 【示例】"]) + "\n"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri(shadow), "languageId": "doudi", "version": 1,
                                                            "text": shadow_text}})
    x_at = {"line": 5, "character": len("定义 加(元/月 ".encode("utf-16-le")) // 2}
    for bad in ["上限", "甲　乙", "甲，乙", "１甲", "😀", "元/月"]:
        refused = client.request("textDocument/rename", {"textDocument": {"uri": uri(shadow)}, "position": x_at, "newName": bad})
        check("error" in refused, f"renaming the local x to {bad!r} is refused: {refused.get('error', {}).get('message')}")
    cap_at = {"line": 4, "character": 4}
    refs = client.request("textDocument/references", {"textDocument": {"uri": uri(shadow)}, "position": cap_at,
                                                      "context": {"includeDeclaration": False}}).get("result") or []
    check(len(refs) == 1 and refs[0]["range"]["start"]["line"] == 5,
          f"a parameter declared with its value: references from the declaration, without it: {refs}")
    user = os.path.join(source, "examples/huining/遮蔽用.doudi")
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri(user), "languageId": "doudi", "version": 1,
                                                            "text": "语言 中文\n模块 草稿.遮蔽用\n引用 草稿.遮蔽\n\n定义 再加 : 元/月 = 上限 【示例】\n"}})
    client.diagnostics(uri(user), what="the importer's diagnostics")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(shadow), "version": 2},
                                             "contentChanges": [{"text": shadow_text.replace("上限", "上限额")}]})
    found = client.diagnostics(uri(user), lambda ds: any(d["severity"] == 1 for d in ds),
                               "the importer's error after its import changed")
    check(any(d["severity"] == 1 for d in found), "a file that imports a changed file is checked again")
    symbols = client.request("workspace/symbol", {"query": "计入收入"}).get("result") or []
    places = [(s_["location"]["uri"], s_["location"]["range"]["start"]["line"]) for s_ in symbols]
    check(len(places) == len(set(places)), f"workspace symbols list each declaration once: {places}")
    for path in [user, shadow]:
        client.notify("textDocument/didClose", {"textDocument": {"uri": uri(path)}})

    # Hostile input: none of it ends the server.
    client.raw(b"{not json")
    m = client.wait(lambda m: m.get("error", {}).get("code") == -32700, "a parse error for malformed JSON")
    check(m.get("id", 0) is None, "malformed JSON is answered with a parse error")
    client.raw(b'{"jsonrpc": "2.0", "id": 99, "method": "textDocument/hover", "params": {"textDocument": {"uri": "\xff\xfe"}}}')
    m = client.wait(lambda m: "error" in m and m.get("id") in (None, 99), "an answer to text that is not UTF-8")
    check(bool(m), f"text that is not UTF-8 is refused: {m}")
    unknown = client.request("workspace/somethingNew", {})
    check(unknown.get("error", {}).get("code") == -32601, f"an unknown method is MethodNotFound: {unknown}")
    bad = client.request("textDocument/hover", {"textDocument": {"uri": uri(scratch)}, "position": "here"})
    check(bad.get("error", {}).get("code") == -32602, f"wrong params are InvalidParams: {bad}")
    # Found by review: a 100 KB heading comment (the outline), completion after 100,000 spaces, a file name the
    # system refuses (the background proofs), a change with a bad version (the text must not change alone).
    odd = os.path.join(source, "examples/huining/标题.doudi")
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri(odd), "languageId": "doudi", "version": 1,
                                                            "text": "语言 中文\n模块 标题\n# ==== " + "x " * 50000 + "====\n"}})
    outline = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri(odd)}})
    check("result" in outline, "the outline of a file with a 100 KB heading")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(odd), "version": 2},
                                             "contentChanges": [{"text": "x = 1" + " " * 100000}]})
    units = client.request("textDocument/completion", {"textDocument": {"uri": uri(odd)},
                                                       "position": {"line": 0, "character": 100005}})
    check("元/月" in [i["label"] for i in units.get("result") or []], "units after a number and 100,000 spaces")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(odd), "version": "x"},
                                             "contentChanges": [{"text": "zzz"}]})
    kept = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri(odd)}})
    check("result" in kept, "a change with a bad version is refused and the server goes on")
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri(odd)}})
    long_name = "/tmp/" + "a" * 300 + ".doudi"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": "file://" + long_name, "languageId": "doudi",
                                                            "version": 1, "text": "语言 中文\n模块 长\n"}})
    time.sleep(2.5)  # past the pause: the proofs run on a path the system refuses
    client.notify("textDocument/didClose", {"textDocument": {"uri": "file://" + long_name}})
    # A file on disk that is not UTF-8, imported by an open buffer.
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "坏.doudi"), "wb") as f:
            f.write("语言 中文\n模块 坏\n".encode() + b"\xff\xfe\n")
        user = os.path.join(tmp, "用.doudi")
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri(user), "languageId": "doudi", "version": 1,
                                                                "text": "语言 中文\n模块 用\n引用 坏\n"}})
        found = client.diagnostics(uri(user), what="diagnostics of a module importing a file that is not UTF-8")
        check(any(d["severity"] == 1 for d in found), f"the import that is not UTF-8 is an error: {found[:1]}")
    alive = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri(scratch)}})
    check("result" in alive, "the server still answers after all of it")

    shut = client.request("shutdown", None)
    check("result" in shut, "shutdown answered")
    client.notify("exit", None)
    check(client.proc.wait(timeout=30) == 0, "exit after shutdown ends the server with 0")
finally:
    if client.proc.poll() is None:
        client.proc.kill()
    client.proc.wait()
    client.stderr.seek(0)
    said = client.stderr.read().decode(errors="replace")
    check(not said, f"the server wrote nothing to stderr: {said[:500]!r} (exit {client.proc.returncode})")

# The editor package's grammar colours every keyword of both dialects
# (compiler/ast/keywords.def), and its manifest is JSON.
import re
grammar = open(os.path.join(source, "tools/editors/vscode/syntaxes/doudi.tmLanguage.json"), encoding="utf-8").read()
json.loads(grammar)
json.load(open(os.path.join(source, "tools/editors/vscode/package.json"), encoding="utf-8"))
spellings = re.findall(r'^KW\(\w+, "([^"]*)", "([^"]*)"\)', open(os.path.join(source, "compiler/ast/keywords.def"),
                                                                  encoding="utf-8").read(), re.M)
missing = [w for pair in spellings for w in pair if w not in grammar]
check(spellings and not missing, f"the TextMate grammar has every keyword ({len(spellings)} pairs); missing: {missing}")

# Framing that cannot be trusted (a length over the limit, a header line
# without end): answered with a parse error, then the server ends (1).
for what, data in [("an absurd Content-Length", b"Content-Length: 99999999999\r\n\r\n"),
                   ("a header line without end", b"X" * 2_000_000)]:
    client = Client()
    try:
        client.proc.stdin.write(data)
        client.proc.stdin.flush()
    except BrokenPipeError:
        pass  # the server stopped reading after the first KiB of the line
    answer = client.wait(lambda m: m.get("error", {}).get("code") == -32700, f"a parse error for {what}")
    check(bool(answer), f"{what} is answered with a parse error: {answer.get('error', {}).get('message')}")
    check(client.proc.wait(timeout=30) == 1, f"after {what} the server ends with 1")

# A closed stdin without `exit`: the server ends (1), it does not spin or crash.
client = Client()
client.proc.stdin.close()
rc = client.proc.wait(timeout=30)
check(rc == 1, f"a closed stdin ends the server with 1 (got {rc})")

if failures:
    print(f"{len(failures)} failed")
    sys.exit(1)
print("lsp: all checks passed")
