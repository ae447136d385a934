/* cyc_kernel_ref.c: the reference array. Every PE, every cycle, with its
 * own activation registers and skew chains, written the way the RTL is
 * (rtl/sa35_array.v) and nothing skipped: no live spans, no shared delay
 * line, no vectors. The optimized kernels (cyc_kernel.c, cyc_kernel_avx2.c)
 * and the skipping of idle PEs and idle cycles are tested against it
 * (SA35_KERNEL_REF; tests/test_sim_equal.c). Slow on purpose. */
#include <stdlib.h>

#include "cyc_internal.h"

int cyc_ref_init(cyc *s)
{
    const size_t R = (size_t)s->R, C = (size_t)s->C;
    s->ref_act = calloc(R * C, 2);   /* PE(r, c)'s activation register */
    s->ref_skew = calloc(R * R, 2);  /* row r: r skew registers        */
    return s->ref_act && s->ref_skew ? 0 : -1;
}

uint64_t cyc_rows_ref(cyc *s, int64_t t, const cyc_span *sp, size_t ns)
{
    (void)sp, (void)ns; /* every PE, live or not */
    const int32_t R = s->R, C = s->C;
    const uint8_t *in = s->edge[s->edge_cur]; /* entered the left edge now */
    uint64_t flips = 0;
    for (int32_t r = R - 1; r >= 0; r--) { /* bottom first: rows above */
        int8_t *a = s->ref_act + 2 * (size_t)r * (size_t)C; /* are old  */
        int8_t *sk = s->ref_skew + 2 * (size_t)r * (size_t)R;
        /* every register takes its left neighbour's value of last cycle:
         * PE(r, c) gets PE(r, c-1)'s, PE(r, 0) the end of row r's skew
         * chain (r registers; none for row 0) */
        for (int32_t c = C - 1; c > 0; c--)
            a[2 * c] = a[2 * c - 2], a[2 * c + 1] = a[2 * c - 1];
        int8_t e0 = (int8_t)in[2 * r], e1 = (int8_t)in[2 * r + 1];
        if (r > 0) {
            a[0] = sk[2 * (r - 1)], a[1] = sk[2 * (r - 1) + 1];
            for (int32_t k = r - 1; k > 0; k--)
                sk[2 * k] = sk[2 * k - 2], sk[2 * k + 1] = sk[2 * k - 1];
            sk[0] = e0, sk[1] = e1;
        } else {
            a[0] = e0, a[1] = e1;
        }
        for (int32_t c = 0; c < C; c++) {
            const size_t i = (size_t)r * (size_t)C + (size_t)c;
            const int32_t above = r ? s->psum[i - (size_t)C] : 0;
            const int32_t v = above + a[2 * c] * s->w_act[2 * i] +
                              a[2 * c + 1] * s->w_act[2 * i + 1];
            const uint64_t f = (uint64_t)cyc_popcount32(
                ((uint32_t)v ^ (uint32_t)s->psum[i]) & s->psum_mask);
            s->psum[i] = v;
            flips += f;
            if (r == R - 1) { /* into the de-skew: C-1-c registers */
                s->st->toggles_skew += f * (uint64_t)(C - 1 - c);
                s->deskew[(size_t)((t - r - c) & (s->D - 1)) * (size_t)C +
                          (size_t)c] = v;
            }
        }
    }
    return flips;
}
