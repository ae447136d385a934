/* isa_exec.c: the functional semantics of every instruction (what it does
 * to memory, weights and accumulators; no timing). The cycle-accurate
 * simulator uses sa35_exec_dma and sa35_exec_out_row for those
 * instructions; sa35_func_run executes whole programs instruction by
 * instruction and is the ISA-level reference the simulators are tested
 * against. */
#include <stdlib.h>
#include <string.h>

#include "sa35_isa.h"

void sa35_exec_dma(const sa35_instr *in, sa35_mem *mem)
{
    if (!mem->dram || !mem->sram)
        return; /* timing-only runs carry no data */
    if (in->op == SA35_OP_DMA_LD)
        memcpy(mem->sram + in->sram, mem->dram + in->dram, in->bytes);
    else
        memcpy(mem->dram + in->dram, mem->sram + in->sram, in->bytes);
}

static float load_f32(const uint8_t *p)
{
    float f;
    memcpy(&f, p, sizeof f);
    return f;
}

int32_t sa35_exec_mm_term(uint8_t mm_flags, uint32_t scale_word,
                          int32_t psum, int32_t rsum)
{
    if (!(mm_flags & SA35_MM_GS))
        return psum;
    /* the scale unit (docs/architecture.md, "The scale row"): binary16 s
     * and z, exact in float32, and the term format.md pins */
    float s = sa35_f16_to_f32((uint16_t)(scale_word & 0xFFFFu));
    float z = sa35_f16_to_f32((uint16_t)(scale_word >> 16));
    return sa35_acc_word(sa35_group_term(s, z, psum, rsum));
}

void sa35_exec_out_row(const sa35_instr *in, const sa35_scale_regs *sr,
                       uint32_t i, const int32_t *accrow, int32_t rsum,
                       sa35_mem *mem)
{
    uint8_t *dst = mem->sram + in->sram + (uint64_t)i * in->stride;
    const uint8_t fpscale = SA35_OUT_SCALE | SA35_OUT_FP;
    for (uint32_t n = 0; n < in->cols; n++) {
        if ((in->flags & fpscale) == fpscale) {
            /* the float32 accumulator of group scaling: Y = sa a */
            float sa = load_f32(mem->sram + sr->sa + 4ull * i);
            float y = sa * sa35_acc_float(accrow[n]);
            memcpy(dst + 4ull * n, &y, 4);
        } else if (in->flags & SA35_OUT_SCALE) {
            /* one IEEE operation at a time, as sa35_gemm_output */
            float sa = load_f32(mem->sram + sr->sa + 4ull * i);
            float s = load_f32(mem->sram + sr->s + 4ull * n);
            float z = load_f32(mem->sram + sr->z + 4ull * n);
            float t1 = s * (float)accrow[n];
            float t2 = z * (float)rsum;
            float t3 = t1 + t2;
            float y = sa * t3;
            memcpy(dst + 4ull * n, &y, 4);
        } else {
            memcpy(dst + 4ull * n, &accrow[n], 4);
        }
    }
}

int sa35_func_init(sa35_func *f, const sa35_arch *a, sa35_mem mem,
                   sa35_err *err)
{
    memset(f, 0, sizeof *f);
    f->arch = *a;
    f->mem = mem;
    size_t pes = (size_t)a->rows * (size_t)a->cols;
    f->shadow = calloc(pes, 1);
    f->active = calloc(pes, 1);
    f->sc_shadow = calloc((size_t)a->cols, sizeof *f->sc_shadow);
    f->sc_active = calloc((size_t)a->cols, sizeof *f->sc_active);
    f->acc = calloc((size_t)a->acc_rows * (size_t)a->cols, sizeof *f->acc);
    f->rsum = calloc((size_t)a->acc_rows, sizeof *f->rsum);
    if (!f->shadow || !f->active || !f->sc_shadow || !f->sc_active ||
        !f->acc || !f->rsum) {
        sa35_func_free(f);
        return sa35_err_set(err, "out of memory for a %dx%d array",
                            a->rows, a->cols);
    }
    return 0;
}

