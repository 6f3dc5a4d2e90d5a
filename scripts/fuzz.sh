#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each of them for
# a share of a bounded time (default 60 s in all, or $1, split evenly between the targets) on a
# corpus seeded from samples/: fuzz_convert from the transcriptions, fuzz_render (and
# fuzz_validate, when built) from their TEI. Findings are written to build-fuzz/findings/<target>/;
# copy them to tests/fuzz/regressions/ (convert) or tests/fuzz/regressions-<name>/ so the test
# suite replays them.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DTEIKIT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# Every fuzz_* target the build defines (tests/CMakeLists.txt), in a stable order.
mapfile -t targets < <(cmake --build build-fuzz --target help | sed -n 's/^\.\.\. \(fuzz_[a-z_]*\).*/\1/p' | sort -u)
[ "${#targets[@]}" -gt 0 ] || { echo "fuzz: no fuzz_* target in the build" >&2; exit 1; }
cmake --build build-fuzz -j"$(nproc)" --target teikit "${targets[@]}" >/dev/null
share=$(( seconds / ${#targets[@]} ))
[ "$share" -ge 1 ] || share=1

# Seeds: the transcriptions, and their TEI (converted with the fuzz build's own teikit).
mkdir -p build-fuzz/seeds/txt build-fuzz/seeds/tei
cp samples/*.txt build-fuzz/seeds/txt/
for f in samples/*.txt; do
  build-fuzz/converter/teikit convert "$f" -o "build-fuzz/seeds/tei/$(basename "$f" .txt).xml" 2>/dev/null || true
done

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
status=0
for t in "${targets[@]}"; do
  name=${t#fuzz_}
  corpus=build-fuzz/corpus/$name
  mkdir -p "$corpus" "build-fuzz/findings/$name"
  if [ "$name" = convert ]; then
    cp build-fuzz/seeds/txt/* "$corpus/"
    regressions=tests/fuzz/regressions
  else
    cp build-fuzz/seeds/tei/* "$corpus/"
    regressions=tests/fuzz/regressions-$name
  fi
  [ -d "$regressions" ] && find "$regressions" -type f ! -name README.md -exec cp {} "$corpus/" \;
  rc=0
  "build-fuzz/tests/$t" "$corpus" -max_total_time="$share" -max_len=16384 \
    -timeout=10 -rss_limit_mb=2048 -artifact_prefix="build-fuzz/findings/$name/" -print_final_stats=1 \
    >"build-fuzz/fuzz-$name.log" 2>&1 || rc=$?
  grep -E "invariant broken|ERROR|SUMMARY|stat::number_of_executed_units|stat::average_exec|Test unit written" \
    "build-fuzz/fuzz-$name.log" || true
  echo "fuzz $t: ${share}s, exit $rc; full log in build-fuzz/fuzz-$name.log"
  [ "$rc" = 0 ] || status=$rc
done
exit $status
