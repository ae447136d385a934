/* pe_rtl.c: the PE's energy per busy cycle from the RTL flow's OpenSTA
 * power (power/tables/rtl_pe.json), at a toggle rate and a node. */
#include "power_internal.h"

int sa35_pe_energy_rtl(const sa35_ptable *rtl, const sa35_ptable *scaling,
                       int node_nm, double vdd, double activity, double *pj,
                       sa35_err *err)
{
    static const char *const names[] = {"node_nm", "vdd_v", "clock_period_ns",
                                        "activity", "power_mw",
                                        "power_idle_mw"};
    double v[6];
    for (int i = 0; i < 6; i++)
        if (sa35_ptable_get(rtl, names[i], &v[i], err) != 0)
            return -1;
    if (!(v[3] > 0) || !(activity >= 0 && activity <= 1))
        return sa35_err_set(err, "%s: activity %g (table) and %g (asked) "
                            "must be in (0, 1] and [0, 1]", rtl->origin,
                            v[3], activity);
    if (v[5] > v[4])
        return sa35_err_set(err, "%s: power_idle_mw %g exceeds power_mw %g",
                            rtl->origin, v[5], v[4]);
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
