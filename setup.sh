#!/usr/bin/env bash
# Installs the Debian packages the build needs (skipping those present),
# then configures and builds Doudi into ./build. Safe to run again: a second
# run installs nothing and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  cmake make g++            # toolchain
  antlr4                    # parser generator (4.7.2; its C++ output builds against the 4.9 runtime)
  libantlr4-runtime-dev     # ANTLR C++ runtime
  libfmt-dev                # formatting, diagnostics
  libsimdjson-dev           # household records (JSON)
  libcsv-dev                # household records (CSV, RFC 4180)
  libcli11-dev              # command line
  nettle-dev                # SHA-256, HMAC and Ed25519 for bundles and the decision log
  libz3-dev                 # SMT solver for doudi check (exception conflicts)
  doctest-dev               # unit and golden tests
  llvm-15-dev               # the compiled engine (libdoudi_jit.so); -DDOUDI_JIT=OFF builds without it
  libcpp-httplib-dev        # doudi serve: HTTP/1.1 server (doudi-serve)
  nlohmann-json3-dev        # doudi serve: the API's JSON
  pkg-config                # finds Nettle's and cpp-httplib's build flags
  python3 python3-jsonschema  # the service's end-to-end test checks responses against its OpenAPI document
)

# Optional parts, installed when their tests run: ./setup.sh --optional chromium
# (headless Chromium prints decision notices to PDF; poppler-utils reads them
# back in the tests; Noto CJK gives Chinese text its glyphs; the console's
# browser test drives Chromium with Debian's Python websocket client).
# ./setup.sh --optional clang: clang 14 with libFuzzer, for the sanitizer and
# fuzz build (.ci/run, bench/fuzz.sh).
# ./setup.sh --optional postgres: PostgreSQL 15 and its server headers, for
# the doudi extension (tools/postgres) and its test, which starts servers.
declare -A optional=(
  [chromium]="chromium poppler-utils fonts-noto-cjk python3-websocket"
  [clang]="clang libclang-rt-14-dev"
  [postgres]="postgresql-15 postgresql-client-15 postgresql-server-dev-15"
)
only_optional=""
if [ "${1:-}" = "--optional" ]; then
  only_optional="${2:?usage: ./setup.sh --optional chromium|clang|postgres}"
  [ -n "${optional[$only_optional]:-}" ] || { echo "setup: no optional part '$only_optional'" >&2; exit 2; }
  read -r -a packages <<< "${optional[$only_optional]}"
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -n "$only_optional" ] && exit 0

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
