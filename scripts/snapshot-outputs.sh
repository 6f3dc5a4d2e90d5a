#!/usr/bin/env bash
# Writes everything a teikit binary produces for the corpora and samples into one directory, so
# two builds can be compared byte for byte (`diff -r BEFORE AFTER`): a restructuring or a memory
# change must not change one byte of the TEI, the diagnostics or the rendered pages.
#
#   scripts/snapshot-outputs.sh TEIKIT_BINARY OUT_DIR
#
# Inputs: samples/*.txt and every *.txt under $TEIKIT_SHARED/corpus (default ../shared), each
# converted on its own (TEI + diagnostics + exit code), then each TEI rendered to html, text and
# markdown; plus every *.xml of the shared corpus rendered to html and validated against the
# project schema. Run from anywhere; paths in the snapshot are relative to the project.
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: $0 TEIKIT_BINARY OUT_DIR" >&2; exit 1; }
bin=$(realpath "$1")
out=$(realpath -m "$2")
cd "$(dirname "$0")/.."
shared=${TEIKIT_SHARED:-../shared}
[ -x "$bin" ] || { echo "$bin is not executable" >&2; exit 1; }
mkdir -p "$out"
inputs=(samples/*.txt)
if [ -d "$shared/corpus" ]; then
  while IFS= read -r -d '' f; do inputs+=("$f"); done < <(find "$shared/corpus" -name '*.txt' -print0 | sort -z)
fi
n=0
for f in "${inputs[@]}"; do
  name=$(printf '%s' "$f" | sed 's|^\.\./||; s|[/ ]|_|g')
  dir="$out/convert/$name"
  mkdir -p "$dir"
  # Run from the input's directory with a relative name so the diagnostics do not depend on
  # where the project is checked out.
  (cd "$(dirname "$f")" && "$bin" convert "$(basename "$f")" -o - >"$dir/tei.xml" 2>"$dir/diagnostics")
  echo $? >"$dir/exit"
  for to in html text markdown; do
    "$bin" render --to "$to" - <"$dir/tei.xml" >"$dir/render.$to" 2>"$dir/render.$to.diagnostics"
    echo $? >>"$dir/render.$to.diagnostics"
  done
  n=$((n + 1))
done
m=0
if [ -d "$shared/corpus" ]; then
  while IFS= read -r -d '' f; do
    name=$(printf '%s' "$f" | sed 's|^\.\./||; s|[/ ]|_|g')
    dir="$out/tei/$name"
    mkdir -p "$dir"
    (cd "$(dirname "$f")" && "$bin" render --to html "$(basename "$f")" -o - >"$dir/render.html" 2>"$dir/render.diagnostics"
     echo $? >>"$dir/render.diagnostics"
     "$bin" validate "$(basename "$f")" >"$dir/validate" 2>&1; echo $? >>"$dir/validate")
    m=$((m + 1))
  done < <(find "$shared/corpus" -name '*.xml' -print0 | sort -z)
fi
echo "snapshot of $n transcriptions and $m TEI documents in $out"
