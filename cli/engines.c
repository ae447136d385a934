/* engines.c: the table of engines. To add one, write engine_<name>.c,
 * declare its function in engines.h and add one line here. */
#include <string.h>

#include "engines.h"

static const engine engines[] = {
    {"golden", engine_golden_run,
     "the C golden model (cmodel/): the reference every engine matches"},
    {"cpu", engine_cpu_run, "CPU SIMD kernels (cpu/), --threads T"},
    {"sim", engine_sim_run, "cycle-accurate array simulator (sim/), --array"},
    {"timing", engine_timing_run, "golden values, timing-model stats, --array"},
    {"rtl", engine_rtl_run, "the Verilated RTL (rtl/), --array, --trace"},
    {NULL, NULL, NULL},
};

const engine *engine_all(void) { return engines; }

const engine *engine_find(const char *name)
{
    for (const engine *e = engines; e->name; e++)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}
