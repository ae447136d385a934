/* sa35_sim.h: the two engines that run accelerator programs.
 *
 * - The cycle-accurate simulator: every PE's registers (active and shadow
 *   weight pair, activation pair, partial sum) every cycle, the skew and
 *   de-skew, the accumulators, the controller's interlocks. Computes the
 *   real int32 results and counts events, data-dependent ones included.
 * - The timing model: the same cycle count and the same data-independent
 *   counters from the instruction-level rules of docs/architecture.md,
 *   without touching a PE.
 * Tests demand that both report identical cycles and counters. */
#ifndef SA35_SIM_H
#define SA35_SIM_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "sa35_isa.h"
#include "sa35_compiler.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The counters, written once: X(name, class, meaning). The struct, the
 * JSON writer (sa35_stats_to_json) and the equality check the tests use
 * (sa35_stats_diff) all come from this list, so a counter added here is
 * reported and compared everywhere.
 *   TIMING: data-independent; every engine that produces timing counts
 *           them, identically (the timing model, the simulator, the RTL);
 *   DATA:   data-dependent; only engines that move real data through the
 *           array's registers count them (the cycle-accurate simulator). */
#define SA35_STATS_COUNTERS(X)                                                \
    X(cycles, TIMING, "until the last instruction finished")                 \
    X(instructions, TIMING, "instructions run")                              \
    X(macs, TIMING, "k_per_row per busy PE-cycle")                           \
    X(pe_busy_cycles, TIMING,                                                \
      "PE-cycles with a tile weight and a streamed activation")              \
    X(weight_loads, TIMING, "ldw instructions")                              \
    X(weight_load_cycles, TIMING, "sum of rows + C - 1 (issue to last code)") \
    X(stream_cycles, TIMING, "cycles the left edge took a row (sum of m)")   \
    X(fill_cycles, TIMING, "before the first mm started")                    \
    X(stall_cycles, TIMING, "left edge idle between mms")                    \
    X(drain_cycles, TIMING, "after the last mm's last row entered")          \
    X(sram_read_bytes, TIMING, "SRAM bytes read")                            \
    X(sram_write_bytes, TIMING, "SRAM bytes written")                        \
    X(dram_read_bytes, TIMING, "off-chip bytes read")                        \
    X(dram_write_bytes, TIMING, "off-chip bytes written")                    \
    X(toggles_psum, DATA, "partial-sum register bits flipped")               \
    X(toggles_act, DATA, "activation registers in the array, bits flipped")  \
    X(toggles_skew, DATA, "skew (left) and de-skew (bottom) register flips") \
    X(toggles_weight, DATA, "shadow writes and swaps, bits flipped")         \
    X(act_operands, DATA, "activation MAC operands")                         \
    X(zero_act_operands, DATA, "of them zero")                               \
    X(weight_operands, DATA, "weight MAC operands")                          \
    X(zero_weight_operands, DATA, "of them zero")

enum {
    SA35_STAT_TIMING = 1u, /* the class bits of sa35_stats_diff          */
    SA35_STAT_DATA = 2u,
};

typedef struct sa35_stats {
#define SA35_STAT_FIELD(name, cls, what) uint64_t name;
    SA35_STATS_COUNTERS(SA35_STAT_FIELD)
#undef SA35_STAT_FIELD
    int has_activity; /* the DATA counters were counted                  */
} sa35_stats;

/* One counter of the list: for tables and loops over all of them. */
typedef struct sa35_stat_desc {
    const char *name;
    unsigned cls;       /* SA35_STAT_TIMING or SA35_STAT_DATA            */
    const char *what;
    size_t offset;      /* of its uint64_t in sa35_stats                 */
} sa35_stat_desc;

/* The list, in order; *n its length. */
const sa35_stat_desc *sa35_stats_list(size_t *n);
static inline uint64_t sa35_stat_value(const sa35_stats *st,
                                       const sa35_stat_desc *d)
{
    return *(const uint64_t *)(const void *)((const char *)st + d->offset);
}
/* The first counter of the classes `cls` (bit mask) where x and y differ,
 * or NULL when they agree on every one. */
const sa35_stat_desc *sa35_stats_diff(const sa35_stats *x,
                                      const sa35_stats *y, unsigned cls);

/* The timing model: validates, then schedules every instruction. */
int sa35_timing_run(const sa35_arch *a, const sa35_program *p,
                    sa35_stats *st, sa35_err *err);
/* The same, and per instruction (arrays of p->count, each may be NULL):
 * issue[i], the cycle the controller issued it, and start[i], the cycle
 * its unit began (ldw: first tile row read; mm: row 0 at the left edge;
 * out: first accumulator row read; dma: its transfer on the channel;
 * others: the issue cycle). For the RTL's
 * cycle-by-cycle comparison and for the worked example in the docs. */
int sa35_timing_schedule(const sa35_arch *a, const sa35_program *p,
                         sa35_stats *st, int64_t *issue, int64_t *start,
                         sa35_err *err);

/* Which PE-array kernel the cycle-accurate simulator steps with. All give
 * identical results and counters (tests/test_sim_equal.c). */
typedef enum sa35_sim_kernel {
    SA35_KERNEL_AUTO = 0, /* AVX2 where the CPU has it, else scalar         */
    SA35_KERNEL_SCALAR,   /* portable C, live PEs only                      */
    SA35_KERNEL_REF,      /* the reference: every PE every cycle, own regs */
} sa35_sim_kernel;

