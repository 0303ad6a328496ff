"""The Dataset's schema: MODEL.md §6's trajectories.nc (dimensions run, step,
actor, to, axis, issue; string coordinates for the ids; date where the
scenario has a start; float64 values; attributes)."""

import numpy as np

import entente

SMALL = "tests/data/scenarios/small.toml"


def test_dimensions_coordinates_and_dtypes():
    scn = entente.load(SMALL)
    ds = scn.run(runs=4)
    assert dict(ds.sizes) == {"run": 4, "step": 13, "actor": 3, "to": 3, "axis": 1, "issue": 1}
    assert ds.position.dims == ("run", "step", "actor", "axis")
    assert ds.affinity.dims == ("run", "step", "actor", "to")
    assert ds.regime.dims == ("run", "step", "issue")
    assert ds.bloc.dims == ("run", "step", "actor")
    assert ds.position.dtype == np.float64 and ds.affinity.dtype == np.float64
    assert ds.regime.dtype == np.int32 and ds.bloc.dtype == np.int32
    assert ds.run.values.tolist() == [0, 1, 2, 3]
    assert ds.step.values.tolist() == list(range(13))
    assert ds.actor.values.tolist() == ds.to.values.tolist() == ["ARM", "RUS", "AZE"]
    assert ds.axis.values.tolist() == ["orientation"]
    assert ds.issue.values.tolist() == ["corridor"]
    assert ds.date.dims == ("step",)
    assert ds.date.values[:3].tolist() == ["2025-04", "2025-05", "2025-06"]
    assert ds.date.values[-1] == "2026-04"
    assert ds.bloc.attrs["flag_meanings"] == "A B"
    assert ds.regime.attrs["options_corridor"] == scn.options["corridor"]
    # step 0 is the initial state: the file's positions and affinities
    assert float(ds.position.sel(run=0, step=0, actor="ARM", axis="orientation")) == 0.1
    assert float(ds.affinity.sel(run=2, step=0, actor="ARM", to="AZE")) == -0.8
    assert np.isnan(ds.affinity.sel(actor="RUS", to="RUS")).all()


def test_attributes():
    ds = entente.load(SMALL, set={"model.balance": 0}).run(runs=2, seed=11)
    assert ds.attrs["engine"] == "entente"
    assert ds.attrs["version"] == entente.__version__
    assert ds.attrs["scenario"] == "Small"
    assert ds.attrs["seed"] == 11 and ds.attrs["runs"] == 2 and ds.attrs["steps"] == 12
    assert ds.attrs["start"] == "2025-04" and ds.attrs["step_unit"] == "month"
    assert ds.attrs["source"] == SMALL and ds.attrs["overrides"] == "model.balance=0"


def test_no_start_no_date_and_no_issues():
    ds = entente.load("tests/data/scenarios/minimal.toml").run()
    assert "date" not in ds.coords
    assert ds.sizes["issue"] == 0 and ds.regime.shape == (1, 4, 0)
    assert ds.sizes["axis"] == 0
    assert "start" not in ds.attrs


def test_scenario_properties():
    scn = entente.load(SMALL)
    assert scn.name == "Small" and scn.steps == 12 and scn.runs == 5 and scn.seed == 7
    assert scn.actors == ["ARM", "RUS", "AZE"] and scn.axes == ["orientation"]
    assert scn.options == {"corridor": ["closed", "armenian_control", "extraterritorial"]}
    assert scn.events == ["csto_exit", "rupture", "dormant"]
    assert scn.dates[0] == "2025-04" and len(scn.dates) == 13
    assert "Small" in repr(scn)
    # with_set loads again with further overrides after the first ones
    assert scn.with_set({"model.balance": 0}).sets == ["model.balance=0"]


def test_the_dataset_owns_its_memory_once():
    # The arrays xarray holds are the buffers the C++ side filled: no copy.
    ds = entente.load(SMALL).run(runs=3)
    assert ds.position.values.flags["C_CONTIGUOUS"] and ds.position.values.flags["OWNDATA"]
    assert ds.affinity.values.flags["OWNDATA"]


def test_writes_and_reads_back_as_netcdf(tmp_path):
    import pytest
    import xarray as xr

    pytest.importorskip("netCDF4")
    ds = entente.load(SMALL).run(runs=2, drivers=True)
    ds.to_netcdf(tmp_path / "trajectories.nc")
    with xr.open_dataset(tmp_path / "trajectories.nc") as back:
        assert back.identical(ds.load()) or back.equals(ds)
        assert back.regime.attrs["options_corridor"] == ["closed", "armenian_control", "extraterritorial"]
        assert back.attrs["scenario"] == "Small" and back.attrs["seed"] == 7
