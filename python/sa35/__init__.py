"""sa35: the 3.5-bit weight format, its golden GEMM, the accelerator's
simulator and timing model, whole-model runs, projections and sweeps, from
Python: a thin binding of libsa35.so (cffi, ABI mode; docs/python.md).

Arrays go in and out as NumPy arrays, read and written in place where the
layout allows; model, project and sweep results come back as dicts and
pandas DataFrames; every failure is an sa35.Error with the library's
message."""

from ._core import (Error, QuantizedWeight, dequantize, gemm, load,
                    quantize, save)
from ._ffi import LIBRARY
from ._runs import model, project, sim, sim_data, sweep

__all__ = ["Error", "QuantizedWeight", "quantize", "dequantize", "load",
           "save", "gemm", "sim", "sim_data", "model", "project", "sweep",
           "LIBRARY"]
