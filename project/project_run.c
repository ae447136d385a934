/* project_run.c: one model run turned into joules, watts per chip and a
 * junction temperature; see docs/power.md ("Projection") for each rule. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "project_internal.h"
#include "sa35_isa.h"

typedef struct costs {
    double mac, toggle_per_write, wload_bit, vec_fp16, vec_int8, sram_byte;
    double scale_term; /* one group's t and its accumulate, float32       */
} costs;

static int op_costs(const sa35_ptables *ts, const sa35_energy_model *em,
                    const sa35_system *s, const sa35_pe_shape *sh,
                    const sa35_activity *act, costs *c, sa35_err *err)
{
    const sa35_ptable *h = &ts->horowitz;
    double a16 = 0, m16 = 0, a32 = 0, m32 = 0, ai32 = 0;
    if (sa35_ptable_get(h, "add_fp16_pj", &a16, err) ||
        sa35_ptable_get(h, "mul_fp16_pj", &m16, err) ||
        sa35_ptable_get(h, "add_fp32_pj", &a32, err) ||
        sa35_ptable_get(h, "mul_fp32_pj", &m32, err) ||
        sa35_ptable_get(h, "add_int32_pj", &ai32, err))
        return -1;
    c->mac = sa35_pe_mac_pj(em, sh);
    /* data registers written per busy PE-cycle and row: the partial sum,
     * the activation pair, and the PE's share of the skew and de-skew
     * registers; each bit flips with its class's rate */
    double skew = sa35_skew_bits_per_pe(s->rows, s->cols, sh->psum_bits,
                                        8 * sh->kpr);
    c->toggle_per_write = (act->psum * sh->psum_bits +
                           act->act * 8 * sh->kpr + act->skew * skew) *
                          em->ff_toggle_pj;
    /* a weight bit is written twice: shadow, then active at the swap */
    c->wload_bit = 2 * act->weight * em->ff_toggle_pj;
    c->vec_fp16 = (a16 + m16) * em->scale_from_45; /* a multiply-add */
    c->vec_int8 = sa35_energy_mul_pj(em, 8, 8) + sa35_energy_add_pj(em, 32);
    /* group scaling (docs/format.md): t = fl(fl(s psum) + fl(z rsum)) and
     * a = fl(a + t), two float32 multiplies and two adds, in place of the
     * int32 accumulate a per-column column does */
    c->scale_term = (2 * m32 + 2 * a32 - ai32) * em->scale_from_45;
    double macro = s->sram_banks > 0 ? (double)s->sram_bytes / s->sram_banks
                                     : (double)s->sram_bytes;
    c->sram_byte = sa35_energy_sram_pj_per_byte(em, macro);
    return 0;
}

