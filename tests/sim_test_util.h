/* sim_test_util.h: what the simulator, timing and compiler tests share:
 * random weights of every PE kind and activations with the worst corners,
 * and one GEMM
 * run through the compiler, the cycle-accurate simulator, the functional
 * executor and the timing model. */
#ifndef SA35_SIM_TEST_UTIL_H
#define SA35_SIM_TEST_UTIL_H

#include "sa35_compiler.h"
#include "sa35_sim.h"
#include "test_util.h"

/* The code of PE kind `pe` with the most negative weight sum whose
 * weights i >= keep are 0 (padded k): -128 x it is the largest product. */
static inline uint32_t simt_extreme_code(const sa35_pe_desc *pe,
                                         uint32_t keep)
{
    uint32_t best = 0;
    int32_t low = 0;
    for (uint32_t code = 0; code < (1u << pe->code_bits); code++) {
        int8_t w[2];
        pe->unpack(code, w);
        if (keep < 2 && w[1] != 0)
            continue;
        if (w[0] + w[1] < low)
            low = w[0] + w[1], best = code;
    }
    return best;
}

/* Random codes for PE kind `pe` (q in its format); mode 1: every code the
 * extreme one (sa35: e = -8, 2c = -8), mode 0: random with the extremes
 * over-represented. Padded k positions hold weight 0. */
static inline void simt_weights_pe(sa35_qweights *q, sa35_pe_kind kind,
                                   int64_t K, int64_t N, int mode,
                                   uint64_t *rng)
{
    sa35_err err;
    const sa35_pe_desc *pe = sa35_pe_info(kind);
    const uint32_t W = pe->code_bits, kpr = pe->k_per_row;
    if (sa35_qweights_alloc(q, pe->fmt, K, N, &err))
        abort();
    const uint32_t full = simt_extreme_code(pe, kpr),
                   part = simt_extreme_code(pe, 1);
    for (int64_t n = 0; n < N; n++) {
        uint8_t *col = q->qweight + (size_t)n * q->colbytes;
        for (int64_t g = 0; (int64_t)kpr * g < K; g++) {
            /* weights of this PE row that are real k (the rest padding) */
            uint32_t keep = K - (int64_t)kpr * g < (int64_t)kpr
                                ? (uint32_t)(K - (int64_t)kpr * g)
                                : kpr;
            uint32_t code = keep == kpr ? full : part;
            if (!mode && test_rand_range(rng, 0, 3) != 0) {
                int8_t w[2];
                do { /* a random code with zero weights in the padding */
                    code = (uint32_t)test_rand_range(rng, 0,
                                                     (1 << W) - 1);
                    pe->unpack(code, w);
                } while (keep < 2 && w[1] != 0);
            }
            sa35_stream_store(col, W * (uint32_t)g, W, code);
        }
        q->scale[n] = 1.0f;
        q->zero[n] = 0.0f;
    }
}

/* The same for SA35 weights (the default PE kind). */
static inline void simt_weights(sa35_qweights *q, int64_t K, int64_t N,
                                int mode, uint64_t *rng)
{
    simt_weights_pe(q, SA35_PE_SA35, K, N, mode, rng);
}

/* Random int8 activations; mode 1: all -128. Some zeros. */
static inline void simt_acts(int8_t *A, int64_t count, int mode,
                             uint64_t *rng)
{
    for (int64_t i = 0; i < count; i++) {
        int64_t v = test_rand_range(rng, -128, 127);
        if (test_rand_range(rng, 0, 7) == 0)
            v = 0;
        if (test_rand_range(rng, 0, 7) == 0)
            v = -128;
        A[i] = (int8_t)(mode ? -128 : v);
    }
}

typedef struct simt_result {
    sa35_stats sim, sim_scalar, sim_ref, timing;
    int32_t *acc_sim, *acc_scalar, *acc_ref, *acc_func, *acc_golden; /* MxN */
} simt_result;

static inline void simt_free(simt_result *r)
{
    free(r->acc_sim), free(r->acc_scalar), free(r->acc_ref);
    free(r->acc_func), free(r->acc_golden);
}

