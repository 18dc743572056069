#!/usr/bin/env python3
"""End-to-end test of `doudi serve`: a real server on a loopback port, real
HTTP requests, every response checked against the OpenAPI document it serves,
and a SIGTERM in the middle of a load after which the log verifies and holds
exactly the decisions that were answered.

usage: serve_test.py BUILD_DIR SOURCE_DIR
"""
import concurrent.futures
import decimal
import http.client
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import jsonschema

build, source = sys.argv[1], sys.argv[2]
doudi = os.path.join(build, "doudi")
failures = []


def logged_decision_ids(path):
    """The id of each decision line of a log, as docs/cli.md defines it (format 3): the first
    20 hex digits of SHA-256(its context line's leaf || its leaf), a line's leaf being
    SHA-256(0x00 || the line without its hash field || "}")."""
    def leaf(line):
        return hashlib.sha256(b"\0" + line[:line.rindex(b',"hash":"')] + b"}").digest()
    ids, context_leaf = [], None
    with open(path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\n")
            if not line.startswith(b'{"seq":'):
                continue  # a checkpoint
            if b',"context":{' in line[:40]:
                context_leaf = leaf(line)
            else:
                ids.append(hashlib.sha256(context_leaf + leaf(line)).hexdigest()[:20])
    return ids

def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raw_request(port, method, path, body=None, timeout=30, content_type="application/json"):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body, ensure_ascii=False).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{urllib.parse.quote(path, safe='/?&=%')}", data=data,
                                 method=method, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def request(port, method, path, body=None, timeout=30):
    status, _, data = raw_request(port, method, path, body, timeout)
    return status, json.loads(data)


class Server:
    def __init__(self, tmp, *extra):
        self.port = free_port()
        self.log = os.path.join(tmp, "decisions.log")
        key = os.path.join(tmp, "log.key")
        with open(key, "wb") as f:
            f.write(os.urandom(32).hex().encode())
        os.chmod(key, 0o600)
        self.stderr = open(os.path.join(tmp, "serve.err"), "w+")
        self.proc = subprocess.Popen(
            [doudi, "serve", "-I", "stdlib-policies", "--rules", "examples/huining", "--log", self.log,
             "--key-file", key, "--port", str(self.port), "--engine", "interp", *extra],
            cwd=source, stderr=self.stderr)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if request(self.port, "GET", "/v1/health", timeout=2)[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the server did not start: " + open(self.stderr.name).read())

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)


# The OpenAPI document's schemas, each checked with its components in reach.
def validator_for(openapi, schema_name):
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": openapi["components"]}
    return jsonschema.Draft202012Validator(schema)


def conforms(openapi, schema_name, body, what):
    errors = sorted(validator_for(openapi, schema_name).iter_errors(body), key=str)
    check(not errors, f"{what}: the response does not match {schema_name}: {errors[:1]}")


def documented(openapi, method, path_template, status, what):
    operation = openapi["paths"].get(path_template, {}).get(method.lower())
    check(operation is not None and str(status) in operation["responses"],
          f"{what}: {method} {path_template} → {status} is not in the OpenAPI document")


household = json.load(open(os.path.join(source, "stdlib-policies/huining/households/edge_disabled.json")))
decide_body = {"jurisdiction": "会宁县", "month": "2022-06", "household": household}

