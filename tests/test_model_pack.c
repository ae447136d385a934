/* test_model_pack.c: SRAM-only chips. A tiny model on a tiny tsp-like
 * system, small enough to pack by hand: the chip count and every piece
 * boundary against the packing rule (docs/models.md, "Placement") worked
 * out here independently, the pieces' cycles against the engine, the
 * link hops, the micro-batch pipeline's period, and the command refusing
 * micro-batches whose KV cache does not fit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "sa35_model.h"
#include "test_util.h"

/* 16 x 16 array at 1 GHz; 8 KiB SRAM per chip (7168 bytes usable); links
 * of 1 byte per cycle and 100 cycles latency; as many chips as needed. */
static const char tiny_tsp[] =
    "{\"name\": \"tinytsp\","
    "\"array\": {\"rows\": {\"value\": 16, \"source\": \"t\"},"
    " \"cols\": {\"value\": 16, \"source\": \"t\"},"
    " \"clock_hz\": {\"value\": 1e9, \"source\": \"t\"},"
    " \"load_rows\": {\"value\": 2, \"source\": \"t\"},"
    " \"acc_rows\": {\"value\": 64, \"source\": \"t\"},"
    " \"pe\": {\"value\": \"sa35\", \"source\": \"t\"}},"
    "\"sram\": {\"bytes\": {\"value\": 8192, \"source\": \"t\"},"
    " \"banks\": {\"value\": 4, \"source\": \"t\"},"
    " \"bytes_per_cycle\": {\"value\": 256, \"source\": \"t\"}},"
    "\"offchip\": {\"bytes\": {\"value\": 0, \"source\": \"t\"},"
    " \"bytes_per_s\": {\"value\": 0, \"source\": \"t\"},"
    " \"latency_ns\": {\"value\": 0, \"source\": \"t\"}},"
    "\"vector\": {\"int8_per_cycle\": {\"value\": 32, \"source\": \"t\"},"
    " \"fp16_per_cycle\": {\"value\": 16, \"source\": \"t\"}},"
    "\"chips\": {\"count\": {\"value\": 0, \"source\": \"t\"},"
    " \"link_bytes_per_s\": {\"value\": 1e9, \"source\": \"t\"},"
    " \"link_latency_ns\": {\"value\": 100, \"source\": \"t\"}},"
    "\"kv_cache\": {\"bits\": {\"value\": 8, \"source\": \"t\"}}}";
/* hidden 64, FFN 96, 2 layers, 4 heads of 16, 2 KV heads: SA35 weights
 * are 7 bytes per 16 k per column and a float32 scale and zero (8 bytes)
 * per column, so q 2304, k 1152, v 1152, o 2304, gate/up 3456 each,
 * down 3200, lm_head 3600 bytes; one layer's KV cache at
 * batch 1, 10 positions: 10 x 2 x 32 = 640 bytes. */
static const char tiny_model[] =
    "{\"hidden_size\": 64, \"intermediate_size\": 96, \"num_hidden_layers\": "
    "2, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, "
    "\"vocab_size\": 100, \"hidden_act\": \"silu\"}";

static const uint64_t kv_layer = 10 * 2 * 2 * 16;

/* The packing rule, written out again: chips filled in order up to
 * `usable`; a GEMM takes as many whole 16-column tiles as fit in what is
 * left (all of it if the rest fits) and goes on on the next chip; a layer's
 * KV cache goes whole with kv_store. Checks the run's rows and pieces. */
