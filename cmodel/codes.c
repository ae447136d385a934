/* codes.c: reading a stored code back, per format, and dequantization.
 * SA35 goes through the header's one unpack (sa35_pair_code and friends). */
#include "sa35_cmodel.h"

static int32_t sign_extend(uint32_t v, uint32_t width)
{
    uint32_t m = 1u << (width - 1u);
    return (int32_t)(v ^ m) - (int32_t)m;
}

int32_t sa35_qweights_code(const sa35_qweights *q, int32_t k, int32_t n)
{
    const uint8_t *col = q->qweight + (size_t)n * q->colbytes;
    switch (q->fmt) {
    case SA35_FMT_SA35: {
        uint32_t code = sa35_pair_code(col, k >> 1);
        return (k & 1) ? sa35_code_odd(code) : sa35_code_even(code);
    }
    case SA35_FMT_INT4:
        return sign_extend(sa35_stream_bits(col, 4u * (uint32_t)k, 4u), 4u);
    case SA35_FMT_INT3:
        return sign_extend(sa35_stream_bits(col, 3u * (uint32_t)k, 3u), 3u);
    case SA35_FMT_INT8:
        return (int32_t)(int8_t)col[k];
    default:
        return 0;
    }
}

void sa35_dequantize(const sa35_qweights *q, float *w_hat)
{
    for (int32_t n = 0; n < q->N; n++) {
        for (int32_t k = 0; k < q->K; k++) {
            int32_t g = sa35_qweights_group_of(q, k);
            /* format.md: the value is z + s*q, the product rounded first. */
            float t = sa35_qweights_scale(q, g, n) *
                      (float)sa35_qweights_code(q, k, n);
            w_hat[(size_t)k * (size_t)q->N + (size_t)n] =
                sa35_qweights_zero(q, g, n) + t;
        }
    }
}
