/* sa35_cpu.h: CPU kernels for the integer GEMM acc[M][N] = A . q of the
 * golden model (sa35_gemm_acc), for the SA35, INT4, INT8 (and, through the
 * scalar code, INT3) weight formats.
 *
 * Backends: scalar (every CPU), AVX2, AVX-512 VNNI and NEON (each compiled
 * only where the compiler targets that architecture). The backend is chosen
 * once, into a context the caller owns (sa35_cpu_ctx): the one asked for,
 * else the environment variable SA35_CPU_KERNEL (scalar|avx2|avx512vnni|
 * neon), else the best one cpuid reports. Every backend gives acc bit for
 * bit equal to sa35_gemm_acc.
 *
 * Nothing here keeps mutable global state: callers own the context. */
#ifndef SA35_CPU_H
#define SA35_CPU_H

#include <stdint.h>

#include "sa35_cmodel.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sa35_cpu_kernel {
    SA35_CPU_AUTO = -1, /* SA35_CPU_KERNEL if set, else the best supported */
    SA35_CPU_SCALAR = 0,
    SA35_CPU_AVX2 = 1,
    SA35_CPU_AVX512VNNI = 2,
    SA35_CPU_NEON = 3,
    SA35_CPU_KERNEL_COUNT
} sa35_cpu_kernel;

/* "scalar", "avx2", "avx512vnni", "neon"; NULL for an unknown value. */
const char *sa35_cpu_kernel_name(sa35_cpu_kernel k);
/* Parse a kernel name; returns -1 if unknown. */
int sa35_cpu_kernel_from_name(const char *name, sa35_cpu_kernel *k);
/* 1 if the kernel is compiled into this build and this CPU (and OS) can run
 * it, else 0. The scalar kernel is always supported. */
int sa35_cpu_kernel_supported(sa35_cpu_kernel k);
/* The fastest supported kernel. */
sa35_cpu_kernel sa35_cpu_kernel_best(void);
/* Resolve SA35_CPU_AUTO (through SA35_CPU_KERNEL, then the best kernel) or
 * check an explicit kernel. An unknown or unsupported name is an error. */
int sa35_cpu_kernel_resolve(sa35_cpu_kernel want, sa35_cpu_kernel *out,
                            sa35_err *err);

/* "AMD EPYC 7B13" or similar, from cpuid (or /proc/cpuinfo); "unknown" if
 * neither says. */
void sa35_cpu_model_name(char *buf, size_t len);

/* The caller's CPU engine: the kernel, resolved once (cpuid is slow in a
 * virtual machine, so it is not asked on every call), and the threads. Fill
 * it with sa35_cpu_ctx_init only. */
typedef struct sa35_cpu_ctx {
    sa35_cpu_kernel kernel; /* a supported kernel, never SA35_CPU_AUTO     */
    int threads;            /* threads over output columns (>= 1)          */
} sa35_cpu_ctx;

/* want: SA35_CPU_AUTO or one kernel (see sa35_cpu_kernel_resolve);
 * threads: 0 for all online cores. */
int sa35_cpu_ctx_init(sa35_cpu_ctx *ctx, sa35_cpu_kernel want, int threads,
                      sa35_err *err);

/* acc[m][n] = sum_k A[m][k] q[k][n], as sa35_gemm_acc (for a group-scaled
 * q the float32 accumulator's bits, as there): A is M x K int8
 * row-major (K == q->K, -128 allowed), acc is M x N int32 row-major. rsum
 * (M, may be NULL) gets sum_k A[m][k]. Returns -1 with a message for a bad
 * shape or out of memory. */
int sa35_cpu_gemm_acc(const sa35_cpu_ctx *ctx, const int8_t *A, int64_t M,
                      const sa35_qweights *q, int32_t *acc, int32_t *rsum,
                      sa35_err *err);

#ifdef __cplusplus
}
#endif
#endif /* SA35_CPU_H */
