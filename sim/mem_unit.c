/* mem_unit.c: the DMA channel and the SRAM scoreboard (mem_unit.h). */
#include <stdlib.h>

#include "mem_unit.h"

int mem_unit_init(mem_unit *m, const sa35_arch *a, sa35_err *err)
{
    (void)err;
    m->bw_num = a->dram_bw_num;
    m->bw_den = a->dram_bw_den ? a->dram_bw_den : 1;
    m->latency = a->dram_bw_num ? a->dram_latency : 0;
    m->chan_free = 0;
    m->acc = NULL;
    m->n = m->cap = 0;
    return 0;
}

void mem_unit_free(mem_unit *m)
{
    free(m->acc);
    m->acc = NULL;
    m->n = m->cap = 0;
}

void mem_unit_prune(mem_unit *m, int64_t t)
{
    /* a write ending before t delays reads to its last + 1 <= t, a read
     * ending before t writes to its last < t: neither binds from t on */
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->acc[i].last >= t)
            m->acc[k++] = m->acc[i];
    m->n = k;
}

static int overlaps(const mem_access *x, uint64_t lo, uint64_t hi)
{
    return x->lo < hi && lo < x->hi;
}

int64_t mem_read_ready(const mem_unit *m, uint64_t lo, uint64_t hi)
{
    int64_t t = 0; /* nothing recorded with the ideal memory */
    for (size_t i = 0; i < m->n; i++)
        if (m->acc[i].write && overlaps(&m->acc[i], lo, hi) &&
            m->acc[i].last + 1 > t)
            t = m->acc[i].last + 1;
    return t;
}

int64_t mem_write_ready(const mem_unit *m, uint64_t lo, uint64_t hi)
{
    int64_t t = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (!overlaps(&m->acc[i], lo, hi))
            continue;
        int64_t w = m->acc[i].last + (m->acc[i].write ? 1 : 0);
        if (w > t)
            t = w;
    }
    return t;
}

int mem_record(mem_unit *m, uint64_t lo, uint64_t hi, int64_t last,
               int write, sa35_err *err)
{
    /* the ideal memory has no scoreboard: its dma moves the bytes in the
     * issue cycle and the program keeps its hazards apart itself, as the
     * first version did (docs/architecture.md) */
    if (lo >= hi || !m->bw_num)
        return 0;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 32;
        mem_access *acc = realloc(m->acc, cap * sizeof *acc);
        if (!acc)
            return sa35_err_set(err, "memory system: out of memory for "
                                     "%zu recorded accesses (%zu bytes)",
                                cap, cap * sizeof *acc);
        m->acc = acc;
        m->cap = cap;
    }
    m->acc[m->n++] = (mem_access){lo, hi, last, write};
    return 0;
}

void mem_dma(mem_unit *m, int64_t t, uint64_t bytes, int64_t *start,
             int64_t *arrive)
{
    if (!m->bw_num) { /* ideal: the first version's one-cycle dma */
        *start = t;
        *arrive = t + 1;
        return;
    }
    int64_t s = t > m->chan_free ? t : m->chan_free;
    /* bytes < 2^32 and num, den < 2^32: the product fits 64 bits */
    int64_t x = (int64_t)((bytes * m->bw_den + m->bw_num - 1) / m->bw_num);
    m->chan_free = s + x;
    *start = s;
    *arrive = s + x + m->latency;
    if (*arrive < s + 1)
        *arrive = s + 1;
}

mem_range mem_range_of(const sa35_arch *a, const sa35_instr *in,
                       uint32_t krows)
{
    mem_range r = {in->sram, in->sram};
    switch (in->op) {
    case SA35_OP_DMA_LD:
    case SA35_OP_DMA_ST:
        r.hi = (uint64_t)in->sram + in->bytes;
        break;
    case SA35_OP_LDW: /* ldw.gs: with its scale words */
        r.hi = (uint64_t)in->sram + sa35_ldw_bytes(a, in);
        break;
    case SA35_OP_MM:
        r.hi = (uint64_t)in->sram + (uint64_t)(in->m - 1) * in->stride +
               sa35_mm_rowbytes(a, krows);
        break;
    case SA35_OP_OUT:
        r.hi = (uint64_t)in->sram + (uint64_t)(in->rows - 1) * in->stride +
               4ull * in->cols;
        break;
    default:
        break;
    }
    return r;
}

int mem_scale_ranges(const sa35_instr *in, const sa35_scale_regs *sr,
                     mem_range scale[3])
{
    if (in->op != SA35_OP_OUT || !(in->flags & SA35_OUT_SCALE))
        return 0;
    scale[0] = (mem_range){sr->sa, (uint64_t)sr->sa + 4ull * in->rows};
    if (in->flags & SA35_OUT_FP)
        return 1; /* Y = sa a: no s, no z */
    scale[1] = (mem_range){sr->s, (uint64_t)sr->s + 4ull * in->cols};
    scale[2] = (mem_range){sr->z, (uint64_t)sr->z + 4ull * in->cols};
    return 3;
}
