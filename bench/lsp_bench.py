#!/usr/bin/env python3
"""How long `doudi lsp` takes from a change to the diagnostics of the
largest stdlib policy (stdlib-policies/huining/urban_dibao.doudi, ~300
lines, with the modules it imports): the server runs with --debounce 0, so
the time is checking and publishing alone; an editor adds the debounce
(200 ms by default) on top. Also hover and completion round trips.

usage: bench/lsp_bench.py BUILD_DIR [CHANGES]   (from the source folder)
"""
import json
import os
import statistics
import subprocess
import sys
import time

build = sys.argv[1]
changes = int(sys.argv[2]) if len(sys.argv) > 2 else 50
policy = os.path.abspath("stdlib-policies/huining/urban_dibao.doudi")
text = open(policy, encoding="utf-8").read()
uri = "file://" + __import__("urllib.parse").parse.quote(policy)
proc = subprocess.Popen(os.environ.get("LSP_BENCH_WRAP", "").split() + [os.path.join(build, "doudi"), "lsp", "--debounce", "0", "-I", "stdlib-policies"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def send(message):
    body = json.dumps(message, ensure_ascii=False).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def receive():
    length = 0
    while True:
        line = proc.stdout.readline().strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(length))


def until(matches):
    while True:
        m = receive()
        if matches(m):
            return m


send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
until(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "doudi", "version": 1, "text": text}}})
until(lambda m: m.get("method") == "textDocument/publishDiagnostics")

timings = {"diagnostics after a change": [], "hover": [], "completion": []}
for i in range(changes):
    # Alternately a unit error and the text as shipped.
    changed = text.replace("0 元/月", "0 元/年", 1) if i % 2 == 0 else text
    start = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": i + 2}, "contentChanges": [{"text": changed}]}})
    until(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == i + 2)
    timings["diagnostics after a change"].append((time.perf_counter() - start) * 1000)
line = next(i for i, l in enumerate(text.split("\n")) if "城市低保标准" in l and not l.startswith("#"))
column = len(text.split("\n")[line][:text.split("\n")[line].index("城市低保标准")].encode("utf-16-le")) // 2
for i in range(changes):
    for method, key in [("textDocument/hover", "hover"), ("textDocument/completion", "completion")]:
        start = time.perf_counter()
        send({"jsonrpc": "2.0", "id": 100 + i, "method": method,
              "params": {"textDocument": {"uri": uri}, "position": {"line": line, "character": column + 1}}})
        until(lambda m: m.get("id") == 100 + i)
        timings[key].append((time.perf_counter() - start) * 1000)
send({"jsonrpc": "2.0", "id": 9999, "method": "shutdown"})
until(lambda m: m.get("id") == 9999)
send({"jsonrpc": "2.0", "method": "exit"})
proc.wait(timeout=30)

print(f"doudi lsp on {os.path.relpath(policy)} ({text.count(chr(10))} lines), {changes} rounds, --debounce 0")
for key, values in timings.items():
    values.sort()
    print(f"  {key:28s} p50 {statistics.median(values):6.1f} ms   p90 {values[int(len(values) * 0.9) - 1]:6.1f} ms"
          f"   max {values[-1]:6.1f} ms")
print("  target: diagnostics within 50 ms of a change (the editor's debounce comes on top)")
