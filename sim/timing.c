/* timing.c: the timing model. Each instruction's issue cycle is the
 * earliest cycle that satisfies the interlock rules of docs/architecture.md
 * ("Timing rules"), computed in closed form from a handful of times the
 * controller remembers; no PE is touched. The cycle-accurate simulator
 * reaches the same cycles by ticking its controller and watching its
 * array, and tests demand equality. */
#include <stdlib.h>
#include <string.h>

#include "mem_unit.h"
#include "sa35_sim.h"

typedef struct tstate {
    const sa35_arch *a;
    int64_t prev_issue;     /* issue cycle of the previous instruction     */
    int64_t *lane_free;     /* per load lane: the cycle it takes an ldw    */
    uint64_t ldw_count;     /* ldws so far: the next takes lane count % L */
    int64_t stream_free;    /* the left edge takes a new row from here    */
    int64_t first_stream;   /* start of the first mm, -1: none            */
    int64_t mm_end[2];      /* per accumulator bank: last mm finishes     */
    int64_t out_start[2];   /* per bank: the latest out started reading   */
    int64_t out_prev_start, out_prev_end;
    int64_t all_end;
    int64_t last_swap;      /* start of the latest mm.swap, INT64_MIN: none */
    mem_unit mem;           /* DMA channel and SRAM scoreboard            */
    sa35_scale_regs scl;
    uint32_t sh_rows, sh_cols, ac_rows, ac_cols;
} tstate;

static int64_t max64(int64_t x, int64_t y) { return x > y ? x : y; }

/* The banks rows [acc, acc + n) touch: bit 0 and/or bit 1. */
static int banks_of(const sa35_arch *a, uint32_t acc, uint32_t n)
{
    return 1 << sa35_acc_bank(a, acc) | 1 << sa35_acc_bank(a, acc + n - 1);
}

/* Returns the instruction's end cycle (-1: out of memory); *unit_start as
 * sa35_timing_schedule says. */
