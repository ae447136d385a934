/* project_print.c: the projection as a table with every assumption. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sa35_project.h"

static void row(FILE *f, const char *what, const sa35_proj *p, int np,
                const char *fmt, double (*get)(const sa35_proj *))
{
    fprintf(f, "| %-28s |", what);
    for (int i = 0; i < np; i++) {
        if (p[i].ok)
            fprintf(f, fmt, get(&p[i]));
        else
            fprintf(f, " %12s |", "n/a");
    }
    fputc('\n', f);
}

#define GETTER(name, expr) \
    static double name(const sa35_proj *p) { return (expr); }
GETTER(g_tps, p->tokens_per_s)
GETTER(g_tpsu, p->tokens_per_s_per_user)
GETTER(g_lat, p->latency_s * 1e3)
GETTER(g_jpt, p->j_per_token)
GETTER(g_pavg, p->p_avg_w)
GETTER(g_pmem, p->p_mem_w)
GETTER(g_ppeak, p->p_peak_w)
GETTER(g_tj, p->tj_c)
GETTER(g_clock, p->clock)
GETTER(g_chips, (double)p->run.chips)
GETTER(g_wgb, p->weight_bytes / 1e9)
GETTER(g_tops, p->peak_tops)
GETTER(g_mac, p->e.mac_j / p->tokens_per_step)
GETTER(g_reg, (p->e.reg_j + p->e.clock_j) / p->tokens_per_step)
GETTER(g_sram, p->e.sram_j / p->tokens_per_step)
GETTER(g_off, p->e.offchip_j / p->tokens_per_step)
GETTER(g_link, p->e.link_j / p->tokens_per_step)
GETTER(g_vec, p->vector_j / p->tokens_per_step)
GETTER(g_scale, p->scale_j / p->tokens_per_step)
GETTER(g_bits, p->bits_stored)
GETTER(g_leak, p->leak_w * p->step_s / p->clock / p->tokens_per_step)

/* The register toggle rates of each width with their source, and the
 * main run with the other rates beside it. */
static void print_activity(const sa35_proj *p, int np, FILE *f)
{
    for (int i = 0; i < np; i++) {
        const sa35_activity *a = &p[i].act;
        if (!p[i].ok)
            continue;
        fprintf(f, "  - register toggle rates in %s, %s PEs (%s, per "
                "bit per write): psum %.4f, activation %.4f, skew/de-skew "
                "%.4f, weight %.4f; %s", p[i].wf.name, sa35_pe_info(p[i].pe)->name,
                a->measured ? "measured" : "assumed", a->psum, a->act,
                a->skew, a->weight, a->source);
        if (a->measured)
            fprintf(f, "; zero operands: activations %.4f, weights %.4f "
                    "(reported, no MAC gating applied); %.3f s",
                    a->zero_act, a->zero_weight, a->seconds);
        fputc('\n', f);
    }
    const sa35_proj *m = &p[0];
    if (m->ok && m->has_alt)
        fprintf(f, "  - the %s run with %s instead: J/token %.4g (here "
                "%.4g), average power %.4g W (%.4g), Tj %.4g C (%.4g), "
                "register energy per step %.4g J (%.4g)\n", m->wf.name,
                m->alt_what, m->alt_j_per_token, m->j_per_token,
                m->alt_power_w, m->p_avg_w, m->alt_tj_c, m->tj_c,
                m->alt_reg_j, m->e.reg_j);
}

