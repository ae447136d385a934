/* quantize.c: float32 weights to codes, per output column, exactly as
 * docs/format.md says: IEEE float32, one operation at a time (the
 * project builds with -ffp-contract=off so no multiply-add is fused), round
 * half away from zero (roundf), clamp to the code range. */
#include <math.h>
#include <stdlib.h>

#include "sa35_cmodel.h"

int sa35_find_nonfinite(const sa35_fview *w, int64_t *k, int64_t *n)
{
    for (int64_t kk = 0; kk < w->K; kk++)
        for (int64_t nn = 0; nn < w->N; nn++)
            if (!isfinite(sa35_fview_at(w, kk, nn))) {
                *k = kk;
                *n = nn;
                return 1;
            }
    return 0;
}

/* round((num) / den) clamped to [lo, hi], computed in float so that a huge
 * quotient is clamped before it is converted to an integer. */
static int32_t code_of(float num, float den, float lo, float hi)
{
    float r = roundf(num / den);
    if (r < lo)
        r = lo;
    if (r > hi)
        r = hi;
    return (int32_t)r;
}

/* Asymmetric formats (SA35, INT4, INT3): s = (hi - lo) / levels,
 * z = lo + mid * s. */
static int quantize_asym_column(const float *w, int32_t K, sa35_format fmt,
                                uint8_t *col, float *scale, float *zero,
                                int64_t n, sa35_err *err)
{
    float lo = w[0], hi = w[0];
    for (int32_t k = 1; k < K; k++) {
        if (w[k] < lo)
            lo = w[k];
        if (w[k] > hi)
            hi = w[k];
    }
    float levels = fmt == SA35_FMT_INT3 ? 7.0f : 15.0f;
    float mid = fmt == SA35_FMT_INT3 ? 4.0f : 8.0f;
    float range = hi - lo;
    if (isinf(range))
        return sa35_err_set(err,
                            "column %lld: range %g .. %g overflows float32",
                            (long long)n, (double)lo, (double)hi);
    float s = range / levels;
    float ms = mid * s;
    float z = lo + ms;
    *scale = s;
    *zero = z;
    if (s == 0.0f) /* a constant column: every code 0, value z = lo */
        return 0;
    float s2 = 2.0f * s;
    for (int32_t k = 0; k < K; k++) {
        float d = w[k] - z;
        switch (fmt) {
        case SA35_FMT_SA35:
            if (k & 1) {
                /* odd k: 3-bit c with twice the step; the pair's code is
                 * completed here, its even half stored one k before. */
                int32_t c = code_of(d, s2, -4.0f, 3.0f);
                sa35_pair_store(col, k >> 1, sa35_pair_pack(0, c));
            } else {
                int32_t e = code_of(d, s, -8.0f, 7.0f);
                sa35_pair_store(col, k >> 1, sa35_pair_pack(e, 0));
            }
            break;
        case SA35_FMT_INT4:
            sa35_stream_store(col, 4u * (uint32_t)k, 4u,
                              (uint32_t)code_of(d, s, -8.0f, 7.0f));
            break;
        default: /* INT3 */
            sa35_stream_store(col, 3u * (uint32_t)k, 3u,
                              (uint32_t)code_of(d, s, -4.0f, 3.0f));
            break;
        }
    }
    return 0;
}

/* Symmetric INT8: s = max|w| / 127, z = 0, q = clamp(round(w / s), +-127). */
static void quantize_int8_column(const float *w, int32_t K, uint8_t *col,
                                 float *scale, float *zero)
{
    float amax = 0.0f;
    for (int32_t k = 0; k < K; k++)
        if (fabsf(w[k]) > amax)
            amax = fabsf(w[k]);
    float s = amax / 127.0f;
    *scale = s;
    *zero = 0.0f;
    if (s == 0.0f)
        return;
    for (int32_t k = 0; k < K; k++)
        col[k] = (uint8_t)(int8_t)code_of(w[k], s, -127.0f, 127.0f);
}

int sa35_quantize(const sa35_fview *w, sa35_format fmt, sa35_qweights *q,
                  sa35_err *err)
{
    int64_t bk, bn;
    if (sa35_find_nonfinite(w, &bk, &bn)) {
        float v = sa35_fview_at(w, bk, bn);
        return sa35_err_set(err, "%s weight at W[k=%lld][n=%lld]",
                            isnan(v) ? "NaN" : "infinite", (long long)bk,
                            (long long)bn);
    }
    if (sa35_qweights_alloc(q, fmt, w->K, w->N, err))
        return -1;
    /* Each column is gathered into a contiguous buffer once, so the per-code
     * loop is the same for either memory layout of W. */
    float *colbuf = malloc((size_t)w->K * sizeof(float));
    if (!colbuf) {
        sa35_qweights_free(q);
        return sa35_err_set(err, "out of memory");
    }
    for (int64_t n = 0; n < w->N; n++) {
        for (int64_t k = 0; k < w->K; k++)
            colbuf[k] = sa35_fview_at(w, k, n);
        uint8_t *col = q->qweight + (size_t)n * q->colbytes;
        if (fmt == SA35_FMT_INT8) {
            quantize_int8_column(colbuf, q->K, col, &q->scale[n],
                                 &q->zero[n]);
        } else if (quantize_asym_column(colbuf, q->K, fmt, col, &q->scale[n],
                                        &q->zero[n], n, err)) {
            free(colbuf);
            sa35_qweights_free(q);
            return -1;
        }
    }
    free(colbuf);
    return 0;
}
