"""The accelerator and whole-model runs: sim, model, project, sweep."""

import json
import os
import tempfile

import numpy as np
import pandas as pd

from ._core import (Error, _array_arg, _check, _cstr, _err, _int,
                    _take_json, quantize)
from ._ffi import ffi, lib

_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _splitmix64(seed, count):
    """The first count outputs of splitmix64 from seed (``sa35 sim``'s
    --seed): state i is seed + (i + 1) 0x9E3779B97F4A7C15 mod 2^64."""
    z = np.arange(1, count + 1, dtype=np.uint64)
    z *= np.uint64(0x9E3779B97F4A7C15)
    z += np.uint64(seed & 0xFFFFFFFFFFFFFFFF)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return (z ^ (z >> np.uint64(31))) & _M64


def sim_data(M, K, N, pe="sa35", group=0, seed=1):
    """The data ``sa35 sim --engine sim --seed S`` runs: M x K int8
    activations, then a K x N weight of uniform floats in [-1, 1) quantized
    to the PE kind's format (in groups of ``group``), from one splitmix64
    stream."""
    err = _err()
    fmt = _check(lib.sa35_api_pe_format(_cstr(pe), err), err)
    z = _splitmix64(seed, M * K + K * N)
    a = (z[:M * K] & np.uint64(0xFF)).astype(np.uint8).view(np.int8)
    w = ((z[M * K:] >> np.uint64(11)).astype(np.float64) * 2.0 ** -52
         - 1.0).astype(np.float32)
    name = ffi.string(lib.sa35_format_info(fmt).name).decode()
    return a.reshape(M, K), quantize(w.reshape(K, N), name, group)


def _positive(v, what):
    return _int(v, what, 1, 2 ** 63 - 1)


def sim(M, K, N, array=None, pe="sa35", group=0, engine="timing",
        load_rows=1, dram_bw=None, dram_latency=0, seed=1):
    """One GEMM shape on the accelerator model (``sa35 sim --gemm
    M,K,N``): engine "timing" (the timing model) or "sim" (the
    cycle-accurate simulator on sim_data(seed), its accumulators checked
    against the golden model). ``array`` (R, C) or "RxC" (default
    320x320), ``dram_bw`` bytes a cycle as NUM or (NUM, DEN) (None: the
    ideal memory). Returns the counters as ``--stats`` writes them."""
    M, K, N = (_positive(v, n) for v, n in ((M, "M"), (K, "K"), (N, "N")))
    num, den = (0, 1) if dram_bw is None else (
        (dram_bw, 1) if np.isscalar(dram_bw) else tuple(dram_bw))
    if dram_bw is not None:
        num = _int(num, "dram_bw's NUM", 1, 2 ** 32 - 1)
        den = _int(den, "dram_bw's DEN", 1, 2 ** 32 - 1)
    keep = [_field(_array_arg(array)), _field(pe)]
    arr = ffi.new("sa35_api_array *", {
        "array": keep[0], "pe": keep[1],
        "load_rows": _int(load_rows, "load_rows", 1, 2 ** 31 - 1),
        "dram_bw_num": num, "dram_bw_den": den,
        "dram_latency": _int(dram_latency, "dram_latency", 0, 2 ** 31 - 1)})
    group = _int(group, "group", 0, 2 ** 63 - 1)
    seed = _int(seed, "seed", 0, 2 ** 64 - 1)
    a = q = acc = None
    if engine == "sim":
        a, q = sim_data(M, K, N, pe, group, seed)
        acc = np.empty((M, N), dtype=np.int32)
    st, err = ffi.new("char **"), _err()
    c = q._c() if q is not None else ffi.NULL
    _check(lib.sa35_api_sim(
        M, K, N, group, arr, _cstr(engine),
        ffi.from_buffer("int8_t[]", a) if a is not None else ffi.NULL, c,
        ffi.from_buffer("int32_t[]", acc) if acc is not None else ffi.NULL,
        st, err), err)
    stats = _take_json(st)
    if engine == "sim":
        gold = np.empty((M, N), dtype=np.int32)
        lib.sa35_gemm_acc(ffi.from_buffer("int8_t[]", a), M, c,
                          ffi.from_buffer("int32_t[]", gold), ffi.NULL)
        if not np.array_equal(acc, gold):
            raise Error("the sim engine's accumulators differ from the "
                        "golden model (a bug)")
    return stats


