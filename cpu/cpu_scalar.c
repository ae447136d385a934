/* cpu_scalar.c: the portable backend, and the fallback of every other one.
 * Plain C: each column is decoded a block at a time into signed weights
 * (SA35 through the golden model's own unpack, sa35_pair_code and friends),
 * then dotted with every row. No bias trick, no saturation to think about. */
#include <string.h>

#include "cpu_internal.h"

enum { BLOCK = 256 }; /* weights decoded per step (kept on the stack) */

/* Signed weights k0 .. k0+len-1 of one column (k0, len even). */
static void decode(const cpu_job *j, const uint8_t *col, int32_t k0,
                   int32_t len, int8_t *w)
{
    switch (j->fmt) {
    case SA35_FMT_SA35:
        for (int32_t i = 0; i < len; i += 2) {
            uint32_t code = sa35_pair_code(col, (k0 + i) >> 1);
            w[i] = (int8_t)sa35_code_even(code);
            w[i + 1] = (int8_t)sa35_code_odd(code);
        }
        break;
    case SA35_FMT_INT4:
        for (int32_t i = 0; i < len; i += 2) {
            uint32_t b = col[(k0 + i) >> 1];
            /* low nibble = even k; (x ^ 8) - 8 sign-extends 4 bits */
            w[i] = (int8_t)((int32_t)((b & 0xFu) ^ 0x8u) - 8);
            w[i + 1] = (int8_t)((int32_t)((b >> 4) ^ 0x8u) - 8);
        }
        break;
    case SA35_FMT_INT8:
        memcpy(w, col + k0, (size_t)len);
        break;
    default: {
        /* INT3 (and any later format): the golden model's decoder, on a
         * one-column view of this column. */
        sa35_qweights v = {.fmt = j->fmt,
                           .N = 1,
                           .colbytes = j->colbytes,
                           .qweight = (uint8_t *)(uintptr_t)col};
        for (int32_t i = 0; i < len; i++)
            w[i] = (int8_t)sa35_qweights_code(&v, k0 + i, 0);
        break;
    }
    }
}

static void scalar_cols(const cpu_job *j, int64_t n0, int64_t n1)
{
    const sa35_format_traits *t = sa35_format_info(j->fmt);
    /* Only the column's own Kp codes are decoded: activations are 0 from K
     * on, and the column's bytes end at Kp. */
    int32_t Kp = (int32_t)(j->colbytes * 128u / (size_t)t->bits_per_16k);
    int8_t w[BLOCK];
    for (int64_t n = n0; n < n1; n++) {
        const uint8_t *col = cpu_col(j, n);
        for (int64_t m = 0; m < j->M; m++)
            j->acc[m * j->ldacc + n] = 0;
        for (int32_t k0 = 0; k0 < Kp; k0 += BLOCK) {
            int32_t len = Kp - k0 < BLOCK ? Kp - k0 : BLOCK;
            decode(j, col, k0, len, w);
            for (int64_t m = 0; m < j->M; m++) {
                const int8_t *a = j->a + (size_t)m * j->kstride + k0;
                /* int32 as in sa35_gemm_acc (SA35: |a*w| <= 1024, K < 2^21) */
                int32_t s = 0;
                for (int32_t i = 0; i < len; i++)
                    s += (int32_t)a[i] * w[i];
                j->acc[m * j->ldacc + n] += s;
            }
        }
    }
}

const cpu_backend cpu_backend_scalar = {
    "scalar",
    {scalar_cols, scalar_cols, scalar_cols, scalar_cols},
    {CPU_A_PLAIN, CPU_A_PLAIN, CPU_A_PLAIN, CPU_A_PLAIN},
    {NULL},
};
