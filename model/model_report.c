/* model_report.c: what `sa35 model` writes and prints. layers.csv and
 * layers.json hold one row per op and layer; totals.json the step; the
 * printed summary carries every assumption next to the figures. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "sa35_io.h"

static const char *phase_name(sa35_phase p)
{
    return p == SA35_DECODE ? "decode" : "prefill";
}

static void shape_of(const sa35_op *op, char *buf, size_t n)
{
    if (op->unit == SA35_UNIT_ARRAY)
        snprintf(buf, n, "%lldx%lldx%lld", (long long)op->M,
                 (long long)op->K, (long long)op->N);
    else
        snprintf(buf, n, "%lldx%lld", (long long)op->M, (long long)op->K);
}

/* A GEMM's column pieces, "n0-n1@chip" each (n1 inclusive), or "" */
static void pieces_of(const sa35_run *r, const sa35_op_result *x, char *buf,
                      size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int64_t j = x->first_piece;
         j < x->first_piece + x->pieces && len < n; j++) {
        const sa35_piece *pc = &r->piece[j];
        int k = snprintf(buf + len, n - len, "%s%lld-%lld@%d",
                         len ? " " : "", (long long)pc->n0,
                         (long long)(pc->n0 + pc->n - 1), pc->chip);
        len += k > 0 ? (size_t)k : 0;
    }
}

/* ------------------------------------------------------------ text buffer */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL,
                          b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)n;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q, b->cap = cap;
    }
}

/* Where an op's activations and results lived: a vector op's always on
 * chip; a GEMM's on chip or through the off-chip channel. */
static const char *acts_of(const sa35_op_result *x)
{
    return x->op->unit == SA35_UNIT_ARRAY && x->io == SA35_GEMM_IO_DRAM
               ? "offchip"
               : "sram";
}

