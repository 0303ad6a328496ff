"""The module's numbers are the CLI's, bit for bit: every value of every CSV
`entente run`, `compare`, `sweep` and `analyze` write, read back as the same
double, equals the value in the Dataset or DataFrame."""

import numpy as np
import pandas as pd
import pytest

import entente

SMALL = "tests/data/scenarios/small.toml"  # blocs, events (some conditional), an issue


def read(path):
    # round_trip: the CSV's shortest digits parse back to the exact double.
    return pd.read_csv(path, float_precision="round_trip", keep_default_na=False)


@pytest.fixture(scope="module")
def small_run(cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    cli("run", SMALL, "--runs", "7", "--seed", "3", "--drivers", "-q", "-o", str(out))
    ds = entente.load(SMALL).run(runs=7, seed=3, drivers=True, threads=2)
    return out, ds


def test_positions_and_blocs_equal_actors_csv(small_run):
    out, ds = small_run
    actors = read(out / "actors.csv")
    assert len(actors) == 7 * 13 * 3
    got = ds.position.sel(axis="orientation").values[
        actors.run, actors.step, [ds.actor.values.tolist().index(a) for a in actors.actor]
    ]
    assert np.array_equal(got, actors.orientation.to_numpy())
    bloc = ds.bloc.values[actors.run, actors.step, [ds.actor.values.tolist().index(a) for a in actors.actor]]
    assert list(np.where(bloc == 0, "A", "B")) == actors.bloc.tolist()
    # the dates of the rows are the step's date coordinate
    assert (ds.date.values[actors.step] == actors.date.to_numpy()).all()


def test_affinities_equal_relations_csv(small_run):
    out, ds = small_run
    rel = read(out / "relations.csv")
    ids = ds.actor.values.tolist()
    i = [ids.index(a) for a in rel["from"]]
    j = [ids.index(a) for a in rel["to"]]
    assert len(rel) == 7 * 13 * 3 * 2
    assert np.array_equal(ds.affinity.values[rel.run, rel.step, i, j], rel.affinity.to_numpy())
    # every off-diagonal cell is in the CSV, the diagonal is NaN
    diag = ds.affinity.values[:, :, [0, 1, 2], [0, 1, 2]]
    assert np.isnan(diag).all()
    assert np.isfinite(ds.affinity.values).sum() == len(rel)


def test_regimes_equal_issues_csv(small_run):
    out, ds = small_run
    issues = read(out / "issues.csv")
    options = ds.regime.attrs["options_corridor"]
    assert options == ["closed", "armenian_control", "extraterritorial"]
    got = [options[k] for k in ds.regime.sel(issue="corridor").values[issues.run, issues.step]]
    assert got == issues.regime.tolist()


def test_drivers_equal_drivers_csv(small_run):
    out, ds = small_run
    ids = ds.actor.values.tolist()
    d = read(out / "drivers.csv")
    labels = ds.affinity_driver.values.tolist()
    assert labels[:3] == ["event:csto_exit", "event:rupture", "event:dormant"]
    cells = ds.affinity_drivers.values[
        d.run, d.step, [ids.index(a) for a in d["from"]], [ids.index(a) for a in d["to"]],
        [labels.index(x) for x in d.driver],
    ]
    assert np.array_equal(cells, d.contribution.to_numpy())
    # every cell the CSV leaves out (it omits zeros) is 0, or NaN on the diagonal
    finite = np.isfinite(ds.affinity_drivers.values)
    assert np.count_nonzero(ds.affinity_drivers.values[finite]) == len(d)
    assert (ds.affinity_drivers.values[:, 0] == 0).sum() == finite[:, 0].sum()  # step 0: none

    p = read(out / "position_drivers.csv")
    plabels = ds.position_driver.values.tolist()
    cells = ds.position_drivers.values[
        p.run, p.step, [ids.index(a) for a in p.actor], [ds.axis.values.tolist().index(a) for a in p.axis],
        [plabels.index(x) for x in p.driver],
    ]
    assert np.array_equal(cells, p.contribution.to_numpy())
    finite = np.isfinite(ds.position_drivers.values)
    assert np.count_nonzero(ds.position_drivers.values[finite]) == len(p)
    # an actor is not its own source of influence
    assert np.isnan(ds.position_drivers.sel(actor="ARM", position_driver="influence:ARM")).all()


def test_summary_and_shares_equal_the_csvs(cli, tmp_path):
    cli("run", SMALL, "--runs", "9", "--seed", "5", "-q", "-o", str(tmp_path))
    scn = entente.load(SMALL)
    expected = read(tmp_path / "summary.csv")
    got = scn.summary(runs=9, seed=5)
    assert list(got.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_dtype=False)
    expected = read(tmp_path / "shares.csv")
    got = scn.shares(runs=9, seed=5)
    assert list(got.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_dtype=False)


def test_overrides_equal_the_clis_set(cli, tmp_path):
    sets = {"model.balance": 0, "issues.corridor.regime": "armenian_control", "scenario.steps": 4}
    cli("run", SMALL, "--set", "model.balance=0", "--set", "issues.corridor.regime=armenian_control",
        "--set", "scenario.steps=4", "-q", "-o", str(tmp_path))
    ds = entente.load(SMALL, set=sets).run()
    rel = read(tmp_path / "relations.csv")
    ids = ds.actor.values.tolist()
    assert ds.sizes["step"] == 5 and ds.sizes["run"] == 5
    got = ds.affinity.values[rel.run, rel.step, [ids.index(a) for a in rel["from"]],
                             [ids.index(a) for a in rel["to"]]]
    assert np.array_equal(got, rel.affinity.to_numpy())
    assert (ds.regime.values == 1).all()  # armenian_control, option 1
    assert ds.attrs["overrides"].splitlines() == [
        "model.balance=0", "issues.corridor.regime=\"armenian_control\"", "scenario.steps=4"]


def test_to_toml_is_what_show_prints(cli):
    shown = cli("show", SMALL, "--set", "model.balance=0.25").stdout
    assert entente.load(SMALL, set={"model.balance": 0.25}).to_toml() == shown
    assert entente.load(SMALL, set=["model.balance=0.25"]).to_toml() == shown


def test_baseline_run_equals_cli(cli, tmp_path):
    cli("run", "scenarios/baseline.toml", "--runs", "3", "-q", "-o", str(tmp_path))
    ds = entente.load("scenarios/baseline.toml").run(runs=3)
    actors = read(tmp_path / "actors.csv")
    ids = ds.actor.values.tolist()
    i = [ids.index(a) for a in actors.actor]
    for axis in ds.axis.values:
        assert np.array_equal(ds.position.sel(axis=axis).values[actors.run, actors.step, i],
                              actors[axis].to_numpy())


def test_compare_equals_compare_csv(cli, tmp_path):
    a, b = "scenarios/csto/freeze.toml", "scenarios/csto/exit.toml"
    cli("compare", a, b, "--runs", "6", "--seed", "9", "-o", str(tmp_path))
    got = entente.compare(a, entente.load(b), runs=6, seed=9)
    expected = read(tmp_path / "compare.csv")
    assert list(got.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_dtype=False)
    got = entente.compare(a, b, runs=6, seed=9, shares=True)
    expected = read(tmp_path / "compare_shares.csv")
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_dtype=False)


