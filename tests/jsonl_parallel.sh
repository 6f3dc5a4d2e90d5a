#!/usr/bin/env bash
# `teikit convert --jsonl` as a mapper under GNU parallel (the README's invocation): a few
# thousand documents made from samples/ and the shared corpus (TEIKIT_SHARED, when present) go
# through `parallel --pipe --keep-order` in blocks of lines, and the output must be byte for byte
# what one process writes for the whole stream; each document's TEI must also be what
# `teikit convert FILE` writes for its file. Exit 77 (skipped) when GNU parallel is absent.
#
#   tests/jsonl_parallel.sh TEIKIT [DOCUMENTS]
set -euo pipefail
teikit=$(realpath "$1") n=${2:-3000}
here=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v parallel >/dev/null; then
  echo "jsonl_parallel: GNU parallel is not installed (scripts/setup-debian.sh); skipped"
  exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
inputs=()
for f in "$here"/samples/*.txt "$here"/samples/*.md "$here"/tests/data/*.txt \
         "${TEIKIT_SHARED:-$here/../shared}"/corpus/*/*.txt; do
  [ -f "$f" ] && inputs+=("$f")
done
# N lines, cycling through the inputs; every tenth is given a per-line option, every 97th is
# broken, so that error results are compared too.
python3 - "$n" "${inputs[@]}" >"$tmp/in.jsonl" <<'PY'
import json, sys
n, files = int(sys.argv[1]), sys.argv[2:]
texts = [open(f, encoding='utf-8', errors='surrogateescape').read() for f in files]
for i in range(n):
    k = i % len(files)
    if i % 97 == 96:
        print('{"id": %d, "text": broken' % i)
        continue
    line = {"id": files[k] if i < len(files) else "%s#%d" % (files[k], i), "text": texts[k]}
    if i % 10 == 9 and i >= len(files):
        line["options"] = {"publisher": "Press %d" % i}
    print(json.dumps(line, ensure_ascii=i % 2 == 0))
PY
"$teikit" convert --jsonl <"$tmp/in.jsonl" >"$tmp/single.jsonl"
parallel --pipe --keep-order -N 100 -j 2 "$teikit" convert --jsonl \
  <"$tmp/in.jsonl" >"$tmp/parallel.jsonl"
lines=$(wc -l <"$tmp/parallel.jsonl")
if [ "$lines" -ne "$n" ]; then
  echo "jsonl_parallel: $lines result lines for $n input lines"
  exit 1
fi
if ! cmp "$tmp/single.jsonl" "$tmp/parallel.jsonl"; then
  echo "jsonl_parallel: GNU parallel's output differs from one process's"
  exit 1
fi
# Each input file's first line against a conversion of the file itself.
for f in "${inputs[@]}"; do "$teikit" convert "$f" -o "$tmp/$(echo "$f" | md5sum | cut -c1-16).xml" 2>/dev/null || true; done
python3 - "$tmp" "$tmp/single.jsonl" <<'PY'
import hashlib, json, sys
tmp, results = sys.argv[1], sys.argv[2]
seen, bad, statuses = set(), 0, {}
for line in open(results, encoding='utf-8'):
    r = json.loads(line)
    statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    if not isinstance(r["id"], str) or "#" in r["id"] or r["id"] in seen:
        continue
    seen.add(r["id"])
    name = hashlib.md5((r["id"] + "\n").encode('utf-8', 'surrogateescape')).hexdigest()[:16]
    want = open("%s/%s.xml" % (tmp, name), encoding='utf-8').read()
    if r["tei"] != want:
        bad += 1
        print("jsonl_parallel: %s: TEI differs from teikit convert's" % r["id"])
print("jsonl_parallel: %d lines, statuses %s; %d documents checked against convert" %
      (sum(statuses.values()), statuses, len(seen)))
if bad or statuses.get("error", 0) == 0 or len(seen) == 0:
    sys.exit(1)
PY
echo "jsonl_parallel: GNU parallel output identical to one process's ($n lines)"
