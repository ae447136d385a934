/* ss_internal.h: what the files of scalesim/ share. */
#ifndef SA35_SS_INTERNAL_H
#define SA35_SS_INTERNAL_H

#include <stdint.h>

#include "sa35_scalesim.h"

/* ceil(a / b) for a >= 0, b > 0. */
static inline int64_t ss_ceil_div(int64_t a, int64_t b)
{
    return (a + b - 1) / b;
}

/* Per-fold averages are summed fold by fold, as SCALE-Sim does, up to this
 * many folds; past it (SCALE-Sim itself would walk them for hours) they
 * are computed in closed form, so a huge layer cannot make sa35 spin. */
#define SS_FOLDS_SUMMED (1LL << 20)

/* s without leading and trailing white space (in place; returns inside s). */
char *ss_strip(char *s);

/* DRAM columns: each operand word fetched (or written) once over the
 * layer, spread over its cycles; the SRAM bandwidths from the counts.
 * px, filt, win: the layer's sa35_ss_layer_dims. */
void ss_dram_estimate(const sa35_ss_layer *l, int64_t px, int64_t filt,
                      int64_t win, sa35_ss_result *r);

#endif
