/* engine_sim.c: the accelerator model as engines of `sa35 gemm`:
 * `sim` (cycle-accurate: the values come from the simulated array) and
 * `timing` (statistics only: the timing model computes no values). --array
 * RxC picks the array (default 320x320), the weights the PE kind. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_common.h"
#include "engines.h"
#include "sa35_rtl.h"
#include "sa35_sim.h"

/* A progress bar on stderr, drawn only once a run has taken a second. */
typedef struct progress {
    struct timespec t0;
    int drawn;
} progress;

static double elapsed(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) +
           1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static void progress_draw(void *ctx, double fraction)
{
    progress *p = ctx;
    double s = elapsed(&p->t0);
    if (s < 1.0)
        return;
    int fill = (int)(fraction * 40.0);
    fprintf(stderr, "\rsimulating [%-40.*s] %3.0f%% %.0fs", fill,
            "########################################", 100.0 * fraction, s);
    p->drawn = 1;
}

/* the library's engines, and the RTL's (rtl/harness links above sim) */
static const sa35_engine *find(const char *engine, sa35_err *err)
{
    const sa35_engine *e = strcmp(engine, "rtl") == 0 ? sa35_rtl_engine()
                                                       : sa35_engine_find(engine);
    if (!e)
        sa35_err_set(err, "no engine '%s' in the library", engine);
    return e;
}

int engine_sim_check(const char *engine, const sa35_arch *a, int64_t M,
                     int64_t K, int64_t N, int64_t G, uint64_t data_bytes,
                     const engine_limits *lim, sa35_err *err)
{
    const sa35_engine *e = find(engine, err);
    sa35_gemm_plan plan;
    if (!e || sa35_gemm_plan_make(a, M, K, N, G, &plan, err))
        return -1;
    uint64_t prog, img, need = sa35_sim_gemm_bytes(&plan, e, &prog, &img);
    need = need + data_bytes < need ? UINT64_MAX : need + data_bytes;
    if (need > lim->max_memory)
        return sa35_err_set(err, "GEMM %lldx%lldx%lld on the %s engine "
                                 "needs %llu bytes (program %llu: %llu "
                                 "instructions; memory images %llu; data "
                                 "%llu), more than the budget of %llu bytes "
                                 "(--max-memory BYTES to change it)",
                            (long long)M, (long long)K, (long long)N,
                            e->name, (unsigned long long)need,
                            (unsigned long long)prog,
                            (unsigned long long)plan.instructions,
                            (unsigned long long)img,
                            (unsigned long long)data_bytes,
                            (unsigned long long)lim->max_memory);
    /* cycle-accurate: it steps the array (every engine with data but the
     * functional executor, which has no cycles) */
    const unsigned stepped = SA35_PRODUCES_DATA | SA35_PRODUCES_CYCLES;
    if (lim->force || (e->produces & stepped) != stepped)
        return 0;
    sa35_stats st;
    if (sa35_sim_gemm_group(a, sa35_engine_find("timing"), M, K, N, G, NULL,
                            NULL, NULL, NULL, &st, err))
        return -1;
    const double pe_cycles =
        (double)st.cycles * (double)a->rows * (double)a->cols;
    if (pe_cycles > ENGINE_MAX_PE_CYCLES)
        return sa35_err_set(err, "a cycle-accurate run of GEMM %lldx%lldx"
                                 "%lld on the %s engine would simulate "
                                 "%.3g PE-cycles (the timing model's %llu "
                                 "cycles x %dx%d PEs; %.0f minutes at "
                                 "%.2g PE-cycles/s), more than %.0e: "
                                 "--engine timing gives the same cycles and "
                                 "counters, --force runs it anyway",
                            (long long)M, (long long)K, (long long)N,
                            e->name, pe_cycles,
                            (unsigned long long)st.cycles, a->rows, a->cols,
                            pe_cycles / ENGINE_PE_CYCLES_PER_S / 60.0,
                            ENGINE_PE_CYCLES_PER_S, ENGINE_MAX_PE_CYCLES);
    return 0;
}

int engine_sim_shape(const char *engine, const sa35_arch *a, int64_t M,
                     int64_t K, int64_t N, int64_t G, const int8_t *A,
                     const sa35_qweights *q, int32_t *acc, int show_progress,
                     cJSON *stats, sa35_err *err)
{
    const sa35_engine *e = find(engine, err);
    if (!e)
        return -1;
    progress p = {{0, 0}, 0};
    clock_gettime(CLOCK_MONOTONIC, &p.t0);
    sa35_sim_opts so = {SA35_KERNEL_AUTO, show_progress ? progress_draw : NULL, &p};
    sa35_stats st;
    int rc = sa35_sim_gemm_group(a, e, M, K, N, G, A, q, acc, &so, &st, err);
    if (p.drawn)
        fputs("\r\033[K", stderr);
    if (!rc && stats &&
        sa35_stats_to_json(&st, a, e->name, stats))
        rc = sa35_err_set(err, "out of memory for the statistics");
    return rc;
}

static int run(int timing, const int8_t *A, int64_t M,
               const sa35_qweights *q, int32_t *acc, const engine_opts *opts,
               sa35_err *err)
{
    if (opts->threads || opts->trace_path)
        return sa35_err_set(err, "the %s engine takes no --threads or "
                                 "--trace", timing ? "timing" : "sim");
    sa35_arch a;
    sa35_arch_default(&a);
    if ((opts->array && sa35_arch_parse_array(opts->array, &a, err)) ||
        (opts->mem && cli_memsys_apply(opts->mem, &a, err)))
        return -1;
    if (engine_pe_of_weights(q, &a, err) || /* the PEs take q's codes */
        engine_sim_check(timing ? "timing" : "sim", &a, M, q->K, q->N,
                         q->group, 0, &opts->limits, err))
        return -1;
    return engine_sim_shape(timing ? "timing" : "sim", &a, M, q->K, q->N,
                            q->group, A, q, timing ? NULL : acc,
                            opts->progress, opts->stats, err);
}

int engine_sim_run(const int8_t *A, int64_t M, const sa35_qweights *q,
                   int32_t *acc, const engine_opts *opts, sa35_err *err)
{
    return run(0, A, M, q, acc, opts, err);
}

int engine_timing_run(const int8_t *A, int64_t M, const sa35_qweights *q,
                      int32_t *acc, const engine_opts *opts, sa35_err *err)
{
    return run(1, A, M, q, acc, opts, err);
}