static int64_t schedule(tstate *s, const sa35_instr *in, sa35_stats *st,
                        int64_t *unit_start, sa35_err *err)
{
    const sa35_arch *a = s->a;
    int64_t t = s->prev_issue + 1, end, o = -1;
    mem_unit_prune(&s->mem, s->prev_issue);
    switch (in->op) {
    case SA35_OP_DMA_LD:
    case SA35_OP_DMA_ST: {
        mem_range r = mem_range_of(a, in, 0);
        int64_t xfer;
        if (in->op == SA35_OP_DMA_LD) {
            /* its bytes land after the earlier accesses of the range */
            t = max64(t, mem_write_ready(&s->mem, r.lo, r.hi));
            mem_dma(&s->mem, t, in->bytes, &xfer, &end);
            if (mem_record(&s->mem, r.lo, r.hi, end - 1, 1, err))
                return -1;
            st->dram_read_bytes += in->bytes;
            st->sram_write_bytes += in->bytes;
        } else {
            /* it reads what outs wrote */
            t = max64(t, s->out_prev_end);
            t = max64(t, mem_read_ready(&s->mem, r.lo, r.hi));
            mem_dma(&s->mem, t, in->bytes, &xfer, &end);
            if (mem_record(&s->mem, r.lo, r.hi, xfer, 0, err))
                return -1;
            st->sram_read_bytes += in->bytes;
            st->dram_write_bytes += in->bytes;
        }
        o = xfer; /* the channel's start */
        break;
    }
    case SA35_OP_LDW: {
        /* ldw j takes lane j mod L once that lane's previous ldw has read
         * its rows; PE(r, c) takes its code at t + r + c, so the last one
         * lands at t + rows - 1 + C - 1. An ldw.gs reads its scale words
         * one cycle more (t + rows), column c's lands at t + rows + c, after
         * the swap that used the previous ones (Sp + R + c) */
        const int gs = (in->flags & SA35_LDW_GS) != 0;
        int64_t *lane = &s->lane_free[s->ldw_count++ % (uint64_t)a->load_rows];
        mem_range r = mem_range_of(a, in, 0);
        t = max64(t, *lane);
        if (gs && s->last_swap != INT64_MIN)
            t = max64(t, s->last_swap + a->rows + 1 - (int64_t)in->rows);
        t = max64(t, mem_read_ready(&s->mem, r.lo, r.hi));
        *lane = t + in->rows + gs;
        if (mem_record(&s->mem, r.lo, r.hi, t + in->rows - 1 + gs, 0, err))
            return -1;
        end = t + in->rows + a->cols - 1 + gs;
        s->sh_rows = in->rows, s->sh_cols = in->cols;
        st->weight_loads++;
        st->weight_load_cycles += (uint64_t)(end - t);
        st->sram_read_bytes += sa35_ldw_bytes(a, in);
        break;
    }
    case SA35_OP_MM: {
        int banks = banks_of(a, in->acc, in->m);
        int swap = (in->flags & SA35_MM_SWAP) != 0;
        /* no load interlock: the swap wave (PE(r, c) at t + r + c) runs
         * behind the diagonal of its ldw, issued earlier (docs/
         * architecture.md, "Load engine") */
        t = max64(t, s->stream_free);
        for (int b = 0; b < 2; b++)
            if (banks >> b & 1) /* do not overwrite what an out reads */
                t = max64(t, s->out_start[b]);
        if (swap)
            s->ac_rows = s->sh_rows, s->ac_cols = s->sh_cols;
        mem_range r = mem_range_of(a, in, s->ac_rows);
        t = max64(t, mem_read_ready(&s->mem, r.lo, r.hi));
        if (mem_record(&s->mem, r.lo, r.hi, t + in->m - 1, 0, err))
            return -1;
        if (s->first_stream < 0)
            s->first_stream = t;
        else
            st->stall_cycles += (uint64_t)(t - s->stream_free);
        if (swap)
            s->last_swap = t;
        s->stream_free = t + in->m;
        end = t + in->m + a->rows + a->cols - 1;
        for (int b = 0; b < 2; b++)
            if (banks >> b & 1)
                s->mm_end[b] = end;
        uint64_t busy = (uint64_t)in->m * s->ac_rows * s->ac_cols;
        st->pe_busy_cycles += busy;
        st->macs += sa35_arch_pe(a)->k_per_row * busy;
        st->stream_cycles += in->m;
        st->sram_read_bytes +=
            (uint64_t)in->m * sa35_mm_rowbytes(a, s->ac_rows);
        break;
    }
    case SA35_OP_OUT: {
        int banks = banks_of(a, in->acc, in->rows);
        t = max64(t, s->out_prev_start); /* one out waits at a time */
        /* the output unit takes it the cycle after its issue */
        o = max64(t + 1, s->out_prev_end);
        for (int b = 0; b < 2; b++)
            if (banks >> b & 1)
                o = max64(o, s->mm_end[b]);
        mem_range r = mem_range_of(a, in, 0), sc[3];
        int nsc = mem_scale_ranges(in, &s->scl, sc);
        o = max64(o, mem_write_ready(&s->mem, r.lo, r.hi));
        for (int k = 0; k < nsc; k++)
            o = max64(o, mem_read_ready(&s->mem, sc[k].lo, sc[k].hi));
        if (mem_record(&s->mem, r.lo, r.hi, o + in->rows - 1, 1, err))
            return -1;
        for (int k = 0; k < nsc; k++)
            if (mem_record(&s->mem, sc[k].lo, sc[k].hi, o + in->rows - 1, 0,
                           err))
                return -1;
        for (int b = 0; b < 2; b++)
            if (banks >> b & 1)
                s->out_start[b] = o;
        s->out_prev_start = o;
        s->out_prev_end = end = o + in->rows;
        st->sram_write_bytes += 4ull * in->rows * in->cols;
        if (in->flags & SA35_OUT_SCALE) /* sa; s and z unless out.fp */
            st->sram_read_bytes +=
                4ull * in->rows +
                ((in->flags & SA35_OUT_FP) ? 0 : 8ull * in->cols);
        break;
    }
    case SA35_OP_SYNC:
        t = max64(t, s->all_end);
        end = t + 1;
        break;
    default: /* scl: latches the addresses out.scale reads */
        s->scl = (sa35_scale_regs){in->sa, in->s, in->z, 1};
        end = t + 1;
        break;
    }
    s->prev_issue = t;
    *unit_start = o >= 0 ? o : t;
    return end;
}

int sa35_timing_run(const sa35_arch *a, const sa35_program *p,
                    sa35_stats *st, sa35_err *err)
{
    return sa35_timing_schedule(a, p, st, NULL, NULL, err);
}

int sa35_timing_schedule(const sa35_arch *a, const sa35_program *p,
                         sa35_stats *st, int64_t *issue, int64_t *start,
                         sa35_err *err)
{
    memset(st, 0, sizeof *st);
    if (sa35_program_validate(p, a, err))
        return -1;
    tstate s;
    memset(&s, 0, sizeof s);
    s.a = a;
    s.prev_issue = -1;
    s.first_stream = -1;
    s.last_swap = INT64_MIN;
    s.lane_free = calloc((size_t)a->load_rows, sizeof *s.lane_free);
    if (!s.lane_free) {
        sa35_err_set(err, "timing model: out of memory for %d load lanes",
                     a->load_rows);
        return -1;
    }
    mem_unit_init(&s.mem, a, err);
    for (size_t i = 0; i < p->count; i++) {
        int64_t unit_start;
        int64_t end = schedule(&s, &p->ins[i], st, &unit_start, err);
        if (end < 0) {
            free(s.lane_free);
            mem_unit_free(&s.mem);
            return -1;
        }
        s.all_end = max64(s.all_end, end);
        if (issue)
            issue[i] = s.prev_issue;
        if (start)
            start[i] = unit_start;
    }
    free(s.lane_free);
    mem_unit_free(&s.mem);
    st->instructions = p->count;
    st->cycles = (uint64_t)s.all_end;
    if (s.first_stream >= 0) {
        st->fill_cycles = (uint64_t)s.first_stream;
        st->drain_cycles = (uint64_t)(s.all_end - s.stream_free);
    } else {
        st->fill_cycles = (uint64_t)s.all_end;
    }
    return 0;
}
