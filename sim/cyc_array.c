/* cyc_array.c: one clock cycle of the datapath. In cycle t:
 *  1. the left edge takes activation row t - S of the mm streaming now (or
 *     zeros) into every row's delay line: row r's pair reaches PE(r, c) in
 *     cycle t + r + c (skew r, then one register per column);
 *  2. every PE whose inputs or registers can be nonzero updates, bottom row
 *     first so each row reads the row above's value of the previous cycle:
 *         psum(r,c) <= psum(r-1,c) + a0 w0 + a1 w1
 *     (w = the PE kind's unpack of the active code; a1 = w1 = 0 for one k
 *     a row)
 *     a PE whose incoming pair carries a stream's swap flag first copies
 *     its shadow pair to the active pair (the swap wave);
 *  3. the bottom row's results enter the de-skew (column c waits C-1-c
 *     cycles; an mm.gs's results pass the scale row first, cyc_scale.c)
 *     and the accumulators add the row that entered at t - (R + C - 1).
 * PEs outside the wavefront of streamed rows hold zeros and receive zeros:
 * updating them would change nothing, so they are skipped (exactly). */
#include <string.h>

#include "cyc_internal.h"

#define popcount32 cyc_popcount32


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
    /* The pairs entering the rows this cycle, zeros past the tile: */
    const int32_t R = s->R;
    const int32_t kr = !j ? 0 : j->krows < (uint32_t)R ? (int32_t)j->krows : R;
    const size_t eb = ((size_t)R + 3) / 4 * 8; /* edge bytes, padded */
    uint8_t *old = s->edge[s->edge_cur], *cur = s->edge[!s->edge_cur];
    s->edge_cur = !s->edge_cur;
    /* every row's register holds two bytes; a PE kind with one k per row
     * (int8) takes one byte a row and a zero that never toggles */
    if (s->kpr == 2) {
        if (kr)
            memcpy(cur, row, 2 * (size_t)kr);
    } else {
        for (int32_t r = 0; r < kr; r++)
            cur[2 * r] = row[r], cur[2 * r + 1] = 0;
    }
    memset(cur + 2 * kr, 0, eb - 2 * (size_t)kr);
    /* into every row's delay line */
    const size_t rstride = 4 * (size_t)P, dup = 2 * (size_t)P;
    int8_t *lane = s->lane + 2 * (size_t)pos; /* row r: + r * rstride */
    for (int32_t r = 0; r < R; r++, lane += rstride) {
        memcpy(lane, cur + 2 * r, 2);
        memcpy(lane + dup, cur + 2 * r, 2);
    }
    /* The pair and the swap flag travel through r skew registers and C
     * array registers: each change flips the same bits in each, so the
     * toggles are sum(flips_r) * C and sum(r * flips_r). Four rows per
     * 64-bit word: byte popcounts (SWAR), then per-row counts in 16-bit
     * lanes; a multiply sums the lanes (and weights them by row). */
    uint64_t fl = 0, fl_r = 0, zeros = 0, usum = 0, neg = 0;
    const uint64_t m1 = 0x5555555555555555ull, m2 = 0x3333333333333333ull,
                   m4 = 0x0F0F0F0F0F0F0F0Full, b7 = 0x7F7F7F7F7F7F7F7Full,
                   l16 = 0x00FF00FF00FF00FFull, ones16 = 0x0001000100010001ull;
    for (size_t q = 0; q < eb / 8; q++) {
        uint64_t y, o;
        memcpy(&y, cur + 8 * q, 8);
        memcpy(&o, old + 8 * q, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        y = __builtin_bswap64(y), o = __builtin_bswap64(o); /* row 4q first */
#endif
        uint64_t x = y ^ o;
        x = x - ((x >> 1) & m1);
        x = (x & m2) + ((x >> 2) & m2);
        x = (x + (x >> 4)) & m4;                /* per byte   */
        uint64_t rc = (x + (x >> 8)) & l16;     /* per row    */
        uint64_t n = (rc * ones16) >> 48;       /* 4 rows     */
        /* lane i holds row 4q + i: weights 0..3 land in the top lane */
        uint64_t wsum = (rc * 0x0000000100020003ull) >> 48;
        fl += n;
        fl_r += 4 * (uint64_t)q * n + wsum;
        /* tile statistics: zero bytes, the bytes' signed sum */
        uint64_t nz = (((y & b7) + b7) | y) & ~b7; /* 0x80: nonzero byte */
        zeros += 8 - (((nz >> 7) * 0x0101010101010101ull) >> 56);
        usum += (((y & l16) + ((y >> 8) & l16)) * ones16) >> 48;
        neg += (((y >> 7) & 0x0101010101010101ull) * 0x0101010101010101ull) >>
               56;
    }
    zeros -= eb - s->kpr * (size_t)kr; /* bytes that are no operand */
    const int32_t rs = (int32_t)usum - 256 * (int32_t)neg;
    if (flag != s->flag_prev) {
        fl += (uint64_t)R;
        fl_r += (uint64_t)R * (uint64_t)(R - 1) / 2;
        s->flag_prev = flag;
    }
    s->st->toggles_skew += fl_r;
    s->st->toggles_act += fl * (uint64_t)s->C;
    s->rsum_ring[t & (P - 1)] = rs;
    if (j) {
        uint64_t busy = (uint64_t)j->krows * j->cols;
        s->st->pe_busy_cycles += busy;
        s->st->macs += s->kpr * busy;
        s->st->stream_cycles++;
        s->st->sram_read_bytes += (uint64_t)s->kpr * j->krows;
        s->st->act_operands += s->kpr * busy;
        s->st->zero_act_operands += zeros * j->cols;
    }
}

