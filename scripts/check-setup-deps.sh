#!/usr/bin/env bash
# The cheap form of scripts/check-fresh-debian.sh, run by CI on every submission: every file that
# configuring and building teikit uses must belong to a package a fresh Debian 12 machine gets —
# one of scripts/debian-packages.sh, an Essential package, apt, or a dependency of those.
# (The fresh-root check takes ~25 minutes; this one seconds. It would have caught issue 8's
# `cmark`: libcmark-dev's cmark-targets.cmake checks that /usr/bin/cmark exists, a file of the
# package cmark, which no listed package depends on.)
#
#   scripts/check-setup-deps.sh [BUILD_DIR]     (default: build; must have been built)
#
# Files used: those the configure step opens or stats (strace, a scratch build tree), the headers
# the compiler read for BUILD_DIR (its *.o.d depfiles) and the libraries on its link lines.
# Exit 0 when all are covered; 1 with the list of files and packages that are not.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
build=${1:-build}
if ! find "$build" -name '*.o.d' -print -quit 2>/dev/null | grep -q .; then
  echo "check-setup-deps: $build has no compiler depfiles; build it first (scripts/build.sh)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The packages a fresh machine has after scripts/setup-debian.sh, with their dependencies.
source scripts/debian-packages.sh
printf '%s\n' "${teikit_debian_packages[@]}" >"$tmp/roots"
dpkg-query -W -f='${Package}\t${Essential}\n' | awk -F'\t' '$2 == "yes" { print $1 }' >>"$tmp/roots"
echo apt >>"$tmp/roots"
apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts \
  --no-breaks --no-replaces --no-enhances $(sort -u "$tmp/roots") 2>/dev/null |
  grep -v '^ ' | sed 's/:.*//' | sort -u >"$tmp/allowed"

# Which package owns which file (paths with /lib, /bin, /sbin brought under /usr: merged /usr).
normalise() { sed -E 's#^/(lib|lib64|bin|sbin)/#/usr/\1/#'; }
for list in /var/lib/dpkg/info/*.list; do
  pkg=${list##*/}; pkg=${pkg%.list}; pkg=${pkg%%:*}
  normalise <"$list" | sed "s#\$#\t$pkg#"
done >"$tmp/owners"

# 1. The configure step, in a scratch build tree.
# (Finding Python runs the interpreter: SETUPTOOLS_USE_DISTUTILS=stdlib keeps a setuptools that
# happens to be installed from standing in for the distutils of python3-distutils, as it does not
# on a fresh machine.)
SETUPTOOLS_USE_DISTUTILS=stdlib strace -f -qq -e trace=%file -o "$tmp/trace" \
  cmake -S . -B "$tmp/configure" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
grep -v ' = -1 ' "$tmp/trace" | grep -oE '"/[^"]*"' | tr -d '"' >"$tmp/paths"
# 2. What the compiler read and the linker was given in BUILD_DIR.
find "$build" -name '*.o.d' -exec cat {} + | tr ' \\' '\n\n' | grep '^/' >>"$tmp/paths" || true
find "$build" -name link.txt -exec cat {} + | tr ' ' '\n' | grep -E '^/.*\.(so|a)(\.|$)' \
  >>"$tmp/paths" || true

# Each file outside the project and the scratch trees, by its own path (".." folded) and by the
# file its symbolic links lead to (/usr/bin/c++ -> /etc/alternatives/c++ -> g++-12): either may be
# the one a package owns. Configuration in /etc and message catalogues are read only where present;
# so are the .pth files Python reads from its site directories at start-up, and its __pycache__
# files are compiled from the sources beside them when missing.
sort -u "$tmp/paths" | while IFS= read -r p; do
  case "$p" in "$top"/*|"$tmp"/*|/tmp/*|/proc/*|/sys/*|/dev/*|/etc/*|/usr/share/locale/*) continue ;; esac
  case "$p" in */__pycache__/*.pyc|*/site-packages/*.pth|*/dist-packages/*.pth) continue ;; esac
  [ -f "$p" ] || continue
  printf '%s\t%s\n' "$(realpath -s -m "$p" | normalise)" "$(readlink -f "$p" | normalise)"
done | sort -u >"$tmp/files"

# owners: file -> packages; allowed: package names. A file is covered when one of its two paths
# belongs to an allowed package; missing when its owner is not allowed; unowned when no package
# owns either path (installed by hand, e.g. under /usr/local).
awk -F'\t' -v allowed="$tmp/allowed" -v owners="$tmp/owners" '
  BEGIN {
    while ((getline line < allowed) > 0) ok[line] = 1
    while ((getline line < owners) > 0) { split(line, f, "\t"); own[f[1]] = own[f[1]] " " f[2] }
  }
  {
    covered = 0; by = ""
    for (i = 1; i <= 2; i++) {
      if (!($i in own)) continue
      n = split(own[$i], pk, " ")
      for (j = 1; j <= n; j++) { if (pk[j] in ok) covered = 1; else by = pk[j] }
    }
    if (covered) { print "ok\t" $1 > "/dev/stderr"; next }
    if (by != "") print "missing\t" by "\t" $1
    else if ($1 ~ /^\/usr\//) print "unowned\t\t" $1
  }' "$tmp/files" >"$tmp/verdicts" 2>"$tmp/covered"
missing=$(awk -F'\t' '$1 == "missing" { print $2 "\t" $3 }' "$tmp/verdicts" | sort -u)
unowned=$(awk -F'\t' '$1 == "unowned" { print $3 }' "$tmp/verdicts" | sort -u)
echo "check-setup-deps: $(wc -l <"$tmp/files") files used by configure and build," \
  "$(wc -l <"$tmp/covered") of them from the $(wc -l <"$tmp/allowed") packages a fresh machine" \
  "has after setup"
status=0
if [ -n "$missing" ]; then
  echo "check-setup-deps: used, but neither in scripts/debian-packages.sh nor pulled in by it:"
  printf '%s\n' "$missing" | awk -F'\t' '{ printf "  %-28s %s\n", $1, $2 }'
  status=1
fi
if [ -n "$unowned" ]; then
  echo "check-setup-deps: used, but installed by hand (no Debian package owns them):"
  printf '  %s\n' $unowned
  status=1
fi
[ $status -eq 0 ] && echo "check-setup-deps: every file comes from a package a fresh machine gets"
exit $status
