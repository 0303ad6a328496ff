"""entente.calibrate: the CLI's `entente calibrate` from Python. It recovers
a rate from targets the engine made itself (noise off), its tables are the
ones the CLI writes, and bad files raise ScenarioError where they are bad."""

import os

import numpy as np
import pandas as pd
import pytest

import entente

THREE = os.path.join("tests", "data", "calibrate", "three.toml")
OBSERVABLES = ["affinity(A,B)", "affinity(B,C)", "position(C,orientation)"]
TRUE_MEMORY = 0.12


def targets_csv(path):
    """Targets from a noiseless run of three.toml with memory at its true value."""
    scenario = entente.load(THREE, set={"model.memory": TRUE_MEMORY})
    ds = scenario.run(runs=1, progress=False)
    rows = ["step,observable,value,sd"]
    for step in (3, 6, 12, 24):
        for obs in OBSERVABLES:
            kind, args = obs.split("(")
            a, b = args.rstrip(")").split(",")
            if kind == "affinity":
                v = ds.affinity.sel(run=0, step=step, actor=a, to=b).item()
            else:
                v = ds.position.sel(run=0, step=step, actor=a, axis=b).item()
            rows.append(f'{step},"{obs}",{v!r},0.05')
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")


def calibration_file(tmp_path):
    targets_csv(tmp_path / "targets.csv")
    path = tmp_path / "cal.toml"
    path.write_text(
        "[calibration]\n"
        'name = "memory"\n'
        f'scenario = "{os.path.abspath(THREE)}"\n'
        "runs = 1\nseed = 1\nmax_evaluations = 150\n"
        '[[parameters]]\npath = "model.memory"\nmin = 0.01\nmax = 0.3\n'
        '[[targets]]\nfile = "targets.csv"\n',
        encoding="utf-8",
    )
    return path


def test_recovers_the_rate_and_writes_what_the_cli_writes(tmp_path, cli):
    cal = calibration_file(tmp_path)
    r = entente.calibrate(str(cal), output=str(tmp_path / "py"), profile_points=0,
                          progress=False)
    assert list(r.best.index) == ["model.memory"]
    assert r.best.dtype == np.float64
    assert abs(r.best["model.memory"] - TRUE_MEMORY) < 1e-4
    assert r.loss < 1e-6
    assert r.evaluations == len(r.trace)
    assert len(r.fit) == 4 * len(OBSERVABLES)
    assert "model.memory" in r.best_toml
    cli("calibrate", str(cal), "-o", str(tmp_path / "cli"), "--profile-points", "0")
    for name in ("fit.csv", "trace.csv", "profile.csv", "best.toml"):
        with open(tmp_path / "py" / name, "rb") as a, open(tmp_path / "cli" / name, "rb") as b:
            ours, theirs = a.read(), b.read()
        if name == "best.toml":  # its first line says when it was made
            ours, theirs = ours.split(b"\n", 1)[1], theirs.split(b"\n", 1)[1]
        assert ours == theirs, name
    pd.testing.assert_frame_equal(r.fit, pd.read_csv(tmp_path / "cli" / "fit.csv",
                                                     float_precision="round_trip"))


def test_without_output_nothing_is_left(tmp_path):
    cal = calibration_file(tmp_path)
    before = set(os.listdir(tmp_path))
    r = entente.calibrate(str(cal), profile_points=0, progress=False)
    assert r.directory is None
    assert set(os.listdir(tmp_path)) == before


def test_bad_files_raise_where_they_are_bad(tmp_path):
    with pytest.raises(entente.ScenarioError) as e:
        entente.calibrate(str(tmp_path / "missing.toml"))
    assert e.value.file == str(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        f'[calibration]\nscenario = "{os.path.abspath(THREE)}"\n'
        '[[parameters]]\npath = "model.memory"\nmin = 0.3\nmax = 0.1\n'
        '[[targets]]\nobservable = "affinity(A,B)"\nstep = 3\nvalue = 0.1\n',
        encoding="utf-8",
    )
    with pytest.raises(entente.ScenarioError) as e:
        entente.calibrate(str(bad))
    assert (e.value.file, e.value.line) == (str(bad), 6)
    with pytest.raises(TypeError):
        entente.calibrate(str(bad), profile_points="many")
