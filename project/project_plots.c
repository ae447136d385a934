/* project_plots.c: the projection's figures: cycles per layer, the
 * roofline with the layers on it, power and Tj over the warm-up, and
 * J/token against weight bits. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "project_internal.h"

int sa35_proj_warmup(const sa35_proj *p, const sa35_power_cfg *pc,
                     int throttle, double **t, double **tj, double **pw,
                     size_t *n, sa35_err *err)
{
    sa35_thermal th = pc->th;
    th.leak_w0 = pc->leak_fraction * p->p_chip_peak_dyn_w;
    double ctot = 0;
    for (int i = 0; i < th.n; i++)
        ctot += th.cap[i];
    size_t k = 2000;
    double dur = 5 * sa35_thermal_theta_total(&th) * ctot, dt = dur / k;
    *t = malloc(k * sizeof **t), *tj = malloc(k * sizeof **tj);
    *pw = malloc(k * sizeof **pw);
    if (!*t || !*tj || !*pw) {
        free(*t), free(*tj), free(*pw);
        return sa35_err_set(err, "out of memory for the %zu-point warm-up",
                            k);
    }
    for (size_t i = 0; i < k; i++)
        (*pw)[i] = p->p_dyn_hot_w, (*t)[i] = (double)(i + 1) * dt;
    sa35_thermal_run run;
    if (sa35_thermal_transient(&th, dt, k, *pw, throttle, *tj, *pw, NULL,
                               &run, err) != 0) {
        free(*t), free(*tj), free(*pw);
        return -1;
    }
    *n = k;
    return 0;
}

static int ceil_div(int64_t a, int64_t b) { return (int)((a + b - 1) / b); }

/* The ops of layer 0 and the per-model ops: indexes into run->res. */
static int shown_ops(const sa35_run *r, int64_t *idx)
{
    int n = 0;
    for (int64_t i = 0; i < r->nres; i++)
        if (r->res[i].layer <= 0)
            idx[n++] = i;
    return n;
}

static int plot_layers(const sa35_proj *p, const char *path, sa35_err *err)
{
    const sa35_run *r = &p->run;
    int64_t *idx = malloc((size_t)r->nops * sizeof *idx);
    double *v = malloc((size_t)r->nops * 3 * sizeof *v);
    const char **lab = malloc((size_t)r->nops * sizeof *lab);
    if (!idx || !v || !lab) {
        free(idx), free(v), free(lab);
        return sa35_err_set(err, "out of memory for %d ops' bars",
                            r->nops);
    }
    int n = shown_ops(r, idx), kpr = sa35_system_k_per_row(&r->sys);
    for (int i = 0; i < n; i++) {
        const sa35_op_result *x = &r->res[idx[i]];
        double busy = (double)(x->cycles - x->stall_cycles), ideal = busy;
        if (x->op->unit == SA35_UNIT_ARRAY) /* rows the array streams */
            ideal = (double)x->op->M *
                    ceil_div(x->op->K, (int64_t)kpr * r->sys.rows) *
                    ceil_div(x->op->N, r->sys.cols);
        if (ideal > busy)
            ideal = busy;
        v[3 * i] = ideal;
        v[3 * i + 1] = (double)x->stall_cycles;
        v[3 * i + 2] = busy - ideal;
        lab[i] = x->op->name;
    }
    static const char *const parts[] = {"compute (rows streamed)",
                                        "stall (operands late)",
                                        "load, fill, drain"};
    int rc = sa35_svg_stacked(path, "Cycles per op of one layer (and the "
                              "per-model ops)", "cycles", lab, n, parts, 3, v,
                              err);
    free(idx), free(v), free(lab);
    return rc;
}

