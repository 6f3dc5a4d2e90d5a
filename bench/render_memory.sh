#!/usr/bin/env bash
# Memory and time of `teikit render --to html` as ratios to the document (issue 8: linear in the
# document, within 10 × its size). Generates the inputs, converts them with the built teikit,
# renders each and prints: input, TEI bytes, HTML bytes, seconds, max RSS (kB, /usr/bin/time -v),
# RSS / TEI size, and (RSS less the tiny document's, the fixed cost of the process: libraries,
# compiled stylesheet) / TEI size.
#
#   bench/render_memory.sh [BUILD_DIR]      (default build/; TEIKIT=path, TEIKIT_XSLT_DIR=dir
#                                            to measure another binary or stylesheets)
#
# Inputs: paragraphs of 1,450 / 5,000 / 20,000 lines (one text node with that many line breaks);
# transcriptions of 0.4 and 4 MB with 10⁴ and 10⁵ interventions (supplied, gap, sic, unclear in
# turn); bracket-dense transcriptions of 1 and 3 MB (bench/unit_inputs.sh: ten brackets of every
# kind a line, a page break per paragraph, so per-page-number work shows), and a tiny document
# for the fixed cost. The figures are printed, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
teikit=${TEIKIT:-$build/converter/teikit}  # TEIKIT=… to measure another binary
[ -x "$teikit" ] || { echo "build teikit first ($teikit missing)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (Debian package time)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/teikit-render-bench.XXXXXX")
[ -n "${KEEP:-}" ] && echo "inputs and outputs kept in $work" || trap 'rm -rf "$work"' EXIT

header() {
  printf '\n%s\n\nCitation:\n\n"%s", May 8, 1962, Example Archive, Box 1.\n\n' "$1" "$1"
}

# A paragraph of N lines: an address block the converter keeps as one text node.
long_paragraph() {
  local n=$1 out=$2
  { header "Long paragraph $n"
    printf 'To the Director,\n\n'
    for ((i = 1; i <= n; i++)); do printf 'line %d of the one paragraph, with some words on it\n' "$i"; done
    printf '\n'; } >"$out"
}

# About BYTES of text with one intervention every ~40 bytes, N in all.
interventions() {
  local n=$1 out=$2
  { header "Interventions $n"
    python3 - "$n" <<'EOF'
import sys
n = int(sys.argv[1])
signs = ["the foreign minister [Hanfu] went", "a misspelt word [sic] stands here",
         "this part is [illegible] to us", "the name Wulumuqi [?] is seen"]
out, para = [], []
for i in range(n):
    para.append(signs[i % 4] + " and")
    if len(para) == 10:
        out.append(" ".join(para) + ".")
        para = []
if para:
    out.append(" ".join(para) + ".")
sys.stdout.write("\n\n".join(out) + "\n")
EOF
  } >"$out"
}

# The fixed cost (process, libraries, compiled stylesheet): a document of one short paragraph.
{ header "Tiny"; printf 'One paragraph.\n'; } >"$work/tiny.txt"
long_paragraph 1450 "$work/para-1450.txt"
long_paragraph 5000 "$work/para-5000.txt"
long_paragraph 20000 "$work/para-20000.txt"
interventions 10000 "$work/interventions-1e4.txt"
interventions 100000 "$work/interventions-1e5.txt"
source bench/unit_inputs.sh
write_unit_inputs "$work" "${TEIKIT_SHARED:-../shared}"
for mb in 1 3; do
  { cat "$work/dense-head.txt"
    python3 -c 'import sys; u = open(sys.argv[1]).read(); n = int(sys.argv[2])
sys.stdout.write((u * (n // len(u) + 1))[:n])' "$work/dense-unit.txt" $((mb * 1048576)); } >"$work/dense-$mb.txt"
done

printf '%-22s %10s %11s %12s %8s %11s %7s %7s %s\n' input txt-bytes tei-bytes html-bytes seconds max-rss-kB ratio above status
base=
for txt in "$work"/tiny.txt "$work"/para-1450.txt "$work"/para-5000.txt "$work"/para-20000.txt \
           "$work"/interventions-1e4.txt "$work"/interventions-1e5.txt "$work"/dense-1.txt \
           "$work"/dense-3.txt; do
  name=$(basename "$txt" .txt)
  "$teikit" convert "$txt" -o "$work/$name.xml" 2>/dev/null || true
  status=0
  /usr/bin/time -v -o "$work/$name.time" "$teikit" render --to html "$work/$name.xml" \
    -o "$work/$name.html" 2>"$work/$name.err" || status=$?
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/$name.time")
  secs=$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$work/$name.time")
  tei=$(stat -c %s "$work/$name.xml")
  html=$(stat -c %s "$work/$name.html" 2>/dev/null || echo 0)
  ratio=$(awk -v r="$rss" -v t="$tei" 'BEGIN { printf "%.1f", r * 1024 / t }')
  [ -n "$base" ] || base=$rss  # the tiny document comes first
  above=$(awk -v r="$rss" -v b="$base" -v t="$tei" 'BEGIN { printf "%.1f", (r - b) * 1024 / t }')
  printf '%-22s %10s %11s %12s %8s %11s %7s %7s %s\n' "$name" "$(stat -c %s "$txt")" "$tei" "$html" \
    "$secs" "$rss" "$ratio" "$above" "$( [ "$status" = 0 ] && echo ok || echo "exit $status: $(head -c 120 "$work/$name.err")")"
done
