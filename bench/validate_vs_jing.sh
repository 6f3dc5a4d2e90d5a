#!/usr/bin/env bash
# Cold validation against tei_all.rng: teikit validate vs jing, each run a fresh process (schema
# load and compilation included, as in a CI job). Prints the median of RUNS runs per document,
# side by side, and whether the two agree on the verdict.
#
#   bench/validate_vs_jing.sh [RUNS] [DOC.xml …]
#
# Without documents: a converted sample (samples/cable-plain.txt, converted first) and the real
# TEI documents of ../shared/corpus/tei-real. $TEIKIT (default build/converter/teikit), $SCHEMA
# (default ../shared/tei-schemas/tei_all.rng) and $JING (default jing) override the tools;
# $TEIKIT_ARGS adds options to teikit (TEIKIT_ARGS=--xinclude to process XIncludes as jing does).
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
shift || true
teikit=${TEIKIT:-build/converter/teikit}
shared=${TEIKIT_SHARED:-../shared}
schema=${SCHEMA:-$shared/tei-schemas/tei_all.rng}
jing=${JING:-jing}
read -r -a extra <<< "${TEIKIT_ARGS:-}"  # e.g. TEIKIT_ARGS=--xinclude (jing processes XInclude)
[ -x "$teikit" ] || { echo "no teikit at $teikit (build first, or set TEIKIT)" >&2; exit 1; }
[ -f "$schema" ] || { echo "no schema at $schema (set SCHEMA)" >&2; exit 1; }
have_jing=1; command -v "$jing" >/dev/null || have_jing=0

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
docs=("$@")
if [ ${#docs[@]} -eq 0 ]; then
  "$teikit" convert samples/cable-plain.txt -o "$tmp/cable-plain.xml" 2>/dev/null
  docs=("$tmp/cable-plain.xml")
  for f in "$shared"/corpus/tei-real/*.xml; do docs+=("$f"); done
fi

# Median wall time (seconds) of $runs runs of "$@" in $med; the last exit status in $rc.
median() {
  local times=() t0 t1
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1; rc=$?
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  med=$(printf '%s\n' "${times[@]}" | sort -g |
        awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}')
}

printf '%-36s %10s %10s %8s  %s\n' document teikit_s jing_s ratio verdicts
for d in "${docs[@]}"; do
  median "$teikit" validate "${extra[@]}" --schema "$schema" "$d"; t=$med; trc=$rc
  tv=$([ $trc -eq 0 ] && echo valid || echo "invalid($trc)")
  if [ $have_jing -eq 1 ]; then
    median "$jing" "$schema" "$d"; j=$med; jrc=$rc
    jv=$([ $jrc -eq 0 ] && echo valid || echo "invalid($jrc)")
    ratio=$(echo "$j / $t" | bc -l | xargs printf '%.1fx')
    agree=$([ $(( trc == 0 )) -eq $(( jrc == 0 )) ] && echo agree || echo DIFFER)
  else
    j=-; jv=-; ratio=-; agree="(no jing)"
  fi
  printf '%-36s %10s %10s %8s  teikit %s, jing %s: %s\n' "$(basename "$d")" "$t" "$j" "$ratio" "$tv" "$jv" "$agree"
done
echo "median of $runs cold runs each; schema $schema"
