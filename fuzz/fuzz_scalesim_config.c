/* fuzz_scalesim_config.c: SCALE-Sim's .cfg reader. Asserts: an accepted
 * config has an array in range, a run_name that stays inside the output
 * directory, and runs a fixed GEMM layer through --compat without a count
 * out of range. */
#include "fuzz_util.h"
#include "sa35_scalesim.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    char *text = fuzz_text(d, n);
    sa35_ss_config c;
    sa35_err err;
    int rc = sa35_ss_config_parse(text, "scale.cfg", &c, &err);
    free(text);
    if (rc != 0)
        return 0;
    FUZZ_ASSERT(c.rows >= 1 && c.rows <= 65535 && c.cols >= 1 &&
                c.cols <= 65535);
    FUZZ_ASSERT(!strchr(c.run_name, '/') && strcmp(c.run_name, "..") &&
                strcmp(c.run_name, "."));
    sa35_ss_layer l = {"L", 256, 256, 1, 256, 1, 128, 1, 1};
    sa35_ss_result r;
    FUZZ_ASSERT(sa35_ss_compat(&c, &l, SA35_SS_SUM_PY312, &r, &err) == 0);
    /* v2 divides by its last row's index, one less than the rows: on a
     * 1 x 1 os array (T cycles per fold, all MACs) that passes 100 %, at
     * most by the factor rows / (rows - 1) (docs/scalesim.md) */
    FUZZ_ASSERT(r.total_cycles > 0 && r.overall_util > 0 &&
                r.overall_util * (double)r.total_cycles <=
                    100.0 * (double)(r.total_cycles + 1));
    return 0;
}
