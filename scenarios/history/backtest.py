#!/usr/bin/env python3
"""The honest backtest of docs/validation.md: calibrate on 2018-2021, predict
2022-2023 held out, compare with persistence and linear trend.

  python3 scenarios/history/backtest.py [--entente build/release/entente] [--out out/backtest]
                                        [--figure docs/figures/validation_backtest.png]

Runs, from the source root:
  entente calibrate scenarios/history/calibrate_2018_2021.toml -o OUT/calibration
  entente run OUT/calibration/best.toml -o OUT/calibrated
  entente run scenarios/history/2018.toml -o OUT/judgment       (the rates before fitting)
then scores the ensemble mean of each target in December 2022 and 2023
against the UNGA targets (unga_targets.csv): MSE over ARM, AZE, TUR, IRN, RUS
and both years, and skill = 1 - MSE_model / MSE_naive for two naive
forecasts made from 2018-2021 only: persistence (the 2021 value) and a linear
trend (least squares through 2018-2021); and a third forecast on the same
information as persistence, the 2021 value plus the change the calibrated
model simulates from December 2021. Standard library only; the figure needs
matplotlib.
"""
import argparse
import csv
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ACTORS = ["ARM", "AZE", "TUR", "IRN", "RUS"]
FIT_YEARS = [2018, 2019, 2020, 2021]
HELD_OUT = [2022, 2023]


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def targets():
    out = {}
    for r in rows(os.path.join(HERE, "unga_targets.csv")):
        actor = r["observable"].split("(")[1].split(",")[0]
        out[(actor, int(r["date"][:4]))] = (float(r["value"]), float(r["sd"]))
    return out


def simulated(run_dir):
    out = {}
    for r in rows(os.path.join(run_dir, "summary.csv")):
        if r["observable"].startswith("position(") and r["date"].endswith("-12"):
            actor = r["observable"].split("(")[1].split(",")[0]
            out[(actor, int(r["date"][:4]))] = (float(r["mean"]), float(r["p05"]), float(r["p95"]))
    return out


def trend(values):
    n = len(FIT_YEARS)
    mx = sum(FIT_YEARS) / n
    my = sum(values) / n
    b = sum((x - mx) * (y - my) for x, y in zip(FIT_YEARS, values)) / sum((x - mx) ** 2 for x in FIT_YEARS)
    return lambda year: max(-1.0, min(1.0, my + b * (year - mx)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entente", default=os.path.join(ROOT, "build/release/entente"))
    ap.add_argument("--out", default=os.path.join(ROOT, "out/backtest"))
    ap.add_argument("--figure", default="")
    a = ap.parse_args()
    cal = os.path.join(a.out, "calibration")

    def run(*args):
        subprocess.run([a.entente, *args], check=True, cwd=ROOT)

    run("calibrate", os.path.join(HERE, "calibrate_2018_2021.toml"), "-o", cal)
    run("run", os.path.join(cal, "best.toml"), "-q", "-o", os.path.join(a.out, "calibrated"))
    run("run", os.path.join(HERE, "2018.toml"), "-q", "-o", os.path.join(a.out, "judgment"))
    tg = targets()
    models = {"calibrated": simulated(os.path.join(a.out, "calibrated")),
              "judgment": simulated(os.path.join(a.out, "judgment"))}
    naive = {}
    for actor in ACTORS:
        past = [tg[(actor, y)][0] for y in FIT_YEARS]
        tr = trend(past)
        for y in HELD_OUT:
            naive[("persistence", actor, y)] = past[-1]
            naive[("trend", actor, y)] = tr(y)

    def mse(pred, actors=ACTORS):
        errs = [(pred(actor, y) - tg[(actor, y)][0]) ** 2 for actor in actors for y in HELD_OUT]
        return sum(errs) / len(errs)

    # The model on the same information as persistence: the 2021 observation
    # plus the change the calibrated model simulates from December 2021.
    cal_sim = models["calibrated"]
    anchored = {(c, y): (tg[(c, 2021)][0] + cal_sim[(c, y)][0] - cal_sim[(c, 2021)][0],)
                for c in ACTORS for y in HELD_OUT}
    table = []
    for subset_name, subset in (("all five", ACTORS), ("without RUS", ACTORS[:-1])):
        p = mse(lambda c, y: naive[("persistence", c, y)], subset)
        t = mse(lambda c, y: naive[("trend", c, y)], subset)
        for name, sim in list(models.items()) + [("calibrated changes on 2021", anchored)]:
            m = mse(lambda c, y: sim[(c, y)][0], subset)
            table.append((subset_name, name, m, p, t, 1 - m / p, 1 - m / t))
    print("held out 2022-2023 | model | MSE model | MSE persistence | MSE trend | skill vs persistence | skill vs trend")
    print("---|---|---|---|---|---|---")
    for s, name, m, p, t, sp, st in table:
        print(f"{s} | {name} | {m:.4f} | {p:.4f} | {t:.4f} | {sp:+.2f} | {st:+.2f}")
    print()
    print("actor | year | UNGA (mapped) | calibrated mean [p05, p95] | judgment mean | persistence | trend")
    print("---|---|---|---|---|---|---")
    for actor in ACTORS:
        for y in HELD_OUT:
            c = models["calibrated"][(actor, y)]
            print(f"{actor} | {y} | {tg[(actor, y)][0]:.3f} | {c[0]:.3f} [{c[1]:.3f}, {c[2]:.3f}] | "
                  f"{models['judgment'][(actor, y)][0]:.3f} | {naive[('persistence', actor, y)]:.3f} | "
                  f"{naive[('trend', actor, y)]:.3f}")
    with open(os.path.join(a.out, "backtest.csv"), "w") as f:
        f.write("subset,model,mse_model,mse_persistence,mse_trend,skill_persistence,skill_trend\n")
        for r in table:
            f.write(",".join([r[0], r[1]] + [repr(v) for v in r[2:]]) + "\n")
    if a.figure:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        years = FIT_YEARS + HELD_OUT
        fig, axes = plt.subplots(1, len(ACTORS), figsize=(16, 3.4), sharey=True)
        for ax, actor in zip(axes, ACTORS):
            ax.errorbar(years, [tg[(actor, y)][0] for y in years], yerr=[1.645 * tg[(actor, y)][1] for y in years],
                        fmt="ko", label="UNGA (mapped, 5-95%)")
            c = models["calibrated"]
            ax.plot(years, [c[(actor, y)][0] for y in years], "b-", label="model, calibrated 2018-21")
            ax.fill_between(years, [c[(actor, y)][1] for y in years], [c[(actor, y)][2] for y in years],
                            color="b", alpha=0.15)
            ax.plot(HELD_OUT, [naive[("persistence", actor, y)] for y in HELD_OUT], "g--", label="persistence")
            ax.plot(HELD_OUT, [naive[("trend", actor, y)] for y in HELD_OUT], "r:", label="linear trend")
            ax.axvspan(2021.5, 2023.5, color="grey", alpha=0.1)
            ax.set_title(actor)
            ax.set_xticks(years)
            ax.tick_params(axis="x", labelrotation=90)
        axes[0].set_ylabel("orientation (December)")
        axes[-1].legend(fontsize=7, loc="lower left")
        fig.tight_layout()
        fig.savefig(a.figure, dpi=110)
        print(f"\nfigure: {a.figure}")


if __name__ == "__main__":
    sys.exit(main())
