"""Threads, the GIL, progress and Ctrl-C."""

import os
import signal
import tempfile
import threading

import numpy as np
import pytest

import entente

SMALL = "tests/data/scenarios/small.toml"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def long_scenario():
    # 2000 steps of the baseline: about 15 ms a run on one thread.
    return entente.load("scenarios/baseline.toml", set={"scenario.steps": 2000})


@pytest.mark.parametrize("path", [SMALL, "scenarios/baseline.toml"])
def test_any_thread_count_gives_the_same_bits(path):
    scn = entente.load(path)
    one = scn.run(runs=13, threads=1, drivers=True)
    two = scn.run(runs=13, threads=2, drivers=True)
    for name in one.data_vars:
        assert one[name].dtype == two[name].dtype
        assert np.array_equal(one[name].values, two[name].values, equal_nan=True), name
    assert scn.summary(runs=13, threads=1).equals(scn.summary(runs=13, threads=2))


def test_progress_reports_every_run_up_to_the_total():
    calls = []
    entente.load(SMALL).run(runs=40, threads=2, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (40, 40)
    assert all(t == 40 for _, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_an_exception_in_the_progress_callback_stops_the_run():
    def fail(done, total):
        raise ZeroDivisionError("from the callback")

    with pytest.raises(ZeroDivisionError, match="from the callback"):
        long_scenario().run(runs=50, threads=2, progress=fail)


def test_the_gil_is_released_during_a_run():
    scn = long_scenario()
    started = threading.Event()
    out = {}

    def work():
        out["summary"] = scn.summary(runs=100, threads=1, progress=lambda d, t: started.set())

    worker = threading.Thread(target=work)
    worker.start()
    assert started.wait(120)
    # Pure-Python work needs the GIL: it gets done while the run goes on.
    n = 0
    while n < 100_000:
        n += 1
    still_running = worker.is_alive()
    worker.join()
    assert still_running
    assert len(out["summary"]) > 0


def interrupt_after_first_progress():
    """A progress callback that has a thread send SIGINT to this process once
    the run is under way; records what it saw."""
    seen = []

    def progress(done, total):
        if not seen:
            threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT)).start()
        seen.append((done, total))

    return progress, seen


def test_ctrl_c_stops_a_run_with_keyboard_interrupt():
    progress, seen = interrupt_after_first_progress()
    with pytest.raises(KeyboardInterrupt):
        long_scenario().run(runs=400, threads=2, progress=progress)
    assert seen and seen[-1][0] < 400  # stopped early


def test_ctrl_c_stops_compare():
    progress, seen = interrupt_after_first_progress()
    scn = long_scenario()
    with pytest.raises(KeyboardInterrupt):
        entente.compare(scn, scn.with_set({"model.balance": 0}), runs=300, threads=2,
                        progress=progress)
    assert seen[-1][0] < 600


def test_ctrl_c_stops_a_sweep_and_leaves_nothing(tmp_path, monkeypatch):
    scenario = tmp_path / "long.toml"
    scenario.write_text(
        f'[scenario]\nextends = "{ROOT}/scenarios/baseline.toml"\nsteps = 2000\n')
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(
        '[sweep]\nscenario = "long.toml"\nruns = 10\nseed = 1\n'
        '[design]\nkind = "lhs"\npoints = 40\n'
        '[[parameters]]\npath = "model.balance"\nrange = [0.0, 0.1]\n'
        '[[outputs]]\nname = "arm_rus"\nobservable = "affinity(ARM,RUS)"\n')
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    progress, seen = interrupt_after_first_progress()
    with pytest.raises(KeyboardInterrupt):
        entente.sweep(sweep, threads=2, progress=progress)
    assert seen[-1][0] < 400
    assert list(scratch.iterdir()) == []  # the temporary output is gone
