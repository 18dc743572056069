#!/usr/bin/env bash
# Every decision id the C API gave (one a line in IDS) is one that
# `doudi log list` finds in LOG: a format 3 decision's id is its line's
# leaf, not written in the line (docs/cli.md).
# Usage: logged_ids_test.sh DOUDI LOG IDS
set -euo pipefail
doudi=$1 log=$2 ids=$3
listed=$("$doudi" --lang en log list "$log" | awk '{print $2}')
n=0
while read -r id; do
  grep -qx "$id" <<< "$listed" || { echo "decision $id is not in $log"; exit 1; }
  n=$((n + 1))
done < "$ids"
[ "$n" -gt 0 ] || { echo "$ids holds no id"; exit 1; }
echo "all $n ids are in the log"
