/* gemm_emit.c: the instruction sequence of a GEMM. The tiles t = (M block,
 * column tile, K tile) run in that nesting order; for each:
 *     dma.ld  weights of t+1 -> the other weight slot
 *     mm.swap tile t            (first/last K tile flags)
 *     ldw     tile t+1          (overlaps the mm of tile t)
 * (group-scaled weights: ldw.gs, mm.gs and out.fp, one K tile a group).
 * and after the first mm of an output tile, the dma.st of the output tile
 * before the previous one (whose out has finished by then) and the out of
 * the previous one (which waits in the output unit for its bank to
 * drain), so neither stalls the array. Activation and output slots
 * alternate, weight tile t takes slot t mod wslots: a slot is rewritten
 * only after the instruction that read it finished, which the order above
 * and the slot count (sa35_compiler.h) guarantee without a sync.
 * With io SRAM (sa35_compiler.h) A is already on chip and every output
 * tile has its own place there: no activation dma.ld, no dma.st, the
 * same order otherwise. */
#include <string.h>

#include "gemm_internal.h"

typedef struct emitter {
    const sa35_gemm_plan *p;
    sa35_program *prog;
    sa35_err *err;
    int rc;
} emitter;

/* Output tile p accumulates in bank p % 2 (docs/architecture.md: the out
 * of one bank overlaps the mms of the other). */
static uint32_t acc_base(const sa35_gemm_plan *p, int64_t tile)
{
    return (uint32_t)((tile % p->acc_regions) * (p->arch.acc_rows / 2));
}

static void emit(emitter *e, const sa35_instr *in)
{
    if (!e->rc)
        e->rc = sa35_program_push(e->prog, in, e->err);
}

static void emit_dma(emitter *e, int op, uint64_t dram, uint32_t sram,
                     uint64_t bytes)
{
    sa35_instr in = {0};
    in.op = (uint8_t)op;
    in.dram = dram, in.sram = sram, in.bytes = (uint32_t)bytes;
    emit(e, &in);
}

/* Weight tile number `tile` (in program order) lives in this slot. */
static uint32_t wslot(const sa35_gemm_plan *p, int64_t tile)
{
    return p->sram_w + (uint32_t)(tile % p->wslots) * p->wslot_bytes;
}

static void emit_ldw(emitter *e, const gemm_tile *t, int64_t tile)
{
    sa35_instr in = {0};
    in.op = SA35_OP_LDW;
    in.flags = e->p->group ? SA35_LDW_GS : 0; /* with its scale words */
    in.sram = wslot(e->p, tile);
    in.rows = (uint32_t)t->krows, in.cols = (uint32_t)t->nt;
    emit(e, &in);
}

/* Output tile p (its M block and column tile in *t) leaves through out,
 * then dma.st. */
static void emit_out(emitter *e, const gemm_tile *t, int64_t p)
{
    sa35_instr in = {0};
    in.op = SA35_OP_OUT;
    in.flags = e->p->group ? SA35_OUT_FP : 0; /* the float32 bits */
    in.sram = e->p->io == SA35_GEMM_IO_SRAM
                  ? e->p->sram_out[0] + (uint32_t)t->out_off
                  : e->p->sram_out[p % 2];
    in.stride = 4 * (uint32_t)t->nt;
    in.rows = (uint32_t)t->mr, in.cols = (uint32_t)t->nt;
    in.acc = acc_base(e->p, p);
    emit(e, &in);
}

static void emit_store(emitter *e, const gemm_tile *t, int64_t p)
{
    if (e->p->io == SA35_GEMM_IO_SRAM) /* it stays where out put it */
        return;
    emit_dma(e, SA35_OP_DMA_ST, t->dram_out, e->p->sram_out[p % 2],
             4ull * (uint64_t)(t->mr * t->nt));
}

int sa35_compile_gemm(const sa35_arch *a, int64_t M, int64_t K, int64_t N,
                      sa35_gemm_plan *plan, sa35_program *prog,
                      sa35_err *err)
{
    return sa35_compile_gemm_group(a, M, K, N, 0, plan, prog, err);
}

