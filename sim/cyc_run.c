/* cyc_run.c: the cycle-accurate simulator's clock loop and controller.
 * Each cycle, in this order:
 *   channel      (dmas whose transfer starts now read their source)
 *   output unit  (start a waiting out whose banks have drained; one row)
 *   controller   (issue the next instruction if its interlocks allow)
 *   channel      (a dma issued now on a free channel reads its source)
 *   datapath     (left edge, PEs, de-skew, accumulators: cyc_array.c)
 *   load engine  (lanes read SRAM; shadow writes land at the end of the
 *                cycle: cyc_load.c)
 *   channel      (dma.ld bytes land at the end of the cycle: cyc_dma.c)
 * The interlocks are hardware conditions on the units' state (streams in
 * flight per bank, the ldw's lane busy, a waiting out); the timing model
 * computes the same cycles in closed form. */
#include <stdlib.h>
#include <string.h>

#include "cyc_internal.h"

static int mm_banks(const sa35_arch *a, uint32_t acc, uint32_t n)
{
    return 1 << sa35_acc_bank(a, acc) | 1 << sa35_acc_bank(a, acc + n - 1);
}

static int64_t pow2_above(int64_t x)
{
    int64_t p = 1;
    while (p <= x)
        p <<= 1;
    return p;
}

static void cyc_free(cyc *s)
{
    free(s->code_act), free(s->code_sh), free(s->w_act);
    free(s->psum), free(s->zero_row), free(s->lane), free(s->edge[0]);
    free(s->edge[1]);
    free(s->deskew), free(s->rsum_ring), free(s->acc), free(s->rsum);
    free(s->q), free(s->spans), free(s->waves);
    free(s->zw);
    free(s->ref_act), free(s->ref_skew);
    cyc_load_free(s);
    cyc_dma_free(s);
}

static int cyc_init(cyc *s, const sa35_arch *a, sa35_mem mem, sa35_stats *st,
                    const sa35_sim_opts *opts, sa35_err *err)
{
    memset(s, 0, sizeof *s);
    s->a = *a;
    s->R = a->rows, s->C = a->cols;
    s->P = pow2_above(a->rows + a->cols);
    s->D = pow2_above(a->cols);
    s->mem = mem;
    s->st = st;
    int32_t bits = sa35_arch_psum_bits(a);
    s->psum_mask = bits >= 32 ? 0xFFFFFFFFu : (1u << bits) - 1u;
    const sa35_pe_desc *pe = sa35_arch_pe(a);
    s->kpr = pe->k_per_row;
    s->code_bits = pe->code_bits;
    for (uint32_t code = 0; code < (1u << pe->code_bits); code++)
        pe->unpack(code, s->unpacked[code]); /* swaps look codes up */
    const sa35_sim_kernel k = opts ? opts->kernel : SA35_KERNEL_AUTO;
    s->ref = k == SA35_KERNEL_REF;
    s->rows = s->ref ? cyc_rows_ref
              : k == SA35_KERNEL_AUTO && sa35_sim_has_avx2() ? cyc_rows_avx2
                                                              : cyc_rows_scalar;
    size_t pes = (size_t)s->R * (size_t)s->C;
    s->code_act = calloc(pes, 1);
    s->code_sh = calloc(pes, 1);
    s->w_act = calloc(pes, 2);
    s->psum = calloc(pes, sizeof *s->psum);
    s->zero_row = calloc((size_t)s->C, sizeof *s->zero_row);
    s->lane = calloc((size_t)s->R * 4 * (size_t)s->P, 1);
    s->edge[0] = calloc(((size_t)s->R + 3) / 4 * 8, 1);
    s->edge[1] = calloc(((size_t)s->R + 3) / 4 * 8, 1);
    s->deskew = calloc((size_t)s->D * (size_t)s->C, sizeof *s->deskew);
    s->rsum_ring = calloc((size_t)s->P, sizeof *s->rsum_ring);
    s->acc = calloc((size_t)a->acc_rows * (size_t)s->C, sizeof *s->acc);
    s->rsum = calloc((size_t)a->acc_rows, sizeof *s->rsum);
    s->qcap = (size_t)(s->R + s->C) + 4; /* streams live <= m + R + C */
    s->q = calloc(s->qcap, sizeof *s->q);
    s->spans = calloc(s->qcap, sizeof *s->spans);
    s->waves = calloc(s->qcap, sizeof *s->waves);
    if (!s->code_act || !s->code_sh || !s->w_act || !s->psum ||
        !s->zero_row || !s->lane || !s->edge[0] || !s->edge[1] || !s->deskew ||
        !s->rsum_ring || !s->acc || !s->rsum || !s->q || !s->spans ||
        !s->waves || cyc_load_init(s) || (s->ref && cyc_ref_init(s))) {
        cyc_free(s);
        return sa35_err_set(err, "out of memory for a %dx%d array", s->R,
                            s->C);
    }
    s->first_stream = -1;
    return mem_unit_init(&s->mu, a, err);
}

