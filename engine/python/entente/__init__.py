"""entente in Python: load a scenario, run its ensemble, get xarray and pandas.

A thin front end over the same C++ library as the ``entente`` command line,
so the numbers are the CLI's, bit for bit::

    import entente
    scn = entente.load("scenarios/baseline.toml", set={"model.balance": 0})
    ds = scn.run(runs=50)                  # xarray.Dataset (trajectories.nc's schema)
    ds.position.sel(actor="ARM", axis="orientation").quantile([0.05, 0.5, 0.95], "run")
    entente.compare("scenarios/csto/freeze.toml", "scenarios/csto/exit.toml", runs=50)

Long calls release the GIL, show a line of progress in a notebook, and stop
on Ctrl-C (KeyboardInterrupt, nothing half-made). See docs/python.md.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import shutil
import sys
import tempfile
import time
import warnings as _warnings
from collections.abc import Mapping

import numpy as np

from . import _entente
from ._entente import ScenarioError

__version__ = _entente.version
__all__ = [
    "Scenario",
    "ScenarioError",
    "ScenarioWarning",
    "analyze",
    "calibrate",
    "compare",
    "load",
    "sweep",
]

ScenarioError.__module__ = "entente"
ScenarioError.__doc__ = (
    "Bad scenario or sweep input. str(e) is the CLI's 'FILE:LINE:COL: error: ...'; "
    "e.file, e.line, e.column say where (line 0: the whole file), e.message what."
)


class ScenarioWarning(UserWarning):
    """A load-time warning of a scenario (the CLI prints these on stderr)."""


# --- arguments ---------------------------------------------------------------


def _integer(name, value, low, high):
    """None, or an int in [low, high]; TypeError/ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, not {type(value).__name__}")
    value = int(value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _runs(v):
    return _integer("runs", v, 1, 100_000_000)


def _seed(v):
    return _integer("seed", v, 0, 2**63 - 1)


def _threads(v):
    return _integer("threads", v, 1, 1024)


def _path(name, value):
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    raise TypeError(f"{name} must be a path (str or os.PathLike), not {type(value).__name__}")


def _bare_key(k):
    return k != "" and all(c.isalnum() or c in "_-" for c in k)


def _toml_value(value, path):
    """A Python value as the TOML text `--set PATH=VALUE` would take."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        v = float(value)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)  # the shortest text that reads back to the same double
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v, path) for v in value) + "]"
    if isinstance(value, Mapping):
        items = []
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"set: keys of the table for '{path}' must be str")
            key = k if _bare_key(k) else json.dumps(k)
            items.append(f"{key} = {_toml_value(v, path)}")
        return "{ " + ", ".join(items) + " }"
    raise TypeError(
        f"set: the value for '{path}' must be a number, bool, str, list or dict, "
        f"not {type(value).__name__}"
    )


def _sets(set):
    """`set` as a list of 'PATH=VALUE' strings, the CLI's --set arguments."""
    if set is None:
        return []
    if isinstance(set, Mapping):
        out = []
        for path, value in set.items():
            if not isinstance(path, str):
                raise TypeError(f"set: keys must be str paths such as 'model.balance', not {type(path).__name__}")
            if not path:
                raise ValueError("set: empty path; keys are paths such as 'model.balance'")
            out.append(f"{path}={_toml_value(value, path)}")
        return out
    if isinstance(set, (list, tuple)) and all(isinstance(s, str) for s in set):
        return list(set)
    raise TypeError(
        "set must be a dict {path: value} (e.g. {'model.balance': 0}) "
        "or a list of 'PATH=VALUE' strings, not " + type(set).__name__
    )


# --- progress ----------------------------------------------------------------


def _interactive():
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _TextProgress:
    """'run 120/200  1.4 s' on one line of stderr, redrawn; shown only after
    the first second (quick calls print nothing)."""

    def __init__(self, what="run"):
        self.what = what
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, done, total):
        elapsed = time.monotonic() - self.start
        if not self.shown and (elapsed < 1.0 or done >= total):
            return
        self.shown = True
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r{self.what} {done}/{total}  {elapsed:.1f} s{end}")
        sys.stderr.flush()


