/* gemm_plan.c: the tiling and memory layout of a GEMM, the off-chip image
 * it starts from and where its outputs end up. */
#include <string.h>

#include "gemm_internal.h"

static uint64_t align64(uint64_t x) { return (x + 63) & ~(uint64_t)63; }

int32_t sa35_gemm_tile_rows(const sa35_arch *a, int64_t G)
{
    const int64_t kpr = sa35_arch_pe(a)->k_per_row;
    if (!G || G >= kpr * a->rows)
        return a->rows;
    return (int32_t)((G + kpr - 1) / kpr);
}

/* Bytes of a full weight tile in SRAM: its rows, and with group scaling
 * the 4 C bytes of scale words after them. */
static uint64_t full_tile_bytes(const sa35_arch *a, int64_t G)
{
    return (uint64_t)sa35_gemm_tile_rows(a, G) *
               sa35_tile_rowbytes(a, (uint32_t)a->cols) +
           (G ? 4ull * (uint64_t)a->cols : 0);
}

int32_t sa35_gemm_prefetch(const sa35_arch *a, int64_t G)
{
    if (!a->dram_bw_num || !a->dram_bw_den)
        return 1; /* the ideal memory: one tile ahead is enough */
    uint64_t bytes = full_tile_bytes(a, G);
    uint64_t x = (bytes * a->dram_bw_den + a->dram_bw_num - 1) /
                 a->dram_bw_num;
    if (x < 1)
        x = 1;
    uint64_t p = 1 + ((uint64_t)a->dram_latency + 3 + x - 1) / x;
    return p > 64 ? 64 : (int32_t)p; /* a bound on SRAM spent on it */
}

int32_t sa35_gemm_weight_slots(const sa35_arch *a, int64_t G)
{
    /* the ldws that may still read when a dma.ld issues (sa35_compiler.h
     * derives it: an ldw reads its slot in `span` cycles, the rows and
     * with ldw.gs the scale words), plus the slots the prefetch fills */
    const int32_t span = sa35_gemm_tile_rows(a, G) + (G ? 1 : 0);
    int32_t f = span >= 2 ? (span - 2) / 3 + 1 : 0;
    if (f > a->load_rows)
        f = a->load_rows;
    return f + sa35_gemm_prefetch(a, G);
}

int sa35_gemm_group_fits(const sa35_arch *a, int64_t K, int64_t G,
                         sa35_err *err)
{
    const sa35_pe_desc *pe = sa35_arch_pe(a);
    const int64_t kpr = pe->k_per_row, tile = kpr * a->rows;
    if (G < 0)
        return sa35_err_set(err, "group size %lld is negative",
                            (long long)G);
    /* a group is one K tile: at most kR k-values, starting on a PE row;
     * one group holding all of K fits as K does */
    if (!G || (G <= tile && G % kpr == 0) || (G >= K && K <= tile))
        return 0;
    return sa35_err_set(err, "group size %lld does not fit the %dx%d "
                             "array's K-tile of %lld k-values (%lld per PE "
                             "row x %d rows): G must be at most %lld and a "
                             "multiple of %lld",
                        (long long)G, a->rows, a->cols, (long long)tile,
                        (long long)kpr, a->rows, (long long)tile,
                        (long long)kpr);
}

/* align64(base + bytes) into *end, or -1 past 63 bits (M and N come from
 * the user: 2^62 rows must be refused, not wrap). */
static int aligned_end(int64_t base, int64_t bytes, uint64_t *end)
{
    int64_t e;
    if (sa35_add_i64(base, bytes, &e) || sa35_add_i64(e, 63, &e))
        return -1;
    *end = (uint64_t)e & ~(uint64_t)63;
    return 0;
}

/* The emitter's instructions (gemm_emit.c): a dma.ld and an ldw for each
 * of the T tiles and an mm, an out per output tile (M block x column
 * tile), and with io DRAM a dma.ld of activations per M block and a
 * dma.st per output tile. */
