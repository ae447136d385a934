/* test_power_activity.c: the register toggle rates `sa35 project` measures
 * with the cycle simulator (power/sa35_activity.h): they lie in (0, 1) on
 * every PE kind, each kind's are its own, they repeat exactly for a seed,
 * and the register energy is the hand-computed event sum. */
#include <string.h>

#include "test_util.h"

#include "sa35_activity.h"
#include "sa35_io.h"
#include "sa35_project.h"
#include "sa35_sim.h"

static void measure(sa35_pe_kind pe, int64_t m, uint64_t seed,
                    sa35_activity *a)
{
    /* the hbm1 / tsp array and load rate, llama-2-70b's hidden size */
    sa35_activity_work w = {320, 320, 8, 8192, m, pe, seed};
    sa35_err err;
    int rc = sa35_activity_measure(&w, a, &err);
    CHECK_MSG(rc == 0, "%s", err.msg);
}

static int in01(double x) { return x > 0 && x < 1; }

static void test_range_and_kinds(void)
{
    sa35_activity a[SA35_PE_COUNT];
    for (int k = 0; k < SA35_PE_COUNT; k++) {
        const sa35_pe_desc *pe = sa35_pe_info((sa35_pe_kind)k);
        measure((sa35_pe_kind)k, 1, SA35_ACTIVITY_SEED, &a[k]);
        /* 3 K tiles of k-per-row x 320 k; the psum of 320 rows of the
         * kind's products (21 bits for 2048, 24 for 16384) */
        CHECK(a[k].measured && a[k].pe == (sa35_pe_kind)k && a[k].M == 1 &&
              a[k].K == 3 * 320 * (int64_t)pe->k_per_row && a[k].N == 320);
        CHECK(a[k].psum_bits == (pe->k_per_row * pe->w_max == 16 ? 21 : 24));
        CHECK_MSG(in01(a[k].psum) && in01(a[k].act) && in01(a[k].skew) &&
                      in01(a[k].weight),
                  "%s: %g %g %g %g", pe->name, a[k].psum, a[k].act,
                  a[k].skew, a[k].weight);
        CHECK(strstr(a[k].source, pe->name) != NULL);
    }
    /* every kind is its own machine: its weights and partial sums toggle
     * their own way (no rate copied from another kind) */
    for (int k = 1; k < SA35_PE_COUNT; k++)
        CHECK(a[k].weight != a[0].weight && a[k].psum != a[0].psum);
}

static void test_reproducible(void)
{
    sa35_activity a, b, c;
    measure(SA35_PE_SA35, 16, 7, &a);
    measure(SA35_PE_SA35, 16, 7, &b);
    measure(SA35_PE_SA35, 16, 8, &c);
    CHECK(a.psum == b.psum && a.act == b.act && a.skew == b.skew &&
          a.weight == b.weight && a.zero_act == b.zero_act &&
          a.zero_weight == b.zero_weight && !strcmp(a.source, b.source));
    CHECK(a.psum != c.psum && a.weight != c.weight);
    measure(SA35_PE_INT8, 16, 7, &a);
    measure(SA35_PE_INT8, 16, 7, &b);
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
    CHECK(sa35_power_cfg_read(path, &pc, &err) == 0);
    sa35_proj_opts o;
    memset(&o, 0, sizeof o);
    o.work = (sa35_workload){SA35_DECODE, 2, 64, 1};
    o.activity_assumed = 1, o.activity = 0.3;
    sa35_proj p;
    sa35_wformat f;
    CHECK(sa35_wformat_parse("sa35", &s, &f, &err) == 0);
    CHECK_MSG(sa35_project(&m, &s, &pc, &o, &f, &p, &err) == 0, "%s",
              err.msg);
    CHECK(p.ok && !p.act.measured && p.act.psum == 0.3);
    sa35_energy_model em;
    CHECK(sa35_energy_model_default(pc.node_nm, pc.offchip, &em, &err) == 0);
    CHECK_MSG(fabs(p.e.reg_j - reg_pj(&p, &em) * 1e-12) <= 1e-12 * p.e.reg_j,
              "reg_j %.9g, by hand %.9g", p.e.reg_j, reg_pj(&p, &em) * 1e-12);
    sa35_proj_free(&p);
    /* measured: the same sum with the measured rates per class */
    o.activity_assumed = 0;
    CHECK(sa35_project(&m, &s, &pc, &o, &f, &p, &err) == 0);
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
    test_range_and_kinds();
    test_reproducible();
    test_energy_event_sum(src);
    return TEST_DONE();
}
