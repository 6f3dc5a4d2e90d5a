#!/usr/bin/env bash
# Speed of `teikit convert` on one large transcription, side by side with cmark on the same
# bytes in the same run: real text (the documents of samples/ and the shared corpus, concatenated
# and repeated; the first document's header is the header of the whole) at 1 and 10 MB, and
# bracket-dense text (ten editorial brackets per line, paragraphs of four lines) at 10 MB.
# Each program runs $RUNS times (default 5) in a fresh process per run; the script prints the
# median user seconds, the median wall seconds, the median max RSS (/usr/bin/time -v) and the
# ratio of user seconds to cmark's.
#
#   bench/convert_speed.sh [NAME=TEIKIT_BINARY …]
#
# Default binaries: new=build/converter/teikit. Add an older build to compare, e.g.
#   OLD_DATA=../old/build/share/teikit bench/convert_speed.sh main=../old/build/converter/teikit
# ($OLD_DATA, when set, is given as TEIKIT_DATA_DIR to every binary but "new").
# $SHAPES chooses the inputs (default "real-1 real-10 dense-10"), $KEEP_INPUTS names a directory
# that keeps them, $PERF_INPUT=FILE only writes the 10 MB real input to FILE and exits.
set -uo pipefail
cd "$(dirname "$0")/.."
shared=${TEIKIT_SHARED:-../shared}
runs=${RUNS:-5}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
command -v cmark >/dev/null || { echo "needs cmark (Debian package 'cmark')" >&2; exit 1; }

names=(new) bins=(build/converter/teikit)
for arg in "$@"; do names+=("${arg%%=*}"); bins+=("${arg#*=}"); done
for b in "${bins[@]}"; do [ -x "$b" ] || { echo "no teikit at $b" >&2; exit 1; }; done

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# The units the inputs are repeated from (real text, bracket-dense text).
source bench/unit_inputs.sh
write_unit_inputs "$tmp" "$shared"

# Repeats $2 into $3 (after the header file $1, if not "-") up to $4 MB.
make_input() {
  local head=$1 unit=$2 out=$3 mb=$4 want chunk="$tmp/chunk"
  want=$(awk -v mb="$mb" 'BEGIN { printf "%d", mb * 1048576 }')
  { [ "$head" != - ] && cat "$head"; } > "$out"
  cp "$unit" "$chunk"
  while [ "$(stat -c %s "$chunk")" -lt 1048576 ]; do cat "$chunk" "$chunk" > "$chunk.2"; mv "$chunk.2" "$chunk"; done
  while [ "$(stat -c %s "$out")" -lt "$want" ]; do cat "$chunk" >> "$out"; done
  truncate -s "$want" "$out"
}

if [ -n "${PERF_INPUT:-}" ]; then make_input - "$tmp/real-unit.txt" "$PERF_INPUT" 10; exit 0; fi

# Runs "$@" $runs times; prints "user wall rss_kb" medians.
measure() {
  local i u=() w=() r=()
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -v "$@" > /dev/null 2> "$tmp/time.txt"
    u+=("$(awk -F': ' '/User time/ {print $2}' "$tmp/time.txt")")
    w+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
           for (k = 1; k <= n; k++) s = s * 60 + p[k]; print s}' "$tmp/time.txt")")
    r+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")")
  done
  med() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
  echo "$(med "${u[@]}") $(med "${w[@]}") $(med "${r[@]}")"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each, medians"
printf '%-9s %-8s %7s %7s %8s %9s\n' input program user_s wall_s 'RSS MB' user/cmark
read -r -a shapes <<< "${SHAPES:-real-1 real-10 dense-10}"
for shape in "${shapes[@]}"; do
  kind=${shape%-*} mb=${shape##*-} in="$tmp/$shape.txt"
  case $kind in
    real) make_input - "$tmp/real-unit.txt" "$in" "$mb" ;;
    dense) make_input "$tmp/dense-head.txt" "$tmp/dense-unit.txt" "$in" "$mb" ;;
    *) echo "unknown shape $shape" >&2; continue ;;
  esac
  read -r cu cw cr <<< "$(measure cmark "$in")"
  printf '%-9s %-8s %7s %7s %8s %9s\n' "$shape" cmark "$cu" "$cw" "$((cr / 1024))" 1.00
  for i in "${!names[@]}"; do
    if [ "${names[$i]}" != new ] && [ -n "${OLD_DATA:-}" ]; then
      read -r u w r <<< "$(TEIKIT_DATA_DIR=$OLD_DATA measure "${bins[$i]}" convert "$in" -o -)"
    else
      read -r u w r <<< "$(measure "${bins[$i]}" convert "$in" -o -)"
    fi
    ratio=$(awk -v a="$u" -v b="$cu" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')
    printf '%-9s %-8s %7s %7s %8s %9s\n' "$shape" "${names[$i]}" "$u" "$w" "$((r / 1024))" "$ratio"
  done
  [ -n "${KEEP_INPUTS:-}" ] && cp "$in" "$KEEP_INPUTS/"
  rm -f "$in"
done
