/* model_ops.c: a llama-family decoder layer as the work sa35 runs. GEMMs
 * (weights stationary in the array) go to the array; everything else,
 * including the two attention products (activation x activation against
 * the KV cache, no stationary weight), goes to the vector unit. The int8
 * quantization of the activations that feed a GEMM (format.md: sa[m]) is
 * folded into the vector op that produces them. docs/models.md lists every
 * op with its formula. */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

typedef struct ops_builder {
    sa35_op *ops;
    int n;
} ops_builder;

static sa35_op *add(ops_builder *b, const char *name, sa35_unit unit)
{
    sa35_op *op = &b->ops[b->n++];
    memset(op, 0, sizeof *op);
    snprintf(op->name, sizeof op->name, "%s", name);
    op->unit = unit;
    return op;
}

/* A GEMM: int8 activations in, int32 accumulators out (on chip). */
static void gemm(ops_builder *b, const sa35_system *s, const char *name,
                 int64_t M, int64_t K, int64_t N)
{
    sa35_op *op = add(b, name, SA35_UNIT_ARRAY);
    op->M = M, op->K = K, op->N = N;
    op->weight_bytes = sa35_weight_bytes(s, K, N);
    op->act_bytes = (uint64_t)(M * K + 4 * M * N);
}

/* A vector op over rows x cols fp16 elements (read and written once),
 * `passes` element operations each. */
static sa35_op *vec(ops_builder *b, const char *name, sa35_vkind kind,
                    int64_t rows, int64_t cols, int64_t work)
{
    sa35_op *op = add(b, name, SA35_UNIT_VECTOR);
    op->M = rows, op->K = cols, op->N = 1;
    op->vkind = kind;
    op->work = work;
    op->act_bytes = (uint64_t)(2 * 2 * rows * cols);
    return op;
}

/* Key positions the queries of one sequence attend to, summed over its new
 * tokens: decode, one token over min(L, window); prefill, causal, token i
 * (1-based) over min(i, window). */
static int64_t attended(const sa35_llm *m, const sa35_workload *w)
{
    int64_t win = m->sliding_window > 0 ? m->sliding_window : w->seq;
    if (w->phase == SA35_DECODE)
        return w->seq < win ? w->seq : win;
    int64_t P = w->seq, full = P < win ? P : win;
    /* 1 + 2 + ... + full, then (P - full) tokens at the window */
    return full * (full + 1) / 2 + (P - full) * win;
}

/* The products the ops below (and the run's KV cache, model_run.c) are
 * made of, checked once: M rows times 6 x the widest row (activation
 * bytes, element operations), the attention's 3 B x heads x positions x
 * head_dim, and 4 B x positions x the KV width (KV bytes, 16-bit values
 * included), each below 2^56 so that the sums over ops, layers and
 * micro-batches stay inside 64 bits. Parameters are the reader's check. */
#define OPS_MAX (1LL << 56)
static int check_sizes(const sa35_llm *m, const sa35_workload *w,
                       sa35_err *err)
{
    int64_t T = w->phase == SA35_DECODE ? 1 : w->seq;
    int64_t M = w->batch * T, hd = m->head_dim;
    int64_t qd = m->heads * hd, kvd = m->kv_heads * hd;
    int64_t wide = m->hidden, S = attended(m, w);
    int64_t cols[] = {m->ffn, qd + 2 * kvd, m->vocab};
    for (int i = 0; i < 3; i++)
        wide = cols[i] > wide ? cols[i] : wide;
    int64_t win = m->sliding_window > 0 ? m->sliding_window : w->seq;
    int64_t kv_pos = w->seq < win ? w->seq : win, a, b, c;
    int bad = sa35_mul_i64(M, wide, &a) || sa35_mul_i64(a, 6, &a) ||
              a > OPS_MAX || sa35_mul_i64(w->batch, m->heads, &b) ||
              sa35_mul_i64(b, S, &b) || sa35_mul_i64(b, hd, &b) ||
              sa35_mul_i64(b, 3, &b) || b > OPS_MAX ||
              sa35_mul_i64(w->batch, kv_pos, &c) ||
              sa35_mul_i64(c, kvd, &c) || sa35_mul_i64(c, 4, &c) ||
              c > OPS_MAX;
    if (bad)
        return sa35_err_set(err, "%s: batch %lld x %s %lld: a layer's "
                                 "work or bytes pass 2^56",
                            m->name, (long long)w->batch,
                            w->phase == SA35_DECODE ? "KV length"
                                                    : "prompt length",
                            (long long)w->seq);
    return 0;
}

/* A network's layer list: each layer's GEMM (B x in x out), then its
 * activation on the vector unit (one fp16 operation an output; none: a
 * copy-free pass, no op). */
