/* sim_test_util.h: what the simulator, timing and compiler tests share:
 * random weights of every PE kind and activations with the worst corners,
 * and one GEMM
 * run through the compiler, the cycle-accurate simulator, the functional
 * executor and the timing model. */
#ifndef SA35_SIM_TEST_UTIL_H
#define SA35_SIM_TEST_UTIL_H

#include "sa35_compiler.h"
#include "sa35_sim.h"
#include "test_util.h"

/* The code of PE kind `pe` with the most negative weight sum whose
 * weights i >= keep are 0 (padded k): -128 x it is the largest product. */
static inline uint32_t simt_extreme_code(const sa35_pe_desc *pe,
                                         uint32_t keep)
{
    uint32_t best = 0;
    int32_t low = 0;
    for (uint32_t code = 0; code < (1u << pe->code_bits); code++) {
        int8_t w[2];
        pe->unpack(code, w);
        if (keep < 2 && w[1] != 0)
            continue;
        if (w[0] + w[1] < low)
            low = w[0] + w[1], best = code;
    }
    return best;
}

/* Random codes for PE kind `pe` (q in its format); mode 1: every code the
 * extreme one (sa35: e = -8, 2c = -8), mode 0: random with the extremes
 * over-represented. Padded k positions hold weight 0. */
static inline void simt_weights_pe(sa35_qweights *q, sa35_pe_kind kind,
                                   int64_t K, int64_t N, int mode,
                                   uint64_t *rng)
{
    sa35_err err;
    const sa35_pe_desc *pe = sa35_pe_info(kind);
    const uint32_t W = pe->code_bits, kpr = pe->k_per_row;
    if (sa35_qweights_alloc(q, pe->fmt, K, N, &err))
        abort();
    const uint32_t full = simt_extreme_code(pe, kpr),
                   part = simt_extreme_code(pe, 1);
    for (int64_t n = 0; n < N; n++) {
        uint8_t *col = q->qweight + (size_t)n * q->colbytes;
        for (int64_t g = 0; (int64_t)kpr * g < K; g++) {
            /* weights of this PE row that are real k (the rest padding) */
            uint32_t keep = K - (int64_t)kpr * g < (int64_t)kpr
                                ? (uint32_t)(K - (int64_t)kpr * g)
                                : kpr;
            uint32_t code = keep == kpr ? full : part;
            if (!mode && test_rand_range(rng, 0, 3) != 0) {
                int8_t w[2];
                do { /* a random code with zero weights in the padding */
                    code = (uint32_t)test_rand_range(rng, 0,
                                                     (1 << W) - 1);
                    pe->unpack(code, w);
                } while (keep < 2 && w[1] != 0);
            }
            sa35_stream_store(col, W * (uint32_t)g, W, code);
        }
        q->scale[n] = 1.0f;
        q->zero[n] = 0.0f;
    }
}

/* Group-scaled weights for the engines: the codes of simt_weights_pe, in
 * groups of G k-values with random binary16 scales and zeros (signed
 * zeros, zero scales and large values among them). G need not be a
 * multiple of 16 here: the golden model and the engines are defined for
 * any G (the quantizer only makes multiples of 16), and tiles of every
 * depth are what the engines must get right. */
static inline void simt_weights_group(sa35_qweights *q, sa35_pe_kind kind,
                                      int64_t K, int64_t N, int64_t G,
                                      int mode, uint64_t *rng)
{
    simt_weights_pe(q, kind, K, N, mode, rng);
    const int32_t ng = (int32_t)((K + G - 1) / G);
    float *s = malloc((size_t)N * (size_t)ng * sizeof *s),
          *z = malloc((size_t)N * (size_t)ng * sizeof *z);
    if (!s || !z)
        abort();
    for (size_t i = 0; i < (size_t)N * (size_t)ng; i++) {
        int64_t pick = test_rand_range(rng, 0, 15);
        float sv = pick == 0 ? 0.0f
                   : pick == 1 ? 60000.0f /* near binary16's top */
                               : 4.0f * (test_rand_unit(rng) + 1.0f);
        float zv = pick == 2 ? -0.0f
                   : pick == 3 ? 0.0f
                               : 8.0f * test_rand_unit(rng);
        s[i] = sa35_f16_to_f32(sa35_f32_to_f16(sv)); /* binary16 values */
        z[i] = sa35_f16_to_f32(sa35_f32_to_f16(zv));
    }
    free(q->scale);
    free(q->zero);
    q->scale = s, q->zero = z;
    q->group = (int32_t)G, q->ngroups = ng;
}

/* The same for SA35 weights (the default PE kind). */
static inline void simt_weights(sa35_qweights *q, int64_t K, int64_t N,
                                int mode, uint64_t *rng)
{
    simt_weights_pe(q, SA35_PE_SA35, K, N, mode, rng);
}

/* Random int8 activations; mode 1: all -128. Some zeros. */
static inline void simt_acts(int8_t *A, int64_t count, int mode,
                             uint64_t *rng)
{
    for (int64_t i = 0; i < count; i++) {
        int64_t v = test_rand_range(rng, -128, 127);
        if (test_rand_range(rng, 0, 7) == 0)
            v = 0;
        if (test_rand_range(rng, 0, 7) == 0)
            v = -128;
        A[i] = (int8_t)(mode ? -128 : v);
    }
}

