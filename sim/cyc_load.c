/* cyc_load.c: the load engine, L lanes (docs/architecture.md, "Load
 * engine"). ldw number j takes lane j mod L; issued in cycle X with n rows,
 * the lane reads tile row r from SRAM in cycle X + r and PE(r, c) takes its
 * code in cycle X + r + c (columns past the tile's width get code 0); an
 * ldw.gs then reads its scale words in cycle X + n (cyc_scale.c).
 *
 * Each lane keeps what it read in a delay line of C slots, as the RTL
 * does: a dma.ld that rewrites the tile's SRAM bytes after row r was read
 * does not change what lands in row r. A write lands at the end of its
 * cycle, so a PE swapping in the same cycle would still read the old
 * shadow (with the diagonal writes that never happens). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cyc_internal.h"

int cyc_load_init(cyc *s)
{
    const size_t L = (size_t)s->a.load_rows, C = (size_t)s->C;
    s->lanes = calloc(L, sizeof *s->lanes);
    s->lane_codes = calloc(L * C * C, 1);
    s->lane_tau = malloc(L * C * sizeof *s->lane_tau);
    s->lane_meta = calloc(4 * L * C, sizeof *s->lane_meta);
    s->pe_load = calloc((size_t)s->R * C, sizeof *s->pe_load);
    if (!s->lanes || !s->lane_codes || !s->lane_tau || !s->lane_meta ||
        !s->pe_load)
        return -1;
    for (size_t i = 0; i < L * C; i++)
        s->lane_tau[i] = INT64_MIN; /* no slot holds a row (t - c can be
                                     * negative: not -1) */
    for (size_t l = 0; l < L; l++) {
        cyc_lane *ln = &s->lanes[l];
        ln->X = ln->end = ln->busy = -1;
        ln->codes = s->lane_codes + l * C * C;
        ln->tau = s->lane_tau + l * C;
        ln->row = s->lane_meta + 4 * l * C;
        ln->nrows = ln->row + C;
        ln->ser = ln->nrows + C;
        ln->gsrow = ln->ser + C;
    }
    return cyc_scale_init(s);
}

void cyc_load_free(cyc *s)
{
    free(s->lanes), free(s->lane_codes), free(s->lane_tau);
    free(s->lane_meta), free(s->pe_load);
    cyc_scale_free(s);
}

int cyc_load_ready(const cyc *s, const sa35_instr *in, int64_t t)
{
    const cyc_lane *ln =
        &s->lanes[s->ldw_count % (uint64_t)s->a.load_rows];
    /* the lane has read the last row (ldw.gs: the scale words) of its
     * previous ldw */
    if (ln->X >= 0 && t < ln->busy)
        return 0;
    /* ldw.gs: its scale words land in column c at t + rows + c, after the
     * swap that used the previous ones there (Sp + R + c) */
    return !(in->flags & SA35_LDW_GS) || s->last_swap == INT64_MIN ||
           t >= s->last_swap + s->R + 1 - (int64_t)in->rows;
}

void cyc_load_issue(cyc *s, const sa35_instr *in, int64_t t)
{
    cyc_lane *ln = &s->lanes[s->ldw_count++ % (uint64_t)s->a.load_rows];
    ln->X = t;
    ln->n = in->rows, ln->cols = in->cols, ln->sram = in->sram;
    ln->gs = (in->flags & SA35_LDW_GS) != 0;
    ln->serial = (uint32_t)s->ldw_count;
    ln->busy = t + (int64_t)in->rows + ln->gs;
    ln->end = t + (int64_t)in->rows + s->C - 1 + ln->gs;
    if (ln->end > s->ld_end)
        s->ld_end = ln->end;
}

/* The lane reads tile row t - X into slot t mod C: all C codes, zeros past
 * the tile's width. */
static void lane_read(cyc *s, cyc_lane *ln, int64_t t, size_t slot)
{
    const uint32_t r = (uint32_t)(t - ln->X), C = (uint32_t)s->C;
    const uint32_t rb = sa35_tile_rowbytes(&s->a, ln->cols), w = s->code_bits;
    const uint8_t *src = s->mem.sram + ln->sram + (uint64_t)r * rb;
    uint8_t *dst = ln->codes + slot * C;
    if (w == 8) { /* a byte a code */
        memcpy(dst, src, ln->cols);
    } else {
        for (uint32_t c = 0; c < ln->cols; c++)
            dst[c] = (uint8_t)sa35_stream_bits(src, w * c, w);
    }
    memset(dst + ln->cols, 0, C - ln->cols); /* past the tile: code 0 */
    ln->tau[slot] = t;
    ln->row[slot] = r;
    ln->nrows[slot] = ln->n;
    ln->ser[slot] = ln->serial;
    ln->gsrow[slot] = (uint32_t)ln->gs;
    s->st->sram_read_bytes += rb;
}

/* Columns [c0, c1] of the diagonal: column c takes the row read in cycle
 * t - c, found in slot `slot` - (c - c0) (no wrap inside the range). */
static void lane_write(cyc *s, const cyc_lane *ln, int64_t t, int32_t c0,
                       int32_t c1, size_t slot)
{
    const size_t C = (size_t)s->C;
    for (int32_t c = c0; c <= c1; c++, slot--) {
        if (ln->tau[slot] != t - c)
            continue; /* nothing was read in cycle t - c */
        const uint32_t r = ln->row[slot];
        const size_t i = (size_t)r * C + (size_t)c;
        const uint32_t code = ln->codes[slot * C + (size_t)c];
        s->st->toggles_weight +=
            (uint64_t)cyc_popcount32(code ^ s->code_sh[i]);
        s->code_sh[i] = (uint8_t)code;
        s->pe_load[i] = ln->ser[slot];
        if (c == s->C - 1 && r + 1 == ln->nrows[slot] &&
            !ln->gsrow[slot]) /* its last code (ldw.gs: cyc_scale.c) */
            s->st->weight_load_cycles += ln->nrows[slot] + C - 1;
    }
}

void cyc_load_step(cyc *s, int64_t t)
{
    const int32_t C = s->C;
    for (int32_t l = 0; l < s->a.load_rows; l++) {
        cyc_lane *ln = &s->lanes[l];
        if (t >= ln->end)
            continue; /* idle: every row it read has landed */
        const size_t slot = (size_t)(t % C);
        if (t < ln->X + (int64_t)ln->n)
            lane_read(s, ln, t, slot);
        else if (ln->gs && t == ln->X + (int64_t)ln->n)
            cyc_scale_read(s, ln, t);
        /* columns 0..slot sit in slots slot..0, the rest wrap around */
        lane_write(s, ln, t, 0, (int32_t)slot, slot);
        if ((int32_t)slot + 1 < C)
            lane_write(s, ln, t, (int32_t)slot + 1, C - 1, (size_t)C - 1);
    }
    cyc_scale_write(s, t);
}
