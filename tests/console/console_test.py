#!/usr/bin/env python3
"""The web console in a real headless Chromium, driven over the DevTools
protocol: the page served by `doudi serve` is loaded, the form generated from
the schema is filled for the README household as a person would (adding
members, choosing from lists), the decision's amount and deciding reason are
read off the page; in the rule editor a unit error is introduced and its
diagnostic must appear at its line; the impact page compares two rule sets on
a JSONL file. Screenshots are kept in ARTIFACT_DIR.

usage: console_test.py BUILD_DIR SOURCE_DIR ARTIFACT_DIR
"""
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # Debian python3-websocket

build, source, artifacts = sys.argv[1], sys.argv[2], sys.argv[3]
doudi = os.path.join(build, "doudi")
os.makedirs(artifacts, exist_ok=True)
failures = []


def check(condition, what):
    print(("ok:   " if condition else "FAIL: ") + what, flush=True)
    if not condition:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One page of a headless Chromium, spoken to over the DevTools protocol."""

    def __init__(self, profile):
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if not chromium:
            raise SystemExit("chromium is not installed (./setup.sh --optional chromium)")
        self.proc = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
             f"--user-data-dir={profile}", "--window-size=1280,1600", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        port = None
        deadline = time.time() + 60
        while time.time() < deadline and port is None:
            line = self.proc.stderr.readline()
            found = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if found:
                port = int(found.group(1))
        if port is None:
            raise SystemExit("chromium did not start its DevTools endpoint")
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"in the page: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait(self, expression, what, seconds=30):
        deadline = time.time() + seconds
        while time.time() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.1)
        check(False, f"waited {seconds} s for {what}")
        return None

    def screenshot(self, name, selector=None):
        """The whole page, or the element `selector` names."""
        params = {"format": "png", "captureBeyondViewport": True}
        if selector:
            box = self.js(f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
                          " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; })()")
            params["clip"] = dict(zip(["x", "y", "width", "height"], box), scale=1)
        data = self.call("Page.captureScreenshot", **params)["data"]
        with open(os.path.join(artifacts, name), "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=30)


# What a person does in the form, as page script: type into a field, choose
# from a list (both fire the events a real edit fires), press a button.
HELPERS = """
window.fill = (path, value) => {
  const e = document.querySelector(`[data-field="${path}"]`);
  if (!e) throw new Error("no field " + path);
  e.closest("details")?.setAttribute("open", "");
  e.focus();
  e.value = value;
  e.dispatchEvent(new Event("input", {bubbles: true}));
  e.dispatchEvent(new Event("change", {bubbles: true}));
  return true;
};
window.press = (selector) => { document.querySelector(selector).click(); return true; };
true
"""


def leaves(value, path=""):
    """(form path, text as typed) for every leaf of a household record."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, f"{path}[{i}]")
    else:
        yield path, ("true" if value is True else "false" if value is False else str(value))


household = json.load(open(os.path.join(source, "stdlib-policies/huining/households/edge_disabled.json"), encoding="utf-8"))

