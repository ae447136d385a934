/* engine.c: the library's engines behind one interface (sa35_sim.h,
 * "engines"): what each runs and what it produces, in one table. */
#include <string.h>

#include "sa35_sim.h"

/* The functional executor: memories only, no time. */
static int run_func(const sa35_engine *e, const sa35_arch *a,
                    const sa35_program *p, sa35_mem mem,
                    const sa35_sim_opts *opts, sa35_stats *st, sa35_err *err)
{
    (void)e, (void)opts;
    memset(st, 0, sizeof *st);
    if (sa35_program_validate(p, a, err))
        return -1;
    sa35_func f;
    if (sa35_func_init(&f, a, mem, err))
        return -1;
    sa35_func_run(&f, p);
    sa35_func_free(&f);
    return 0;
}

/* The cycle-accurate simulator with its kernel: the engine is the first
 * member of a sim_engine, which names the kernel ("sim": the one opts asks
 * for, AVX2 by default). */
typedef struct sim_engine {
    sa35_engine e;
    int fixed;              /* 1: the kernel below, whatever opts says   */
    sa35_sim_kernel kernel;
} sim_engine;

static int run_sim(const sa35_engine *e, const sa35_arch *a,
                   const sa35_program *p, sa35_mem mem,
                   const sa35_sim_opts *opts, sa35_stats *st, sa35_err *err)
{
    const sim_engine *se = (const sim_engine *)(const void *)e;
    sa35_sim_opts o = {SA35_KERNEL_AUTO, NULL, NULL};
    if (opts)
        o = *opts;
    if (se->fixed)
        o.kernel = se->kernel;
    return sa35_sim_run(a, p, mem, &o, st, err);
}

static int run_timing(const sa35_engine *e, const sa35_arch *a,
                      const sa35_program *p, sa35_mem mem,
                      const sa35_sim_opts *opts, sa35_stats *st,
                      sa35_err *err)
{
    (void)e, (void)mem, (void)opts;
    return sa35_timing_run(a, p, st, err);
}

enum {
    SIM = SA35_PRODUCES_DATA | SA35_PRODUCES_CYCLES | SA35_PRODUCES_TIMING |
          SA35_PRODUCES_ACTIVITY,
};
static const sa35_engine func = {
    "func", "the functional executor (isa/): whole instructions, no time",
    SA35_PRODUCES_DATA, run_func};
static const sim_engine sims[] = {
    {{"sim", "the cycle-accurate simulator (sim/), AVX2 kernel where the "
             "CPU has it",
      SIM, run_sim},
     0, SA35_KERNEL_AUTO},
    {{"sim-scalar", "the cycle-accurate simulator with its portable kernel",
      SIM, run_sim},
     1, SA35_KERNEL_SCALAR},
    {{"sim-ref", "the cycle-accurate simulator on the reference array "
                 "(every PE every cycle)",
      SIM, run_sim},
     1, SA35_KERNEL_REF},
};
static const sa35_engine timing = {
    "timing", "the timing model (sim/): cycles and counters, no data",
    SA35_PRODUCES_CYCLES | SA35_PRODUCES_TIMING, run_timing};

static const sa35_engine *const engines[] = {
    &func, &sims[0].e, &sims[1].e, &sims[2].e, &timing, NULL};

const sa35_engine *const *sa35_engines(void) { return engines; }

const sa35_engine *sa35_engine_find(const char *name)
{
    for (size_t i = 0; engines[i]; i++)
        if (strcmp(engines[i]->name, name) == 0)
            return engines[i];
    return NULL;
}
