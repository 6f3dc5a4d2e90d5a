#!/usr/bin/env bash
# Installs pagefind (the static search indexer `teikit build --search` runs) from the npm
# registry: the npm package carries the Linux binary, which runs offline afterwards. Needs npm
# (Debian's npm package, installed when there is no npm). The binary is linked as
# PREFIX/bin/pagefind.
#
#   scripts/setup-pagefind.sh [PREFIX]      (default /usr/local)
set -euo pipefail
version=1.6.0
prefix=${1:-/usr/local}
dir="$prefix/lib/teikit-pagefind"
if [ -x "$prefix/bin/pagefind" ] && "$prefix/bin/pagefind" --version 2>/dev/null | grep -q "$version"; then
  echo "setup-pagefind: pagefind $version present"
  exit 0
fi
if ! command -v npm >/dev/null; then
  # Debian's npm, unless Node.js came with an npm of its own (not part of the Debian package
  # list, where it would clash with such a Node.js).
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
mkdir -p "$dir" "$prefix/bin"
# npm's own errors are shown (a registry that cannot be reached, a certificate it refuses).
if ! npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "pagefind@$version"; then
  echo "setup-pagefind: npm could not install pagefind@$version from its registry" >&2
  exit 1
fi
binary=""
if [ -d "$dir/node_modules/@pagefind" ]; then
  binary=$(find "$dir/node_modules/@pagefind" -type f -name 'pagefind*' -perm -u+x ! -name '*.sha256' | sort | head -1)
fi
if [ -z "$binary" ]; then
  echo "setup-pagefind: no pagefind binary for this platform in the npm package" >&2
  exit 1
fi
ln -sf "$binary" "$prefix/bin/pagefind"
echo "setup-pagefind: $("$prefix/bin/pagefind" --version) at $prefix/bin/pagefind"
