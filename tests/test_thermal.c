/* test_thermal.c: the RC model against cases solved by hand.
 *
 * Tolerances: the transient update multiplies by exp(A dt), computed by a
 * Taylor series with scaling and squaring, so each step carries a relative
 * error of a few ulps; a few hundred steps on values near 100 K keep the
 * total far below 1e-9 K, the tolerance used for "exact" transients. */
#include "test_util.h"

#include "sa35_power.h"

static sa35_thermal one_stage(double theta, double cap)
{
    sa35_thermal th;
    memset(&th, 0, sizeof th);
    th.n = 1;
    snprintf(th.name[0], sizeof th.name[0], "junction");
    th.theta[0] = theta;
    th.cap[0] = cap;
    th.t_amb = 25;
    th.t_max = 85;
    th.t_leak0 = 25;
    th.t_slope = 10;
    th.throttle_clock = 0.5;
    th.throttle_hyst = 5;
    return th;
}

/* One stage: T(t) = T_amb + P theta (1 - exp(-t / (theta C))). */
static void test_one_stage_exponential(void)
{
    sa35_thermal th = one_stage(0.5, 20); /* tau = 10 s */
    double p = 40, rise = p * 0.5;        /* 20 K above ambient */
    sa35_err err;
    sa35_thermal_sim s;
    CHECK(sa35_thermal_sim_init(&s, &th, 0.1, NULL, &err) == 0);
    for (int i = 1; i <= 500; i++) {
        sa35_thermal_sim_step(&s, p);
        if (i == 100 || i == 200 || i == 500) {
            double t = i * 0.1;
            double want = 25 + rise * (1 - exp(-t / 10.0));
            CHECK_MSG(fabs(s.t[0] - want) < 1e-9, "t=%g: %.15g vs %.15g", t,
                      s.t[0], want);
        }
    }
    /* At t = tau exactly 1 - 1/e of the way, whatever the step size: one
     * step of tau gives the same as 100 of tau/100. */
    CHECK(sa35_thermal_sim_init(&s, &th, 10.0, NULL, &err) == 0);
    sa35_thermal_sim_step(&s, p);
    CHECK(fabs(s.t[0] - (25 + 20 * (1 - exp(-1.0)))) < 1e-12);
    /* From above, with no power, it decays back toward ambient. */
    double hot = 65;
    CHECK(sa35_thermal_sim_init(&s, &th, 10.0, &hot, &err) == 0);
    sa35_thermal_sim_step(&s, 0);
    CHECK(fabs(s.t[0] - (25 + 40 * exp(-1.0))) < 1e-12);
}

/* Three stages with dyadic thetas, so the steady sums are exact. */
static sa35_thermal ladder(void)
{
    sa35_thermal th = one_stage(0.125, 2);
    th.n = 3;
    snprintf(th.name[1], sizeof th.name[1], "package");
    snprintf(th.name[2], sizeof th.name[2], "heatsink");
    th.theta[1] = 0.25;
    th.cap[1] = 20;
    th.theta[2] = 0.5;
    th.cap[2] = 400;
    return th;
}

static void test_ladder_steady(void)
{
    sa35_thermal th = ladder();
    double t[3];
    CHECK(sa35_thermal_theta_total(&th) == 0.875);
    sa35_thermal_steady(&th, 100, t);
    CHECK(t[0] == 112.5); /* 25 + 100 (0.125 + 0.25 + 0.5) */
    CHECK(t[1] == 100.0); /* 25 + 100 (0.25 + 0.5)         */
    CHECK(t[2] == 75.0);  /* 25 + 100 x 0.5                */
    /* The transient ends there: 20 slowest time constants (the slowest is
     * below 400 J/K x 0.875 K/W = 350 s) leave e^-20 ~ 2e-9 of 87.5 K. */
    sa35_thermal_sim s;
    sa35_err err;
    CHECK(sa35_thermal_sim_init(&s, &th, 70.0, NULL, &err) == 0);
    for (int i = 0; i < 100; i++)
        sa35_thermal_sim_step(&s, 100);
    for (int k = 0; k < 3; k++)
        CHECK_MSG(fabs(s.t[k] - t[k]) < 1e-6, "node %d: %.12g", k, s.t[k]);
}

/* The exact update against an independent integrator: classical RK4 with
 * a step 1/100 of the fastest time constant (0.125 K/W x 2 J/K = 0.25 s),
 * whose global error (h^4 ~ 4e-8 relative) bounds the tolerance. */
