#!/usr/bin/env bash
# Scaling of MPI sweeps on one machine (docs/cluster.md): the same sweep with
# one process (--threads 1) and with 1, 2 and 4 MPI workers (mpirun -n 2, 3,
# 5: rank 0 only dispatches and writes), checking each gives the same bytes.
#   bench/mpi_scaling.sh BUILD_DIR [SWEEP.toml]
# Efficiency with W workers = T(1 process) / (W · T(W workers)). Prints a
# Markdown table for bench/README.md.
set -euo pipefail
build=${1:?usage: bench/mpi_scaling.sh BUILD_DIR [SWEEP.toml]}
sweep=${2:-bench/sweeps/mpi_scaling.toml}
cd "$(dirname "$0")/.."
entente="$build/entente"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
t1=$(seconds "$entente" sweep "$sweep" -q --threads 1 -o "$out/one")
echo "| workers | ranks | seconds | speed-up | efficiency |"
echo "|---|---|---|---|---|"
printf '| 1 (no MPI) | 1 | %.2f | 1.00 | 1.00 |\n' "$t1"
for workers in 1 2 4; do
  ranks=$((workers + 1))
  t=$(seconds mpirun --allow-run-as-root --oversubscribe -n "$ranks" \
        "$entente" sweep "$sweep" -q -o "$out/mpi$workers")
  cmp -s "$out/one/results.csv" "$out/mpi$workers/results.csv" || { echo "results differ at $workers workers" >&2; exit 1; }
  printf '| %d | %d | %.2f | %.2f | %.2f |\n' "$workers" "$ranks" "$t" \
    "$(echo "$t1 / $t" | bc -l)" "$(echo "$t1 / ($workers * $t)" | bc -l)"
done
echo "($(nproc) cores; $sweep)"