def _progress(progress, what="run"):
    """None: text progress when interactive (a notebook, a terminal);
    True/False: always/never; a callable: called as progress(done, total)."""
    if progress is None:
        return _TextProgress(what) if _interactive() else None
    if progress is True:
        return _TextProgress(what)
    if progress is False:
        return None
    if callable(progress):
        return progress
    raise TypeError("progress must be None, a bool or a callable(done, total)")


def _warn(messages):
    for m in messages:
        _warnings.warn(m, ScenarioWarning, stacklevel=3)


# --- scenarios ----------------------------------------------------------------


def load(path, set=None):
    """Load a scenario file, with overrides as `entente run --set` takes them.

    ``set`` is a dict ``{"model.balance": 0, "issues.corridor.regime": "third_party"}``
    (values: numbers, bools, strings, lists, dicts) or a list of
    ``"PATH=VALUE"`` strings. Raises ScenarioError for a bad file or override.
    """
    handle = _entente.load(_path("path", path), _sets(set))
    scenario = Scenario(handle)
    _warn(scenario.warnings)
    return scenario


class Scenario:
    """A loaded scenario (after `extends` and overrides). Make one with
    entente.load()."""

    def __init__(self, handle):
        if not isinstance(handle, _entente.LoadedScenario):
            raise TypeError("use entente.load(path) to make a Scenario")
        self._handle = handle
        self._info = handle.describe()

    # what the scenario is
    path = property(lambda self: self._handle.path, doc="The file as given to load().")
    sets = property(lambda self: list(self._handle.sets), doc="The overrides, as PATH=VALUE.")
    name = property(lambda self: self._info["name"])
    description = property(lambda self: self._info["description"])
    steps = property(lambda self: self._info["steps"])
    runs = property(lambda self: self._info["runs"])
    seed = property(lambda self: self._info["seed"])
    step_unit = property(lambda self: self._info["step_unit"])
    start = property(lambda self: self._info["start"], doc="'YYYY-MM' or similar, or None.")
    actors = property(lambda self: list(self._info["actors"]))
    axes = property(lambda self: list(self._info["axes"]))
    issues = property(lambda self: list(self._info["issues"]))
    events = property(lambda self: list(self._info["events"]))
    observables = property(lambda self: list(self._info["observables"]))
    warnings = property(lambda self: list(self._info["warnings"]))
    dates = property(lambda self: list(self._info["dates"]), doc="Each step's date, if a start.")

    @property
    def options(self):
        """{issue: [option ids]} in file order (regime values index these)."""
        return dict(zip(self._info["issues"], self._info["options"]))

    def __repr__(self):
        when = f" from {self.start}" if self.start else ""
        return (
            f"<entente.Scenario {self.name!r}: {len(self.actors)} actors, "
            f"{self.steps} {self.step_unit}s{when}, {self.runs} runs, seed {self.seed}>"
        )

    def with_set(self, set):
        """The same file loaded again with further overrides (after this one's)."""
        return load(self.path, self.sets + _sets(set))

    def to_toml(self):
        """The resolved scenario as TOML: what `entente show` prints."""
        return self._handle.to_toml()

    def run(self, runs=None, seed=None, threads=None, drivers=False, progress=None):
        """Run the ensemble; an xarray.Dataset with trajectories.nc's schema.

        Variables position(run, step, actor, axis) and affinity(run, step,
        actor, to) (float64; NaN on the diagonal), regime(run, step, issue)
        (int32 option indices; names in the attributes ``options_<issue>``),
        bloc(run, step, actor) (0 = A, 1 = B; when the scenario records
        blocs); with ``drivers=True`` also affinity_drivers(run, step, actor,
        to, affinity_driver) and position_drivers(run, step, actor, axis,
        position_driver) (MODEL.md §5.3). Values equal `entente run`'s CSVs.
        """
        if not isinstance(drivers, (bool, np.bool_)):
            raise TypeError(f"drivers must be a bool, not {type(drivers).__name__}")
        r = _entente.run(
            self._handle,
            runs=_or(_runs(runs), -1),
            seed=_or(_seed(seed), -1),
            threads=_or(_threads(threads), 0),
            drivers=bool(drivers),
            trajectories=True,
            progress=_progress(progress),
        )
        return self._dataset(r)

    def summary(self, runs=None, seed=None, threads=None, progress=None):
        """summary.csv as a DataFrame: step[, date], observable, mean, sd,
        p05, p25, p50, p75, p95 for the numeric [output] observables."""
        return _frame(self._tables(runs, seed, threads, progress), "summary")

    def shares(self, runs=None, seed=None, threads=None, progress=None):
        """shares.csv as a DataFrame: step[, date], observable, value, share
        for the categorical [output] observables."""
        return _frame(self._tables(runs, seed, threads, progress), "shares")

    def _tables(self, runs, seed, threads, progress):
        r = _entente.run(
            self._handle,
            runs=_or(_runs(runs), -1),
            seed=_or(_seed(seed), -1),
            threads=_or(_threads(threads), 0),
            drivers=False,
            trajectories=False,
            progress=_progress(progress),
        )
        return r["tables"]

    def _dataset(self, r):
        import xarray as xr

        info = self._info
        coords = {
            "run": np.arange(r["runs"], dtype=np.int64),
            "step": np.arange(r["steps"] + 1, dtype=np.int64),
            "actor": _strings(info["actors"]),
            "to": _strings(info["actors"]),
            "axis": _strings(info["axes"]),
            "issue": _strings(info["issues"]),
        }
        if info["dates"]:
            coords["date"] = ("step", _strings(info["dates"]))
        regime_attrs = {"long_name": "the option in force (an index into options_<issue>)"}
        for issue, options in zip(info["issues"], info["options"]):
            regime_attrs["options_" + issue] = list(options)
        data = {
            "position": (
                ("run", "step", "actor", "axis"),
                r["position"],
                {"long_name": "position x[i][a] (MODEL.md §1)"},
            ),
            "affinity": (
                ("run", "step", "actor", "to"),
                r["affinity"],
                {"long_name": "affinity R[i][j] of actor toward to (NaN on the diagonal)"},
            ),
            "regime": (("run", "step", "issue"), r["regime"], regime_attrs),
        }
        if "bloc" in r:
            data["bloc"] = (
                ("run", "step", "actor"),
                r["bloc"],
                {"long_name": "bloc (MODEL.md §5.2)", "flag_values": [0, 1], "flag_meanings": "A B"},
            )
        if "affinity_driver" in r:
            coords["affinity_driver"] = _strings(r["affinity_driver_labels"])
            coords["position_driver"] = _strings(r["position_driver_labels"])
            data["affinity_drivers"] = (
                ("run", "step", "actor", "to", "affinity_driver"),
                r["affinity_driver"],
                {"long_name": "contribution to the change of R[i][j] from step - 1 (MODEL.md §5.3)"},
            )
            data["position_drivers"] = (
                ("run", "step", "actor", "axis", "position_driver"),
                r["position_driver"],
                {"long_name": "contribution to the change of x[i][a] from step - 1 (MODEL.md §5.3)"},
            )
        attrs = {
            "engine": "entente",
            "version": r["version"],
            "scenario": info["name"],
            "description": info["description"],
            "source": self.path,
            "overrides": "\n".join(self.sets),
            "seed": int(r["seed"]),
            "runs": int(r["runs"]),
            "steps": int(r["steps"]),
            "step_unit": info["step_unit"],
            "blocs_heuristic": int(r["blocs_heuristic"]),
        }
        if info["start"]:
            attrs["start"] = info["start"]
        return xr.Dataset(data, coords=coords, attrs=attrs)


