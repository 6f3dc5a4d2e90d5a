#!/usr/bin/env bash
# The .deb: builds it from the build tree BUILD (cpack -G DEB into SCRATCH), checks its control
# fields, that its Depends name the Debian package of every shared library its binaries link
# (dpkg-shlibdeps found them), extracts it (dpkg -x, no root needed) and runs the extracted
# SCRATCH/root/usr/bin/teikit from another folder (tests/install/run-installed.sh): it finds
# its data in SCRATCH/root/usr/share/teikit. Last, with that folder moved away the same binary
# fails to render: the data it used was its prefix's.
#   tests/install/deb.sh BUILD SCRATCH SAMPLE.txt VERSION
set -euo pipefail
build=$1 scratch=$2 sample=$3 version=$4
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "deb: $*" >&2; exit 1; }
for tool in cpack dpkg-deb dpkg-shlibdeps file; do
  command -v "$tool" >/dev/null ||
    fail "$tool is missing (scripts/debian-packages.sh lists dpkg-dev and file; run scripts/setup-debian.sh)"
done
case $scratch in ""|/) fail "refusing to clear '$scratch'" ;; esac
rm -rf "$scratch"
mkdir -p "$scratch"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch" >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log" >&2; fail "cpack -G DEB failed"; }
debs=("$scratch"/teikit_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one teikit_*.deb in $scratch"
deb=${debs[0]}
echo "deb: $(basename "$deb"), $(stat -c %s "$deb") bytes"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = teikit ] || fail "Package is '$(field Package)', not teikit"
[ "$(field Version)" = "$version" ] ||
  fail "Version is '$(field Version)', the project's is '$version'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Description)" ] || fail "no Description"
depends=$(field Depends)
echo "deb: Depends: $depends"

root=$scratch/root
dpkg -x "$deb" "$root"
[ -x "$root/usr/bin/teikit" ] || fail "no usr/bin/teikit in the package"
[ -f "$root/usr/share/teikit/xslt/tei-to-html.xsl" ] || fail "no stylesheets in usr/share/teikit"

# Every shared library an ELF file of the package links directly (its NEEDED entries) comes
# from a package in Depends (libraries the package holds itself excepted).
names=$(printf '%s\n' "$depends" | tr ',|' '\n\n' | sed -E 's/^ *//; s/ .*//' | sort -u)
missing=()
while IFS= read -r elf; do
  needed=$(objdump -p "$elf" | awk '$1 == "NEEDED" { print $2 }')
  [ -n "$needed" ] || fail "${elf#"$root"} links no shared library?"
  resolved=0
  # ldd's lines: "libx.so.1 => /path/libx.so.1 (0x…)", and the dynamic loader's "/path (0x…)".
  while read -r lib arrow path _; do
    [ "$arrow" = "=>" ] || { path=$lib; lib=${lib##*/}; }
    grep -qxF "$lib" <<<"$needed" || continue
    resolved=$((resolved + 1))
    [ -n "$path" ] && [ -e "$path" ] || fail "${elf#"$root"}: $lib not found"
    case $path in "$root"/*) continue ;; esac
    owner=
    for p in "$path" "$(readlink -f "$path")" "${path#/usr}" "/usr${path}"; do
      owner=$(dpkg-query -S "$p" 2>/dev/null | head -1 | sed 's/:.*//; s/, .*//') && [ -n "$owner" ] && break
    done
    [ -n "$owner" ] || fail "no package owns $path ($lib, linked by ${elf#"$root"})"
    grep -qx "$owner" <<<"$names" || missing+=("$owner ($lib, ${elf#"$root"})")
  done < <(LD_LIBRARY_PATH="$root/usr/lib" ldd "$elf" | grep -v 'linux-vdso')
  [ "$resolved" -eq "$(wc -l <<<"$needed")" ] ||
    fail "${elf#"$root"}: ldd resolved $resolved of its NEEDED libraries: $(echo $needed)"
done < <(find "$root" -type f -exec file {} + | sed -n 's/^\([^:]*\): *ELF .*dynamically linked.*/\1/p')
[ ${#missing[@]} -eq 0 ] || fail "linked but not in Depends: ${missing[*]}"
for want in libxml2 libxslt1.1 libstdc++6 libc6; do
  grep -qx "$want" <<<"$names" || fail "Depends lacks $want"
done

# A Python module (TEIKIT_PYTHON) goes where Debian's Python 3 reads modules, and needs it.
modules=$(find "$root" -name '*.cpython-*.so' -o -name 'teikit*.so' | grep -v '/libteikit' || true)
if [ -n "$modules" ]; then
  while IFS= read -r m; do
    case ${m#"$root"} in /usr/lib/python3/dist-packages/*) ;;
      *) fail "Python module ${m#"$root"} is not in /usr/lib/python3/dist-packages" ;; esac
  done <<<"$modules"
  grep -qx python3 <<<"$names" || fail "the package has a Python module but Depends lacks python3"
  echo "deb: Python module(s): $(sed "s#^$root##" <<<"$modules" | tr '\n' ' ')"
fi

"$here/run-installed.sh" "$root/usr/bin/teikit" "$sample"

# Without its prefix's data the extracted binary cannot render: it used no other copy.
"$root/usr/bin/teikit" convert "$sample" -o "$scratch/doc.xml"
mv "$root/usr/share/teikit" "$root/usr/share/teikit.moved"
status=0
(cd /tmp && "$root/usr/bin/teikit" render --to html "$scratch/doc.xml" -o "$scratch/doc.html") \
  >"$scratch/moved.log" 2>&1 || status=$?
mv "$root/usr/share/teikit.moved" "$root/usr/share/teikit"
[ $status -ne 0 ] || fail "rendered with usr/share/teikit moved away: it found data elsewhere"
echo "deb: with usr/share/teikit moved away, render fails as it should (exit $status: $(head -1 "$scratch/moved.log"))"
echo "deb: ok"
