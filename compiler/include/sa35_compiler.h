/* sa35_compiler.h: GEMMs to accelerator programs (first version).
 *
 * An M x K x N GEMM on an R x C array of PE kind `a->pe` becomes tiles of
 * kR k-values x C columns (k = the kind's k per PE row: 2R for sa35 and
 * int4, R for int8). With group-scaled weights (groups of G k-values,
 * docs/format.md) a K tile is one group: G / k PE rows (G <= kR, a
 * multiple of k; sa35_gemm_group_fits), loaded by ldw.gs with its scale
 * words, streamed by mm.gs into float32 accumulators, read out by out.fp.
 * Tile order: M blocks (as many rows as half the accumulator
 * memory holds) outermost, then column tiles, then K tiles. The ldw of
 * tile t+1 is issued right after the mm of tile t, so it overlaps that mm;
 * accumulators are double-buffered per output tile so that out of tile p
 * overlaps the mms of tile p+1. The memory image (off-chip) holds A, the
 * weight tiles and the outputs; the layout is below and in docs/isa.md.
 *
 * Weight slots: with L load lanes up to L ldws are in flight, each reading
 * its tile's SRAM slot for `span` cycles after issue (span = R, the
 * rows; with group scaling the tile's G / k rows and one cycle for the
 * scale words), and dma.ld writes its bytes at issue. Tile t goes to slot
 * t mod wslots, so the dma.ld of tile t must not be issued while ldw
 * t - wslots still reads. Between two ldws the emitter puts at least a
 * dma.ld and an mm (ldw j+1 issues >= 3 cycles after ldw j), and the
 * dma.ld of tile t comes after ldw t-1. So ldw t-1-k started at least
 * 3k + 1 cycles before that dma.ld and still reads in its cycle only if
 * span - 1 >= 3k + 1, and only if it is one of the last L (a lane takes
 * ldw j + L only after ldw j has read its slot):
 *     in flight F = min(L, floor((span - 2) / 3) + 1)   (0 if span < 2)
 *     wslots = F + 1
 * (2 for L = 1, as the double buffer of the first version; L + 1 while
 * 3L < span; never more than floor((span + 1) / 3) + 1.)
 *
 * Prefetch: with off-chip latency (docs/architecture.md, "The memory
 * system") the dma.ld of tile t+P is issued at tile t, P ahead, so the
 * channel never idles waiting for the in-order issue: the dma.ld of tile
 * t+P issues right after ldw t, which waited for tile t's bytes (its
 * transfer x cycles + latency after the channel started it), and P
 * transfers of x cycles must cover that:
 *     P = 1 + ceil((latency + 3) / x),  x = ceil(tile bytes den / num)
 * (P = 1 with the ideal memory), and wslots = F + P. The scoreboard keeps
 * any count correct; these make the waits rare. */
#ifndef SA35_COMPILER_H
#define SA35_COMPILER_H

#include <stdint.h>

#include "sa35_cmodel.h"
#include "sa35_isa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a GEMM's activations A and its outputs live.
 * DRAM: off-chip, as a GEMM run on its own: A is loaded (dma.ld) per M
 *   block into two alternating SRAM slots, each output tile stored
 *   (dma.st) from two alternating output slots.
 * SRAM: on chip, as a layer's program leaves them for the next op (a
 *   vector op wrote A; one reads the outputs): A whole at sram_a[0], the
 *   outputs whole at sram_out[0] in the off-chip layout's order (per M
 *   block and column tile, rows x nt int32), and no DMA but the weights'.
 *   The SRAM holds M x Ka + 4 M N bytes more; the caller checks that its
 *   chip has them (model/: the half of SRAM not given to weights). */
typedef enum sa35_gemm_io {
    SA35_GEMM_IO_DRAM = 0,
    SA35_GEMM_IO_SRAM = 1,
} sa35_gemm_io;

