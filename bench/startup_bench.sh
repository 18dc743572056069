#!/usr/bin/env bash
# How long `doudi` takes to start and decide one household, against an empty
# C++ program measured in the same run (this virtual machine's speed varies
# by 2× over an hour: compare within one run):
#   bench/startup_bench.sh [ROUNDS [OTHER_DOUDI]]     (default 8 rounds; needs build/)
# Each round runs every command 20 times with `perf stat`; the best round's
# mean is printed, with page faults (each costs ~15–25 µs on this machine).
# OTHER_DOUDI (another build's program, e.g. of an older commit) is measured
# in the same rounds, interleaved, for a before/after.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-8}"
other="${2:-}"
command -v perf >/dev/null || { echo "bench/startup_bench.sh needs perf: apt-get install linux-perf" >&2; exit 2; }
work="${TMPDIR:-/tmp}/doudi-startup-bench"
mkdir -p "$work"
echo 'int main() { return 0; }' > "$work/empty.cc"
c++ -O2 "$work/empty.cc" -o "$work/empty"
build/doudi bundle -I stdlib-policies examples/huining/deployment.doudi -o "$work/huining.bundle" >/dev/null
household=stdlib-policies/huining/households/edge_disabled.json

programs=(build/doudi)
[ -n "$other" ] && programs+=("$other")
names=("--version" "run BUNDLE" "run MODULE (compiles)")
args_of() {
  case "$1" in
    0) echo "--version" ;;
    1) echo "run $work/huining.bundle -j 会宁县 -m 2022-06 $household" ;;
    2) echo "run -I stdlib-policies examples/huining/deployment.doudi -j 会宁县 -m 2022-06 $household" ;;
  esac
}
declare -A best faults
measure() {  # key, command...: keeps the best mean (ms) and its page faults
  local key=$1; shift
  local out ms pf
  out=$(perf stat -r 20 "$@" 2>&1 >/dev/null)
  ms=$(awk '/elapsed/ { printf "%.2f", $1 * 1000 }' <<<"$out")
  pf=$(awk '/page-faults/ { gsub(",", "", $1); print $1 }' <<<"$out")
  if [ -z "${best[$key]:-}" ] || awk "BEGIN { exit !($ms < ${best[$key]}) }"; then
    best[$key]=$ms
    faults[$key]=$pf
  fi
}
for ((r = 0; r < rounds; r++)); do
  measure empty "$work/empty"
  for p in "${programs[@]}"; do
    for i in 0 1 2; do
      # shellcheck disable=SC2046
      measure "$p|$i" "$p" $(args_of $i)
    done
  done
done
printf '%-34s %-24s %9s %7s %12s\n' program command ms faults "÷ empty"
printf '%-34s %-24s %9s %7s %12s\n' "empty C++ program" "" "${best[empty]}" "${faults[empty]}" 1
for p in "${programs[@]}"; do
  for i in 0 1 2; do
    k="$p|$i"
    printf '%-34s %-24s %9s %7s %12s\n' "$p" "${names[$i]}" "${best[$k]}" "${faults[$k]}" \
      "$(awk "BEGIN { printf \"%.1f\", ${best[$k]} / ${best[empty]} }")"
  done
done
