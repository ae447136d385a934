/* model_engines.c: the GEMM engines of `sa35 model`: compiler/ plus sim/'s
 * timing model or cycle-accurate simulator, so every per-GEMM cycle count
 * comes from the engines the rest of sa35 tests against each other. */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "sa35_sim.h"

/* The architecture the compiler targets: the system's array. SRAM is
 * given the ISA's whole address space so a big prefill GEMM compiles (the
 * memory system accounts for capacity, not the compiler), off-chip the
 * same. */
int model_arch_of(const sa35_system *s, sa35_arch *a, sa35_err *err)
{
    sa35_arch_default(a);
    a->rows = s->rows, a->cols = s->cols, a->clock_hz = s->clock_hz;
    a->load_rows = s->load_rows;
    a->acc_rows = s->acc_rows;
    a->pe = s->pe;
    a->sram_bytes = 1ull << 32;
    a->dram_bytes = 1ull << 48;
    /* the system's off-chip memory inside the engines (SRAM-only chips
     * keep the ideal memory: their weights never move); the PE kind's
     * tiles move their own bytes (an int8 PE: a byte a weight) */
    if (s->dram_bytes > 0 && s->dram_bw_num) {
        a->dram_bw_num = s->dram_bw_num, a->dram_bw_den = s->dram_bw_den;
        a->dram_latency = (int32_t)s->dram_latency_cycles;
    }
    return sa35_arch_check(a, err);
}

static int run(const sa35_system *s, const char *engine, int64_t M,
               int64_t K, int64_t N, sa35_gemm_io io, sa35_gemm_time *t,
               sa35_err *err)
{
    sa35_arch a;
    if (model_arch_of(s, &a, err))
        return -1;
    const sa35_engine *e = sa35_engine_find(engine);
    sa35_stats st;
    int rc;
    if (!(e->produces & SA35_PRODUCES_DATA)) {
        rc = sa35_sim_gemm_io(&a, e, M, K, N, s->group, io, NULL, NULL,
                              NULL, NULL, &st, err);
    } else {
        /* cycles do not depend on the data: zero operands, in the format
         * of the system's PE kind */
        sa35_qweights q = {0};
        int8_t *A = calloc((size_t)(M * K), 1);
        int32_t *acc = calloc((size_t)(M * N), sizeof *acc);
        rc = sa35_qweights_alloc_group(&q, sa35_arch_pe(&a)->fmt, K, N,
                                       s->group, err);
        if (!rc && (!A || !acc))
            rc = sa35_err_set(err, "out of memory for a %lldx%lldx%lld "
                              "GEMM's operands", (long long)M, (long long)K,
                              (long long)N);
        if (!rc)
            rc = sa35_sim_gemm_io(&a, e, M, K, N, s->group, io, A, &q, acc,
                                  NULL, &st, err);
        if (q.qweight)
            sa35_qweights_free(&q);
        free(A);
        free(acc);
    }
    if (rc)
        return -1;
    t->cycles = (int64_t)st.cycles;
    t->stall_cycles = (int64_t)st.stall_cycles;
    t->load_cycles = (int64_t)st.weight_load_cycles;
    t->sram_bytes = st.sram_read_bytes + st.sram_write_bytes;
    t->stream_cycles = (int64_t)st.stream_cycles;
    /* each ldw holds its lane `rows` cycles: n + C - 1 minus the C - 1 its
     * last row takes to cross the columns */
    t->lane_cycles = ((int64_t)st.weight_load_cycles -
                      (int64_t)st.weight_loads * (a.cols - 1)) /
                     a.load_rows;
    t->dram_bytes = st.dram_read_bytes + st.dram_write_bytes;
    t->channel_cycles =
        a.dram_bw_num ? (int64_t)((t->dram_bytes * a.dram_bw_den +
                                   a.dram_bw_num - 1) / a.dram_bw_num)
                      : 0;
    return 0;
}

static int time_timing(void *ctx, const sa35_system *s, int64_t M, int64_t K,
                       int64_t N, sa35_gemm_io io, sa35_gemm_time *t,
                       sa35_err *err)
{
    (void)ctx;
    return run(s, "timing", M, K, N, io, t, err);
}

static int time_sim(void *ctx, const sa35_system *s, int64_t M, int64_t K,
                       int64_t N, sa35_gemm_io io, sa35_gemm_time *t,
                       sa35_err *err)
{
    (void)ctx;
    return run(s, "sim", M, K, N, io, t, err);
}

const sa35_gemm_engine *sa35_gemm_engine_timing(void)
{
    static const sa35_gemm_engine e = {
        "sim/ timing model on compiler/'s program (sa35_sim_gemm, timing)",
        time_timing, NULL};
    return &e;
}

const sa35_gemm_engine *sa35_gemm_engine_sim(void)
{
    static const sa35_gemm_engine e = {
        "sim/ cycle-accurate simulator on compiler/'s program "
        "(sa35_sim_gemm, sim)",
        time_sim, NULL};
    return &e;
}
