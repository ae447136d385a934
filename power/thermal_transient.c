/* thermal_transient.c: junction temperature over time from a power trace,
 * with leakage feedback and optional throttling. */
#include <math.h>
#include <string.h>

#include "power_internal.h"

int sa35_thermal_sim_init(sa35_thermal_sim *s, const sa35_thermal *th,
                          double dt, const double *t0, sa35_err *err)
{
    memset(s, 0, sizeof *s);
    if (sa35_thermal_check(th, err) != 0)
        return -1;
    if (!(dt > 0) || !isfinite(dt))
        return sa35_err_set(err, "thermal: time step %g s: must be > 0", dt);
    s->th = *th;
    s->dt = dt;
    for (int i = 0; i < th->n; i++)
        s->t[i] = t0 ? t0[i] : th->t_amb;
    power_thermal_expm(th, dt, s->expa);
    return 0;
}

void sa35_thermal_sim_step(sa35_thermal_sim *s, double p_w)
{
    /* With P held, the deviation from P's steady state decays as
     * exp(A t): exact, whatever dt is. */
    int n = s->th.n;
    double ss[SA35_THERMAL_MAX_STAGES], x[SA35_THERMAL_MAX_STAGES];
    sa35_thermal_steady(&s->th, p_w, ss);
    for (int i = 0; i < n; i++)
        x[i] = s->t[i] - ss[i];
    for (int i = 0; i < n; i++) {
        double v = 0;
        for (int j = 0; j < n; j++)
            v += s->expa[i * n + j] * x[j];
        s->t[i] = ss[i] + v;
    }
}

int sa35_thermal_transient(const sa35_thermal *th, double dt, size_t n,
                           const double *p_dyn, int throttle, double *tj,
                           double *p_total, double *clock,
                           sa35_thermal_run *out, sa35_err *err)
{
    memset(out, 0, sizeof *out);
    sa35_thermal_sim s;
    if (sa35_thermal_sim_init(&s, th, dt, NULL, err) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(p_dyn[i]) || p_dyn[i] < 0)
            return sa35_err_set(err, "thermal: power at step %zu is %g W: "
                                "must be finite and not negative", i,
                                p_dyn[i]);
    int throttled = 0;
    double sum_p = 0, sum_clk = 0, last_t = th->t_amb, last_p = 0;
    double last_c = 1;
    out->tj_peak = th->t_amb;
    size_t i = 0;
    for (; i < n; i++) {
        /* Leakage and the clock are taken at the start of the step (the
         * temperature the step begins at), power is then held over it. */
        double c = throttled ? th->throttle_clock : 1.0;
        double p = c * p_dyn[i] + sa35_thermal_leak_w(th, s.t[0]);
        sa35_thermal_sim_step(&s, p);
        last_t = s.t[0];
        last_p = p;
        last_c = c;
        if (tj)
            tj[i] = last_t;
        if (p_total)
            p_total[i] = p;
        if (clock)
            clock[i] = c;
        sum_p += p;
        sum_clk += c;
        out->throttled_s += throttled ? dt : 0;
        out->tj_peak = last_t > out->tj_peak ? last_t : out->tj_peak;
        out->p_peak_w = p > out->p_peak_w ? p : out->p_peak_w;
        if (!isfinite(last_t) || last_t > SA35_THERMAL_RUNAWAY_C) {
            out->runaway = 1;
            i++;
            break;
        }
        if (throttle && last_t > th->t_max)
            throttled = 1;
        else if (throttled && last_t < th->t_max - th->throttle_hyst)
            throttled = 0;
    }
    out->steps = i;
    for (size_t k = i; k < n; k++) {
        if (tj)
            tj[k] = last_t;
        if (p_total)
            p_total[k] = last_p;
        if (clock)
            clock[k] = last_c;
    }
    out->tj_end = last_t;
    out->p_avg_w = i ? sum_p / (double)i : 0;
    out->clock_avg = i ? sum_clk / (double)i : 1;
    return 0;
}