static void check_packing(const sa35_run *r, uint64_t kv)
{
    const sa35_system *s = &r->sys;
    uint64_t usable = s->sram_bytes - s->sram_bytes / 8, used = 0;
    int32_t chip = 0;
    int64_t pc = 0;
    CHECK(r->usable_bytes == usable);
    for (int64_t i = 0; i < r->nres; i++) {
        const sa35_op_result *x = &r->res[i];
        const sa35_op *op = x->op;
        if (op->unit == SA35_UNIT_VECTOR) {
            if (x->layer >= 0 && strcmp(op->name, "kv_store") == 0) {
                if (used + kv > usable)
                    chip++, used = 0;
                used += kv;
            }
            CHECK_MSG(x->chip == chip && x->last_chip == chip &&
                          x->pieces == 0,
                      "row %lld %s: chip %d, want %d", (long long)i,
                      op->name, x->chip, chip);
            continue;
        }
        uint64_t per_col = (uint64_t)((op->K + 15) / 16) * 7 + 8;
        int first = 1;
        CHECK(x->first_piece == pc);
        for (int64_t n0 = 0; n0 < op->N;) {
            int64_t rest = op->N - n0;
            int64_t fit = (int64_t)((usable - used) / (per_col * 16)) * 16;
            int64_t w = per_col * (uint64_t)rest <= usable - used ? rest : fit;
            if (w == 0) {
                chip++, used = 0;
                continue;
            }
            if (first)
                CHECK_MSG(x->chip == chip, "%s chip %d want %d", op->name,
                          x->chip, chip);
            first = 0;
            CHECK_MSG(pc < r->npieces && r->piece[pc].chip == chip &&
                          r->piece[pc].n0 == n0 && r->piece[pc].n == w,
                      "row %lld %s piece %lld: want %lld+%lld@%d",
                      (long long)i, op->name, (long long)pc, (long long)n0,
                      (long long)w, chip);
            /* whole tiles, but for the op's last piece */
            CHECK(n0 + w == op->N || w % s->cols == 0);
            used += per_col * (uint64_t)w;
            n0 += w, pc++;
        }
        CHECK(x->last_chip == chip &&
              x->pieces == (int32_t)(pc - x->first_piece));
    }
    CHECK(r->npieces == pc && r->chips == chip + 1);
}

static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

/* Each chip's compute and link time per micro-batch, from the rows; the
 * latency is every row plus every hop; the period max(L, K x beat). */
static void check_pipeline(const sa35_run *r)
{
    const sa35_system *s = &r->sys;
    int64_t busy[64] = {0}, link[64] = {0}, hops = 0, sum = 0;
    CHECK(r->chips <= 64);
    for (int64_t i = 0; i < r->nres && r->chips <= 64; i++) {
        const sa35_op_result *x = &r->res[i];
        const sa35_op *op = x->op;
        int64_t worst = 0;
        for (int64_t j = x->first_piece; j < x->first_piece + x->pieces;
             j++) {
            busy[r->piece[j].chip] += r->piece[j].cycles;
            worst = max64(worst, r->piece[j].cycles);
        }
        if (op->unit == SA35_UNIT_VECTOR)
            busy[x->chip] += x->cycles;
        else
            CHECK(x->cycles == worst); /* side by side: the slowest */
        sum += x->cycles;
        /* hops: 1 byte per cycle on these links */
        int64_t bytes[3] = {0, 0, 0};
        int32_t a[3] = {0}, b[3] = {0};
        int n = 0;
        if (i > 0 && x->chip != r->res[i - 1].last_chip) {
            bytes[n] = 2 * op->M * max64(op->K, r->model.hidden);
            a[n] = r->res[i - 1].last_chip, b[n++] = x->chip;
        }
        if (x->pieces > 1) {
            bytes[n] = op->M * op->K, a[n] = x->chip, b[n++] = x->last_chip;
            bytes[n] = 2 * op->M * op->N, a[n] = x->chip,
            b[n++] = x->last_chip;
        }
        for (int h = 0; h < n; h++) {
            hops += s->link_latency_cycles + bytes[h];
            for (int32_t c = a[h] < b[h] ? a[h] : b[h];
                 c <= (a[h] < b[h] ? b[h] : a[h]); c++)
                link[c] += bytes[h];
        }
    }
    CHECK(r->link_cycles == hops && r->cycles == sum + hops);
    int64_t beat = 0;
    for (int32_t c = 0; c < r->chips && c < 64; c++)
        beat = max64(beat, max64(busy[c], link[c]));
    CHECK_MSG(r->beat_cycles == beat, "beat %lld want %lld",
              (long long)r->beat_cycles, (long long)beat);
    int64_t period = max64(r->cycles, r->microbatches * beat);
    CHECK(r->period_cycles == period);
    /* tokens per step: decode one per sequence, prefill the prompt */
    double T = r->work.phase == SA35_DECODE ? 1 : (double)r->work.seq;
    double clock = s->clock_hz, B = (double)r->work.batch;
    CHECK(fabs(r->tokens_per_s - r->microbatches * B * T * clock / period) <
          1e-9 * r->tokens_per_s);
    CHECK(fabs(r->tokens_per_s_per_user - T * clock / period) <
          1e-9 * r->tokens_per_s_per_user);
    CHECK(r->time_s == r->cycles / clock);
}

