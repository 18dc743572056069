#!/usr/bin/env bash
# The long differential run (issue 12): the interpreter and the compiled
# engine on random records of every shipped schema, ≥ 10 million in all
# (ctest runs 5,000 per schema), and mutants of each schema's IR that the
# verifier accepts (ctest: 8 per schema). Usage:
#   bench/differential.sh [RECORDS_PER_SCHEMA [SEED [MUTANTS_PER_SCHEMA]]]
set -euo pipefail
cd "$(dirname "$0")/.."
per=${1:-1000000}
seed=${2:-$RANDOM}
mutants=${3:-200}
modules=(bench/rules/means_test.doudi examples/huining/deployment.doudi examples/huining/local_rule.doudi
  examples/huining/town.doudi tests/deploy/local_topup.doudi stdlib-policies/common/tests/framework_tests.doudi
  tests/differential/deployments/*.doudi)
echo "differential: ${#modules[@]} schemas × $per records and $mutants mutants, seed $seed"
DOUDI_CACHE_DIR=build/tests/cache build/tests/differential --records "$per" --seed "$seed" --mutants "$mutants" \
  -I stdlib-policies -I examples "${modules[@]}"
