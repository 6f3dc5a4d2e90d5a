#!/usr/bin/env bash
# Installs what teikit needs on Debian 12 (bookworm), skipping what is already there.
#   libxml2/libxslt: XML, RelaxNG, XSLT      libboost-filesystem: paths, atomic output
#   libcmark: the CommonMark reference parser for Markdown-flavoured input
#   libcli11: the command line               libgtest: the test suite
#   libutf8proc: Unicode normalisation (NFC) of the input
#   jing: the reference RelaxNG validator (tests compare with it)   xsltproc/xmllint: tools
#   chromium + fonts: the browser test of the HTML edition   clang + libclang-rt: the fuzzer
set -euo pipefail
packages=(cmake g++ make pkg-config libxml2-dev libxslt1-dev libboost-filesystem-dev
          libcmark-dev cmark libcli11-dev libutf8proc-dev libgtest-dev jing xsltproc libxml2-utils
          chromium fonts-dejavu-core clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
