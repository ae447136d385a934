/* test_timing.c: the worked example of docs/architecture.md, cycle by
 * cycle: a 3 x 6 x 3 GEMM on a 2 x 2 array (L = 1, 8 accumulator rows).
 * The issue and start cycles below were computed by hand from the timing
 * rules; the timing model and the cycle-accurate simulator must both give
 * 23 cycles. Also the steady-state period of long tile sequences. */
#include "sim_test_util.h"

static void worked_example(void)
{
    sa35_arch a;
    sa35_arch_default(&a);
    a.rows = 2, a.cols = 2, a.acc_rows = 8;
    sa35_gemm_plan plan;
    sa35_program p;
    sa35_err err;
    CHECK(sa35_compile_gemm(&a, 3, 6, 3, &plan, &p, &err) == 0);
    static const int64_t want_issue[] = {0,  1,  2,  3,  4,  5,  6,  7, 8,
                                         9,  10, 11, 12, 13, 16, 17, 22};
    static const int64_t want_start[] = {0,  1,  2,  3,  4,  5,  6,  7, 8,
                                         9,  10, 11, 13, 13, 16, 19, 22};
    static const uint8_t want_op[] = {
        SA35_OP_DMA_LD, SA35_OP_LDW, SA35_OP_DMA_LD, SA35_OP_DMA_LD,
        SA35_OP_MM,     SA35_OP_LDW, SA35_OP_DMA_LD, SA35_OP_MM,
        SA35_OP_LDW,    SA35_OP_DMA_LD, SA35_OP_MM,  SA35_OP_LDW,
        SA35_OP_OUT,    SA35_OP_MM,  SA35_OP_DMA_ST, SA35_OP_OUT,
        SA35_OP_DMA_ST};
    enum { N = sizeof want_issue / sizeof want_issue[0] };
    CHECK(p.count == N);
    int64_t issue[N], start[N];
    sa35_stats st;
    CHECK(sa35_timing_schedule(&a, &p, &st, issue, start, &err) == 0);
    for (size_t i = 0; i < N && i < p.count; i++) {
        CHECK_MSG(p.ins[i].op == want_op[i], "instruction %zu", i);
        CHECK_MSG(issue[i] == want_issue[i], "instruction %zu issued at "
                  "%lld", i, (long long)issue[i]);
        CHECK_MSG(start[i] == want_start[i], "instruction %zu started at "
                  "%lld", i, (long long)start[i]);
    }
    CHECK(st.cycles == 23);
    CHECK(st.fill_cycles == 4 && st.stall_cycles == 0 &&
          st.stream_cycles == 12 && st.drain_cycles == 7);
    CHECK(st.macs == 2ull * 3 * (2 * 2 + 1 * 2 + 2 * 1 + 1 * 1));
    CHECK(st.weight_load_cycles == 2 + 1 + 2 + 1);
    sa35_program_free(&p);

    /* the simulator on data */
    uint64_t rng = 6;
    sa35_qweights q = {0};
    simt_weights(&q, 6, 3, 0, &rng);
    int8_t A[18];
    simt_acts(A, 18, 0, &rng);
    simt_result r;
    CHECK(simt_run(&a, A, 3, &q, 1, &r, &err) == 0);
    CHECK(r.sim.cycles == 23 && r.timing.cycles == 23);
    CHECK(memcmp(r.acc_sim, r.acc_golden, sizeof(int32_t) * 9) == 0);
    simt_free(&r);
    sa35_qweights_free(&q);
}

/* Many full tiles: two consecutive tiles take max(2m, 2C, 2 ceil(R/L),
 * R + C + 1) cycles, the steady state of the recurrences
 * (docs/architecture.md): the stream, the swap wave crossing the columns,
 * the load path, and the load engine following the previous wave. */
static void steady_state(void)
{
    static const struct {
        int32_t R, C, L;
        int64_t M;
        int64_t two_tiles; /* by hand from the formula */
    } cases[] = {
        {8, 8, 1, 1, 17},    /* decode: the wave bound (R + C + 1)      */
        {8, 8, 1, 50, 100},  /* streaming-bound: 2m                     */
        {8, 8, 8, 1, 17},    /* a fast load path does not beat the wave */
        {8, 16, 4, 3, 32},   /* wide: the wave crossing 2C              */
        {16, 4, 1, 1, 32},   /* tall, L = 1: the load path 2R           */
        {16, 4, 16, 1, 21},  /* tall, L = R: R + C + 1, 1.5x faster     */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sa35_arch a;
        sa35_arch_default(&a);
        a.rows = cases[i].R, a.cols = cases[i].C, a.load_rows = cases[i].L;
        int64_t K = 2 * a.rows * 40; /* 40 full K tiles, one column tile */
        sa35_gemm_plan plan;
        sa35_program p;
        sa35_err err;
        sa35_stats s1, s2;
        CHECK(sa35_compile_gemm(&a, cases[i].M, K, a.cols, &plan, &p,
                                &err) == 0);
        CHECK(sa35_timing_run(&a, &p, &s1, &err) == 0);
        sa35_program_free(&p);
        CHECK(sa35_compile_gemm(&a, cases[i].M, 2 * K, a.cols, &plan, &p,
                                &err) == 0);
        CHECK(sa35_timing_run(&a, &p, &s2, &err) == 0);
        sa35_program_free(&p);
        CHECK_MSG((int64_t)(s2.cycles - s1.cycles) == 20 * cases[i].two_tiles,
                  "case %zu: 40 more tiles took %llu cycles", i,
                  (unsigned long long)(s2.cycles - s1.cycles));
    }
}

int main(void)
{
    worked_example();
    steady_state();
    return TEST_DONE();
}
