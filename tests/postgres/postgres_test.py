#!/usr/bin/env python3
"""The doudi extension in a real PostgreSQL 15 (tools/postgres).

Starts servers with the extension (tests/postgres/pg_cluster.py: a private
copy of PostgreSQL's installation, the system's folders untouched) and
checks, in SQL:

- decisions equal `doudi batch`'s on the same 3,000 generated households,
  record for record (outputs, flags, error results), on both engines;
- a query over a larger table runs in parallel workers and gives the same;
- households given as rows (decide_row: a households table, a members table
  with typed columns) are decided exactly as the same households in JSON,
  and a bad row, a misspelt column or a floating-point column is refused
  clearly;
- a household the schema refuses raises an error naming its field and code,
  and try_decide gives it as a value while the other rows are decided;
- two shards behind postgres_fdw (a hash-partitioned table of foreign
  tables) give the same month as one server, and the plan calls the
  extension on the shards;
- decisions logged to doudi.decision_log from two sessions at once, one
  transaction each, interleaved, with rolled-back ones, export to a log
  `doudi verify-log` accepts, and an edited row is found;
- a bundle row whose digest is not its own is refused when written, and a
  row corrupted behind the check is refused when loaded;
- an unknown digest, jurisdiction or month is a clear error.

usage: postgres_test.py BUILD_DIR SOURCE_DIR BUNDLE
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pg_cluster import Cluster  # noqa: E402

build, source, bundle = (os.path.abspath(a) for a in sys.argv[1:4])
cluster = Cluster(build, source)
work, env = cluster.work, cluster.env
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAILED:", what, flush=True)


def sql(statement, expect_error=False, server=None):
    """Runs SQL with psql; returns stdout (tuples only, unaligned), or stderr when an error is expected."""
    r = cluster.psql(server or main, statement)
    if expect_error:
        check(r.returncode != 0, "an error from: " + statement[:200])
        return r.stderr
    if r.returncode != 0:
        raise SystemExit(f"psql failed: {statement[:300]}\n{r.stderr}")
    return r.stdout


main = cluster.start("main")
try:
    sql("CREATE EXTENSION doudi")
    shutil.copy2(bundle, work + "/huining.bundle")
    os.chmod(work + "/huining.bundle", 0o644)
    digest = sql(f"SELECT doudi.add_bundle(pg_read_binary_file('{work}/huining.bundle'))").strip()
    check(len(digest) == 64, "add_bundle returns the digest")
    check(sql(f"SELECT doudi.add_bundle(pg_read_binary_file('{work}/huining.bundle'))").strip() == digest,
          "adding a bundle twice keeps one row")

    # The README's household: 月低保金 = 828.
    household = open(os.path.join(source, "stdlib-policies/huining/households/edge_disabled.json"), encoding="utf-8").read()
    readme = json.loads(sql(f"SELECT doudi.decide('{digest}', '会宁县', '2022-06-01', $j${household}$j$::jsonb)"))
    # The extension builds the decision's jsonb itself (for speed); it must be
    # what `doudi run --json` prints, outputs and error results alike.
    household_path = os.path.join(source, "stdlib-policies/huining/households/edge_disabled.json")
    for month in ("2022-06", "2000-01"):
        run = subprocess.run([build + "/doudi", "run", bundle, "-j", "会宁县", "-m", month, household_path, "--json"],
                             capture_output=True, text=True, cwd=source)
        in_sql = json.loads(sql(f"SELECT doudi.decide('{digest}', '会宁县', '{month}-01', $j${household}$j$::jsonb)"))
        check(json.loads(run.stdout) == in_sql,
              f"{month}: doudi.decide gives what doudi run --json prints: {run.stdout[:400]} / {json.dumps(in_sql, ensure_ascii=False)[:400]}")
    check("error" in in_sql, "2000-01 is an error result (no values in force)")
    check(readme["outputs"]["月低保金"] == 828, "the README household's 月低保金 is 828: " + json.dumps(readme, ensure_ascii=False))
    check(sql(f"SELECT doudi.output_fen(doudi.decide('{digest}', '会宁县', '2022-06-15', $j${household}$j$::jsonb), '月低保金')")
          .strip() == "82800", "output_fen gives 分, and any day of the month decides that month")
    rows = sql(f"SELECT output, value FROM doudi.outputs(doudi.decide('{digest}', '会宁县', '2022-06-01', "
               f"$j${household}$j$::jsonb)) ORDER BY output").splitlines()
    check(len(rows) == len(readme["outputs"]) and "月低保金|828" in rows and "单人户纳入|true" in rows,
          "doudi.outputs gives one row per output: " + repr(rows[:4]))

    # 3,000 generated households (one refused on purpose), in SQL and in `doudi batch`.
    households = work + "/households.jsonl"
    subprocess.run([build + "/bench/huining_households", "3000", households], check=True)
    lines = open(households, encoding="utf-8").read().splitlines()
    lines[1234] = '{"户籍": "城市", "财产符合规定": true, "成员": [{"年龄": "五十"}]}'
    with open(households, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(households, 0o644)
    key = work + "/log.key"
    with open(key, "w") as f:
        f.write("a log key of at least thirty-two bytes for the postgres test\n")
    os.chmod(key, 0o600)
    log = work + "/batch.log"
    # Exit status 1: one record was refused (and logged as refused).
    r = subprocess.run([build + "/doudi", "batch", bundle, households, "-j", "会宁县", "-m", "2022-06", "--log", log,
                        "--key-file", key], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=source)
    check(r.returncode == 1, f"doudi batch reports the refused record (exit {r.returncode})")
    batch, names = {}, None
    for line in open(log, encoding="utf-8"):
        entry = json.loads(line)
        if isinstance(entry.get("context"), dict):
            names = entry["context"]["outputs"]  # the log's outputs are values in this order
        elif "context" in entry:  # a decision, naming its context line by seq
            batch[entry["index"]] = entry
    check(len(batch) == 3000, f"the batch logged 3000 entries ({len(batch)})")

    sql("CREATE TABLE households (n serial PRIMARY KEY, h jsonb NOT NULL)")
    # JSON lines as they are: CSV with quote and delimiter bytes no line holds.
    sql(f"COPY households (h) FROM '{households}' WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')")

    for engine in ("interp", "jit", "auto"):
        rows = sql(f"SET doudi.engine = '{engine}'; SELECT doudi.try_decide('{digest}', '会宁县', '2022-06-01', h) "
                   "FROM households ORDER BY n").splitlines()
        check(len(rows) == 3000, f"{engine}: 3000 rows")
        same, first_difference = 0, None
        for i, row in enumerate(rows):
            got, want = json.loads(row), batch.get(i)
            if want is None:
                continue
            if want.get("rejected"):
                equal = "refused" in got and [p["code"] for p in got["refused"]] == [p["code"] for p in want["rejected"]]
            elif want.get("error"):
                equal = got.get("error", {}).get("code") == want["error"]["code"]
            else:
                # jsonb keeps an object's keys in an order of its own: compare by name.
                equal = ("outputs" in got and got["outputs"] == dict(zip(names, want["outputs"]))
                         and [fl["name"] for fl in got["flags"]] == want.get("flags", []))
            same += equal
            if not equal and first_difference is None:
                first_difference = f"line {i + 1}: SQL {row[:600]}\nbatch {json.dumps({k: want[k] for k in want if k != 'input'}, ensure_ascii=False)[:600]}"
        check(same == 3000, f"{engine}: every decision equals doudi batch's ({same} of 3000); first difference: {first_difference}")

    # The same households as rows: a households table and a members table with
    # typed columns (their types inferred from the JSON; a year-month kept as
    # the date of its 1st), plus households using more of the schema.
    extra = [
        {"户籍": "农村", "财产符合规定": True, "当前救助": "低保", "渐退起始月": "2022-01", "上次核查月": "2021-12",
         "不再符合原因": "就业创业", "渐退前月低保金": "512.30", "困难持续月数": 3, "急难类型": "火灾",
         "成员": [{"姓名": "王某", "年龄": 38, "经营净收入": -200.5, "劳动能力": "部分丧失劳动能力", "就业状况": "失业",
                  "因病支出": 120, "患重特大疾病": True},
                 {"姓名": "王小某", "年龄": 9, "孤儿": False, "因学支出": "35.50"}]},
        {"户籍": "城市", "财产符合规定": False, "成员": []},
        {"户籍": "城市", "财产符合规定": True, "申请单人户": True, "建档立卡": True, "贫困状态": "已脱贫",
         "成员": [{"年龄": 70, "残疾类别": "智力", "残疾等级": 2, "自理能力": "全护理", "护理费": 300, "基础养老金": 113}]},
    ]
    records = [json.loads(line) for i, line in enumerate(lines) if i != 1234] + extra

    def column_types(objects):
        kinds = {}
        for o in objects:
            for k, v in o.items():
                if v is None or k == "成员":
                    continue
                kinds.setdefault(k, set()).add(
                    "boolean" if isinstance(v, bool) else "bigint" if isinstance(v, int) else
                    "numeric" if isinstance(v, float) else "date" if re.fullmatch(r"\d{4}-\d{2}", v) else "text")
        # Mixed whole and decimal numbers: numeric; numbers and texts: text (JSON takes both for an amount).
        return {k: t.pop() if len(t) == 1 else "numeric" if t == {"bigint", "numeric"} else "text" for k, t in kinds.items()}

    def value_sql(source, k, t):
        return f"({source}->>'{k}' || '-01')::date" if t == "date" else f"({source}->>'{k}')::{t}"

    household_types = column_types(records)
    member_types = column_types([m for r in records for m in r["成员"]])
    with open(work + "/rows.jsonl", "w", encoding="utf-8") as f:
        f.write("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    os.chmod(work + "/rows.jsonl", 0o644)
    sql("CREATE TABLE row_json (n serial PRIMARY KEY, h jsonb NOT NULL)")
    sql(f"COPY row_json (h) FROM '{work}/rows.jsonl' WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')")
    sql("CREATE TABLE hh (id int PRIMARY KEY, " + ", ".join(f'"{k}" {t}' for k, t in household_types.items()) + ")")
    sql("CREATE TABLE mem (household_id int, seq int, " + ", ".join(f'"{k}" {t}' for k, t in member_types.items()) +
        ", PRIMARY KEY (household_id, seq))")
    sql("INSERT INTO hh SELECT n, " + ", ".join(value_sql("h", k, t) for k, t in household_types.items()) +
        " FROM row_json")
    sql("INSERT INTO mem SELECT n, i, " + ", ".join(value_sql("m", k, t) for k, t in member_types.items()) +
        " FROM row_json, jsonb_array_elements(h->'成员') WITH ORDINALITY AS e(m, i)")
    context = f"doudi.context('{digest}', '会宁县', '2022-06-01')"
    as_rows = (f"SELECT {{}}({context}, r, '{{{{id,household_id,seq}}}}') FROM hh, LATERAL (SELECT hh.*, "
               "coalesce((SELECT array_agg(m ORDER BY m.seq) FROM mem m WHERE m.household_id = hh.id), '{{}}') AS \"成员\") r "
               "ORDER BY hh.id")
    by_rows = sql(as_rows.format("doudi.try_decide_row")).splitlines()
    by_json = sql(f"SELECT doudi.try_decide({context}, h) FROM row_json ORDER BY n").splitlines()
    differ = [i for i in range(len(by_json)) if i >= len(by_rows) or by_rows[i] != by_json[i]]
    check(len(by_rows) == len(records) and not differ,
          f"decide_row on {len(by_rows)} rows equals decide on their JSON ({len(differ)} differ; first: "
          f"{records[differ[0]] if differ else ''} rows {by_rows[differ[0]] if differ and differ[0] < len(by_rows) else ''} "
          f"json {by_json[differ[0]] if differ else ''})")
    check(sum('"outputs"' in row for row in by_rows) > 2900, "the rows are decided (not refused)")
    # In parallel workers, the same: over a table whose members are an array
    # column (gathering them per household is not parallel in PostgreSQL 15).
    sql("CREATE TABLE hh_arrays AS SELECT hh.*, coalesce((SELECT array_agg(m ORDER BY m.seq) FROM mem m "
        "WHERE m.household_id = hh.id), '{}') AS \"成员\" FROM hh")
    sql("ANALYZE hh_arrays")
    in_parallel = ("SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; "
                   "SET max_parallel_workers_per_gather = 2; ")
    over_arrays = (f"SELECT id, doudi.try_decide_row({context}, r, '{{id,household_id,seq}}') FROM hh_arrays r")
    plan = sql(in_parallel + "EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) " + over_arrays)
    check(re.search(r'"Workers Launched": [12]', plan) is not None and "try_decide_row" in plan,
          "decide_row runs in parallel workers: " + plan[:600])
    parallel_rows = [line.split("|", 1)[1] for line in sql(in_parallel + over_arrays + " ORDER BY id").splitlines()]
    check(parallel_rows == by_rows, "decide_row in parallel workers gives the same decisions")
    # A NULL household gives NULL; a NULL member row is a null item (E2005).
    check(sql(f"SELECT doudi.decide_row({context}, NULL::hh_arrays) IS NULL").strip() == "t", "a NULL household gives NULL")
    null_member = json.loads(sql(f"SELECT doudi.try_decide_row({context}, r, '{{id,household_id,seq}}') FROM "
                                 "(SELECT id, \"户籍\", \"财产符合规定\", ARRAY[NULL::mem] AS \"成员\" FROM hh WHERE id = 1) r"))
    check([p["code"] for p in null_member.get("refused", [])] == ["E2005"] and "$.成员[0]" in null_member["refused"][0]["en"],
          "a NULL member row is refused as JSON's [null]: " + json.dumps(null_member, ensure_ascii=False))
    # A bad row names the field; a column that is not a field is refused, with the nearest and the way out.
    sql("UPDATE mem SET \"年龄\" = -3 WHERE household_id = 7 AND seq = 1")
    err = sql(as_rows.format("doudi.decide_row").replace("ORDER BY hh.id", "WHERE hh.id = 7"), expect_error=True)
    check("[E2009]" in err and "$.成员[0].年龄" in err and "DETAIL" in err, "a bad member row names its field: " + err)
    refused = json.loads(sql(as_rows.format("doudi.try_decide_row").replace("ORDER BY hh.id", "WHERE hh.id = 7")))
    check(refused.get("refused", [{}])[0].get("code") == "E2009" and refused["refused"][0]["offset"] == -1,
          "try_decide_row gives the refusal as a value: " + json.dumps(refused, ensure_ascii=False))
    err = sql(f"SELECT doudi.decide_row({context}, r) FROM (SELECT '城市' AS \"户籍\", true AS \"财产符合规定\", "
              "1 AS id) r", expect_error=True)
    check("[E2004]" in err and "`id`" in err and "ignore" in err, "a column that is not a field is refused: " + err)
    err = sql(f"SELECT doudi.decide_row({context}, r) FROM (SELECT '城市' AS \"户籍\", true AS \"财产符合规定\", "
              "1 AS \"工资\") r", expect_error=True)
    check("[E2004]" in err and "工资" in err, "a misspelt column is refused: " + err)
    err = sql(f"SELECT doudi.decide_row({context}, r) FROM (SELECT '城市' AS \"户籍\", true AS \"财产符合规定\", "
              "1.5::float8 AS \"上年度家庭总收入\") r", expect_error=True)
    check("floating point" in err and "numeric" in err, "a floating-point column is refused: " + err)
    err = sql(f"SELECT doudi.decide_row({context}, r) FROM (SELECT '城市' AS \"户籍\", true AS \"财产符合规定\", "
              "'{}'::int[] AS \"成员\") r", expect_error=True)
    check("list of structures" in err, "an array of values for a list of structures is refused: " + err)
    refused = json.loads(sql(f"SELECT doudi.try_decide_row({context}, r) FROM (SELECT '城市' AS \"户籍\", "
                             "true AS \"财产符合规定\", '2022-06-15'::date AS \"上次核查月\") r"))
    check([p["code"] for p in refused.get("refused", [])] == ["E2008", "E2003"],
          "a year-month given as a date not on the 1st, and 成员 left out: " + json.dumps(refused, ensure_ascii=False))

    # A bad row raises, naming the field and the code; try_decide gives it as a value.
    err = sql(f"SELECT doudi.decide('{digest}', '会宁县', '2022-06-01', h) FROM households WHERE n = 1235",
              expect_error=True)
    check("年龄" in err and "[E2" in err and "DETAIL" in err, "a refused household's error names 年龄 and its code: " + err)
    refused = json.loads(sql(f"SELECT doudi.try_decide('{digest}', '会宁县', '2022-06-01', h) FROM households WHERE n = 1235"))
    check(refused["refused"][0]["offset"] > 0 and refused["refused"][0]["code"].startswith("E2"),
          "try_decide gives the refusal with its code and offset")

    # Unknown digest, jurisdiction, month.
    err = sql("SELECT doudi.decide(repeat('a', 64), '会宁县', '2022-06-01', '{}')", expect_error=True)
    check("doudi.bundles" in err and "aaaa" in err, "an unknown digest names doudi.bundles: " + err)
    err = sql(f"SELECT doudi.decide('{digest}', '会宁', '2022-06-01', '{{}}')", expect_error=True)
    check("[E0106]" in err and "会宁县" in err, "an unknown jurisdiction is E0106 naming the near one: " + err)
    err = sql(f"SELECT doudi.decide('{digest}', '会宁县', 'infinity', '{{}}')", expect_error=True)
    check("infinite" in err, "an infinite month is refused: " + err)

    # In parallel workers, the same answers.
    sql("CREATE TABLE many AS SELECT h FROM households, generate_series(1, 8)")
    sql("ANALYZE many")
    parallel = ("SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; "
                "SET max_parallel_workers_per_gather = 2; ")
    count = (f"SELECT count(*), sum(doudi.output_fen(doudi.try_decide('{digest}', '会宁县', '2022-06-01', h), '月低保金')) "
             "FROM many")
    plan = json.loads(sql(parallel + "EXPLAIN (ANALYZE, FORMAT JSON) " + count))
    gather = plan[0]["Plan"]
    while gather.get("Node Type") not in ("Gather", "Gather Merge") and gather.get("Plans"):
        gather = gather["Plans"][0]
    check(gather.get("Workers Launched", 0) >= 1, "the query ran in parallel workers: " + json.dumps(plan)[:400])
    check(sql(parallel + count) == sql("SET max_parallel_workers_per_gather = 0; " + count),
          "parallel and serial give the same count and sum")

    # Two shards behind postgres_fdw: the households hash-partitioned across
    # two more servers, each with the extension and the bundle; the foreign
    # servers list the extension, so its functions are shipped to the shards.
    shards = [cluster.start("shard1"), cluster.start("shard2")]
    for shard in shards:
        sql("CREATE EXTENSION doudi", server=shard)
        sql(f"SELECT doudi.add_bundle(pg_read_binary_file('{work}/huining.bundle'))", server=shard)
        sql("CREATE TABLE households (n int PRIMARY KEY, h jsonb NOT NULL)", server=shard)
    sql("CREATE EXTENSION postgres_fdw")
    sql("CREATE TABLE sharded (n int NOT NULL, h jsonb NOT NULL) PARTITION BY HASH (n)")
    for i, shard in enumerate(shards):
        sql(f"CREATE SERVER shard{i} FOREIGN DATA WRAPPER postgres_fdw "
            f"OPTIONS (host '{shard}', dbname 'postgres', extensions 'doudi')")
        sql(f"CREATE USER MAPPING FOR doudi SERVER shard{i} OPTIONS (user 'doudi')")
        sql(f"CREATE FOREIGN TABLE sharded_{i} PARTITION OF sharded FOR VALUES WITH (MODULUS 2, REMAINDER {i}) "
            f"SERVER shard{i} OPTIONS (table_name 'households')")
    sql("INSERT INTO sharded SELECT n, h FROM households")
    on_shards = [int(sql("SELECT count(*) FROM households", server=shard)) for shard in shards]
    check(sum(on_shards) == 3000 and min(on_shards) > 1000, f"the households are spread over both shards: {on_shards}")
    # A decision context and jsonpath carry no collation, so postgres_fdw
    # ships the calls (text arguments written in the query would not be).
    decided = f"doudi.try_decide(doudi.context('{digest}', '会宁县', '2022-06-01'), h)"
    benefit = f"(jsonb_path_query_first({decided}, '$.outputs.\"月低保金\"'))::numeric"
    count = f"count(*) FILTER (WHERE {decided} @@ '$.outputs.\"低保资格\" == true')"
    month = f"{count}, sum({benefit})"
    partitionwise = "SET enable_partitionwise_aggregate = on; "
    one_server = sql(f"SELECT {month} FROM households")
    eligible_count = sum(1 for e in batch.values() if e.get("outputs") and dict(zip(names, e["outputs"]))["低保资格"])
    check(one_server.split("|")[0] == str(eligible_count), f"the context form agrees with doudi batch: {one_server}")
    check(sql(partitionwise + f"SELECT {month} FROM sharded") == one_server,
          "a month decided through the partitioned table totals what one server gives: " + one_server)
    # Totals over the whole table are partial aggregates, which postgres_fdw
    # (15) does not ship; each shard's own totals are shipped whole.
    per_shard = ("SELECT sum(c), sum(s) FROM (" +
                 " UNION ALL ".join(f"SELECT {count} AS c, sum({benefit}) AS s FROM sharded_{i}" for i in range(2)) +
                 ") AS shards")
    check(sql(per_shard) == one_server, "the shards' own totals add up to what one server gives")
    plan = sql(f"EXPLAIN (VERBOSE, COSTS OFF) {per_shard}")
    remote = [line for line in plan.splitlines() if "Remote SQL" in line]
    check(len(remote) == 2 and all("sum(" in line and "doudi.try_decide(" in line for line in remote),
          "each shard decides and totals its households (Remote SQL: sum(… doudi.try_decide(…))): " + plan)
    eligible = f"SELECT n FROM {{}} WHERE {benefit} > 0 ORDER BY n"
    check(sql(eligible.format("sharded")) == sql(eligible.format("households")),
          "the households given a benefit are the same on two shards as on one server")
    plan = sql(f"EXPLAIN (VERBOSE, COSTS OFF) {eligible.format('sharded')}")
    remote = [line for line in plan.splitlines() if "Remote SQL" in line]
    check(len(remote) == 2 and all("doudi.try_decide(" in line for line in remote),
          "the filter is decided on the shards: " + plan)

    # The decision log in a table: decisions made in SQL, two sessions at
    # once, chained as the file log; its export verifies with doudi verify-log.
    server_key = work + "/server.key"
    shutil.copy2(key, server_key)
    cluster.give_to_server(server_key)
    os.chmod(server_key, 0o600)
    # Each session decides its households one statement (one transaction) at
    # a time, so the two interleave; each also rolls one logged decision back.
    def session_script(month, half):
        decide = f"doudi.decide_logged(doudi.context('{digest}', '会宁县', '{month}'), h)"
        lines = [f"SET doudi.log_key_file = '{server_key}';",
                 f"BEGIN; SELECT 'rolled back ' || {decide}::text FROM households WHERE n = {3 + half}; ROLLBACK;"]
        lines += [f"SELECT {decide} FROM households WHERE n = {n};"
                  for n in list(range(1, 301)) + [1235] if n % 2 == half]
        path = f"{work}/session{half}.sql"
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return path
    sessions = [subprocess.Popen(["psql", "-X", "-q", "-At", "-h", main, "-U", "doudi", "-d", "postgres", "-v",
                                  "ON_ERROR_STOP=1", "-f", session_script(month, half)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                for month, half in (("2022-06-01", 0), ("2022-07-01", 1))]
    answers, rolled_back = [], []
    for p in sessions:
        out, err = p.communicate()
        check(p.returncode == 0, "decide_logged in two sessions at once: " + err)
        for line in out.splitlines():
            if line.startswith("rolled back "):
                rolled_back.append(json.loads(line[len("rolled back "):]))
            else:
                answers.append(json.loads(line))
    check(len(answers) == 301, f"301 decisions logged ({len(answers)})")
    check(sum("refused" in a for a in answers) == 1, "the refused household is answered as refused")
    check(all(len(a.get("id", "")) == 20 for a in answers if "refused" not in a), "each decision has its log id")
    exported = work + "/exported.log"
    with open(exported, "w", encoding="utf-8") as f:
        f.write(sql("SELECT line FROM doudi.decision_log ORDER BY seq"))
    verified = subprocess.run([build + "/doudi", "--lang", "en", "verify-log", exported], capture_output=True, text=True)
    check(verified.returncode == 0 and "log intact" in verified.stdout and "301 decision(s)" in verified.stdout,
          "the exported table verifies with doudi verify-log: " + verified.stdout + verified.stderr)
    exported_text = open(exported, encoding="utf-8").read()
    # A decision's id is its line's leaf (docs/cli.md), listed by doudi log list.
    listed = subprocess.run([build + "/doudi", "--lang", "en", "log", "list", exported], capture_output=True, text=True)
    listed_ids = {line.split()[1] for line in listed.stdout.splitlines()}
    check(listed.returncode == 0 and len(listed_ids) == 301, f"doudi log list lists the 301 decisions ({len(listed_ids)})")
    check(all(a["id"] in listed_ids for a in answers if "id" in a), "every id answered is in the log")
    # (Rolled back, a decision leaves nothing: the log holds the 301 others,
    # and the next decision may take its place and id.)
    check(len(rolled_back) == 2, "each session answered its rolled-back decision")
    batches = [json.loads(line)["context"]["month"] for line in exported_text.splitlines() if '"context":{' in line]
    check(len(batches) > 2, f"the two sessions' decisions interleave in the log ({len(batches)} context lines)")
    check("620422" not in exported_text, "ID numbers are keyed in the table, not written")
    # A decision's row (which seq that is depends on how the sessions interleaved).
    edited = sql("SELECT min(seq) FROM doudi.decision_log WHERE NOT is_context AND seq >= 5").strip()
    sql(f"UPDATE doudi.decision_log SET line = replace(line, '\"index\":0', '\"index\":1') WHERE seq = {edited}")
    with open(exported, "w", encoding="utf-8") as f:
        f.write(sql("SELECT line FROM doudi.decision_log ORDER BY seq"))
    verified = subprocess.run([build + "/doudi", "--lang", "en", "verify-log", exported], capture_output=True, text=True)
    check(verified.returncode == 1 and f"entry {edited} " in verified.stdout + verified.stderr,
          "an edited row is found by doudi verify-log: " + verified.stdout + verified.stderr)

    # Bundle rows: a digest that is not the bundle's own is refused when
    # written; a row corrupted behind the check is refused when loaded.
    err = sql(f"INSERT INTO doudi.bundles (digest, bundle) VALUES (repeat('b', 64), pg_read_binary_file('{work}/huining.bundle'))",
              expect_error=True)
    check("bundle_has_this_digest" in err, "a row whose digest is not its bundle's is refused: " + err)
    sql("ALTER TABLE doudi.bundles DROP CONSTRAINT bundle_has_this_digest")
    sql(f"UPDATE doudi.bundles SET bundle = overlay(bundle PLACING '\\x5a'::bytea FROM 200 FOR 1) WHERE digest = '{digest}'")
    err = sql(f"SELECT doudi.decide('{digest}', '会宁县', '2022-06-01', $j${household}$j$::jsonb)", expect_error=True)
    check("[E4001]" in err, "a corrupted bundle row is refused when loaded: " + err)
finally:
    cluster.stop(show_logs=bool(failures))

if failures:
    raise SystemExit(f"{len(failures)} check(s) failed")
print("postgres: all checks passed")
