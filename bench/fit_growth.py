#!/usr/bin/env python3
"""Fits t(N) = c * N^p to BM_StepGrowth in a Google Benchmark JSON file.

usage: bench_step --benchmark_filter=BM_StepGrowth --benchmark_format=json > growth.json
       bench/fit_growth.py growth.json

Prints the table (N, CPU time per step, time per pair, two-product floor,
step / floor) and least-squares exponents of log t against log N over the
whole range, over N <= 32 and over N >= 64, for the step and for the floor.
"""
import json
import math
import sys


def fit(points):
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    return sxy / sxx


def main(path):
    with open(path) as f:
        data = json.load(f)
    rows = []
    for b in data["benchmarks"]:
        if not b["name"].startswith("BM_StepGrowth/") or b.get("run_type") == "aggregate":
            continue
        n = int(b["name"].split("N:")[1].split("/")[0])
        scale = {"ns": 1.0, "us": 1e3, "ms": 1e6}[b.get("time_unit", "ns")]
        rows.append((n, b["cpu_time"] * scale, b["floor_us"] * 1e3))
    rows.sort()
    print("| N | step (µs) | per pair (ns) | two products (µs) | step / products |")
    print("|---:|---:|---:|---:|---:|")
    for n, t, f in rows:
        print(f"| {n} | {t / 1e3:.3g} | {t / (n * (n - 1)):.3g} | {f / 1e3:.3g} | {t / f:.2f} |")
    step = [(n, t) for n, t, _ in rows]
    floor = [(n, f) for n, _, f in rows]
    for label, lo, hi in (("all N", 0, 10**9), ("N <= 32", 0, 32), ("N >= 64", 64, 10**9)):
        s = [p for p in step if lo <= p[0] <= hi]
        fl = [p for p in floor if lo <= p[0] <= hi]
        if len(s) >= 2:
            print(f"exponent over {label}: step {fit(s):.2f}, two products {fit(fl):.2f}")


if __name__ == "__main__":
    main(sys.argv[1])
