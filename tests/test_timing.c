/* test_timing.c: the worked example of docs/architecture.md, cycle by
 * cycle: a 3 x 6 x 3 GEMM on a 2 x 2 array (L = 1, 8 accumulator rows).
 * The issue and start cycles below were computed by hand from the timing
 * rules; the timing model and the cycle-accurate simulator must both give
 * 23 cycles (25 with group-scaled weights). Also the steady-state period
 * of long tile sequences, per column and group-scaled. */
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
    /* rows + C - 1 per ldw: 2 + 1 + 2 + 1 rows, C = 2 */
    CHECK(st.weight_load_cycles == (2 + 1) + (1 + 1) + (2 + 1) + (1 + 1));
    sa35_program_free(&p);

    /* the simulator on data */
    uint64_t rng = 6;
    sa35_qweights q = {0};
    simt_weights(&q, 6, 3, 0, &rng);
    int8_t A[18];
    simt_acts(A, 18, 0, &rng);
    simt_result r;
    CHECK(simt_run(&a, A, 3, &q, 1, &r, &err) == 0);
    CHECK(simt_stats(&r, "sim")->cycles == 23 &&
          simt_stats(&r, "timing")->cycles == 23);
    CHECK(memcmp(simt_acc(&r, "sim"), r.acc_golden, sizeof(int32_t) * 9) ==
          0);
    CHECK_MSG(simt_check(&r, 3, 3), "%s", r.why);
    simt_free(&r);
    sa35_qweights_free(&q);
}

/* The worked example with group-scaled weights in groups of G = 4 (one
 * K tile each; the second group has 2 k-values, one PE row): ldw.gs
 * lanes are busy a cycle more, each ldw.gs ends a cycle later, and the
 * one-row tiles wait for X >= Sp + R + 1 - n; the table in
 * docs/architecture.md, computed by hand. 25 cycles. */
static void worked_example_groups(void)
{
    sa35_arch a;
    sa35_arch_default(&a);
    a.rows = 2, a.cols = 2, a.acc_rows = 8;
    sa35_gemm_plan plan;
    sa35_program p;
    sa35_err err;
    CHECK(sa35_compile_gemm_group(&a, 3, 6, 3, 4, &plan, &p, &err) == 0);
    static const int64_t want_issue[] = {0,  1,  2,  3,  4,  6,  7,  8, 9,
                                         10, 11, 13, 14, 15, 18, 19, 24};
    static const int64_t want_start[] = {0,  1,  2,  3,  4,  6,  7,  8, 9,
                                         10, 11, 13, 15, 15, 18, 21, 24};
    enum { N = sizeof want_issue / sizeof want_issue[0] };
    CHECK(p.count == N);
    int64_t issue[N], start[N];
    sa35_stats st;
    CHECK(sa35_timing_schedule(&a, &p, &st, issue, start, &err) == 0);
    for (size_t i = 0; i < N && i < p.count; i++) {
        const sa35_instr *in = &p.ins[i];
        CHECK_MSG(in->op != SA35_OP_LDW || in->flags == SA35_LDW_GS,
                  "instruction %zu", i);
        CHECK_MSG(in->op != SA35_OP_MM || (in->flags & SA35_MM_GS),
                  "instruction %zu", i);
        CHECK_MSG(in->op != SA35_OP_OUT || in->flags == SA35_OUT_FP,
                  "instruction %zu", i);
        CHECK_MSG(issue[i] == want_issue[i], "instruction %zu issued at "
                  "%lld", i, (long long)issue[i]);
        CHECK_MSG(start[i] == want_start[i], "instruction %zu started at "
                  "%lld", i, (long long)start[i]);
    }
    CHECK(st.cycles == 25);
    CHECK(st.fill_cycles == 4 && st.stall_cycles == 2 &&
          st.stream_cycles == 12 && st.drain_cycles == 7);
    /* rows + C per ldw.gs */
    CHECK(st.weight_load_cycles == (2 + 2) + (1 + 2) + (2 + 2) + (1 + 2));
    sa35_program_free(&p);
    uint64_t rng = 7;
    sa35_qweights q = {0};
    simt_weights_group(&q, SA35_PE_SA35, 6, 3, 4, 0, &rng);
    int8_t A[18];
    simt_acts(A, 18, 0, &rng);
    simt_result r;
    CHECK(simt_run(&a, A, 3, &q, 1, &r, &err) == 0);
    CHECK(simt_stats(&r, "sim")->cycles == 25);
    CHECK_MSG(simt_check(&r, 3, 3), "%s", r.why);
    simt_free(&r);
    sa35_qweights_free(&q);
}

