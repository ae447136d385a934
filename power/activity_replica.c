/* activity_replica.c: the psum and weight register toggles of a GEMM on a
 * weight-stationary array, from the data alone. The cycle simulator runs
 * SA35 pairs only; this lets the 4- and 8-bit pairs the projection puts on
 * the same array be counted with the same rules (sa35_activity.h). It
 * drops the simulator's timing: a tile's rows are taken as passing each PE
 * back to back between cleared registers, which is what the simulator does
 * whenever consecutive mms do not abut (tests/test_power_activity.c
 * compares the two at 3.5 bits). */
#include <stdlib.h>
#include <string.h>

#include "sa35_activity.h"

/* SWAR, not __builtin_popcount: without -mpopcnt that is a libgcc call
 * (the simulator's cyc_popcount32 says the same). */
static int popcount32(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    return (int)((x * 0x01010101u) >> 24);
}

/* The register contents of PE row p's pair in column n: the SA35 7-bit
 * code as stored, else the two signed codes side by side. */
static uint32_t pair_code(const sa35_qweights *q, int64_t p, int64_t n,
                          int code_bits)
{
    if (2 * p >= q->K || n >= q->N)
        return 0; /* the load engine writes code 0 past the tile */
    if (q->fmt == SA35_FMT_SA35)
        return sa35_pair_code(q->qweight + (size_t)n * q->colbytes,
                              (int32_t)p);
    uint32_t m = (1u << code_bits) - 1u;
    uint32_t w0 = (uint32_t)sa35_qweights_code(q, (int32_t)(2 * p),
                                               (int32_t)n);
    uint32_t w1 = 2 * p + 1 < q->K
                      ? (uint32_t)sa35_qweights_code(q, (int32_t)(2 * p + 1),
                                                     (int32_t)n)
                      : 0;
    return (w0 & m) << code_bits | (w1 & m);
}

/* One column of one tile: every PE row's psum over the M rows. */
static uint64_t column_psum(const int8_t *A, int64_t M, const sa35_qweights *q,
                            int64_t n, int64_t p0, int32_t rows,
                            uint32_t mask, int32_t *P)
{
    const int64_t K = q->K;
    uint64_t flips = 0;
    memset(P, 0, (size_t)M * sizeof *P);
    for (int32_t r = 0; r < rows; r++) {
        int64_t k0 = 2 * (p0 + r);
        if (k0 < K && n < q->N) { /* rows past K pass the psum down */
            int32_t w0 = sa35_qweights_code(q, (int32_t)k0, (int32_t)n);
            int32_t w1 = k0 + 1 < K ? sa35_qweights_code(q, (int32_t)(k0 + 1),
                                                         (int32_t)n)
                                    : 0;
            for (int64_t m = 0; m < M; m++)
                P[m] += A[m * K + k0] * w0 +
                        (k0 + 1 < K ? A[m * K + k0 + 1] * w1 : 0);
        }
        uint32_t prev = 0; /* from a cleared register, back to one */
        for (int64_t m = 0; m < M; m++) {
            flips += (uint64_t)popcount32(((uint32_t)P[m] ^ prev) & mask);
            prev = (uint32_t)P[m];
        }
        flips += (uint64_t)popcount32(prev & mask);
    }
    return flips;
}

int sa35_toggle_replica(const int8_t *A, int64_t M, const sa35_qweights *q,
                        int32_t rows, int32_t cols, int psum_bits,
                        int code_bits, sa35_replica_counts *out,
                        sa35_err *err)
{
    memset(out, 0, sizeof *out);
    if (M < 1 || rows < 1 || cols < 1 || psum_bits < 1 || psum_bits > 32 ||
        code_bits < 1 || code_bits > 15)
        return sa35_err_set(err, "toggle replica: bad shape");
    const int64_t pairs = ((int64_t)q->K + 1) / 2;
    const int64_t ktiles = (pairs + rows - 1) / rows;
    const int64_t ntiles = ((int64_t)q->N + cols - 1) / cols;
    const size_t pes = (size_t)rows * (size_t)cols;
    const uint32_t mask = psum_bits == 32 ? 0xFFFFFFFFu
                                          : (1u << psum_bits) - 1u;
    int32_t *P = malloc((size_t)M * sizeof *P);
    uint32_t *shadow = calloc(pes, sizeof *shadow);
    uint32_t *active = calloc(pes, sizeof *active);
    if (!P || !shadow || !active) {
        free(P), free(shadow), free(active);
        return sa35_err_set(err, "out of memory");
    }
    for (int64_t nt = 0; nt < ntiles; nt++)
        for (int64_t kt = 0; kt < ktiles; kt++) {
            int64_t p0 = kt * rows;
            int64_t krows = pairs - p0 < rows ? pairs - p0 : rows;
            /* ldw: the tile's rows into the shadow; then the swap */
            for (int64_t r = 0; r < krows; r++)
                for (int32_t c = 0; c < cols; c++) {
                    uint32_t v = pair_code(q, p0 + r, nt * cols + c,
                                           code_bits);
                    size_t i = (size_t)r * (size_t)cols + (size_t)c;
                    out->weight += (uint64_t)popcount32(v ^ shadow[i]);
                    shadow[i] = v;
                }
            for (size_t i = 0; i < pes; i++) {
                out->weight += (uint64_t)popcount32(active[i] ^ shadow[i]);
                active[i] = shadow[i];
            }
            for (int32_t c = 0; c < cols; c++)
                out->psum += column_psum(A, M, q, nt * cols + c, p0, rows,
                                         mask, P);
            int64_t tc = q->N - nt * cols < cols ? q->N - nt * cols : cols;
            out->busy += (uint64_t)(M * krows * tc);
        }
    for (int64_t n = 0; n < q->N; n++)
        for (int64_t k = 0; k < q->K; k++) {
            out->weights++;
            out->zero_weights += sa35_qweights_code(q, (int32_t)k,
                                                    (int32_t)n) == 0;
        }
    free(P), free(shadow), free(active);
    return 0;
}
