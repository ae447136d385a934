/* cyc_dma.c: the cycle-accurate simulator's memory system
 * (docs/architecture.md, "The memory system"). The channel and the
 * scoreboard's bookkeeping are mem_unit's (shared with the timing model);
 * what is the simulator's own is moving every byte in the cycle the rules
 * say: a dma reads its source in cycle T, a dma.ld's bytes land at the end
 * of cycle D - 1, an ldw reads tile row r in cycle X + r, an mm row i in
 * S + i, an out writes row i in O + i. A wait the rules left out would let
 * a read see the wrong bytes, and the tests compare every byte with the
 * functional executor's. */
#include <stdlib.h>
#include <string.h>

#include "cyc_internal.h"

/* The active tile's rows an mm streams: the shadow's with .swap. */
static uint32_t mm_krows(const cyc *s, const sa35_instr *in)
{
    return in->flags & SA35_MM_SWAP ? s->sh_rows : s->ac_rows;
}

/* While an out waits for the output unit its window is not known yet:
 * a later access that could conflict with it waits until it has started
 * (the timing model, which knows the window at issue, gets the same cycle:
 * every such conflict puts the access after the out's start anyway). */
static int blocked_by_waiting_out(const cyc *s, mem_range r, int write)
{
    if (!s->wait_valid || !s->mu.bw_num) /* the ideal memory: no scoreboard */
        return 0;
    mem_range w = mem_range_of(&s->a, &s->wait, 0), sc[3];
    if (r.lo < w.hi && w.lo < r.hi)
        return 1;
    int n = write ? mem_scale_ranges(&s->wait, &s->wait_scl, sc) : 0;
    for (int k = 0; k < n; k++)
        if (r.lo < sc[k].hi && sc[k].lo < r.hi)
            return 1;
    return 0;
}

int cyc_mem_ready(const cyc *s, const sa35_instr *in, int64_t t)
{
    switch (in->op) {
    case SA35_OP_DMA_LD: {
        mem_range r = mem_range_of(&s->a, in, 0);
        return t >= mem_write_ready(&s->mu, r.lo, r.hi) &&
               !blocked_by_waiting_out(s, r, 1);
    }
    case SA35_OP_DMA_ST:
    case SA35_OP_LDW:
    case SA35_OP_MM: {
        mem_range r = mem_range_of(&s->a, in, mm_krows(s, in));
        return t >= mem_read_ready(&s->mu, r.lo, r.hi) &&
               !blocked_by_waiting_out(s, r, 0);
    }
    case SA35_OP_SYNC: return t >= s->dma_end;
    default: return 1;
    }
}

int cyc_mem_out_ready(const cyc *s, int64_t t)
{
    mem_range r = mem_range_of(&s->a, &s->wait, 0), sc[3];
    if (t < mem_write_ready(&s->mu, r.lo, r.hi))
        return 0;
    int n = mem_scale_ranges(&s->wait, &s->wait_scl, sc);
    for (int k = 0; k < n; k++)
        if (t < mem_read_ready(&s->mu, sc[k].lo, sc[k].hi))
            return 0;
    return 1;
}

static int push_dma(cyc *s, const sa35_instr *in, int64_t T, int64_t end,
                    sa35_err *err)
{
    if (s->dq_n == s->dq_cap) {
        size_t cap = s->dq_cap ? 2 * s->dq_cap : 16;
        cyc_dma *q = realloc(s->dq, cap * sizeof *q);
        if (!q)
            return sa35_err_set(err, "out of memory for the DMA queue");
        s->dq = q, s->dq_cap = cap;
    }
    cyc_dma d = {*in, T, end, NULL, 0};
    if (in->op == SA35_OP_DMA_LD && in->bytes &&
        !(d.buf = malloc(in->bytes)))
        return sa35_err_set(err, "out of memory for a %u-byte DMA",
                            in->bytes);
    s->dq[s->dq_n++] = d;
    if (end > s->dma_end)
        s->dma_end = end;
    return 0;
}

int cyc_mem_issue(cyc *s, const sa35_instr *in, int64_t t, sa35_err *err)
{
    mem_unit_prune(&s->mu, t - 1);
    mem_range r = mem_range_of(&s->a, in, mm_krows(s, in));
    int64_t T, end;
    if (!s->mu.bw_num &&
        (in->op == SA35_OP_DMA_LD || in->op == SA35_OP_DMA_ST)) {
        /* the ideal memory: the bytes move now, seen by this cycle's reads
         * (the first version's dma, which the RTL's testbench keeps) */
        sa35_exec_dma(in, &s->mem);
        if (t + 1 > s->dma_end)
            s->dma_end = t + 1;
        return 0;
    }
    switch (in->op) {
    case SA35_OP_DMA_LD:
        mem_dma(&s->mu, t, in->bytes, &T, &end);
        return mem_record(&s->mu, r.lo, r.hi, end - 1, 1, err) ||
               push_dma(s, in, T, end, err);
    case SA35_OP_DMA_ST:
        mem_dma(&s->mu, t, in->bytes, &T, &end);
        return mem_record(&s->mu, r.lo, r.hi, T, 0, err) ||
               push_dma(s, in, T, end, err);
    case SA35_OP_LDW: /* ldw.gs: its scale words one cycle later */
        return mem_record(&s->mu, r.lo, r.hi,
                          t + in->rows - 1 + !!(in->flags & SA35_LDW_GS), 0,
                          err);
    case SA35_OP_MM:
        return mem_record(&s->mu, r.lo, r.hi, t + in->m - 1, 0, err);
    default: return 0; /* an out records when it starts */
    }
}

int cyc_mem_out_start(cyc *s, int64_t t, sa35_err *err)
{
    const sa35_instr *in = &s->run;
    mem_range r = mem_range_of(&s->a, in, 0), sc[3];
    int64_t last = t + in->rows - 1;
    if (mem_record(&s->mu, r.lo, r.hi, last, 1, err))
        return -1;
    int n = mem_scale_ranges(in, &s->run_scl, sc);
    for (int k = 0; k < n; k++)
        if (mem_record(&s->mu, sc[k].lo, sc[k].hi, last, 0, err))
            return -1;
    return 0;
}

void cyc_dma_read(cyc *s, int64_t t)
{
    /* in channel order: a dma.st's off-chip write is seen by a later
     * dma.ld reading in the same or a later cycle */
    for (size_t i = 0; i < s->dq_n; i++) {
        cyc_dma *d = &s->dq[i];
        if (d->read || d->T != t)
            continue;
        if (d->in.op == SA35_OP_DMA_LD)
            memcpy(d->buf, s->mem.dram + d->in.dram, d->in.bytes);
        else
            sa35_exec_dma(&d->in, &s->mem);
        d->read = 1;
    }
}

void cyc_dma_land(cyc *s, int64_t t)
{
    size_t k = 0;
    for (size_t i = 0; i < s->dq_n; i++) {
        cyc_dma *d = &s->dq[i];
        if (d->in.op == SA35_OP_DMA_LD && d->end - 1 == t) {
            memcpy(s->mem.sram + d->in.sram, d->buf, d->in.bytes);
            free(d->buf);
            continue;
        }
        if (d->in.op == SA35_OP_DMA_ST && d->end - 1 <= t)
            continue;
        s->dq[k++] = *d;
    }
    s->dq_n = k;
}

void cyc_dma_free(cyc *s)
{
    for (size_t i = 0; i < s->dq_n; i++)
        free(s->dq[i].buf);
    free(s->dq);
    s->dq = NULL;
    s->dq_n = s->dq_cap = 0;
    mem_unit_free(&s->mu);
}