/* Energy of every op result (pJ) into e[i], the step's split into p->e. */
static void step_energy(sa35_proj *p, const sa35_energy_model *em,
                        const costs *c, const sa35_pe_shape *sh, int gating,
                        double *e)
{
    const sa35_run *run = &p->run;
    const sa35_system *s = &run->sys;
    double pes = (double)s->rows * s->cols, cb = sa35_pe_clock_bits(sh);
    sa35_power_events ev;
    memset(&ev, 0, sizeof ev);
    for (int64_t i = 0; i < run->nres; i++) {
        const sa35_op_result *x = &run->res[i];
        const sa35_op *op = x->op;
        double sram = (double)x->sram_bytes, dram = (double)x->dram_bytes;
        double pj = 0;
        if (op->unit == SA35_UNIT_ARRAY) {
            double macs = (double)op->M * op->K * op->N;
            double busy = macs / sh->kpr;
            double wload = (double)op->K * op->N * sh->pair_bits / sh->kpr;
            p->macs += macs;
            pj += macs * c->mac;
            p->e.mac_j += macs * c->mac * 1e-12;
            if (s->group) { /* a term per output, per group */
                double terms = (double)op->M * op->N *
                               (double)((op->K + s->group - 1) / s->group);
                pj += terms * c->scale_term;
                p->scale_j += terms * c->scale_term * 1e-12;
            }
            /* M rows write each data register M + 1 times: it is
             * cleared after the last (sa35_activity.h) */
            double writes = busy * (double)(op->M + 1) / (double)op->M;
            double tog = writes * c->toggle_per_write + wload * c->wload_bit;
            pj += tog;
            p->e.reg_j += tog * 1e-12;
            if (gating) {
                double clk = (double)x->cycles * pes * cb * em->ff_clock_pj;
                pj += clk;
                p->e.clock_j += clk * 1e-12;
            }
        } else {
            double v = (double)op->work *
                       (op->vkind == SA35_V_INT8 ? c->vec_int8 : c->vec_fp16);
            pj += v;
            p->vector_j += v * 1e-12;
        }
        pj += sram * c->sram_byte + dram * em->offchip_pj_per_byte;
        p->e.sram_j += sram * c->sram_byte * 1e-12;
        p->e.offchip_j += dram * em->offchip_pj_per_byte * 1e-12;
        e[i] = pj;
    }
    if (!gating) { /* every chip's array clocked for the whole step */
        double clk = (double)run->cycles * run->chips * pes * cb *
                     em->ff_clock_pj;
        p->e.clock_j += clk * 1e-12;
    }
    /* between chips: the fp16 residual stream of every sequence (the
     * model's hop rule, without the fan-out of split layers) */
    double m_rows = run->work.phase == SA35_DECODE
                        ? (double)run->work.batch
                        : (double)run->work.batch * run->work.seq;
    p->e.link_j = run->hops * 2.0 * m_rows * run->model.hidden *
                  em->link_pj_per_byte * 1e-12;
    p->e.dynamic_j = p->e.mac_j + p->e.reg_j + p->e.clock_j + p->e.sram_j +
                     p->e.offchip_j + p->e.link_j + p->vector_j + p->scale_j;
}

/* The steady clock of a throttled chip: simulate its warm-up and average
 * the second half (the first holds the cold start). */
static int throttled(const sa35_thermal *th, double p_dyn, sa35_proj *p,
                     sa35_err *err)
{
    double ctot = 0;
    for (int i = 0; i < th->n; i++)
        ctot += th->cap[i];
    double dur = 5 * sa35_thermal_theta_total(th) * ctot;
    size_t n = 20000;
    double *pw = malloc(n * sizeof *pw), *tj = malloc(n * sizeof *tj);
    double *clk = malloc(n * sizeof *clk);
    int rc = -1;
    if (pw && tj && clk) {
        for (size_t i = 0; i < n; i++)
            pw[i] = p_dyn;
        rc = sa35_thermal_transient(th, dur / (double)n, n, pw, 1, tj, NULL,
                                    clk, &p->warm, err);
    } else {
        sa35_err_set(err, "out of memory for the %zu-step throttled "
                     "warm-up", n);
    }
    if (rc == 0) {
        double sc = 0, tmax = -INFINITY;
        for (size_t i = n / 2; i < n; i++) {
            sc += clk[i];
            tmax = tj[i] > tmax ? tj[i] : tmax;
        }
        p->clock = sc / (double)(n - n / 2);
        p->tj_c = tmax;
        p->runaway = p->warm.runaway;
    }
    free(pw), free(tj), free(clk);
    return rc;
}

static int heat(sa35_proj *p, const sa35_power_cfg *pc, const double *chip_w,
                int throttle, sa35_err *err)
{
    sa35_thermal th = pc->th;
    th.leak_w0 = pc->leak_fraction * p->p_chip_peak_dyn_w;
    p->leak_w = 0;
    int hot = 0;
    for (int32_t c = 0; c < p->run.chips; c++) {
        sa35_thermal_fix f;
        sa35_thermal_steady_leak(&th, chip_w[c], &f);
        p->runaway |= f.runaway;
        p->leak_w += f.p_leak_w;
        if (chip_w[c] > chip_w[hot])
            hot = c;
    }
    p->p_dyn_hot_w = chip_w[hot];
    sa35_thermal_fix f;
    sa35_thermal_steady_leak(&th, chip_w[hot], &f);
    p->tj_unthrottled_c = p->tj_c = f.tj;
    p->clock = 1;
    if (throttle && (f.runaway || f.tj > th.t_max)) {
        double before = f.runaway ? 0 : f.p_leak_w;
        if (throttled(&th, chip_w[hot], p, err) != 0)
            return -1;
        if (!p->runaway && !f.runaway) /* the hot chip leaks less now */
            p->leak_w += sa35_thermal_leak_w(&th, p->tj_c) - before;
        if (!p->runaway && f.runaway)
            p->leak_w = INFINITY; /* others are no cooler than before */
    }
    if (p->runaway)
        p->leak_w = INFINITY;
    return 0;
}

