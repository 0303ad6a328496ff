#!/usr/bin/env python3
"""Yearly orientation targets from the UNGA ideal points (docs/validation.md).

Reads /work/shared/data/unga_idealpoints_south_caucasus_2010_2023.csv (or the
path given as the first argument) and writes, beside this script:
  unga_targets.csv            every year 2018-2023 (the whole record)
  unga_targets_2018_2021.csv  the years the backtest calibrates on
The map is the baseline's (scenarios/baseline.toml): x = 0.744 * ideal + 0.045,
which puts Russia 2023 on -0.90 and the EU27 mean 2023 on +0.90; values beyond
+-0.95 are capped there as the baseline caps the USA (Iran, every year). sd is
the published 5-95 % band mapped the same way and divided by 2 * 1.645 (the
band of a normal estimate). The value of year Y is dated December Y (UNGA
sessions open in September; most votes fall in the autumn).
"""
import csv
import os
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/unga_idealpoints_south_caucasus_2010_2023.csv"
HERE = os.path.dirname(os.path.abspath(__file__))
ACTORS = ["ARM", "AZE", "TUR", "IRN", "RUS"]
YEARS = range(2018, 2024)


def mapped(v):
    return max(-0.95, min(0.95, 0.744 * v + 0.045))


rows = [r for r in csv.reader(open(SRC)) if r and not r[0].startswith("#")]
head = rows[0]
col = {n: i for i, n in enumerate(head)}
data = {}
for r in rows[1:]:
    if r[col["iso3c"]] in ACTORS and r[col["year"]].isdigit() and int(r[col["year"]]) in YEARS:
        data[(r[col["iso3c"]], int(r[col["year"]]))] = r


def write(name, years):
    with open(os.path.join(HERE, name), "w") as f:
        f.write("# UNGA ideal points (Bailey-Strezhnev-Voeten, July 2025 release) mapped as\n")
        f.write("# scenarios/baseline.toml maps them: x = 0.744 * ideal + 0.045, capped at +-0.95;\n")
        f.write("# sd = 0.744 * (q95 - q5) / 3.29. Made by make_targets.py; do not edit.\n")
        f.write("date,observable,value,sd\n")
        for y in years:
            for a in ACTORS:
                r = data[(a, y)]
                ip, q5, q95 = (float(r[col[k]]) for k in ("idealpointall", "q5all", "q95all"))
                sd = 0.744 * (q95 - q5) / 3.29
                f.write(f"{y}-12,\"position({a},orientation)\",{mapped(ip):.4f},{sd:.4f}\n")


write("unga_targets.csv", YEARS)
write("unga_targets_2018_2021.csv", range(2018, 2022))