def _or(value, default):
    return default if value is None else value


def _strings(values):
    return np.array(list(values), dtype=str) if values else np.array([], dtype=str)


def _frame(tables, which):
    """A table of columns from the C++ side as a DataFrame, with the `date`
    column after `step` when the scenario has a start."""
    import pandas as pd

    columns = tables[which]
    df = pd.DataFrame({k: columns[k] for k in columns})
    if tables["dates"]:
        dates = np.asarray(tables["dates"], dtype=object)
        df.insert(1, "date", dates[df["step"].to_numpy()] if len(df) else [])
    return df


# --- several scenarios, sweeps, analysis -----------------------------------------


def compare(*inputs, runs=None, seed=None, threads=None, shares=False, progress=None):
    """`entente compare`: every input against the first, with common random
    numbers. Inputs are Scenario objects, scenario files or directories
    written by `entente run`. Returns compare.csv as a DataFrame (step[,
    date], observable, scenario, base_mean, mean, difference, sd, ci05, ci95,
    p05, p95, p_positive), or compare_shares.csv with ``shares=True``.
    ``runs`` and ``seed`` apply to the scenarios (not to run directories)."""
    if len(inputs) == 1 and isinstance(inputs[0], (list, tuple)):
        inputs = tuple(inputs[0])
    if len(inputs) < 2:
        raise ValueError("compare needs at least two scenarios or run directories")
    items = []
    for k, x in enumerate(inputs):
        if isinstance(x, Scenario):
            items.append(x._handle)
        elif isinstance(x, (str, os.PathLike)):
            items.append(os.fspath(x))
        else:
            raise TypeError(
                f"compare: input {k + 1} must be a Scenario or a path, not {type(x).__name__}"
            )
    r = _entente.compare(
        items,
        runs=_or(_runs(runs), -1),
        seed=_or(_seed(seed), -1),
        threads=_or(_threads(threads), 0),
        progress=_progress(progress),
    )
    _warn(r["warnings"])
    df = _frame({"compare": r["compare"], "shares": r["shares"], "dates": r["dates"]},
                "shares" if shares else "compare")
    df.attrs["labels"] = list(r["labels"])
    return df


