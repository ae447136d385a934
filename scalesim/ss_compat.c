/* ss_compat.c: SCALE-Sim v2's numbers in closed form, for a run in which
 * no operand arrives late. v2 builds per-fold demand matrices and walks
 * them cycle by cycle; with nothing late, each fold takes
 *     os:      T + R + C - 2        (T rows streamed, fill, drain)
 *     ws, is:  2R + C + T - 2       (R more: the stationary operand's load)
 * and v2 reports the last demand row's index: folds x per-fold - 1.
 * Sr x Sc is the operand mapped on the array and T the streamed length:
 *     os: Sr = ofmap pixels, Sc = filters, T = window
 *     ws: Sr = window,       Sc = filters, T = ofmap pixels
 *     is: Sr = window,       Sc = ofmap pixels, T = filters
 * The utilisation figures repeat v2's arithmetic operation by operation
 * (per-fold values summed in v2's fold order), so they match to the last
 * bit; the SRAM counts follow v2's bookkeeping, including os's extra
 * R + C per fold in the OFMAP writes. docs/scalesim.md checks all of it
 * against SCALE-Sim's own golden reports. */
#include <math.h>
#include <string.h>

#include "ss_internal.h"

typedef struct folds {
    int64_t Sr, Sc, T, R, C, rf, cf, nf, per_fold;
} folds;

/* Checked arithmetic for the report's counts (sa35_mul_i64 and
 * sa35_add_i64); *bad names the first figure that did not fit. */
typedef struct checked {
    const char *bad;
} checked;

static int64_t mul(checked *k, int64_t a, int64_t b, const char *what)
{
    int64_t r = 0;
    if (!k->bad && sa35_mul_i64(a, b, &r))
        k->bad = what;
    return r;
}

static int64_t add(checked *k, int64_t a, int64_t b, const char *what)
{
    int64_t r = 0;
    if (!k->bad && sa35_add_i64(a, b, &r))
        k->bad = what;
    return r;
}

static void folds_of(const sa35_ss_config *c, int64_t px, int64_t filt,
                     int64_t win, folds *f, checked *k)
{
    f->R = c->rows, f->C = c->cols;
    switch (c->dataflow) {
    case SA35_SS_OS: f->Sr = px, f->Sc = filt, f->T = win; break;
    case SA35_SS_WS: f->Sr = win, f->Sc = filt, f->T = px; break;
    default: f->Sr = win, f->Sc = px, f->T = filt; break;
    }
    f->rf = ss_ceil_div(f->Sr, f->R);
    f->cf = ss_ceil_div(f->Sc, f->C);
    f->nf = mul(k, f->rf, f->cf, "the folds");
    /* T + R + C - 2 (os) or 2R + C + T - 2; R, C <= 65535 */
    f->per_fold = add(k, f->T, c->dataflow == SA35_SS_OS
                                   ? f->R + f->C - 2
                                   : 2 * f->R + f->C - 2,
                      "the cycles per fold");
}

/* a * b / (c * d) as v2 computes it, exact integers divided once, when
 * the products fit in 64 bits; in doubles when they do not (the last
 * digits may then differ from v2's, which could not run such a layer). */
static double ratio(int64_t a, int64_t b, int64_t c, int64_t d)
{
    int64_t n, m;
    if (!sa35_mul_i64(a, b, &n) && !sa35_mul_i64(c, d, &m))
        return (double)n / (double)m;
    return (double)a * (double)b / ((double)c * (double)d);
}

/* Python's sum() of floats: CPython 3.12 and later use Neumaier's
 * compensated summation (the correction added once at the end), older
 * ones add left to right. SCALE-Sim's golden reports were made with both
 * (its GEMM goldens with the first, its alexnet golden with the second),
 * and the last digits of the averages differ. */
typedef struct pysum {
    double s, c;
    int naive;
} pysum;

