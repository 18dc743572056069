#!/usr/bin/env bash
# `doudi serve` under load on loopback: single decisions of the README
# household (Huining), with the log on (on disk, synced before each answer,
# group commit) and off, the same client, in one run on this machine:
#   bench/serve_bench.sh [REQUESTS] [THREADS] [SECONDS]   (default 20000, 8, 60; needs build/)
# Prints requests/s and p50/p90/p99 latency for each, and the cost of logging
# as the ratio of the p99s (issue 14's bound: under 2×).
set -euo pipefail
cd "$(dirname "$0")/.."
requests="${1:-20000}" threads="${2:-8}" seconds="${3:-60}"
work="$(mktemp -d)"
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
python3 -c 'import json; print(json.dumps({"jurisdiction": "会宁县", "month": "2022-06", "household": json.load(open("stdlib-policies/huining/households/edge_disabled.json"))}))' > "$work/request.json"
head -c 32 /dev/urandom | base64 > "$work/key"
chmod 600 "$work/key"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

run() {  # label, then the server's log arguments
  local label=$1
  shift
  build/doudi serve --rules examples/huining -I stdlib-policies --port "$port" "$@" 2> "$work/serve.err" &
  server=$!
  python3 -c 'import sys, time, urllib.request
for _ in range(600):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/v1/health", timeout=1); break
    except OSError:
        time.sleep(0.1)' "$port"
  # A warm-up (engines made per thread, pages faulted in), then the measure.
  build/bench/serve_load "$port" /v1/decide "$work/request.json" "$threads" 500 10 > /dev/null
  local line
  line=$(build/bench/serve_load "$port" /v1/decide "$work/request.json" "$threads" "$requests" "$seconds")
  kill -TERM $server
  wait $server
  echo "$label: $line"
  echo "$line" | sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' > "$work/p99-$label"
}
echo "doudi serve, README household, $threads client threads, up to $requests requests or $seconds s, $(nproc) cores"
run "log off" --no-log
run "log on " --log "$work/decisions.log" --key-file "$work/key"
build/doudi verify-log "$work/decisions.log" > /dev/null 2>&1 && echo "the log verifies: $(build/doudi log list "$work/decisions.log" | wc -l) decisions"
awk -v on="$(cat "$work/p99-log on ")" -v off="$(cat "$work/p99-log off")" \
  'BEGIN { printf "logging costs %.2f× in p99 (bound: < 2×)\n", on / off }'
