/* test_power_energy.c: per-event energies and the event sum.
 *
 * At 45 nm and 0.9 V the node factor is F/F = 1 exactly, so the model must
 * return Horowitz's numbers exactly; derived energies (a x w / 64, linear
 * adds, log-log SRAM) are a few floating-point operations each, checked to
 * 1e-12 relative. */
#include "test_util.h"

#include "sa35_power.h"

static int near(double a, double b) { return fabs(a - b) <= 1e-12 * fabs(b); }

static void test_45nm_is_horowitz(void)
{
    sa35_energy_model m;
    sa35_err err;
    CHECK(sa35_energy_model_default(45, "hbm2", &m, &err) == 0);
    CHECK(m.scale_from_45 == 1 && m.vdd == 0.9);
    CHECK(m.mul8x8_pj == 0.2 && m.add8_pj == 0.03 && m.add32_pj == 0.1);
    CHECK(m.sram_pj_per_byte[0] == 1.25 && m.sram_pj_per_byte[2] == 12.5);
    CHECK(near(sa35_energy_mul_pj(&m, 8, 8), 0.2));
    CHECK(near(sa35_energy_mul_pj(&m, 8, 4), 0.1));
    CHECK(near(sa35_energy_mul_pj(&m, 8, 3), 0.075));
    CHECK(near(sa35_energy_add_pj(&m, 8), 0.03));
    CHECK(near(sa35_energy_add_pj(&m, 32), 0.1));
    CHECK(near(sa35_energy_add_pj(&m, 20), 0.065));
    CHECK(near(sa35_energy_sram_pj_per_byte(&m, 8192), 1.25));
    CHECK(near(sa35_energy_sram_pj_per_byte(&m, 32768), 2.5));
    CHECK(near(sa35_energy_sram_pj_per_byte(&m, 1048576), 12.5));
    /* Between 8 and 32 KB energy doubles for 4x the size: sqrt(size). */
    CHECK(near(sa35_energy_sram_pj_per_byte(&m, 16384), 1.25 * sqrt(2.0)));
    /* HBM2 3.97 pJ/bit = 31.76 pJ/byte, not node-scaled. */
    CHECK(near(m.offchip_pj_per_byte, 31.76));
    CHECK(near(m.link_pj_per_byte, 10.4));
    /* Register energies: OSU 0.18 um at 1.8 V scaled by F45/F180. */
    double f180 = 24.64 * 1.8 - 17.98;
    double f45 = 1.018 * 0.81 - 0.3107 * 0.9 + 0.1539;
    CHECK(near(m.ff_toggle_pj, 0.139473 * f45 / f180));
    CHECK(near(m.ff_clock_pj, 0.117205 * f45 / f180));
}

static void test_scaled_and_errors(void)
{
    sa35_energy_model m45, m7;
    sa35_err err;
    CHECK(sa35_energy_model_default(45, "hbm2", &m45, &err) == 0);
    CHECK(sa35_energy_model_default(7, "hbm2e", &m7, &err) == 0);
    CHECK(near(m7.mul8x8_pj, 0.2 * m7.scale_from_45));
    CHECK(m7.scale_from_45 < 0.1 && m7.scale_from_45 > 0.05);
    CHECK(near(m7.offchip_pj_per_byte, 48.0)); /* 6.0 pJ/bit, unscaled */
    CHECK(sa35_energy_model_default(7, "hbm9", &m7, &err) != 0);
    CHECK_MSG(strstr(err.msg, "hbm9"), "%s", err.msg);
    CHECK(sa35_energy_model_default(3, "hbm2", &m7, &err) != 0);
}

static void test_eval(void)
{
    sa35_energy_model m;
    sa35_err err;
    CHECK(sa35_energy_model_default(45, "hbm2", &m, &err) == 0);
    sa35_power_events ev;
    memset(&ev, 0, sizeof ev);
    ev.act_bits = 8;
    ev.psum_bits = 20;
    ev.macs[4] = 1e9; /* 1e9 x (0.1 + 0.065) pJ = 0.165 mJ */
    ev.macs[3] = 1e9; /* 1e9 x (0.075 + 0.065) pJ = 0.140 mJ */
    ev.reg_toggles = 1e9;
    ev.reg_bit_cycles = 2e9;
    ev.nsram = 1;
    ev.sram_macro_bytes[0] = 32768;
    ev.sram_bytes[0] = 1e6;   /* 2.5 uJ */
    ev.offchip_bytes = 1e9;   /* 31.76 mJ */
    ev.link_bytes = 1e6;      /* 10.4 uJ */
    sa35_energy_split e;
    sa35_energy_eval(&m, &ev, &e);
    CHECK(near(e.mac_j, 0.165e-3 + 0.140e-3));
    CHECK(near(e.reg_j, 1e9 * m.ff_toggle_pj * 1e-12));
    CHECK(near(e.clock_j, 2e9 * m.ff_clock_pj * 1e-12));
    CHECK(near(e.sram_j, 2.5e-6));
    CHECK(near(e.offchip_j, 31.76e-3));
    CHECK(near(e.link_j, 10.4e-6));
    CHECK(near(e.dynamic_j, e.mac_j + e.reg_j + e.clock_j + e.sram_j +
                                e.offchip_j + e.link_j));
}

int main(void)
{
    test_45nm_is_horowitz();
    test_scaled_and_errors();
    test_eval();
    return TEST_DONE();
}
