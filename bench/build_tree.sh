#!/usr/bin/env bash
# `teikit build` on a generated tree: N documents (default 10,000) made from the transcriptions
# of samples/ and the shared corpus (../shared or $TEIKIT_SHARED), spread over folders of 100,
# each copy given a line of its own so that no two are the same. Runs a first build and a second
# (incremental) one on the unchanged tree under /usr/bin/time -v and prints documents/s, wall
# time, peak memory and CPU seconds of each, and the load average before the first.
#
#   bench/build_tree.sh TEIKIT [N] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
teikit=$(realpath "$1") n=${2:-10000} jobs=${3:-2}
shared=${TEIKIT_SHARED:-../shared}
tmp=${BUILD_TREE_DIR:-$(mktemp -d)}; [ -n "${BUILD_TREE_DIR:-}" ] || trap 'rm -rf "$tmp"' EXIT
inputs=()
for f in samples/*.txt samples/*.md "$shared"/corpus/*/*.txt "$shared"/corpus/*/*.md; do
  [ -f "$f" ] && inputs+=("$f")
done
python3 - "$tmp/src" "$n" "${inputs[@]}" <<'PY'
import os, sys
out, n, inputs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
texts = [(os.path.splitext(f)[1], open(f, 'rb').read()) for f in inputs]
for i in range(n):
    ext, text = texts[i % len(texts)]
    d = os.path.join(out, 'f%03d' % (i // 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'doc%05d%s' % (i, ext)), 'wb') as fh:
        fh.write(text.rstrip(b'\n') + b'\n\nCopy %d.\n' % i)
PY
bytes=$(du -sb "$tmp/src" | cut -f1)
echo "tree: $n documents, $bytes bytes, from ${#inputs[@]} transcriptions; -j$jobs; $(nproc) cores"
run() {
  /usr/bin/time -v "$teikit" build "$tmp/src" -o "$tmp/out" -j "$jobs" --quiet \
    >/dev/null 2>"$tmp/time.txt" || true
  local wall rss user sys
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
         for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$tmp/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time.txt")
  user=$(awk -F': ' '/User time/ { print $2 }' "$tmp/time.txt")
  sys=$(awk -F': ' '/System time/ { print $2 }' "$tmp/time.txt")
  # CPU seconds too: on a shared machine the wall time says more about the neighbours.
  printf '%-12s %8.2f s  %8.0f documents/s  %7.1f MB peak RSS  %7.2f s user  %6.2f s sys\n' \
    "$1" "$wall" "$(echo "$n / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$user" "$sys"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run "first run"
run "second run"
touch "$tmp"/src/f000/*
run "touched"
