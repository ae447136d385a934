/* thermal_steady.c: steady-state junction temperature, with leakage fed
 * back to a fixed point or reported as thermal runaway. */
#include <math.h>

#include "power_internal.h"

double sa35_thermal_theta_total(const sa35_thermal *th)
{
    double s = 0;
    for (int i = 0; i < th->n; i++)
        s += th->theta[i];
    return s;
}

double sa35_thermal_leak_w(const sa35_thermal *th, double t)
{
    return th->leak_w0 * exp((t - th->t_leak0) / th->t_slope);
}

void sa35_thermal_steady(const sa35_thermal *th, double p_w, double *t)
{
    /* The same heat flows through every stage in steady state, so each
     * node sits P x (the thetas between it and ambient) above ambient. */
    double below = 0;
    for (int k = th->n - 1; k >= 0; k--) {
        below += th->theta[k];
        t[k] = th->t_amb + p_w * below;
    }
}

/* The residual g(T) = T_amb + theta (P_dyn + P_leak(T)) - T: convex in T,
 * +inf at both ends, its minimum where theta P_leak'(T) = 1, i.e. where
 * theta P_leak(T) = t_slope. A fixed point exists iff g <= 0 there. */
void sa35_thermal_steady_leak(const sa35_thermal *th, double p_dyn_w,
                              sa35_thermal_fix *out)
{
    double theta = sa35_thermal_theta_total(th);
    out->runaway = 0;
    out->iterations = 0;
    if (th->leak_w0 == 0) {
        out->tj = th->t_amb + theta * p_dyn_w;
        out->p_leak_w = 0;
        out->p_total_w = p_dyn_w;
        out->p_dyn_max_w = INFINITY;
        return;
    }
    double t_min = th->t_leak0 + th->t_slope *
                   log(th->t_slope / (theta * th->leak_w0));
    out->p_dyn_max_w = (t_min - th->t_amb - th->t_slope) / theta;
    if (p_dyn_w > out->p_dyn_max_w) {
        out->runaway = 1;
        out->tj = INFINITY;
        out->p_leak_w = INFINITY;
        out->p_total_w = INFINITY;
        return;
    }
    /* Newton from ambient, where g >= 0: on a convex decreasing stretch
     * the iterates rise monotonically to the lower (stable) root, never
     * past it. At the critical power the root is double and Newton only
     * halves the error each step, hence the generous limit. */
    double t = th->t_amb;
    for (int it = 0; it < 400; it++) {
        double leak = sa35_thermal_leak_w(th, t);
        double g = th->t_amb + theta * (p_dyn_w + leak) - t;
        double dg = theta * leak / th->t_slope - 1;
        out->iterations = it + 1;
        if (g <= 0 || dg >= 0)
            break;
        double step = -g / dg;
        t += step;
        if (step <= 1e-12 * (1 + fabs(t)))
            break;
    }
    out->tj = t;
    out->p_leak_w = sa35_thermal_leak_w(th, t);
    out->p_total_w = p_dyn_w + out->p_leak_w;
}