static void packing(void)
{
    sa35_llm m;
    sa35_system s;
    sa35_err err;
    CHECK(sa35_llm_parse(tiny_model, "tiny.json", &m, &err) == 0);
    CHECK(sa35_system_parse(tiny_tsp, "tinytsp.json", &s, &err) == 0);
    sa35_workload w = {SA35_DECODE, 1, 10, 1};
    sa35_run r;
    int rc = sa35_model_run(&m, &s, &w, sa35_gemm_engine_timing(), &r, &err);
    CHECK_MSG(rc == 0, "%s", err.msg);
    if (rc)
        return;
    check_packing(&r, kv_layer);
    check_pipeline(&r);
    /* by hand: layer 0 fills chip 0 with q, k, v and its KV cache
     * (2304 + 1152 + 1152 + 640 = 5248 bytes); 1920 bytes are left, three
     * 576-byte tiles of o: columns 0-47 there, 48-63 on chip 1 */
    uint64_t usable = 8192 - 8192 / 8, tile = (4 * 7 + 8) * 16;
    uint64_t before_o = 2304 + 1152 + 1152 + kv_layer;
    int64_t o_cols = (int64_t)((usable - before_o) / tile) * 16;
    const sa35_op_result *o0 = &r.res[0];
    while (o0 < r.res + r.nres - 1 && strcmp(o0->op->name, "o"))
        o0++;
    CHECK_MSG(strcmp(o0->op->name, "o") == 0 && o_cols == 48, "%s %lld",
              o0->op->name, (long long)o_cols);
    CHECK(o0->pieces == 2 && o0->chip == 0 && o0->last_chip == 1);
    CHECK(r.piece[o0->first_piece].n == o_cols &&
          r.piece[o0->first_piece + 1].n0 == o_cols);
    /* the bytes: per layer 2304 + 1152 + 1152 + 2304 + 2 x 3456 + 3200,
     * two layers, lm_head 3600, two KV caches: 38928, at least
     * ceil(38928 / 7168) = 6 chips (check_packing counted the rest) */
    uint64_t total = r.weight_bytes + 2 * kv_layer;
    CHECK_MSG(total == 38928 && r.chips >= (int32_t)((total + usable - 1) /
                                                     usable),
              "%llu bytes, %d chips", (unsigned long long)total, r.chips);
    CHECK(r.res[r.nres - 1].chip == r.chips - 1);
    /* a piece costs what the engine says for its own columns */
    const sa35_piece *p = &r.piece[o0->first_piece];
    sa35_gemm_time t;
    const sa35_gemm_engine *eng = sa35_gemm_engine_timing();
    CHECK(eng->fn(eng->ctx, &s, 1, 64, p->n,
                  sa35_model_gemm_io(&s, s.sram_bytes - r.usable_bytes, 1,
                                     64, p->n),
                  &t, &err) == 0);
    sa35_mem_time mt;
    sa35_memsys(&s, t.cycles, 0, 0, t.sram_bytes, &mt);
    CHECK(p->cycles == mt.cycles);
    sa35_run_free(&r);

    /* prefill and a bigger batch: the same rule, whatever the numbers */
    sa35_workload w2 = {SA35_PREFILL, 2, 24, 1};
    rc = sa35_model_run(&m, &s, &w2, sa35_gemm_engine_timing(), &r, &err);
    CHECK_MSG(rc == 0, "%s", err.msg);
    if (rc == 0) {
        check_packing(&r, 2 * 24 * 2 * 32);
        check_pipeline(&r);
        sa35_run_free(&r);
    }
}

