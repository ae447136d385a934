/* model_memsys.c: the memory system around the ops the engines do not
 * run: a vector op streaming the KV cache from off-chip memory (double-
 * buffered: only the first block's arrival is exposed; when the stream
 * takes longer than the compute the op runs at the memory's pace), and
 * for every op the SRAM banks' bound, bytes / bytes_per_cycle. A GEMM's
 * off-chip traffic runs inside the engines (docs/architecture.md, "The
 * memory system"); model_run.c passes it no stream here. */
#include <math.h>

#include "model_internal.h"

static int64_t per(double bytes, double per_cycle)
{
    return bytes > 0 ? (int64_t)ceil(bytes / per_cycle) : 0;
}

void sa35_memsys(const sa35_system *s, int64_t compute, uint64_t stream,
                 uint64_t first, uint64_t sram, sa35_mem_time *t)
{
    t->cycles = compute;
    t->bound = "compute";
    if (stream > 0) {
        int64_t lat = s->dram_latency_cycles;
        int64_t lead = compute + lat + per((double)first,
                                           s->dram_bytes_per_cycle);
        int64_t flow = lat + per((double)stream, s->dram_bytes_per_cycle);
        t->cycles = lead > flow ? lead : flow;
        t->bound = lead >= flow ? "compute" : "offchip";
    }
    int64_t banks = per((double)sram, s->sram_bytes_per_cycle);
    if (banks > t->cycles) {
        t->cycles = banks;
        t->bound = "sram";
    }
    t->stall_cycles = t->cycles - compute;
}
