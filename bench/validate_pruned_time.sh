#!/bin/sh
# Wall and CPU time of `teikit validate --schema tei_all.rng` on one converted sample (pruned grammar,
# correctness check included): the minimum and median of N runs, to compare builds.
#   bench/validate_pruned_time.sh [teikit binary] [runs]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
teikit=${1:-$here/build/converter/teikit}
runs=${2:-15}
shared=${TEIKIT_SHARED:-$here/../shared}
schema=$shared/tei-schemas/tei_all.rng
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$teikit" convert "$here/samples/letter-plain.txt" -o "$tmp/sample.xml" >/dev/null
python3 - "$teikit" "$schema" "$tmp/sample.xml" "$runs" <<'PY'
import resource, statistics, subprocess, sys, time
teikit, schema, doc, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
wall, cpu = [], []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    rc = subprocess.run([teikit, "validate", "--schema", schema, doc]).returncode
    wall.append(time.perf_counter() - t)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if rc not in (0, 3):
        sys.exit("teikit validate exited %d" % rc)
print("teikit validate --schema tei_all.rng, 1 sample, %d runs: wall min %.3f s median %.3f s;"
      " CPU (user+sys, all processes) min %.3f s median %.3f s"
      % (runs, min(wall), statistics.median(wall), min(cpu), statistics.median(cpu)))
PY