static void pysum_add(pysum *p, double x)
{
    if (p->naive) {
        p->s += x;
        return;
    }
    double t = p->s + x;
    if (fabs(p->s) >= fabs(x))
        p->c += (p->s - t) + x;
    else
        p->c += (x - t) + p->s;
    p->s = t;
}

static double pysum_value(const pysum *p)
{
    return p->c != 0.0 && isfinite(p->c) ? p->s + p->c : p->s;
}

static int64_t used(int64_t total, int64_t i, int64_t size)
{
    return total - i * size < size ? total - i * size : size;
}

/* Where the first and last valid request of each operand sits when nothing
 * stalls (reads are served one cycle after their demand row, v2's SRAM hit
 * latency; writes in their row). */
static void start_stop(const sa35_ss_config *c, const folds *f,
                       sa35_ss_result *r)
{
    /* every stop row is at most folds x per-fold, which the caller checked
     * (with room for the read latency's + 1) */
    int64_t R = f->R, C = f->C, T = f->T;
    int64_t last = (f->nf - 1) * f->per_fold;
    int64_t r0 = used(f->Sr, 0, R), rl = used(f->Sr, f->rf - 1, R);
    int64_t cl = used(f->Sc, f->cf - 1, C);
    int64_t s[3], e[3]; /* demand rows: ifmap, filter, ofmap */
    switch (c->dataflow) {
    case SA35_SS_OS:
        s[0] = 0, e[0] = last + T - 1 + rl - 1;
        s[1] = 0, e[1] = last + T - 1 + cl - 1;
        s[2] = T - 1 + R - r0, e[2] = last + T - 1 + R - 1 + cl - 1;
        break;
    case SA35_SS_WS:
        s[0] = R, e[0] = last + R + T - 1 + rl - 1;
        s[1] = R - r0, e[1] = last + R - 1;
        s[2] = 2 * R - 1, e[2] = last + 2 * R - 1 + T - 1 + cl - 1;
        break;
    default:
        s[0] = R - r0, e[0] = last + R - 1;
        s[1] = R, e[1] = last + R + T - 1 + rl - 1;
        s[2] = 2 * R - 1, e[2] = last + 2 * R - 1 + T - 1 + cl - 1;
        break;
    }
    for (int i = 0; i < 3; i++) {
        int lat = i < 2; /* reads */
        r->sram_start[i] = (double)(s[i] + lat);
        r->sram_stop[i] = (double)(e[i] + lat);
    }
}

/* sa35's estimate, not v2's trace-driven buffers (docs/scalesim.md). The
 * counts are the IFMAP, the window x filters and the OFMAP, each of which
 * sa35_ss_layer_dims found to fit. */
void ss_dram_estimate(const sa35_ss_layer *l, int64_t px, int64_t filt,
                      int64_t win, sa35_ss_result *r)
{
    r->dram_count[0] = l->ifmap_h * l->ifmap_w * l->channels;
    r->dram_count[1] = win * filt;
    r->dram_count[2] = px * filt;
    for (int i = 0; i < 3; i++) {
        r->dram_start[i] = 0.0;
        r->dram_stop[i] = (double)r->total_cycles;
        r->dram_bw[i] = (double)r->dram_count[i] /
                        (r->dram_stop[i] - r->dram_start[i] + 1.0);
        r->sram_bw[i] = (double)r->sram_count[i] / (double)r->total_cycles;
    }
}

/* v2's per-fold averages, summed as its Python does, fold by fold; past
 * SS_FOLDS_SUMMED folds the exact averages in closed form: the folds'
 * used PEs add up to Sr x Sc. */

