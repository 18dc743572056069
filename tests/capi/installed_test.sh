#!/bin/sh
# `cmake --install` into a fresh prefix, then the C example built against the
# installed header and library alone (pkg-config doudi) decides the README's
# household, on the compiled engine when the build has one; and the
# installed doudi loads its compiler from lib/doudi, not from the build.
#   installed_test.sh BUILD_DIR SOURCE_DIR BUNDLE
set -eu
build=$1 source=$2 bundle=$3
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
test -f "$prefix/include/doudi/doudi.h"
ls "$prefix"/lib/libdoudi.so.0 >/dev/null
LD_DEBUG=files "$prefix/bin/doudi" fmt "$source/bench/rules/means_test.doudi" 2>&1 >/dev/null |
  grep -q "file=$prefix/lib/doudi/libdoudi_compile.so "
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" cc -std=c11 -Wall -Wextra -Werror "$source/docs/examples/decide.c" \
  $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs doudi) -o "$prefix/decide"
cd "$source"
env -u DOUDI_JIT_LIBRARY "$prefix/decide" "$bundle" 会宁县 2022-06 stdlib-policies/huining/households/edge_disabled.json
