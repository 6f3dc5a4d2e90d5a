#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each for a
# bounded time (default 60 s, or $1; only the targets named after it, if any, e.g.
# `scripts/fuzz.sh 300 fuzz_validate`) on a corpus seeded from samples/ (convert) or
# tests/validate/ and tests/fuzz/seeds/validate/ (validate). Findings are written to
# build-fuzz/findings/; copy them to tests/fuzz/regressions/ (validate: regressions/validate/)
# so the test suite replays them.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_convert fuzz_validate)
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DTEIKIT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}" >/dev/null
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
status=0
for t in "${targets[@]}"; do
  corpus=build-fuzz/corpus-$t
  mkdir -p "$corpus" build-fuzz/findings
  case $t in
    fuzz_convert)
      cp samples/*.txt "$corpus"/
      find tests/fuzz/regressions -maxdepth 1 -type f ! -name README.md -exec cp {} "$corpus"/ \; ;;
    fuzz_validate)
      cp tests/validate/*.xml tests/fuzz/seeds/validate/* "$corpus"/
      find tests/fuzz/regressions/validate -type f ! -name README.md -exec cp {} "$corpus"/ \; ;;
  esac
  s=0
  build-fuzz/tests/"$t" "$corpus" -max_total_time="$seconds" -max_len=16384 \
    -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -artifact_prefix=build-fuzz/findings/"$t"- \
    -print_final_stats=1 >build-fuzz/"$t".log 2>&1 || s=$?
  grep -E "invariant broken|ERROR|SUMMARY|stat::number_of_executed_units|stat::average_exec|Test unit written" \
    build-fuzz/"$t".log || true
  echo "$t: ${seconds}s, exit $s; full log in build-fuzz/$t.log"
  [ $s -eq 0 ] || status=$s
done
exit $status
