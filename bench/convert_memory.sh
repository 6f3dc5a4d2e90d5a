#!/usr/bin/env bash
# Memory of `teikit convert` as a ratio to the input: real text (documents of samples/ and the
# shared corpus, concatenated), bracket-dense text (~10 editorial brackets of every kind per
# line) in paragraphs of four lines, and the same as one single paragraph ("para"), each at 1,
# 10 and 30 MB. One fresh process per run, measured with /usr/bin/time -v.
# The other shapes, generated the same way (the hard cases of the block and date stages):
#   datefirst  one bracket-dense paragraph whose first element holds a date
#   supplied   one paragraph of [supplied] brackets only
#   note       one block that is one bracket ([Source: …]) holding bracket-dense text (the
#              cut at the size may fall inside a bracket, and the tail's "]" close that one:
#              the 1 MB input's [Source: never closes, the 10 and 30 MB inputs' does)
#   postscript one bracket-dense "P.S." block after the text (a postscript, not a paragraph)
#   opener     an opener of short apparatus lines ("…;" blocks), each a seg of the opener
#   header     a header of fields ("FieldN:" / "value N") up to the size, then a short text
#   dates      one paragraph dense with dates, a date every ~20 bytes ("May 3, 1962 and 4 June
#              1963, …"), and the same with brackets among them ("datebr": "[sic]", "[1963]")
#   short      paragraphs of three characters ("ab." and a blank line), not among the defaults
#
#   bench/convert_memory.sh [SIZE_MB …]        (default: 1 10 30)
#   SHAPES="para datefirst" bench/convert_memory.sh 10    (default: every shape)
#
# $TEIKIT (default build/converter/teikit) chooses the binary, $TEIKIT_ARGS adds options
# (e.g. TEIKIT_ARGS=--validate), $KEEP_INPUTS names a directory that keeps the inputs (sizes
# may be fractions: 0.3). Prints: input, size, wall and user seconds, max RSS, RSS/input,
# the same without the fixed cost of the process (the RSS of converting a 60-byte input), and
# whether the output is well-formed (xmllint, when installed).
set -uo pipefail
cd "$(dirname "$0")/.."
teikit=${TEIKIT:-build/converter/teikit}
shared=${TEIKIT_SHARED:-../shared}
read -r -a extra <<< "${TEIKIT_ARGS:-}"
[ -x "$teikit" ] || { echo "no teikit at $teikit (build first, or set TEIKIT)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1 10 30)
have_xmllint=1; command -v xmllint >/dev/null || have_xmllint=0

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# The units the inputs are repeated from (real text, bracket-dense text).
source bench/unit_inputs.sh
write_unit_inputs "$tmp" "$shared"

# The same lines with no blank line: the whole text is one paragraph (no block boundary at
# which to release anything).
grep -v '^$' "$tmp/dense-unit.txt" > "$tmp/para-unit.txt"

# The other shapes' pieces.
{ cat "$tmp/dense-head.txt"; printf '[handwritten: May 3, 1962] '; } > "$tmp/datefirst-head.txt"
{ cat "$tmp/dense-head.txt"; printf 'Text.\n\n'; } > "$tmp/text-head.txt"
printf '[the] [delegation] [arrived] [on] [the] [third] [of] [the] [month] [with] [papers]\n' \
  > "$tmp/supplied-unit.txt"
{ cat "$tmp/text-head.txt"; printf '[Source: '; } > "$tmp/note-head.txt"
printf ']\n' > "$tmp/note-tail.txt"
{ cat "$tmp/text-head.txt"; printf 'P.S. '; } > "$tmp/postscript-head.txt"
{ cat "$tmp/dense-head.txt"; printf 'Participants: A [sic];\n\n'; } > "$tmp/opener-head.txt"
printf 'B [illegible] and C [May];\n\nD [2 words illegible], E [Minister?];\n\n' > "$tmp/opener-unit.txt"
printf 'April 30, 1962\n\nMany fields\n\n' > "$tmp/header-head.txt"
awk 'BEGIN { for (i = 0; i < 40000; i++) printf "Field%d:\n\nvalue %d [sic]\n\n", i, i }' \
  > "$tmp/header-unit.txt"
printf '\n\nContents:\n\nTranslation - English\n\nThe text.\n' > "$tmp/header-tail.txt"
printf 'ab.\n\n' > "$tmp/short-unit.txt"
printf 'the talks of May 3, 1962 and 4 June 1963, ' > "$tmp/dates-unit.txt"
printf 'the talks of May 3, 1962 [sic] and 4 June [1963], ' > "$tmp/datebr-unit.txt"

# Repeats $2 into $3 (after the header file $1, if not "-") up to $4 MB, the file $5 (if given)
# last.
make_input() {
  local head=$1 unit=$2 out=$3 mb=$4 tail=${5:-}
  local want
  want=$(awk -v mb="$mb" 'BEGIN { printf "%d", mb * 1048576 }')
  [ -n "$tail" ] && want=$((want - $(stat -c %s "$tail")))
  { [ "$head" != - ] && cat "$head"; } > "$out"
  local chunk="$tmp/chunk"
  cp "$unit" "$chunk"
  while [ "$(stat -c %s "$chunk")" -lt 1048576 ]; do cat "$chunk" "$chunk" > "$chunk.2"; mv "$chunk.2" "$chunk"; done
  while [ "$(stat -c %s "$out")" -lt "$want" ]; do cat "$chunk" >> "$out"; done
  truncate -s "$want" "$out"
  [ -n "$tail" ] && cat "$tail" >> "$out"
}

# The fixed cost of the process (profile, libraries): a conversion of a few bytes.
printf 'April 30, 1962\n\nT\n\nContents:\n\nTranslation - English\n\nText.\n' > "$tmp/tiny.txt"
/usr/bin/time -v "$teikit" convert "$tmp/tiny.txt" -o "$tmp/out.xml" 2> "$tmp/time.txt" >/dev/null
base_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
: > "$tmp/empty.txt"
/usr/bin/time -v "$teikit" convert "$tmp/empty.txt" -o "$tmp/out.xml" 2> "$tmp/time.txt" >/dev/null
empty_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
rm -f "$tmp/out.xml"
echo "baseline (a 60-byte input): max RSS $((base_kb / 1024)) MB ($base_kb kB); an empty input: $empty_kb kB"
printf '%-10s %5s %8s %8s %8s %9s %10s %s\n' input MB wall_s user_s 'RSS MB' RSS/input '(-base)/in' output
read -r -a shapes <<< "${SHAPES:-real dense para datefirst supplied note postscript opener header dates datebr}"
for kind in "${shapes[@]}"; do
  for mb in "${sizes[@]}"; do
    in="$tmp/$kind-$mb.txt"
    case $kind in
      real) make_input - "$tmp/real-unit.txt" "$in" "$mb" ;;
      dense|para) make_input "$tmp/dense-head.txt" "$tmp/$kind-unit.txt" "$in" "$mb" ;;
      datefirst) make_input "$tmp/datefirst-head.txt" "$tmp/para-unit.txt" "$in" "$mb" ;;
      supplied) make_input "$tmp/text-head.txt" "$tmp/supplied-unit.txt" "$in" "$mb" ;;
      note) make_input "$tmp/note-head.txt" "$tmp/para-unit.txt" "$in" "$mb" "$tmp/note-tail.txt" ;;
      postscript) make_input "$tmp/postscript-head.txt" "$tmp/para-unit.txt" "$in" "$mb" ;;
      opener) make_input "$tmp/opener-head.txt" "$tmp/opener-unit.txt" "$in" "$mb" ;;
      dates|datebr) make_input "$tmp/text-head.txt" "$tmp/$kind-unit.txt" "$in" "$mb" ;;
      short) make_input "$tmp/dense-head.txt" "$tmp/short-unit.txt" "$in" "$mb" ;;
      header) make_input "$tmp/header-head.txt" "$tmp/header-unit.txt" "$in" "$mb" "$tmp/header-tail.txt" ;;
      *) echo "unknown shape $kind" >&2; continue ;;
    esac
    bytes=$(stat -c %s "$in")
    /usr/bin/time -v "$teikit" convert "${extra[@]}" "$in" -o "$tmp/out.xml" \
      2> "$tmp/time.txt" >/dev/null
    rc=$?
    user=$(awk -F': ' '/User time/ {print $2}' "$tmp/time.txt")
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
           for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$tmp/time.txt")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
    ratio=$(echo "scale=2; $kb * 1024 / $bytes" | bc -l)
    net=$(echo "scale=2; ($kb - $base_kb) * 1024 / $bytes" | bc -l)
    status="exit $rc"
    if [ -f "$tmp/out.xml" ]; then
      status="$status, $(($(stat -c %s "$tmp/out.xml") / 1024 / 1024)) MB"
      if [ $have_xmllint = 1 ]; then
        if xmllint --noout --huge "$tmp/out.xml" 2>/dev/null; then status="$status, well-formed"
        else status="$status, NOT well-formed"; fi
      fi
    fi
    printf '%-10s %5s %8s %8s %8s %9s %10s %s\n' "$kind" "$mb" "$secs" "$user" "$((kb / 1024))" "$ratio" \
      "$net" "$status"
    [ -n "${KEEP_INPUTS:-}" ] && cp "$in" "$KEEP_INPUTS/"
    rm -f "$in" "$tmp/out.xml"
  done
done
