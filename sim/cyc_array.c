/* cyc_array.c: one clock cycle of the datapath. In cycle t:
 *  1. the left edge takes activation row t - S of the mm streaming now (or
 *     zeros) into every row's delay line: row r's pair reaches PE(r, c) in
 *     cycle t + r + c (skew r, then one register per column);
 *  2. every PE whose inputs or registers can be nonzero updates, bottom row
 *     first so each row reads the row above's value of the previous cycle:
 *         psum(r,c) <= psum(r-1,c) + a0 e + a1 2c
 *     a PE whose incoming pair carries a stream's swap flag first copies
 *     its shadow pair to the active pair (the swap wave);
 *  3. the bottom row's results enter the de-skew (column c waits C-1-c
 *     cycles) and the accumulators add the row that entered at
 *     t - (R + C - 1).
 * PEs outside the wavefront of streamed rows hold zeros and receive zeros:
 * updating them would change nothing, so they are skipped (exactly). */
#include <string.h>

#include "cyc_internal.h"

#define popcount32 cyc_popcount32

/* Bits set in a byte: the left edge's 17-bit changes, two lookups. */
#define B2(n) n, n + 1, n + 1, n + 2
#define B4(n) B2(n), B2(n + 1), B2(n + 1), B2(n + 2)
#define B6(n) B4(n), B4(n + 1), B4(n + 1), B4(n + 2)
static const uint8_t pop8[256] = {B6(0), B6(1), B6(1), B6(2)};
#undef B2
#undef B4
#undef B6

/* 1. The left edge. */
static void inject(cyc *s, int64_t t)
{
    cyc_stream *j = NULL;
    if (s->qcount) {
        cyc_stream *last = cyc_q(s, s->qcount - 1);
        if (t >= last->S && t < last->S + last->m)
            j = last;
    }
    /* P is a power of two: masks, not divisions (this runs every cycle) */
    const int64_t P = s->P, pos = -t & (P - 1);
    const uint32_t m = j ? (uint32_t)(t - j->S) : 0;
    const uint8_t *row =
        j ? s->mem.sram + j->sram + (uint64_t)m * j->stride : NULL;
    const uint32_t flag = j && m == 0 && (j->flags & SA35_MM_SWAP) ? 1 : 0;
    int32_t rs = 0;
    /* counted in locals: the int8 lane stores may alias anything, so
     * counters in *s->st would be reloaded and stored every row */
    uint64_t zeros = 0, fl = 0, fl_r = 0;
    const int32_t R = s->R;
    const int32_t kr = !j ? 0 : j->krows < (uint32_t)R ? (int32_t)j->krows : R;
    const size_t rstride = 4 * (size_t)P, dup = 2 * (size_t)P;
    int8_t *lane = s->lane + 2 * (size_t)pos; /* row r: + r * rstride */
    uint32_t *prev = s->lane_prev;
    int32_t r = 0;
    /* the pair and the swap flag travel through r skew registers and C
     * array registers: each change flips the same bits in each */
    for (; r < kr; r++, lane += rstride) {
        uint8_t b0 = row[2 * r], b1 = row[2 * r + 1];
        rs += (int8_t)b0 + (int8_t)b1;
        zeros += (b0 == 0) + (b1 == 0);
        lane[0] = lane[dup] = (int8_t)b0;
        lane[1] = lane[dup + 1] = (int8_t)b1;
        uint32_t x = b0 | (uint32_t)b1 << 8 | flag << 16, d = x ^ prev[r];
        uint64_t flips = (uint64_t)(pop8[d & 0xFF] + pop8[d >> 8 & 0xFF] +
                                    (d >> 16));
        prev[r] = x;
        fl += flips;
        fl_r += flips * (uint64_t)r;
    }
    /* rows past the tile (or no stream): zeros enter */
    for (; r < R; r++, lane += rstride) {
        lane[0] = lane[1] = lane[dup] = lane[dup + 1] = 0;
        uint32_t x = flag << 16, d = x ^ prev[r];
        if (d) {
            uint64_t flips = (uint64_t)(pop8[d & 0xFF] + pop8[d >> 8 & 0xFF] +
                                        (d >> 16));
            prev[r] = x;
            fl += flips;
            fl_r += flips * (uint64_t)r;
        }
    }
    s->st->toggles_skew += fl_r;
    s->st->toggles_act += fl * (uint64_t)s->C;
    s->rsum_ring[t & (P - 1)] = rs;
    if (j) {
        uint64_t busy = (uint64_t)j->krows * j->cols;
        s->st->pe_busy_cycles += busy;
        s->st->macs += 2 * busy;
        s->st->stream_cycles++;
        s->st->sram_read_bytes += 2ull * j->krows;
        s->st->act_operands += 2 * busy;
        s->st->zero_act_operands += zeros * j->cols;
    }
}