static void pipelining(void)
{
    /* by hand: a 1000-cycle pass whose busiest stage takes 300 cycles:
     * up to 3 micro-batches ride along for free, a 4th waits 200 */
    CHECK(sa35_pipeline_cycles(1000, 300, 1) == 1000);
    CHECK(sa35_pipeline_cycles(1000, 300, 3) == 1000);
    CHECK(sa35_pipeline_cycles(1000, 300, 4) == 1200);
    CHECK(sa35_pipeline_cycles(1000, 300, 5) == 1500);
    sa35_llm m;
    sa35_system s;
    sa35_err err;
    CHECK(sa35_llm_parse(tiny_model, "tiny.json", &m, &err) == 0);
    CHECK(sa35_system_parse(tiny_tsp, "tinytsp.json", &s, &err) == 0);
    int64_t lat = 0;
    for (int k = 1; k <= 10; k += 9) {
        sa35_workload w = {SA35_DECODE, 1, 10, k};
        sa35_run r;
        int rc = sa35_model_run(&m, &s, &w, sa35_gemm_engine_timing(), &r,
                                &err);
        CHECK_MSG(rc == 0, "K %d: %s", k, err.msg);
        if (rc)
            continue;
        CHECK(r.microbatches == k);
        check_packing(&r, kv_layer * (uint64_t)k); /* a KV cache each */
        check_pipeline(&r);
        if (k == 1) { /* one in flight: today's figures */
            lat = r.cycles;
            CHECK(r.period_cycles == r.cycles &&
                  r.tokens_per_s == r.tokens_per_s_per_user);
        } else { /* 10 saturate the busiest chip: bubbles */
            CHECK(r.period_cycles == 10 * r.beat_cycles &&
                  r.period_cycles > r.cycles);
            CHECK(r.tokens_per_s > 1.5 * s.clock_hz / (double)lat);
        }
        sa35_run_free(&r);
    }
    /* one chip: the micro-batches take turns, tokens/s does not move */
    s.chips = 1, s.sram_bytes = 1 << 20;
    for (int k = 1; k <= 4; k += 3) {
        sa35_workload w = {SA35_DECODE, 1, 10, k};
        sa35_run r;
        CHECK(sa35_model_run(&m, &s, &w, sa35_gemm_engine_timing(), &r,
                             &err) == 0);
        CHECK(r.chips == 1 && r.link_cycles == 0 && r.beat_cycles == r.cycles &&
              r.period_cycles == k * r.cycles);
        sa35_run_free(&r);
    }
}

static int run(const char *bin, const char *tmp, const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >out.txt 2>err.txt", tmp,
             bin, args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *tmp, const char *name)
{
    static char buf[1 << 16];
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return f ? buf : NULL;
}

static void put(const char *tmp, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    FILE *f = fopen(path, "wb");
    CHECK(f && fputs(text, f) >= 0);
    if (f)
        fclose(f);
}

static void command(const char *bin, const char *tmp)
{
    put(tmp, "tiny.json", tiny_model);
    put(tmp, "tinytsp.json", tiny_tsp);
    /* the most micro-batches whose KV caches share a chip: 7168 / 640 */
    int most = (int)((8192 - 8192 / 8) / kv_layer);
    char args[512];
    snprintf(args, sizeof args, "model tiny.json --system tinytsp.json "
                                "--phase decode --seq 10 --microbatches %d "
                                "--out ok", most);
    CHECK(run(bin, tmp, args) == 0);
    const char *t = slurp(tmp, "ok/totals.json");
    char want[64];
    snprintf(want, sizeof want, "\"microbatches\":\t%d", most);
    CHECK_MSG(t && strstr(t, want) && strstr(t, "\"period_cycles\":"), "%s",
              t ? t : "(none)");
    const char *csv = slurp(tmp, "ok/layers.csv");
    CHECK(csv && strstr(csv, "last_chip,pieces,piece_columns,activations,"
                            "prefetch_bytes\n"));
    /* one more does not fit: one line, status 1, no files */
    snprintf(args, sizeof args, "model tiny.json --system tinytsp.json "
                                "--phase decode --seq 10 --microbatches %d "
                                "--out bad", most + 1);
    CHECK(run(bin, tmp, args) == 1);
    const char *e = slurp(tmp, "err.txt");
    CHECK_MSG(e && strstr(e, "one layer's KV cache for") &&
                  strstr(e, "does not fit in a chip's") &&
                  strstr(e, "--microbatches"),
              "%s", e ? e : "(none)");
    CHECK(!slurp(tmp, "bad/totals.json") && !slurp(tmp, "bad/layers.csv") &&
          !slurp(tmp, "bad/layers.json"));
    CHECK(run(bin, tmp, "model tiny.json --system tinytsp.json --phase "
                        "decode --microbatches 0 --out bad") == 1);
    e = slurp(tmp, "err.txt");
    CHECK(e && strstr(e, "--microbatches must be a positive integer"));
}

int main(void)
{
    const char *bin = getenv("SA35_BIN"), *tmp = getenv("SA35_TMP");
    packing();
    pipelining();
    if (bin && tmp)
        command(bin, tmp);
    return TEST_DONE();
}
