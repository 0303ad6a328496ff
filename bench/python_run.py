#!/usr/bin/env python3
"""The Python module against the CLI: a 200-run baseline into an
xarray.Dataset (entente.load(...).run()) against `entente run --runs 200`
(simulation plus writing the CSVs) and against the simulation alone
(Scenario.summary: the same ensemble, no trajectory arrays). Wall time, best
and median of --repeat (interleaved), the same thread count for all. Run from the repository root:

    PYTHONPATH=build/release/python python3 bench/python_run.py build/release/entente
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import entente


def best(fs, repeat):
    """The best time of each function, calling them in turn (A B C A B C …)
    so that a busy machine slows all of them alike."""
    times = [[] for _ in fs]
    for _ in range(repeat):
        for f, t in zip(fs, times):
            start = time.perf_counter()
            f()
            t.append(time.perf_counter() - start)
    return [(min(t), statistics.median(t)) for t in times]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("cli", help="the entente executable")
    p.add_argument("--scenario", default="scenarios/baseline.toml")
    p.add_argument("--runs", type=int, default=200)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeat", type=int, default=30)
    a = p.parse_args()

    scn = entente.load(a.scenario)
    out = tempfile.mkdtemp(prefix="entente-bench-")

    def cli():
        subprocess.run([a.cli, "run", a.scenario, "--runs", str(a.runs), "--threads",
                        str(a.threads), "-q", "-o", os.path.join(out, "run")], check=True)

    dataset, simulation, command = best(
        [lambda: scn.run(runs=a.runs, threads=a.threads, progress=False),
         lambda: scn.summary(runs=a.runs, threads=a.threads, progress=False),
         cli], a.repeat)
    ds = scn.run(runs=a.runs, threads=a.threads, progress=False)
    mib = sum(v.nbytes for v in ds.data_vars.values()) / 2**20
    print(f"{a.scenario}, {a.runs} runs, {a.threads} threads, {a.repeat} times each "
          "(wall; best, median):")
    ms = lambda t: f"{t[0] * 1e3:7.1f} ms {t[1] * 1e3:7.1f} ms"
    print(f"  entente run (simulate + write CSVs)  {ms(command)}")
    print(f"  Scenario.summary (simulate only)     {ms(simulation)}")
    print(f"  Scenario.run -> Dataset ({mib:.1f} MiB) {ms(dataset)}")
    for k, what in enumerate(("best", "median")):
        print(f"  {what}: Dataset / entente run = {dataset[k] / command[k]:.2f}x; "
              f"Dataset / simulation = {dataset[k] / simulation[k]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
