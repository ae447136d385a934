/* ggml_formats.c: the ggml comparators' table, their row functions by type,
 * and their quality on a K x N weight (each column one ggml row). */
#include <math.h>
#include <stdlib.h>

#include "ggml_internal.h"

typedef struct ggml_entry {
    sa35_ggml_traits traits;
    void (*quantize)(const float *x, int64_t nb, uint8_t *y);
    void (*dequantize)(const uint8_t *b, int64_t nb, float *y);
} ggml_entry;

/* Sizes from ggml/src/ggml-common.h: block_q8_0, block_q4_0, block_q3_K. */
static const ggml_entry entries[SA35_GGML_COUNT] = {
    [SA35_GGML_Q8_0] = {{"q8_0", 32, 2 + 32}, sa35_ggml_q8_0_quantize,
                        sa35_ggml_q8_0_dequantize},
    [SA35_GGML_Q4_0] = {{"q4_0", 32, 2 + 16}, sa35_ggml_q4_0_quantize,
                        sa35_ggml_q4_0_dequantize},
    [SA35_GGML_Q3_K] = {{"q3_K", 256, 32 + 64 + 12 + 2},
                        sa35_ggml_q3_k_quantize, sa35_ggml_q3_k_dequantize},
};

const sa35_ggml_traits *sa35_ggml_info(sa35_ggml_type t)
{
    return t >= 0 && t < SA35_GGML_COUNT ? &entries[t].traits : NULL;
}

double sa35_ggml_bits_per_weight(sa35_ggml_type t)
{
    const sa35_ggml_traits *g = &entries[t].traits;
    return 8.0 * (double)g->block_bytes / (double)g->block;
}

size_t sa35_ggml_row_bytes(sa35_ggml_type t, int64_t n)
{
    const sa35_ggml_traits *g = &entries[t].traits;
    return (size_t)(n / g->block) * (size_t)g->block_bytes;
}

void sa35_ggml_quantize_row(sa35_ggml_type t, const float *x, int64_t n,
                            void *blocks)
{
    entries[t].quantize(x, n / entries[t].traits.block, blocks);
}

void sa35_ggml_dequantize_row(sa35_ggml_type t, const void *blocks, int64_t n,
                              float *y)
{
    entries[t].dequantize(blocks, n / entries[t].traits.block, y);
}

int sa35_ggml_quality(const sa35_fview *w, sa35_ggml_type t,
                      sa35_quality *out, sa35_err *err)
{
    const sa35_ggml_traits *g = &entries[t].traits;
    if (w->K < 1 || w->N < 1 || w->K % g->block != 0)
        return sa35_err_set(err, "%s needs K a multiple of its block of %d "
                            "weights, got K=%lld", g->name, (int)g->block,
                            (long long)w->K);
    int64_t bk, bn;
    if (sa35_find_nonfinite(w, &bk, &bn))
        return sa35_err_set(err, "%s weight at W[k=%lld][n=%lld]",
                            isnan(sa35_fview_at(w, bk, bn)) ? "NaN"
                                                            : "infinite",
                            (long long)bk, (long long)bn);
    size_t K = (size_t)w->K;
    float *col = malloc(2 * K * sizeof(float));
    uint8_t *blocks = malloc(sa35_ggml_row_bytes(t, w->K));
    if (!col || !blocks) {
        free(col);
        free(blocks);
        return sa35_err_set(err, "out of memory for a column of %lld "
                                 "weights and its blocks",
                            (long long)w->K);
    }
    float *hat = col + K;
    /* the sums of sa35_quality_measure, column by column, in double */
    double sig = 0.0, e2 = 0.0, maxe = 0.0;
    for (int64_t n = 0; n < w->N; n++) {
        for (int64_t k = 0; k < w->K; k++)
            col[k] = sa35_fview_at(w, k, n);
        sa35_ggml_quantize_row(t, col, w->K, blocks);
        sa35_ggml_dequantize_row(t, blocks, w->K, hat);
        for (size_t k = 0; k < K; k++) {
            double d = (double)col[k] - (double)hat[k];
            sig += (double)col[k] * (double)col[k];
            e2 += d * d;
            if (fabs(d) > maxe)
                maxe = fabs(d);
        }
    }
    free(col);
    free(blocks);
    out->rmse = sqrt(e2 / ((double)w->K * (double)w->N));
    out->sqnr_db = e2 > 0.0 ? 10.0 * log10(sig / e2) : INFINITY;
    out->max_abs_err = maxe;
    out->bits_per_weight = sa35_ggml_bits_per_weight(t);
    return 0;
}
