"""Shared fixtures of the Python module's tests (run by ctest from the source
tree with PYTHONPATH=<build>/python and ENTENTE_CLI=<build>/entente)."""

import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("ENTENTE_CLI")
    if not path or not os.path.exists(path):
        pytest.fail("ENTENTE_CLI must name the entente executable (ctest sets it)")

    def run(*args, check=True):
        return subprocess.run(
            [path, *args], cwd=ROOT, capture_output=True, text=True, check=check
        )

    return run


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def pytest_configure(config):
    # small.toml's load-time warning is expected; test_errors.py checks it.
    config.addinivalue_line("filterwarnings", "ignore::entente.ScenarioWarning")