static int net_ops(const sa35_llm *m, const sa35_system *s,
                   const sa35_workload *w, sa35_op **ops, int *count,
                   sa35_err *err)
{
    int64_t B = w->batch, t;
    if (sa35_mul_i64(B, m->hidden, &t) || sa35_mul_i64(t, 6, &t) ||
        t > OPS_MAX)
        return sa35_err_set(err, "%s: batch %lld x %lld: a layer's "
                                     "bytes pass 2^56",
                                m->name, (long long)B, (long long)m->hidden);
    ops_builder b = {calloc((size_t)(2 * m->net_layers), sizeof(sa35_op)),
                     0};
    if (!b.ops)
        return sa35_err_set(err, "out of memory for %d layers' ops",
                            m->net_layers);
    for (int i = 0; i < m->net_layers; i++) {
        const sa35_fc *fc = &m->fc[i];
        gemm(&b, s, fc->name, B, fc->in, fc->out);
        if (fc->activation) {
            char name[24];
            snprintf(name, sizeof name, "%s_%s", fc->name,
                     model_net_activation(fc->activation));
            vec(&b, name, SA35_V_FP16, B, fc->out, B * fc->out);
        }
    }
    *ops = b.ops;
    *count = b.n;
    return 0;
}

int sa35_model_ops(const sa35_llm *m, const sa35_system *s,
                   const sa35_workload *w, sa35_op **ops, int *count,
                   sa35_err *err)
{
    if (w->batch < 1 || w->batch > (1 << 20) || w->seq < 1 ||
        w->seq > (1 << 24))
        return sa35_err_set(err, "batch must be in 1..2^20 and seq in "
                                 "1..2^24 (got %lld, %lld)",
                            (long long)w->batch, (long long)w->seq);
    if (m->net_layers)
        return net_ops(m, s, w, ops, count, err);
    if (check_sizes(m, w, err))
        return -1;
    ops_builder b = {calloc(24, sizeof(sa35_op)), 0};
    if (!b.ops)
        return sa35_err_set(err, "out of memory for a layer's 24 ops");
    int64_t B = w->batch;
    int64_t T = w->phase == SA35_DECODE ? 1 : w->seq; /* new tokens */
    int64_t M = B * T, H = m->hidden, F = m->ffn, hd = m->head_dim;
    int64_t qd = m->heads * hd, kvd = m->kv_heads * hd;
    int64_t S = attended(m, w);
    uint64_t kvb = (uint64_t)s->kv_bits / 8;
    /* keys (and values) read by one layer's attention: every KV head once
     * per sequence (grouped-query heads share them); prefill reads the
     * prompt's own keys, decode the cached ones */
    int64_t win = m->sliding_window > 0 ? m->sliding_window : w->seq;
    int64_t kv_pos = w->seq < win ? w->seq : win;
    uint64_t kv_read = (uint64_t)(B * kv_pos * kvd) * kvb;

    vec(&b, "attn_norm", SA35_V_FP16, M, H, 2 * M * H);
    gemm(&b, s, "q", M, H, qd);
    gemm(&b, s, "k", M, H, kvd);
    gemm(&b, s, "v", M, H, kvd);
    vec(&b, "rope", SA35_V_FP16, M, qd + kvd, 3 * M * (qd + kvd));
    sa35_op *st = vec(&b, "kv_store", SA35_V_FP16, M, 2 * kvd, 2 * M * kvd);
    st->kv_bytes = (uint64_t)(2 * M * kvd) * kvb;
    sa35_op *sc = vec(&b, "scores", SA35_V_INT8, M, m->heads,
                      B * m->heads * S * hd);
    sc->kv_bytes = kv_read;
    vec(&b, "softmax", SA35_V_FP16, M, m->heads, 3 * B * m->heads * S);
    sa35_op *cx = vec(&b, "context", SA35_V_INT8, M, qd,
                      B * m->heads * S * hd);
    cx->kv_bytes = kv_read;
    gemm(&b, s, "o", M, qd, H);
    vec(&b, "residual1", SA35_V_FP16, M, H, M * H);
    vec(&b, "mlp_norm", SA35_V_FP16, M, H, 2 * M * H);
    gemm(&b, s, "gate", M, H, F);
    gemm(&b, s, "up", M, H, F);
    vec(&b, "silu_mul", SA35_V_FP16, M, F, 2 * M * F);
    gemm(&b, s, "down", M, F, H);
    vec(&b, "residual2", SA35_V_FP16, M, H, M * H);
    /* once per model: only each sequence's last position needs logits */
    vec(&b, "final_norm", SA35_V_FP16, B, H, 2 * B * H)->per_model = 1;
    gemm(&b, s, "lm_head", B, H, m->vocab);
    b.ops[b.n - 1].per_model = 1;
    *ops = b.ops;
    *count = b.n;
    return 0;
}
