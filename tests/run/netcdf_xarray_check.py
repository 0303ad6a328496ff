#!/usr/bin/env python3
"""trajectories.nc as xarray opens it (MODEL.md §6), against the CSV files.

Usage: netcdf_xarray_check.py ENTENTE SOURCE_DIR WORK_DIR

Runs tests/data/noisy.toml (with a start date, every = 5) twice, as CSV and as
NetCDF, opens trajectories.nc with xarray.open_dataset as it is and checks its
dimensions, coordinates, attributes and every value against the CSV files
(float() reads the shortest round-trip digits back exactly). Exits 77 (ctest:
skipped) with a message when xarray or its netCDF backend is not installed.
"""
import csv
import math
import os
import shutil
import subprocess
import sys

try:
    import xarray as xr
except ImportError:
    print("SKIPPED: python3-xarray is not installed (apt-get install python3-xarray)")
    sys.exit(77)


def main():
    entente, source, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    common = [entente, "run", "tests/data/noisy.toml", "-q", "--every", "5",
              "--set", 'scenario.step_unit="month"', "--set", 'scenario.start="2025-04"',
              "--set", 'output.relations=[["S","P"],["P","Q"],["U","S"]]']
    csv_dir, nc_dir = os.path.join(work, "csv"), os.path.join(work, "nc")
    subprocess.run(common + ["-o", csv_dir], cwd=source, check=True)
    subprocess.run(common + ["--format", "netcdf", "-o", nc_dir], cwd=source, check=True)
    try:
        ds = xr.open_dataset(os.path.join(nc_dir, "trajectories.nc"))
    except ValueError as e:  # no engine that reads NetCDF-4
        print(f"SKIPPED: xarray cannot open NetCDF-4 here ({e}); install python3-netcdf4")
        sys.exit(77)

    assert dict(ds.sizes) == {"run": 24, "step": 4, "actor": 4, "to": 4, "axis": 2,
                              "issue": 1}, dict(ds.sizes)
    assert list(ds["step"].values) == [0, 5, 10, 12]
    assert list(ds["date"].values) == ["2025-04", "2025-09", "2026-02", "2026-04"]
    assert "date" in ds.coords, "date is a coordinate"
    assert list(ds["actor"].values) == ["P", "Q", "S", "U"]
    assert list(ds["to"].values) == ["P", "Q", "S", "U"]
    assert list(ds["axis"].values) == ["x", "y"]
    assert list(ds["issue"].values) == ["route"]
    assert ds["position"].dims == ("run", "step", "actor", "axis")
    assert ds["affinity"].dims == ("run", "step", "actor", "to")
    assert ds["position"].dtype == "float64" and ds["affinity"].dtype == "float64"
    assert ds.attrs["scenario"] == "Noisy"
    assert "engine_version" in ds.attrs
    options = list(ds["regime"].attrs["options_route"])
    assert options == ["closed", "open"], options

    def rows(name):
        with open(os.path.join(csv_dir, name), newline="") as f:
            return list(csv.DictReader(f))

    n = 0
    for r in rows("actors.csv"):
        sel = dict(run=int(r["run"]), step=int(r["step"]), actor=r["actor"])
        for axis in ("x", "y"):
            got = float(ds["position"].sel(axis=axis, **sel))
            assert got == float(r[axis]), (r, axis, got)
            n += 1
        assert "AB"[int(ds["bloc"].sel(**sel))] == r["bloc"], r
    written = set()
    for r in rows("relations.csv"):
        key = (int(r["run"]), int(r["step"]), r["from"], r["to"])
        got = float(ds["affinity"].sel(run=key[0], step=key[1], actor=key[2], to=key[3]))
        assert got == float(r["affinity"]), (r, got)
        written.add(key)
        n += 1
    assert len(written) == 24 * 4 * 3
    nan = int(ds["affinity"].isnull().sum())
    assert nan == 24 * 4 * 16 - len(written), nan
    for r in rows("issues.csv"):
        got = int(ds["regime"].sel(run=int(r["run"]), step=int(r["step"]), issue=r["issue"]))
        assert options[got] == r["regime"], (r, got)
    assert not math.isnan(float(ds["position"].mean()))
    print(f"ok: {n} values equal to the CSV files")


if __name__ == "__main__":
    main()
