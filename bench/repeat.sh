#!/usr/bin/env bash
# Runs Google Benchmarks in many separate processes and prints, per
# benchmark, the minimum, median and maximum of a column over them.
#
# Why: on the shared 2-core VM the same binary's N = 7 step took 1.3-1.5x
# longer in some processes than in others minutes apart (bimodal: about
# 210 or 310 ns), and its floor moved less, so even the ratios moved; the
# slow spells come and go with the host's other tenants (taskset to either
# core, ASLR off, environments of any size: all fast when the host is
# quiet). One process is one sample; the minimum is the quiet host, the
# median and the spread say how quiet it was. Each process also gets a
# different environment size (0-4 KiB), so that a layout effect, were there
# one, would show as spread too.
#
# usage: bench/repeat.sh BINARY FILTER [PROCESSES=24] [COLUMN=cpu_time]
#   e.g. bench/repeat.sh build/bench/bench/bench_step 'StepIsa/isa:2' 24 x_floor
set -euo pipefail
bin=$1
filter=$2
layouts=${3:-24}
column=${4:-cpu_time}
[ -x "$bin" ] || { echo "repeat.sh: $bin is not an executable" >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for ((k = 0; k < layouts; ++k)); do
  # Environments of 0 to 4 KiB in steps of 16 bytes, spread over the runs.
  pad=$(head -c $(((k * 4096 / layouts) & ~15)) /dev/zero | tr '\0' x)
  env -i PATH=/usr/bin:/bin HOME="${HOME:-/}" ENTENTE_LAYOUT_PAD="$pad" "$bin" \
    --benchmark_filter="$filter" --benchmark_min_time=0.1 --benchmark_format=csv \
    2>/dev/null >>"$out"
done
python3 - "$out" "$column" <<'PY'
import csv, statistics, sys
path, column = sys.argv[1], sys.argv[2]
values, header = {}, None
with open(path) as f:
    for row in csv.reader(f):
        if row and row[0] == "name":
            header = row  # each run prints its header (user counters last)
            continue
        if not row or header is None or column not in header:
            continue
        v = row[header.index(column)]
        if v:
            values.setdefault(row[0], []).append(float(v))
if not values:
    sys.exit(f"repeat.sh: no benchmark matched, or no column {column}")
for name, vs in values.items():
    vs.sort()
    print(f"{name}: {column} min {vs[0]:.4g} median {statistics.median(vs):.4g} "
          f"max {vs[-1]:.4g} over {len(vs)} processes")
PY
