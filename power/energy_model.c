/* energy_model.c: per-event energies at the target node, from the 45 nm
 * operation table, the cell library and the memory table. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "power_internal.h"

static int get_all(const sa35_ptable *t, const char *const *names, double *v,
                   int n, sa35_err *err)
{
    for (int i = 0; i < n; i++)
        if (sa35_ptable_get(t, names[i], &v[i], err) != 0)
            return -1;
    return 0;
}

int sa35_energy_model_build(const sa35_ptable *horowitz,
                            const sa35_ptable *scaling,
                            const sa35_ptable *memory,
                            const sa35_ptable *cells, int node_nm, double vdd,
                            const char *offchip, sa35_energy_model *m,
                            sa35_err *err)
{
    memset(m, 0, sizeof *m);
    static const char *const hn[] = {
        "node_nm", "vdd_v", "mul_int8_pj", "add_int8_pj", "add_int32_pj",
        "sram_8kb_64bit_pj", "sram_32kb_64bit_pj", "sram_1mb_64bit_pj"};
    static const char *const cn[] = {"node_nm", "vdd_v", "dff_toggle_pj",
                                     "dff_clock_pj"};
    double h[8], c[4];
    if (get_all(horowitz, hn, h, 8, err) || get_all(cells, cn, c, 4, err))
        return -1;
    double f_to = 0, f_h = 0, f_c = 0;
    if (sa35_node_energy_factor(scaling, node_nm, vdd, &f_to, &m->vdd, err) ||
        sa35_node_energy_factor(scaling, (int)h[0], h[1], &f_h, NULL, err) ||
        sa35_node_energy_factor(scaling, (int)c[0], c[1], &f_c, NULL, err))
        return -1;
    m->node_nm = node_nm;
    m->scale_from_45 = f_to / f_h;
    m->scale_from_180 = f_to / f_c;
    m->mul8x8_pj = h[2] * m->scale_from_45;
    m->add8_pj = h[3] * m->scale_from_45;
    m->add32_pj = h[4] * m->scale_from_45;
    for (int i = 0; i < 3; i++) /* a 64-bit access moves 8 bytes */
        m->sram_pj_per_byte[i] = h[5 + i] / 8.0 * m->scale_from_45;
    m->ff_toggle_pj = c[2] * m->scale_from_180;
    m->ff_clock_pj = c[3] * m->scale_from_180;

    /* Memory interfaces are not logic: their pJ/bit is taken as published,
     * not node-scaled (the DRAM die and PHY are their own process). */
    char name[48];
    double bit = 0;
    if (strcmp(offchip, "none") == 0) /* SRAM-only chips */
        name[0] = '\0';
    else if (snprintf(name, sizeof name, "%s_pj_per_bit", offchip) >=
        (int)sizeof name)
        return sa35_err_set(err, "off-chip memory name '%s' is too long",
                            offchip);
    if (name[0] && !sa35_ptable_find(memory, name))
        return sa35_err_set(err, "%s: no off-chip memory '%s' (constant "
                            "'%s')", memory->origin, offchip, name);
    if (name[0])
        sa35_ptable_get(memory, name, &bit, err);
    m->offchip_pj_per_byte = 8.0 * bit;
    snprintf(m->offchip, sizeof m->offchip, "%s", offchip);
    if (sa35_ptable_get(memory, "link_pj_per_bit", &bit, err) != 0)
        return -1;
    m->link_pj_per_byte = 8.0 * bit;
    return 0;
}

int sa35_energy_model_of(const sa35_ptables *ts, int node_nm, double vdd,
                         const char *offchip, sa35_energy_model *m,
                         sa35_err *err)
{
    return sa35_energy_model_build(&ts->horowitz, &ts->scaling, &ts->memory,
                                   &ts->cells, node_nm, vdd, offchip, m, err);
}

int sa35_energy_model_default(int node_nm, const char *offchip,
                              sa35_energy_model *m, sa35_err *err)
{
    sa35_ptables ts;
    if (sa35_ptables_load(NULL, &ts, err))
        return -1;
    int rc = sa35_energy_model_of(&ts, node_nm, 0, offchip, m, err);
    sa35_ptables_free(&ts);
    return rc;
}

double sa35_energy_mul_pj(const sa35_energy_model *m, int a_bits, int w_bits)
{
    return m->mul8x8_pj * (double)(a_bits * w_bits) / 64.0;
}

double sa35_energy_add_pj(const sa35_energy_model *m, int bits)
{
    return m->add8_pj + (m->add32_pj - m->add8_pj) * (bits - 8) / 24.0;
}

double sa35_energy_sram_pj_per_byte(const sa35_energy_model *m,
                                    double macro_bytes)
{
    static const double size[3] = {8192.0, 32768.0, 1048576.0};
    double lx = log(macro_bytes > 1 ? macro_bytes : 1);
    int seg = macro_bytes <= size[1] ? 0 : 1;
    double x0 = log(size[seg]), x1 = log(size[seg + 1]);
    double y0 = log(m->sram_pj_per_byte[seg]);
    double y1 = log(m->sram_pj_per_byte[seg + 1]);
    return exp(y0 + (y1 - y0) * (lx - x0) / (x1 - x0));
}
