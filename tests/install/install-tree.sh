#!/usr/bin/env bash
# Installs the build tree BUILD into a fresh tree (what the install tests, tests/install.cmake,
# run against): with --prefix PREFIX, or with DESTDIR=DESTDIR at the configured prefix.
#   tests/install/install-tree.sh BUILD prefix PREFIX
#   tests/install/install-tree.sh BUILD destdir DESTDIR
set -euo pipefail
build=$1 mode=$2 dir=$3
case $dir in ""|/) echo "install-tree: refusing to clear '$dir'" >&2; exit 1 ;; esac
rm -rf "$dir"
case $mode in
  prefix) cmake --install "$build" --prefix "$dir" >/dev/null ;;
  destdir) DESTDIR=$dir cmake --install "$build" >/dev/null ;;
  *) echo "install-tree: mode is prefix or destdir" >&2; exit 1 ;;
esac
echo "install-tree: $(find "$dir" -type f | wc -l) files installed under $dir"