void sa35_proj_print(const sa35_proj *p, int np, const sa35_power_cfg *pc,
                     const sa35_proj_opts *o, FILE *f)
{
    const sa35_proj *m = &p[0];
    fprintf(f, "| %-28s |", "weights");
    for (int i = 0; i < np; i++)
        fprintf(f, " %12s |", p[i].wf.name);
    fprintf(f, "\n|------------------------------|");
    for (int i = 0; i < np; i++)
        fprintf(f, "--------------|");
    fputc('\n', f);
    /* quality first: it is computed whether or not the run fits */
    fprintf(f, "| %-28s |", "bits/weight, scales incl.");
    for (int i = 0; i < np; i++)
        if (p[i].ok)
            fprintf(f, " %12.4f |", g_bits(&p[i]));
        else
            fprintf(f, " %12s |", "n/a");
    fputc('\n', f);
    if (o->qm) {
        fprintf(f, "| %-28s |", "SQNR (dB), see below");
        for (int i = 0; i < np; i++)
            fprintf(f, " %12.2f |", p[i].q.sqnr_db);
        fputc('\n', f);
    }
    row(f, "tokens/s (aggregate)", p, np, " %12.4g |", g_tps);
    row(f, "tokens/s per user", p, np, " %12.4g |", g_tpsu);
    row(f, "latency per token (ms)", p, np, " %12.4g |", g_lat);
    row(f, "J/token", p, np, " %12.4g |", g_jpt);
    row(f, "  MACs (J/token)", p, np, " %12.3g |", g_mac);
    row(f, "  registers+clock (J/token)", p, np, " %12.3g |", g_reg);
    row(f, "  SRAM (J/token)", p, np, " %12.3g |", g_sram);
    row(f, "  off-chip (J/token)", p, np, " %12.3g |", g_off);
    row(f, "  chip links (J/token)", p, np, " %12.3g |", g_link);
    row(f, "  vector unit (J/token)", p, np, " %12.3g |", g_vec);
    row(f, "  scale row (J/token)", p, np, " %12.3g |", g_scale);
    row(f, "  leakage (J/token)", p, np, " %12.3g |", g_leak);
    row(f, "average power (W)", p, np, " %12.4g |", g_pavg);
    row(f, "  in off-chip memory (W)", p, np, " %12.4g |", g_pmem);
    row(f, "peak power (W)", p, np, " %12.4g |", g_ppeak);
    row(f, "Tj, hottest chip (C)", p, np, " %12.4g |", g_tj);
    row(f, "clock (throttling)", p, np, " %12.3g |", g_clock);
    row(f, "chips", p, np, " %12.0f |", g_chips);
    row(f, "weight bytes (GB)", p, np, " %12.4g |", g_wgb);
    row(f, "peak TOPS", p, np, " %12.4g |", g_tops);
    for (int i = 0; i < np; i++)
        if (!p[i].ok)
            fprintf(f, "n/a in %s: %s\n", p[i].wf.name, p[i].why);
        else if (p[i].runaway)
            fprintf(f, "THERMAL RUNAWAY in %s: leakage outruns the heat "
                    "sink (no steady junction temperature)\n", p[i].wf.name);
    for (int i = 0; i < np; i++) {
        const sa35_pe_desc *pe = sa35_pe_info(p[i].pe);
        int64_t tile = (int64_t)pe->k_per_row * p[i].run.sys.rows;
        if (p[i].ok && p[i].wf.group && p[i].wf.group < tile)
            fprintf(f, "%s: a group of %lld k-values is less than the "
                    "array's K tile of %lld, so each group is a K tile of "
                    "%lld of %d PE rows, and a tile's load waits for the "
                    "previous tile's scale swap (R + 1 - n cycles after "
                    "its start: docs/architecture.md, the scale row): this "
                    "machine's figure, not a segmented column's "
                    "(docs/format.md, groups smaller than the K tile)\n",
                    p[i].wf.name, (long long)p[i].wf.group,
                    (long long)tile,
                    (long long)((p[i].wf.group + pe->k_per_row - 1) /
                                pe->k_per_row),
                    p[i].run.sys.rows);
    }
    if (!m->ok)
        return;
    fprintf(f, "\npeak: %.5g TOPS\n", m->peak_tops);
    fprintf(f, "ridge point: %.4g MAC/byte (%.4g ops/byte) of %s bandwidth\n",
            m->ridge_macs_per_byte, 2 * m->ridge_macs_per_byte,
            m->run.sys.dram_bytes_per_cycle > 0 ? "off-chip" : "SRAM");
    fprintf(f, "\nassumptions:\n");
    fprintf(f, "  - the run: model/ (%s engine) on system %s, %s, batch "
            "%lld, %lld positions; %d chip(s), %d hops per step\n",
            m->run.engine, m->run.sys.name,
            o->work.phase == SA35_DECODE ? "decode" : "prefill",
            (long long)o->work.batch, (long long)o->work.seq, m->run.chips,
            m->run.hops);
    fprintf(f, "  - every column simulated: the same system with PEs of the "
            "kind that stores its codes (sa35: 3.5 bits, int4: 4, int8: 8; "
            "docs/architecture.md, PE kinds), run through the engines with "
            "its own tile bytes, MACs per PE and capacities; -gG: a binary16 "
            "scale and zero per G k-values of a column, applied by the scale "
            "row (each group one K tile of G / k PE rows: docs/architecture."
            "md, \"The scale row\"), without -g one float32 scale and zero "
            "per column; weight bytes count codes and scales\n");
    fprintf(f, "  - scale row energy: per output and group, two float32 "
            "multiplies and two adds less the int32 add of a per-column "
            "accumulate (Horowitz 45 nm, scaled); its area and leakage are "
            "not in the power config's leakage (docs/rtl.md, \"Group "
            "scaling: what it costs\": +4.8%% area at 320 x 320)\n");
    if (o->qm)
        fprintf(f, "  - SQNR: each format (round to nearest, min/max grid "
                "per column or group: docs/format.md) on one %lld x %lld "
                "matrix, %s times %g, seed %llu: `sa35 randn --shape "
                "%lld,%lld --seed %llu --std %g --dist %s -o W.npy`, then "
                "`sa35 stats W.npy --group G` gives the same figures; "
                "synthetic, not a trained tensor\n",
                (long long)o->qm->K, (long long)o->qm->N, o->qm->dist.spec,
                o->qm->std, (unsigned long long)o->qm->seed,
                (long long)o->qm->K, (long long)o->qm->N,
                (unsigned long long)o->qm->seed, o->qm->std,
                o->qm->dist.spec);
    fprintf(f, "  - energy per event: Horowitz ISSCC 2014 (45 nm) and the "
            "OSU 0.18 um DFF, scaled to %d nm at %.3g V by Stillmaker & Baas "
            "2017 (every constant with its source); tables: %s, %s, %s, %s, "
            "%s\n", o->node_nm ? o->node_nm : pc->node_nm, m->vdd,
            m->tables[0], m->tables[1], m->tables[2], m->tables[3],
            m->tables[4]);
    fprintf(f, "  - PE energy per busy cycle of the %s PE (%u MAC(s), "
            "%d-bit psum, registers and clock; %d nm, activity %g): "
            "Horowitz-derived %.4g pJ; RTL-derived (OpenSTA, OSU 0.18 um, "
            "scaled) %.4g pJ; RTL/Horowitz %.3g (power/tables/rtl_pe.json, "
            "from `cmake --build build --target rtl-pe-table`)\n",
            sa35_pe_info(m->pe)->name, sa35_pe_info(m->pe)->k_per_row,
            m->pe_psum_bits, o->node_nm ? o->node_nm : pc->node_nm,
            pc->activity, m->pe_pj_horowitz, m->pe_pj_rtl,
            m->pe_pj_rtl / m->pe_pj_horowitz);
    print_activity(p, np, f);
    if (strcmp(pc->offchip, "none"))
        fprintf(f, "  - heat: the logic die's power at its junction; the "
            "off-chip memory's energy (%s, %.3g pJ/bit: activation, its dies' "
            "data movement and I/O) is dissipated in the memory devices, "
            "counted in power and J/token but not in Tj (the logic die's "
            "share of the I/O is not split out; the devices have no thermal "
            "node yet)\n", pc->offchip, m->offchip_pj_per_bit);
    fprintf(f, "  - leakage: %g x a chip's peak dynamic power (%.4g W) at "
            "%g C; hottest chip %.4g W dynamic on its die; theta %.3g K/W\n",
            pc->leak_fraction, m->p_chip_peak_dyn_w, pc->th.t_leak0,
            m->p_dyn_hot_w, sa35_thermal_theta_total(&pc->th));
    fprintf(f, "  - throttling %s: clock x %g above %g C (tokens/s scale "
            "with the clock)\n", o->throttle ? "on" : "off",
            pc->th.throttle_clock, pc->th.t_max);
    fprintf(f, "  power config: %s\n", pc->origin);
    for (int i = 0; i < pc->nas; i++)
        fprintf(f, "  - %s = %s: %s\n", pc->as[i].key, pc->as[i].value,
                pc->as[i].source);
}
