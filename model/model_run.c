/* model_run.c: a model on a system. Places the weights and the KV cache
 * (model_place.c), times every op through the memory system, adds up one
 * micro-batch's step and hands each chip's busy time to the pipeline
 * (model_pipeline.c). Every layer of a model has the same shapes, so each
 * vector op is timed once, and each GEMM once per piece width (pieces
 * differ between layers only where a chip boundary falls). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

static int64_t cdiv_d(double bytes, double per_cycle)
{
    return bytes > 0 ? (int64_t)ceil(bytes / per_cycle) : 0;
}

/* One micro-batch's KV cache for one layer, at the run's length. */
static uint64_t kv_cache_per_layer(const sa35_llm *m, const sa35_system *s,
                                   const sa35_workload *w)
{
    int64_t win = m->sliding_window > 0 ? m->sliding_window : w->seq;
    int64_t pos = w->seq < win ? w->seq : win;
    return (uint64_t)(w->batch * pos * 2 * m->kv_heads * m->head_dim) *
           (uint64_t)(s->kv_bits / 8);
}

static void time_vector(const sa35_system *s, const sa35_op *op,
                        int kv_on_chip, sa35_op_result *r)
{
    int64_t rate = op->vkind == SA35_V_INT8 ? s->vec_int8_per_cycle
                                            : s->vec_fp16_per_cycle;
    int64_t comp = model_ceil_div(op->work, rate);
    uint64_t stream = !kv_on_chip ? op->kv_bytes : 0;
    r->sram_bytes = op->act_bytes + op->kv_bytes;
    r->dram_bytes = stream;
    /* the first KV block: one head's keys or values for one sequence */
    uint64_t first = stream ? stream / (uint64_t)(op->M * op->K) + 1 : 0;
    if (first > stream)
        first = stream;
    sa35_mem_time t;
    sa35_memsys(s, comp, stream, first, r->sram_bytes, &t);
    r->cycles = t.cycles, r->stall_cycles = t.stall_cycles;
    r->bound = strcmp(t.bound, "compute") == 0 ? "vector" : t.bound;
    r->utilization = (double)op->work / ((double)r->cycles * (double)rate);
}

/* The SRAM a GEMM's program uses with A and the outputs where io says;
 * UINT64_MAX if it does not compile. */
static uint64_t plan_sram(const sa35_system *s, sa35_gemm_io io, int64_t M,
                          int64_t K, int64_t N)
{
    sa35_arch a;
    sa35_gemm_plan plan;
    sa35_err err;
    if (model_arch_of(s, &a, &err) ||
        sa35_gemm_plan_make_io(&a, M, K, N, s->group, io, &plan, &err))
        return UINT64_MAX;
    return plan.sram_bytes;
}

sa35_gemm_io sa35_model_gemm_io(const sa35_system *s, uint64_t reserve,
                                int64_t M, int64_t K, int64_t N)
{
    return plan_sram(s, SA35_GEMM_IO_SRAM, M, K, N) <= reserve
               ? SA35_GEMM_IO_SRAM
               : SA35_GEMM_IO_DRAM;
}

/* One piece of a GEMM: its N columns, alone on a chip's array, its
 * activations and outputs on chip if they fit in the SRAM's reserve. */
