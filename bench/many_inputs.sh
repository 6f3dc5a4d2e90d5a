#!/usr/bin/env bash
# `teikit convert` and `teikit render` with many inputs in one process: planning the outputs
# (collisions, inputs as outputs, files teikit did not write) must stay linear in the number of
# files. Generates N small transcriptions (a few lines each, all different), converts them into
# one directory, then converts them again over the outputs of the first run (every target then
# exists and is checked against the directory's record), and renders the TEI to HTML.
# Prints user seconds, wall seconds and max RSS per run and per 1,000 files.
#
#   bench/many_inputs.sh [N …]            (default: 1000 4000 16000)
#
# $TEIKIT (default build/converter/teikit) chooses the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
teikit=${TEIKIT:-build/converter/teikit}
[ -x "$teikit" ] || { echo "no teikit at $teikit (build first, or set TEIKIT)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(1000 4000 16000)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '%-7s %-14s %9s %9s %10s %12s\n' files run user_s wall_s maxrss_kb user_ms_per_1k
for n in "${sizes[@]}"; do
  rm -rf "$tmp/src" "$tmp/tei" "$tmp/html"; mkdir -p "$tmp/src"
  python3 - "$tmp/src" "$n" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    with open(os.path.join(d, 'd%06d.txt' % i), 'w') as f:
        f.write('May %d, 1958\n\nCable No. %d\n\nThe talks [on the 12th] went on [...].\n' % (1 + i % 28, i))
PY
  run() {  # label, command…
    local label=$1; shift
    ( cd "$tmp" && /usr/bin/time -f '%U %e %M' -o "$tmp/t" "$@" > /dev/null 2>&1 ) || true
    read -r user wall rss < "$tmp/t"
    printf '%-7s %-14s %9s %9s %10s %12.1f\n' "$n" "$label" "$user" "$wall" "$rss" \
      "$(python3 -c "print($user * 1e6 / $n)")"
  }
  abs=$(realpath "$teikit")
  mapfile -t txt < <(cd "$tmp" && ls src/*.txt)
  run convert "$abs" convert -o tei/ "${txt[@]}"
  run convert-again "$abs" convert -o tei/ "${txt[@]}"
  mapfile -t xml < <(cd "$tmp" && ls tei/*.xml)
  run render "$abs" render --to html -o html/ "${xml[@]}"
done