def sweep(path, output=None, threads=None, resume=False, progress=None):
    """`entente sweep`: run a sweep file; results.csv as a DataFrame (point,
    replicate, seed, one column per parameter, one per output).

    ``output`` keeps design.csv, results.csv and manifest.json in that
    directory (as `-o DIR`; ``resume=True`` continues an interrupted sweep
    there); without it they go to a temporary directory that is removed.
    The DataFrame's attrs hold ``design`` (design.csv as a DataFrame) and
    ``manifest`` (a dict), which entente.analyze() reads."""
    import pandas as pd

    path = _path("path", path)
    if not isinstance(resume, (bool, np.bool_)):
        raise TypeError(f"resume must be a bool, not {type(resume).__name__}")
    temporary = None
    if output is None:
        if resume:
            raise ValueError("resume=True needs the output directory of the interrupted sweep")
        temporary = tempfile.mkdtemp(prefix="entente-sweep-")
        directory = os.path.join(temporary, "sweep")
    else:
        directory = _path("output", output)
    try:
        r = _entente.sweep(
            path,
            directory,
            threads=_or(_threads(threads), 0),
            resume=bool(resume),
            progress=_progress(progress),
        )
        _warn(r["warnings"])
        results = pd.read_csv(os.path.join(directory, "results.csv"), float_precision="round_trip")
        design = pd.read_csv(os.path.join(directory, "design.csv"), float_precision="round_trip")
        with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    results.attrs["design"] = design
    results.attrs["manifest"] = manifest
    results.attrs["name"] = r["name"]
    if output is not None:
        results.attrs["directory"] = directory
    return results


_METHODS = ("morris", "sobol", "regression")


