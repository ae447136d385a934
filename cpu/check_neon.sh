#!/bin/sh
# Build the golden model, the CPU kernels and tests/test_cpu.c for AArch64
# and run the test under QEMU user mode: checks the NEON kernel against the
# golden model on an x86 machine. Needs (Debian): gcc-aarch64-linux-gnu
# libc6-dev-arm64-cross qemu-user. Usage: cpu/check_neon.sh [OUT_DIR]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/sa35-neon}
mkdir -p "$out"
aarch64-linux-gnu-gcc -std=c11 -O2 -Wall -Wextra -Werror -ffp-contract=off \
  -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -DSA35_CPU_BUILD_NEON \
  -I"$root/cmodel" -I"$root/cpu" -I"$root/tests" \
  "$root"/cmodel/*.c "$root/cpu/cpu_scalar.c" "$root/cpu/cpu_detect.c" \
  "$root/cpu/cpu_gemm.c" "$root/cpu/cpu_neon.c" "$root/tests/test_cpu.c" \
  -static -lm -o "$out/test_cpu_aarch64"
qemu-aarch64 "$out/test_cpu_aarch64"
