#!/usr/bin/env bash
# screenshot.sh BUILD OUT.png: a 4x4 RTL run with --trace, opened in GTKWave
# with sa35.gtkw under Xvfb, and a picture of the window (docs/rtl.md).
# Needs the sa35 program built with the 4x4 model, gtkwave, xvfb, x11-apps
# (xwd) and netpbm.
set -euo pipefail
build=${1:?usage: screenshot.sh BUILD OUT.png}
png=${2:?usage: screenshot.sh BUILD OUT.png}
here=$(cd "$(dirname "$0")" && pwd)
sa35=$build/cli/sa35
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

"$sa35" randn --shape 24,6 --seed 1 -o "$tmp/w.npy"
"$sa35" randn --shape 3,24 --seed 2 -o "$tmp/x.npy"
"$sa35" quantize "$tmp/w.npy" -o "$tmp/w.safetensors"
"$sa35" gemm "$tmp/w.safetensors" "$tmp/x.npy" -o "$tmp/y.npy" \
    --engine rtl --array 4x4 --trace "$tmp/sa35.fst"

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
sleep 2
DISPLAY=$display gtkwave "$tmp/sa35.fst" "$here/sa35.gtkw" >/dev/null 2>&1 &
pids+=($!)
sleep 6
xwd -root -display "$display" | xwdtopnm 2>/dev/null | pnmtopng >"$png"
echo "screenshot.sh: wrote $png"
