/* model_run.c: a model on a system. Places the weights and the KV cache
 * (on chip if they fit, else streamed from off-chip memory; or packed over
 * as many SRAM-only chips as they need, layers pipelined), times every op
 * through the memory system, and adds up the step. Every layer of a model
 * has the same shapes, so each op is timed once and its result reused for
 * all layers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

static int64_t cdiv_d(double bytes, double per_cycle)
{
    return bytes > 0 ? (int64_t)ceil(bytes / per_cycle) : 0;
}

/* Placement of one op: which chip, how many column pieces. */
typedef struct place {
    int32_t chip, pieces;
} place;

typedef struct placement {
    int weights_resident, kv_on_chip;
    uint64_t kv_cache_bytes; /* whole model, at the run's length */
    place *where;            /* per result row                  */
    int32_t chips;
} placement;

static uint64_t kv_cache_per_layer(const sa35_llm *m, const sa35_system *s,
                                   const sa35_workload *w)
{
    int64_t win = m->sliding_window > 0 ? m->sliding_window : w->seq;
    int64_t pos = w->seq < win ? w->seq : win;
    return (uint64_t)(w->batch * pos * 2 * m->kv_heads * m->head_dim) *
           (uint64_t)(s->kv_bits / 8);
}

/* One chip with (or without) off-chip memory: weights stay in SRAM only if
 * they and the KV cache fit in half of it (the other half holds tiles and
 * activations); otherwise they stream every step. */
static int place_single(sa35_run *r, placement *p, uint64_t kv_layer,
                        sa35_err *err)
{
    const sa35_system *s = &r->sys;
    uint64_t half = s->sram_bytes / 2, kv = kv_layer * (uint64_t)r->model.layers;
    p->kv_cache_bytes = kv;
    p->weights_resident = r->weight_bytes + kv <= half;
    p->kv_on_chip = p->weights_resident || kv <= half;
    if (!p->weights_resident && s->dram_bytes == 0)
        return sa35_err_set(err, "%s: %.3g GB of weights and KV cache do "
                                 "not fit in %.3g GB of SRAM and the system "
                                 "has no off-chip memory",
                            s->name, (double)(r->weight_bytes + kv) / 1e9,
                            (double)half / 1e9);
    if (!p->weights_resident && r->weight_bytes + kv > s->dram_bytes)
        return sa35_err_set(err, "%s: %.3g GB of weights and KV cache do "
                                 "not fit in %.3g GB of off-chip memory",
                            s->name, (double)(r->weight_bytes + kv) / 1e9,
                            (double)s->dram_bytes / 1e9);
    for (int64_t i = 0; i < r->nres; i++)
        p->where[i] = (place){0, 1};
    p->chips = 1;
    return 0;
}

/* SRAM-only chips: pack each layer's weights (and its KV cache, with the
 * layer's first GEMM) in order, 7/8 of every SRAM usable (1/8 kept for
 * activations and buffers); a GEMM larger than a chip is split by columns
 * over as many chips as it needs, the pieces running side by side. */
