/* fuzz_scalesim_topo.c: SCALE-Sim's topology CSV reader, and --compat on
 * what it accepts. The first input byte picks the row kind (bit 0: GEMM
 * or conv) and the dataflow (bits 1-2), the next two the array's height
 * and width (1..256, or 65535 at 0), the rest is the CSV. Asserts: every
 * layer's dims exist, --compat either refuses a layer or gives positive
 * cycles and utilizations in (0, 100] (overall: v2's off-by-one allowed)
 * for the first 4 layers (to keep each input fast). */
#include "fuzz_util.h"
#include "sa35_scalesim.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 3)
        return 0;
    int gemm = d[0] & 1;
    sa35_ss_config c;
    memset(&c, 0, sizeof c);
    c.dataflow = (sa35_ss_dataflow)((d[0] >> 1) % 3);
    c.rows = d[1] ? d[1] : 65535;
    c.cols = d[2] ? d[2] : 65535;
    char *text = fuzz_text(d + 3, n - 3);
    sa35_ss_layer *l = NULL;
    int count = 0;
    sa35_err err;
    int rc = sa35_ss_topo_parse(text, "topo.csv", gemm, &l, &count, &err);
    free(text);
    if (rc != 0)
        return 0;
    FUZZ_ASSERT(count >= 1 && count <= SA35_SS_LAYERS_MAX);
    for (int i = 0; i < count && i < 4; i++) {
        int64_t px, filt, win;
        FUZZ_ASSERT(sa35_ss_layer_dims(&l[i], &px, &filt, &win, &err) == 0);
        FUZZ_ASSERT(px >= 1 && filt >= 1 && win >= 1);
        sa35_ss_result r;
        if (sa35_ss_compat(&c, &l[i], SA35_SS_SUM_PY312, &r, &err) != 0)
            continue;
        FUZZ_ASSERT(r.total_cycles > 0);
        /* v2's total is the last row's index, one short of the rows: on
         * a 1 x 1 array its overall util passes 100 by that one cycle */
        FUZZ_ASSERT(r.overall_util > 0 &&
                    r.overall_util <= 100.0 * (double)(r.total_cycles + 1) /
                                              (double)r.total_cycles +
                                          1e-9);
        FUZZ_ASSERT(r.mapping_eff > 0 && r.mapping_eff <= 100 + 1e-9);
        FUZZ_ASSERT(r.compute_util > 0 && r.compute_util <= 100 + 1e-9);
    }
    free(l);
    return 0;
}
