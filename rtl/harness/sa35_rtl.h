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
 * fetches. *cycles: clock cycles until the controller reported done. */
int sa35_rtl_run(const sa35_arch *a, const sa35_program *p, sa35_mem mem,
                 const sa35_rtl_opts *opts, uint64_t *cycles, sa35_err *err);

/* One GEMM through the compiler and the RTL: acc[M][N] = A . q, as
 * sa35_sim_gemm does it for the simulator. */
int sa35_rtl_gemm(const sa35_arch *a, const int8_t *A, int64_t M,
                  const sa35_qweights *q, int32_t *acc,
                  const sa35_rtl_opts *opts, uint64_t *cycles,
                  sa35_err *err);

#ifdef __cplusplus
}
#endif
#endif