/* The output unit: start the waiting out once the one before it finished,
 * no mm is still writing its banks and the scoreboard lets it write its
 * SRAM rows; read one accumulator row a cycle. */
static int output_step(cyc *s, int64_t t, sa35_err *err)
{
    if (s->wait_valid && !s->run_valid && t > s->wait_issue &&
        t >= s->out_end && cyc_mem_out_ready(s, t)) {
        int banks = mm_banks(&s->a, s->wait.acc, s->wait.rows);
        if (!((banks & 1) && s->bank_inflight[0]) &&
            !((banks & 2) && s->bank_inflight[1])) {
            s->run = s->wait, s->run_scl = s->wait_scl;
            s->run_valid = 1, s->wait_valid = 0;
            s->run_start = t;
            s->out_end = t + s->run.rows;
            if ((s->run.flags & SA35_OUT_SCALE) &&
                !(s->run.flags & SA35_OUT_FP)) /* s, z (out.fp: sa only) */
                s->st->sram_read_bytes += 8ull * s->run.cols;
            if (cyc_mem_out_start(s, t, err))
                return -1;
        }
    }
    if (!s->run_valid)
        return 0;
    uint32_t i = (uint32_t)(t - s->run_start);
    uint32_t row = s->run.acc + i;
    sa35_exec_out_row(&s->run, &s->run_scl, i,
                      s->acc + (size_t)row * (size_t)s->C, s->rsum[row],
                      &s->mem);
    s->st->sram_write_bytes += 4ull * s->run.cols;
    if (s->run.flags & SA35_OUT_SCALE)
        s->st->sram_read_bytes += 4; /* sa[m] */
    if (i + 1 == s->run.rows)
        s->run_valid = 0;
    return 0;
}

static int mm_ready(const cyc *s, const sa35_instr *in, int64_t t)
{
    /* no load interlock: the swap wave (PE(r, c) in cycle t + r + c) runs
     * behind the diagonal of its ldw, issued before it; swap_pe checks */
    if (t < s->stream_free)
        return 0;
    return !(s->wait_valid && (mm_banks(&s->a, in->acc, in->m) &
                               mm_banks(&s->a, s->wait.acc, s->wait.rows)));
}

static int ready(const cyc *s, const sa35_instr *in, int64_t t)
{
    if (!cyc_mem_ready(s, in, t))
        return 0;
    switch (in->op) {
    case SA35_OP_DMA_ST: return !s->wait_valid && t >= s->out_end;
    case SA35_OP_SYNC:
        return !s->qcount && t >= s->ld_end && !s->wait_valid &&
               t >= s->out_end;
    case SA35_OP_LDW: return cyc_load_ready(s, in, t);
    case SA35_OP_MM: return mm_ready(s, in, t);
    case SA35_OP_OUT: return !s->wait_valid;
    default: return 1;
    }
}

static int grow_zw(cyc *s, sa35_err *err)
{
    if (s->swap_serial < s->zwcap)
        return 0;
    size_t cap = s->zwcap ? 2 * s->zwcap : 64;
    uint64_t *zw = realloc(s->zw, cap * sizeof *zw);
    if (!zw)
        return sa35_err_set(err, "out of memory for the zero-weight counts "
                                 "of %zu swaps (%zu bytes)",
                            cap, cap * sizeof *zw);
    memset(zw + s->zwcap, 0, (cap - s->zwcap) * sizeof *zw);
    s->zw = zw;
    s->zwcap = cap;
    return 0;
}

