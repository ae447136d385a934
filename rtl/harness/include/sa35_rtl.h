/* sa35_rtl.h: the Verilated RTL (rtl/) as a C library. The same binary
 * programs as the cycle-accurate simulator (sim/) run on the Verilog of the
 * accelerator; the memories are C models behind the ports of sa35_top.v
 * (docs/rtl.md). Array sizes, load lanes and PE kinds are fixed when the
 * project is built (SA35_RTL_ARRAYS); asking for another is an error that
 * lists them. */
#ifndef SA35_RTL_H
#define SA35_RTL_H

#include <stdint.h>

#include "sa35_compiler.h"
#include "sa35_isa.h"
#include "sa35_sim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The built models as the options that select them, e.g. "2x2, 4x4, 4x8
 * --load-rows 3, 4x4 --pe int8" ("" when SA35_RTL=OFF). */
const char *sa35_rtl_sizes(void);
/* Largest accumulator depth the models hold (their AccRows parameter). */
int32_t sa35_rtl_max_acc_rows(void);

typedef struct sa35_rtl_opts {
    const char *trace_path; /* FILE.fst or FILE.vcd: waveforms, or NULL    */
} sa35_rtl_opts;

/* Run a program on the model of a->rows x a->cols (a->load_rows and a->pe
 * must be the model's; a->acc_rows at most sa35_rtl_max_acc_rows()). mem is the
 * off-chip image and the SRAM, as for sa35_sim_run. The program is
 * validated first, then encoded to its binary form, which is what the RTL
 * fetches. *st: every TIMING counter (st->cycles: clock cycles until the
 * controller reported done), counted from the RTL's ports and event
 * outputs in the simulator's definitions (docs/rtl.md, "Statistics"); the
 * DATA counters are 0 (has_activity 0). */
int sa35_rtl_run(const sa35_arch *a, const sa35_program *p, sa35_mem mem,
                 const sa35_rtl_opts *opts, sa35_stats *st, sa35_err *err);

/* One GEMM through the compiler and the RTL: acc[M][N] = A . q, as
 * sa35_sim_gemm does it for the simulator; *st as for sa35_rtl_run. */
int sa35_rtl_gemm(const sa35_arch *a, const int8_t *A, int64_t M,
                  const sa35_qweights *q, int32_t *acc,
                  const sa35_rtl_opts *opts, sa35_stats *st, sa35_err *err);

/* The RTL as an engine of sa35_sim.h's interface: "rtl", producing DATA,
 * CYCLES and TIMING (not ACTIVITY). Its run() takes the model of the
 * arch's rows, cols, load_rows and pe (an error listing the built models
 * otherwise, or saying the RTL is not built); opts' progress is not
 * called. Not in sa35_engines(): the library of the simulator does not
 * link the RTL. */
const sa35_engine *sa35_rtl_engine(void);

#ifdef __cplusplus
}
#endif
#endif
