/* test_power_activity.c: the register toggle rates `sa35 project` measures
 * with the cycle simulator (power/sa35_activity.h): they lie in (0, 1),
 * are those of the 3.5-bit datapath at 4 and 8 bits too (labelled so: the
 * 4/8-bit PE is not simulated), repeat exactly for a seed, and the
 * register energy is the hand-computed event sum. */
#include <string.h>

#include "test_util.h"

#include "sa35_activity.h"
#include "sa35_io.h"
#include "sa35_project.h"
#include "sa35_sim.h"

static void measure(double bits, int64_t m, uint64_t seed, sa35_activity *a)
{
    /* the hbm1 / tsp array and load rate, llama-2-70b's hidden size */
    sa35_activity_work w = {320, 320, 8, 8192, m, bits, seed};
    sa35_err err;
    int rc = sa35_activity_measure(&w, a, &err);
    CHECK_MSG(rc == 0, "%s", err.msg);
}

static int in01(double x) { return x > 0 && x < 1; }

static void test_range_and_formats(void)
{
    sa35_activity a[3];
    const double bits[3] = {3.5, 4, 8};
    for (int i = 0; i < 3; i++) {
        measure(bits[i], 1, SA35_ACTIVITY_SEED, &a[i]);
        CHECK(a[i].measured && a[i].M == 1 && a[i].K == 1920 &&
              a[i].N == 320 && a[i].psum_bits == 21);
        CHECK_MSG(in01(a[i].psum) && in01(a[i].act) && in01(a[i].skew) &&
                      in01(a[i].weight),
                  "%g bits: %g %g %g %g", bits[i], a[i].psum, a[i].act,
                  a[i].skew, a[i].weight);
        CHECK(a[i].seconds < 2);
    }
    /* 4 and 8 bits: the 3.5-bit datapath's rates, labelled as such */
    for (int i = 1; i < 3; i++) {
        CHECK(a[i].psum == a[0].psum && a[i].act == a[0].act &&
              a[i].skew == a[0].skew && a[i].weight == a[0].weight &&
              a[i].zero_act == a[0].zero_act &&
              a[i].zero_weight == a[0].zero_weight);
        CHECK(a[i].bits == bits[i] && a[i].sim_bits == 3.5);
        CHECK(strstr(a[i].source, SA35_ACTIVITY_NOT_SIMULATED) != NULL);
    }
    CHECK(a[0].sim_bits == 3.5 &&
          strstr(a[0].source, "not simulated") == NULL);
}

static void test_reproducible(void)
{
    sa35_activity a, b, c;
    measure(3.5, 16, 7, &a);
    measure(3.5, 16, 7, &b);
    measure(3.5, 16, 8, &c);
    CHECK(a.psum == b.psum && a.act == b.act && a.skew == b.skew &&
          a.weight == b.weight && a.zero_act == b.zero_act &&
          a.zero_weight == b.zero_weight && !strcmp(a.source, b.source));
    CHECK(a.psum != c.psum && a.weight != c.weight);
    measure(4, 16, 7, &a);
    measure(4, 16, 7, &b);
    CHECK(a.psum == b.psum && a.weight == b.weight);
}

/* The data-register toggle energy of a projection by hand, pJ, with the
 * rates it used per class (all equal when assumed): every array op's
 * register writes (busy x (M+1)/M: the clearing write after its last row)
 * x the psum (21 bits at 320 rows), activation (16) and skew/de-skew bits
 * per PE, plus the weight bits written twice (shadow, then active). */
static double reg_pj(const sa35_proj *p, const sa35_energy_model *em)
{
    const double psum = 21; /* 1 + ceil(log2(2048 x 320 + 1)) */
    const double skew = (320.0 * 319 / 2 * 16 + 320.0 * 319 / 2 * psum) /
                        (320.0 * 320);
    double pj = 0;
    for (int64_t i = 0; i < p->run.nres; i++) {
        const sa35_op *op = p->run.res[i].op;
        if (op->unit != SA35_UNIT_ARRAY)
            continue;
        double busy = (double)op->M * op->K * op->N / 2;
        double writes = busy * (op->M + 1) / op->M;
        pj += writes * (p->act.psum * psum + p->act.act * 16 +
                        p->act.skew * skew) * em->ff_toggle_pj;
        pj += (double)op->K * op->N * 7 * p->act.weight * em->ff_toggle_pj;
    }
    return pj;
}

/* The register energy of a projection at a given activity is the event
 * sum by hand: every array op's data-register writes x their bits and
 * the weight bits written twice, x the DFF toggle energy. */
static void test_energy_event_sum(const char *src)
{
    char path[2048];
    sa35_llm m;
    sa35_system s;
    sa35_power_cfg pc;
    sa35_err err;
    snprintf(path, sizeof path, "%s/models/llama-2-7b.json", src);
    CHECK(sa35_llm_read(path, &m, &err) == 0);
    snprintf(path, sizeof path, "%s/systems/hbm1.json", src);
    CHECK(sa35_system_read(path, &s, &err) == 0);
    CHECK(sa35_power_cfg_load(NULL, path, "hbm1", &pc, &err) == 0);
    sa35_proj_opts o;
    memset(&o, 0, sizeof o);
    o.work = (sa35_workload){SA35_DECODE, 2, 64, 1};
    o.activity_assumed = 1, o.activity = 0.3;
    sa35_proj p;
    CHECK_MSG(sa35_project(&m, &s, &pc, &o, 3.5, &p, &err) == 0, "%s",
              err.msg);
    CHECK(p.ok && !p.act.measured && p.act.psum == 0.3);
    sa35_energy_model em;
    CHECK(sa35_energy_model_default(pc.node_nm, pc.offchip, &em, &err) == 0);
    CHECK_MSG(fabs(p.e.reg_j - reg_pj(&p, &em) * 1e-12) <= 1e-12 * p.e.reg_j,
              "reg_j %.9g, by hand %.9g", p.e.reg_j, reg_pj(&p, &em) * 1e-12);
    sa35_proj_free(&p);
    /* measured: the same sum with the measured rates per class */
    o.activity_assumed = 0;
    CHECK(sa35_project(&m, &s, &pc, &o, 3.5, &p, &err) == 0);
    CHECK(p.ok && p.act.measured && p.act.M == 2);
    CHECK_MSG(fabs(p.e.reg_j - reg_pj(&p, &em) * 1e-12) <= 1e-12 * p.e.reg_j,
              "reg_j %.9g, by hand %.9g", p.e.reg_j, reg_pj(&p, &em) * 1e-12);
    sa35_proj_free(&p);
}

int main(void)
{
    /* __FILE__ is SRC/tests/test_power_activity.c (absolute under CMake) */
    char src[1024];
    snprintf(src, sizeof src, "%s", __FILE__);
    for (int cut = 0; cut < 2; cut++) {
        char *sl = strrchr(src, '/');
        if (sl)
            *sl = 0;
    }
    test_range_and_formats();
    test_reproducible();
    test_energy_event_sum(src);
    return TEST_DONE();
}