static int issue_mm(cyc *s, const sa35_instr *in, int64_t t, sa35_err *err)
{
    if (in->flags & SA35_MM_SWAP) {
        s->last_swap = t;
        s->swap_serial++;
        if (grow_zw(s, err))
            return -1;
        s->swap_load = (size_t)s->ldw_count; /* the latest ldw's serial */
        s->ac_rows = s->sh_rows, s->ac_cols = s->sh_cols;
    }
    if (s->first_stream < 0)
        s->first_stream = t;
    else
        s->st->stall_cycles += (uint64_t)(t - s->stream_free);
    s->stream_free = t + in->m;
    cyc_stream j = {t,
                    in->m,
                    s->ac_rows,
                    s->ac_cols,
                    in->acc,
                    in->sram,
                    in->stride,
                    in->flags,
                    mm_banks(&s->a, in->acc, in->m),
                    s->swap_serial,
                    s->swap_load};
    if (s->qcount == s->qcap)
        return sa35_err_set(err, "internal: more streams in flight than "
                                 "the array holds");
    *cyc_q(s, s->qcount++) = j;
    for (int b = 0; b < 2; b++)
        s->bank_inflight[b] += j.banks >> b & 1;
    return 0;
}

static int issue(cyc *s, const sa35_instr *in, int64_t t, sa35_err *err)
{
    switch (in->op) {
    case SA35_OP_DMA_LD:
    case SA35_OP_DMA_ST:
        /* the channel moves the bytes: cyc_dma_read, cyc_dma_land */
        if (in->op == SA35_OP_DMA_LD) {
            s->st->dram_read_bytes += in->bytes;
            s->st->sram_write_bytes += in->bytes;
        } else {
            s->st->sram_read_bytes += in->bytes;
            s->st->dram_write_bytes += in->bytes;
        }
        return 0;
    case SA35_OP_LDW:
        cyc_load_issue(s, in, t);
        s->sh_rows = in->rows, s->sh_cols = in->cols;
        s->st->weight_loads++;
        return 0;
    case SA35_OP_MM: return issue_mm(s, in, t, err);
    case SA35_OP_OUT:
        s->wait = *in, s->wait_scl = s->scl;
        s->wait_valid = 1;
        s->wait_issue = t;
        return 0;
    case SA35_OP_SCL:
        s->scl.sa = in->sa, s->scl.s = in->s, s->scl.z = in->z;
        s->scl.set = 1;
        return 0;
    default: return 0; /* sync: its interlock was the whole job */
    }
}

static int busy(const cyc *s, int64_t t)
{
    return s->qcount || t < s->ld_end || s->run_valid || s->wait_valid ||
           t < s->dma_end;
}

int sa35_sim_run(const sa35_arch *a, const sa35_program *p, sa35_mem mem,
                 const sa35_sim_opts *opts, sa35_stats *st, sa35_err *err)
{
    memset(st, 0, sizeof *st);
    if (sa35_program_validate(p, a, err))
        return -1;
    if (!mem.sram || mem.sram_bytes < a->sram_bytes || !mem.dram ||
        mem.dram_bytes < a->dram_bytes)
        return sa35_err_set(err, "the simulator needs SRAM and off-chip "
                                 "memory of the architecture's sizes");
    cyc s;
    if (cyc_init(&s, a, mem, st, opts, err))
        return -1;
    int rc = 0;
    int64_t t = 0;
    for (; s.pc < p->count || busy(&s, t); t++) {
        /* transfers queued earlier read first: an out may write its first
         * row in the cycle a dma.st reads the old one (read before write) */
        cyc_dma_read(&s, t);
        if ((rc = output_step(&s, t, err)))
            break;
        if (s.pc < p->count && ready(&s, &p->ins[s.pc], t)) {
            if ((rc = cyc_mem_issue(&s, &p->ins[s.pc], t, err)) ||
                (rc = issue(&s, &p->ins[s.pc], t, err)))
                break;
            s.pc++;
        }
        cyc_dma_read(&s, t); /* one issued now with a free channel */
        cyc_array_step(&s, t);
        cyc_load_step(&s, t);
        cyc_dma_land(&s, t);
        if (s.hazard) {
            rc = sa35_err_set(err, "internal timing error at cycle %lld: %s",
                              (long long)t, s.hazard);
            break;
        }
        if (opts && opts->progress && (t & 0xFFFF) == 0)
            opts->progress(opts->progress_ctx, (double)s.pc / (double)p->count);
    }
    st->has_activity = 1;
    st->instructions = p->count;
    st->cycles = (uint64_t)t;
    if (s.first_stream >= 0) {
        st->fill_cycles = (uint64_t)s.first_stream;
        st->drain_cycles = (uint64_t)(t - s.stream_free);
    } else {
        st->fill_cycles = (uint64_t)t;
    }
    cyc_free(&s);
    return rc;
}