/* Compile and run one GEMM on every engine: the simulator with its
 * default kernel (AVX2 here), and with both_kernels also with the scalar
 * one and the reference array (every PE every cycle). Returns 0, or -1
 * with err. */
static inline int simt_run(const sa35_arch *arch0, const int8_t *A,
                           int64_t M, const sa35_qweights *q,
                           int both_kernels, simt_result *r, sa35_err *err)
{
    memset(r, 0, sizeof *r);
    sa35_gemm_plan plan;
    sa35_program prog;
    if (sa35_compile_gemm(arch0, M, q->K, q->N, &plan, &prog, err))
        return -1;
    sa35_arch a = *arch0;
    a.sram_bytes = plan.sram_bytes;
    a.dram_bytes = plan.dram_bytes;
    size_t out = (size_t)(M * q->N) * sizeof(int32_t);
    r->acc_sim = calloc(1, out), r->acc_scalar = calloc(1, out);
    r->acc_ref = calloc(1, out);
    r->acc_func = calloc(1, out), r->acc_golden = calloc(1, out);
    int rc = sa35_timing_run(&a, &prog, &r->timing, err);
    for (int pass = 0; pass < 4 && !rc; pass++) {
        if ((pass == 1 || pass == 3) && !both_kernels)
            continue;
        sa35_mem mem = {calloc(1, plan.dram_bytes), plan.dram_bytes,
                        calloc(1, plan.sram_bytes), plan.sram_bytes};
        if (!mem.dram || !mem.sram)
            abort();
        sa35_gemm_image(&plan, A, q, mem.dram);
        if (pass == 2) {
            sa35_func f;
            rc = sa35_func_init(&f, &a, mem, err);
            if (!rc) {
                sa35_func_run(&f, &prog);
                sa35_func_free(&f);
                sa35_gemm_read_output(&plan, mem.dram, r->acc_func);
            }
        } else {
            sa35_sim_opts o = {pass == 0   ? SA35_KERNEL_AUTO
                               : pass == 1 ? SA35_KERNEL_SCALAR
                                           : SA35_KERNEL_REF,
                               NULL, NULL};
            sa35_stats *st = pass == 0   ? &r->sim
                             : pass == 1 ? &r->sim_scalar
                                         : &r->sim_ref;
            rc = sa35_sim_run(&a, &prog, mem, &o, st, err);
            sa35_gemm_read_output(&plan, mem.dram,
                                  pass == 0   ? r->acc_sim
                                  : pass == 1 ? r->acc_scalar
                                              : r->acc_ref);
        }
        free(mem.dram);
        free(mem.sram);
    }
    sa35_gemm_acc(A, M, q, r->acc_golden, NULL);
    sa35_program_free(&prog);
    return rc;
}

/* The data-independent counters both engines report. */
static inline int simt_same_counters(const sa35_stats *x, const sa35_stats *y)
{
    return x->cycles == y->cycles && x->instructions == y->instructions &&
           x->macs == y->macs && x->pe_busy_cycles == y->pe_busy_cycles &&
           x->weight_loads == y->weight_loads &&
           x->weight_load_cycles == y->weight_load_cycles &&
           x->stream_cycles == y->stream_cycles &&
           x->fill_cycles == y->fill_cycles &&
           x->stall_cycles == y->stall_cycles &&
           x->drain_cycles == y->drain_cycles &&
           x->sram_read_bytes == y->sram_read_bytes &&
           x->sram_write_bytes == y->sram_write_bytes &&
           x->dram_read_bytes == y->dram_read_bytes &&
           x->dram_write_bytes == y->dram_write_bytes;
}

static inline int simt_same_activity(const sa35_stats *x, const sa35_stats *y)
{
    return x->toggles_psum == y->toggles_psum &&
           x->toggles_act == y->toggles_act &&
           x->toggles_skew == y->toggles_skew &&
           x->toggles_weight == y->toggles_weight &&
           x->act_operands == y->act_operands &&
           x->zero_act_operands == y->zero_act_operands &&
           x->weight_operands == y->weight_operands &&
           x->zero_weight_operands == y->zero_weight_operands;
}

#endif
