#!/usr/bin/env bash
# Validating a collection against tei_all.rng in one run: `teikit validate --schema tei_all.rng`
# on every document in one process, against jing on the same files in one JVM. The documents are
# converted (with the teikit under test) from the transcriptions of samples/ and the shared
# corpus ($TEIKIT_SHARED or ../shared), each copy given a line of its own so that no two are the
# same. For each N: median of RUNS runs (default 3) of wall seconds, user CPU seconds and max RSS
# (/usr/bin/time), the ratio jing / teikit (wall), and the exit statuses (0: all valid).
#
#   bench/validate_collection.sh TEIKIT [N …]        (default N: 1000 10000)
#
# RUNS=…, JOBS=… (teikit validate -j; default: teikit's own default, the cores), SCHEMA=…,
# JING=… override; TEIKIT_ARGS adds options to teikit validate.
set -euo pipefail
cd "$(dirname "$0")/.."
teikit=$(realpath "$1")
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=${RUNS:-3}
shared=${TEIKIT_SHARED:-../shared}
schema=${SCHEMA:-$shared/tei-schemas/tei_all.rng}
jing=${JING:-jing}
read -r -a extra <<< "${TEIKIT_ARGS:-}"
[ -n "${JOBS:-}" ] && extra+=(-j "$JOBS")
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (Debian package time)" >&2; exit 1; }
[ -f "$schema" ] || { echo "no schema at $schema (set SCHEMA)" >&2; exit 1; }
have_jing=1; command -v "$jing" >/dev/null || have_jing=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

inputs=()
for f in samples/*.txt samples/*.md "$shared"/corpus/*/*.txt "$shared"/corpus/*/*.md; do
  [ -f "$f" ] && inputs+=("$f")
done

# Median of field $2 (1: wall, 2: user, 3: max RSS kB) over the lines of file $1.
med() { awk -v f="$2" '{print $f}' "$1" | sort -g |
        awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print m}'; }

# Runs "$@" $runs times; appends "wall user rss" lines to $tmp/t; the last status in $rc.
measure() {
  : >"$tmp/t"
  for ((r = 0; r < runs; r++)); do
    rc=0
    /usr/bin/time -f '%e %U %M' -o "$tmp/one" "$@" >/dev/null 2>&1 || rc=$?
    tail -n 1 "$tmp/one" >>"$tmp/t"
  done
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); schema $schema; median of $runs"
printf '%7s %10s | %8s %8s %9s %4s | %8s %8s %9s %4s | %7s %7s\n' N MB teikit_s user_s rss_MB rc \
  jing_s user_s rss_MB rc wall_x user_x
for n in "${sizes[@]}"; do
  rm -rf "$tmp/src" "$tmp/tei"
  python3 - "$tmp/src" "$n" "${inputs[@]}" <<'PY'
import os, sys
out, n, inputs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
texts = [(os.path.splitext(f)[1], open(f, 'rb').read()) for f in inputs]
os.makedirs(out, exist_ok=True)
for i in range(n):
    ext, text = texts[i % len(texts)]
    with open(os.path.join(out, 'doc%06d%s' % (i, ext)), 'wb') as fh:
        fh.write(text.rstrip(b'\n') + b'\n\nCopy %d.\n' % i)
PY
  mkdir -p "$tmp/tei"
  (cd "$tmp/src" && find . -name 'doc*' -print0 | sort -z |
     xargs -0 "$teikit" convert -o "$tmp/tei/" >/dev/null 2>&1) || true
  mapfile -t docs < <(find "$tmp/tei" -name '*.xml' | sort)
  mb=$(du -sb "$tmp/tei" | awk '{printf "%.1f", $1 / 1e6}')
  measure "$teikit" validate "${extra[@]}" --schema "$schema" "${docs[@]}"
  tw=$(med "$tmp/t" 1) tu=$(med "$tmp/t" 2) tr=$(med "$tmp/t" 3) trc=$rc
  if [ $have_jing -eq 1 ]; then
    measure "$jing" "$schema" "${docs[@]}"
    jw=$(med "$tmp/t" 1) ju=$(med "$tmp/t" 2) jr=$(med "$tmp/t" 3) jrc=$rc
    wx=$(awk -v j="$jw" -v t="$tw" 'BEGIN {printf "%.1f", (t > 0 ? j / t : 0)}')
    ux=$(awk -v j="$ju" -v t="$tu" 'BEGIN {printf "%.1f", (t > 0 ? j / t : 0)}')
  else
    jw=- ju=- jr=0 jrc=- wx=- ux=-
  fi
  printf '%7s %10s | %8s %8s %9.1f %4s | %8s %8s %9.1f %4s | %7s %7s\n' "${#docs[@]}" "$mb" \
    "$tw" "$tu" "$(echo "$tr / 1024" | bc -l)" "$trc" "$jw" "$ju" "$(echo "$jr / 1024" | bc -l)" \
    "$jrc" "$wx" "$ux"
done
