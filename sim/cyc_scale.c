/* cyc_scale.c: the scale row of group scaling (docs/architecture.md, "The
 * scale row"). Below PE row R - 1 each column has a scale unit with a
 * shadow and an active word (binary16 s | z << 16):
 *   load  an ldw.gs issued in cycle X with n rows reads its tile's scale
 *         words in cycle X + n; column c's shadow takes its word at the end
 *         of cycle X + n + c (0 past the tile's width);
 *   swap  the swap wave of an mm.swap started in S reaches column c in
 *         cycle S + R + c: the unit copies its shadow to the active word;
 *   use   in cycle S + m + R + c an mm.gs's row m leaves column c's bottom
 *         PE (its psum latched at the end of S + m + R - 1 + c): the unit
 *         replaces it in the de-skew by the group term of the active word
 *         and the row's activation sum (the rsum that travels along the
 *         bottom edge), t = fl(fl(s psum) + fl(z rsum)) as float32 bits
 *         (sa35_exec_mm_term); a plain mm's psum passes as it is.
 * The accumulators then add t in float32 in the unchanged accumulate
 * cycle S + m + R + C - 1 (cyc_array.c, sa35_exec_acc). */
#include <stdlib.h>
#include <string.h>

#include "cyc_internal.h"

int cyc_scale_init(cyc *s)
{
    const size_t C = (size_t)s->C;
    cyc_scale *sc = &s->sc;
    sc->sh = calloc(C, sizeof *sc->sh);
    sc->act = calloc(C, sizeof *sc->act);
    sc->load = calloc(C, sizeof *sc->load);
    sc->ring = calloc(C * C, sizeof *sc->ring);
    sc->tau = malloc(C * sizeof *sc->tau);
    sc->ser = calloc(C, sizeof *sc->ser);
    sc->n = calloc(C, sizeof *sc->n);
    if (!sc->sh || !sc->act || !sc->load || !sc->ring || !sc->tau ||
        !sc->ser || !sc->n)
        return -1;
    for (size_t i = 0; i < C; i++)
        sc->tau[i] = INT64_MIN; /* no slot holds words */
    sc->last = INT64_MIN;
    s->last_swap = INT64_MIN;
    return 0;
}

void cyc_scale_free(cyc *s)
{
    cyc_scale *sc = &s->sc;
    free(sc->sh), free(sc->act), free(sc->load), free(sc->ring);
    free(sc->tau), free(sc->ser), free(sc->n);
    memset(sc, 0, sizeof *sc);
}

void cyc_scale_read(cyc *s, const cyc_lane *ln, int64_t t)
{
    cyc_scale *sc = &s->sc;
    const uint32_t C = (uint32_t)s->C;
    const size_t slot = (size_t)(t % C);
    if (sc->last == t) { /* the interlock keeps ldw.gs reads apart */
        s->hazard = "two ldw.gs read their scale words in one cycle";
        return;
    }
    sa35_instr in = {0};
    in.op = SA35_OP_LDW, in.flags = SA35_LDW_GS;
    in.sram = ln->sram, in.rows = ln->n, in.cols = ln->cols;
    for (uint32_t c = 0; c < C; c++) /* zeros past the tile's width */
        sc->ring[slot * C + c] = sa35_exec_ldw_scale(&s->a, &in, &s->mem, c);
    sc->tau[slot] = t;
    sc->ser[slot] = ln->serial;
    sc->n[slot] = ln->n;
    sc->last = t;
    s->st->sram_read_bytes += 4ull * ln->cols;
}

void cyc_scale_write(cyc *s, int64_t t)
{
    cyc_scale *sc = &s->sc;
    const int32_t C = s->C;
    if (sc->last == INT64_MIN || t - sc->last >= C)
        return; /* every word read has landed */
    /* column c takes the words read in cycle t - c, if any */
    for (int32_t c = 0; c < C && t - c >= 0; c++) {
        const size_t slot = (size_t)((t - c) % C);
        if (sc->tau[slot] != t - c)
            continue;
        sc->sh[c] = sc->ring[slot * (size_t)C + (size_t)c];
        sc->load[c] = sc->ser[slot];
        if (c == C - 1) /* the ldw.gs's last word: it ends */
            s->st->weight_load_cycles += sc->n[slot] + (uint64_t)C;
    }
}

void cyc_scale_step(cyc *s, int64_t t)
{
    cyc_scale *sc = &s->sc;
    const int32_t C = s->C;
    const int64_t dm = s->D - 1, pm = s->P - 1;
    for (size_t i = 0; i < s->qcount; i++) {
        const cyc_stream *j = cyc_q(s, i);
        const int64_t d = t - s->R - j->S; /* row m is in column d - m */
        if (d < 0)
            break; /* this and every later stream are still above */
        if ((j->flags & SA35_MM_SWAP) && d < C) {
            /* the swap wave: row 0 uses the shadow word and keeps it */
            if ((j->flags & SA35_MM_GS) && sc->load[d] != (uint32_t)j->load)
                s->hazard = "a swap reached a scale word before its ldw.gs "
                            "wrote it";
            sc->act[d] = sc->sh[d];
        }
        if (!(j->flags & SA35_MM_GS))
            continue;
        int64_t c0 = d - (int64_t)j->m + 1, c1 = d;
        if (c0 < 0)
            c0 = 0;
        if (c1 > C - 1)
            c1 = C - 1;
        for (int64_t c = c0; c <= c1; c++) {
            const int64_t tau = t - s->R - c;
            int32_t *v = &s->deskew[(size_t)(tau & dm) * (size_t)C +
                                    (size_t)c];
            *v = sa35_exec_mm_term(j->flags, sc->act[c], *v,
                                   s->rsum_ring[tau & pm]);
        }
    }
}
