/* format_traits.c: per-format padding and storage size, and allocation of a
 * quantized matrix. The formats differ only in these numbers and in their
 * codes (codes.c, quantize.c). */
#include <stdlib.h>
#include <string.h>

#include "sa35_cmodel.h"

static const sa35_format_traits traits[SA35_FMT_COUNT] = {
    /* 8 pairs of 7 bits = 7 bytes per 16 weights (format.md). */
    [SA35_FMT_SA35] = {"sa35", 16, 56, SA35_K_LIMIT},
    /* two 4-bit codes per byte. */
    [SA35_FMT_INT4] = {"int4", 2, 64, SA35_K_LIMIT},
    /* a 3-bit stream: 8 codes fill 3 bytes. */
    [SA35_FMT_INT3] = {"int3", 8, 48, SA35_K_LIMIT},
    [SA35_FMT_INT8] = {"int8", 1, 128, SA35_K_LIMIT_INT8},
};

const sa35_format_traits *sa35_format_info(sa35_format fmt)
{
    if ((unsigned)fmt >= SA35_FMT_COUNT)
        return NULL;
    return &traits[fmt];
}

int sa35_format_from_name(const char *name, sa35_format *fmt)
{
    for (int f = 0; f < SA35_FMT_COUNT; f++) {
        if (strcmp(name, traits[f].name) == 0) {
            *fmt = (sa35_format)f;
            return 0;
        }
    }
    return -1;
}

int sa35_qweights_shape(sa35_format fmt, int64_t K, int64_t N, int32_t *Kp,
                        size_t *colbytes, sa35_err *err)
{
    const sa35_format_traits *t = sa35_format_info(fmt);
    if (!t)
        return sa35_err_set(err, "unknown weight format %d", (int)fmt);
    if (K < 1 || N < 1)
        return sa35_err_set(err, "weight shape K=%lld x N=%lld is empty",
                            (long long)K, (long long)N);
    if (K >= t->k_limit) {
        int lg = 0;
        while ((1 << lg) < t->k_limit)
            lg++;
        return sa35_err_set(err,
                            "K=%lld is too large: %s weights need K below "
                            "2^%d = %d so that int32 accumulators cannot "
                            "overflow",
                            (long long)K, t->name, lg, (int)t->k_limit);
    }
    if (N > INT32_MAX)
        return sa35_err_set(err, "N=%lld does not fit in int32",
                            (long long)N);
    int64_t kp = (K + t->k_align - 1) / t->k_align * t->k_align;
    *Kp = (int32_t)kp;
    /* k_align makes this exact for every format: Kp codes of
     * bits_per_16k / 16 bits each. */
    *colbytes = (size_t)(kp * t->bits_per_16k / 128);
    return 0;
}

int sa35_group_check(sa35_format fmt, int64_t G, sa35_err *err)
{
    const sa35_format_traits *t = sa35_format_info(fmt);
    if (!t)
        return sa35_err_set(err, "unknown weight format %d", (int)fmt);
    if (G < 16 || G % 16 != 0)
        return sa35_err_set(err, "group size %lld is not a positive multiple "
                            "of 16", (long long)G);
    /* |A q| per k-value: 128 * the largest |code| (8; 4 for INT3; 128). */
    int64_t wmax = fmt == SA35_FMT_INT8 ? 128 : fmt == SA35_FMT_INT3 ? 4 : 8;
    if (128 * wmax * G >= (1 << 24))
        return sa35_err_set(err, "group size %lld is too large for %s: a "
                            "group's partial sum must stay below 2^24 (exact "
                            "in float32), so G < %lld", (long long)G, t->name,
                            (long long)((1 << 24) / (128 * wmax)));
    return 0;
}

int sa35_qweights_alloc_group(sa35_qweights *q, sa35_format fmt, int64_t K,
                              int64_t N, int64_t G, sa35_err *err)
{
    memset(q, 0, sizeof *q);
    int32_t Kp = 0;
    size_t colbytes = 0;
    if (sa35_qweights_shape(fmt, K, N, &Kp, &colbytes, err) ||
        (G && sa35_group_check(fmt, G, err)))
        return -1;
    q->fmt = fmt;
    q->K = (int32_t)K;
    q->N = (int32_t)N;
    q->Kp = Kp;
    q->group = (int32_t)G;
    q->ngroups = G ? (int32_t)((K + G - 1) / G) : 1;
    q->colbytes = colbytes;
    size_t nscale = (size_t)N * (size_t)q->ngroups;
    q->qweight = calloc((size_t)N, colbytes);
    q->scale = calloc(nscale, sizeof(float));
    q->zero = calloc(nscale, sizeof(float));
    if (!q->qweight || !q->scale || !q->zero) {
        sa35_qweights_free(q);
        return sa35_err_set(err, "out of memory for a %lld x %lld weight",
                            (long long)K, (long long)N);
    }
    return 0;
}

int sa35_qweights_alloc(sa35_qweights *q, sa35_format fmt, int64_t K,
                        int64_t N, sa35_err *err)
{
    return sa35_qweights_alloc_group(q, fmt, K, N, 0, err);
}

void sa35_qweights_free(sa35_qweights *q)
{
    free(q->qweight);
    free(q->scale);
    free(q->zero);
    memset(q, 0, sizeof *q);
}
