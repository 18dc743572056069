#!/usr/bin/env bash
# The long differential run (issue 12): the interpreter and the compiled
# engine on random records of every shipped schema, ≥ 10 million in all
# (ctest runs 5,000 per schema). Usage: bench/differential.sh [RECORDS_PER_SCHEMA] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
per=${1:-1000000}
seed=${2:-$RANDOM}
modules=(bench/rules/means_test.doudi examples/huining/deployment.doudi examples/huining/local_rule.doudi
  examples/huining/town.doudi tests/deploy/local_topup.doudi stdlib-policies/common/tests/framework_tests.doudi
  tests/differential/deployments/*.doudi)
echo "differential: ${#modules[@]} schemas × $per records, seed $seed"
DOUDI_CACHE_DIR=build/tests/cache build/tests/differential --records "$per" --seed "$seed" \
  -I stdlib-policies -I examples "${modules[@]}"
