#!/usr/bin/env bash
# `doudi batch` end to end against the hand-written C++ of the same rule
# (issue 12's benchmark), measured in one run on this machine:
#   bench/batch_bench.sh [HOUSEHOLDS [ROUNDS]]   (defaults 1,000,000 and 3; needs a built tree in build/)
# Prints households/s for each contender, the ratios, the log's size against
# the input's and peak memory; checks doudi and the hand-written C++ give the
# same sum of benefits. Then the real Huining policy on generated households.
# Every contender runs once a round, the rounds one after another, and each
# figure is its best round (the times of all rounds are shown): a virtual
# machine's CPUs slow down and speed up from one second to the next, and the
# best of a few rounds is what the code can do; the peak memory is the
# largest of any round.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
rounds="${2:-3}"
[[ $n =~ ^[1-9][0-9]*$ && $rounds =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/batch_bench.sh [HOUSEHOLDS [ROUNDS]] (whole numbers from 1)" >&2; exit 2; }
work="${TMPDIR:-/tmp}/doudi-batch-bench"
mkdir -p "$work"
data="$work/households-$n.jsonl"
[ -f "$data" ] || build/bench/means_baseline gen "$n" "$data"
csv="$work/households-$n.csv"
[ -f "$csv" ] || build/bench/means_baseline gen "$n" "$csv" csv
huining="$work/huining-$n.jsonl"
[ -f "$huining" ] || build/bench/huining_households "$n" "$huining"
[ -f "$work/key" ] || { head -c 32 /dev/urandom | base64 > "$work/key"; chmod 600 "$work/key"; }

# GNU time (Debian's `time` package) gives the peak memory.
[ -x /usr/bin/time ] || { echo "bench/batch_bench.sh needs /usr/bin/time: apt-get install time" >&2; exit 2; }
command -v taskset >/dev/null || { echo "bench/batch_bench.sh needs taskset: apt-get install util-linux" >&2; exit 2; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
measure() {  # prints seconds and peak KiB of the command, its stderr kept in $work/stderr
  local t0=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$work/rss" "$@" > "$work/stdout" 2> "$work/stderr"
  echo "$(calc "$EPOCHREALTIME - $t0") $(cat "$work/rss")"
}
# The sum of the second output (benefit) over a log's decisions, in 元.
benefit_sum() {
  grep -o '"outputs":\[[a-z]*,[0-9.]*\]' "$1" | sed 's/.*,\([0-9.]*\)\]/\1/' |
    awk '{split($1, a, "."); s += a[1] * 100 + substr(a[2] "00", 1, 2)} END {printf "%d.%02d", s / 100, s % 100}'
}
doudi_batch() {  # LOG EXTRA... : the benchmark rule over $data
  local log="$1"; shift
  rm -f "$log"
  measure "${pin[@]}" build/doudi --lang en batch bench/rules/means_test.doudi "$data" -j bench -m 2024-03 --log "$log" --no-progress "$@"
}
huining_batch() {  # LOG EXTRA... : the Huining deployment over $huining
  local log="$1"; shift
  rm -f "$log"
  measure build/doudi --lang en batch examples/huining/deployment.doudi -I stdlib-policies "$huining" \
    -j 会宁县 -m 2022-06 --log "$log" --key-file "$work/key" --no-progress "${lazy[@]}" "$@"
}
pin=()  # a command doudi_batch runs under (taskset)
# "A file in the page cache" (issue 12): the logs of the runs that are not
# about the disk go to a tmpfs, where a file is its pages in memory. On a
# disk's file system `batch`'s final sync would write the whole log out
# (about 0.3 s for 400 MB here), which is the group-commit run's business.
mem="$work"
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
  mem=$(mktemp -d /dev/shm/doudi-batch-bench.XXXXXX)
  trap 'rm -rf "$mem"' EXIT
else
  echo "note: /dev/shm is not a tmpfs here: the page-cache logs are on $work's file system, synced at the end" >&2
fi
# The first CPU this script may run on (CPU 0 may be outside its cpuset).
first_cpu=$(taskset -pc $$ | sed 's/.*: *//; s/[-,].*//')
# No background sync while it runs: the log stays in the page cache until the end.
lazy=(--sync-every 1099511627776 --sync-ms 86400000)

declare -A best peak times
note() {  # NAME SECONDS KIB: one round's figure
  local name=$1 secs=$2 kb=$3
  times[$name]="${times[$name]:+${times[$name]} }$secs"
  if [ -z "${best[$name]:-}" ] || awk "BEGIN { exit !($secs < ${best[$name]}) }"; then best[$name]=$secs; fi
  if [ -z "${peak[$name]:-}" ] || [ "$kb" -gt "${peak[$name]}" ]; then peak[$name]=$kb; fi
}
# Each log is compared with the first and removed at once: on a tmpfs each
# is about 400 MB of memory for a million households.
same_as_cache() {  # LOG WHAT
  cmp -s "$mem/first.log" "$1" || { echo "$2 wrote DIFFERENT logs"; exit 1; }
  rm -f "$1"
}
for round in $(seq "$rounds"); do
  read -r s kb < <(measure build/bench/means_baseline decide "$data"); note base "$s" "$kb"
  base_sum=$(sed -n 's/.*benefits \([0-9.]*\),.*/\1/p' "$work/stderr")
  # What two cores give for perfectly parallel work on this machine: two
  # copies of the hand-written C++ at once (virtual machines often give less
  # than twice one core's throughput).
  t0=$EPOCHREALTIME
  build/bench/means_baseline decide "$data" > /dev/null 2>&1 & build/bench/means_baseline decide "$data" > /dev/null 2>&1; wait
  note pair "$(calc "$EPOCHREALTIME - $t0")" 0
  # The compiled engine when the build has it (batch's default); the
  # interpreter alongside.
  read -r s kb < <(doudi_batch "$mem/cache.log" "${lazy[@]}"); note cache "$s" "$kb"
  if [ "$round" = 1 ]; then
    doudi_sum=$(benefit_sum "$mem/cache.log")
    log_bytes=$(stat -c %s "$mem/cache.log")
    mv "$mem/cache.log" "$mem/first.log"
  else
    same_as_cache "$mem/cache.log" "another round"
  fi
  read -r s kb < <(doudi_batch "$mem/interp.log" "${lazy[@]}" --engine interp); note interp "$s" "$kb"
  same_as_cache "$mem/interp.log" "the compiled engine and the interpreter"
  read -r s kb < <(doudi_batch "$mem/one.log" "${lazy[@]}" --threads 1); note one "$s" "$kb"
  same_as_cache "$mem/one.log" "one thread and every core"
  # On one core: the default command confined to one CPU (`--threads 1` alone
  # still reads, chains and writes on threads of their own, which run on the
  # other core; pinned, it is no faster than the default). Against it, what
  # the second core adds to the default run.
  pin=(taskset -c "$first_cpu")
  read -r s kb < <(doudi_batch "$mem/core.log" "${lazy[@]}"); note core "$s" "$kb"
  same_as_cache "$mem/core.log" "one core and every core"
  pin=()
  read -r s kb < <(doudi_batch "$work/disk.log"); note disk "$s" "$kb"
  rm -f "$work/disk.log"
  rm -f "$mem/csv.log"
  read -r s kb < <(measure build/doudi --lang en batch bench/rules/means_test.doudi "$csv" -j bench -m 2024-03 \
    --log "$mem/csv.log" --csv-key id --no-progress "${lazy[@]}"); note csv "$s" "$kb"
  csv_round_sum=$(benefit_sum "$mem/csv.log")
  [ "$round" = 1 ] && csv_sum=$csv_round_sum
  [ "$csv_round_sum" = "$csv_sum" ] || { echo "the CSV rounds' sums of benefits differ: $csv_sum, $csv_round_sum"; exit 1; }
  rm -f "$mem/csv.log"
  read -r s kb < <(huining_batch "$mem/huining.log"); note hn "$s" "$kb"
  read -r s kb < <(huining_batch "$mem/huining_interp.log" --engine interp); note hi "$s" "$kb"
  cmp -s "$mem/huining.log" "$mem/huining_interp.log" || { echo "the engines wrote DIFFERENT Huining logs"; exit 1; }
  hn_log_bytes=$(stat -c %s "$mem/huining.log")
  rm -f "$mem/huining.log" "$mem/huining_interp.log"
done
rm -f "$mem/first.log"
input_bytes=$(stat -c %s "$data")
rate() { calc "$n / ${best[$1]}"; }
ratio() { calc "${best[$1]} / ${best[$2]}"; }
rounds_of() { echo "${times[$1]}"; }
printf 'benchmark rule: %d households (%d bytes of JSONL), %d cores, best of %d rounds (their seconds in brackets)\n' \
  "$n" "$input_bytes" "$(nproc)" "$rounds"
printf '  hand-written C++, no log, 1 thread      %9.0f households/s  peak %7d KiB  [%s]\n' "$(rate base)" "${peak[base]}" "$(rounds_of base)"
printf '  (two copies at once: %.2f× one copy'"'"'s throughput: what two cores give here)  [%s]\n' "$(calc "2 * ${best[base]} / ${best[pair]}")" "$(rounds_of pair)"
printf '  doudi batch, log in page cache          %9.0f households/s  peak %7d KiB  %5.2f× the C++ time  [%s]\n' "$(rate cache)" "${peak[cache]}" "$(ratio cache base)" "$(rounds_of cache)"
printf '  doudi batch --engine interp             %9.0f households/s  peak %7d KiB  %5.2f× the C++ time  [%s]\n' "$(rate interp)" "${peak[interp]}" "$(ratio interp base)" "$(rounds_of interp)"
printf '  doudi batch, the same on 1 thread       %9.0f households/s  peak %7d KiB  (all cores %.2f× one thread)  [%s]\n' "$(rate one)" "${peak[one]}" "$(ratio one cache)" "$(rounds_of one)"
printf '  doudi batch on 1 core (taskset)         %9.0f households/s  peak %7d KiB  (2 cores %.2f× 1 core)  [%s]\n' \
  "$(rate core)" "${peak[core]}" "$(ratio core cache)" "$(rounds_of core)"
printf '  doudi batch, group commit to disk       %9.0f households/s  peak %7d KiB  %5.2f× the page-cache time  [%s]\n' "$(rate disk)" "${peak[disk]}" "$(ratio disk cache)" "$(rounds_of disk)"
printf '  doudi batch, the same households as CSV  %9.0f households/s  peak %7d KiB  (%d bytes of CSV)  [%s]\n' "$(rate csv)" "${peak[csv]}" "$(stat -c %s "$csv")" "$(rounds_of csv)"
printf '  log ÷ input                             %9.2f× the bytes (same log on 1 thread and all cores, either engine)\n' "$(calc "$log_bytes / $input_bytes")"
[ "$csv_sum" = "$doudi_sum" ] || { echo "  DIFFERENT sums of benefits from CSV: $csv_sum"; exit 1; }
if [ "$base_sum" = "$doudi_sum" ]; then
  echo "  same sum of benefits: $base_sum"
else
  echo "  DIFFERENT sums of benefits: hand-written $base_sum, doudi $doudi_sum"
  exit 1
fi
printf 'Huining policy (examples/huining/deployment.doudi): %d households (%d bytes)\n' "$n" "$(stat -c %s "$huining")"
printf '  doudi batch, log in page cache          %9.0f households/s  peak %7d KiB  [%s]\n' "$(rate hn)" "${peak[hn]}" "$(rounds_of hn)"
printf '  doudi batch --engine interp             %9.0f households/s  peak %7d KiB  [%s]\n' "$(rate hi)" "${peak[hi]}" "$(rounds_of hi)"
printf '  log ÷ input                             %9.2f× the bytes\n' "$(calc "$hn_log_bytes / $(stat -c %s "$huining")")"
