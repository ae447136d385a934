"""gemm on every engine against `sa35 gemm`'s golden output."""

import json

import numpy as np
import pytest

import sa35
from sa35 import _core


@pytest.fixture
def x(tmp_path):
    x = np.random.default_rng(2).standard_normal((5, 100)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    return x


def golden(cli, tmp_path, fmt="sa35", group=0):
    args = ["quantize", "w.npy", "-o", "wq.safetensors", "--format", fmt]
    cli(*(args + (["--group", group] if group else [])))
    cli("gemm", "wq.safetensors", "x.npy", "-o", "y.npy", "--acc", "acc.npy")
    return np.load(tmp_path / "y.npy"), np.load(tmp_path / "acc.npy")


@pytest.mark.parametrize("fmt,group", [("sa35", 0), ("int4", 0),
                                       ("int8", 0), ("sa35", 32)])
@pytest.mark.parametrize("engine", ["golden", "cpu", "sim"])
def test_equals_cli_golden(cli, tmp_path, weight, x, fmt, group, engine):
    y_ref, acc_ref = golden(cli, tmp_path, fmt, group)
    q = sa35.quantize(weight, fmt, group)
    kw = {"array": (16, 8)} if engine == "sim" else {}
    y, acc = sa35.gemm(q, x, engine=engine, acc=True, **kw)
    assert y.shape == (5, 37) and y.dtype == np.float32
    assert y.tobytes() == y_ref.tobytes()
    assert acc.dtype == acc_ref.dtype and acc.tobytes() == acc_ref.tobytes()
    # the output is the product (to the format's precision), not noise
    exact = x @ weight
    assert np.linalg.norm(y - exact) < 0.4 * np.linalg.norm(exact)


def test_timing_stats_equal_cli(cli, tmp_path, weight, x):
    golden(cli, tmp_path)
    cli("gemm", "wq.safetensors", "x.npy", "--engine", "timing", "--array",
        "16x8", "--stats", "t.json")
    cli("gemm", "wq.safetensors", "x.npy", "-o", "y2.npy", "--engine", "sim",
        "--array", "16x8", "--stats", "s.json")
    q = sa35.quantize(weight)
    y, st = sa35.gemm(q, x, engine="timing", array="16x8", stats=True)
    assert y is None
    assert st == json.loads((tmp_path / "t.json").read_text())
    assert st["cycles"] > 0
    _, sim = sa35.gemm(q, x, engine="sim", array=(16, 8), stats=True)
    assert sim == json.loads((tmp_path / "s.json").read_text())
    assert sim["cycles"] == st["cycles"]


def test_contiguous_float32_x_is_read_in_place(weight, x):
    assert _core._rows(x, "X") is x
    assert not np.shares_memory(_core._rows(x.astype(np.float64), "X"), x)
    q = sa35.quantize(weight)
    out = np.empty((5, 37), np.float32)
    y = sa35.gemm(q, x, out=out)
    assert y is out
    # a transposed x is copied, and gives the same product
    xt = np.ascontiguousarray(x.T).T
    assert not xt.flags.c_contiguous
    assert sa35.gemm(q, xt).tobytes() == y.tobytes()


def test_errors_name_the_problem(weight, x):
    q = sa35.quantize(weight)
    with pytest.raises(sa35.Error, match="X has K=99 columns but the "
                                         "weight has K=100 inputs"):
        sa35.gemm(q, x[:, :99])
    with pytest.raises(sa35.Error, match="unknown engine 'gpu'"):
        sa35.gemm(q, x, engine="gpu")
    with pytest.raises(sa35.Error, match="timing engine computes no values"):
        sa35.gemm(q, x, engine="timing")
    with pytest.raises(sa35.Error, match="golden engine takes no array"):
        sa35.gemm(q, x, array=(8, 8))
    bad = x.copy()
    bad[1, 2] = np.inf
    with pytest.raises(sa35.Error, match="^X: "):
        sa35.gemm(q, bad)
    with pytest.raises(sa35.Error, match="array"):
        sa35.gemm(q, x, engine="sim", array="0x8")
    with pytest.raises(sa35.Error, match="int3 weights: no PE kind"):
        sa35.gemm(sa35.quantize(weight, "int3"), x, engine="sim")