typedef struct sa35_sim_opts {
    sa35_sim_kernel kernel;
    /* called now and then with the fraction of the program issued */
    void (*progress)(void *ctx, double fraction);
    void *progress_ctx;
} sa35_sim_opts;

/* The cycle-accurate simulator: validates, then runs the program on mem
 * (off-chip image and SRAM, sized as the arch says). Results land in mem
 * the way the program puts them there. opts may be NULL. */
int sa35_sim_run(const sa35_arch *a, const sa35_program *p, sa35_mem mem,
                 const sa35_sim_opts *opts, sa35_stats *st, sa35_err *err);

/* Add the statistics to a JSON object: every counter of the list (DATA
 * ones under "activity" when counted), plus "utilization" (macs / (k per
 * row R C cycles)), "seconds" at the clock, the array and its PE kind,
 * and with activity the activity factors (toggles per register bit per
 * PE-cycle, zero-operand fractions). */
int sa35_stats_to_json(const sa35_stats *st, const sa35_arch *a,
                       const char *engine, cJSON *obj);

/* ---------------------------------------------------------------- engines
 * One interface for everything that runs a program, as ggml's backends:
 * the functional executor, the cycle-accurate simulator (with each of its
 * kernels), the timing model, and the Verilated RTL (rtl/harness,
 * sa35_rtl_engine()). Each says what it produces; the tests run every
 * engine on the same programs and compare each product with its
 * reference (tests/test_sim_equal.c). */
enum {
    SA35_PRODUCES_DATA = 1u,     /* the memories, as the program leaves them */
    SA35_PRODUCES_CYCLES = 2u,   /* stats.cycles                            */
    SA35_PRODUCES_TIMING = 4u,   /* every TIMING counter (cycles included)  */
    SA35_PRODUCES_ACTIVITY = 8u, /* every DATA counter (has_activity)       */
};

typedef struct sa35_engine {
    const char *name;   /* "func", "sim", "sim-scalar", "sim-ref", "timing", */
                        /* "rtl"                                          */
    const char *what;   /* one line for listings                          */
    unsigned produces;  /* SA35_PRODUCES_* bits                            */
    /* Run a validated-or-not program (each engine validates). An engine
     * that produces DATA runs on mem (off-chip image and SRAM, sized as
     * the arch says); the others ignore it (its pointers may be NULL).
     * st: the counters it produces, the rest 0. opts: progress (and for
     * "sim" the kernel); may be NULL. */
    int (*run)(const struct sa35_engine *e, const sa35_arch *a,
               const sa35_program *p, sa35_mem mem, const sa35_sim_opts *opts,
               sa35_stats *st, sa35_err *err);
} sa35_engine;

/* The engines of this library, in order, NULL-terminated: func, sim,
 * sim-scalar, sim-ref, timing. */
const sa35_engine *const *sa35_engines(void);
/* The library's engine called name, or NULL. */
const sa35_engine *sa35_engine_find(const char *name);

/* A GEMM on an engine: compile it for `a`, then run the program on e.
 * An engine that produces DATA needs A (M x K int8) and q (K x N in the
 * format of a's PE kind) and fills acc (M x N); for the others A, q and
 * acc may be NULL, and acc is never written (they compute no values: the
 * golden model's sa35_gemm_acc does). The SRAM and off-chip sizes are
 * taken from the compiled plan. */
int sa35_sim_gemm(const sa35_arch *a, const sa35_engine *e, int64_t M,
                  int64_t K, int64_t N, const int8_t *A,
                  const sa35_qweights *q, int32_t *acc,
                  const sa35_sim_opts *opts, sa35_stats *st, sa35_err *err);
/* The same for weights in groups of G k-values (0: per column; q, when
 * given, must be in groups of G): the program is compiled with group
 * scaling (sa35_compile_gemm_group), acc holds the float32 accumulators'
 * bits as sa35_gemm_acc gives them. G must run on the array
 * (sa35_gemm_group_fits: the error names the array's K tile).
 * sa35_sim_gemm is this with q's group (0 without q). */
int sa35_sim_gemm_group(const sa35_arch *a, const sa35_engine *e, int64_t M,
                        int64_t K, int64_t N, int64_t G, const int8_t *A,
                        const sa35_qweights *q, int32_t *acc,
                        const sa35_sim_opts *opts, sa35_stats *st,
                        sa35_err *err);
/* The same with A and the outputs where `io` says (sa35_compiler.h: on
 * chip, as a layer program leaves them; the two above: off-chip). */
int sa35_sim_gemm_io(const sa35_arch *a, const sa35_engine *e, int64_t M,
                     int64_t K, int64_t N, int64_t G, sa35_gemm_io io,
                     const int8_t *A, const sa35_qweights *q, int32_t *acc,
                     const sa35_sim_opts *opts, sa35_stats *st,
                     sa35_err *err);

/* The bytes sa35_sim_gemm_group allocates for the GEMM of plan p
 * (sa35_gemm_plan_make) on e, weighed before anything is allocated: the
 * program (p->instructions of sizeof(sa35_instr)) into *program, and for
 * an engine that produces data the off-chip and SRAM images into *images
 * (either may be NULL); their sum, UINT64_MAX past 64 bits. */
uint64_t sa35_sim_gemm_bytes(const sa35_gemm_plan *p, const sa35_engine *e,
                             uint64_t *program, uint64_t *images);

/* 1 if this CPU runs the AVX2 kernel. */
int sa35_sim_has_avx2(void);

#ifdef __cplusplus
}
#endif
#endif /* SA35_SIM_H */
