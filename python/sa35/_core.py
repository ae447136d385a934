"""The format and the GEMM: quantize, dequantize, load, save, gemm."""

import json
import os

import numpy as np

from ._ffi import ffi, lib


class Error(Exception):
    """A failure of the library, with its one-line message (the one the
    ``sa35`` command prints), or an argument the binding refuses."""


def _err():
    return ffi.new("sa35_err *")


def _check(rc, err):
    if rc < 0:
        raise Error(ffi.string(err.msg).decode("utf-8", "replace"))
    return rc


def _cstr(s):
    """A char * argument: NULL for None, else the UTF-8 bytes (kept alive
    by the caller's reference)."""
    if s is None:
        return ffi.NULL
    return os.fsencode(s) if isinstance(s, os.PathLike) else str(s).encode()


def _take_json(pp):
    """The malloc'd JSON text at *pp as a dict (and free it)."""
    if pp[0] == ffi.NULL:
        return None
    try:
        return json.loads(ffi.string(pp[0]).decode())
    finally:
        lib.sa35_api_free(pp[0])


def _int(v, what, lo, hi):
    """v as an int in lo..hi (the C argument's range), else an Error."""
    if (not isinstance(v, (int, np.integer)) or isinstance(v, bool) or
            not lo <= v <= hi):
        raise Error("%s must be an integer in %d..%d, got %r"
                    % (what, lo, hi, v))
    return int(v)


def _format_of(fmt):
    f = ffi.new("sa35_format *")
    if not isinstance(fmt, str) or lib.sa35_format_from_name(fmt.encode(),
                                                             f) < 0:
        raise Error("unknown format %r (formats: sa35, int4, int3, int8)"
                    % (fmt,))
    return f[0]


def _ptr(ctype, a):
    """A pointer to a's first element: the buffer itself (no copy) for a
    C-contiguous array, its address for a strided view."""
    if a.flags.c_contiguous:
        return ffi.from_buffer(ctype + "[]", a)
    return ffi.cast(ctype + " *", a.ctypes.data)


def _matrix(w, what):
    """w as a 2-D float32 array the library can read in place: w itself
    when it is float32 with aligned, element-sized strides (any order,
    transposed views included), else a C-order float32 copy."""
    a = np.asarray(w)
    if a.ndim != 2:
        raise Error("%s must be 2-D, got %d-D" % (what, a.ndim))
    if not (np.issubdtype(a.dtype, np.floating) or
            np.issubdtype(a.dtype, np.integer)):
        raise Error("%s must hold floats, got dtype %s" % (what, a.dtype))
    ok = (a.dtype == np.float32 and a.dtype.isnative and a.flags.aligned and
          all(s % 4 == 0 for s in a.strides))
    return a if ok else np.array(a, dtype=np.float32, order="C")


def _rows(x, what):
    """x as a C-contiguous float32 matrix: x itself when it is one."""
    a = np.asarray(x)
    if a.ndim != 2:
        raise Error("%s must be 2-D (M x K), got %d-D" % (what, a.ndim))
    if a.dtype == np.float32 and a.dtype.isnative and a.flags.c_contiguous:
        return a
    return np.ascontiguousarray(a, dtype=np.float32)


def _out(out, shape, dtype, what):
    """The caller's output array (written in place) or a new one."""
    if out is None:
        return np.empty(shape, dtype=dtype)
    if (not isinstance(out, np.ndarray) or out.shape != tuple(shape) or
            out.dtype != dtype or not out.flags.c_contiguous or
            not out.flags.writeable):
        raise Error("%s must be a writable C-contiguous %s array of shape "
                    "%s" % (what, np.dtype(dtype).name, tuple(shape)))
    return out


