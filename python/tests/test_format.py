"""quantize, dequantize, load and save against the sa35 program."""

import numpy as np
import pytest

import sa35
from sa35 import _core

FORMATS = [("sa35", 0), ("int4", 0), ("int3", 0), ("int8", 0),
           ("sa35", 32), ("int4", 64)]


def cli_quantize(cli, tmp_path, fmt, group):
    args = ["quantize", "w.npy", "-o", "wq.safetensors", "--format", fmt]
    cli(*(args + (["--group", group] if group else [])))
    return tmp_path / "wq.safetensors"


@pytest.mark.parametrize("fmt,group", FORMATS)
def test_round_trip_equals_cli_dequant(cli, tmp_path, weight, fmt, group):
    cli_quantize(cli, tmp_path, fmt, group)
    cli("dequant", "wq.safetensors", "-o", "d.npy")
    q = sa35.quantize(weight, fmt, group)
    d = sa35.dequantize(q)
    ref = np.load(tmp_path / "d.npy")
    assert d.dtype == np.float32 and d.shape == weight.shape
    assert d.tobytes() == ref.tobytes()
    # a lossy format: the round trip is close to W, not equal
    assert 0 < np.abs(d - weight).max() < 0.5 * np.abs(weight).max()


@pytest.mark.parametrize("fmt,group", FORMATS)
def test_codes_equal_cli_file(cli, tmp_path, weight, fmt, group):
    path = cli_quantize(cli, tmp_path, fmt, group)
    q = sa35.quantize(weight, fmt, group)
    f = sa35.load(path)
    assert (f.fmt, f.K, f.N, f.group) == (fmt, 100, 37, group)
    assert np.array_equal(f.codes, q.codes)
    assert f.scale.tobytes() == q.scale.tobytes()
    assert f.zero.tobytes() == q.zero.tobytes()
    # save() writes the file sa35 quantize wrote, byte for byte
    sa35.save(q, tmp_path / "py.safetensors")
    assert (tmp_path / "py.safetensors").read_bytes() == path.read_bytes()


def test_shapes_of_the_stored_weight(weight):
    q = sa35.quantize(weight, "sa35")
    # 100 k-values padded to 112, 7 bits a pair: 49 bytes a column
    assert (q.Kp, q.colbytes) == (112, 49)
    assert q.codes.shape == (37, 49) and q.scale.shape == (37, 1)
    g = sa35.quantize(weight, "int4", 32)
    assert g.ngroups == 4 and g.scale.shape == (37, 4)


def test_strided_views_quantize_like_their_copies(weight):
    q = sa35.quantize(weight)
    hf = np.ascontiguousarray(weight.T)  # [out, in], as Hugging Face
    for view in (hf.T, weight[::-1][::-1], weight.astype(np.float64),
                 np.asfortranarray(weight)):
        v = sa35.quantize(view)
        assert np.array_equal(v.codes, q.codes)
        assert v.scale.tobytes() == q.scale.tobytes()
    # a different matrix gives different codes (the view is really read)
    r = sa35.quantize(weight[::-1])
    assert not np.array_equal(r.codes, q.codes)


def test_float32_inputs_are_not_copied(weight):
    for a in (weight, weight.T, weight[:, ::2]):
        used = _core._matrix(a, "W")
        assert used is a
        ptr = _core._ptr("float", used)
        assert int(_core.ffi.cast("uintptr_t", ptr)) == a.ctypes.data
    # another dtype must be converted: a copy
    d = weight.astype(np.float64)
    assert not np.shares_memory(_core._matrix(d, "W"), d)


def test_dequantize_into_out(weight):
    q = sa35.quantize(weight)
    out = np.zeros_like(weight)
    got = sa35.dequantize(q, out=out)
    assert got is out
    assert out.tobytes() == sa35.dequantize(q).tobytes()
    with pytest.raises(sa35.Error, match="out must be a writable"):
        sa35.dequantize(q, out=np.zeros((37, 100), np.float32))


def test_nan_weight_names_the_element(weight):
    w = weight.copy()
    w[3, 5] = np.nan
    with pytest.raises(sa35.Error, match=r"NaN weight at W\[k=3\]\[n=5\]"):
        sa35.quantize(w)


@pytest.mark.parametrize("args,message", [
    ((np.zeros((4, 4), np.float32), "int5"), "unknown format 'int5'"),
    ((np.zeros((4, 4), np.float32), "sa35", 20), "multiple of 16"),
    ((np.zeros(4, np.float32),), "W must be 2-D"),
    ((np.array([["a"]]),), "must hold floats"),
])
def test_bad_arguments(args, message):
    with pytest.raises(sa35.Error, match=message):
        sa35.quantize(*args)


def test_inconsistent_weight_is_refused(weight):
    q = sa35.quantize(weight)
    with pytest.raises(sa35.Error, match="codes must have shape"):
        sa35.QuantizedWeight("sa35", 100, 37, q.codes[:, :10], q.scale,
                             q.zero)


def test_bad_files_raise_the_library_message(tmp_path):
    with pytest.raises(sa35.Error, match="nothing.safetensors"):
        sa35.load(tmp_path / "nothing.safetensors")
    (tmp_path / "junk.safetensors").write_bytes(b"\x10\x00\x00\x00garbage")
    with pytest.raises(sa35.Error, match="junk.safetensors"):
        sa35.load(tmp_path / "junk.safetensors")
    assert issubclass(sa35.Error, Exception)