static int place_pipeline(sa35_run *r, placement *p, uint64_t kv_layer,
                          sa35_err *err)
{
    const sa35_system *s = &r->sys;
    uint64_t cap = s->sram_bytes - s->sram_bytes / 8, used = 0;
    int32_t chip = 0;
    p->weights_resident = p->kv_on_chip = 1;
    p->kv_cache_bytes = kv_layer * (uint64_t)r->model.layers;
    for (int64_t i = 0; i < r->nres; i++) {
        const sa35_op *op = r->res[i].op;
        int first_gemm = op->unit == SA35_UNIT_ARRAY && strcmp(op->name, "q") == 0;
        uint64_t bytes = op->weight_bytes + (first_gemm ? kv_layer : 0);
        int32_t pieces = 1;
        if (bytes > cap) {
            if (first_gemm && kv_layer > cap / 2)
                return sa35_err_set(err, "%s: one layer's KV cache (%.3g GB) "
                                         "does not fit in a chip's SRAM",
                                    s->name, (double)kv_layer / 1e9);
            pieces = (int32_t)model_ceil_div((int64_t)bytes, (int64_t)cap);
            if (used)
                chip++;
            p->where[i] = (place){chip, pieces};
            chip += pieces;
            used = 0;
            continue;
        }
        if (used + bytes > cap) {
            chip++;
            used = 0;
        }
        used += bytes;
        p->where[i] = (place){chip, 1};
    }
    p->chips = used ? chip + 1 : chip;
    if (s->chips > 0 && p->chips > s->chips)
        return sa35_err_set(err, "%s: the model needs %d chips, the system "
                                 "has %d",
                            s->name, p->chips, s->chips);
    return 0;
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

static int time_gemm(const sa35_system *s, const sa35_gemm_engine *eng,
                     const sa35_op *op, int resident, int32_t pieces,
                     sa35_op_result *r, sa35_err *err)
{
    int64_t N = model_ceil_div(op->N, pieces);
    sa35_gemm_time t;
    if (eng->fn(eng->ctx, s, op->M, op->K, N, &t, err))
        return sa35_err_prefix(err, op->name);
    /* streamed weights: compiler/ re-fetches them for every M block */
    int64_t kt = (int64_t)sa35_system_k_per_row(s) * s->rows;
    int64_t mblocks = model_ceil_div(op->M, s->acc_rows / 2);
    uint64_t stream = 0, first = 0;
    if (!resident) {
        stream = sa35_weight_bytes(s, op->K, N) * (uint64_t)mblocks;
        first = sa35_weight_bytes(s, op->K < kt ? op->K : kt,
                                  N < s->cols ? N : s->cols);
    }
    sa35_mem_time m;
    sa35_memsys(s, t.cycles, stream, first, t.sram_bytes, &m);
    r->cycles = m.cycles;
    r->stall_cycles = t.stall_cycles + m.stall_cycles;
    r->sram_bytes = t.sram_bytes * (uint64_t)pieces;
    r->dram_bytes = stream * (uint64_t)pieces;
    double peak = (double)s->rows * s->cols * sa35_system_k_per_row(s);
    r->utilization = (double)op->M * op->K * N / ((double)m.cycles * peak);
    if (strcmp(m.bound, "compute") != 0)
        r->bound = m.bound;
    else /* the left edge waited for weight loads more than it streamed */
        r->bound = t.stall_cycles > t.cycles / 2 ? "load" : "array";
    return 0;
}

static int64_t hop_cycles(const sa35_system *s, uint64_t bytes)
{
    return s->link_latency_cycles + cdiv_d((double)bytes,
                                           s->link_bytes_per_cycle);
}

int sa35_model_run(const sa35_llm *m, const sa35_system *s,
                   const sa35_workload *w, const sa35_gemm_engine *eng,
                   sa35_run *r, sa35_err *err)
{
    memset(r, 0, sizeof *r);
    r->model = *m, r->sys = *s, r->work = *w, r->engine = eng->name;
    if (sa35_model_ops(m, s, w, &r->ops, &r->nops, err))
        return -1;
    int nl = 0;
    while (nl < r->nops && !r->ops[nl].per_model)
        nl++;
    r->nres = m->layers * nl + (r->nops - nl);
    r->res = calloc((size_t)r->nres, sizeof *r->res);
    placement p = {0};
    p.where = calloc((size_t)r->nres, sizeof *p.where);
    sa35_op_result *once = calloc((size_t)r->nops, sizeof *once);
    if (!r->res || !p.where || !once) {
        free(p.where), free(once);
        sa35_run_free(r);
        return sa35_err_set(err, "out of memory");
    }
    for (int64_t i = 0; i < r->nres; i++) {
        int64_t l = i < m->layers * nl ? i / nl : -1;
        int k = l >= 0 ? (int)(i % nl) : nl + (int)(i - m->layers * nl);
        r->res[i].op = &r->ops[k];
        r->res[i].layer = l;
        r->weight_bytes += r->ops[k].weight_bytes;
    }
    uint64_t kv_layer = kv_cache_per_layer(m, s, w);
    int rc = s->chips == 1 ? place_single(r, &p, kv_layer, err)
                           : place_pipeline(r, &p, kv_layer, err);
    /* time each distinct op once (the layers are identical) */
    for (int k = 0; rc == 0 && k < r->nops; k++) {
        const sa35_op *op = &r->ops[k];
        int64_t first = k < nl ? k : m->layers * nl + (k - nl);
        if (op->unit == SA35_UNIT_VECTOR)
            time_vector(s, op, p.kv_on_chip, &once[k]);
        else
            rc = time_gemm(s, eng, op, p.weights_resident,
                           p.where[first].pieces, &once[k], err);
    }
    if (rc) {
        free(p.where), free(once);
        sa35_run_free(r);
        return -1;
    }
    int64_t mac_cycles = 0;
    double macs = 0;
    int64_t *stage = calloc((size_t)p.chips, sizeof *stage);
    for (int64_t i = 0; i < r->nres; i++) {
        sa35_op_result *x = &r->res[i];
        int k = (int)(x->op - r->ops);
        const sa35_op *op = x->op;
        int64_t layer = x->layer;
        *x = once[k];
        x->op = op, x->layer = layer;
        x->chip = p.where[i].chip;
        x->weights_resident = op->unit == SA35_UNIT_ARRAY
                                  ? p.weights_resident
                                  : 0;
        /* vector ops run on the chip of the GEMM before them */
        if (op->unit == SA35_UNIT_VECTOR && i > 0)
            x->chip = r->res[i - 1].chip, p.where[i].chip = x->chip;
        if (i > 0 && x->chip != r->res[i - 1].chip) {
            /* the activations move on: the fp16 residual stream, or the
             * op's own input if wider */
            int64_t width = op->K > m->hidden ? op->K : m->hidden;
            r->link_cycles += hop_cycles(s, (uint64_t)(2 * op->M * width));
            r->hops++;
        }
        if (p.where[i].pieces > 1) { /* fan the input out, gather results */
            r->link_cycles += hop_cycles(s, (uint64_t)(op->M * op->K)) +
                              hop_cycles(s, (uint64_t)(2 * op->M * op->N));
            r->hops += 2;
        }
        r->cycles += x->cycles;
        r->stall_cycles += x->stall_cycles;
        r->sram_bytes += x->sram_bytes;
        r->dram_bytes += x->dram_bytes;
        r->kv_bytes += op->kv_bytes;
        if (stage)
            stage[x->chip] += x->cycles;
        if (op->unit == SA35_UNIT_ARRAY) {
            mac_cycles += x->cycles;
            macs += (double)op->M * op->K * op->N;
        }
    }
    for (int32_t c = 0; stage && c < p.chips; c++)
        if (stage[c] > r->max_stage_cycles)
            r->max_stage_cycles = stage[c];
    free(stage), free(once), free(p.where);
    r->chips = p.chips;
    r->weights_on_chip = p.weights_resident;
    r->kv_cache_bytes = p.kv_cache_bytes;
    r->kv_on_chip = p.kv_on_chip;
    r->cycles += r->link_cycles;
    double peak = (double)s->rows * s->cols * sa35_system_k_per_row(s);
    r->utilization = mac_cycles ? macs / ((double)mac_cycles * peak) : 0;
    r->time_s = (double)r->cycles / s->clock_hz;
    double tokens = w->phase == SA35_DECODE ? 1.0 : (double)w->seq;
    r->time_per_token_s = r->time_s / tokens;
    r->tokens_per_s_per_user = tokens / r->time_s;
    r->tokens_per_s = (double)w->batch * tokens / r->time_s;
    return 0;
}

void sa35_run_free(sa35_run *r)
{
    free(r->ops);
    free(r->res);
    r->ops = NULL, r->res = NULL;
}
