/* cyc_kernel.c: the PE rows update, portable C (the reference the AVX2
 * version must match bit for bit), and the CPU check. */
#include "cyc_internal.h"

uint64_t cyc_rows_scalar(cyc *s, int64_t t, const cyc_span *sp, size_t ns)
{
    const int32_t C = s->C;
    const int64_t P = s->P;
    uint64_t flips = 0, skew = 0;
    const int32_t *above =
        s->R > 1 ? s->psum + (size_t)(s->R - 2) * (size_t)C : s->zero_row;
    const int8_t *act = s->lane + (size_t)(s->R - 1) * 4 * (size_t)P +
                        2 * (size_t)((s->R - 1 - t) & (P - 1));
    for (size_t k = 0; k < ns; k++) {
        int32_t c0, c1;
        if (cyc_span_cols(t - (s->R - 1), &sp[k], C, &c0, &c1))
            flips += cyc_bottom_scalar(s, t, c0, c1, above, act, &skew);
    }
    s->st->toggles_skew += skew;
    for (int32_t r = s->R - 2; r >= 0; r--) {
        const int32_t *above =
            r ? s->psum + (size_t)(r - 1) * (size_t)C : s->zero_row;
        const int8_t *act = s->lane + (size_t)r * 4 * (size_t)P +
                            2 * (size_t)((r - t) & (P - 1));
        for (size_t k = 0; k < ns; k++) {
            int32_t c0, c1;
            if (!cyc_span_cols(t - r, &sp[k], C, &c0, &c1))
                continue;
            size_t o = (size_t)r * (size_t)C + (size_t)c0;
            flips += cyc_kernel_scalar(s->psum + o, above + c0, act + 2 * c0,
                            s->w_act + 2 * o, c1 - c0 + 1, s->psum_mask);
        }
    }
    return flips;
}

int sa35_sim_has_avx2(void)
{
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
#else
    return 0;
#endif
}