static void test_ladder_against_rk4(void)
{
    sa35_thermal th = ladder();
    double y[3] = {25, 25, 25}, h = 0.0025, p = 100;
    double g[3] = {1 / 0.125, 1 / 0.25, 1 / 0.5};
    for (int i = 0; i < 4000; i++) { /* 10 s */
        double k[4][3], tmp[3];
        for (int st = 0; st < 4; st++) {
            double c = st == 0 ? 0 : st == 3 ? 1 : 0.5;
            for (int j = 0; j < 3; j++)
                tmp[j] = y[j] + (st ? c * h * k[st - 1][j] : 0);
            k[st][0] = (p - g[0] * (tmp[0] - tmp[1])) / th.cap[0];
            k[st][1] = (g[0] * (tmp[0] - tmp[1]) - g[1] * (tmp[1] - tmp[2])) /
                       th.cap[1];
            k[st][2] = (g[1] * (tmp[1] - tmp[2]) - g[2] * (tmp[2] - 25)) /
                       th.cap[2];
        }
        for (int j = 0; j < 3; j++)
            y[j] += h / 6 * (k[0][j] + 2 * k[1][j] + 2 * k[2][j] + k[3][j]);
    }
    sa35_thermal_sim s;
    sa35_err err;
    CHECK(sa35_thermal_sim_init(&s, &th, 10.0, NULL, &err) == 0);
    sa35_thermal_sim_step(&s, p);
    for (int j = 0; j < 3; j++)
        CHECK_MSG(fabs(s.t[j] - y[j]) < 1e-6, "node %d: %.12g vs rk4 %.12g",
                  j, s.t[j], y[j]);
}

/* Leakage P_L(T) = L0 e^((T - 25)/10) through 1 K/W from 25 C. With
 * u = (T - 25)/10 the fixed point is u = a + b e^u, a = P_dyn / 10,
 * b = L0 / 10, solved by u = a - W(-b e^a). Choosing -b e^a = -0.5 e^-0.5
 * makes W = -0.5 exactly, so u = a + 0.5. */
static void test_leakage_fixed_point(void)
{
    sa35_thermal th = one_stage(1, 1);
    sa35_thermal_fix f;
    /* P_dyn = 0, L0 = 5 e^-0.5: Tj = 30 C, leakage there 5 W. Newton
     * stops at a relative step of 1e-12, so 1e-9 K is safe. */
    th.leak_w0 = 5 * exp(-0.5);
    sa35_thermal_steady_leak(&th, 0, &f);
    CHECK(!f.runaway);
    CHECK_MSG(fabs(f.tj - 30) < 1e-9, "tj %.15g", f.tj);
    CHECK(fabs(f.p_leak_w - 5) < 1e-9);
    /* The largest P_dyn with a fixed point: at the tangent, theta P_L = 10
     * K, T = 25 + 10 ln(10 / L0) = 25 + 10 (ln 2 + 0.5), and
     * P_dyn_max = T - 25 - 10 = 10 ln 2 - 5. */
    CHECK(fabs(f.p_dyn_max_w - (10 * log(2.0) - 5)) < 1e-12);
    /* P_dyn = 10 W, L0 = 5 e^-1.5: a = 1, u = 1.5, Tj = 40 C. */
    th.leak_w0 = 5 * exp(-1.5);
    sa35_thermal_steady_leak(&th, 10, &f);
    CHECK(!f.runaway);
    CHECK_MSG(fabs(f.tj - 40) < 1e-9, "tj %.15g", f.tj);
    CHECK(fabs(f.p_total_w - 15) < 1e-9);
    /* The leak-free case is the plain sum. */
    th.leak_w0 = 0;
    sa35_thermal_steady_leak(&th, 10, &f);
    CHECK(!f.runaway && f.tj == 35 && f.iterations == 0);
}

/* Runaway: b e^a > 1/e has no fixed point. With P_dyn = 0, L0 = 10/e is
 * the edge (a double root at u = 1, T = 35). */
static void test_runaway(void)
{
    sa35_thermal th = one_stage(1, 1);
    sa35_thermal_fix f;
    th.leak_w0 = 4; /* > 10/e = 3.679 */
    sa35_thermal_steady_leak(&th, 0, &f);
    CHECK(f.runaway);
    CHECK(f.p_dyn_max_w < 0);
    th.leak_w0 = 3.6;
    sa35_thermal_steady_leak(&th, 0, &f);
    CHECK(!f.runaway && f.tj > 25 && f.tj < 35);
    /* At the edge the root is double: Newton gains one bit a step and the
     * residual is quadratic in the error, so T is good to ~sqrt(eps) x
     * scale; 1e-5 K allows for that. */
    th.leak_w0 = 10 * exp(-1.0);
    sa35_thermal_steady_leak(&th, 0, &f);
    CHECK(!f.runaway);
    CHECK_MSG(fabs(f.tj - 35) < 1e-5, "edge tj %.12g", f.tj);
    /* The transient sees it too: Tj climbs past the runaway limit. */
    th.leak_w0 = 4;
    double p[2000] = {0};
    sa35_thermal_run run;
    sa35_err err;
    double tj[2000];
    CHECK(sa35_thermal_transient(&th, 0.01, 2000, p, 0, tj, NULL, NULL, &run,
                                 &err) == 0);
    CHECK(run.runaway);
    CHECK(run.steps < 2000 && tj[1999] == tj[run.steps - 1]);
    /* And a stable case settles on the fixed point (30 C, see above):
     * 40 time constants of 1 s leave e^-40 of the gap. */
    th.leak_w0 = 5 * exp(-0.5);
    CHECK(sa35_thermal_transient(&th, 0.02, 2000, p, 0, tj, NULL, NULL, &run,
                                 &err) == 0);
    CHECK(!run.runaway);
    CHECK_MSG(fabs(run.tj_end - 30) < 1e-6, "end %.12g", run.tj_end);
}

