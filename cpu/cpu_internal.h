/* cpu_internal.h: what the dispatcher (cpu_dispatch.c) hands every backend.
 *
 * The dispatcher does the work that is the same for all backends, so that a
 * kernel is only the inner loop:
 *  - it copies A into rows of `kstride` bytes (a multiple of 128 >= Kp),
 *    zero past K. Every kernel may therefore run each column over all
 *    kstride positions without a tail loop: the weights it reads past the
 *    column's K (padding, or the next column's bytes) meet activation 0.
 *  - it computes rsum[m] (the SIMD kernels multiply by q + 8, an unsigned
 *    weight, and take 8 * rsum back off).
 *  - it guarantees that reading up to CPU_OVERREAD bytes past the last byte
 *    of a column's kstride positions stays inside memory: the last few
 *    columns are run from a zero-padded copy (see cpu_job.w).
 *  - it splits the columns between threads. */
#ifndef SA35_CPU_INTERNAL_H
#define SA35_CPU_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sa35_cpu.h"

/* kstride is a multiple of this (the widest step of any kernel: AVX-512
 * does two 64-weight chunks per iteration). */
#define CPU_KSTEP 128
/* How far past a column's kstride positions a kernel may read. */
#define CPU_OVERREAD 64

typedef struct cpu_job {
    sa35_format fmt;
    const uint8_t *w;  /* column n starts at w + (n - n_base) * colbytes   */
    int64_t n_base;
    size_t colbytes;
    const int8_t *a;   /* M rows of kstride int8, 0 at k >= K              */
    int64_t M;
    size_t kstride;
    const int32_t *rsum; /* M row sums over k < K                          */
    int32_t *acc;        /* acc[m * ldacc + n]                             */
    int64_t ldacc;
} cpu_job;

static inline const uint8_t *cpu_col(const cpu_job *j, int64_t n)
{
    return j->w + (size_t)(n - j->n_base) * j->colbytes;
}

/* Bytes from a column's start to position k (k a multiple of 16). */
static inline size_t cpu_kbytes(sa35_format fmt, size_t k)
{
    return k * (size_t)sa35_format_info(fmt)->bits_per_16k / 128u;
}

/* Computes acc for columns [n0, n1) of one format. */
typedef void (*cpu_cols_fn)(const cpu_job *j, int64_t n0, int64_t n1);

/* The order of the activations inside a row, as a kernel wants it. The
 * products are summed, so any order works if weights and activations agree;
 * a kernel picks the one its unpack produces cheapest. */
typedef enum cpu_alayout {
    CPU_A_PLAIN = 0,   /* k order                                          */
    CPU_A_EVEN_ODD64,  /* per 64 k: the 32 even k, then the 32 odd k (how  */
                       /* INT4 nibbles come out of one 32-byte load)       */
} cpu_alayout;

/* A backend: its kernels per format (NULL means the scalar one), and the
 * activation order each wants. perm_m1, if not NULL for a format, replaces
 * the order when M == 1 (a GEMV, where the kernel has no other rows to
 * share its unpack with and uses a cheaper one): per 64 k, position i of
 * the row holds plain k perm_m1[i]. */
typedef struct cpu_backend {
    const char *name;
    cpu_cols_fn cols[SA35_FMT_COUNT];
    cpu_alayout alayout[SA35_FMT_COUNT];
    const uint8_t *perm_m1[SA35_FMT_COUNT];
} cpu_backend;

/* Each backend file defines its table. cpu/CMakeLists.txt builds the x86
 * files (with their -m flags) on x86 only and the NEON file on AArch64 only,
 * and says so with SA35_CPU_BUILD_X86 / SA35_CPU_BUILD_NEON. */
extern const cpu_backend cpu_backend_scalar;
#ifdef SA35_CPU_BUILD_X86
extern const cpu_backend cpu_backend_avx2;
extern const cpu_backend cpu_backend_avx512vnni;
#endif
#ifdef SA35_CPU_BUILD_NEON
extern const cpu_backend cpu_backend_neon;
#endif

/* sa35_cpu_gemm_acc for a group-scaled q (cpu_group.c): the kernels per
 * group, the float32 accumulator from their sums. */
int cpu_gemm_group(const sa35_cpu_ctx *ctx, const int8_t *A, int64_t M,
                   const sa35_qweights *q, int32_t *acc, int32_t *rsum,
                   sa35_err *err);

#endif
