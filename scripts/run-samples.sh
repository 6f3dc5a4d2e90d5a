#!/usr/bin/env bash
# The main job on samples/: convert every transcription to TEI, validate each result against the
# project schema and rules (schemas/teikit.rng + teikit.sch) and, when ../shared is present, the
# official tei_all.rng, then render the reading edition (HTML + index) and the text round trip.
# Results go to out/samples/.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=build/converter/teikit
out=out/samples
shared=${TEIKIT_SHARED:-../shared}
rm -rf "$out"
mkdir -p "$out"
status=0
# A sample names its profile by its file name: *-deutsch.txt is German (built-in profile
# de-archive), everything else English (the default profile). The converter itself never guesses
# a profile from a file; the choice is the caller's (docs/profiles.md).
english=() german=()
for f in samples/*.txt; do
  case "$f" in *-deutsch.txt) german+=("$f") ;; *) english+=("$f") ;; esac
done
"$bin" convert "${english[@]}" -o "$out/" 2>"$out/diagnostics.log" || status=$?
if [ ${#german[@]} -gt 0 ]; then
  "$bin" convert --profile de-archive "${german[@]}" -o "$out/" 2>>"$out/diagnostics.log" || status=$?
fi
echo "converted $(ls "$out"/*.xml | wc -l) samples (exit $status); diagnostics in $out/diagnostics.log"
if "$bin" validate "$out"/*.xml; then
  echo "valid against schemas/teikit.rng and schemas/teikit.sch: all $(ls "$out"/*.xml | wc -l)"
else
  status=3
fi
if [ -f "$shared/tei-schemas/tei_all.rng" ]; then
  if "$bin" validate --schema "$shared/tei-schemas/tei_all.rng" "$out"/*.xml; then
    echo "valid against $shared/tei-schemas/tei_all.rng: all $(ls "$out"/*.xml | wc -l)"
  else
    status=3
  fi
fi
"$bin" render --to html "$out"/*.xml -o "$out/" --index "$out/" || status=$?
"$bin" render --to text "$out"/*.xml -o "$out/text/" || status=$?
echo "results: $out/*.xml (TEI), $out/index.html and $out/*.html (reading edition), $out/text/*.txt (round trip)"
exit $status