void sa35_func_free(sa35_func *f)
{
    free(f->shadow);
    free(f->active);
    free(f->sc_shadow);
    free(f->sc_active);
    free(f->acc);
    free(f->rsum);
    f->shadow = f->active = NULL;
    f->sc_shadow = f->sc_active = NULL;
    f->acc = f->rsum = NULL;
}

/* ldw: tile rows 0..rows-1 of the shadow get the tile, columns past the
 * tile's width code 0; rows past the tile keep what they held (their
 * activations are 0 in every mm that uses this tile). ldw.gs: the scale
 * row's shadow gets the tile's scale words (0 past its width). */
static void func_ldw(sa35_func *f, const sa35_instr *in)
{
    const int32_t C = f->arch.cols;
    if (in->flags & SA35_LDW_GS)
        for (int32_t c = 0; c < C; c++)
            f->sc_shadow[c] =
                sa35_exec_ldw_scale(&f->arch, in, &f->mem, (uint32_t)c);
    for (uint32_t r = 0; r < in->rows; r++)
        for (int32_t c = 0; c < C; c++)
            f->shadow[r * (size_t)C + (size_t)c] =
                (uint32_t)c < in->cols
                    ? (uint8_t)sa35_exec_ldw_code(&f->arch, in, &f->mem, r,
                                                  (uint32_t)c)
                    : 0;
}

static void func_mm(sa35_func *f, const sa35_instr *in, uint32_t krows)
{
    const int32_t C = f->arch.cols;
    const sa35_pe_desc *pe = sa35_arch_pe(&f->arch);
    const uint32_t kpr = pe->k_per_row;
    if (in->flags & SA35_MM_SWAP) {
        memcpy(f->active, f->shadow, (size_t)f->arch.rows * (size_t)C);
        memcpy(f->sc_active, f->sc_shadow, (size_t)C * sizeof *f->sc_active);
    }
    for (uint32_t i = 0; i < in->m; i++) {
        int32_t *acc = f->acc + (size_t)(in->acc + i) * (size_t)C;
        int32_t rs = 0;
        for (uint32_t j = 0; j < kpr * krows; j++)
            rs += sa35_exec_mm_act(in, &f->mem, i, j);
        for (int32_t c = 0; c < C; c++) {
            int32_t s = 0;
            for (uint32_t r = 0; r < krows; r++) {
                int8_t w[2];
                pe->unpack(f->active[r * (size_t)C + (size_t)c], w);
                for (uint32_t x = 0; x < kpr; x++)
                    s += sa35_exec_mm_act(in, &f->mem, i, kpr * r + x) * w[x];
            }
            acc[c] = sa35_exec_acc(
                in->flags, acc[c],
                sa35_exec_mm_term(in->flags, f->sc_active[c], s, rs));
        }
        f->rsum[in->acc + i] = sa35_exec_acc(in->flags & SA35_MM_FIRST,
                                             f->rsum[in->acc + i], rs);
    }
}

void sa35_func_run(sa35_func *f, const sa35_program *p)
{
    uint32_t shadow_rows = 0, active_rows = 0;
    for (size_t i = 0; i < p->count; i++) {
        const sa35_instr *in = &p->ins[i];
        switch (in->op) {
        case SA35_OP_DMA_LD:
        case SA35_OP_DMA_ST: sa35_exec_dma(in, &f->mem); break;
        case SA35_OP_LDW:
            func_ldw(f, in);
            shadow_rows = in->rows;
            break;
        case SA35_OP_MM:
            if (in->flags & SA35_MM_SWAP)
                active_rows = shadow_rows;
            func_mm(f, in, active_rows);
            break;
        case SA35_OP_OUT:
            for (uint32_t r = 0; r < in->rows; r++)
                sa35_exec_out_row(in, &f->scl, r,
                                  f->acc + (size_t)(in->acc + r) *
                                               (size_t)f->arch.cols,
                                  f->rsum[in->acc + r], &f->mem);
            break;
        case SA35_OP_SCL:
            f->scl.sa = in->sa, f->scl.s = in->s, f->scl.z = in->z;
            f->scl.set = 1;
            break;
        default: break; /* sync: nothing to do without time */
        }
    }
}