static char *layers_csv(const sa35_run *r)
{
    sbuf b = {0};
    sb_printf(&b, "layer,op,ran_on,shape,M,K,N,cycles,stall_cycles,"
                  "utilization,sram_bytes,dram_bytes,chip,bound,"
                  "weights_on_chip,last_chip,pieces,piece_columns,"
                  "activations,prefetch_bytes\n");
    for (int64_t i = 0; i < r->nres && !b.oom; i++) {
        const sa35_op_result *x = &r->res[i];
        char shape[64], cols[512];
        shape_of(x->op, shape, sizeof shape);
        pieces_of(r, x, cols, sizeof cols);
        sb_printf(&b, "%lld,%s,%s,%s,%lld,%lld,%lld,%lld,%lld,%.6f,%llu,%llu,"
                      "%d,%s,%d,%d,%d,%s,%s,%llu\n",
                  (long long)x->layer, x->op->name,
                  x->op->unit == SA35_UNIT_ARRAY ? "array" : "vector", shape,
                  (long long)x->op->M, (long long)x->op->K,
                  (long long)x->op->N, (long long)x->cycles,
                  (long long)x->stall_cycles, x->utilization,
                  (unsigned long long)x->sram_bytes,
                  (unsigned long long)x->dram_bytes, x->chip, x->bound,
                  x->weights_resident, x->last_chip, x->pieces, cols,
                  acts_of(x), (unsigned long long)x->prefetch_bytes);
    }
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

static cJSON *layers_json(const sa35_run *r)
{
    cJSON *arr = cJSON_CreateArray();
    for (int64_t i = 0; arr && i < r->nres; i++) {
        const sa35_op_result *x = &r->res[i];
        char shape[64], cols[512];
        shape_of(x->op, shape, sizeof shape);
        pieces_of(r, x, cols, sizeof cols);
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddNumberToObject(o, "layer", (double)x->layer);
        /* the same keys as layers.csv's columns */
        cJSON_AddStringToObject(o, "op", x->op->name);
        cJSON_AddStringToObject(o, "ran_on", x->op->unit == SA35_UNIT_ARRAY
                                                 ? "array"
                                                 : "vector");
        cJSON_AddStringToObject(o, "shape", shape);
        cJSON_AddNumberToObject(o, "M", (double)x->op->M);
        cJSON_AddNumberToObject(o, "K", (double)x->op->K);
        cJSON_AddNumberToObject(o, "N", (double)x->op->N);
        cJSON_AddNumberToObject(o, "cycles", (double)x->cycles);
        cJSON_AddNumberToObject(o, "stall_cycles", (double)x->stall_cycles);
        cJSON_AddNumberToObject(o, "utilization", x->utilization);
        cJSON_AddNumberToObject(o, "sram_bytes", (double)x->sram_bytes);
        cJSON_AddNumberToObject(o, "dram_bytes", (double)x->dram_bytes);
        cJSON_AddNumberToObject(o, "chip", x->chip);
        cJSON_AddNumberToObject(o, "last_chip", x->last_chip);
        cJSON_AddNumberToObject(o, "pieces", x->pieces);
        cJSON_AddStringToObject(o, "piece_columns", cols);
        cJSON_AddStringToObject(o, "bound", x->bound);
        cJSON_AddStringToObject(o, "activations", acts_of(x));
        cJSON_AddNumberToObject(o, "prefetch_bytes",
                                (double)x->prefetch_bytes);
    }
    return arr;
}

/* The assumptions, one line each: printed and stored in totals.json. */
static int assumptions(const sa35_run *r, char lines[][200], int max)
{
    const sa35_system *s = &r->sys;
    int n = 0;
#define A(...) (n < max ? snprintf(lines[n++], 200, __VA_ARGS__) : 0)
    A("GEMM cycles: %s", r->engine);
    A("array %dx%d of %s PEs (%s) at %.0f MHz, %d weight load lanes "
      "(system file %s)",
      s->rows, s->cols, sa35_pe_info(s->pe)->name, sa35_pe_info(s->pe)->what,
      s->clock_hz / 1e6, s->load_rows, s->name);
    if (s->group)
        A("weight scales: a binary16 scale and zero per %lld k-values of a "
          "column, applied by the scale row, each group one K tile "
          "(docs/architecture.md, the scale row); counted in the weight "
          "bytes", (long long)s->group);
    else
        A("weight scales: a float32 scale and zero per column (8 bytes, "
          "counted in the weight bytes; `out.scale` reads them, the "
          "program's DMA does not move them)");
    if (s->chips == 1)
        A("weights %s (%.3g GB; on chip only if weights + KV cache fit in "
          "half of the %.3g MiB SRAM)",
          r->weights_on_chip ? "stay in SRAM" : "stream from off-chip "
                                                "memory every step",
          (double)r->weight_bytes / 1e9, (double)s->sram_bytes / 1048576.0);
    else {
        A("weights and KV cache packed in order into %d SRAM-only chips, "
          "%.4g MiB usable of each %.4g MiB SRAM (7/8; the rest holds "
          "activations, partial sums and link buffers)",
          r->chips, (double)r->usable_bytes / 1048576.0,
          (double)s->sram_bytes / 1048576.0);
        A("a GEMM fills what is left of a chip with whole %d-column tiles "
          "and continues on the next; its pieces run side by side (the "
          "slowest counts), plus a fan-out and a gather hop",
          s->cols);
        A("%d chip-to-chip hops per step, each link latency %lld cycles + "
          "bytes / %.4g B per cycle",
          r->hops, (long long)s->link_latency_cycles,
          s->link_bytes_per_cycle);
    }
    if (!r->model.net_layers)
        A("KV cache %s: %.3g GB at %d bits, %lld positions per sequence",
          r->kv_on_chip ? "in SRAM" : "off chip", (double)r->kv_cache_bytes / 1e9,
          s->kv_bits, (long long)r->work.seq);
    if (s->dram_bytes)
        A("off-chip: %.1f GB/s (%u/%u B/cycle), %lld cycles latency, in "
          "the engines: one DMA channel, SRAM scoreboard, weight tiles "
          "fetched ahead (docs/architecture.md)",
          s->dram_bytes_per_cycle * s->clock_hz / 1e9, s->dram_bw_num,
          s->dram_bw_den, (long long)s->dram_latency_cycles);
    A("vector unit: %d int8 MACs or %d fp16 ops per cycle; attention "
      "products (activation x activation) run there",
      s->vec_int8_per_cycle, s->vec_fp16_per_cycle);
    if (r->work.phase == SA35_PREFILL)
        A("prefill: causal attention, logits for each sequence's last "
          "position only; tokens/s counts prompt tokens");
    else
        A("decode: one new token per sequence per step, attending to %lld "
          "cached positions",
          (long long)r->work.seq);
    if (r->microbatches == 1)
        A("one batch in flight; tokens_per_s = batch x tokens per step / step "
          "time");
    else
        A("%d micro-batches of %lld in flight, each with its own KV cache; "
          "period = max(latency, K x beat); tokens_per_s = K x batch x "
          "tokens per step / period",
          r->microbatches, (long long)r->work.batch);
    A("pipeline beat (busiest chip or its links per micro-batch) %lld "
      "cycles; %lld micro-batches would keep every chip busy",
      (long long)r->beat_cycles,
      (long long)(r->beat_cycles ? (r->cycles + r->beat_cycles - 1) /
                                       r->beat_cycles
                                 : 1));
#undef A
    return n;
}

static cJSON *totals_json(const sa35_run *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "model", r->model.name);
    cJSON_AddStringToObject(o, "system", r->sys.name);
    cJSON_AddStringToObject(o, "phase", phase_name(r->work.phase));
    cJSON_AddNumberToObject(o, "batch", (double)r->work.batch);
    cJSON_AddNumberToObject(o, "seq", (double)r->work.seq);
    cJSON_AddNumberToObject(o, "cycles", (double)r->cycles);
    cJSON_AddNumberToObject(o, "stall_cycles", (double)r->stall_cycles);
    cJSON_AddNumberToObject(o, "link_cycles", (double)r->link_cycles);
    cJSON_AddNumberToObject(o, "weight_bytes", (double)r->weight_bytes);
    cJSON_AddNumberToObject(o, "weight_group", (double)r->sys.group);
    cJSON_AddNumberToObject(o, "kv_cache_bytes", (double)r->kv_cache_bytes);
    cJSON_AddNumberToObject(o, "sram_bytes", (double)r->sram_bytes);
    cJSON_AddNumberToObject(o, "dram_bytes", (double)r->dram_bytes);
    cJSON_AddNumberToObject(o, "microbatches", r->microbatches);
    cJSON_AddNumberToObject(o, "chips", r->chips);
    cJSON_AddNumberToObject(o, "usable_bytes_per_chip",
                            (double)r->usable_bytes);
    cJSON_AddNumberToObject(o, "hops", r->hops);
    cJSON_AddNumberToObject(o, "max_stage_cycles",
                            (double)r->max_stage_cycles);
    cJSON_AddNumberToObject(o, "max_link_cycles", (double)r->max_link_cycles);
    cJSON_AddNumberToObject(o, "beat_cycles", (double)r->beat_cycles);
    cJSON_AddNumberToObject(o, "period_cycles", (double)r->period_cycles);
    cJSON_AddNumberToObject(o, "bubble_cycles",
                            (double)(r->period_cycles - r->cycles));
    cJSON_AddNumberToObject(o, "array_utilization", r->utilization);
    cJSON_AddNumberToObject(o, "time_s", r->time_s);
    cJSON_AddNumberToObject(o, "time_per_token_s", r->time_per_token_s);
    cJSON_AddNumberToObject(o, "tokens_per_s_per_user",
                            r->tokens_per_s_per_user);
    cJSON_AddNumberToObject(o, "tokens_per_s", r->tokens_per_s);
    char lines[16][200];
    int n = assumptions(r, lines, 16);
    cJSON *a = cJSON_AddArrayToObject(o, "assumptions");
    for (int i = 0; a && i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(lines[i]));
    return o;
}