static int time_gemm(const sa35_system *s, const sa35_gemm_engine *eng,
                     const sa35_op *op, int resident, uint64_t reserve,
                     int64_t N, sa35_op_result *r, sa35_err *err)
{
    /* Streamed weights go through the engines' DMA channel and SRAM
     * scoreboard (docs/architecture.md, "The memory system"): compiler/
     * fetches every tile, per M block, P tiles ahead. Resident ones never
     * cross the off-chip memory: the engines run with the ideal memory. */
    sa35_system ideal = *s;
    ideal.dram_bw_num = 0;
    sa35_gemm_time t;
    r->io = sa35_model_gemm_io(s, reserve, op->M, op->K, N);
    if (eng->fn(eng->ctx, resident ? &ideal : s, op->M, op->K, N, r->io, &t,
                err))
        return sa35_err_prefix(err, op->name);
    /* the SRAM banks bound the op by its bytes (not an engine rule) */
    sa35_mem_time m;
    sa35_memsys(s, t.cycles, 0, 0, t.sram_bytes, &m);
    r->cycles = m.cycles;
    r->stall_cycles = t.stall_cycles + m.stall_cycles;
    r->sram_bytes = t.sram_bytes;
    r->dram_bytes = resident ? 0 : t.dram_bytes;
    double peak = (double)s->rows * s->cols * sa35_system_k_per_row(s);
    r->utilization = (double)op->M * op->K * N / ((double)m.cycles * peak);
    /* the bound: the busiest unit */
    r->bound = "array";
    int64_t busy = t.stream_cycles;
    if (t.lane_cycles > busy)
        r->bound = "load", busy = t.lane_cycles;
    if (t.channel_cycles > busy)
        r->bound = "offchip";
    if (strcmp(m.bound, "sram") == 0)
        r->bound = "sram";
    return 0;
}

/* A GEMM's pieces timed once per (op, width): widths are whole tiles, or
 * whole tiles and the op's narrower last one, so two slots per count. */
typedef struct memo {
    sa35_op_result *slot;
    sa35_op_result *ideal; /* the same piece with the ideal memory: what a
                            * streamed GEMM takes with its weights already
                            * on chip (the overlap's floor)              */
} memo;

static int piece_time(const sa35_run *r, const sa35_gemm_engine *eng,
                      memo *mm, const sa35_op *op, int resident, int64_t N,
                      const sa35_op_result **out, sa35_err *err)
{
    int64_t C = r->sys.cols, at = 2 * (N / C) + (N % C != 0);
    sa35_op_result *x = &mm->slot[at];
    uint64_t reserve = r->sys.sram_bytes - r->usable_bytes;
    if (!x->bound && time_gemm(&r->sys, eng, op, resident, reserve, N, x, err))
        return -1;
    *out = x;
    return 0;
}

/* The overlap's floor for a one-piece GEMM row: the piece with the
 * ideal memory. */
static int ideal_result(const sa35_run *r, const sa35_gemm_engine *eng,
                        memo *mm, const sa35_op *op, int64_t N,
                        const sa35_op_result **out, sa35_err *err)
{
    int64_t C = r->sys.cols, at = 2 * (N / C) + (N % C != 0);
    sa35_op_result *x = &mm->ideal[at];
    uint64_t reserve = r->sys.sram_bytes - r->usable_bytes;
    if (!x->bound && time_gemm(&r->sys, eng, op, 1, reserve, N, x, err))
        return -1;
    *out = x;
    return 0;
}

/* Streamed weights, overlapped (docs/models.md, "Overlap"): the DMA
 * channel does not wait for a GEMM's program to start. Whenever it is
 * free (vector ops run, or the GEMM before was bound by the load lanes or
 * drained) it fetches the next GEMMs' weights into SRAM that nothing else
 * holds: the SRAM less the KV cache kept on chip and the next GEMM's own
 * working set. With `ahead` bytes so fetched, a GEMM of weight W, engine
 * cycles T (its weights streamed) and T0 (the ideal memory: its weights
 * on chip) takes
 *   ahead  = min(ahead, free SRAM),  b = min(ahead, W)
 *   cycles = T - min(floor(b / bw), T - T0, its stall cycles)
 * and the rest of `ahead` (the weights of the GEMMs after it) stays,
 * joined by what the channel then has to spare:
 *   ahead  = ahead - b + cycles x bw - (its off-chip bytes - b);
 * a vector op adds its cycles x bw less the KV bytes it streams itself.
 * Resident weights need none of it. */
typedef struct overlap {
    double ahead; /* bytes of the next GEMMs' weights already on chip   */
} overlap;

static void overlap_vector(overlap *o, const sa35_system *s,
                           const sa35_op_result *x)
{
    double spare = (double)x->cycles * s->dram_bytes_per_cycle -
                   (double)x->dram_bytes;
    if (spare > 0)
        o->ahead += spare;
}

