/* cpu_x86.h: what the AVX2 and AVX-512 backends share. Included only by
 * files compiled with at least -mavx2. */
#ifndef SA35_CPU_X86_H
#define SA35_CPU_X86_H

#include <immintrin.h>

#include "cpu_internal.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))

enum { ROWS = 4 }; /* rows of A sharing one unpacked weight register */

/* 64 INT4 weights (u = q + 8) from the 32 bytes at p: the low nibbles
 * (even k) in *lo, the high nibbles (odd k) in *hi, which is why INT4 asks
 * for activations in CPU_A_EVEN_ODD64 order. XOR 0x88 first flips both
 * nibbles' sign bits: q ^ 8 = q + 8 for a 4-bit two's complement q. */
ALWAYS_INLINE void unpack_int4(const uint8_t *p, __m256i *lo, __m256i *hi)
{
    const __m256i nib = _mm256_set1_epi8(0x0F);
    __m256i x = _mm256_xor_si256(
        _mm256_loadu_si256((const __m256i *)(const void *)p),
        _mm256_set1_epi8((char)0x88));
    *lo = _mm256_and_si256(x, nib);
    *hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), nib);
}

/* k per block when M > ROWS: the block of activations (M x kblock bytes)
 * stays in L2 (256 KiB of it) while the thread's columns pass over it,
 * instead of every column reading all of A again from L3 or DRAM; and a
 * column's block of unpacked weights (kblock bytes, at most CPU_X86_KBUF)
 * stays in L1 for all the row blocks. */
enum { CPU_X86_KBUF = 8192 };
static inline size_t cpu_x86_kblock(const cpu_job *j)
{
    if (j->M <= ROWS)
        return j->kstride;
    size_t kb = (size_t)(256 * 1024 / j->M) / CPU_KSTEP * CPU_KSTEP;
    kb = kb > CPU_X86_KBUF ? CPU_X86_KBUF : kb;
    return kb < CPU_KSTEP ? CPU_KSTEP : kb > j->kstride ? j->kstride : kb;
}

/* The loop over columns, rows and k blocks, and the per-format entry points,
 * of a backend with two ALWAYS_INLINE functions:
 *  - unpack_block(job, fmt, n, k0, len, buf): when M > ROWS, column n's
 *    weights k0 .. k0+len-1 unpacked once into buf (u8, in the activation
 *    order), which it returns; or NULL to unpack in every row block.
 *  - dot_rows(job, fmt, n, m, k0, len, wb, R, out): sum_k a[m+r][k] *
 *    u[k][n] over k0 .. k0+len-1 for R <= ROWS rows, from wb if not NULL.
 * Blocks of ROWS rows share each weight register; R is always a constant,
 * so each case is compiled on its own. The biased formats (u = q + 8) start
 * from -8 * rsum. The sums are done modulo 2^32 (sum a * u itself may pass
 * 2^31 when K nears 2^21); the final acc fits int32 (format.md), so it
 * comes out exact. Defines sa35_cols, int4_cols, int8_cols. */
#define CPU_X86_COLUMNS(unpack_block, dot_rows)                               \
    ALWAYS_INLINE void add_rows(const cpu_job *j, sa35_format fmt, int64_t n, \
                                int64_t m, size_t k0, size_t len,             \
                                const uint8_t *wb, int R)                     \
    {                                                                         \
        int32_t out[ROWS];                                                    \
        dot_rows(j, fmt, n, m, k0, len, wb, R, out);                          \
        for (int r = 0; r < R; r++)                                           \
            j->acc[(m + r) * j->ldacc + n] = (int32_t)(                       \
                (uint32_t)j->acc[(m + r) * j->ldacc + n] + (uint32_t)out[r]); \
    }                                                                         \
    ALWAYS_INLINE void columns(const cpu_job *j, sa35_format fmt, int64_t n0, \
                               int64_t n1)                                    \
    {                                                                         \
        const int32_t bias = fmt == SA35_FMT_INT8 ? 0 : 8;                    \
        for (int64_t m = 0; m < j->M; m++)                                    \
            for (int64_t n = n0; n < n1; n++)                                 \
                j->acc[m * j->ldacc + n] =                                    \
                    (int32_t)(0u - (uint32_t)bias * (uint32_t)j->rsum[m]);    \
        uint8_t buf[CPU_X86_KBUF] __attribute__((aligned(64)));               \
        const size_t kb = cpu_x86_kblock(j);                                  \
        for (size_t k0 = 0; k0 < j->kstride; k0 += kb) {                      \
            size_t len = j->kstride - k0 < kb ? j->kstride - k0 : kb;         \
            for (int64_t n = n0; n < n1; n++) {                               \
                const uint8_t *wb =                                           \
                    j->M > ROWS ? unpack_block(j, fmt, n, k0, len, buf)       \
                                : NULL;                                       \
                int64_t m = 0;                                                \
                for (; m + ROWS <= j->M; m += ROWS)                           \
                    add_rows(j, fmt, n, m, k0, len, wb, ROWS);                \
                switch (j->M - m) {                                           \
                case 3: add_rows(j, fmt, n, m, k0, len, wb, 3); break;        \
                case 2: add_rows(j, fmt, n, m, k0, len, wb, 2); break;        \
                case 1: add_rows(j, fmt, n, m, k0, len, wb, 1); break;        \
                default: break;                                               \
                }                                                             \
            }                                                                 \
        }                                                                     \
    }                                                                         \
    static void sa35_cols(const cpu_job *j, int64_t n0, int64_t n1)           \
    {                                                                         \
        columns(j, SA35_FMT_SA35, n0, n1);                                    \
    }                                                                         \
    static void int4_cols(const cpu_job *j, int64_t n0, int64_t n1)           \
    {                                                                         \
        columns(j, SA35_FMT_INT4, n0, n1);                                    \
    }                                                                         \
    static void int8_cols(const cpu_job *j, int64_t n0, int64_t n1)           \
    {                                                                         \
        columns(j, SA35_FMT_INT8, n0, n1);                                    \
    }

#define CPU_X86_BACKEND(name)                                                 \
    {                                                                         \
        name, {[SA35_FMT_SA35] = sa35_cols,                                   \
               [SA35_FMT_INT4] = int4_cols,                                   \
               [SA35_FMT_INT8] = int8_cols},                                  \
            {[SA35_FMT_INT4] = CPU_A_EVEN_ODD64}, {NULL},                     \
    }

#endif
