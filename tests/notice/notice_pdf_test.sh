#!/usr/bin/env bash
# The decision notice printed to PDF by a real headless Chromium: at most two
# A4 pages for the README household, and its text holds the decision id, the
# amount and every clause the summary cites. Page 1 is kept as a PNG
# (build/tests/artifacts/notice_page1.png) for a person to look at.
# Usage: notice_pdf_test.sh SOURCE_DIR DOUDI_BINARY ARTIFACT_DIR
set -euo pipefail
src=$1 doudi=$2 artifacts=$3
"$src/setup.sh" --optional chromium
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"
"$doudi" bundle -I stdlib-policies examples/huining/deployment.doudi -o "$work/rules.bundle" >/dev/null
DOUDI_LOG_KEY=notice-test-key-0123456789abcdef "$doudi" --lang en run -I stdlib-policies examples/huining/deployment.doudi \
  -j 会宁县 -m 2022-06 stdlib-policies/huining/households/edge_disabled.json --log "$work/decisions.log" \
  > "$work/run.txt" 2>&1
id=$(sed -n 's/^logged decision \([0-9a-f]*\)$/\1/p' "$work/run.txt")
[ -n "$id" ] || { echo "run printed no decision id"; cat "$work/run.txt"; exit 1; }
# The log lists it (seq 1 is the context line).
"$doudi" --lang en log list "$work/decisions.log" | grep -q "^#2 $id 会宁县 2022-06 " ||
  { echo "doudi log list does not list decision $id"; exit 1; }
"$doudi" notice "$work/decisions.log" --id "$id" --bundle "$work/rules.bundle" -o "$work/notice.pdf"

pages=$(pdfinfo "$work/notice.pdf" | sed -n 's/^Pages: *//p')
echo "pages: $pages"
[ "$pages" -ge 1 ] && [ "$pages" -le 2 ] || { echo "expected 1 or 2 pages, got $pages"; exit 1; }
pdftotext -layout "$work/notice.pdf" "$work/notice.txt"
flat=$(tr -d ' \n' < "$work/notice.txt")
need=("$id" "828元/月" "会宁县民政局（示例）" "行政复议")
# Every clause the summary cites, as the summary prints them.
while IFS= read -r clause; do need+=("$clause"); done < <(
  "$doudi" explain "$work/decisions.log" --id "$id" --bundle "$work/rules.bundle" | grep -o '【[^】]*】' | sort -u | tr -d ' ')
fail=0
for n in "${need[@]}"; do
  if [[ "$flat" != *"$n"* ]]; then echo "missing from the PDF text: $n"; fail=1; fi
done
# 敏感 fields are masked: the logged ID number never appears.
if grep -q "hmac:" "$work/notice.txt"; then echo "a masked value leaked"; fail=1; fi
mkdir -p "$artifacts"
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/notice.pdf" "$artifacts/notice_page1"
echo "page 1: $artifacts/notice_page1.png"
exit $fail
