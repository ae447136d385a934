/* node_scale.c: energy between CMOS nodes with the Stillmaker & Baas
 * (2017) fits, F(node, V) = a V^2 + b V + c, and one extrapolated node
 * (5 nm) beyond the paper's 7 nm. */
#include <stdio.h>

#include "power_internal.h"

static int poly(const sa35_ptable *s, int node, double v, double *f,
                sa35_err *err)
{
    char name[32];
    double k[3];
    static const char abc[] = "abc";
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "e%d_%c", node, abc[i]);
        if (!sa35_ptable_find(s, name))
            return sa35_err_set(err, "%s: no energy scaling for %d nm "
                                "(constant '%s')", s->origin, node, name);
        sa35_ptable_get(s, name, &k[i], err);
    }
    *f = k[0] * v * v + k[1] * v + k[2];
    return 0;
}

int sa35_node_energy_factor(const sa35_ptable *scaling, int node_nm,
                            double vdd, double *factor, double *vdd_used,
                            sa35_err *err)
{
    if (vdd <= 0) {
        char name[32];
        snprintf(name, sizeof name, "vdd_%d", node_nm);
        if (!sa35_ptable_find(scaling, name))
            return sa35_err_set(err, "%s: no operating voltage for %d nm "
                                "(constant '%s'); give one", scaling->origin,
                                node_nm, name);
        sa35_ptable_get(scaling, name, &vdd, err);
    }
    double f = 0;
    if (node_nm == 5) {
        /* One more step of the 10 -> 7 nm size at the same voltage: the
         * table's e5_extrapolated entry says so and why. */
        double f7 = 0, f10 = 0;
        if (!sa35_ptable_find(scaling, "e5_extrapolated"))
            return sa35_err_set(err, "%s: 5 nm needs the 'e5_extrapolated' "
                                "entry (the paper stops at 7 nm)",
                                scaling->origin);
        if (poly(scaling, 7, vdd, &f7, err) || poly(scaling, 10, vdd, &f10, err))
            return -1;
        f = f10 > 0 ? f7 * f7 / f10 : -1;
    } else if (poly(scaling, node_nm, vdd, &f, err) != 0) {
        return -1;
    }
    if (!(f > 0))
        return sa35_err_set(err, "%s: the %d nm energy fit is %g at %g V, "
                            "outside the fit's range", scaling->origin,
                            node_nm, f, vdd);
    *factor = f;
    if (vdd_used)
        *vdd_used = vdd;
    return 0;
}

int sa35_node_energy_scale(const sa35_ptable *scaling, int from_nm,
                           double from_vdd, int to_nm, double to_vdd,
                           double *scale, sa35_err *err)
{
    double ff = 0, ft = 0;
    if (sa35_node_energy_factor(scaling, from_nm, from_vdd, &ff, NULL, err) ||
        sa35_node_energy_factor(scaling, to_nm, to_vdd, &ft, NULL, err))
        return -1;
    *scale = ft / ff;
    return 0;
}
