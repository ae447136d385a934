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

/* s without leading and trailing white space (in place; returns inside s). */
char *ss_strip(char *s);

/* DRAM columns: each operand word fetched (or written) once over the
 * layer, spread over its cycles; the SRAM bandwidths from the counts. */
void ss_dram_estimate(const sa35_ss_layer *l, sa35_ss_result *r);

#endif
