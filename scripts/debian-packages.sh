# The Debian 12 packages teikit needs, with why (sourced by scripts/setup-debian.sh and
# scripts/check-setup-deps.sh). A package that the build, a test or the main job uses and that
# is not here (nor pulled in by one here) is missing on a fresh machine.
teikit_debian_packages=(
  # build
  cmake
  g++
  make
  pkg-config
  # XML, RelaxNG, XSLT (+ EXSLT)
  libxml2-dev
  libxslt1-dev
  # paths, atomic output
  libboost-filesystem-dev
  # the CommonMark reference parser; cmark-targets.cmake of libcmark-dev names /usr/bin/cmark,
  # which only the cmark package ships
  libcmark-dev
  cmark
  # the command line
  libcli11-dev
  # Unicode normalisation (NFC) of the input
  libutf8proc-dev
  # the test suite (GTestConfig.cmake includes the GoogleMock targets when they are there)
  libgtest-dev
  libgmock-dev
  # the Python module (python/): Debian's pybind11 (its CMake package comes with pybind11-dev),
  # the headers of Debian's python3; its tests run with pytest and read the TEI with lxml
  python3-dev
  python3-pybind11
  python3-pytest
  python3-lxml
  # the reference RelaxNG validator (tests compare with it); command-line XML tools
  jing
  xsltproc
  libxml2-utils
  # GNU parallel: the test of `convert --jsonl` as a mapper (tests/jsonl_parallel.sh)
  parallel
  # the browser test of the HTML edition
  chromium
  fonts-dejavu-core
  # the stage benchmarks (bench/stages, target teikit_bench, and the bench_smoke test that runs
  # them once): Google Benchmark
  libbenchmark-dev
  # the fuzzer (libFuzzer with ASan + UBSan)
  clang
  libclang-rt-14-dev
  # scripts/check-setup-deps.sh records which files the configure step opens
  strace
  # the .deb (cpack -G DEB and its test): dpkg-shlibdeps writes Depends from what the binaries
  # link, and CPack picks the binaries out with file
  dpkg-dev
  file
)

# Not installed by setup-debian.sh: the tools only the whole-process benchmarks compare teikit
# with (bench/run; bench/setup-bench.sh installs them). No build step, test or the main job
# uses them.
# shellcheck disable=SC2034
teikit_bench_packages=(
  # the document converter issue 11 measures against (pandoc -f commonmark -t tei -s)
  pandoc
  # /usr/bin/time -v gives each run's peak memory
  time
)

# install_missing_packages TAG PACKAGE...: installs those of PACKAGE... that dpkg does not list as
# installed (with sudo when not root), and says what it did in lines starting "TAG: ". Used by
# scripts/setup-debian.sh and bench/setup-bench.sh; a failing apt-get stops their `set -e` run.
install_missing_packages() {
  local tag=$1
  shift
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "$tag: all packages present ($*)"
    return 0
  fi
  echo "$tag: installing ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "$tag: done"
}