static int count_instructions(sa35_gemm_plan *p)
{
    const int dram = p->io == SA35_GEMM_IO_DRAM;
    int64_t outs, T, n;
    if (sa35_mul_i64(p->mblocks, p->ntiles, &outs) ||
        sa35_mul_i64(outs, p->ktiles, &T) || sa35_mul_i64(T, 3, &n) ||
        sa35_add_i64(n, dram ? p->mblocks : 0, &n) ||
        sa35_mul_i64(outs, dram ? 2 : 1, &outs) || sa35_add_i64(n, outs, &n))
        return -1;
    p->instructions = (uint64_t)n;
    return 0;
}

int sa35_gemm_plan_make(const sa35_arch *a, int64_t M, int64_t K, int64_t N,
                        int64_t G, sa35_gemm_plan *p, sa35_err *err)
{
    return sa35_gemm_plan_make_io(a, M, K, N, G, SA35_GEMM_IO_DRAM, p, err);
}

int sa35_gemm_plan_make_io(const sa35_arch *a, int64_t M, int64_t K,
                           int64_t N, int64_t G, sa35_gemm_io io,
                           sa35_gemm_plan *p, sa35_err *err)
{
    memset(p, 0, sizeof *p);
    if (io != SA35_GEMM_IO_DRAM && io != SA35_GEMM_IO_SRAM)
        return sa35_err_set(err, "unknown GEMM io %d", (int)io);
    if (sa35_arch_check(a, err))
        return -1;
    const sa35_pe_desc *pe = sa35_arch_pe(a);
    const int64_t kpr = pe->k_per_row,
                  klim = sa35_format_info(pe->fmt)->k_limit;
    if (M < 1 || K < 1 || N < 1 || K >= klim)
        return sa35_err_set(err, "GEMM %lldx%lldx%lld: M, N >= 1 and "
                                 "1 <= K < %lld needed (%s PEs)",
                            (long long)M, (long long)K, (long long)N,
                            (long long)klim, pe->name);
    if (sa35_gemm_group_fits(a, K, G, err))
        return -1;
    p->arch = *a;
    p->M = M, p->K = K, p->N = N;
    p->group = G;
    p->io = io;
    p->tile_rows = sa35_gemm_tile_rows(a, G);
    p->Ka = (K + kpr - 1) / kpr * kpr;
    p->acc_regions = 2; /* the two accumulator banks */
    p->mb = a->acc_rows / p->acc_regions;
    if (p->mb > M)
        p->mb = M;
    p->mblocks = (M - 1) / p->mb + 1; /* M + mb - 1 could pass 2^63 */
    p->ntiles = (N - 1) / a->cols + 1;
    p->ktiles = (K + kpr * p->tile_rows - 1) / (kpr * p->tile_rows);

    p->dram_a = 0;
    uint64_t kgroups = (uint64_t)(p->Ka / kpr);
    /* each column tile takes at most Kgroups rows of a C-wide tile row,
     * and with group scaling 4 C bytes of scale words per K tile (K <
     * 2^21, C < 2^16: no overflow) */
    p->wcol_bytes = kgroups * sa35_tile_rowbytes(a, (uint32_t)a->cols) +
                    (G ? (uint64_t)p->ktiles * 4ull * (uint64_t)a->cols : 0);
    /* off-chip: A (io DRAM), the weights, the outputs (io DRAM); with io
     * SRAM A and the outputs take the same room on chip instead */
    int64_t abytes_d, wbytes_d, mn, obytes_d;
    if (sa35_mul_i64(M, p->Ka, &abytes_d) ||
        sa35_mul_i64(p->ntiles, (int64_t)p->wcol_bytes, &wbytes_d) ||
        sa35_mul_i64(M, N, &mn) || sa35_mul_i64(mn, 4, &obytes_d) ||
        aligned_end(0, io == SA35_GEMM_IO_DRAM ? abytes_d : 0, &p->dram_w) ||
        aligned_end((int64_t)p->dram_w, wbytes_d, &p->dram_out) ||
        aligned_end((int64_t)p->dram_out,
                    io == SA35_GEMM_IO_DRAM ? obytes_d : 0, &p->dram_bytes))
        return sa35_err_set(err, "GEMM %lldx%lldx%lld needs more than 2^63 "
                                 "bytes off-chip, the architecture has %llu",
                            (long long)M, (long long)K, (long long)N,
                            (unsigned long long)a->dram_bytes);
    if (count_instructions(p))
        return sa35_err_set(err, "GEMM %lldx%lldx%lld needs more than 2^63 "
                                 "instructions",
                            (long long)M, (long long)K, (long long)N);

    uint64_t wbytes = align64(full_tile_bytes(a, G));
    p->wslots = sa35_gemm_weight_slots(a, G);
    uint64_t at = 0;
    if (io == SA35_GEMM_IO_SRAM) {
        /* all of A, then all outputs (both < 2^63, checked above; the sum
         * is checked against 32-bit addresses below) */
        uint64_t abytes = align64((uint64_t)abytes_d),
                 obytes = align64((uint64_t)obytes_d);
        if (abytes > UINT32_MAX || obytes > UINT32_MAX)
            return sa35_err_set(err, "GEMM %lldx%lldx%lld keeps %llu bytes "
                                     "of activations and outputs on chip: "
                                     "SRAM addresses are 32-bit",
                                (long long)M, (long long)K, (long long)N,
                                (unsigned long long)(abytes + obytes));
        p->sram_a[0] = p->sram_a[1] = 0;
        p->sram_out[0] = p->sram_out[1] = (uint32_t)abytes;
        at = abytes + obytes;
    } else {
        uint64_t abytes = align64((uint64_t)(p->mb * p->Ka));
        uint64_t obytes = align64(4ull * (uint64_t)p->mb * (uint64_t)a->cols);
        for (int s = 0; s < 2; s++) {
            p->sram_a[s] = (uint32_t)at, at += abytes;
            p->sram_out[s] = (uint32_t)at, at += obytes;
        }
    }
    p->sram_w = (uint32_t)at;
    p->wslot_bytes = (uint32_t)wbytes;
    at += (uint64_t)p->wslots * wbytes;
    p->sram_bytes = at;
    /* SRAM addresses are 32 bits wide in the instructions */
    if (at > a->sram_bytes || at > UINT32_MAX)
        return sa35_err_set(err, "GEMM %lldx%lldx%lld needs %llu bytes of "
                                 "SRAM (activations and outputs %llu, "
                                 "weight tiles %llu x %d for L = %d "
                                 "load lanes), the architecture has %llu%s",
                            (long long)M, (long long)K, (long long)N,
                            (unsigned long long)at,
                            (unsigned long long)p->sram_w,
                            (unsigned long long)wbytes, (int)p->wslots,
                            (int)a->load_rows,
                            (unsigned long long)a->sram_bytes,
                            at > UINT32_MAX ? " (and addresses are 32-bit)"
                                            : "");
    if (p->dram_bytes > a->dram_bytes)
        return sa35_err_set(err, "GEMM needs %llu bytes off-chip, the "
                                 "architecture has %llu",
                            (unsigned long long)p->dram_bytes,
                            (unsigned long long)a->dram_bytes);
    return 0;
}

