#!/usr/bin/env bash
# The whole test suite, as CI runs it:
#   1. the suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/, browser test
#      excluded: Chromium is not what is being checked there),
#   2. the libFuzzer target for a bounded time (60 s, build-fuzz/),
#   3. the ordinary build (build/), the check that every file it used comes from a package the
#      set-up script installs (scripts/check-setup-deps.sh), and the whole suite, browser test
#      included — last, so its summary is the closing line.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== sanitizer build (ASan + UBSan)"
./scripts/test-sanitized.sh -LE browser
echo "== fuzzing (60 s)"
./scripts/fuzz.sh "${TEIKIT_FUZZ_SECONDS:-60}"
echo "== release build and the whole suite"
./scripts/build.sh
./scripts/check-setup-deps.sh build
ctest --test-dir build --output-on-failure -j2
