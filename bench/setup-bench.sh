#!/usr/bin/env bash
# Installs the tools only the benchmarks compare teikit with (bench/run), skipping what is
# already there: pandoc (the document converter the issue measures against), and time
# (/usr/bin/time -v gives the peak memory of each run). cmark, jing and xmllint (libxml2-utils)
# and Google Benchmark (libbenchmark-dev) are in scripts/debian-packages.sh, which
# scripts/setup-debian.sh installs; they are checked here too, so that this script alone makes
# a machine ready for bench/run.
#
#   bench/setup-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# Benchmark-only packages (not needed to build or test teikit) are listed, with why, in
# scripts/debian-packages.sh beside the others.
source scripts/debian-packages.sh
install_missing_packages setup-bench "${teikit_bench_packages[@]}" cmark jing libxml2-utils libbenchmark-dev