void gemm_tile_of(const sa35_gemm_plan *p, int64_t b, int64_t n, int64_t k,
                  gemm_tile *t)
{
    const sa35_arch *a = &p->arch;
    t->m0 = b * p->mb;
    t->mr = p->M - t->m0 < p->mb ? p->M - t->m0 : p->mb;
    t->n0 = n * a->cols;
    t->nt = p->N - t->n0 < a->cols ? p->N - t->n0 : a->cols;
    const int64_t kpr = sa35_arch_pe(a)->k_per_row,
                  depth = kpr * p->tile_rows;
    t->k0 = k * depth;
    int64_t kt = p->K - t->k0 < depth ? p->K - t->k0 : depth;
    t->krows = (kt + kpr - 1) / kpr;
    const uint64_t rb = sa35_tile_rowbytes(a, (uint32_t)t->nt),
                   sw = p->group ? 4ull * (uint64_t)t->nt : 0;
    /* full K tiles before this one, each followed by its scale words */
    t->dram_w = p->dram_w + (uint64_t)n * p->wcol_bytes +
                (uint64_t)k * ((uint64_t)p->tile_rows * rb + sw);
    t->wbytes = (uint64_t)t->krows * rb + sw;
    /* the outputs' order, off-chip or (io SRAM) on chip */
    t->out_off = 4ull * (uint64_t)(t->m0 * p->N + t->mr * t->n0);
    t->dram_out = p->dram_out + t->out_off;
}

