#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each of them for
# a share of a bounded time (default 60 s in all, or $1, split evenly between the targets; only
# the targets named after it, if any: `scripts/fuzz.sh 300 fuzz_validate`).
#   fuzz_convert   transcriptions: samples/*.txt, replaying tests/fuzz/regressions/
#   fuzz_render    TEI: the samples converted by the fuzz build, tests/fuzz/regressions-render/
#   fuzz_validate  documents and schema+document pairs: tests/validate/, tests/fuzz/seeds/validate/,
#                  tests/fuzz/regressions/validate/
# Findings are written to build-fuzz/findings/<target>-*; copy them to the regressions folder of
# their target so the test suite replays them.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DTEIKIT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
if [ ${#targets[@]} -eq 0 ]; then
  # Every fuzz_* target the build defines (tests/CMakeLists.txt), in a stable order.
  mapfile -t targets < <(cmake --build build-fuzz --target help |
                         sed -n 's/^\.\.\. \(fuzz_[a-z_]*\).*/\1/p' | sort -u)
fi
[ "${#targets[@]}" -gt 0 ] || { echo "fuzz: no fuzz_* target in the build" >&2; exit 1; }
cmake --build build-fuzz -j"$(nproc)" --target teikit-cli "${targets[@]}" >/dev/null
share=$(( seconds / ${#targets[@]} ))
[ "$share" -ge 1 ] || share=1

# TEI seeds for render: the samples, converted with the fuzz build's own teikit.
mkdir -p build-fuzz/seeds/tei build-fuzz/findings
for f in samples/*.txt; do
  build-fuzz/converter/teikit convert "$f" -o "build-fuzz/seeds/tei/$(basename "$f" .txt).xml" \
    2>/dev/null || true
done

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
status=0
for t in "${targets[@]}"; do
  corpus=build-fuzz/corpus-$t
  mkdir -p "$corpus"
  case $t in
    fuzz_convert)
      cp samples/*.txt "$corpus"/
      find tests/fuzz/regressions -maxdepth 1 -type f ! -name README.md -exec cp {} "$corpus"/ \; ;;
    fuzz_render)
      cp build-fuzz/seeds/tei/*.xml "$corpus"/
      find tests/fuzz/regressions-render -type f ! -name README.md -exec cp {} "$corpus"/ \; ;;
    fuzz_validate)
      cp tests/validate/*.xml tests/fuzz/seeds/validate/* "$corpus"/
      find tests/fuzz/regressions/validate -type f ! -name README.md -exec cp {} "$corpus"/ \; ;;
  esac
  rc=0
  "build-fuzz/tests/$t" "$corpus" -max_total_time="$share" -max_len=16384 \
    -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -artifact_prefix="build-fuzz/findings/$t-" \
    -print_final_stats=1 >"build-fuzz/$t.log" 2>&1 || rc=$?
  grep -E "invariant broken|ERROR|SUMMARY|stat::number_of_executed_units|stat::average_exec|Test unit written" \
    "build-fuzz/$t.log" || true
  echo "fuzz $t: ${share}s, exit $rc; full log in build-fuzz/$t.log"
  [ "$rc" = 0 ] || status=$rc
done
exit $status
