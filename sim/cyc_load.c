/* cyc_load.c: the load engine. An ldw writes its shadow rows in order, up
 * to L a cycle, all C columns of a row at once (columns past the tile's
 * width get code 0). A write lands at the end of the cycle, so a PE
 * swapping in the same cycle still reads the old shadow. */
#include "cyc_internal.h"

static void write_row(cyc *s, uint32_t r)
{
    for (int32_t c = 0; c < s->C; c++) {
        size_t i = (size_t)r * (size_t)s->C + (size_t)c;
        uint32_t code = (uint32_t)c < s->ld.cols
                            ? sa35_exec_ldw_code(&s->ld, &s->mem, r,
                                                 (uint32_t)c)
                            : 0;
        s->st->toggles_weight +=
            (uint64_t)cyc_popcount32(code ^ s->code_sh[i]);
        s->code_sh[i] = (uint8_t)code;
        s->w_sh[2 * i] = (int8_t)sa35_code_even(code);
        s->w_sh[2 * i + 1] = (int8_t)sa35_code_odd(code);
    }
    s->row_serial[r] = s->ld_serial;
    s->st->sram_read_bytes += sa35_tile_rowbytes(s->ld.cols);
}

void cyc_load_step(cyc *s, int64_t t)
{
    if (!s->ld_busy)
        return;
    s->st->weight_load_cycles++; /* from issue to the last row written */
    /* up to L rows this cycle, in order, each only once the previous swap
     * wave has left it (PE(r, C-1) swapped in cycle prev + r + C - 1) */
    for (int32_t k = 0; k < s->a.load_rows && s->ld_next < s->ld.rows; k++) {
        uint32_t r = s->ld_next;
        if (s->ld_prev_swap >= 0 &&
            t < s->ld_prev_swap + (int64_t)r + s->C - 1)
            break;
        write_row(s, r);
        s->ld_next++;
    }
    if (s->ld_next == s->ld.rows)
        s->ld_busy = 0;
}
