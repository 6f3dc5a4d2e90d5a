#!/usr/bin/env bash
# Time and peak memory of `teikit validate` on hostile shapes (issue 8): nested elements with
# cascades of errors (the error localiser), many attributes on one element, many namespace
# declarations in scope, a long run of siblings. Prints one line per case: seconds (wall),
# max RSS (KB, the validating child included), exit code. Usage:
#   bench/validate_shapes.sh [TEIKIT_BINARY]     (default build/converter/teikit)
# TEI_ALL (default ../shared/tei-schemas/tei_all.rng, or $TEIKIT_SHARED/tei-schemas/...) adds
# the cases against tei_all when present. Each run is capped at 60 s and 8 GB.
set -uo pipefail
cd "$(dirname "$0")/.."
teikit=${1:-build/converter/teikit}
shared=${TEIKIT_SHARED:-../shared}
tei_all=${TEI_ALL:-$shared/tei-schemas/tei_all.rng}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
head = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t'
        '</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p>'
        '</sourceDesc></fileDesc></teiHeader><text><body>')
tail = '</body></text></TEI>\n'
def w(name, body):
    open(f'{d}/{name}.xml', 'w').write(head + body + tail)
for n in (30, 40, 200):
    w(f'div{n}', '<div>' * n + '<p>x</p>' + '</div>' * n)
    w(f'div{n}-bad-attribute', '<div>' * n + '<p bogus="1">x</p>' + '</div>' * n)
    w(f'div{n}-bad-gap', '<div type="a">' * n + '<p><gap reason="no-such"/></p>' + '</div>' * n)
    w(f'unknown{n}', '<div>' * (n // 2) + '<foo>' * (n // 2) + 'x' + '</foo>' * (n // 2) + '</div>' * (n // 2))
w('attributes100000', '<div><p ' + ' '.join(f'a{i}="v"' for i in range(100000)) + '>x</p></div>')
w('attributes1000x1000', '<div>' + ('<p ' + ' '.join(f'a{i}="v"' for i in range(1000)) + '>x</p>') * 1000 + '</div>')
w('namespaces2000', '<div ' + ' '.join(f'xmlns:p{i}="u{i}"' for i in range(2000)) + '><p>x</p></div>')
w('siblings10000', '<div type="a">' + '<p>x<gap reason="illegible"/>y</p>' * 10000 + '</div>')
w('siblings40000', '<div type="a">' + '<p>x<gap reason="illegible"/>y</p>' * 40000 + '</div>')
PY

run() {  # label, args...
  local label=$1; shift
  local out
  out=$( (ulimit -v 8000000; /usr/bin/time -f "%e %M" timeout 60 "$teikit" validate --timeout 0 "$@" \
           >/dev/null 2>"$dir/err"; echo "exit $?" >>"$dir/err") 2>&1)
  local times code
  times=$(grep -E '^[0-9.]+ [0-9]+$' "$dir/err" | tail -1)
  code=$(grep -E '^exit ' "$dir/err" | tail -1)
  printf '%-40s %8s s %10s KB  %s\n' "$label" "${times% *}" "${times#* }" "$code"
}

echo "teikit: $teikit"
for n in 30 40 200; do
  for c in div$n div$n-bad-attribute div$n-bad-gap unknown$n; do
    run "$c (teikit.rng)" "$dir/$c.xml"
    [ -f "$tei_all" ] && run "$c (tei_all)" --schema "$tei_all" "$dir/$c.xml"
  done
done
for c in attributes100000 attributes1000x1000 namespaces2000 siblings10000 siblings40000; do
  run "$c (teikit.rng)" "$dir/$c.xml"
done
