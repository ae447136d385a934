/* gemm_internal.h: what the planner and the emitter of compiler/ share. */
#ifndef SA35_GEMM_INTERNAL_H
#define SA35_GEMM_INTERNAL_H

#include "sa35_compiler.h"

/* One tile: rows m0..m0+mr of A (an M block), columns n0..n0+nt, k-values
 * k0..k0+2*krows (the last K tile may be short; odd K reads one padding
 * zero); with group scaling K tile k is group k, and its wbytes include
 * the 4 nt bytes of scale words after the rows. */
typedef struct gemm_tile {
    int64_t m0, mr, n0, nt, k0, krows;
    uint64_t dram_w, wbytes; /* the weight tile off-chip                  */
    uint64_t out_off;        /* this (M block, column tile)'s outputs,     */
                             /* from the first output (off-chip or on chip)*/
    uint64_t dram_out;       /* the same off-chip (io DRAM)                */
} gemm_tile;

void gemm_tile_of(const sa35_gemm_plan *p, int64_t b, int64_t n, int64_t k,
                  gemm_tile *t);

#endif
