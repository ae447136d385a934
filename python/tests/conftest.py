"""Fixtures: the sa35 program the results are compared with ($SA35_BIN,
set by CTest; else the build tree's), a scratch directory per test, and
the package from this checkout."""

import os
import subprocess
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "python"))


@pytest.fixture
def cli(tmp_path):
    """run(*args): the sa35 program in tmp_path; returns the finished
    process (check=True unless fail=True)."""
    exe = os.path.abspath(os.environ.get("SA35_BIN") or
                          os.path.join(REPO, "build", "cli", "sa35"))
    assert os.access(exe, os.X_OK), "no sa35 program at %s" % exe

    def run(*args, fail=False):
        p = subprocess.run([exe] + [str(a) for a in args], cwd=tmp_path,
                           capture_output=True, text=True)
        if not fail:
            assert p.returncode == 0, p.stderr
        return p
    return run


@pytest.fixture
def weight(tmp_path):
    """A K x N float32 weight (K = 100: the SA35 stream's padding to 16
    is exercised) saved as w.npy in tmp_path."""
    w = (np.random.default_rng(1).standard_normal((100, 37)) *
         0.02).astype(np.float32)
    np.save(tmp_path / "w.npy", w)
    return w
