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

/* One group's grid: a float32 scale or zero, rounded to binary16 when the
 * weight is group-scaled (half). An error when binary16 cannot hold it. */
static int grid_value(float v, int half, const char *what, int64_t n,
                      int64_t g, float *out, sa35_err *err)
{
    if (!half) {
        *out = v;
        return 0;
    }
    float h = sa35_f16_to_f32(sa35_f32_to_f16(v));
    if (isinf(h))
        return sa35_err_set(err, "column %lld, group %lld: %s %g is beyond "
                            "binary16's range (65504)", (long long)n,
                            (long long)g, what, (double)v);
    *out = h;
    return 0;
}

/* Asymmetric formats (SA35, INT4, INT3) over K weights w[0..K) (a column,
 * or one group of it, whose codes start at col): s = (hi - lo) / levels,
 * z = lo + mid * s; with half, s is rounded to binary16 before z is made
 * and z after, and the codes are taken against the rounded grid. */
static int quantize_asym(const float *w, int32_t K, sa35_format fmt,
                         int half, uint8_t *col, float *scale, float *zero,
                         int64_t n, int64_t g, sa35_err *err)
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
    float s = 0.0f, z = 0.0f;
    if (grid_value(range / levels, half, "scale", n, g, &s, err))
        return -1;
    float ms = mid * s;
    if (grid_value(lo + ms, half, "zero", n, g, &z, err))
        return -1;
    *scale = s;
    *zero = z;
    if (s == 0.0f) /* a constant column or group: every code 0, value z */
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

/* Symmetric INT8: s = max|w| / 127 (binary16 with half), z = 0,
 * q = clamp(round(w / s), +-127). */
static int quantize_int8(const float *w, int32_t K, int half, uint8_t *col,
                         float *scale, float *zero, int64_t n, int64_t g,
                         sa35_err *err)
{
    float amax = 0.0f;
    for (int32_t k = 0; k < K; k++)
        if (fabsf(w[k]) > amax)
            amax = fabsf(w[k]);
    float s = 0.0f;
    if (grid_value(amax / 127.0f, half, "scale", n, g, &s, err))
        return -1;
    *scale = s;
    *zero = 0.0f;
    if (s == 0.0f)
        return 0;
    for (int32_t k = 0; k < K; k++)
        col[k] = (uint8_t)(int8_t)code_of(w[k], s, -127.0f, 127.0f);
    return 0;
}

int sa35_quantize(const sa35_fview *w, sa35_format fmt, sa35_qweights *q,
                  sa35_err *err)
{
    return sa35_quantize_group(w, fmt, 0, q, err);
}

int sa35_quantize_group(const sa35_fview *w, sa35_format fmt, int64_t G,
                        sa35_qweights *q, sa35_err *err)
{
    int64_t bk, bn;
    if (sa35_find_nonfinite(w, &bk, &bn)) {
        float v = sa35_fview_at(w, bk, bn);
        return sa35_err_set(err, "%s weight at W[k=%lld][n=%lld]",
                            isnan(v) ? "NaN" : "infinite", (long long)bk,
                            (long long)bn);
    }
    if (sa35_qweights_alloc_group(q, fmt, w->K, w->N, G, err))
        return -1;
    /* Each column is gathered into a contiguous buffer once, so the per-code
     * loop is the same for either memory layout of W. */
    float *colbuf = malloc((size_t)w->K * sizeof(float));
    if (!colbuf) {
        sa35_qweights_free(q);
        return sa35_err_set(err, "out of memory for a column of %lld "
                                 "weights (%zu bytes)",
                            (long long)w->K, (size_t)w->K * sizeof(float));
    }
    const int half = G != 0;
    const int32_t glen = G ? (int32_t)G : q->K;
    /* a group of G k-values (a multiple of 16) starts on a byte of every
     * format's stream: G * bits_per_16k / 128 bytes after the previous */
    const size_t gbytes =
        (size_t)glen * (size_t)sa35_format_info(fmt)->bits_per_16k / 128u;
    int rc = 0;
    for (int64_t n = 0; n < w->N && !rc; n++) {
        for (int64_t k = 0; k < w->K; k++)
            colbuf[k] = sa35_fview_at(w, k, n);
        uint8_t *col = q->qweight + (size_t)n * q->colbytes;
        for (int32_t g = 0; g < q->ngroups && !rc; g++) {
            int32_t k0 = g * glen;
            int32_t len = q->K - k0 < glen ? q->K - k0 : glen;
            size_t i = (size_t)n * (size_t)q->ngroups + (size_t)g;
            rc = fmt == SA35_FMT_INT8
                     ? quantize_int8(colbuf + k0, len, half,
                                     col + (size_t)g * gbytes, &q->scale[i],
                                     &q->zero[i], n, g, err)
                     : quantize_asym(colbuf + k0, len, fmt, half,
                                     col + (size_t)g * gbytes, &q->scale[i],
                                     &q->zero[i], n, g, err);
        }
    }
    free(colbuf);
    if (rc)
        sa35_qweights_free(q);
    return rc;
}
