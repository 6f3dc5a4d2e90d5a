#!/usr/bin/env bash
# Installs what teikit needs on Debian 12 (bookworm), skipping what is already there. The list,
# with why each package is needed, is scripts/debian-packages.sh.
set -euo pipefail
cd "$(dirname "$0")"
source ./debian-packages.sh
install_missing_packages setup "${teikit_debian_packages[@]}"
# pagefind (the search of `teikit build --search`) comes from the npm registry. Optional: without
# it `build --search` is refused and the search's browser test is skipped.
./setup-pagefind.sh || echo "setup: pagefind not installed (teikit build --search unavailable)"