/* Cycles of the timing model for T full K tiles of n PE rows of an
 * M x K x C GEMM (one column tile, one M block); G: group scaling with
 * groups of 2n k-values (0: per column, n = R). */
static uint64_t gtiles_cycles(const sa35_arch *a, int64_t M, int64_t n,
                              int64_t G, int64_t T)
{
    sa35_gemm_plan plan;
    sa35_program p;
    sa35_err err;
    sa35_stats st = {0};
    CHECK(sa35_compile_gemm_group(a, M, 2 * n * T, a->cols, G, &plan, &p,
                                  &err) == 0);
    CHECK(sa35_timing_run(a, &p, &st, &err) == 0);
    sa35_program_free(&p);
    return st.cycles;
}

static uint64_t tiles_cycles(const sa35_arch *a, int64_t M, int64_t T)
{
    return gtiles_cycles(a, M, a->rows, 0, T);
}

/* Many full tiles: L consecutive tiles take max(L m, 3L, R) cycles, the
 * steady state of the recurrences (docs/architecture.md, "A sequence of
 * tiles"): the stream, three instructions a tile, each lane reading R
 * rows. Each case's expected period comes from that rule; the figures
 * the docs quote are among the cases (per tile: 320 for L = 1, 40 for
 * L = 8, 3 for L >= 107 at 320 x 320, M = 1; 16 and 3 on 16 x 4). */
static void steady_state(void)
{
    static const struct {
        int32_t R, C, L;
        int64_t M;
        int64_t per_tile_x1000; /* the docs' figure, 0: none quoted */
    } cases[] = {
        {320, 320, 1, 1, 320000}, /* decode, L = 1 as in the TPU: R       */
        {320, 320, 8, 1, 40000},  /* hbm1's L = 8: R / L                  */
        {320, 320, 106, 1, 0},    /* R / L just above 3: 320 per 106      */
        {320, 320, 107, 1, 3000}, /* 3L >= R: instruction issue binds     */
        {320, 320, 320, 1, 3000},
        {320, 320, 1, 400, 400000}, /* prefill: the stream, L m          */
        {16, 4, 1, 1, 16000},     /* tall, L = 1: the load path           */
        {16, 4, 16, 1, 3000},     /* tall, L = R: issue                   */
        {8, 8, 1, 50, 50000},     /* streaming-bound                      */
        {8, 16, 4, 3, 0},         /* wide: C no longer binds (3L = 12)    */
        {8, 8, 3, 2, 0},          /* R < 3L: 9 per 3 tiles                */
        {7, 5, 2, 4, 0},          /* L m = 8 > R = 7                      */
        {13, 3, 4, 1, 0},         /* R = 13 > 3L = 12                     */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sa35_arch a;
        sa35_arch_default(&a);
        a.rows = cases[i].R, a.cols = cases[i].C, a.load_rows = cases[i].L;
        const int64_t L = a.load_rows, M = cases[i].M;
        int64_t period = L * M; /* cycles per L tiles, by the rule */
        if (period < 3 * L)
            period = 3 * L;
        if (period < a.rows)
            period = a.rows;
        if (cases[i].per_tile_x1000)
            CHECK_MSG(1000 * period == cases[i].per_tile_x1000 * L,
                      "case %zu: the rule gives %lld per %lld tiles", i,
                      (long long)period, (long long)L);
        /* settle over 4L tiles, then 4L more must take 4 periods */
        const int64_t T = 4 * L + 8, more = 4 * L;
        uint64_t c1 = tiles_cycles(&a, M, T), c2 = tiles_cycles(&a, M, T + more);
        CHECK_MSG((int64_t)(c2 - c1) == 4 * period,
                  "case %zu (%dx%d L=%d M=%lld): %lld more tiles took %llu "
                  "cycles, the rule says %lld",
                  i, a.rows, a.cols, a.load_rows, (long long)M,
                  (long long)more, (unsigned long long)(c2 - c1),
                  (long long)(4 * period));
    }
}

