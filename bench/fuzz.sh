#!/usr/bin/env bash
# Long fuzzing runs (CI fuzzes each target for 20 s; this is the hours).
#   bench/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 1800 s; all targets)
# Builds build-fuzz (clang, libFuzzer, ASan+UBSan) if needed, fuzzes each
# target in turn from its seeds and regressions, and prints per target the
# executions, coverage (edges) and corpus size from libFuzzer's final
# statistics. A crash leaves build-fuzz/tests/fuzz/crash-TARGET-*: add it to
# tests/fuzz/regressions/TARGET/ with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-1800}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(front_end record bundle log typed)

./setup.sh --optional clang
if [ ! -f build-fuzz/CMakeCache.txt ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DDOUDI_SANITIZE=ON -DDOUDI_FUZZ=ON >/dev/null
fi
cmake --build build-fuzz -j"$(nproc)"
ctest --test-dir build-fuzz -R fuzz_seed_bundles >/dev/null

dir=build-fuzz/tests/fuzz
status=0
for t in "${targets[@]}"; do
  # The inputs each target reads, as ctest gives them (tests/fuzz/CMakeLists.txt).
  inputs=$(ctest --test-dir build-fuzz -R "^fuzz_replay_${t}\$" -N -V | sed -n 's/.*Test command: .* -runs=0 //p')
  mkdir -p "$dir/corpus/$t"
  echo "== $t: ${seconds} s"
  if ASAN_OPTIONS=detect_leaks=0 "$dir/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3000 \
       -print_final_stats=1 -artifact_prefix="$dir/crash-$t-" "$dir/corpus/$t" $inputs 2> "$dir/fuzz-$t.log"; then
    :
  else
    status=1
    echo "   CRASH: see $dir/fuzz-$t.log and $dir/crash-$t-*"
  fi
  grep -E "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)" "$dir/fuzz-$t.log" | sed 's/^/   /'
  grep -E "^#[0-9]+[[:space:]]+DONE" "$dir/fuzz-$t.log" | tail -1 | sed 's/^/   /'
done
exit $status