static int overlap_gemm(overlap *o, const sa35_run *r,
                        const sa35_gemm_engine *eng, memo *mm,
                        sa35_op_result *x, int64_t *busy, sa35_err *err)
{
    const sa35_system *s = &r->sys;
    double ahead = o->ahead;
    o->ahead = 0;
    if (x->weights_resident || x->pieces != 1)
        return 0;
    const sa35_op *op = x->op;
    uint64_t held = r->kv_on_chip ? r->kv_cache_bytes : 0,
             work = plan_sram(s, x->io, op->M, op->K, op->N);
    double b = 0, later = 0;
    if (work != UINT64_MAX && held + work < s->sram_bytes) {
        double room = (double)(s->sram_bytes - held - work);
        if (ahead > room)
            ahead = room;
        b = ahead < (double)op->weight_bytes ? ahead : (double)op->weight_bytes;
        later = ahead - b; /* the GEMMs' after it, still on chip */
    }
    const sa35_op_result *ideal;
    if (ideal_result(r, eng, mm, op, op->N, &ideal, err))
        return -1;
    int64_t saved = (int64_t)(b / s->dram_bytes_per_cycle);
    if (saved >= x->cycles - ideal->cycles) {
        saved = x->cycles - ideal->cycles;
        x->bound = ideal->bound; /* its weights were all there in time */
    }
    if (saved > x->stall_cycles)
        saved = x->stall_cycles;
    x->prefetch_bytes = (uint64_t)b;
    if (saved > 0) {
        x->cycles -= saved, x->stall_cycles -= saved;
        busy[x->chip] -= saved;
        r->piece[x->first_piece].cycles = x->cycles;
    }
    /* the channel moved the rest of this GEMM's bytes in its cycles; what
     * it had to spare went to the next GEMMs' weights */
    double spare = (double)x->cycles * s->dram_bytes_per_cycle -
                   ((double)x->dram_bytes - b);
    o->ahead = later + (spare > 0 ? spare : 0);
    return 0;
}

/* A transfer between chips: on the step's path it costs latency + bytes /
 * bandwidth; it occupies the links of every chip from `a` to `b` for its
 * serialization time (conservative: one link, however many it could use). */
static void hop(sa35_run *r, int64_t *link, int32_t a, int32_t b,
                uint64_t bytes)
{
    int64_t ser = cdiv_d((double)bytes, r->sys.link_bytes_per_cycle);
    r->link_cycles += r->sys.link_latency_cycles + ser;
    r->hops++;
    for (int32_t c = a < b ? a : b; c <= (a < b ? b : a); c++)
        link[c] += ser;
}

/* Every piece of one GEMM row: each on its chip's array, side by side; the
 * row takes the slowest, and each chip is busy for its own piece. */
static int time_row(sa35_run *r, const sa35_gemm_engine *eng, memo *mm,
                    int resident, sa35_op_result *x, int64_t *busy,
                    sa35_err *err)
{
    const sa35_op *op = x->op;
    const sa35_op_result *worst = NULL;
    uint64_t sram = 0, dram = 0;
    for (int64_t j = x->first_piece; j < x->first_piece + x->pieces; j++) {
        sa35_piece *pc = &r->piece[j];
        const sa35_op_result *t;
        if (piece_time(r, eng, mm, op, resident, pc->n, &t, err))
            return -1;
        pc->cycles = t->cycles;
        busy[pc->chip] += t->cycles;
        sram += t->sram_bytes, dram += t->dram_bytes;
        if (!worst || t->cycles > worst->cycles)
            worst = t;
    }
    x->cycles = worst->cycles;
    x->stall_cycles = worst->stall_cycles;
    x->bound = worst->bound;
    x->io = worst->io;
    x->sram_bytes = sram, x->dram_bytes = dram;
    x->weights_resident = resident;
    const sa35_system *s = &r->sys;
    double peak = (double)s->rows * s->cols * sa35_system_k_per_row(s);
    x->utilization = (double)op->M * op->K * op->N /
                     ((double)x->cycles * peak * x->pieces);
    return 0;
}