def test_compare_reads_run_directories(cli, tmp_path):
    cli("run", SMALL, "--runs", "4", "-q", "-o", str(tmp_path / "a"))
    cli("run", SMALL, "--runs", "4", "--set", "model.balance=0", "-q", "-o", str(tmp_path / "b"))
    from_dirs = entente.compare(tmp_path / "a", str(tmp_path / "b"))
    from_files = entente.compare(SMALL, entente.load(SMALL, set={"model.balance": 0}), runs=4)
    keys = ["step", "observable", "scenario"]
    common = from_files[from_files.observable.isin(set(from_dirs.observable))]
    assert len(common) == len(from_dirs) > 0
    pd.testing.assert_frame_equal(from_dirs.sort_values(keys).reset_index(drop=True),
                                  common.sort_values(keys).reset_index(drop=True), check_exact=True)


@pytest.fixture(scope="module")
def small_sweep(cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "s"
    cli("sweep", "tests/data/sweeps/small.toml", "-q", "-o", str(out))
    return out


def test_sweep_equals_results_csv(small_sweep, tmp_path):
    df = entente.sweep("tests/data/sweeps/small.toml", threads=2)
    expected = pd.read_csv(small_sweep / "results.csv", float_precision="round_trip")
    pd.testing.assert_frame_equal(df, expected, check_exact=True)
    design = pd.read_csv(small_sweep / "design.csv", float_precision="round_trip")
    pd.testing.assert_frame_equal(df.attrs["design"], design, check_exact=True)
    assert df.attrs["manifest"]["design"] == "lhs"
    # with an output directory the files stay, byte-identical to the CLI's
    kept = entente.sweep("tests/data/sweeps/small.toml", output=tmp_path / "kept")
    for name in ("design.csv", "results.csv"):
        assert (tmp_path / "kept" / name).read_bytes() == (small_sweep / name).read_bytes()
    assert kept.attrs["directory"] == str(tmp_path / "kept")


def test_analyze_equals_sensitivity_csv(cli, small_sweep):
    cli("analyze", str(small_sweep), "--method", "regression", "--bootstrap", "40", "--seed", "2")
    expected = pd.read_csv(small_sweep / "sensitivity_regression.csv", float_precision="round_trip")
    got = entente.analyze(small_sweep, method="regression", bootstrap=40, seed=2)
    assert got.attrs["method"] == "regression"
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_dtype=False)
    df = entente.sweep("tests/data/sweeps/small.toml")
    again = entente.analyze(df, method="regression", bootstrap=40, seed=2)
    pd.testing.assert_frame_equal(again, expected, check_exact=True, check_dtype=False)
    # without a method: the design's default (lhs: regression)
    assert entente.analyze(df, bootstrap=0).attrs["method"] == "regression"