/* Every engine of the library on one GEMM (ggml's test-backend-ops:
 * each backend against the reference). */
#define SIMT_MAX_ENGINES 8
typedef struct simt_result {
    size_t n;
    const sa35_engine *eng[SIMT_MAX_ENGINES];
    sa35_stats st[SIMT_MAX_ENGINES];
    int32_t *acc[SIMT_MAX_ENGINES]; /* M x N; NULL: the engine has no data */
    int32_t *acc_golden;
    char why[256];                   /* simt_check: the first difference   */
} simt_result;

static inline void simt_free(simt_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->acc[i]);
    free(r->acc_golden);
}

/* The stats and accumulators of the engine called name (NULL: not run). */
static inline const sa35_stats *simt_stats(const simt_result *r,
                                           const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->eng[i]->name, name) == 0)
            return &r->st[i];
    return NULL;
}
static inline const int32_t *simt_acc(const simt_result *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->eng[i]->name, name) == 0)
            return r->acc[i];
    return NULL;
}

/* Compile one GEMM and run it on every registered engine (sa35_engines;
 * without `all`, not the slow sim-scalar and sim-ref), its activations
 * and outputs where io says. Returns 0, or -1 with err. */
static inline int simt_run_io(const sa35_arch *arch0, const int8_t *A,
                              int64_t M, const sa35_qweights *q, int all,
                              sa35_gemm_io io, simt_result *r, sa35_err *err)
{
    memset(r, 0, sizeof *r);
    size_t out = (size_t)(M * q->N) * sizeof(int32_t);
    r->acc_golden = calloc(1, out);
    int rc = 0;
    for (const sa35_engine *const *e = sa35_engines(); *e && !rc; e++) {
        if (!all && (!strcmp((*e)->name, "sim-scalar") ||
                     !strcmp((*e)->name, "sim-ref")))
            continue;
        if (r->n == SIMT_MAX_ENGINES)
            abort();
        size_t i = r->n++;
        r->eng[i] = *e;
        int data = ((*e)->produces & SA35_PRODUCES_DATA) != 0;
        r->acc[i] = data ? calloc(1, out) : NULL;
        rc = sa35_sim_gemm_io(arch0, *e, M, q->K, q->N, q->group, io, A, q,
                              r->acc[i], NULL, &r->st[i], err);
        if (rc)
            sa35_err_prefix(err, (*e)->name);
    }
    sa35_gemm_acc(A, M, q, r->acc_golden, NULL);
    return rc;
}

/* The same with A and the outputs off-chip, as a GEMM run on its own. */
static inline int simt_run(const sa35_arch *arch0, const int8_t *A,
                           int64_t M, const sa35_qweights *q, int all,
                           simt_result *r, sa35_err *err)
{
    return simt_run_io(arch0, A, M, q, all, SA35_GEMM_IO_DRAM, r, err);
}

/* Every engine's products against their references: accumulators against
 * the golden model, cycles and TIMING counters against the timing model,
 * DATA counters against the reference array (sim-ref) when it ran, else
 * the first engine that counts them. Returns 1 if all agree; else 0 and
 * r->why names the engine and what differs. */
static inline int simt_check(simt_result *r, int64_t M, int64_t N)
{
    const sa35_stats *tref = simt_stats(r, "timing"), *aref =
                                                         simt_stats(r,
                                                                    "sim-ref");
    for (size_t i = 0; !aref && i < r->n; i++)
        if (r->eng[i]->produces & SA35_PRODUCES_ACTIVITY)
            aref = &r->st[i];
    const size_t bytes = (size_t)(M * N) * sizeof(int32_t);
    for (size_t i = 0; i < r->n; i++) {
        const sa35_engine *e = r->eng[i];
        const sa35_stats *st = &r->st[i];
        const sa35_stat_desc *d = NULL;
        if ((e->produces & SA35_PRODUCES_DATA) &&
            memcmp(r->acc[i], r->acc_golden, bytes)) {
            snprintf(r->why, sizeof r->why, "%s: accumulators differ from "
                     "the golden model", e->name);
            return 0;
        }
        if ((e->produces & SA35_PRODUCES_CYCLES) && tref &&
            st->cycles != tref->cycles) {
            snprintf(r->why, sizeof r->why, "%s: %llu cycles, the timing "
                     "model %llu", e->name, (unsigned long long)st->cycles,
                     (unsigned long long)tref->cycles);
            return 0;
        }
        if ((e->produces & SA35_PRODUCES_TIMING) && tref &&
            (d = sa35_stats_diff(st, tref, SA35_STAT_TIMING))) {
            snprintf(r->why, sizeof r->why, "%s: %s %llu, the timing model "
                     "%llu", e->name, d->name,
                     (unsigned long long)sa35_stat_value(st, d),
                     (unsigned long long)sa35_stat_value(tref, d));
            return 0;
        }
        if ((e->produces & SA35_PRODUCES_ACTIVITY) && aref &&
            (!st->has_activity ||
             (d = sa35_stats_diff(st, aref, SA35_STAT_DATA)))) {
            snprintf(r->why, sizeof r->why, "%s: %s %llu, the reference "
                     "%llu", e->name, d ? d->name : "has_activity",
                     d ? (unsigned long long)sa35_stat_value(st, d) : 0ull,
                     d ? (unsigned long long)sa35_stat_value(aref, d) : 1ull);
            return 0;
        }
    }
    return 1;
}

#endif