def calibrate(path, output=None, threads=None, profile_points=11, progress=None):
    """`entente calibrate`: fit a calibration file's parameters to its targets.

    Returns a ``types.SimpleNamespace`` with ``best`` (a Series: parameter
    path → fitted value), ``loss``, ``evaluations``, and the tables the CLI
    writes as DataFrames: ``fit`` (fit.csv: each target with the simulated
    mean, p05, p95 and standardised residual), ``trace`` (trace.csv: every
    evaluation) and ``profile`` (profile.csv), plus ``best_toml`` (the text
    of best.toml, a scenario that `entente run` takes). ``output`` keeps the
    directory (as `-o DIR`); without it a temporary one is used and removed.
    Ctrl-C keeps the best point found: it is written to ``output`` (when
    given), then KeyboardInterrupt is raised."""
    import types

    import pandas as pd

    path = _path("path", path)
    profile_points = _or(_integer("profile_points", profile_points, 0, 1000), 11)
    temporary = None
    if output is None:
        temporary = tempfile.mkdtemp(prefix="entente-calibrate-")
        directory = os.path.join(temporary, "calibration")
    else:
        directory = _path("output", output)
    try:
        r = _entente.calibrate(
            path,
            directory,
            threads=_or(_threads(threads), 0),
            profile_points=profile_points,
            progress=_progress(progress, "evaluation"),
        )
        _warn(r["warnings"])

        def table(name):
            return pd.read_csv(os.path.join(directory, name), float_precision="round_trip")

        fit, trace, profile = table("fit.csv"), table("trace.csv"), table("profile.csv")
        with open(os.path.join(directory, "best.toml"), encoding="utf-8") as f:
            best_toml = f.read()
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    return types.SimpleNamespace(
        name=r["name"],
        best=pd.Series(r["best"], index=r["parameters"], dtype="float64", name="best"),
        loss=r["loss"],
        evaluations=r["evaluations"],
        fit=fit,
        trace=trace,
        profile=profile,
        best_toml=best_toml,
        directory=directory if output is not None else None,
    )


def analyze(results, method=None, bootstrap=1000, seed=0):
    """`entente analyze`: sensitivity indices of a sweep's results, ranked.

    ``results`` is a sweep output directory or the DataFrame entente.sweep()
    returned. ``method``: "morris", "sobol" or "regression" (default: from
    the sweep's design). Returns sensitivity_<method>.csv as a DataFrame
    (output, rank, parameter, then the method's columns)."""
    import pandas as pd

    if method is not None and method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(_METHODS)} (or None), not {method!r}")
    bootstrap = _integer("bootstrap", bootstrap, 0, 1_000_000)
    seed = _seed(seed)
    temporary = None
    if isinstance(results, (str, os.PathLike)):
        directory = os.fspath(results)
    elif isinstance(results, pd.DataFrame):
        design = results.attrs.get("design")
        if not isinstance(design, pd.DataFrame):
            raise ValueError(
                "analyze needs a sweep's results: a directory written by `entente sweep` "
                "or the DataFrame entente.sweep() returned (its attrs hold the design)"
            )
        temporary = tempfile.mkdtemp(prefix="entente-analyze-")
        directory = temporary
        # Python writes floats in their shortest round-trip form, as the CLI does.
        design.to_csv(os.path.join(directory, "design.csv"), index=False)
        results.to_csv(os.path.join(directory, "results.csv"), index=False)
        with open(os.path.join(directory, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump(results.attrs.get("manifest", {}), f)
    else:
        raise TypeError(
            f"results must be a directory path or the DataFrame of entente.sweep(), "
            f"not {type(results).__name__}"
        )
    try:
        r = _entente.analyze(directory, method or "", bootstrap, seed)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    df = pd.DataFrame({k: r["table"][k] for k in r["table"]})
    df.attrs["method"] = r["method"]
    df.attrs["points"] = r["points"]
    return df
