"""`cmake --install` puts a working package into the Python site directory
(here under a DESTDIR): importable without the build tree, same numbers."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_installed_package_imports_and_runs(tmp_path):
    cmake, build = os.environ.get("ENTENTE_CMAKE"), os.environ.get("ENTENTE_BUILD_DIR")
    if not cmake or not build:
        pytest.fail("ENTENTE_CMAKE and ENTENTE_BUILD_DIR must be set (ctest sets them)")
    env = dict(os.environ, DESTDIR=str(tmp_path))
    subprocess.run([cmake, "--install", build, "--component", "python"], env=env, check=True,
                   capture_output=True)
    found = [root for root, dirs, files in os.walk(tmp_path) if "__init__.py" in files
             and any(f.startswith("_entente.") and f.endswith(".so") for f in files)]
    assert len(found) == 1 and found[0].endswith(os.sep + "entente")
    site = os.path.dirname(found[0])
    code = (
        "import entente, sys; "
        "assert entente.__file__.startswith(sys.argv[1]), entente.__file__; "
        f"ds = entente.load({os.path.join(ROOT, 'tests/data/scenarios/small.toml')!r}).run(runs=2); "
        "print(float(ds.affinity.sum()))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = site
    installed = subprocess.run([sys.executable, "-W", "ignore", "-c", code, site], env=env,
                               cwd=tmp_path, capture_output=True, text=True, check=True)
    import entente  # the build tree's

    here = float(entente.load("tests/data/scenarios/small.toml").run(runs=2).affinity.sum())
    assert installed.stdout.strip() == repr(here)
