#!/usr/bin/env bash
# Builds the libFuzzer target with clang (ASan + UBSan) in build-fuzz/ and runs it for a bounded
# time (default 60 s, or $1) on a corpus seeded from samples/. Findings are written to
# build-fuzz/findings/; copy them to tests/fuzz/regressions/ so the test suite replays them.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DTEIKIT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_convert >/dev/null
mkdir -p build-fuzz/corpus build-fuzz/findings
cp samples/*.txt build-fuzz/corpus/
find tests/fuzz/regressions -type f ! -name README.md -exec cp {} build-fuzz/corpus/ \;
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
status=0
build-fuzz/tests/fuzz_convert build-fuzz/corpus -max_total_time="$seconds" -max_len=16384 \
  -timeout=10 -rss_limit_mb=2048 -artifact_prefix=build-fuzz/findings/ -print_final_stats=1 \
  >build-fuzz/fuzz.log 2>&1 || status=$?
grep -E "invariant broken|ERROR|SUMMARY|stat::number_of_executed_units|stat::average_exec|Test unit written" \
  build-fuzz/fuzz.log || true
echo "fuzz: ${seconds}s, exit $status; full log in build-fuzz/fuzz.log"
exit $status
