/* mem_unit.h: the memory system of docs/architecture.md ("The memory
 * system"): the DMA channel and the SRAM scoreboard. Internal to sim/.
 *
 * Both engines hold one and ask it the same questions (when may this read
 * or write start, when does this transfer run), so they agree on DMA time
 * by construction; what keeps the rules honest is the cycle-accurate
 * simulator, which moves every byte in the cycles the rules give: a
 * missing wait shows up as wrong data against the golden model. */
#ifndef SA35_MEM_UNIT_H
#define SA35_MEM_UNIT_H

#include <stddef.h>
#include <stdint.h>

#include "sa35_isa.h"

/* One SRAM access window: bytes [lo, hi), its last cycle. */
typedef struct mem_access {
    uint64_t lo, hi;
    int64_t last;
    int write;
} mem_access;

typedef struct mem_unit {
    uint64_t bw_num, bw_den; /* off-chip bytes per cycle; num 0: ideal      */
    int64_t latency;
    int64_t chan_free;       /* F: the channel takes a transfer from here   */
    mem_access *acc;         /* windows that may still bind a later access */
    size_t n, cap;
} mem_unit;

int mem_unit_init(mem_unit *m, const sa35_arch *a, sa35_err *err);
void mem_unit_free(mem_unit *m);

/* Forget windows that bind no access starting at t or later (callers pass
 * the last issue cycle: every later access starts after it). */
void mem_unit_prune(mem_unit *m, int64_t t);

/* The earliest first read of [lo, hi): one cycle after the last write of
 * every recorded overlapping write. */
int64_t mem_read_ready(const mem_unit *m, uint64_t lo, uint64_t hi);
/* The earliest first write of [lo, hi): not before the last read of any
 * overlapping read (read before write in one cycle), one cycle after the
 * last write of any overlapping write. */
int64_t mem_write_ready(const mem_unit *m, uint64_t lo, uint64_t hi);

/* Record an access ending in cycle `last` (nothing with the ideal memory,
 * which has no scoreboard). */
int mem_record(mem_unit *m, uint64_t lo, uint64_t hi, int64_t last,
               int write, sa35_err *err);

/* The channel: a transfer of `bytes` asked for in cycle t starts in
 * *start = max(t, F), holds the channel ceil(bytes den / num) cycles and
 * arrives `latency` cycles after that: *arrive (a dma.ld's D; a dma.st's
 * end). Ideal memory: *start = t, *arrive = t + 1. */
void mem_dma(mem_unit *m, int64_t t, uint64_t bytes, int64_t *start,
             int64_t *arrive);

/* The SRAM ranges an instruction touches (docs/architecture.md, the
 * scoreboard table). krows: the active tile's rows, for an mm. For out,
 * *scale_n ranges of its .scale reads go to scale[] (sr: the scale
 * registers latched at its issue). */
typedef struct mem_range {
    uint64_t lo, hi;
} mem_range;
mem_range mem_range_of(const sa35_arch *a, const sa35_instr *in,
                       uint32_t krows);
int mem_scale_ranges(const sa35_instr *in, const sa35_scale_regs *sr,
                     mem_range scale[3]);

#endif