def _field(s):
    """A char * for a struct field: a char[] the caller keeps, or NULL."""
    return ffi.NULL if s is None else ffi.new("char[]", _cstr(s))


def _work(phase, batch, seq, microbatches):
    keep = _field(phase)
    w = ffi.new("sa35_api_work *", {
        "phase": keep, "batch": _positive(batch, "batch"),
        "seq": _positive(seq, "seq"),
        "microbatches": _positive(microbatches, "microbatches")})
    return w, keep


def _in_dir(out, run):
    """run(dir) into out, or into a temporary directory removed after;
    returns what read(dir) gives."""
    if out is not None:
        return run(os.fspath(out))
    with tempfile.TemporaryDirectory(prefix="sa35-") as tmp:
        return run(os.path.join(tmp, "out"))


def model(name, system, phase="decode", batch=1, seq=2048, microbatches=1,
          group=0, engine="timing", out=None):
    """A whole model on a system (``sa35 model NAME --system SYSTEM``):
    names of the shipped models/ and systems/, or paths. Returns (totals,
    layers): the dict of totals.json and the per-op DataFrame of
    layers.csv; with ``out`` the files stay in that directory."""
    w, keep = _work(phase, batch, seq, microbatches)
    g = _int(group, "group", 0, 2 ** 63 - 1)

    def run(d):
        err = _err()
        _check(lib.sa35_api_model(_cstr(name), _cstr(system), w, g,
                                  _cstr(engine), _cstr(d), err), err)
        with open(os.path.join(d, "totals.json")) as f:
            totals = json.load(f)
        return totals, pd.read_csv(os.path.join(d, "layers.csv"))
    res = _in_dir(out, run)
    del keep  # w points into it until here
    return res


def project(name, system, formats=None, phase="decode", batch=1, seq=2048,
            dist="gauss", node=0, vdd=0.0, activity="measured",
            throttle=True, tables=None, out=None):
    """A model on a system, costed per weight format (``sa35 project``):
    ``formats`` a list or comma-separated names (None: the defaults),
    ``activity`` "measured" or a rate in [0, 1]. Returns (report, table):
    the dict of project.json and the per-format DataFrame of project.csv;
    with ``out`` the reports and plots stay there."""
    w, keep = _work(phase, batch, seq, 1)
    if formats is not None and not isinstance(formats, str):
        formats = ",".join(formats)
    if activity == "measured":
        rate = -1.0
    elif isinstance(activity, (int, float)) and 0 <= activity <= 1:
        rate = float(activity)
    else:
        raise Error("activity must be 'measured' or a rate in [0, 1], got "
                    "%r" % (activity,))
    strs = [_field(formats), _field(dist), _field(tables)]
    o = ffi.new("sa35_api_project_opts *", {
        "formats": strs[0], "dist": strs[1],
        "node_nm": _int(node, "node", 0, 1000), "vdd": float(vdd),
        "activity": rate, "no_throttle": not throttle, "tables": strs[2]})

    def run(d):
        err = _err()
        _check(lib.sa35_api_project(_cstr(name), _cstr(system), w, o,
                                    _cstr(d), err), err)
        with open(os.path.join(d, "project.json")) as f:
            report = json.load(f)
        return report, pd.read_csv(os.path.join(d, "project.csv"))
    res = _in_dir(out, run)
    del keep, strs
    return res


def sweep(spec, out=None, jobs=0):
    """A design-space sweep (``sa35 sweep SPEC -o DIR -j JOBS``): spec a
    path or a dict of the spec's JSON (docs/sweep.md), jobs worker
    processes (0: every core). Returns the merged sweep.csv as a
    DataFrame; with ``out`` the sweep's directory stays (and a rerun skips
    the points it holds)."""
    if isinstance(spec, dict):
        text, path = json.dumps(spec).encode(), b"spec"
    else:
        text, path = ffi.NULL, _cstr(spec)
    n = _int(jobs, "jobs", 0, 4096)

    def run(d):
        err = _err()
        _check(lib.sa35_api_sweep(text, path, _cstr(d), n, err), err)
        return pd.read_csv(os.path.join(d, "sweep.csv"))
    return _in_dir(out, run)
