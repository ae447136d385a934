/* engines.c: the table of engines. To add one, write engine_<name>.c,
 * declare its function in engines.h and add one line here. */
#include <string.h>

#include "engines.h"
#include "sa35_isa.h"

static const engine engines[] = {
    {"golden", engine_golden_run,
     "the C golden model (cmodel/): the reference every engine matches", 1},
    {"cpu", engine_cpu_run, "CPU SIMD kernels (cpu/), --threads T", 1},
    {"sim", engine_sim_run, "cycle-accurate array simulator (sim/), --array",
     1},
    {"timing", engine_timing_run,
     "the timing model (sim/): cycles and counters only (--stats, no -o), "
     "--array",
     0},
    {"rtl", engine_rtl_run,
     "the Verilated RTL (rtl/), --array, --trace; --stats: its TIMING "
     "counters",
     1},
    {NULL, NULL, NULL, 0},
};

const engine *engine_all(void) { return engines; }

const engine *engine_find(const char *name)
{
    for (const engine *e = engines; e->name; e++)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

int engine_pe_of_weights(const sa35_qweights *q, sa35_arch *a, sa35_err *err)
{
    if (sa35_pe_of_format(q->fmt, &a->pe))
        return sa35_err_set(err, "%s weights: no PE kind multiplies them "
                                 "(PE kinds: %s; quantize with --format "
                                 "sa35, int4 or int8)",
                            sa35_format_info(q->fmt)->name, sa35_pe_names());
    return 0;
}