/* A run's memory grows with its rows (layers x ops a layer): the results,
 * at least a piece each, and the reports' text. Refused, with the figure,
 * before anything that size is allocated. */
#define MODEL_ROW_BYTES                                                       \
    (sizeof(sa35_op_result) + sizeof(sa35_piece) + SA35_MODEL_REPORT_ROW)
static int check_rows(const sa35_run *r, const sa35_llm *m, int nl,
                      sa35_err *err)
{
    size_t bytes;
    if (sa35_mul_size((size_t)r->nres, MODEL_ROW_BYTES, &bytes) ||
        bytes > SA35_MODEL_MEMORY_MAX)
        return sa35_err_set(err, "%s: num_hidden_layers %lld x %d ops a "
                                 "layer: the run's per-op tables and "
                                 "reports would take %.3g GB, more than "
                                 "the %.3g GB sa35 allows",
                            m->name, (long long)m->layers, nl,
                            (double)r->nres * (double)MODEL_ROW_BYTES / 1e9,
                            (double)SA35_MODEL_MEMORY_MAX / 1e9);
    return 0;
}

int sa35_model_run(const sa35_llm *m, const sa35_system *s,
                   const sa35_workload *w, const sa35_gemm_engine *eng,
                   sa35_run *r, sa35_err *err)
{
    memset(r, 0, sizeof *r);
    r->model = *m, r->sys = *s, r->work = *w, r->engine = eng->name;
    if (w->microbatches < 0 || w->microbatches > 65536)
        return sa35_err_set(err, "micro-batches must be in 1..65536, got "
                                 "%lld",
                            (long long)w->microbatches);
    r->microbatches = w->microbatches > 1 ? (int32_t)w->microbatches : 1;
    if (sa35_model_ops(m, s, w, &r->ops, &r->nops, err))
        return -1;
    int nl = 0;
    while (nl < r->nops && !r->ops[nl].per_model)
        nl++;
    r->nres = m->layers * nl + (r->nops - nl);
    if (check_rows(r, m, nl, err)) {
        sa35_run_free(r);
        return -1;
    }
    r->res = calloc((size_t)r->nres, sizeof *r->res);
    sa35_op_result *once = calloc((size_t)r->nops, sizeof *once);
    memo *mm = calloc((size_t)r->nops, sizeof *mm);
    int64_t *busy = NULL, *link = NULL;
    int rc = r->res && once && mm
                 ? 0
                 : sa35_err_set(err, "out of memory for %lld op results",
                                (long long)r->nres);
    for (int64_t i = 0; rc == 0 && i < r->nres; i++) {
        int64_t l = i < m->layers * nl ? i / nl : -1;
        int k = l >= 0 ? (int)(i % nl) : nl + (int)(i - m->layers * nl);
        r->res[i].op = &r->ops[k];
        r->res[i].layer = l;
        r->weight_bytes += r->ops[k].weight_bytes;
    }
    /* every micro-batch keeps its own KV cache; the whole model's must be
     * a count of bytes (placement multiplies by the layers) */
    size_t kv_layer = 0, kv_all;
    if (rc == 0 &&
        (sa35_mul_size((size_t)kv_cache_per_layer(m, s, w),
                       (size_t)r->microbatches, &kv_layer) ||
         sa35_mul_size(kv_layer, (size_t)m->layers, &kv_all)))
        rc = sa35_err_set(err, "%s: the KV cache of %d micro-batches of "
                               "batch %lld x %lld positions passes 2^64 "
                               "bytes",
                          m->name, r->microbatches, (long long)w->batch,
                          (long long)w->seq);
    model_placement p = {0};
    if (rc == 0)
        rc = model_place(r, kv_layer, &p, err);
    /* what the GEMMs' SRAM reserve and the overlap read */
    r->usable_bytes = p.usable_bytes;
    r->kv_cache_bytes = p.kv_cache_bytes;
    r->kv_on_chip = p.kv_on_chip;
    for (int k = 0; rc == 0 && k < r->nops; k++) {
        const sa35_op *op = &r->ops[k];
        if (op->unit == SA35_UNIT_VECTOR) {
            time_vector(s, op, p.kv_on_chip, &once[k]);
            continue;
        }
        mm[k].slot = calloc((size_t)(2 * (op->N / s->cols + 1)),
                            sizeof *mm[k].slot);
        mm[k].ideal = calloc((size_t)(2 * (op->N / s->cols + 1)),
                             sizeof *mm[k].ideal);
        if (!mm[k].slot || !mm[k].ideal)
            rc = sa35_err_set(err, "out of memory for %s's %lld column "
                              "slots", op->name,
                              (long long)(2 * (op->N / s->cols + 1)));
    }
    if (rc == 0) {
        busy = calloc((size_t)p.chips, sizeof *busy);
        link = calloc((size_t)p.chips, sizeof *link);
        if (!busy || !link)
            rc = sa35_err_set(err, "out of memory for %d chips' times",
                              (int)p.chips);
    }
    int64_t mac_cycles = 0;
    double macs = 0;
    overlap ov = {0};
    for (int64_t i = 0; rc == 0 && i < r->nres; i++) {
        sa35_op_result *x = &r->res[i];
        const sa35_op *op = x->op;
        int k = (int)(op - r->ops);
        if (op->unit == SA35_UNIT_VECTOR) {
            sa35_op_result t = once[k];
            t.op = op, t.layer = x->layer, t.chip = x->chip;
            t.last_chip = x->last_chip, t.first_piece = x->first_piece;
            *x = t;
            busy[x->chip] += x->cycles;
            overlap_vector(&ov, s, x);
        } else if (time_row(r, eng, &mm[k], p.weights_resident, x, busy,
                            err)) {
            rc = -1;
            break;
        } else if (overlap_gemm(&ov, r, eng, &mm[k], x, busy, err)) {
            rc = -1;
            break;
        }
        if (i > 0 && x->chip != r->res[i - 1].last_chip) {
            /* the activations move on: the fp16 residual stream, or the
             * op's own input if wider */
            int64_t width = op->K > m->hidden ? op->K : m->hidden;
            hop(r, link, r->res[i - 1].last_chip, x->chip,
                (uint64_t)(2 * op->M * width));
        }
        if (x->pieces > 1) { /* fan the int8 input out, gather the fp16
                              * results on the last piece's chip */
            hop(r, link, x->chip, x->last_chip, (uint64_t)(op->M * op->K));
            hop(r, link, x->chip, x->last_chip,
                (uint64_t)(2 * op->M * op->N));
        }
        r->cycles += x->cycles;
        r->stall_cycles += x->stall_cycles;
        r->sram_bytes += x->sram_bytes;
        r->dram_bytes += x->dram_bytes;
        r->kv_bytes += op->kv_bytes;
        if (op->unit == SA35_UNIT_ARRAY) {
            mac_cycles += x->cycles * x->pieces;
            macs += (double)op->M * op->K * op->N;
        }
    }
    if (rc == 0) {
        r->chips = p.chips;
        r->usable_bytes = p.usable_bytes;
        r->weights_on_chip = p.weights_resident;
        r->kv_cache_bytes = p.kv_cache_bytes;
        r->kv_on_chip = p.kv_on_chip;
        r->cycles += r->link_cycles;
        double peak = (double)s->rows * s->cols * sa35_system_k_per_row(s);
        r->utilization = mac_cycles ? macs / ((double)mac_cycles * peak) : 0;
        model_pipeline_totals(r, busy, link);
    }
    for (int k = 0; mm && k < r->nops; k++)
        free(mm[k].slot), free(mm[k].ideal);
    free(mm), free(once), free(busy), free(link);
    if (rc)
        sa35_run_free(r);
    return rc;
}

void sa35_run_free(sa35_run *r)
{
    free(r->ops);
    free(r->res);
    free(r->piece);
    r->ops = NULL, r->res = NULL, r->piece = NULL;
}
