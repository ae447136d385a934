/* activity_measure.c: register toggle rates measured by the cycle-accurate
 * simulator on a slice of the model's q projection with Gaussian data
 * (sa35_activity.h says how each rate is normalized; docs/power.md,
 * "Measured register activity", says why this workload). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sa35_activity.h"
#include "sa35_sim.h"

void sa35_activity_assumed(double a, sa35_activity *act)
{
    memset(act, 0, sizeof *act);
    act->psum = act->act = act->skew = act->weight = a;
}

double sa35_skew_bits_per_pe(int32_t rows, int32_t cols, int psum_bits,
                             int act_bits)
{
    double R = rows, C = cols;
    return (R * (R - 1) / 2 * act_bits + C * (C - 1) / 2 * psum_bits) /
           (R * C);
}

/* splitmix64 and Box-Muller in double precision, as `sa35 randn`: the
 * same seed gives the same samples on every machine. */
static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void gaussian(float *x, size_t n, double sigma, uint64_t seed)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i += 2) {
        double u1 = ((double)(splitmix64(&s) >> 11) + 1.0) * 0x1p-53;
        double u2 = (double)(splitmix64(&s) >> 11) * 0x1p-53;
        double r = sigma * sqrt(-2.0 * log(u1)), t = 6.283185307179586 * u2;
        x[i] = (float)(r * cos(t));
        if (i + 1 < n)
            x[i + 1] = (float)(r * sin(t));
    }
}

/* The data of the workload: int8 activations and the weights in the
 * format of the PE kind simulated. */
typedef struct data {
    int8_t *A;
    sa35_qweights q;
} data;

static void data_free(data *d)
{
    free(d->A);
    sa35_qweights_free(&d->q);
}

static int make_data(int64_t M, int64_t K, int64_t N, uint64_t seed,
                     sa35_format fmt, data *d, sa35_err *err)
{
    memset(d, 0, sizeof *d);
    float *W = malloc((size_t)(K * N) * sizeof *W);
    float *X = malloc((size_t)(M * K) * sizeof *X);
    float *sa = malloc((size_t)M * sizeof *sa);
    d->A = malloc((size_t)(M * K));
    int rc = (!W || !X || !sa || !d->A)
                 ? sa35_err_set(err, "out of memory for the measurement's "
                                     "data (%lld x %lld activations, %lld x "
                                     "%lld weights)",
                                (long long)M, (long long)K, (long long)K,
                                (long long)N)
                 : 0;
    if (!rc) {
        /* The scales cancel in per-column and per-row quantization; the
         * sigmas are those of a Llama-like init and a normed hidden state. */
        gaussian(W, (size_t)(K * N), 0.02, seed);
        gaussian(X, (size_t)(M * K), 1.0, seed ^ 0xA5A5A5A5A5A5A5A5ull);
        sa35_fview v = {W, K, N, N, 1};
        rc = sa35_quantize_activations(X, M, K, d->A, sa, err) ||
             sa35_quantize(&v, fmt, &d->q, err);
    }
    free(W), free(X), free(sa);
    if (rc)
        data_free(d);
    return rc ? -1 : 0;
}

static double ratio(uint64_t num, double den)
{
    return den > 0 ? (double)num / den : 0;
}

int sa35_activity_measure(const sa35_activity_work *w, sa35_activity *act,
                          sa35_err *err)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(act, 0, sizeof *act);
    const sa35_pe_desc *pe = sa35_pe_info(w->pe);
    if (!pe || w->rows < 1 || w->cols < 1 || w->hidden < 2)
        return sa35_err_set(err, "activity: PE kind %d (%s), a %dx%d array, "
                            "hidden %lld", (int)w->pe, sa35_pe_names(),
                            w->rows, w->cols, (long long)w->hidden);
    sa35_arch a;
    sa35_arch_default(&a);
    a.rows = w->rows, a.cols = w->cols, a.pe = w->pe;
    if (w->load_rows > 0)
        a.load_rows = w->load_rows;
    const int64_t kpr = pe->k_per_row;
    const int64_t kt = (int64_t)SA35_ACTIVITY_K_TILES * kpr * w->rows;
    act->M = w->m < 1 ? 1 : w->m > SA35_ACTIVITY_MAX_M ? SA35_ACTIVITY_MAX_M
                                                       : w->m;
    act->K = w->hidden < kt ? w->hidden : kt;
    act->N = w->hidden < w->cols ? w->hidden : w->cols;
    act->rows = w->rows, act->cols = w->cols;
    act->psum_bits = sa35_arch_psum_bits(&a);
    act->seed = w->seed, act->pe = w->pe, act->measured = 1;
    data d;
    if (make_data(act->M, act->K, act->N, w->seed, pe->fmt, &d, err) != 0)
        return -1;
    int32_t *acc = malloc((size_t)(act->M * act->N) * sizeof *acc);
    sa35_stats st;
    memset(&st, 0, sizeof st);
    int rc = acc ? sa35_sim_gemm(&a, sa35_engine_find("sim"), act->M, act->K, act->N,
                                 d.A, &d.q, acc, NULL, &st, err)
                 : sa35_err_set(err, "out of memory for %lld x %lld "
                                     "accumulators",
                                (long long)act->M, (long long)act->N);
    free(acc);
    if (!rc && !st.has_activity)
        rc = sa35_err_set(err, "activity: the simulator counted no toggles");
    if (!rc) {
        /* a tile's M rows write each data register M + 1 times: the
         * register is cleared after the last (or takes the next tile's
         * first row) */
        const double busy = (double)st.pe_busy_cycles *
                            (double)(act->M + 1) / (double)act->M;
        const int pb = act->psum_bits;
        act->psum = ratio(st.toggles_psum, busy * pb);
        const int ab = 8 * (int)kpr;
        act->act = ratio(st.toggles_act, busy * ab);
        act->skew = ratio(st.toggles_skew,
                          busy * sa35_skew_bits_per_pe(a.rows, a.cols, pb,
                                                       ab));
        act->weight = ratio(st.toggles_weight,
                            2.0 * pe->code_bits * (double)act->K *
                                (double)act->N / (double)kpr);
        act->zero_act = ratio(st.zero_act_operands, (double)st.act_operands);
        act->zero_weight = ratio(st.zero_weight_operands,
                                 (double)st.weight_operands);
    }
    data_free(&d);
    if (rc)
        return -1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    act->seconds = (double)(t1.tv_sec - t0.tv_sec) +
                   1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    snprintf(act->source, sizeof act->source,
             "cycle simulator (sa35_sim_gemm) on %dx%d, L=%d: the q "
             "projection cut to M=%lld K=%lld N=%lld, seed %llu, weights "
             "N(0,0.02^2) quantized to %s on %s PEs, activations N(0,1) to "
             "int8 per row",
             a.rows, a.cols, a.load_rows, (long long)act->M,
             (long long)act->K, (long long)act->N,
             (unsigned long long)w->seed, sa35_format_info(pe->fmt)->name,
             pe->name);
    return 0;
}