int sa35_run_write(const sa35_run *r, const char *dir, sa35_err *err)
{
    char *csv = layers_csv(r);
    cJSON *lj = layers_json(r), *tj = totals_json(r);
    char *ltxt = lj ? cJSON_Print(lj) : NULL;
    char *ttxt = tj ? cJSON_Print(tj) : NULL;
    cJSON_Delete(lj);
    cJSON_Delete(tj);
    const char *names[3] = {"layers.csv", "layers.json", "totals.json"};
    const char *texts[3] = {csv, ltxt, ttxt};
    int rc = csv && ltxt && ttxt
                 ? sa35_write_files(dir, names, texts, 3, err)
                 : sa35_err_set(err, "%s: out of memory for the reports' "
                                "text", dir);
    free(csv);
    free(ltxt);
    free(ttxt);
    return rc;
}

void sa35_run_print(const sa35_run *r, FILE *f)
{
    const sa35_llm *m = &r->model;
    fprintf(f, "%s on %s, %s, batch %lld, seq %lld\n", m->name, r->sys.name,
            phase_name(r->work.phase), (long long)r->work.batch,
            (long long)r->work.seq);
    if (m->net_layers)
        fprintf(f, "network: %d fully connected layers, %lld weights\n\n",
                m->net_layers, (long long)sa35_llm_gemm_params(m));
    else
        fprintf(f, "model: hidden %lld, FFN %lld, %lld layers, %lld heads, "
                   "%lld KV heads, head_dim %lld, vocab %lld\n\n",
                (long long)m->hidden, (long long)m->ffn, (long long)m->layers,
                (long long)m->heads, (long long)m->kv_heads,
                (long long)m->head_dim, (long long)m->vocab);
    fprintf(f, "%-11s %-6s %-20s %12s %12s %6s %14s %14s %s\n", "op",
            "unit", "shape", "cycles", "stalls", "util", "sram_bytes",
            "dram_bytes", "bound");
    int nl = 0;
    while (nl < r->nops && !r->ops[nl].per_model)
        nl++;
    /* layer 0 stands for every layer: they are identical */
    for (int64_t i = 0; i < r->nres; i++) {
        if (i >= nl && r->res[i].layer >= 0)
            continue;
        const sa35_op_result *x = &r->res[i];
        char shape[64];
        shape_of(x->op, shape, sizeof shape);
        fprintf(f, "%-11s %-6s %-20s %12lld %12lld %5.1f%% %14llu %14llu %s\n",
                x->op->name,
                x->op->unit == SA35_UNIT_ARRAY ? "array" : "vector", shape,
                (long long)x->cycles, (long long)x->stall_cycles,
                100 * x->utilization, (unsigned long long)x->sram_bytes,
                (unsigned long long)x->dram_bytes, x->bound);
        if (i == nl - 1)
            fprintf(f, "(the %d ops above, once per layer, x %lld layers)\n",
                    nl, (long long)m->layers);
    }
    /* where the cycles went */
    int64_t by[5] = {0};
    const char *kinds[5] = {"array", "load", "offchip", "sram", "vector"};
    for (int64_t i = 0; i < r->nres; i++)
        for (int k = 0; k < 5; k++)
            if (strcmp(r->res[i].bound, kinds[k]) == 0)
                by[k] += r->res[i].cycles;
    fprintf(f, "\ncycles by what bounds them:");
    for (int k = 0; k < 5; k++)
        if (by[k])
            fprintf(f, " %s %.1f%%", kinds[k],
                    100.0 * (double)by[k] / (double)r->cycles);
    if (r->link_cycles)
        fprintf(f, " links %.1f%%",
                100.0 * (double)r->link_cycles / (double)r->cycles);
    fprintf(f, "\n\ntotal: %lld cycles (%lld stall), %.6g s per step "
               "(one micro-batch, every op in sequence); "
               "weights %.4g GB, off-chip traffic %.4g GB, %d chip(s)\n",
            (long long)r->cycles, (long long)r->stall_cycles, r->time_s,
            (double)r->weight_bytes / 1e9, (double)r->dram_bytes / 1e9,
            r->chips);
    fprintf(f, "pipeline: %d micro-batch(es) of %lld, beat %lld cycles, "
               "period max(%lld, %d x %lld) = %lld cycles (%lld bubble)\n",
            r->microbatches, (long long)r->work.batch,
            (long long)r->beat_cycles, (long long)r->cycles,
            r->microbatches, (long long)r->beat_cycles,
            (long long)r->period_cycles,
            (long long)(r->period_cycles - r->cycles));
    if (m->net_layers) /* a batch of inputs, not tokens */
        fprintf(f, "time per batch of %lld %.6g s, %.6g inferences/s, %.4g "
                   "TOPS (2 x %lld weights x batch / time; array "
                   "utilization %.1f%%)\n",
                (long long)r->work.batch, r->time_s,
                (double)r->work.batch / r->time_s,
                2.0 * (double)sa35_llm_gemm_params(m) *
                    (double)r->work.batch / r->time_s / 1e12,
                (long long)sa35_llm_gemm_params(m), 100 * r->utilization);
    else
        fprintf(f, "time per token %.6g s, %.6g tokens/s per user, %.6g "
                   "tokens/s (array utilization %.1f%%)\n",
                r->time_per_token_s, r->tokens_per_s_per_user,
                r->tokens_per_s, 100 * r->utilization);
    char lines[16][200];
    int n = assumptions(r, lines, 16);
    fprintf(f, "\nassumptions:\n");
    for (int i = 0; i < n; i++)
        fprintf(f, "  - %s\n", lines[i]);
}
