#!/usr/bin/env bash
# Installs what teikit needs on Debian 12 (bookworm), skipping what is already there. The list,
# with why each package is needed, is scripts/debian-packages.sh.
set -euo pipefail
cd "$(dirname "$0")"
source ./debian-packages.sh
packages=("${teikit_debian_packages[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# pagefind (the search of `teikit build --search`) comes from the npm registry. Optional: without
# it `build --search` is refused and the search's browser test is skipped.
setup_pagefind() {
  ./setup-pagefind.sh || echo "setup: pagefind not installed (teikit build --search unavailable)"
}
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  setup_pagefind
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
setup_pagefind
