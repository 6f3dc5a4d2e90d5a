# Sourced by bench/convert_memory.sh and bench/convert_speed.sh: writes the units their inputs
# are repeated from into DIR.
#   real-unit.txt   the transcriptions of samples/ and SHARED/corpus, concatenated once (the
#                   first one's header is the header of the whole)
#   dense-head.txt  a short header for the bracket-dense text
#   dense-unit.txt  bracket-dense text: every line has ten brackets of the profile's kinds, four
#                   lines a paragraph
#
#   write_unit_inputs DIR SHARED
write_unit_inputs() {
  local dir=$1 shared=$2 f
  local sources=(samples/*.txt)
  for f in "$shared"/corpus/*/*.txt; do [ -f "$f" ] && sources+=("$f"); done
  for f in "${sources[@]}"; do cat "$f"; printf '\n\n'; done > "$dir/real-unit.txt"
  cat > "$dir/dense-head.txt" <<'UNIT'
April 30, 1962

Bracket-dense benchmark

Contents:

Translation - English

UNIT
  cat > "$dir/dense-unit.txt" <<'UNIT'
The [...] delegation [illegible] arrived on the 3rd of [May] with recieved [sic] papers [?] and.
A [2 words illegible] report [page 4] was [handwritten: seen] by the [Minister?] at [stamp: A]
Comrade [not declassified] wrote [seal] the [source: archive] note [garbled] of [signed] it [...].
Here [Hanfu] [sic] said [three lines illegible] that [telegram] the [draft] was [unclear?] good.

UNIT
}
