/* energy_eval.c: energy = sum of events x energy per event. */
#include <string.h>

#include "power_internal.h"

void sa35_energy_eval(const sa35_energy_model *m, const sa35_power_events *ev,
                      sa35_energy_split *out)
{
    memset(out, 0, sizeof *out);
    const double pj = 1e-12;
    int a = ev->act_bits > 0 ? ev->act_bits : 8;
    double add = sa35_energy_add_pj(m, ev->psum_bits > 0 ? ev->psum_bits : 32);
    for (int w = 1; w <= 8; w++)
        out->mac_j += ev->macs[w] * (sa35_energy_mul_pj(m, a, w) + add) * pj;
    out->reg_j = ev->reg_toggles * m->ff_toggle_pj * pj;
    out->clock_j = ev->reg_bit_cycles * m->ff_clock_pj * pj;
    for (int i = 0; i < ev->nsram && i < SA35_POWER_MAX_SRAM; i++)
        out->sram_j += ev->sram_bytes[i] *
                       sa35_energy_sram_pj_per_byte(m, ev->sram_macro_bytes[i]) *
                       pj;
    out->offchip_j = ev->offchip_bytes * m->offchip_pj_per_byte * pj;
    out->link_j = ev->link_bytes * m->link_pj_per_byte * pj;
    out->dynamic_j = out->mac_j + out->reg_j + out->clock_j + out->sram_j +
                     out->offchip_j + out->link_j;
}
