#!/usr/bin/env bash
# The text round trip (ENCODING.md §3) of every sample and of the out-of-sample documents
# (tests/data/outofsample): each is converted with TEIKIT and tests/roundtrip_check.py compares
# `teikit render --to text` of its TEI with the source, in §4's canonical bracket notation.
# The shared corpora's round trips are checked by the Corpus.* tests.
#
#   tests/roundtrip_samples.sh TEIKIT
set -euo pipefail
teikit=$(realpath "$1")
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pairs=()
for f in "$here"/samples/*.txt "$here"/tests/data/outofsample/*.txt; do
  out="$tmp/$(basename "$(dirname "$f")")-$(basename "$f" .txt).xml"
  "$teikit" convert "$f" -o "$out" 2>/dev/null
  pairs+=("$f" "$out")
done
python3 "$here/tests/roundtrip_check.py" --teikit "$teikit" "${pairs[@]}"
