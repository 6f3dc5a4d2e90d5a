#!/usr/bin/env bash
# The main job on samples/: convert every transcription to TEI, validate each result against the
# project schema (schemas/teikit.rng) and, when ../shared is present, the official tei_all.rng,
# and render the text round trip. Results go to out/samples/.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=build/converter/teikit
out=out/samples
shared=${TEIKIT_SHARED:-../shared}
mkdir -p "$out"
rm -f "$out"/*.xml "$out"/*.txt "$out"/*.log
"$bin" convert samples/*.txt -o "$out/" 2>"$out/diagnostics.log"
status=$?
echo "converted $(ls "$out"/*.xml | wc -l) samples (exit $status); diagnostics in $out/diagnostics.log"
"$bin" render --to text "$out"/*.xml -o "$out/text/" || status=1
schemas=(schemas/teikit.rng)
[ -f "$shared/tei-schemas/tei_all.rng" ] && schemas+=("$shared/tei-schemas/tei_all.rng")
for s in "${schemas[@]}"; do
  if jing "$s" "$out"/*.xml 2>/dev/null >"$out/jing.log"; then
    echo "valid against $s: all $(ls "$out"/*.xml | wc -l) documents"
  else
    echo "NOT valid against $s:"; head -20 "$out/jing.log"; status=3
  fi
done
echo "results: $out/*.xml (TEI), $out/text/*.txt (round trip)"
exit $status