void sa35_gemm_image(const sa35_gemm_plan *p, const int8_t *A,
                     const sa35_qweights *q, const sa35_mem *mem)
{
    uint8_t *dram = mem->dram;
    uint8_t *a = p->io == SA35_GEMM_IO_SRAM ? mem->sram + p->sram_a[0]
                                            : dram + p->dram_a;
    for (int64_t m = 0; m < p->M; m++)
        memcpy(a + (uint64_t)(m * p->Ka), A + m * p->K, (size_t)p->K);
    const sa35_pe_desc *pe = sa35_arch_pe(&p->arch);
    const int64_t kpr = pe->k_per_row;
    const uint32_t w = pe->code_bits;
    for (int64_t n = 0; n < p->ntiles; n++)
        for (int64_t k = 0; k < p->ktiles; k++) {
            gemm_tile t;
            gemm_tile_of(p, 0, n, k, &t);
            uint32_t rb = sa35_tile_rowbytes(&p->arch, (uint32_t)t.nt);
            for (int64_t r = 0; r < t.krows; r++)
                for (int64_t c = 0; c < t.nt; c++) {
                    /* PE row k0/kpr + r's code of column n0 + c: the W-bit
                     * field of the format's own code stream, into the tile
                     * row's stream (docs/architecture.md, "PE kinds") */
                    const uint8_t *col = q->qweight +
                                         (size_t)(t.n0 + c) * q->colbytes;
                    uint32_t g = (uint32_t)(t.k0 / kpr + r);
                    uint32_t code = sa35_stream_bits(col, w * g, w);
                    sa35_stream_store(dram + t.dram_w + (uint64_t)r * rb,
                                      w * (uint32_t)c, w, code);
                }
            /* group scaling: K tile k is group k; its scale words follow
             * the rows, s | z << 16 in binary16 (exact: the quantizer made
             * them binary16 values), little-endian */
            uint8_t *sw = dram + t.dram_w + (uint64_t)t.krows * rb;
            for (int64_t c = 0; p->group && c < t.nt; c++) {
                uint32_t word =
                    sa35_f32_to_f16(sa35_qweights_scale(
                        q, (int32_t)k, (int32_t)(t.n0 + c))) |
                    (uint32_t)sa35_f32_to_f16(sa35_qweights_zero(
                        q, (int32_t)k, (int32_t)(t.n0 + c)))
                        << 16;
                for (int b = 0; b < 4; b++)
                    sw[4 * c + b] = (uint8_t)(word >> (8 * b));
            }
        }
}

void sa35_gemm_read_output(const sa35_gemm_plan *p, const sa35_mem *mem,
                           int32_t *acc)
{
    const uint8_t *out = p->io == SA35_GEMM_IO_SRAM
                             ? mem->sram + p->sram_out[0]
                             : mem->dram + p->dram_out;
    for (int64_t b = 0; b < p->mblocks; b++)
        for (int64_t n = 0; n < p->ntiles; n++) {
            gemm_tile t;
            gemm_tile_of(p, b, n, 0, &t);
            for (int64_t i = 0; i < t.mr; i++)
                memcpy(acc + (t.m0 + i) * p->N + t.n0,
                       out + t.out_off + 4ull * (uint64_t)(i * t.nt),
                       4 * (size_t)t.nt);
        }
}
