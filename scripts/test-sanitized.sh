#!/usr/bin/env bash
# Builds teikit with AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/ and runs the
# whole test suite there (issue 5: the suite must also pass under the sanitizers).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -DTEIKIT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ctest --test-dir build-asan --output-on-failure -j2 "$@"