/* Throttling as a relay between 80 and 85 C. Full clock heats toward
 * 25 + 100 = 125 C, half clock cools toward 75 C (tau = 1 s). Heating
 * 80 -> 85 takes ln(45/40) s, cooling 85 -> 80 takes ln(10/5) s, so the
 * clock averages (h + 0.5 c) / (h + c) = 0.57264. Switching happens on a
 * step boundary (1e-4 s), a relative error of about 1e-4 per cycle of
 * 0.81 s; the tolerance 2e-3 also covers the start-up from ambient (the
 * first 0.4% of the 500 s run). */
static void test_throttle(void)
{
    sa35_thermal th = one_stage(1, 1);
    size_t n = 5000000;
    double *p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = 100;
    sa35_thermal_run run;
    sa35_err err;
    CHECK(sa35_thermal_transient(&th, 1e-4, n, p, 1, NULL, NULL, NULL, &run,
                                 &err) == 0);
    double h = log(45.0 / 40.0), c = log(2.0);
    double want = (h + 0.5 * c) / (h + c);
    CHECK_MSG(fabs(run.clock_avg - want) < 2e-3, "clock %.6f vs %.6f",
              run.clock_avg, want);
    CHECK(run.tj_peak < 85.01 && !run.runaway);
    CHECK(run.throttled_s > 0);
    /* Without throttling it goes to 125 C. */
    CHECK(sa35_thermal_transient(&th, 0.01, 5000, p, 0, NULL, NULL, NULL,
                                 &run, &err) == 0);
    CHECK(fabs(run.tj_end - 125) < 1e-9 && run.clock_avg == 1);
    free(p);
}

static void test_config(void)
{
    static const char good[] =
        "{\"ambient_c\": 25, \"tmax_c\": 105, \"stages\": ["
        "{\"name\": \"junction\", \"theta_k_per_w\": 0.05, \"c_j_per_k\": 5},"
        "{\"name\": \"package\", \"theta_k_per_w\": 0.1, \"c_j_per_k\": 50}],"
        "\"leakage\": {\"w_at_t0\": 20, \"t0_c\": 25, \"t_slope_k\": 40},"
        "\"throttle\": {\"clock_fraction\": 0.5, \"hysteresis_k\": 5}}";
    sa35_thermal th;
    sa35_err err;
    CHECK(sa35_thermal_parse(good, "sys.json", &th, &err) == 0);
    CHECK(th.n == 2 && th.theta[1] == 0.1 && th.cap[0] == 5 &&
          strcmp(th.name[1], "package") == 0 && th.t_slope == 40);
    char bad[sizeof good + 8];
    /* A negative theta names the stage. */
    snprintf(bad, sizeof bad, "%s", good);
    memcpy(strstr(bad, "0.1,"), "-1 ,", 4);
    CHECK(sa35_thermal_parse(bad, "sys.json", &th, &err) != 0);
    CHECK_MSG(strstr(err.msg, "theta of stage 'package'") &&
              strstr(err.msg, "sys.json"), "%s", err.msg);
    /* Missing leakage. */
    snprintf(bad, sizeof bad, "%s", good);
    memcpy(strstr(bad, "\"leakage\""), "\"leakagX\"", 9);
    CHECK(sa35_thermal_parse(bad, "sys.json", &th, &err) != 0);
    CHECK_MSG(strstr(err.msg, "leakage"), "%s", err.msg);
    CHECK(sa35_thermal_parse("{", "x", &th, &err) != 0);
    /* A key twice names the file and the key. */
    snprintf(bad, sizeof bad, "%s", good);
    memcpy(strstr(bad, "\"tmax_c\""), "\"ambient_c\": 9,", 15);
    CHECK(sa35_thermal_parse(bad, "sys.json", &th, &err) != 0);
    CHECK_MSG(strstr(err.msg, "sys.json: key \"ambient_c\" appears twice"),
              "%s", err.msg);
    /* Tmax at or below ambient, and a bad step. */
    CHECK(sa35_thermal_parse(good, "sys.json", &th, &err) == 0);
    th.t_max = 20;
    CHECK(sa35_thermal_check(&th, &err) != 0);
    th.t_max = 105;
    sa35_thermal_sim s;
    CHECK(sa35_thermal_sim_init(&s, &th, -1, NULL, &err) != 0);
    double p = NAN;
    sa35_thermal_run run;
    CHECK(sa35_thermal_transient(&th, 1, 1, &p, 0, NULL, NULL, NULL, &run,
                                 &err) != 0);
}

int main(void)
{
    test_one_stage_exponential();
    test_ladder_steady();
    test_ladder_against_rk4();
    test_leakage_fixed_point();
    test_runaway();
    test_throttle();
    test_config();
    return TEST_DONE();
}
