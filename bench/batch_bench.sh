#!/usr/bin/env bash
# `doudi batch` end to end against the hand-written C++ of the same rule
# (issue 12's benchmark), measured in one run on this machine:
#   bench/batch_bench.sh [HOUSEHOLDS]     (default 1,000,000; needs a built tree in build/)
# Prints households/s for each, the ratio, the log's size against the
# input's, peak memory, and checks both give the same sum of benefits.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
work="${TMPDIR:-/tmp}/doudi-batch-bench"
mkdir -p "$work"
data="$work/households-$n.jsonl"
[ -f "$data" ] || build/bench/means_baseline gen "$n" "$data"
rm -f "$work/decisions.log"

# GNU time (Debian's `time` package) gives the peak memory.
[ -x /usr/bin/time ] || { echo "bench/batch_bench.sh needs /usr/bin/time: apt-get install time" >&2; exit 2; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
measure() {  # prints seconds and peak KiB of the command, its stderr kept in $work/stderr
  local t0=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$work/rss" "$@" > "$work/stdout" 2> "$work/stderr"
  echo "$(calc "$EPOCHREALTIME - $t0") $(cat "$work/rss")"
}

read -r base_s base_kb < <(measure build/bench/means_baseline decide "$data")
base_sum=$(sed -n 's/.*benefits \([0-9.]*\),.*/\1/p' "$work/stderr")
read -r doudi_s doudi_kb < <(measure build/doudi --lang en batch bench/rules/means_test.doudi "$data" -j bench -m 2024-03 \
  --log "$work/decisions.log")
doudi_sum=$(grep -o '"benefit":[0-9.]*' "$work/decisions.log" |
  awk -F: '{split($2, a, "."); s += a[1] * 100 + substr(a[2] "00", 1, 2)} END {printf "%d.%02d", s / 100, s % 100}')

input_bytes=$(stat -c %s "$data")
log_bytes=$(stat -c %s "$work/decisions.log")
printf 'households                     %d (%d bytes of JSONL)\n' "$n" "$input_bytes"
printf 'hand-written C++, no log       %8.0f households/s  peak %6d KiB\n' "$(calc "$n / $base_s")" "$base_kb"
printf 'doudi batch, log in page cache %8.0f households/s  peak %6d KiB\n' "$(calc "$n / $doudi_s")" "$doudi_kb"
printf 'doudi ÷ hand-written           %8.1f× slower\n' "$(calc "$doudi_s / $base_s")"
printf 'log ÷ input                    %8.2f× the bytes\n' "$(calc "$log_bytes / $input_bytes")"
if [ "$base_sum" = "$doudi_sum" ]; then
  echo "same sum of benefits: $base_sum"
else
  echo "DIFFERENT sums of benefits: hand-written $base_sum, doudi $doudi_sum"
  exit 1
fi
