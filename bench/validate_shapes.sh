#!/usr/bin/env bash
# Time and peak memory of `teikit validate` on hostile shapes (issue 8): nested elements with
# cascades of errors (the error localiser), many attributes on one element, many namespace
# declarations in scope, long runs of siblings. Prints one line per case: seconds (wall),
# max RSS (KB, the validating child included), exit code. Usage:
#   bench/validate_shapes.sh [TEIKIT_BINARY]     (default build/converter/teikit)
# TEI_ALL (default ../shared/tei-schemas/tei_all.rng, or $TEIKIT_SHARED/tei-schemas/...) adds
# the cases against tei_all when present. Each run is capped at CAP seconds (default 60) and
# 8 GB. Sibling runs: SIBLINGS (default "1000 10000 40000 100000") sets their sizes; each size is
# run as a valid document, under an invalid parent, with one bad sibling first and last, as
# siblings not allowed where they are (p in p) and as lb in p (not in the project schema), against
# the project schema and tei_all, pruned (default) and --no-prune. ONLY=siblings runs only
# those; ONLY=other skips them. Error runs (ONLY=errors runs only those): ERRORS (default 60000)
# paragraphs each with a bad attribute, and as many misplaced elements (div in p), against the
# project schema, with the default --max-errors (1000) and with --max-errors 0 (every error).
set -uo pipefail
cd "$(dirname "$0")/.."
teikit=${1:-build/converter/teikit}
shared=${TEIKIT_SHARED:-../shared}
tei_all=${TEI_ALL:-$shared/tei-schemas/tei_all.rng}
cap=${CAP:-60}
sizes=${SIBLINGS:-1000 10000 40000 100000}
only=${ONLY:-all}
errors=${ERRORS:-60000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# The sibling runs need a header valid against both schemas: the converter's own.
"$teikit" convert samples/letter-plain.txt -o "$dir/letter.xml" >/dev/null 2>&1 ||
  { echo "cannot convert samples/letter-plain.txt" >&2; exit 1; }

python3 - "$dir" "$errors" $sizes <<'PY'
import re, sys
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
# Sibling runs under the converter's header (valid against teikit.rng and tei_all).
letter = open(f'{d}/letter.xml').read()
lhead = re.sub(r'>\s+<', '><', letter[:letter.index('<body>') + len('<body>')])
def s(name, body):
    open(f'{d}/{name}.xml', 'w').write(lhead + body + tail)
ok = '<div type="transcription">'
e = int(sys.argv[2])
s(f'errors-bad-attribute{e}', ok + '<p bogus="1">x</p>' * e + '</div>')
s(f'errors-misplaced{e}', ok + '<p>x<div>y</div></p>' * e + '</div>')
for n in map(int, sys.argv[3:]):
    p = '<p>x</p>' * n
    s(f'siblings-valid{n}', ok + p + '</div>')
    s(f'siblings-bad-parent{n}', '<div type="transcription" bogus="1">' + p + '</div>')
    s(f'siblings-bad-first{n}', ok + '<p bogus="1">x</p>' + p + '</div>')
    s(f'siblings-bad-last{n}', ok + p + '<p bogus="1">x</p></div>')
    s(f'siblings-p-in-p{n}', ok + '<p>' + p + '</p></div>')
    s(f'siblings-lb-in-p{n}', ok + '<p>' + '<lb/>' * n + '</p></div>')
PY

run() {  # label, args...
  local label=$1; shift
  local out
  out=$( (ulimit -v 8000000; /usr/bin/time -f "%e %M" timeout "$cap" "$teikit" validate --timeout 0 "$@" \
           >/dev/null 2>"$dir/err"; echo "exit $?" >>"$dir/err") 2>&1)
  local times code
  times=$(grep -E '^[0-9.]+ [0-9]+$' "$dir/err" | tail -1)
  code=$(grep -E '^exit ' "$dir/err" | tail -1)
  printf '%-50s %8s s %10s KB  %s\n' "$label" "${times% *}" "${times#* }" "$code"
}

echo "teikit: $teikit"
if [ "$only" != siblings ] && [ "$only" != errors ]; then
for n in 30 40 200; do
  for c in div$n div$n-bad-attribute div$n-bad-gap unknown$n; do
    run "$c (teikit.rng)" "$dir/$c.xml"
    [ -f "$tei_all" ] && run "$c (tei_all)" --schema "$tei_all" "$dir/$c.xml"
  done
done
for c in attributes100000 attributes1000x1000 namespaces2000 siblings10000 siblings40000; do
  run "$c (teikit.rng)" "$dir/$c.xml"
done
fi
if [ "$only" = all ] || [ "$only" = errors ]; then
  for c in bad-attribute misplaced; do
    f="$dir/errors-$c$errors.xml"
    run "errors-$c$errors (teikit.rng)" "$f"
    run "errors-$c$errors (teikit.rng, --max-errors 0)" --max-errors 0 "$f"
  done
fi
[ "$only" = errors ] && exit 0
if [ "$only" != other ]; then
  for n in $sizes; do
    for c in valid bad-parent bad-first bad-last p-in-p lb-in-p; do
      f="$dir/siblings-$c$n.xml"
      run "siblings-$c$n (teikit.rng)" "$f"
      run "siblings-$c$n (teikit.rng, no-prune)" --no-prune "$f"
      if [ -f "$tei_all" ]; then
        run "siblings-$c$n (tei_all)" --schema "$tei_all" "$f"
        run "siblings-$c$n (tei_all, no-prune)" --schema "$tei_all" --no-prune "$f"
      fi
    done
  done
fi
