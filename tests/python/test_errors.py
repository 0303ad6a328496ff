"""Every error: bad scenarios and sweeps raise entente.ScenarioError with the
CLI's message and its place; bad arguments raise TypeError or ValueError
saying what would be valid."""

import glob
import re

import pandas as pd
import pytest

import entente

SMALL = "tests/data/scenarios/small.toml"


@pytest.mark.parametrize("path", sorted(glob.glob("tests/data/scenarios/errors/*.toml")) + ["nonexist.toml"])
def test_scenario_errors_carry_the_clis_message_and_place(cli, path):
    shown = cli("show", path, check=False)
    assert shown.returncode == 2
    with pytest.raises(entente.ScenarioError) as caught:
        entente.load(path)
    e = caught.value
    assert str(e) + "\n" == shown.stderr
    m = re.match(r"^(.*?):(?:(\d+):(\d+):)? error: (.*)$", str(e))
    assert (e.file, e.line, e.column, e.message) == (
        m[1], int(m[2] or 0), int(m[3] or 0), m[4])
    assert isinstance(e, ValueError)


def test_syntax_error_points_at_its_line():
    with pytest.raises(entente.ScenarioError) as caught:
        entente.load("tests/data/scenarios/errors/syntax.toml")
    assert (caught.value.file, caught.value.line, caught.value.column) == (
        "tests/data/scenarios/errors/syntax.toml", 3, 15)


def test_bad_override_is_a_set_error(cli):
    shown = cli("show", SMALL, "--set", "model.balance=abc", check=False)
    with pytest.raises(entente.ScenarioError) as caught:
        entente.load(SMALL, set=["model.balance=abc"])
    assert str(caught.value) + "\n" == shown.stderr
    with pytest.raises(entente.ScenarioError) as caught:
        entente.load(SMALL, set={"model.balance": "abc"})
    assert caught.value.file == "--set"
    assert caught.value.message == "model.balance must be a number, not a string"
    with pytest.raises(entente.ScenarioError, match="did you mean 'balance'"):
        entente.load(SMALL, set={"model.balanse": 0})
    with pytest.raises(entente.ScenarioError, match=r"^--set:1:1: error: override .model.balance. must have the form PATH=VALUE"):
        entente.load(SMALL, set=["model.balance"])  # no '='


def test_sweep_errors(cli, tmp_path):
    path = "tests/data/sweeps/unknown_path.toml"
    shown = cli("sweep", path, "-o", str(tmp_path / "cli"), check=False)
    with pytest.raises(entente.ScenarioError) as caught:
        entente.sweep(path)
    assert str(caught.value) + "\n" == shown.stderr
    assert (caught.value.line, caught.value.column) == (9, 20)
    with pytest.raises(entente.ScenarioError, match="design.csv: error: cannot read the file"):
        entente.analyze(tmp_path)  # not a sweep output


def test_compare_errors():
    with pytest.raises(ValueError, match="compare needs at least two scenarios or run directories"):
        entente.compare(SMALL)
    with pytest.raises(TypeError, match="compare: input 2 must be a Scenario or a path, not int"):
        entente.compare(SMALL, 3)
    with pytest.raises(entente.ScenarioError, match="seed"):
        # common random numbers need the same seed, runs and steps
        entente.compare(SMALL, entente.load(SMALL, set={"scenario.seed": 8}))


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"runs": "5"}, TypeError, "runs must be an integer, not str"),
        ({"runs": 2.0}, TypeError, "runs must be an integer, not float"),
        ({"runs": True}, TypeError, "runs must be an integer, not bool"),
        ({"runs": 0}, ValueError, "runs must be between 1 and 100000000, not 0"),
        ({"seed": -1}, ValueError, "seed must be between 0 and 9223372036854775807, not -1"),
        ({"threads": 0}, ValueError, "threads must be between 1 and 1024, not 0"),
        ({"drivers": "yes"}, TypeError, "drivers must be a bool, not str"),
        ({"progress": 3}, TypeError, "progress must be None, a bool or a callable"),
    ],
)
def test_bad_run_arguments(kwargs, error, message):
    scn = entente.load(SMALL)
    with pytest.raises(error, match=re.escape(message)):
        scn.run(**kwargs)


def test_bad_load_arguments():
    with pytest.raises(TypeError, match="path must be a path"):
        entente.load(3)
    with pytest.raises(TypeError, match="set must be a dict"):
        entente.load(SMALL, set="model.balance=0")
    with pytest.raises(TypeError, match="keys must be str paths"):
        entente.load(SMALL, set={1: 0})
    with pytest.raises(ValueError, match="set: empty path"):
        entente.load(SMALL, set={"": 0})
    with pytest.raises(TypeError, match="the value for 'model.balance' must be a number"):
        entente.load(SMALL, set={"model.balance": object()})
    with pytest.raises(TypeError, match="use entente.load"):
        entente.Scenario("x")


def test_bad_analyze_arguments():
    with pytest.raises(ValueError, match="method must be one of morris, sobol, regression"):
        entente.analyze("x", method="anova")
    with pytest.raises(ValueError, match="bootstrap must be between 0 and 1000000"):
        entente.analyze("x", bootstrap=-1)
    with pytest.raises(ValueError, match="analyze needs a sweep's results"):
        entente.analyze(pd.DataFrame({"a": [1]}))
    with pytest.raises(TypeError, match="results must be a directory path"):
        entente.analyze(42)
    with pytest.raises(ValueError, match="resume=True needs the output directory"):
        entente.sweep("tests/data/sweeps/small.toml", resume=True)


def test_overrides_of_every_python_type_read_as_toml():
    scn = entente.load(SMALL, set={
        "model.balance": 0.125, "scenario.runs": 3, "output.blocs": False,
        "issues.corridor.regime": "extraterritorial", "actors.ARM.position": {"orientation": -0.5},
    })
    assert scn.sets == ["model.balance=0.125", "scenario.runs=3", "output.blocs=false",
                        'issues.corridor.regime="extraterritorial"',
                        "actors.ARM.position={ orientation = -0.5 }"]
    ds = scn.run()
    assert ds.sizes["run"] == 3 and "bloc" not in ds
    assert float(ds.position.sel(run=0, step=0, actor="ARM", axis="orientation")) == -0.5
    assert (ds.regime.values == 2).all()


def test_load_time_warnings_are_python_warnings(cli):
    shown = cli("show", SMALL)
    with pytest.warns(entente.ScenarioWarning) as caught:
        scn = entente.load(SMALL)
    assert [str(w.message) + "\n" for w in caught] == [shown.stderr]
    assert scn.warnings == [shown.stderr.rstrip("\n")]
    assert "sum to 1.012 (> 1)" in scn.warnings[0]