/* Group-scaled tiles of n PE rows (groups of 2n k-values): the lane reads
 * n + 1 cycles (the scale words), and an ldw.gs waits until Sp + R + 1 - n
 * (Sp: the mm.swap before it), which with the dma.ld before the next mm
 * puts mm starts R + 3 - n apart. So L tiles take
 *     max(L m, 3L, n + 1, L (R + 3 - n))
 * which for full tiles (n = R) is max(L m, 3L, R + 1): one cycle more per
 * L tiles than per column (docs/architecture.md). */
static void steady_state_groups(void)
{
    static const struct {
        int32_t R, C, L, n;
        int64_t M;
        int64_t per_tile_x1000; /* the docs' figure, 0: none quoted */
    } cases[] = {
        {320, 320, 1, 320, 1, 321000}, /* G = 640, decode: R + 1        */
        {320, 320, 8, 320, 1, 40125},  /* hbm1's L = 8: (R + 1) / L      */
        {320, 320, 1, 64, 1, 259000},  /* G = 128: R + 3 - n per tile    */
        {320, 320, 8, 64, 1, 259000},  /* ... whatever L                 */
        {320, 320, 1, 64, 64, 259000}, /* ... and M = 64                 */
        {320, 320, 1, 320, 400, 400000}, /* prefill: the stream          */
        {320, 320, 107, 320, 1, 3000}, /* issue-bound                    */
        {16, 4, 1, 16, 1, 17000},      /* tall, L = 1                    */
        {16, 4, 16, 16, 1, 3000},      /* tall, L = R: issue             */
        {8, 8, 1, 3, 50, 50000},       /* streaming-bound, short tiles   */
        {13, 3, 4, 5, 1, 11000},       /* the wait binds: 13 + 3 - 5     */
        {7, 5, 2, 7, 4, 4000},         /* L m = 8 > R + 1 = 8            */
        {6, 6, 3, 1, 1, 8000},         /* one row a tile: 6 + 3 - 1      */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sa35_arch a;
        sa35_arch_default(&a);
        a.rows = cases[i].R, a.cols = cases[i].C, a.load_rows = cases[i].L;
        const int64_t L = a.load_rows, M = cases[i].M, n = cases[i].n;
        int64_t period = L * M; /* cycles per L tiles, by the rule */
        if (period < 3 * L)
            period = 3 * L;
        if (period < n + 1)
            period = n + 1;
        if (period < L * (a.rows + 3 - n))
            period = L * (a.rows + 3 - n);
        CHECK_MSG(1000 * period == cases[i].per_tile_x1000 * L,
                  "case %zu: the rule gives %lld per %lld tiles", i,
                  (long long)period, (long long)L);
        const int64_t T = 4 * L + 8, more = 4 * L;
        uint64_t c1 = gtiles_cycles(&a, M, n, 2 * n, T),
                 c2 = gtiles_cycles(&a, M, n, 2 * n, T + more);
        CHECK_MSG((int64_t)(c2 - c1) == 4 * period,
                  "group case %zu (%dx%d L=%d M=%lld n=%lld): %lld more "
                  "tiles took %llu cycles, the rule says %lld",
                  i, a.rows, a.cols, a.load_rows, (long long)M, (long long)n,
                  (long long)more, (unsigned long long)(c2 - c1),
                  (long long)(4 * period));
    }
}

int main(void)
{
    worked_example();
    worked_example_groups();
    steady_state();
    steady_state_groups();
    return TEST_DONE();
}
