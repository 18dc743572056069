#!/usr/bin/env python3
"""Deciding inside PostgreSQL against `doudi batch` on the same households.

N generated Huining households (build/bench/huining_households) are loaded
into a table of a PostgreSQL 15 server started here (tests/postgres/
pg_cluster.py); then, each timed:

- in SQL: every household decided, its benefit summed, with 2 parallel
  workers and with none (households/s);
- in SQL from rows: the same households as a households table and a members
  table with typed columns, the members gathered per household (a join and
  array_agg), decided with decide_row (no JSON), and the same rows made into
  jsonb in SQL and decided with decide (what rows cost without decide_row);
- `doudi batch` on the same households as JSONL, log in the page cache;
- the round trip a database without the extension needs: export the table
  as JSONL, `doudi batch`, load the log's decisions back into a table.

The sums of benefits must agree. Prints the figures and the ratios.

usage: bench/postgres_bench.py BUILD_DIR [N]   (from the source folder; default N 1,000,000)
"""
import json
import os
import subprocess
import sys
import time

source = os.path.abspath(os.path.dirname(os.path.dirname(__file__)))
sys.path.insert(0, os.path.join(source, "tests", "postgres"))
from pg_cluster import Cluster  # noqa: E402

build = os.path.abspath(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
cluster = Cluster(build, source)
work = cluster.work


def run(argv, **kw):
    start = time.perf_counter()
    subprocess.run(argv, check=True, **kw)
    return time.perf_counter() - start


def sql(statement):
    start = time.perf_counter()
    r = cluster.psql(server, statement)
    if r.returncode != 0:
        raise SystemExit(f"psql failed: {statement[:300]}\n{r.stderr}")
    return r.stdout.strip(), time.perf_counter() - start


try:
    server = cluster.start("bench", "-c shared_buffers=512MB -c max_parallel_workers_per_gather=2 "
                           "-c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c jit=off")
    bundle = work + "/huining.bundle"
    run([build + "/doudi", "bundle", "-I", "stdlib-policies", "examples/huining/deployment.doudi", "-o", bundle],
        cwd=source, stdout=subprocess.DEVNULL)
    households = work + "/households.jsonl"
    run([build + "/bench/huining_households", str(n), households])
    for f in (bundle, households):
        os.chmod(f, 0o644)
    key = work + "/log.key"
    with open(key, "w") as f:
        f.write("a log key of at least thirty-two bytes for the benchmark\n")
    os.chmod(key, 0o600)

    sql("CREATE EXTENSION doudi")
    digest, _ = sql(f"SELECT doudi.add_bundle(pg_read_binary_file('{bundle}'))")
    sql("CREATE TABLE households (n bigserial PRIMARY KEY, h jsonb NOT NULL)")
    _, load = sql(f"COPY households (h) FROM '{households}' WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')")
    sql("VACUUM ANALYZE households")
    month = (f"SELECT count(*), sum(doudi.output_fen(doudi.try_decide(doudi.context('{digest}', '会宁县', '2022-06-01'), h), "
             "'月低保金')) FROM households")
    sql(month.replace("count(*)", "count(*) + 0"))  # warm: the table in shared buffers, the bundle loaded
    results = {}
    for workers in (2, 0):
        (result, seconds) = sql(f"SET max_parallel_workers_per_gather = {workers}; {month}")
        results[workers] = (result, seconds)
    plan, _ = sql(f"SET max_parallel_workers_per_gather = 2; EXPLAIN (ANALYZE, FORMAT JSON) {month}")
    launched = json.dumps(json.loads(plan)).count('"Workers Launched": 2')

    # The same households as rows: a households table and a members table.
    sql("CREATE TABLE hh (id bigint PRIMARY KEY, \"户籍\" text NOT NULL, \"财产符合规定\" boolean NOT NULL, "
        "\"申请单人户\" boolean)")
    sql("CREATE TABLE mem (household_id bigint NOT NULL, seq int NOT NULL, \"年龄\" int NOT NULL, \"工资性收入\" numeric, "
        "\"基础养老金\" numeric, \"残疾类别\" text, \"残疾等级\" int, \"患重特大疾病\" boolean, "
        "PRIMARY KEY (household_id, seq))")
    sql("INSERT INTO hh SELECT n, h->>'户籍', (h->>'财产符合规定')::boolean, (h->>'申请单人户')::boolean FROM households")
    sql("INSERT INTO mem SELECT n, i, (m->>'年龄')::int, (m->>'工资性收入')::numeric, (m->>'基础养老金')::numeric, "
        "m->>'残疾类别', (m->>'残疾等级')::int, (m->>'患重特大疾病')::boolean "
        "FROM households, jsonb_array_elements(h->'成员') WITH ORDINALITY AS e(m, i)")
    sql("VACUUM ANALYZE hh")
    sql("VACUUM ANALYZE mem")
    # Each household's members gathered by a join and array_agg (a LEFT JOIN:
    # a household without members gets an empty list).
    context = f"doudi.context('{digest}', '会宁县', '2022-06-01')"
    gathered = ("(SELECT hh.*, coalesce(array_agg(m ORDER BY m.seq) FILTER (WHERE m.seq IS NOT NULL), '{}') AS \"成员\" "
                "FROM hh LEFT JOIN mem m ON m.household_id = hh.id GROUP BY hh.id) r")
    by_rows = (f"SELECT count(*), sum(doudi.output_fen(doudi.try_decide_row({context}, r, '{{id,household_id,seq}}'), "
               f"'月低保金')) FROM {gathered}")
    sql(by_rows.replace("count(*)", "count(*) + 0"))  # warm
    rows_results = {}
    for workers in (2, 0):
        rows_results[workers] = sql(f"SET max_parallel_workers_per_gather = {workers}; {by_rows}")
    rows_plan, _ = sql(f"SET max_parallel_workers_per_gather = 2; EXPLAIN (ANALYZE, FORMAT JSON) {by_rows}")
    rows_launched = json.dumps(json.loads(rows_plan)).count('"Workers Launched": 2')
    # The members gathered alone (no decision): what the query spends outside Doudi.
    _, gathering = sql(f"SELECT count(*), sum(cardinality(r.\"成员\")) FROM {gathered}")
    # The same rows made into JSON in SQL and decided from it: deciding rows
    # without decide_row.
    via_json = (f"SELECT count(*), sum(doudi.output_fen(doudi.try_decide({context}, r.h), '月低保金')) FROM "
                "(SELECT jsonb_strip_nulls(to_jsonb(hh) - 'id') || jsonb_build_object('成员', coalesce(jsonb_agg("
                "jsonb_strip_nulls(to_jsonb(m) - 'household_id' - 'seq') ORDER BY m.seq) FILTER (WHERE m.seq IS NOT NULL), "
                "'[]')) AS h FROM hh LEFT JOIN mem m ON m.household_id = hh.id GROUP BY hh.id) r")
    json_results = sql(via_json)

    log = "/dev/shm/doudi-bench.log" if os.path.isdir("/dev/shm") else work + "/batch.log"
    if os.path.exists(log):
        os.remove(log)
    batch = run([build + "/doudi", "batch", bundle, households, "-j", "会宁县", "-m", "2022-06", "--log", log,
                 "--key-file", key], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    names, benefit_sum = None, 0
    for line in open(log, encoding="utf-8"):
        entry = json.loads(line)
        if "context" in entry and isinstance(entry["context"], dict):
            names = entry["context"]["outputs"]
        elif entry.get("outputs"):
            benefit_sum += round(entry["outputs"][names.index("月低保金")] * 100)
    os.remove(log)

    # The round trip without the extension: export, batch, load the decisions back.
    exported = work + "/exported.jsonl"
    _, export = sql(f"COPY (SELECT h FROM households ORDER BY n) TO '{exported}' "
                    "WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')")
    cluster.give_to_server(work)
    batch_again = run([build + "/doudi", "batch", bundle, exported, "-j", "会宁县", "-m", "2022-06", "--log", log,
                       "--key-file", key], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.chmod(log, 0o644)
    sql("CREATE TABLE decided (line jsonb NOT NULL)")
    _, load_back = sql(f"COPY decided (line) FROM '{log}' WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')")
    os.remove(log)

    in_sql = results[2][0].split("|")
    check = (in_sql[0] == str(n) and int(in_sql[1]) == benefit_sum and results[0][0] == results[2][0]
             and rows_results[2][0] == results[2][0] and rows_results[0][0] == results[2][0]
             and json_results[0] == results[2][0])
    rate = lambda seconds: n / seconds  # noqa: E731
    print(f"{n:,} Huining households ({os.path.getsize(households) / n:.0f} bytes each as JSONL), 2 cores")
    print(f"  load into PostgreSQL (COPY)                 {load:8.2f} s")
    print(f"  decide in SQL, 2 parallel workers            {results[2][1]:8.2f} s  {rate(results[2][1]):>10,.0f} households/s"
          f"  (workers launched: {'yes' if launched else 'no'})")
    print(f"  decide in SQL, no workers                    {results[0][1]:8.2f} s  {rate(results[0][1]):>10,.0f} households/s")
    print(f"  decide_row from two tables, 2 workers        {rows_results[2][1]:8.2f} s  "
          f"{rate(rows_results[2][1]):>10,.0f} households/s  (workers launched: {'yes' if rows_launched else 'no'})")
    print(f"  decide_row from two tables, no workers       {rows_results[0][1]:8.2f} s  {rate(rows_results[0][1]):>10,.0f} households/s")
    print(f"  the same rows made jsonb in SQL, decide     {json_results[1]:8.2f} s  {rate(json_results[1]):>10,.0f} households/s")
    print(f"    of which gathering the members (array_agg)  {gathering:8.2f} s  (no decision)")
    print(f"  doudi batch (JSONL, log in the page cache)   {batch:8.2f} s  {rate(batch):>10,.0f} households/s")
    print(f"  export + doudi batch + load back             {export + batch_again + load_back:8.2f} s  "
          f"{rate(export + batch_again + load_back):>10,.0f} households/s  "
          f"(export {export:.2f} s, batch {batch_again:.2f} s, load {load_back:.2f} s)")
    print(f"  in SQL (2 workers) ÷ doudi batch: {batch / results[2][1]:.2f}×;  "
          f"÷ the round trip: {(export + batch_again + load_back) / results[2][1]:.2f}×")
    print(f"  decide_row ÷ the rows made jsonb: {json_results[1] / rows_results[2][1]:.2f}×;  "
          f"÷ a jsonb column (2 workers): {results[2][1] / rows_results[2][1]:.2f}×")
    print(f"  sums of benefits agree: {'yes' if check else 'NO'} ({benefit_sum / 100:,.2f} 元)")
    if not check:
        raise SystemExit(f"results differ: SQL {results}, rows {rows_results}, rows as jsonb {json_results}, "
                         f"batch sum {benefit_sum}")
finally:
    cluster.stop()
