#!/bin/sh
# libdoudi.so exports exactly the functions include/doudi/doudi.h declares:
# none missing, and nothing else (no C++ symbol, no internal C helper).
#   exports_test.sh LIBDOUDI HEADER
set -eu
lib=$1 header=$2
exported=$(nm -D --defined-only "$lib" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' | sort)
declared=$(grep -E '^[a-z].*\bdoudi_[a-z_]+\(' "$header" | grep -oE 'doudi_[a-z_]+\(' | tr -d '(' | sort -u)
if [ "$exported" != "$declared" ]; then
  echo "libdoudi.so exports and doudi.h declares different functions:"
  printf '%s\n' "$exported" > /tmp/exported.$$
  printf '%s\n' "$declared" > /tmp/declared.$$
  diff /tmp/exported.$$ /tmp/declared.$$ || true
  rm -f /tmp/exported.$$ /tmp/declared.$$
  exit 1
fi
echo "libdoudi.so exports the $(printf '%s\n' "$declared" | wc -l) functions doudi.h declares"