with tempfile.TemporaryDirectory() as tmp:
    key = os.path.join(tmp, "log.key")
    with open(key, "w") as f:
        f.write(os.urandom(32).hex())
    os.chmod(key, 0o600)
    port = free_port()
    server = subprocess.Popen([doudi, "serve", "-I", "stdlib-policies", "--rules", "examples/huining", "--log",
                               os.path.join(tmp, "decisions.log"), "--key-file", key, "--port", str(port),
                               "--engine", "interp"], cwd=source, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    browser = Browser(os.path.join(tmp, "profile"))
    try:
        browser.call("Page.navigate", url=f"http://127.0.0.1:{port}/")
        browser.wait("document.body && document.body.dataset.ready === '1'", "the console to load")
        check(browser.js("document.title") == "兜底 · 决定控制台", "the console is in Chinese by default")
        browser.js(HELPERS)
        # The rule set the README decides with is the default; choose 会宁县 and 2022-06.
        browser.js("document.getElementById('jurisdiction').value = '会宁县'; "
                   "document.getElementById('month').value = '2022-06'; "
                   "document.getElementById('month').dispatchEvent(new Event('change')); true")
        # Members are added with the form's own button, then every field typed in.
        for _ in household["成员"]:
            browser.js("press('[data-add=\"成员\"]')")
        for path, text in leaves(household):
            browser.js(f"fill({json.dumps(path)}, {json.dumps(text)})")
        check(browser.js("document.querySelectorAll('#household fieldset.member').length") == len(household["成员"]),
              "two members in the form")
        browser.js("press('#decide-button')")
        amount = browser.wait("document.querySelector('#outputs tr[data-output=\"月低保金\"] td.num')?.textContent",
                              "the decision on the page")
        check(amount == "828.00", f"the page shows 月低保金 828.00 (got {amount})")
        summary = browser.js("document.getElementById('summary')?.textContent || ''")
        check("单人户" in summary and "【" in summary, f"the page shows the deciding reason with its clause: {summary[:160]!r}")
        logged = browser.js("document.getElementById('result').textContent")
        check("null" not in logged, "no stray 'null' on the result")
        check(re.search(r"已记入决定日志：编号 [0-9a-f]{20}", logged or "") is not None, "the page names the logged decision")
        browser.js("document.getElementById('full-explanation').open = true; true")
        browser.wait("document.querySelector('#full-explanation pre').textContent.length > 100", "the full reasoning")
        browser.screenshot("console_decide.png")

        # Thresholds of the second member's wage: 低保资格 ends at 1379.99, 单人户 at 2070.01.
        browser.js("document.getElementById('thresholds-field').value = '成员#2.工资性收入'; press('#thresholds-run')")
        edges = browser.wait("[...document.querySelectorAll('#thresholds-answer li')].map((e) => e.dataset.at).join(' ') || null",
                             "the thresholds answer")
        check(edges is not None and edges == "1379.99 2070.01", f"the wage's edges at 1379.99 and 2070.01 are shown: {edges!r}")
        browser.screenshot("console_thresholds.png", "#questions")

        # Why not: what would make 单人户纳入 "no"; the change, put in the form
        # with the page's button and decided, does it.
        browser.js("document.getElementById('why-not-output').value = '单人户纳入';"
                   " document.getElementById('why-not-output').dispatchEvent(new Event('change')); true")
        check(browser.js("document.getElementById('why-not-value').value") == "假",
              "a yes/no output asks for the other answer")
        browser.js("press('#why-not-run')")
        changes = browser.wait("document.querySelector('#why-not-answer ul.changes')?.textContent", "the why-not answer")
        check(changes is not None and "成员#2" in changes and "→" in changes, f"why-not names the change: {changes!r}")
        confirmed = browser.js("document.querySelector('#why-not-answer .confirmed')?.textContent || ''")
        check("单人户纳入 = 否" in confirmed, f"why-not says the change was confirmed: {confirmed!r}")
        browser.screenshot("console_why_not.png", "#questions")
        browser.js("press('#why-not-apply')")
        browser.js("press('#decide-button')")
        browser.wait("!document.getElementById('questions') ||"
                     " !document.getElementById('why-not-answer').textContent", "the new decision")
        after = browser.wait("document.querySelector('#outputs tr[data-output=\"单人户纳入\"] td.num')?.textContent",
                             "the decision of the changed household")
        check(after == "否", f"the changed household, decided, is not 单人户纳入 (got {after!r})")


        # The rule editor: open a served module, introduce a unit error.
        browser.js("press('[data-tab=\"editor\"]')")
        browser.wait("document.getElementById('source-file').options.length > 0", "the list of modules")
        rule_path = "examples/huining/local_rule.doudi"
        browser.js(f"document.getElementById('source-file').value = {json.dumps(rule_path)}; press('#source-open')")
        browser.wait("document.getElementById('source').value.length > 0", "the module's text")
        browser.wait("document.getElementById('check-status').textContent === '没有问题'", "the module as shipped to check clean")
        text = open(os.path.join(source, rule_path), encoding="utf-8").read()
        line = text[:text.index("元/月")].count("\n") + 1
        browser.js("(() => { const s = document.getElementById('source'); s.focus();"
                   " s.value = s.value.replace('元/月', '元/年');"
                   " s.dispatchEvent(new Event('input', {bubbles: true})); return true; })()")
        shown = browser.wait("document.querySelector('#diagnostics li[data-code=\"E0203\"]')?.dataset.line",
                             "the unit error's diagnostic")
        check(shown == str(line), f"the unit error is shown at line {line} (got {shown})")
        check(browser.js(f"document.querySelector('#gutter [data-line=\"{line}\"]').classList.contains('bad')"),
              "the gutter marks that line")
        # A click on the diagnostic takes the cursor to its line.
        browser.js("press('#diagnostics li[data-code=\"E0203\"]')")
        caret_line = browser.js("(() => { const s = document.getElementById('source');"
                                " return s.value.slice(0, s.selectionStart).split('\\n').length; })()")
        check(caret_line == line, f"clicking the diagnostic moves the cursor to line {line} (got {caret_line})")
        browser.screenshot("console_editor.png")
        check(open(os.path.join(source, rule_path), encoding="utf-8").read() == text, "the rule file is not written")

        # The impact page: the county's rules against the town's on two households.
        jsonl = os.path.join(tmp, "households.jsonl")
        with open(jsonl, "w", encoding="utf-8") as f:
            for name in ["edge_disabled", "low_income"]:
                f.write(json.dumps(json.load(open(os.path.join(source, f"stdlib-policies/huining/households/{name}.json"),
                                                 encoding="utf-8")), ensure_ascii=False) + "\n")
        browser.js("press('[data-tab=\"impact\"]')")
        node = browser.call("DOM.querySelector", nodeId=browser.call("DOM.getDocument")["root"]["nodeId"],
                            selector="#impact-file")["nodeId"]
        browser.call("DOM.setFileInputFiles", nodeId=node, files=[jsonl])
        browser.js("press('#impact-run')")
        summary = browser.wait("document.getElementById('impact-summary')?.textContent", "the impact summary")
        check(summary is not None and summary.startswith("2 户"), f"the impact page compares 2 households: {summary!r}")
        check(browser.js("document.querySelectorAll('#impact-totals tr[data-output]').length") > 0, "totals per output")
        browser.screenshot("console_impact.png")

        # The English switch.
        browser.js("press('#lang-switch')")
        check(browser.js("document.title") == "Doudi · decision console", "the English switch")
    finally:
        browser.close()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

if failures:
    print(f"{len(failures)} failed")
    sys.exit(1)
print("console: all checks passed; screenshots in", artifacts)
