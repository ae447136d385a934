/* engines.h: the engines `sa35 gemm --engine NAME` can run. Each computes
 * the int32 accumulators acc[M][N] = A . q; the float output stage is common,
 * so the output never depends on the engine. An engine may add statistics
 * (cycles, counters) to a JSON object the command writes out. */
#ifndef SA35_CLI_ENGINES_H
#define SA35_CLI_ENGINES_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "sa35_cmodel.h"

/* What an accelerator run may cost before it is refused (engine_sim_check):
 * the bytes it allocates, and with force 0 the PE-cycles the timing model
 * predicts for a cycle-accurate engine. */
typedef struct engine_limits {
    uint64_t max_memory; /* --max-memory; cli_default_budget() unless given */
    int force;           /* --force: no PE-cycle limit                      */
} engine_limits;

/* More simulated PE-cycles (R x C x cycles) than this ask for --force: at
 * the simulator's 2.5e9 PE-cycles/s (docs/performance.md) 40 s with AVX2,
 * 3 minutes with the scalar kernel, hours on the RTL; a smaller run (1e10
 * is 4 s) is not worth a question. */
#define ENGINE_MAX_PE_CYCLES 1e11
#define ENGINE_PE_CYCLES_PER_S 2.5e9

typedef struct engine_opts {
    const char *array;      /* --array RxC, NULL for the engine's default    */
    int threads;            /* --threads T, 0 for the engine's default       */
    const char *trace_path; /* --trace FILE, NULL for none                   */
    int progress;           /* draw a progress bar (stderr is a terminal)    */
    cJSON *stats;           /* an object to fill when --stats is given, or   */
                            /* NULL                                          */
    engine_limits limits;   /* accelerator engines: --max-memory, --force    */
    const struct cli_memsys *mem; /* accelerator engines: --load-rows,       */
                            /* --dram-bw, --dram-latency, --clock (NULL:   */
                            /* the defaults; cli_common.h)                 */
} engine_opts;

typedef int (*engine_fn)(const int8_t *A, int64_t M, const sa35_qweights *q,
                         int32_t *acc, const engine_opts *opts,
                         sa35_err *err);

typedef struct engine {
    const char *name;
    engine_fn run;
    const char *help; /* one line for `sa35 gemm --help` */
    int values;       /* 1: it computes acc; 0: statistics only (timing)   */
} engine;

/* The engine called name, or NULL. */
const engine *engine_find(const char *name);
/* All engines, terminated by an entry with a NULL name. */
const engine *engine_all(void);

/* The engines themselves, one file each (engine_<name>.c). */
int engine_golden_run(const int8_t *A, int64_t M, const sa35_qweights *q,
                      int32_t *acc, const engine_opts *opts, sa35_err *err);
int engine_cpu_run(const int8_t *A, int64_t M, const sa35_qweights *q,
                   int32_t *acc, const engine_opts *opts, sa35_err *err);

int engine_sim_run(const int8_t *A, int64_t M, const sa35_qweights *q,
                   int32_t *acc, const engine_opts *opts, sa35_err *err);
int engine_timing_run(const int8_t *A, int64_t M, const sa35_qweights *q,
                      int32_t *acc, const engine_opts *opts, sa35_err *err);
int engine_rtl_run(const int8_t *A, int64_t M, const sa35_qweights *q,
                   int32_t *acc, const engine_opts *opts, sa35_err *err);
/* engine_sim.c: an M x K x N GEMM on one of the library's program engines
 * (sa35_engine_find: "sim", "timing", ...; for an engine that computes no
 * values A, q, acc may be NULL and acc is not written), weights in groups
 * of G (0: per column; q's group when q is given), with a progress bar and
 * statistics into `stats` (may be NULL). */
struct sa35_arch;
int engine_sim_shape(const char *engine, const struct sa35_arch *a, int64_t M,
                     int64_t K, int64_t N, int64_t G, const int8_t *A,
                     const sa35_qweights *q, int32_t *acc, int show_progress,
                     cJSON *stats, sa35_err *err);
/* Before an M x K x N GEMM (groups of G) runs on an accelerator engine
 * (sim, timing, rtl; see engine_sim_shape), and before the caller
 * allocates its data: refuse it, with the figures, when the program, the
 * memory images and the caller's data_bytes pass lim->max_memory, or when
 * the engine is cycle-accurate, lim->force is 0 and the timing model
 * predicts more than ENGINE_MAX_PE_CYCLES. */
int engine_sim_check(const char *engine, const struct sa35_arch *a,
                     int64_t M, int64_t K, int64_t N, int64_t G,
                     uint64_t data_bytes, const engine_limits *lim,
                     sa35_err *err);
/* Set a->pe to the PE kind that multiplies q's format (an accelerator
 * engine runs the weights it is given on PEs made for them); an error for
 * a format no PE kind takes. */
int engine_pe_of_weights(const sa35_qweights *q, struct sa35_arch *a,
                         sa35_err *err);

#endif