static int plot_roofline(const sa35_proj *p, const char *path, sa35_err *err)
{
    const sa35_run *r = &p->run;
    double f = r->sys.clock_hz, peak = p->peak_tops / r->chips;
    double bwm = p->ridge_macs_per_byte > 0
                     ? peak * 1e12 / 2 / p->ridge_macs_per_byte : 0;
    double rx[64], ry[64];
    for (int i = 0; i < 64; i++) {
        rx[i] = pow(10.0, -1 + 7.0 * i / 63);
        ry[i] = fmin(peak, 2 * bwm * rx[i] / 1e12);
    }
    int64_t *idx = malloc((size_t)r->nops * sizeof *idx);
    double *x = malloc((size_t)r->nops * 2 * sizeof *x);
    const char **lab = malloc((size_t)r->nops * sizeof *lab);
    if (!idx || !x || !lab) {
        free(idx), free(x), free(lab);
        return sa35_err_set(err, "out of memory for %d ops' roofline "
                            "points", r->nops);
    }
    int n = shown_ops(r, idx), k = 0;
    for (int i = 0; i < n; i++) {
        const sa35_op_result *o = &r->res[idx[i]];
        if (o->op->unit != SA35_UNIT_ARRAY || !o->cycles)
            continue;
        double macs = (double)o->op->M * o->op->K * o->op->N;
        double bytes = (double)(o->dram_bytes ? o->dram_bytes : o->sram_bytes);
        if (!(bytes > 0))
            continue;
        x[k] = macs / bytes;
        x[n + k] = 2 * macs * f / (double)o->cycles / 1e12;
        lab[k++] = o->op->name;
    }
    sa35_svg_series s[2] = {
        {"roof (one chip)", rx, ry, 64, SA35_SVG_LINE, NULL},
        {"ops of a layer", x, x + n, (size_t)k, SA35_SVG_POINTS, lab},
    };
    sa35_svg_axes ax = {"Roofline: attained TOPS per chip",
                        r->sys.dram_bytes_per_cycle > 0
                            ? "MACs per off-chip byte"
                            : "MACs per SRAM byte",
                        "TOPS", 1, 1};
    int rc = sa35_svg_xy(path, &ax, s, k ? 2 : 1, err);
    free(idx), free(x), free(lab);
    return rc;
}

static int plot_heat(const sa35_proj *p, const sa35_power_cfg *pc,
                     int throttle, const char *ppath, const char *tpath,
                     sa35_err *err)
{
    double *t, *tj, *pw;
    size_t n;
    if (sa35_proj_warmup(p, pc, throttle, &t, &tj, &pw, &n, err) != 0)
        return -1;
    sa35_svg_series st = {"junction, hottest chip", t, tj, n, SA35_SVG_LINE,
                          NULL};
    sa35_svg_series sp = {"hottest chip (dynamic + leakage)", t, pw, n,
                          SA35_SVG_LINE, NULL};
    sa35_svg_axes at = {"Junction temperature from a cold start", "s", "C",
                        0, 0};
    sa35_svg_axes ap = {"Power from a cold start", "s", "W", 0, 0};
    int rc = sa35_svg_xy(tpath, &at, &st, 1, err) ||
             sa35_svg_xy(ppath, &ap, &sp, 1, err);
    free(t), free(tj), free(pw);
    return rc ? -1 : 0;
}

static int plot_bits(const sa35_proj *p, int np, const char *path,
                     sa35_err *err)
{
    double x[8], y[8];
    int k = 0;
    for (int i = 0; i < np && k < 8; i++)
        if (p[i].ok && isfinite(p[i].j_per_token))
            x[k] = p[i].bits_stored, y[k++] = p[i].j_per_token;
    for (int i = 1; i < k; i++) /* sort by bits for the line */
        for (int j = i; j > 0 && x[j] < x[j - 1]; j--) {
            double a = x[j], b = y[j];
            x[j] = x[j - 1], y[j] = y[j - 1], x[j - 1] = a, y[j - 1] = b;
        }
    if (k == 0) /* every format ran away thermally or could not run */
        return sa35_svg_note(path, "Energy per token against weight bits",
                             "no format has a finite J/token (thermal "
                             "runaway or not run: see project.md)", err);
    sa35_svg_series s = {"J/token", x, y, (size_t)k, SA35_SVG_POINTS,
                         NULL};
    sa35_svg_axes ax = {"Energy per token against weight bits", "bits per "
                        "weight, scales included", "J/token", 0, 0};
    return sa35_svg_xy(path, &ax, &s, 1, err);
}

int proj_plots(const sa35_proj *p, int np, const sa35_power_cfg *pc,
               const sa35_proj_opts *o, const sa35_outdir *od, sa35_err *err)
{
    if (!p[0].ok)
        return 0;
    static const char *const names[5] = {"layers.svg", "roofline.svg",
                                         "power_time.svg", "tj_time.svg",
                                         "energy_bits.svg"};
    char path[5][4400];
    for (int i = 0; i < 5; i++)
        if (sa35_outdir_path(od, names[i], path[i], sizeof path[i], err))
            return -1;
    if (plot_layers(&p[0], path[0], err) ||
        plot_roofline(&p[0], path[1], err) ||
        plot_heat(&p[0], pc, o->throttle, path[2], path[3], err) ||
        plot_bits(p, np, path[4], err))
        return -1;
    return 0;
}