/* The toggle rates of this run: measured on a slice of the model's q
 * projection on the system's PE kind (docs/power.md), or one assumed
 * rate. */
static int rates(const sa35_llm *m, const sa35_system *s,
                 const sa35_power_cfg *pc, const sa35_proj_opts *o,
                 sa35_activity *act, sa35_err *err)
{
    if (o->activity_assumed) {
        double a = o->activity >= 0 ? o->activity : pc->activity;
        if (!(a >= 0 && a <= 1))
            return sa35_err_set(err, "--activity %g: a toggle rate in "
                                "[0, 1]", a);
        sa35_activity_assumed(a, act);
        snprintf(act->source, sizeof act->source, "%s",
                 o->activity >= 0 ? "--activity on the command line"
                                  : "the power config's activity");
        return 0;
    }
    const sa35_workload *w = &o->work;
    sa35_activity_work aw = {s->rows, s->cols, s->load_rows, m->hidden,
                             w->phase == SA35_DECODE ? w->batch
                                                     : w->batch * w->seq,
                             s->pe, SA35_ACTIVITY_SEED};
    return sa35_activity_measure(&aw, act, err);
}

int sa35_project(const sa35_llm *m, const sa35_system *s,
                 const sa35_power_cfg *pc, const sa35_proj_opts *o,
                 const sa35_wformat *wf, sa35_proj *p, sa35_err *err)
{
    memset(p, 0, sizeof *p);
    p->wf = *wf;
    /* each format is its own machine: the same system with PEs of the
     * kind that stores its codes, and the scale row when it has groups,
     * run through the engines */
    sa35_pe_kind kind = wf->pe;
    p->bits = sa35_pe_bits(sa35_pe_info(kind));
    sa35_system sys = *s;
    sys.pe = p->pe = kind;
    sys.group = wf->group;
    if (o->qm) {
        if (proj_quality(o->qm, wf, &p->q, err))
            return -1;
        p->has_quality = 1;
    }
    sa35_err why;
    if (sa35_model_run(m, &sys, &o->work, sa35_gemm_engine_timing(),
                       &p->run, &why) != 0) {
        snprintf(p->why, sizeof p->why, "on %s PEs: %.480s",
                 sa35_pe_info(kind)->name, why.msg);
        return 0;
    }
    sa35_energy_model em;
    int node = o->node_nm ? o->node_nm : pc->node_nm;
    sa35_pe_shape sh = sa35_pe_shape_of(sys.rows, sys.pe);
    costs c;
    if (rates(m, &sys, pc, o, &p->act, err) != 0) {
        sa35_proj_free(p);
        return -1;
    }
    sa35_ptables ts;
    if (sa35_ptables_load(o->tables_dir, &ts, err)) {
        sa35_proj_free(p);
        return -1;
    }
    const sa35_ptable *all[5] = {&ts.horowitz, &ts.scaling, &ts.memory,
                                 &ts.cells, &ts.rtl};
    for (int i = 0; i < 5; i++)
        snprintf(p->tables[i], sizeof p->tables[i], "%s", all[i]->origin);
    int bad = sa35_energy_model_of(&ts, node, o->vdd, pc->offchip, &em,
                                   err) != 0 ||
              op_costs(&ts, &em, &sys, &sh, &p->act, &c, err) != 0 ||
              sa35_pe_two_ways(&ts, &em, sys.pe, pc->activity,
                               &p->pe_pj_horowitz, &p->pe_pj_rtl,
                               &p->pe_psum_bits, err) != 0;
    sa35_ptables_free(&ts);
    if (bad) {
        sa35_proj_free(p);
        return -1;
    }
    p->vdd = em.vdd;
    p->offchip_pj_per_bit = em.offchip_pj_per_byte / 8.0;
    double *e = calloc((size_t)p->run.nres, sizeof *e);
    double *chip_w = calloc((size_t)p->run.chips, sizeof *chip_w);
    if (!e || !chip_w) {
        free(e), free(chip_w), sa35_proj_free(p);
        return sa35_err_set(err, "out of memory for %lld ops' energies",
                            (long long)p->run.nres);
    }
    step_energy(p, &em, &c, &sh, pc->clock_gating, e);
    double f = s->clock_hz, pes = (double)s->rows * s->cols;
    p->step_s = p->run.time_s;
    p->tokens_per_step = p->run.tokens_per_s * p->step_s;
    p->weight_bytes = (double)p->run.weight_bytes;
    p->bits_stored = 8.0 * p->weight_bytes / (double)sa35_llm_gemm_params(m);
    p->peak_tops = 2.0 * pes * sh.kpr * f * p->run.chips / 1e12;
    double bw = s->dram_bytes_per_cycle > 0 ? s->dram_bytes_per_cycle
                                            : s->sram_bytes_per_cycle;
    p->ridge_macs_per_byte = pes * sh.kpr / bw;
    /* The peak (the leakage basis) and the PE cross-check stay at the
     * config's activity: the array at full use on random operands, a
     * property of the chip, not of the measured workload. */
    p->p_chip_peak_dyn_w = pes * f * 1e-12 *
                           sa35_pe_cycle_pj(&em, &sh, pc->activity);
    /* chips' mean dynamic power and the most power-dense op, on the logic
     * die: the off-chip memory's energy (activation, its dies' data
     * movement, the I/O) is dissipated in the memory devices, not at the
     * logic junction (on hbm1 it is most of the power) */
    double op_peak = 0, *mem_w = calloc((size_t)p->run.chips, sizeof *mem_w);
    if (!mem_w) {
        free(e), free(chip_w), sa35_proj_free(p);
        return sa35_err_set(err, "out of memory for %d chips' power",
                            (int)p->run.chips);
    }
    for (int64_t i = 0; i < p->run.nres; i++) {
        const sa35_op_result *x = &p->run.res[i];
        double mem = (double)x->dram_bytes * em.offchip_pj_per_byte;
        chip_w[x->chip] += (e[i] - mem) * 1e-12 / p->step_s;
        mem_w[x->chip] += mem * 1e-12 / p->step_s;
        /* the system's peak: the op with its memory traffic */
        double w = x->cycles ? e[i] * 1e-12 / ((double)x->cycles / f) : 0;
        op_peak = w > op_peak ? w : op_peak;
    }
    double spread = (p->e.dynamic_j - p->e.mac_j - p->e.reg_j - p->e.sram_j -
                     p->e.offchip_j - p->vector_j - p->scale_j -
                     (pc->clock_gating ? p->e.clock_j : 0)) /
                    p->step_s / p->run.chips; /* links, ungated clocks */
    for (int32_t k = 0; k < p->run.chips; k++)
        chip_w[k] += spread;
    p->p_dyn_w = p->e.dynamic_j / p->step_s;
    int rc = heat(p, pc, chip_w, o->throttle, err);
    int hot = 0; /* as heat() picks it */
    for (int32_t k = 0; k < p->run.chips; k++)
        if (chip_w[k] > chip_w[hot])
            hot = k;
    double hot_all_w = chip_w[hot] + mem_w[hot];
    free(e), free(chip_w), free(mem_w);
    if (rc) {
        sa35_proj_free(p);
        return -1;
    }
    double period = p->step_s / p->clock; /* a throttled step is longer */
    p->tokens_per_s = p->run.tokens_per_s * p->clock;
    p->tokens_per_s_per_user = p->run.tokens_per_s_per_user * p->clock;
    p->latency_s = p->run.time_per_token_s / p->clock;
    p->p_avg_w = p->e.dynamic_j / period + p->leak_w;
    p->p_mem_w = p->e.offchip_j / period;
    p->p_peak_w = p->p_avg_w + (op_peak - hot_all_w) * p->clock;
    if (p->p_peak_w < p->p_avg_w)
        p->p_peak_w = p->p_avg_w;
    p->j_per_token = (p->e.dynamic_j + p->leak_w * period) /
                     p->tokens_per_step;
    p->ok = 1;
    return 0;
}

void sa35_proj_free(sa35_proj *p)
{
    sa35_run_free(&p->run);
}