int sa35_compile_gemm_group(const sa35_arch *a, int64_t M, int64_t K,
                            int64_t N, int64_t G, sa35_gemm_plan *plan,
                            sa35_program *prog, sa35_err *err)
{
    return sa35_compile_gemm_io(a, M, K, N, G, SA35_GEMM_IO_DRAM, plan, prog,
                                err);
}

int sa35_compile_gemm_io(const sa35_arch *a, int64_t M, int64_t K, int64_t N,
                         int64_t G, sa35_gemm_io io, sa35_gemm_plan *plan,
                         sa35_program *prog, sa35_err *err)
{
    memset(prog, 0, sizeof *prog);
    if (sa35_gemm_plan_make_io(a, M, K, N, G, io, plan, err) ||
        sa35_program_reserve(prog, (size_t)plan->instructions, err))
        return -1;
    const sa35_gemm_plan *p = plan;
    emitter e = {p, prog, err, 0};
    const int64_t per_block = p->ntiles * p->ktiles;
    const int64_t T = p->mblocks * per_block;
    const int64_t P = sa35_gemm_prefetch(a, G);
    gemm_tile t, next, prev_out = {0}, prev2_out = {0};
    int64_t outs = 0; /* output tiles finished so far */

    gemm_tile_of(p, 0, 0, 0, &t);
    emit_dma(&e, SA35_OP_DMA_LD, t.dram_w, wslot(p, 0), t.wbytes);
    emit_ldw(&e, &t, 0);
    for (int64_t i = 0; i < T && !e.rc; i++) {
        int64_t b = i / per_block, n = (i / p->ktiles) % p->ntiles,
                k = i % p->ktiles;
        gemm_tile_of(p, b, n, k, &t);
        if (n == 0 && k == 0 && p->io == SA35_GEMM_IO_DRAM)
            /* a new M block: its activations */
            emit_dma(&e, SA35_OP_DMA_LD, p->dram_a + (uint64_t)(t.m0 * p->Ka),
                     p->sram_a[b % 2], (uint64_t)(t.mr * p->Ka));
        /* weights P tiles ahead (sa35_compiler.h): at tile 0 those of
         * tiles 1..P, then one a tile */
        for (int64_t j = i == 0 ? 1 : i + P; j <= i + P && j < T; j++) {
            gemm_tile w;
            gemm_tile_of(p, j / per_block, (j / p->ktiles) % p->ntiles,
                         j % p->ktiles, &w);
            emit_dma(&e, SA35_OP_DMA_LD, w.dram_w, wslot(p, j), w.wbytes);
        }
        if (i + 1 < T)
            gemm_tile_of(p, (i + 1) / per_block,
                         ((i + 1) / p->ktiles) % p->ntiles,
                         (i + 1) % p->ktiles, &next);
        sa35_instr mm = {0};
        mm.op = SA35_OP_MM;
        mm.flags = SA35_MM_SWAP | (k == 0 ? SA35_MM_FIRST : 0) |
                   (k == p->ktiles - 1 ? SA35_MM_LAST : 0) |
                   (p->group ? SA35_MM_GS : 0);
        mm.sram = p->sram_a[b % 2] + (uint32_t)t.k0 +
                  (p->io == SA35_GEMM_IO_SRAM ? (uint32_t)(t.m0 * p->Ka) : 0);
        mm.stride = (uint32_t)p->Ka;
        mm.m = (uint32_t)t.mr;
        mm.acc = acc_base(p, outs);
        emit(&e, &mm);
        if (i + 1 < T)
            emit_ldw(&e, &next, i + 1);
        if (k == 0 && outs > 0) {
            if (outs > 1) /* before the out: a dma.st waits for every out */
                emit_store(&e, &prev2_out, outs - 2);
            emit_out(&e, &prev_out, outs - 1);
        }
        if (k == p->ktiles - 1) {
            prev2_out = prev_out;
            prev_out = t;
            outs++;
        }
    }
    if (outs > 1)
        emit_store(&e, &prev2_out, outs - 2);
    emit_out(&e, &prev_out, outs - 1);
    emit_store(&e, &prev_out, outs - 1);
    if (!e.rc)
        e.rc = sa35_program_validate(prog, a, err);
    if (e.rc)
        sa35_program_free(prog);
    return e.rc;
}