/* The swap of PE(r, c), carried by stream j's first row. */
static void swap_pe(cyc *s, const cyc_stream *j, int32_t r, int32_t c)
{
    size_t i = (size_t)r * (size_t)s->C + (size_t)c;
    if ((uint32_t)r < j->krows && s->row_serial[r] != j->load)
        s->hazard = "a swap reached a shadow row before its load wrote it";
    s->st->toggles_weight +=
        (uint64_t)popcount32((uint32_t)(s->code_act[i] ^ s->code_sh[i]));
    s->code_act[i] = s->code_sh[i];
    s->w_act[2 * i] = s->w_sh[2 * i];
    s->w_act[2 * i + 1] = s->w_sh[2 * i + 1];
    if ((uint32_t)r < j->krows && (uint32_t)c < j->cols)
        s->zw[j->wserial] += (s->w_sh[2 * i] == 0) + (s->w_sh[2 * i + 1] == 0);
}

/* The entry cycles live in the array: each stream's rows plus one (the
 * cycle after a stream's last row clears its registers to zero). */
static size_t live_spans(cyc *s, cyc_span *sp, const cyc_stream **waves,
                         size_t *nw, int64_t t)
{
    size_t n = 0;
    *nw = 0;
    for (size_t i = 0; i < s->qcount; i++) {
        const cyc_stream *j = cyc_q(s, i);
        if ((j->flags & SA35_MM_SWAP) && t - j->S < s->R + s->C - 1)
            waves[(*nw)++] = j; /* its swap wave is still in the array */
        int64_t lo = j->S, hi = j->S + j->m;
        if (n && lo <= sp[n - 1].hi + 1) {
            if (hi > sp[n - 1].hi)
                sp[n - 1].hi = hi;
        } else {
            sp[n].lo = lo, sp[n].hi = hi;
            n++;
        }
    }
    return n;
}

static void pe_rows(cyc *s, int64_t t)
{
    cyc_span *sp = s->spans;
    const cyc_stream **waves = s->waves;
    size_t nw, ns = live_spans(s, sp, waves, &nw, t);
    const int32_t C = s->C, R = s->R;
    /* The swap waves first, in every row: a swap changes only its PE's
     * active pair, which only that PE's own update below reads, so this is
     * the same as swapping each row just before updating it. */
    for (size_t w = 0; w < nw; w++)
        for (int32_t r = R - 1; r >= 0; r--) {
            int64_t c = t - r - waves[w]->S;
            if (c >= 0 && c < C)
                swap_pe(s, waves[w], r, (int32_t)c);
        }
    s->st->toggles_psum += s->rows(s, t, sp, ns);
}

/* 3. The accumulators take the row that entered R + C - 1 cycles ago. */
static void accumulate(cyc *s, int64_t t)
{
    if (!s->qcount)
        return;
    cyc_stream *j = cyc_q(s, 0); /* rows reach the bottom in entry order */
    int64_t tau = t - s->R - s->C + 1;
    if (tau < j->S || tau >= j->S + j->m)
        return;
    uint32_t m = (uint32_t)(tau - j->S);
    const int32_t *v = s->deskew + (size_t)(tau & (s->D - 1)) * (size_t)s->C;
    int32_t *acc = s->acc + (size_t)(j->acc + m) * (size_t)s->C;
    int32_t rs = s->rsum_ring[tau & (s->P - 1)];
    if (j->flags & SA35_MM_FIRST) {
        memcpy(acc, v, (size_t)s->C * sizeof *acc);
        s->rsum[j->acc + m] = rs;
    } else {
        for (int32_t c = 0; c < s->C; c++)
            acc[c] += v[c];
        s->rsum[j->acc + m] += rs;
    }
    if (m + 1 < j->m)
        return;
    /* the stream's last row: it leaves */
    for (int b = 0; b < 2; b++)
        if (j->banks >> b & 1)
            s->bank_inflight[b]--;
    s->st->weight_operands += 2ull * j->m * j->krows * j->cols;
    s->st->zero_weight_operands += (uint64_t)j->m * s->zw[j->wserial];
    s->qhead = (s->qhead + 1) % s->qcap;
    s->qcount--;
}

void cyc_array_step(cyc *s, int64_t t)
{
    inject(s, t);
    if (!s->qcount)
        return; /* every PE register is zero and stays so */
    pe_rows(s, t);
    accumulate(s, t);
}