class QuantizedWeight:
    """A quantized K x N weight, stored per output column as the library
    holds it (sa35_qweights; docs/format.md): ``codes`` (uint8 [N,
    colbytes]: column n's code stream), ``scale`` and ``zero`` (float32
    [N, ngroups]: one per column, or per group of ``group`` k-values with
    binary16 values)."""

    def __init__(self, fmt, K, N, codes, scale, zero, group=0):
        self.fmt = fmt
        self.K, self.N = _int(K, "K", 1, 2 ** 62), _int(N, "N", 1, 2 ** 62)
        self.group = _int(group, "group", 0, 2 ** 62)
        f = _format_of(fmt)
        err = _err()
        kp, cb = ffi.new("int32_t *"), ffi.new("size_t *")
        _check(lib.sa35_qweights_shape(f, self.K, self.N, kp, cb, err), err)
        if self.group:
            _check(lib.sa35_group_check(f, self.group, err), err)
        self.Kp, self.colbytes = kp[0], cb[0]
        self.ngroups = -(-self.K // self.group) if self.group else 1
        self.codes = np.ascontiguousarray(codes, dtype=np.uint8)
        self.scale = np.ascontiguousarray(scale, dtype=np.float32)
        self.zero = np.ascontiguousarray(zero, dtype=np.float32)
        want = {"codes": (self.N, self.colbytes),
                "scale": (self.N, self.ngroups),
                "zero": (self.N, self.ngroups)}
        for name, shape in want.items():
            if getattr(self, name).shape != shape:
                raise Error("%s: %s must have shape %s for a %d x %d %s "
                            "weight%s, got %s" % (
                                fmt, name, shape, self.K, self.N, fmt,
                                " in groups of %d" % self.group
                                if self.group else "",
                                getattr(self, name).shape))

    def __repr__(self):
        return "QuantizedWeight(%s, K=%d, N=%d%s)" % (
            self.fmt, self.K, self.N,
            ", group=%d" % self.group if self.group else "")

    def _c(self):
        """An sa35_qweights over this object's arrays (no copy); the
        struct holds the buffers, which live as long as self."""
        q = ffi.new("sa35_qweights *")
        q.fmt = _format_of(self.fmt)
        q.K, q.N, q.Kp = self.K, self.N, self.Kp
        q.group, q.ngroups, q.colbytes = self.group, self.ngroups, \
            self.colbytes
        q.qweight = ffi.from_buffer("uint8_t[]", self.codes)
        q.scale = ffi.from_buffer("float[]", self.scale)
        q.zero = ffi.from_buffer("float[]", self.zero)
        return q


def _from_c(q):
    """A QuantizedWeight holding copies of q's arrays; q is freed."""
    try:
        n, g = q.N, q.ngroups
        codes = np.frombuffer(ffi.buffer(q.qweight, n * q.colbytes),
                              dtype=np.uint8).reshape(n, q.colbytes).copy()
        scale = np.frombuffer(ffi.buffer(q.scale, 4 * n * g),
                              dtype=np.float32).reshape(n, g).copy()
        zero = np.frombuffer(ffi.buffer(q.zero, 4 * n * g),
                             dtype=np.float32).reshape(n, g).copy()
        fmt = ffi.string(lib.sa35_format_info(q.fmt).name).decode()
        return QuantizedWeight(fmt, q.K, q.N, codes, scale, zero, q.group)
    finally:
        lib.sa35_qweights_free(q)


def quantize(w, fmt="sa35", group=0):
    """Quantize a K x N weight (K inputs, N outputs; a Hugging Face [out,
    in] weight is w.T) per output column, or in groups of ``group``
    k-values, exactly as ``sa35 quantize`` does. A float32 w is read in
    place whatever its strides; another dtype is converted first."""
    a = _matrix(w, "W")
    item = a.itemsize
    v = ffi.new("sa35_fview *")
    v.data = _ptr("float", a)
    v.K, v.N = a.shape
    v.stride_k, v.stride_n = a.strides[0] // item, a.strides[1] // item
    g = _int(group, "group", 0, 2 ** 62)
    q, err = ffi.new("sa35_qweights *"), _err()
    _check(lib.sa35_quantize_group(v, _format_of(fmt), g, q, err), err)
    return _from_c(q)


def dequantize(q, out=None):
    """The K x N float32 matrix q stands for (``sa35 dequant``); written
    into ``out`` when given (a C-contiguous float32 K x N array)."""
    y = _out(out, (q.K, q.N), np.float32, "out")
    lib.sa35_dequantize(q._c(), ffi.from_buffer("float[]", y))
    return y


def load(path, tensor=None):
    """Weight ``tensor`` (None: the only one) of a quantized weight file
    written by ``sa35 quantize`` or save()."""
    q, err = ffi.new("sa35_qweights *"), _err()
    _check(lib.sa35_api_qfile_load(_cstr(path), _cstr(tensor), q, err), err)
    return _from_c(q)


def save(q, path, tensor="weight"):
    """q as weight ``tensor`` of a new quantized weight file at path (the
    file ``sa35 quantize`` writes from a .npy, byte for byte)."""
    err = _err()
    _check(lib.sa35_api_qfile_save(_cstr(path), _cstr(tensor), q._c(), err),
           err)


def _array_arg(array):
    if array is None:
        return None
    if isinstance(array, str):
        return array
    r, c = array
    return "%dx%d" % (r, c)


def gemm(q, x, engine="golden", array=None, threads=0, acc=False,
         stats=False, out=None):
    """Y = X . W (``sa35 gemm``): X (M x K) to int8 per row, the
    accumulators on the engine ("golden", "cpu", "sim" or "timing"), then
    the scales, so Y (M x N float32) has the same bytes on every engine.
    ``array`` (R, C) or "RxC" for sim and timing, ``threads`` for cpu.
    A C-contiguous float32 x is read in place; Y is written into ``out``
    when given. Returns Y, or a tuple (Y, acc if acc, stats if stats):
    acc the M x N int32 accumulators (float32 for a group-scaled q), stats
    the engine's statistics as ``--stats`` writes them. The timing engine
    computes no values: it needs stats=True and gives Y None."""
    xa = _rows(x, "X")
    if xa.shape[1] != q.K:
        raise Error("X has K=%d columns but the weight has K=%d inputs"
                    % (xa.shape[1], q.K))
    m = xa.shape[0]
    if m < 1:
        raise Error("X has no rows")
    threads = _int(threads, "threads", 0, 4096)
    values = engine != "timing"
    y = _out(out, (m, q.N), np.float32, "out") if values else None
    if not values and (acc or out is not None or not stats):
        raise Error("the timing engine computes no values, only cycles and "
                    "counters: call it with stats=True and no acc or out "
                    "(the values are the golden model's: engine='golden')")
    accs = np.empty((m, q.N), dtype=np.int32) if acc else None
    st = ffi.new("char **") if stats else ffi.NULL
    err = _err()
    _check(lib.sa35_api_gemm(
        ffi.from_buffer("float[]", xa), m, q._c(), _cstr(engine),
        _cstr(_array_arg(array)), threads,
        ffi.from_buffer("float[]", y) if values else ffi.NULL,
        ffi.from_buffer("int32_t[]", accs) if acc else ffi.NULL,
        st, err), err)
    res = [y]
    if acc:
        res.append(accs.view(np.float32) if q.group else accs)
    if stats:
        res.append(_take_json(st))
    return res[0] if len(res) == 1 else tuple(res)