typedef struct sa35_gemm_plan {
    sa35_arch arch;
    int64_t M, K, N;
    int64_t group;       /* 0: per column; else G, one K tile per group    */
    sa35_gemm_io io;     /* where A and the outputs live                   */
    int32_t tile_rows;   /* PE rows of a full K tile: R, or G / k          */
    int64_t Ka;          /* A's row stride in bytes: K rounded up to a     */
                         /* multiple of the k per PE row                   */
    int64_t mb;          /* rows per M block                               */
    int64_t mblocks, ntiles, ktiles;
    int32_t acc_regions; /* 2: output tiles alternate accumulator banks    */
    /* off-chip layout */
    uint64_t dram_a;     /* M x Ka int8, zero padded                       */
    uint64_t dram_w;     /* tile (n, k) at dram_w + n*wcol_bytes +         */
                         /* k*(tile_rows*rb(nt) + sw(nt)): its rows, then  */
                         /* (group scaling) sw(nt) = 4 nt bytes of scale   */
                         /* words; sw = 0 per column                       */
    uint64_t wcol_bytes; /* a column tile's weights: Kgroups*rb(C) +       */
                         /* ktiles*sw(C), Kgroups = Ka / (k per PE row)    */
    uint64_t dram_out;   /* per (M block, column tile): rows x nt int32    */
    uint64_t dram_bytes; /* total                                          */
    /* SRAM layout: two activation and output slots (io SRAM: all of A and
     * all outputs, slots 0 and 1 the same), wslots weight slots
     * (sa35_gemm_weight_slots) of wslot_bytes from sram_w */
    uint32_t sram_a[2], sram_out[2], sram_w;
    int32_t wslots;
    uint32_t wslot_bytes;
    uint64_t sram_bytes; /* total needed                                   */
    uint64_t instructions; /* the program's length, exactly               */
} sa35_gemm_plan;

/* G below is the weights' group size (sa35_qweights.group): 0 per column. */

/* PE rows of a full K tile: R, or ceil(G / k) for a group smaller than
 * the array's K tile of kR k-values. */
int32_t sa35_gemm_tile_rows(const sa35_arch *a, int64_t G);
/* The weight tiles a GEMM on `a` fetches ahead, P, and the weight slots it
 * needs, F + P (see the top of this file). */
int32_t sa35_gemm_prefetch(const sa35_arch *a, int64_t G);
int32_t sa35_gemm_weight_slots(const sa35_arch *a, int64_t G);
/* 0 if groups of G k-values of a K-deep weight run on the array: G = 0, or
 * G <= kR and a multiple of k (a group is one K tile), or one group holds
 * all of K and K <= kR. Else an error naming the array's tile. */
int sa35_gemm_group_fits(const sa35_arch *a, int64_t K, int64_t G,
                         sa35_err *err);

/* Plan only: the tiling, the layouts and the program's length, nothing
 * allocated, so a caller can weigh what a GEMM costs (the instruction
 * array: plan->instructions x sizeof(sa35_instr); the memory images:
 * dram_bytes + sram_bytes) before compiling it. Every product of M, K and
 * N is checked: a GEMM past 63 bits is an error, never wrapped. */
int sa35_gemm_plan_make(const sa35_arch *a, int64_t M, int64_t K, int64_t N,
                        int64_t G, sa35_gemm_plan *plan, sa35_err *err);
/* The same with A and the outputs where `io` says (the above: DRAM). */
int sa35_gemm_plan_make_io(const sa35_arch *a, int64_t M, int64_t K,
                           int64_t N, int64_t G, sa35_gemm_io io,
                           sa35_gemm_plan *plan, sa35_err *err);

/* Plan and emit the program (in one allocation of plan->instructions). a->sram_bytes and a->dram_bytes must hold the
 * plan's needs (an error says how much is needed otherwise). _group: for
 * weights in groups of G (0: per column, as sa35_compile_gemm); the outputs
 * are then the float32 accumulators' bits (docs/format.md). */
int sa35_compile_gemm(const sa35_arch *a, int64_t M, int64_t K, int64_t N,
                      sa35_gemm_plan *plan, sa35_program *prog,
                      sa35_err *err);
int sa35_compile_gemm_group(const sa35_arch *a, int64_t M, int64_t K,
                            int64_t N, int64_t G, sa35_gemm_plan *plan,
                            sa35_program *prog, sa35_err *err);
/* Either of the above with A and the outputs where `io` says. */
int sa35_compile_gemm_io(const sa35_arch *a, int64_t M, int64_t K, int64_t N,
                         int64_t G, sa35_gemm_io io, sa35_gemm_plan *plan,
                         sa35_program *prog, sa35_err *err);

/* Fill the memory images (mem->dram: plan->dram_bytes, mem->sram:
 * plan->sram_bytes, zeroed by the caller) with A (M x K int8: off-chip, or
 * on chip for io SRAM) and q's weights in tile layout off-chip (q: K x N,
 * in the format of the plan's PE kind: sa35_pe_desc.fmt, and in groups of
 * plan->group, whose scale words the tiles carry; the caller checks). */
void sa35_gemm_image(const sa35_gemm_plan *plan, const int8_t *A,
                     const sa35_qweights *q, const sa35_mem *mem);

/* Gather acc[M][N] (row-major int32; float32 bits with group scaling)
 * from the images after the run (off-chip, or on chip for io SRAM). */
void sa35_gemm_read_output(const sa35_gemm_plan *plan, const sa35_mem *mem,
                           int32_t *acc);

#ifdef __cplusplus
}
#endif
#endif /* SA35_COMPILER_H */
