#!/bin/sh
# python_install (CTest): the install command of docs/python.md,
# `cmake --install build --prefix ~/.local`, into a fresh HOME; then
# python3, run outside the checkout with no SA35_LIB and no PYTHONPATH,
# must import the installed package (from the user site-packages) and
# the installed libsa35.so, and compute with them.
#   install_test.sh BUILD_DIR PYTHON3 CMAKE
set -eu
build=$1 python=$2 cmake=$3
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
HOME=$home "$cmake" --install "$build" --prefix "$home/.local" >/dev/null
cd "$home"
env -u SA35_LIB -u PYTHONPATH -u PYTHONNOUSERSITE -u PYTHONHOME \
    HOME="$home" PYTHONDONTWRITEBYTECODE=1 "$python" -c '
import os, numpy as np, sa35
prefix = os.path.join(os.environ["HOME"], ".local") + os.sep
assert sa35.__file__.startswith(prefix), sa35.__file__
assert os.path.realpath(sa35.LIBRARY).startswith(prefix), sa35.LIBRARY
w = np.linspace(-1, 1, 64 * 8, dtype=np.float32).reshape(64, 8)
q = sa35.quantize(w)
y = sa35.gemm(q, np.ones((2, 64), np.float32))
assert np.allclose(y, np.ones((2, 64)) @ sa35.dequantize(q), rtol=0.05)
print("installed sa35 from", os.path.dirname(sa35.__file__), "and",
      sa35.LIBRARY)
'
