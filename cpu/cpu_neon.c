/* cpu_neon.c: the AArch64 Advanced SIMD backend (built on AArch64 only).
 *
 * NEON multiplies signed bytes by signed bytes (vmull_s8, int8 x int8 ->
 * int16, exact: |q * a| <= 128 * 128), and vpadalq_s16 adds pairs of those
 * into int32, so no bias trick is needed: the weights are unpacked to their
 * signed q and acc = sum a * q directly.
 *
 * SA35 unpack, 8 pairs (16 weights, 7 bytes) per 128-bit register, in k
 * order: vqtbl1q_u8 builds word j = byte[j] << 8 | byte[j-1] (an index out
 * of range gives the 0 of byte[-1]); vshlq_u16 by j + 1 (NEON has per-lane
 * variable shifts) moves every code to bits 9..15; e = y >> 12 in the low
 * byte, 2c = y & 0x0E00 in the high byte; (x ^ 8) - 8 per byte sign-extends
 * both (for the odd byte: 2 * (c ^ 4) - 8 = 2c).
 *
 * INT4: arithmetic shifts sign-extend the nibbles; like the x86 kernels it
 * takes activations in CPU_A_EVEN_ODD64 order. INT8: vmull_s8 as is. */
#include <arm_neon.h>

#include "cpu_internal.h"

/* 16 signed SA35 weights from the 7 bytes at p (reads 8). */
static inline int8x16_t unpack_sa35(const uint8_t *p)
{
    static const uint8_t pick[16] = {0xFF, 0, 0, 1, 1, 2, 2, 3,
                                     3,    4, 4, 5, 5, 6, 6, 7};
    static const int16_t shift[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint8x16_t x = vcombine_u8(vld1_u8(p), vdup_n_u8(0));
    uint16x8_t w = vreinterpretq_u16_u8(vqtbl1q_u8(x, vld1q_u8(pick)));
    uint16x8_t y = vshlq_u16(w, vld1q_s16(shift));
    uint16x8_t f = vorrq_u16(vshrq_n_u16(y, 12),
                             vandq_u16(y, vdupq_n_u16(0x0E00)));
    int8x16_t u = vreinterpretq_s8_u16(veorq_u16(f, vdupq_n_u16(0x0808)));
    return vsubq_s8(u, vdupq_n_s8(8));
}

/* acc += sum of a[i] * w[i] over 16 bytes. */
static inline int32x4_t mac16(int32x4_t acc, int8x16_t w, const int8_t *a)
{
    int8x16_t av = vld1q_s8(a);
    acc = vpadalq_s16(acc, vmull_s8(vget_low_s8(w), vget_low_s8(av)));
    return vpadalq_s16(acc, vmull_high_s8(w, av));
}

/* sum_k a[k] * q[k] of one column and one row over kstride positions. */
static int32_t dot(sa35_format fmt, const uint8_t *col, const int8_t *a,
                   size_t kstride)
{
    int32x4_t acc = vdupq_n_s32(0);
    for (size_t k = 0; k < kstride; k += 64) {
        if (fmt == SA35_FMT_SA35) {
            for (int g = 0; g < 4; g++)
                acc = mac16(acc, unpack_sa35(col + 7 * g), a + k + 16 * g);
            col += 28;
        } else if (fmt == SA35_FMT_INT4) {
            for (int h = 0; h < 2; h++) {
                int8x16_t b = vld1q_s8((const int8_t *)col + 16 * h);
                int8x16_t lo = vshrq_n_s8(vshlq_n_s8(b, 4), 4);
                acc = mac16(acc, lo, a + k + 16 * h);
                acc = mac16(acc, vshrq_n_s8(b, 4), a + k + 32 + 16 * h);
            }
            col += 32;
        } else {
            for (int g = 0; g < 4; g++)
                acc = mac16(acc, vld1q_s8((const int8_t *)col + 16 * g),
                            a + k + 16 * g);
            col += 64;
        }
    }
    return vaddvq_s32(acc);
}

static inline void columns(const cpu_job *j, sa35_format fmt, int64_t n0,
                           int64_t n1)
{
    for (int64_t n = n0; n < n1; n++)
        for (int64_t m = 0; m < j->M; m++)
            j->acc[m * j->ldacc + n] =
                dot(fmt, cpu_col(j, n), j->a + (size_t)m * j->kstride,
                    j->kstride);
}

static void sa35_cols(const cpu_job *j, int64_t n0, int64_t n1)
{
    columns(j, SA35_FMT_SA35, n0, n1);
}

static void int4_cols(const cpu_job *j, int64_t n0, int64_t n1)
{
    columns(j, SA35_FMT_INT4, n0, n1);
}

static void int8_cols(const cpu_job *j, int64_t n0, int64_t n1)
{
    columns(j, SA35_FMT_INT8, n0, n1);
}

const cpu_backend cpu_backend_neon = {
    "neon",
    {[SA35_FMT_SA35] = sa35_cols,
     [SA35_FMT_INT4] = int4_cols,
     [SA35_FMT_INT8] = int8_cols},
    {[SA35_FMT_INT4] = CPU_A_EVEN_ODD64},
    {NULL},
};
