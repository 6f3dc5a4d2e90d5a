#!/usr/bin/env bash
# The consumer program (tests/consumer/main.cpp) built with nothing but pkg-config, as a Makefile
# would: against the teikit.pc in PKGCONFIG_DIR, into OUT_DIR, then run.
#   tests/consumer/build-with-pkg-config.sh PKGCONFIG_DIR OUT_DIR [CXX [CXXFLAGS]]
set -euo pipefail
pc_dir=$1 out=$2 cxx=${3:-c++} flags=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
export PKG_CONFIG_PATH=$pc_dir
rm -rf "$out"
mkdir -p "$out"
pkg-config --exists --print-errors teikit
data=$(pkg-config --variable=pkgdatadir teikit)
echo "pkg-config teikit $(pkg-config --modversion teikit): $(pkg-config --cflags --libs teikit)"
# shellcheck disable=SC2046,SC2086
"$cxx" -std=c++17 $flags "$here/main.cpp" -DTEIKIT_CONSUMER_DATA_DIR="\"$data\"" \
  $(pkg-config --cflags teikit) -o "$out/consumer" $(pkg-config --libs teikit)
# A shared libteikit outside the loader's folders (a scratch prefix): as its user would run it.
LD_LIBRARY_PATH=$(pkg-config --variable=libdir teikit)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
  "$out/consumer" >"$out/letter.xml"
grep -q '<TEI xmlns="http://www.tei-c.org/ns/1.0"' "$out/letter.xml"
echo "consumer (pkg-config): ok"
