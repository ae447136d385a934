/* pe_energy.c: a PE's energy from the event model: its shape (from its
 * kind's descriptor), a MAC, a busy cycle, and the synthesized PE derived
 * both from the event model and from the RTL flow (docs/power.md, "Two
 * derivations of the PE"). */
#include <stdio.h>

#include "power_internal.h"

sa35_pe_shape sa35_pe_shape_of(int32_t rows, sa35_pe_kind kind)
{
    sa35_pe_shape p;
    sa35_arch a;
    sa35_arch_default(&a);
    a.rows = rows, a.pe = kind;
    const sa35_pe_desc *pe = sa35_arch_pe(&a);
    p.psum_bits = sa35_arch_psum_bits(&a);
    p.kpr = (int)pe->k_per_row;
    p.wbits[0] = (int)pe->w_bits[0], p.wbits[1] = (int)pe->w_bits[1];
    p.pair_bits = (int)pe->code_bits;
    return p;
}

double sa35_pe_mac_pj(const sa35_energy_model *em, const sa35_pe_shape *sh)
{
    double add = sa35_energy_add_pj(em, sh->psum_bits), e = 0;
    for (int i = 0; i < sh->kpr; i++)
        e += sa35_energy_mul_pj(em, 8, sh->wbits[i]) + add;
    return e / sh->kpr;
}

int sa35_pe_clock_bits(const sa35_pe_shape *sh)
{
    return 2 * sh->pair_bits + 8 * sh->kpr + sh->psum_bits;
}

double sa35_pe_cycle_pj(const sa35_energy_model *em, const sa35_pe_shape *sh,
                        double activity)
{
    return sh->kpr * sa35_pe_mac_pj(em, sh) +
           activity * (sh->psum_bits + 8 * sh->kpr) * em->ff_toggle_pj +
           sa35_pe_clock_bits(sh) * em->ff_clock_pj;
}

int sa35_pe_two_ways(const sa35_ptables *ts, const sa35_energy_model *em,
                     sa35_pe_kind kind, double activity, double *horowitz_pj,
                     double *rtl_pj, int *psum_bits, sa35_err *err)
{
    const sa35_pe_desc *pe = sa35_pe_info(kind);
    if (!pe)
        return sa35_err_set(err, "PE kind %d: no such kind", (int)kind);
    double psum = 0;
    char key[64];
    snprintf(key, sizeof key, "%s.psum_bits", pe->name);
    if (sa35_ptable_get(&ts->rtl, key, &psum, err) ||
        sa35_pe_energy_rtl_kind(&ts->rtl, pe->name, &ts->scaling, em->node_nm,
                                em->vdd, activity, rtl_pj, err))
        return -1;
    /* the event model of the same PE: its shape at the synthesized width */
    sa35_pe_shape sh = sa35_pe_shape_of(1, kind);
    sh.psum_bits = (int)psum;
    *psum_bits = sh.psum_bits;
    *horowitz_pj = sa35_pe_cycle_pj(em, &sh, activity);
    return 0;
}
