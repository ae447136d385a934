/* pe_rtl.c: a PE's energy per busy cycle from the RTL flow's OpenSTA power
 * (power/tables/rtl_pe.json: shared constants, and KIND.NAME for each PE
 * kind the flow synthesized), at a toggle rate and a node. */
#include <stdio.h>

#include "power_internal.h"

int sa35_pe_energy_rtl_kind(const sa35_ptable *rtl, const char *kind,
                            const sa35_ptable *scaling, int node_nm,
                            double vdd, double activity, double *pj,
                            sa35_err *err)
{
    /* shared by every kind, then the kind's own */
    static const char *const names[] = {"node_nm", "vdd_v", "clock_period_ns",
                                        "activity", "power_mw",
                                        "power_idle_mw"};
    enum { SHARED = 4 };
    double v[6];
    for (int i = 0; i < 6; i++) {
        char name[64];
        if (i < SHARED)
            snprintf(name, sizeof name, "%s", names[i]);
        else
            snprintf(name, sizeof name, "%.24s.%s", kind, names[i]);
        if (sa35_ptable_get(rtl, name, &v[i], err) != 0)
            return -1;
    }
    if (!(v[3] > 0) || !(activity >= 0 && activity <= 1))
        return sa35_err_set(err, "%s: activity %g (table) and %g (asked) "
                            "must be in (0, 1] and [0, 1]", rtl->origin,
                            v[3], activity);
    if (v[5] > v[4])
        return sa35_err_set(err, "%s: %s.power_idle_mw %g exceeds "
                            "%s.power_mw %g", rtl->origin, kind, v[5], kind,
                            v[4]);
    double scale = 0;
    if (sa35_node_energy_scale(scaling, (int)v[0], v[1], node_nm, vdd, &scale,
                               err) != 0)
        return -1;
    /* Dynamic power is linear in the toggle rate (P = sum a C V^2 f plus
     * internal energy per toggle); the clock pins toggle with the clock
     * whatever the data do, so only the part above idle scales. mW x ns =
     * pJ. */
    double p_mw = v[5] + (v[4] - v[5]) * (activity / v[3]);
    *pj = p_mw * v[2] * scale;
    return 0;
}

int sa35_pe_energy_rtl(const sa35_ptable *rtl, const sa35_ptable *scaling,
                       int node_nm, double vdd, double activity, double *pj,
                       sa35_err *err)
{
    return sa35_pe_energy_rtl_kind(rtl, "sa35", scaling, node_nm, vdd,
                                   activity, pj, err);
}
