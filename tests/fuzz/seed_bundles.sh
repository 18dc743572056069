#!/usr/bin/env bash
# Seeds for the bundle fuzz target, made by the doudi being tested (bundles
# follow the IR, so committed ones would go stale): the log fixture's rules,
# the Huining deployment, and the committed hostile bundles.
set -euo pipefail
doudi="$1" source="$2" out="$3"
mkdir -p "$out"
"$doudi" bundle "$source/tests/fixtures/logs/schema.doudi" -o "$out/schema.bundle" >/dev/null
"$doudi" bundle -I "$source/stdlib-policies" "$source/examples/huining/deployment.doudi" -o "$out/huining.bundle" >/dev/null
cp "$source"/tests/fixtures/bundles/*.bundle "$out/"
