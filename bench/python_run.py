#!/usr/bin/env python3
"""The Python module against the CLI: a 200-run baseline into an
xarray.Dataset (entente.load(...).run()) against `entente run --runs 200`
(simulation plus writing the CSVs) and against the simulation alone
(Scenario.summary: the same ensemble, no trajectory arrays). Wall time, best
of --repeat, the same thread count for all. Run from the repository root:

    PYTHONPATH=build/release/python python3 bench/python_run.py build/release/entente
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import entente


def best(f, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("cli", help="the entente executable")
    p.add_argument("--scenario", default="scenarios/baseline.toml")
    p.add_argument("--runs", type=int, default=200)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeat", type=int, default=7)
    a = p.parse_args()

    scn = entente.load(a.scenario)
    out = tempfile.mkdtemp(prefix="entente-bench-")

    def cli():
        subprocess.run([a.cli, "run", a.scenario, "--runs", str(a.runs), "--threads",
                        str(a.threads), "-q", "-o", os.path.join(out, "run")], check=True)

    dataset = best(lambda: scn.run(runs=a.runs, threads=a.threads, progress=False), a.repeat)
    simulation = best(lambda: scn.summary(runs=a.runs, threads=a.threads, progress=False),
                      a.repeat)
    command = best(cli, a.repeat)
    ds = scn.run(runs=a.runs, threads=a.threads, progress=False)
    mib = sum(v.nbytes for v in ds.data_vars.values()) / 2**20
    print(f"{a.scenario}, {a.runs} runs, {a.threads} threads, best of {a.repeat} (wall):")
    print(f"  entente run (simulate + write CSVs)  {command * 1e3:8.1f} ms")
    print(f"  Scenario.summary (simulate only)     {simulation * 1e3:8.1f} ms")
    print(f"  Scenario.run -> Dataset ({mib:.1f} MiB)  {dataset * 1e3:8.1f} ms")
    print(f"  Dataset / entente run = {dataset / command:.2f}x; "
          f"Dataset / simulation = {dataset / simulation:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
