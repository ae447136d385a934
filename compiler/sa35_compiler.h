/* sa35_compiler.h: GEMMs to accelerator programs (first version).
 *
 * An M x K x N SA35 GEMM on an R x C array becomes tiles of 2R k-values x C
 * columns. Tile order: M blocks (as many rows as half the accumulator
 * memory holds) outermost, then column tiles, then K tiles. Weights are
 * double-buffered: the ldw of tile t+1 is issued right after the mm of tile
 * t, so it overlaps that mm; accumulators are double-buffered per output
 * tile so that out of tile p overlaps the mms of tile p+1. The memory image
 * (off-chip) holds A, the weight tiles and the outputs; the layout is below
 * and in docs/isa.md. */
#ifndef SA35_COMPILER_H
#define SA35_COMPILER_H

#include <stdint.h>

#include "sa35_cmodel.h"
#include "sa35_isa.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sa35_gemm_plan {
    sa35_arch arch;
    int64_t M, K, N;
    int64_t Ka;          /* A's row stride in bytes: K rounded up to even  */
    int64_t mb;          /* rows per M block                               */
    int64_t mblocks, ntiles, ktiles;
    int32_t acc_regions; /* 2: output tiles alternate accumulator banks    */
    /* off-chip layout */
    uint64_t dram_a;     /* M x Ka int8, zero padded                       */
    uint64_t dram_w;     /* tile (n, k) at dram_w + n*Kpairs*rb(C) + k*R*rb(nt) */
    uint64_t dram_out;   /* per (M block, column tile): rows x nt int32    */
    uint64_t dram_bytes; /* total                                          */
    /* SRAM layout: two slots each */
    uint32_t sram_a[2], sram_w[2], sram_out[2];
    uint64_t sram_bytes; /* total needed                                   */
} sa35_gemm_plan;

/* Plan and emit the program. a->sram_bytes and a->dram_bytes must hold the
 * plan's needs (an error says how much is needed otherwise). */
int sa35_compile_gemm(const sa35_arch *a, int64_t M, int64_t K, int64_t N,
                      sa35_gemm_plan *plan, sa35_program *prog,
                      sa35_err *err);

/* Fill the off-chip image (plan->dram_bytes, zeroed by the caller) with A
 * (M x K int8) and q's weights in tile layout (q: SA35, K x N). */
void sa35_gemm_image(const sa35_gemm_plan *plan, const int8_t *A,
                     const sa35_qweights *q, uint8_t *dram);

/* Gather acc[M][N] (row-major int32) from the image after the run. */
void sa35_gemm_read_output(const sa35_gemm_plan *plan, const uint8_t *dram,
                           int32_t *acc);

#ifdef __cplusplus
}
#endif
#endif /* SA35_COMPILER_H */
