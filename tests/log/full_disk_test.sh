#!/usr/bin/env bash
# Files the tools write on a full disk: `fmt --write` leaves the user's policy
# exactly as it was (it used to truncate it mid-rule and exit 0), `bundle -o`
# leaves no half bundle, and each says so with E0016. Needs a tiny tmpfs;
# where one cannot be mounted (not root), the test is skipped with a message.
set -u
doudi="$1" source="$2"
dir=$(mktemp -d)
cleanup() { umount "$dir" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
if ! mount -t tmpfs -o size=64k tmpfs "$dir" 2>/dev/null; then
  echo "skipped: cannot mount a 64 KiB tmpfs here (needs root)"
  exit 77
fi
fail=0
# A policy with trailing spaces (not canonical, so fmt --write rewrites it).
sed 's/$/  /' "$source/tests/fixtures/logs/schema.doudi" > "$dir/policy.doudi"
cp "$dir/policy.doudi" "$dir/before"
dd if=/dev/zero of="$dir/filler" bs=1k count=1000 2>/dev/null  # fills the disk; dd stops at ENOSPC

out=$("$doudi" --lang en fmt --write "$dir/policy.doudi" 2>&1); rc=$?
[ $rc -ne 0 ] || { echo "FAIL: fmt --write on a full disk exited 0"; fail=1; }
grep -q "E0016" <<< "$out" || { echo "FAIL: no E0016 from fmt --write: $out"; fail=1; }
cmp -s "$dir/policy.doudi" "$dir/before" || { echo "FAIL: fmt --write changed the policy on a full disk"; fail=1; }

out=$("$doudi" --lang en bundle "$source/tests/fixtures/logs/schema.doudi" -o "$dir/x.bundle" 2>&1); rc=$?
[ $rc -ne 0 ] || { echo "FAIL: bundle -o on a full disk exited 0"; fail=1; }
grep -q "E0016" <<< "$out" || { echo "FAIL: no E0016 from bundle: $out"; fail=1; }
[ ! -e "$dir/x.bundle" ] || { echo "FAIL: a half bundle was left"; fail=1; }
leftovers=$(ls "$dir" | grep -c doudi-tmp)
[ "$leftovers" -eq 0 ] || { echo "FAIL: temporary files left behind"; fail=1; }

[ $fail -eq 0 ] && echo "full disk: the policy is intact, nothing half written, E0016 given"
exit $fail