static void averages(const folds *f, int64_t fold_cycles, sa35_ss_pysum sum,
                     sa35_ss_result *r)
{
    int64_t RC = f->R * f->C;
    if (f->nf > SS_FOLDS_SUMMED) {
        double used = (double)f->Sr * (double)f->Sc;
        r->mapping_eff = used / ((double)RC * (double)f->nf) * 100;
        r->compute_util = used * (double)f->T /
                          ((double)RC * (double)fold_cycles *
                           (double)f->nf) * 100;
        return;
    }
    int naive = sum == SA35_SS_SUM_PY311;
    pysum map_sum = {0, 0, naive}, util_sum = {0, 0, naive};
    for (int64_t fc = 0; fc < f->cf; fc++)
        for (int64_t fr = 0; fr < f->rf; fr++) {
            int64_t mac_used = used(f->Sr, fr, f->R) * used(f->Sc, fc, f->C);
            pysum_add(&map_sum, (double)mac_used / (double)RC);
            pysum_add(&util_sum, ratio(mac_used, f->T, RC, fold_cycles));
        }
    r->mapping_eff = pysum_value(&map_sum) / (double)f->nf * 100;
    r->compute_util = pysum_value(&util_sum) / (double)f->nf * 100;
}

int sa35_ss_compat(const sa35_ss_config *c, const sa35_ss_layer *l,
                   sa35_ss_pysum sum, sa35_ss_result *r, sa35_err *err)
{
    memset(r, 0, sizeof *r);
    int64_t px, filt, win;
    if (sa35_ss_layer_dims(l, &px, &filt, &win, err))
        return -1;
    checked k = {NULL};
    folds f;
    folds_of(c, px, filt, win, &f, &k);
    /* v2's last demand row; the stop cycles reach one past it */
    int64_t rows = mul(&k, f.nf, f.per_fold, "the total cycles");
    add(&k, rows, 1, "the total cycles");
    r->total_cycles = rows - 1;
    r->stall_cycles = 0;
    /* v2: (num_compute * 100) / (total_cycles * num_mac_unit), exact
     * integers divided once; the MACs fit (sa35_ss_layer_dims) */
    r->overall_util = ratio(px * filt * win, 100, r->total_cycles, f.R * f.C);
    /* v2's per-fold cycles for compute utilisation: the demand matrix's
     * rows + columns - 1 (ws and is count C twice) */
    int64_t fold_cycles = c->dataflow == SA35_SS_OS
                              ? f.per_fold
                              : add(&k, f.per_fold, f.C - 1,
                                    "the cycles per fold");
    switch (c->dataflow) {
    case SA35_SS_OS:
        r->sram_count[0] = mul(&k, mul(&k, f.cf, f.T, "IFMAP reads"), f.Sr,
                               "IFMAP reads");
        r->sram_count[1] = mul(&k, mul(&k, f.rf, f.T, "filter reads"), f.Sc,
                               "filter reads");
        r->sram_count[2] = add(&k, f.Sr * f.Sc,
                               mul(&k, f.nf, f.R + f.C, "OFMAP writes"),
                               "OFMAP writes");
        break;
    case SA35_SS_WS:
        r->sram_count[0] = mul(&k, mul(&k, f.cf, f.T, "IFMAP reads"), f.Sr,
                               "IFMAP reads");
        r->sram_count[1] = f.Sr * f.Sc;
        r->sram_count[2] = mul(&k, mul(&k, f.rf, f.T, "OFMAP writes"), f.Sc,
                               "OFMAP writes");
        break;
    default:
        r->sram_count[0] = f.Sr * f.Sc;
        r->sram_count[1] = mul(&k, mul(&k, f.cf, f.T, "filter reads"), f.Sr,
                               "filter reads");
        r->sram_count[2] = mul(&k, mul(&k, f.rf, f.T, "OFMAP writes"), f.Sc,
                               "OFMAP writes");
        break;
    }
    if (k.bad) {
        memset(r, 0, sizeof *r);
        return sa35_err_set(err, "layer '%s': %s exceed 2^63 on a %lldx%lld "
                                 "array (SCALE-Sim's counts are integers)",
                            l->name, k.bad, (long long)f.R, (long long)f.C);
    }
    averages(&f, fold_cycles, sum, r);
    start_stop(c, &f, r);
    ss_dram_estimate(l, px, filt, win, r);
    return 0;
}