/* The swap of PE(r, c), carried by stream j's first row. */
static void swap_pe(cyc *s, const cyc_stream *j, int32_t r, int32_t c)
{
    size_t i = (size_t)r * (size_t)s->C + (size_t)c;
    if ((uint32_t)r < j->krows && s->pe_load[i] != (uint32_t)j->load)
        s->hazard = "a swap reached a shadow register before its load "
                    "wrote it";
    s->st->toggles_weight +=
        (uint64_t)popcount32((uint32_t)(s->code_act[i] ^ s->code_sh[i]));
    /* the shadow holds only the code (the load writes one byte on its
     * diagonal); the active pair is unpacked here, once per swap */
    const uint32_t code = s->code_sh[i];
    const int8_t *w = s->unpacked[code]; /* w[1] = 0 for one k a row */
    s->code_act[i] = (uint8_t)code;
    s->w_act[2 * i] = w[0];
    s->w_act[2 * i + 1] = w[1];
    if ((uint32_t)r < j->krows && (uint32_t)c < j->cols)
        s->zw[j->wserial] += (w[0] == 0) + (s->kpr == 2 && w[1] == 0);
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
    /* acc = v with .first, else += in int32 or, with .gs, in float32 */
    for (int32_t c = 0; c < s->C; c++)
        acc[c] = sa35_exec_acc(j->flags, acc[c], v[c]);
    s->rsum[j->acc + m] =
        sa35_exec_acc(j->flags & SA35_MM_FIRST, s->rsum[j->acc + m], rs);
    if (m + 1 < j->m)
        return;
    /* the stream's last row: it leaves */
    for (int b = 0; b < 2; b++)
        if (j->banks >> b & 1)
            s->bank_inflight[b]--;
    s->st->weight_operands += (uint64_t)s->kpr * j->m * j->krows * j->cols;
    s->st->zero_weight_operands += (uint64_t)j->m * s->zw[j->wserial];
    s->qhead = (s->qhead + 1) % s->qcap;
    s->qcount--;
}

void cyc_array_step(cyc *s, int64_t t)
{
    inject(s, t);
    if (!s->qcount && !s->ref)
        return; /* every PE register is zero and stays so */
    pe_rows(s, t);
    cyc_scale_step(s, t); /* the scale row below the bottom PEs */
    accumulate(s, t);
}