with tempfile.TemporaryDirectory() as tmp:
    server = Server(tmp)
    port = server.port
    status, openapi = request(port, "GET", "/v1/openapi.json")
    check(status == 200 and openapi.get("openapi", "").startswith("3."), "GET /v1/openapi.json")
    jsonschema.Draft202012Validator.check_schema({"components": openapi["components"]})

    status, body = request(port, "GET", "/v1/health")
    documented(openapi, "GET", "/v1/health", status, "health")
    conforms(openapi, "Health", body, "health")
    status, body = request(port, "GET", "/v1/version")
    documented(openapi, "GET", "/v1/version", status, "version")
    conforms(openapi, "Version", body, "version")

    status, body = request(port, "GET", "/v1/rulesets")
    documented(openapi, "GET", "/v1/rulesets", status, "rulesets")
    conforms(openapi, "RuleSets", body, "rulesets")
    default = [r for r in body["rulesets"] if r["default"]]
    check(len(default) == 1 and default[0]["module"] == "部署.会宁县", f"one default rule set: {body}")
    digest = default[0]["digest"]
    status, body = request(port, "GET", f"/v1/rulesets/{digest}")
    documented(openapi, "GET", "/v1/rulesets/{digest}", status, "ruleset")
    conforms(openapi, "RuleSetDetail", body, "ruleset")
    status, body = request(port, "GET", "/v1/rulesets/" + "0" * 64)
    check(status == 404 and body["error"]["code"] == "E6004", f"unknown digest: {status} {body}")
    documented(openapi, "GET", "/v1/rulesets/{digest}", status, "unknown digest")
    conforms(openapi, "Error", body, "unknown digest")

    # The README household: 828.00 元/月, logged, with its reason.
    status, body = request(port, "POST", "/v1/decide?explain=summary", decide_body)
    documented(openapi, "POST", "/v1/decide", status, "decide")
    conforms(openapi, "Decision", body, "decide")
    check(status == 200 and body["outputs"]["月低保金"] == {"value": "828.00", "unit": "元/月"},
          f"the README household's amount: {body.get('outputs')}")
    check(body["decision"] and body["decision"]["log_seq"] >= 2, f"logged: {body.get('decision')}")
    check("单人户" in body["explanation"]["text"], "the summary gives the deciding reason (单人户)")
    status, same = request(port, "POST", "/v1/decide", dict(decide_body, ruleset=digest))
    check(status == 200 and same["outputs"] == body["outputs"], "the same answer under the digest named")

    # The household's JSON Schema: the README household passes it, a wrong
    # type or an unknown field does not.
    status, schema = request(port, "GET", f"/v1/rulesets/{digest}/schema")
    documented(openapi, "GET", "/v1/rulesets/{digest}/schema", status, "schema")
    jsonschema.Draft202012Validator.check_schema(schema)
    household_schema = jsonschema.Draft202012Validator(schema)
    check(not list(household_schema.iter_errors(household)), "the README household passes the JSON Schema")
    for what, bad in [("a wrong type", dict(household, 户籍=3)), ("an unknown field", dict(household, 收入=1)),
                      ("a negative amount", dict(household, 成员=[dict(household["成员"][0], 工资性收入=-1)])),
                      ("an unknown enum value", dict(household, 户籍="城镇"))]:
        check(list(household_schema.iter_errors(bad)), f"the JSON Schema refuses {what}")
        status, body = request(port, "POST", "/v1/decide", dict(decide_body, household=bad))
        check(status == 400, f"the server refuses {what} too: {status}")

    # The values in force, with where they were set and their citations.
    status, body = request(port, "GET", f"/v1/rulesets/{digest}/parameters?jurisdiction=会宁县&date=2022-06-01")
    documented(openapi, "GET", "/v1/rulesets/{digest}/parameters", status, "parameters")
    conforms(openapi, "Parameters", body, "parameters")
    standard = [p for p in body.get("parameters", []) if p["name"] == "城市低保标准"]
    check(standard and standard[0]["in_force"] and standard[0]["set_in"] == "会宁县" and standard[0]["citations"]
          and standard[0].get("unit") == "元/月", f"城市低保标准 in force in 会宁县 with its citation: {standard}")
    status, body = request(port, "GET", f"/v1/rulesets/{digest}/parameters?jurisdiction=会宁&date=2022-06-01")
    check(status == 400 and body["error"]["code"] == "E0106" and "会宁县" in json.dumps(body, ensure_ascii=False),
          f"an unknown jurisdiction, with did-you-mean: {status}")
    conforms(openapi, "Error", body, "parameters of an unknown jurisdiction")

    # The decision from the log, explained again, and its notice.
    status, decided = request(port, "POST", "/v1/decide", decide_body)
    the_id = decided["decision"]["id"]
    status, body = request(port, "GET", f"/v1/decisions/{the_id}")
    documented(openapi, "GET", "/v1/decisions/{id}", status, "logged decision")
    conforms(openapi, "LoggedDecision", body, "logged decision")
    check(status == 200 and body["outputs"]["月低保金"] == 828 and body["log_seq"] == decided["decision"]["log_seq"],
          f"the logged decision: {str(body)[:300]}")
    check(all(m["姓名"].startswith("hmac:") for m in body["household"]["成员"]), "敏感 values are keyed tokens in the log")
    status, body = request(port, "GET", f"/v1/decisions/{the_id}/explain?lang=en")
    documented(openapi, "GET", "/v1/decisions/{id}/explain", status, "explain from the log")
    conforms(openapi, "DecisionExplanation", body, "explain from the log")
    check(status == 200 and body["same_as_logged"] and "828" in body["text"], f"explained again: {str(body)[:300]}")
    status, content_type, notice = raw_request(port, "GET", f"/v1/decisions/{the_id}/notice")
    documented(openapi, "GET", "/v1/decisions/{id}/notice", status, "notice")
    check(status == 200 and content_type.startswith("text/html") and the_id in notice.decode(),
          f"the notice names the decision: {status} {content_type}")
    # Amounts past 2^53 分 come back as the log holds them: in the logged
    # household and in the explanations' trees, never through a double
    # (900000000000000.01 would come back 900000000000000.0). Read with
    # exact decimals; the trees' values are looked for, not the texts'.
    exact = decimal.Decimal("900000000000000.01")
    big = dict(household, 成员=[dict(household["成员"][0], 工资性收入="900000000000000.01")] +
               [dict(m, 工资性收入=0) for m in household["成员"][1:]])

    def tree_values(node):
        if isinstance(node, dict):
            return [v for k, x in node.items() if k != "text" for v in ([x] + tree_values(x))]
        if isinstance(node, list):
            return [v for x in node for v in ([x] + tree_values(x))]
        return []

    status, _, data = raw_request(port, "POST", "/v1/decide?explain=full", dict(decide_body, household=big))
    big_decided = json.loads(data, parse_float=decimal.Decimal)
    check(status == 200 and exact in tree_values(big_decided["explanation"]["tree"]),
          f"an explanation's tree holds the amount exactly: {data[:300]}")
    big_id = big_decided["decision"]["id"]
    status, _, data = raw_request(port, "GET", f"/v1/decisions/{big_id}")
    logged_big = json.loads(data, parse_float=decimal.Decimal)
    check(status == 200 and logged_big["household"]["成员"][0]["工资性收入"] == exact,
          f"the logged household holds the amount exactly: {data[:300]}")
    status, _, data = raw_request(port, "GET", f"/v1/decisions/{big_id}/explain")
    check(status == 200 and exact in tree_values(json.loads(data, parse_float=decimal.Decimal)["tree"]),
          f"the logged decision's explanation holds the amount exactly: {data[:300]}")
    # A decision whose result is an error (国家 sets no 城市低保标准) is logged,
    # explained, and gets no notice.
    status, failed = request(port, "POST", "/v1/decide", dict(decide_body, jurisdiction="国家"))
    check(status == 200 and failed["outputs"] is None and failed["error"]["code"] == "E1005",
          f"an error result is a decision: {str(failed)[:200]}")
    status, body = request(port, "GET", f"/v1/decisions/{failed['decision']['id']}/notice")
    check(status == 409 and body["error"]["code"] == "E6008", f"no notice for an error result: {status} {str(body)[:200]}")
    documented(openapi, "GET", "/v1/decisions/{id}/notice", status, "no notice for an error result")
    status, body = request(port, "GET", "/v1/decisions/ffffffffffffffffffff")
    check(status == 404 and body["error"]["code"] == "E6007", f"an unknown decision: {status} {body}")
    documented(openapi, "GET", "/v1/decisions/{id}", status, "unknown decision")

    # Questions for the solver about the README household, each answer
    # confirmed here by deciding the changed household.
    confirmations = 0  # the decisions made here to confirm answers (each logged)
    ask = dict(decide_body, output="单人户纳入", value="假")
    status, body = request(port, "POST", "/v1/why-not", ask)
    documented(openapi, "POST", "/v1/why-not", status, "why-not")
    conforms(openapi, "WhyNot", body, "why-not")
    check(status == 200 and body["outcome"] == "found" and body["changes"] and body["after"] == {"value": False},
          f"why-not finds a change: {str(body)[:300]}")
    if status == 200 and body["changes"]:
        changed = json.loads(json.dumps(household))
        for ch in body["changes"]:
            list_field, rest = ch["field"].split("#", 1)
            number, field = rest.split(".", 1)
            changed[list_field][int(number) - 1][field] = ch["value"]["value"]
        status, again = request(port, "POST", "/v1/decide", dict(decide_body, household=changed))
        confirmations += 1
        check(status == 200 and again["outputs"]["单人户纳入"] == {"value": False},
              f"the change why-not gives does it when decided: {str(again)[:300]}")
    status, body = request(port, "POST", "/v1/why-not", dict(ask, output="单人户"))
    check(status == 400 and body["error"]["code"] == "E3004" and "单人户纳入" in json.dumps(body, ensure_ascii=False),
          f"an unknown output, with did-you-mean: {status} {str(body)[:300]}")
    documented(openapi, "POST", "/v1/why-not", status, "why-not of an unknown output")
    status, body = request(port, "POST", "/v1/why-not", dict(ask, jurisdiction="国家"))
    check(status == 409 and body["error"]["code"] == "E3007", f"why-not of an error result: {status} {str(body)[:200]}")
    documented(openapi, "POST", "/v1/why-not", status, "why-not of an error result")
    edges_ask = dict(decide_body, field="成员#2.工资性收入")
    status, body = request(port, "POST", "/v1/thresholds", edges_ask)
    documented(openapi, "POST", "/v1/thresholds", status, "thresholds")
    conforms(openapi, "Thresholds", body, "thresholds")
    check(status == 200 and body["answered"] and body["edges"], f"thresholds finds edges: {str(body)[:300]}")
    for edge in body.get("edges", []):
        # Each side of each edge, decided here, differs as the answer says.
        sides = []
        for side in ["below", "at"]:
            changed = json.loads(json.dumps(household))
            changed["成员"][1]["工资性收入"] = edge[side]["value"]
            status, d = request(port, "POST", "/v1/decide", dict(decide_body, household=changed))
            confirmations += 1
            sides.append(d.get("outputs") or {})
        for ch in edge["changes"]:
            check(sides[0].get(ch["output"]) == ch["below"] and sides[1].get(ch["output"]) == ch["at"],
                  f"edge {edge['at']}: {ch['output']} is {ch['below']} → {ch['at']} when decided")
    status, body = request(port, "POST", "/v1/thresholds", dict(edges_ask, field="成员#2.工资"))
    check(status == 400 and body["error"]["code"] == "E3008" and "成员#2.工资性收入" in json.dumps(body, ensure_ascii=False),
          f"an unknown field, with the nearest: {status} {str(body)[:300]}")
    documented(openapi, "POST", "/v1/thresholds", status, "thresholds of an unknown field")

    # A batch: streamed NDJSON, one line per household in order, a bad one
    # rejected without stopping the others, each decision logged.
    records = [household, {"户籍": "城镇"}, household, "not json"]
    ndjson = "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n"
    status, content_type, data = raw_request(port, "POST", "/v1/decide/batch?jurisdiction=会宁县&month=2022-06",
                                             ndjson.encode(), content_type="application/x-ndjson")
    documented(openapi, "POST", "/v1/decide/batch", status, "batch")
    lines = [json.loads(line) for line in data.decode().splitlines()]
    for line in lines:
        conforms(openapi, "BatchLine", line, "a batch line")
    check(status == 200 and content_type.startswith("application/x-ndjson") and [l["line"] for l in lines] == [1, 2, 3, 4],
          f"a batch answers every line in order: {status} {content_type} {[l.get('line') for l in lines]}")
    if len(lines) == 4:
        check(lines[0]["outputs"]["月低保金"]["value"] == "828.00" and lines[2]["outputs"] == lines[0]["outputs"],
              "the batch decides like /v1/decide")
        check(lines[1]["rejected"]["code"] == "E2006" and lines[3]["rejected"]["code"] == "E2001",
              f"bad records are rejected with their codes: {lines[1]} {lines[3]}")
        check(lines[1]["rejected"]["diagnostics"][0]["line"] == 2, "a rejected record's problem names its line")
        batch_id = lines[2]["decision"]["id"]
        status, body = request(port, "GET", f"/v1/decisions/{batch_id}")
        check(status == 200 and body["index"] == 2, f"a batch decision is in the log under its line: {status}")
    status, body = request(port, "POST", "/v1/decide/batch?month=2022-06", ndjson.encode())
    check(status == 400 and body["error"]["code"] == "E6001", f"a batch without jurisdiction: {status}")
    documented(openapi, "POST", "/v1/decide/batch", status, "batch without jurisdiction")

    # Rule text from the console: checked (fast, then with proofs) and
    # tested in place, the rule folder untouched.
    rule_path = "examples/huining/local_rule.doudi"
    original = open(os.path.join(source, rule_path), encoding="utf-8").read()
    unit_error = original.replace("元/月", "元/年", 1)
    for proofs in ["false", "true"]:
        status, body = request(port, "POST", f"/v1/check?proofs={proofs}", {"path": rule_path, "text": unit_error})
        documented(openapi, "POST", "/v1/check", status, "check")
        conforms(openapi, "CheckResult", body, "check")
        first = body["diagnostics"][0] if body.get("diagnostics") else {}
        check(status == 200 and not body["ok"] and first.get("code") == "E0203" and first.get("file") == rule_path
              and first.get("line", 0) > 1, f"a unit error is found at its line (proofs={proofs}): {str(body)[:300]}")
        status, body = request(port, "POST", f"/v1/check?proofs={proofs}", {"path": rule_path, "text": original})
        check(status == 200 and body["ok"] and not body["cancelled"], f"the module as shipped checks (proofs={proofs}): {str(body)[:300]}")
    check(open(os.path.join(source, rule_path), encoding="utf-8").read() == original, "the rule folder is never written")
    status, body = request(port, "POST", "/v1/test", {"path": "examples/huining/scratch.doudi", "text": original})
    documented(openapi, "POST", "/v1/test", status, "test")
    conforms(openapi, "TestRun", body, "test")
    check(status == 200 and body["compiles"] and body["passed"] > 0 and body["failed"] == 0,
          f"a scratch copy's tests run: {str(body)[:300]}")
    check(not os.path.exists(os.path.join(source, "examples/huining/scratch.doudi")), "a scratch module is not written")
    status, body = request(port, "POST", "/v1/check", {"path": "../../etc/x.doudi", "text": ""})
    check(status == 400 and body["error"]["code"] == "E6009", f"a path outside the rule folders: {status}")
    conforms(openapi, "Error", body, "a path outside the rule folders")

    # Bad input: a clear error naming the place, never a 500.
    for what, payload, want_status, want_code in [
        ("malformed JSON", b'{"jurisdiction": ', 400, "E2001"),
        ("not UTF-8", b'{"jurisdiction": "\xff"}', 400, "E2002"),
        ("no household", {"jurisdiction": "会宁县", "month": "2022-06"}, 400, "E6001"),
        ("unknown field", dict(decide_body, extra=1), 400, "E6003"),
        ("unknown rule set", dict(decide_body, ruleset="f" * 64), 404, "E6004"),
        ("bad month", dict(decide_body, month="2022-13"), 400, "E3001"),
        ("a record with a wrong type", dict(decide_body, household=dict(household, 户籍=3)), 400, "E2005"),
        ("10 MB body", b" " * (10 << 20), 413, "E6005"),
    ]:
        status, body = request(port, "POST", "/v1/decide", payload)
        check(status == want_status and body.get("error", {}).get("code") == want_code,
              f"{what}: {status} {str(body)[:200]}")
        documented(openapi, "POST", "/v1/decide", status, what)
        conforms(openapi, "Error", body, what)
    status, body = request(port, "POST", "/v1/decide", dict(decide_body, household=dict(household, 户籍=3)))
    place = body["error"]["diagnostics"][0]
    check(place["file"] == "request" and place["line"] == 1 and place["column"] > 1,
          f"a record's problem is placed in the body: {place}")
    # A body a web page on another site could send (a form, plain text) is
    # refused, whatever its size; a query that is not UTF-8 is a 400, not a 500.
    for content_type, payload in [("text/plain", json.dumps(decide_body).encode()),
                                  ("application/x-www-form-urlencoded", json.dumps(decide_body).encode()),
                                  ("application/x-www-form-urlencoded", b"a=" + b"x" * 13000)]:
        status, _, data = raw_request(port, "POST", "/v1/decide", payload, content_type=content_type)
        body = json.loads(data)
        check(status == 415 and body["error"]["code"] == "E6010", f"a {content_type} body of {len(payload)} bytes: {status} {str(body)[:200]}")
        documented(openapi, "POST", "/v1/decide", status, f"a {content_type} body")
    for path in [f"/v1/rulesets/{digest}/parameters?jurisdiction=%FF&date=2022-06-01", "/v1/source?path=%FF.doudi",
                 "/v1/decide/batch?ruleset=%FF&jurisdiction=x&month=2022-06"]:
        status, _, data = raw_request(port, "POST" if "batch" in path else "GET", path, b"", content_type="application/x-ndjson")
        body = json.loads(data)
        check(status == 400 and body["error"]["code"] == "E2002", f"a query that is not UTF-8 ({path}): {status} {str(body)[:200]}")
    status, body = request(port, "GET", "/v1/no/such/thing")
    check(status == 404 and body["error"]["code"] == "E6006", f"unknown route: {status} {body}")

    # Concurrent requests: all answered, each its own decision.
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: request(port, "POST", "/v1/decide", decide_body), range(40)))
    check(all(s == 200 for s, _ in answers), "40 concurrent decisions answered")
    check(len({b["decision"]["id"] for _, b in answers}) == 40, "40 distinct decision ids")

    # SIGTERM under load and in the middle of a batch: requests in flight are
    # answered (the batch to its last line), the log verifies and holds
    # exactly the decisions that were answered.
    answered, stop_load = [], threading.Event()

    def load():
        while not stop_load.is_set():
            try:
                s, b = request(port, "POST", "/v1/decide", decide_body, timeout=10)
                if s == 200:
                    answered.append(b["decision"]["id"])
            except OSError:
                return  # the server stopped listening

    small = {"户籍": "城市", "财产符合规定": True, "成员": [{"姓名": "甲", "身份证号": "1", "年龄": 30}]}
    batch_lines = 30000
    batch_body = ("\n".join([json.dumps(small, ensure_ascii=False)] * batch_lines) + "\n").encode()
    batch_started, batch_answers = threading.Event(), []

    def batch():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        path = urllib.parse.quote("/v1/decide/batch?jurisdiction=会宁县&month=2022-06", safe="/?&=")
        conn.request("POST", path, batch_body, {"Content-Type": "application/x-ndjson"})
        response = conn.getresponse()
        while True:
            line = response.readline()
            if not line:
                break
            batch_answers.append(json.loads(line))
            batch_started.set()
        conn.close()

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    batch_thread = threading.Thread(target=batch)
    batch_thread.start()
    check(batch_started.wait(60), "the batch started streaming")
    print(f"SIGTERM after {len(batch_answers)} of {batch_lines} batch lines", flush=True)
    rc = server.stop()  # SIGTERM while the batch streams
    stop_load.set()
    for t in threads + [batch_thread]:
        t.join()
    batch_ids = [line["decision"]["id"] for line in batch_answers if line.get("decision")]
    check(len(batch_answers) == batch_lines and len(batch_ids) == batch_lines,
          f"the batch in flight was answered to its last line ({len(batch_answers)} of {batch_lines})")
    answered += batch_ids
    check(rc == 0, f"the server exits 0 after SIGTERM (got {rc})")
    check(len(answered) > 0, "decisions were answered during the load")
    verify = subprocess.run([doudi, "--lang", "en", "verify-log", server.log], capture_output=True, text=True)
    check(verify.returncode == 0, f"the log verifies: {verify.stdout} {verify.stderr}")
    logged = logged_decision_ids(server.log)
    # The README household 3 times and once in 国家, once with an amount past
    # 2^53 分, the batch's 2, the confirmations of answers, the concurrent
    # 40, the load; questions are not logged.
    expected = 5 + 2 + confirmations + 40 + len(answered)
    check(len(logged) == expected, f"the log holds {len(logged)} decisions; {expected} were answered")
    check(set(answered) <= set(logged), "every answered decision is in the log")

    # Started again on the same log, the server finds the decisions already in it.
    found = subprocess.run([doudi, "serve", "-I", "stdlib-policies", "--rules", "examples/huining", "--log", server.log,
                            "--key-file", os.path.join(tmp, "log.key"), "--engine", "interp",
                            "--request", "GET", f"/v1/decisions/{the_id}/explain"],
                           cwd=source, capture_output=True, text=True)
    check(found.returncode == 0 and '"same_as_logged":true' in found.stdout,
          f"a decision logged before a restart is found: {found.stdout[:300]} {found.stderr[:300]}")

if failures:
    print(f"{len(failures)} failed")
    sys.exit(1)
print("serve: all checks passed")
