#!/usr/bin/env bash
# The Huining deployment decided in memory by both engines, in several
# processes one after another:
#   bench/decide_spread.sh [PROCESSES [HOUSEHOLDS]]   (defaults 8 and 100,000; needs a built tree in build/)
# The compiled engine's time depends on the process it runs in, by up to
# two times for the same code on the same households (bench/README.md,
# "Where the compiled code lands"), so one process's "compiled ÷
# interpreter" says little. Prints each process's figures (ns per
# household, from memory and with 200 households in the CPU's caches), then
# the median, lowest and highest ratio over the processes.
set -euo pipefail
cd "$(dirname "$0")/.."
procs="${1:-8}"
n="${2:-100000}"
[[ $procs =~ ^[1-9][0-9]*$ && $n =~ ^[1-9][0-9]*$ ]] ||
  { echo "usage: bench/decide_spread.sh [PROCESSES [HOUSEHOLDS]] (whole numbers from 1)" >&2; exit 2; }
[ -x build/bench/decide_bench ] || { echo "bench/decide_spread.sh needs a built tree in build/ (cmake --build build)" >&2; exit 2; }
work="${TMPDIR:-/tmp}/doudi-decide-spread"
mkdir -p "$work"
huining="$work/huining-$n.jsonl"
if [ ! -f "$huining" ]; then  # made whole or not at all: an interrupted run leaves no half file behind
  build/bench/huining_households "$n" "$huining.part"
  mv "$huining.part" "$huining"
fi
out=$(mktemp "$work/out.XXXXXX")
ratios=$(mktemp "$work/ratios.XXXXXX")
trap 'rm -f "$out" "$ratios"' EXIT

printf '%-8s %12s %12s %8s %12s %12s %8s\n' process "interp mem" "jit mem" ratio "interp hot" "jit hot" ratio
for p in $(seq 1 "$procs"); do
  # The benchmark rule's part on 2,000 households only: Huining is what is measured here.
  # decide_bench fails when the engines' sums differ.
  build/bench/decide_bench 2000 3 both "$huining" > "$out" ||
    { echo "bench/decide_spread.sh: decide_bench failed:" >&2; cat "$out" >&2; exit 1; }
  if grep -q "not available" "$out"; then
    echo "bench/decide_spread.sh: the compiled engine is not available in this build:" >&2
    grep "not available" "$out" >&2
    exit 1
  fi
  # "Huining deployment, N households in memory" then ", in the CPU's caches": each with an interp and a jit line.
  read -r im jm ih jh < <(awk '
    /^Huining deployment, .* in the CPU.s caches$/ { part = "hot"; next }
    /^Huining deployment, .* households in memory$/ { part = "mem"; next }
    part != "" && $1 == "interp" { v[part "i"] = $2 }
    part != "" && $1 == "jit" { v[part "j"] = $2 }
    END { print v["memi"], v["memj"], v["hoti"], v["hotj"] }' "$out")
  [[ $im && $jm && $ih && $jh ]] ||
    { echo "bench/decide_spread.sh: decide_bench did not print all four Huining figures:" >&2; cat "$out" >&2; exit 1; }
  rm=$(awk "BEGIN { printf \"%.1f\", $im / $jm }")
  rh=$(awk "BEGIN { printf \"%.1f\", $ih / $jh }")
  printf '%-8s %12s %12s %7s× %12s %12s %7s×\n' "$p" "$im" "$jm" "$rm" "$ih" "$jh" "$rh"
  echo "$rm $rh" >> "$ratios"
done
summary() {  # a column of $ratios → "median M× (L–H×)"
  cut -d' ' -f"$1" "$ratios" | sort -g | awk '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "median %.1f× (%.1f–%.1f×)", m, v[1], v[NR] }'
}
echo "compiled ÷ interpreter over $procs processes: from memory $(summary 1); in the caches $(summary 2)"
