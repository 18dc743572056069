#!/usr/bin/env bash
# The web console in a real headless Chromium (tests/console/console_test.py),
# with what it needs installed on first run: Chromium and Debian's Python
# websocket client (./setup.sh --optional chromium).
# Usage: console_test.sh SOURCE_DIR BUILD_DIR ARTIFACT_DIR
set -euo pipefail
src=$1 build=$2 artifacts=$3
"$src/setup.sh" --optional chromium
# Debian's Python, where setup.sh installs the modules the test imports.
exec /usr/bin/python3 "$src/tests/console/console_test.py" "$build" "$src" "$artifacts"
