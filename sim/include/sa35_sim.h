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

typedef struct sa35_stats {
    /* data-independent: both engines, identical */
    uint64_t cycles;             /* until the last instruction finished    */
    uint64_t instructions;
    uint64_t macs;               /* k_per_row per busy PE-cycle            */
    uint64_t pe_busy_cycles;     /* PE-cycles with a tile weight and a     */
                                 /* streamed activation pair              */
    uint64_t weight_loads;       /* ldw instructions                       */
    uint64_t weight_load_cycles; /* sum of rows + C - 1 (issue to last code) */
    uint64_t stream_cycles;      /* cycles the left edge took a row (sum m)*/
    uint64_t fill_cycles;        /* before the first mm started            */
    uint64_t stall_cycles;       /* left edge idle between mms             */
    uint64_t drain_cycles;       /* after the last mm's last row entered   */
    uint64_t sram_read_bytes, sram_write_bytes;
    uint64_t dram_read_bytes, dram_write_bytes;
    /* data-dependent: the cycle-accurate simulator only (has_activity) */
    int has_activity;
    uint64_t toggles_psum;       /* partial-sum register bits flipped      */
    uint64_t toggles_act;        /* activation pair registers in the array */
    uint64_t toggles_skew;       /* skew (left) and de-skew (bottom) regs  */
    uint64_t toggles_weight;     /* shadow writes and swaps                */
    uint64_t act_operands, zero_act_operands;       /* per MAC operand    */
    uint64_t weight_operands, zero_weight_operands;
} sa35_stats;

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

typedef struct sa35_sim_opts {
    int force_scalar; /* 1: never use the AVX2 kernel (tests compare both) */
    /* called now and then with the fraction of the program issued */
    void (*progress)(void *ctx, double fraction);
    void *progress_ctx;
} sa35_sim_opts;

/* The cycle-accurate simulator: validates, then runs the program on mem
 * (off-chip image and SRAM, sized as the arch says). Results land in mem
 * the way the program puts them there. opts may be NULL. */
int sa35_sim_run(const sa35_arch *a, const sa35_program *p, sa35_mem mem,
                 const sa35_sim_opts *opts, sa35_stats *st, sa35_err *err);

/* Add the statistics to a JSON object: every counter, plus "utilization"
 * (macs / (2 R C cycles)), "seconds" at the clock, the array, and with
 * activity the activity factors the power model uses (toggles per
 * register bit per cycle, zero-operand fractions). */
int sa35_stats_to_json(const sa35_stats *st, const sa35_arch *a,
                       const char *engine, cJSON *obj);

/* A GEMM on the accelerator model: compile it for `a`, then
 * - SA35_ENGINE_SIM: build the memory image from A (M x K int8) and q
 *   (SA35, K x N), run the cycle-accurate simulator, gather acc (M x N);
 * - SA35_ENGINE_TIMING: run the timing model; A, q and acc may be NULL
 *   (only the statistics), else acc comes from the golden model.
 * The SRAM and off-chip sizes are taken from the compiled plan. */
typedef enum sa35_engine_kind {
    SA35_ENGINE_SIM,
    SA35_ENGINE_TIMING
} sa35_engine_kind;

int sa35_sim_gemm(const sa35_arch *a, sa35_engine_kind kind, int64_t M,
                  int64_t K, int64_t N, const int8_t *A,
                  const sa35_qweights *q, int32_t *acc,
                  const sa35_sim_opts *opts, sa35_stats *st, sa35_err *err);

/* 1 if this CPU runs the AVX2 kernel. */
int sa35_sim_has_avx2(void);

#ifdef __cplusplus
}
#endif
#endif /* SA35_SIM_H */
