#!/usr/bin/env bash
# Compares two teikit binaries' conversions byte for byte: the TEI (standard output), the
# diagnostics (standard error) and the exit status of `teikit convert IN -o -` for every
# transcription of samples/, tests/data and the shared corpus, and for generated long blocks
# (each corpus document made one paragraph, the concatenated corpus as one paragraph, and the
# shapes of bench/convert_memory.sh at ~300 KB), where the batch paths of the converter run.
#
#   bench/convert_compare.sh OLD_TEIKIT NEW_TEIKIT
#
# Prints one line per difference and a summary; exit 1 when anything differs.
set -uo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2
shared=${TEIKIT_SHARED:-../shared}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

inputs=()
for f in samples/*.txt samples/*.md tests/data/*.txt tests/data/*.md "$shared"/corpus/*/*.txt \
         "$shared"/corpus/*/*.md "$shared"/corpus/*/*/*.txt; do
  [ -f "$f" ] && inputs+=("$f")
done

# Generated long blocks: the documents' text with blank lines dropped after the header (one
# paragraph per document), and all of them as one paragraph.
mkdir -p "$tmp/gen"
n=0
for f in "${inputs[@]}"; do
  case $f in *.txt) ;; *) continue ;; esac
  n=$((n + 1))
  awk 'BEGIN { blanks = 0 } /^$/ { blanks++; if (blanks <= 6) print; next } { print }' "$f" \
    > "$tmp/gen/onepara-$n.txt"
done
{ printf 'April 30, 1962\n\nAll\n\nContents:\n\nTranslation - English\n\n'
  for f in "${inputs[@]}"; do case $f in *.txt) grep -v '^$' "$f" ;; esac; done; } \
  > "$tmp/gen/all-one-paragraph.txt"
# Supplied text that holds dates and digits, in one long paragraph.
{ printf 'April 30, 1962\n\nDates\n\nContents:\n\nTranslation - English\n\n'
  for i in $(seq 1 3000); do
    printf '[the] %d [of] [April] and the %dth of [May], [June 3], 1962 [3 words illegible]\n' \
      $((i % 28 + 1)) $((i % 28 + 1))
  done; } > "$tmp/gen/supplied-dates.txt"
{ printf 'April 30, 1962\n\nDates\n\nContents:\n\nTranslation - English\n\n'
  printf '[handwritten: received on the 3rd] '
  for i in $(seq 1 3000); do
    printf 'on the %dth [of] [April] [ordered] [%d] [copies] [handwritten: May %d] the 9th\n' \
      $((i % 28 + 1)) "$i" $((i % 28 + 1))
  done; } > "$tmp/gen/nested-dates.txt"
# Dates among long runs of supplied words (cuts between digit-free runs), with and without an
# element holding a date first, and dates spread over many spaces.
for first in '' '[handwritten: June 3] '; do
  { printf 'April 30, 1962\n\nDates\n\nContents:\n\nTranslation - English\n\n%s' "$first"
    for i in $(seq 1 2500); do
      printf '[the] [delegation] [arrived] [with] [papers] [and] [a] [report] [was] [seen] [by] '
      printf '[the] [minister] [at] [last] [night] [April] the %d, [1962] and [the] %dth [of] ' \
        $((i % 28 + 1)) $((i % 27 + 1))
      printf '[May] or the %d%s             [June]   [sic] on 6 p.m. on the [Sept.] %d\n' \
        $((i % 9 + 1)) "$( [ $((i % 2)) = 0 ] && echo th || echo rd)" $((i % 30 + 1))
    done; } > "$tmp/gen/supplied-mixed-${#first}.txt"
done
# Letters ending in long postscripts, after a closer, with and without a bracket block after.
for after in '' '[illegible]' $'[Source: archive]\n\n[2 lines illegible]'; do
  { printf 'April 30, 1962\n\nLetter\n\nContents:\n\nTranslation - English\n\nDear Sir:\n\n'
    printf 'The text of the letter, received on the 3rd of [May].\n\nSincerely yours,\n\nJohn Smith\n\n'
    printf 'P.S. A short one of May 4.\n\nP.S. '
    for i in $(seq 1 1500); do
      printf 'The [...] report [illegible] of the %dth of [May] [handwritten: June %d] was [sic] seen.\n' \
        $((i % 28 + 1)) $((i % 28 + 1))
    done
    printf '\n%s\n' "$after"; } > "$tmp/gen/postscript-${#after}.txt"
done
# The shapes of bench/convert_memory.sh, which keeps its inputs where KEEP_INPUTS says.
KEEP_INPUTS="$tmp/gen" TEIKIT="$new" bench/convert_memory.sh 0.3 > /dev/null 2>&1
for f in "$tmp"/gen/*.txt; do inputs+=("$f"); done

[ -n "${LIST:-}" ] && ls -la "$tmp/gen" >&2
same=0 differ=0
for f in "${inputs[@]}"; do
  "$old" convert "$f" -o - > "$tmp/old.xml" 2> "$tmp/old.err"; rc_old=$?
  "$new" convert "$f" -o - > "$tmp/new.xml" 2> "$tmp/new.err"; rc_new=$?
  if [ $rc_old = $rc_new ] && cmp -s "$tmp/old.xml" "$tmp/new.xml" && cmp -s "$tmp/old.err" "$tmp/new.err"; then
    same=$((same + 1))
  else
    differ=$((differ + 1))
    echo "DIFFERS: $f (exit $rc_old / $rc_new)"
  fi
done
echo "$same identical, $differ different, of $((same + differ)) inputs"
[ $differ = 0 ]
