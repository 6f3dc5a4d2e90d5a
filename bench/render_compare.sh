#!/usr/bin/env bash
# Byte-identity of `teikit render` between two builds: renders every TEI of the shared corpus
# and of tests/data with both binaries, to html, text and markdown, and compares the outputs
# (and exit codes). Prints one line per difference and a summary; exits 1 on any difference.
#
#   bench/render_compare.sh OLD_TEIKIT NEW_TEIKIT   (TEIKIT_SHARED=dir, default ../shared;
#                                                   OLD_XSLT_DIR / NEW_XSLT_DIR: each build's
#                                                   stylesheets, default the configured ones)
set -uo pipefail
cd "$(dirname "$0")/.."
old=${1:?old teikit binary}
new=${2:?new teikit binary}
shared=${TEIKIT_SHARED:-../shared}
work=$(mktemp -d "${TMPDIR:-/tmp}/teikit-render-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
compared=0 differ=0
while IFS= read -r -d '' tei; do
  for to in html text markdown; do
    for which in old new; do
      bin=$old xslt=${OLD_XSLT_DIR:-}
      [ $which = new ] && bin=$new xslt=${NEW_XSLT_DIR:-}
      TEIKIT_XSLT_DIR=$xslt "$bin" render --to "$to" "$tei" >"$work/$which.out" 2>"$work/$which.err"
      echo $? >"$work/$which.rc"
    done
    compared=$((compared + 1))
    if ! cmp -s "$work/old.out" "$work/new.out" || ! cmp -s "$work/old.rc" "$work/new.rc"; then
      differ=$((differ + 1))
      echo "DIFFERS: $tei --to $to (exit $(cat "$work/old.rc") vs $(cat "$work/new.rc"))"
    fi
  done
done < <(find "$shared/corpus" tests/data -name '*.xml' -print0 | sort -z)
echo "compared $compared renderings, $differ differ"
[ "$differ" = 0 ]
