/* test_sim_equal.c: the regression that is the point of the two engines.
 * 1,200+ random GEMM programs (PE kind, M, K, N, R, C, load width,
 * accumulator depth), edge cases first on every PE kind, each compiled and
 * run on every engine of the library (sa35_engines: the functional
 * executor, the cycle-accurate simulator with each kernel, the timing
 * model), each product checked against its reference (simt_check):
 * identical cycles and counters, accumulators identical to the golden
 * model, and the data-dependent counters (toggles, zero operands) of the
 * optimized kernels identical to the reference array's (every PE every
 * cycle, sim/cyc_kernel_ref.c). Arrays are small so that the suite stays
 * fast under the sanitizers; a few larger ones follow. Each program's schedule is
 * also checked for the compiler's weight slots (no dma.ld rewrites bytes
 * an ldw in flight has still to read), and the suite must contain
 * programs with several ldws in flight on L > 1 lanes. Group-scaled
 * weights (ldw.gs, mm.gs, out.fp) run the same way: their float32
 * accumulators' bits must equal the golden model's. */
#include "sim_test_util.h"

typedef struct shape {
    int64_t M, K, N;
    int32_t R, C, L, acc;
    int wmode, amode;
    sa35_pe_kind pe;
    int32_t grows; /* group scaling: G = k per PE row x grows (0: none) */
} shape;

/* The group size of s on its PE kind: grows PE rows (0: per column). */
static int64_t group_of(const shape *s)
{
    return (int64_t)sa35_pe_info(s->pe)->k_per_row * s->grows;
}

/* From the timing model's schedule of the compiled program: the most ldws
 * reading SRAM at once (ldw issued at X with n rows reads in cycles
 * X .. X + n - 1, an ldw.gs its scale words in X + n too), and a CHECK
 * that no dma.ld issued in one of those cycles writes a row (or the scale
 * words) the ldw has not read yet (the compiler's weight slot count,
 * sa35_compiler.h). */
static int ldws_in_flight(const sa35_arch *arch, const shape *s)
{
    sa35_gemm_plan plan;
    sa35_program p;
    sa35_err err;
    sa35_stats st;
    if (sa35_compile_gemm_group(arch, s->M, s->K, s->N, group_of(s), &plan,
                                &p, &err))
        return 0; /* check_one reports it */
    /* the plan's length is the program's, in one allocation (the memory
     * budget of sa35 sim and gemm is weighed on it before compiling) */
    CHECK_MSG(p.count == plan.instructions && p.cap == p.count,
              "%zu instructions, %zu allocated, the plan says %llu", p.count,
              p.cap, (unsigned long long)plan.instructions);
    sa35_arch a = *arch;
    a.sram_bytes = plan.sram_bytes, a.dram_bytes = plan.dram_bytes;
    int64_t *issue = malloc(p.count * sizeof *issue);
    CHECK(issue && sa35_timing_schedule(&a, &p, &st, issue, NULL, &err) == 0);
    int most = 0;
    for (size_t i = 0; i < p.count; i++) {
        const sa35_instr *l = &p.ins[i];
        if (l->op != SA35_OP_LDW)
            continue;
        const int gs = (l->flags & SA35_LDW_GS) != 0;
        const int64_t X = issue[i], stop = X + l->rows + gs;
        const uint64_t rb = sa35_tile_rowbytes(arch, l->cols);
        int inflight = 1;
        for (size_t k = 0; k < i; k++) /* earlier ldws still reading */
            if (p.ins[k].op == SA35_OP_LDW &&
                issue[k] + p.ins[k].rows +
                        !!(p.ins[k].flags & SA35_LDW_GS) > X)
                inflight++;
        if (inflight > most)
            most = inflight;
        for (size_t k = i + 1; k < p.count && issue[k] < stop; k++) {
            const sa35_instr *d = &p.ins[k];
            if (d->op != SA35_OP_DMA_LD)
                continue;
            /* rows r with X + r >= its issue are read after it wrote */
            uint64_t lo = l->sram + (uint64_t)(issue[k] - X) * rb,
                     hi = l->sram + sa35_ldw_bytes(arch, l);
            CHECK_MSG(d->sram + d->bytes <= lo || d->sram >= hi,
                      "M=%lld K=%lld N=%lld on %dx%d L=%d: dma.ld %zu "
                      "rewrites rows ldw %zu has still to read",
                      (long long)s->M, (long long)s->K, (long long)s->N, s->R,
                      s->C, s->L, k, i);
        }
    }
    free(issue);
    sa35_program_free(&p);
    return most;
}

/* Returns the most ldws in flight at once (ideal memory) or 0. With
 * off-chip bytes per cycle num/den (num 0: the ideal memory) and latency
 * lat, the SRAM scoreboard, not the slot count, keeps a dma.ld off rows an
 * ldw still reads: the comparison with the golden model checks it. */
static int check_mem_io(const shape *s, uint32_t num, uint32_t den,
                        int32_t lat, sa35_gemm_io io, uint64_t *rng)
{
    sa35_arch a;
    sa35_arch_default(&a);
    a.rows = s->R, a.cols = s->C, a.load_rows = s->L, a.acc_rows = s->acc;
    a.dram_bw_num = num, a.dram_bw_den = den, a.dram_latency = lat;
    a.pe = s->pe;
    const int inflight = num || io ? 0 : ldws_in_flight(&a, s);
    sa35_qweights q = {0};
    if (s->grows)
        simt_weights_group(&q, s->pe, s->K, s->N, group_of(s), s->wmode,
                           rng);
    else
        simt_weights_pe(&q, s->pe, s->K, s->N, s->wmode, rng);
    int8_t *A = malloc((size_t)(s->M * s->K));
    simt_acts(A, s->M * s->K, s->amode, rng);
    simt_result r;
    sa35_err err;
    int rc = simt_run_io(&a, A, s->M, &q, 1, io, &r, &err);
    const int ok = rc == 0 && simt_check(&r, s->M, s->N);
    CHECK_MSG(ok, "M=%lld K=%lld N=%lld G=%lld on %dx%d %s L=%d acc=%d "
                  "memory %u/%u lat %d io %s: %s",
              (long long)s->M, (long long)s->K, (long long)s->N,
              (long long)group_of(s), s->R, s->C, sa35_pe_info(s->pe)->name,
              s->L, s->acc, num, den, lat, io ? "sram" : "dram",
              rc ? err.msg : r.why);
    size_t registered = 0;
    for (const sa35_engine *const *e = sa35_engines(); *e; e++)
        registered++;
    CHECK(rc || r.n == registered); /* every engine ran it */
    simt_free(&r);
    free(A);
    sa35_qweights_free(&q);
    return inflight;
}

static int check_mem(const shape *s, uint32_t num, uint32_t den, int32_t lat,
                     uint64_t *rng)
{
    return check_mem_io(s, num, den, lat, SA35_GEMM_IO_DRAM, rng);
}

/* With io SRAM (activations and outputs on chip, as a layer program
 * leaves them): the same checks, and a program of exactly the weights'
 * DMA (a dma.ld per tile), no activation load, no output store. */
static void check_io_sram(const shape *s, uint32_t num, uint32_t den,
                          int32_t lat, uint64_t *rng)
{
    check_mem_io(s, num, den, lat, SA35_GEMM_IO_SRAM, rng);
    sa35_arch a;
    sa35_arch_default(&a);
    a.rows = s->R, a.cols = s->C, a.load_rows = s->L, a.acc_rows = s->acc;
    a.dram_bw_num = num, a.dram_bw_den = den, a.dram_latency = lat;
    a.pe = s->pe;
    sa35_gemm_plan plan;
    sa35_program p;
    sa35_err err;
    CHECK(sa35_compile_gemm_io(&a, s->M, s->K, s->N, group_of(s),
                               SA35_GEMM_IO_SRAM, &plan, &p, &err) == 0);
    size_t dma = 0, ldw = 0, outs = 0;
    for (size_t i = 0; i < p.count; i++) {
        dma += p.ins[i].op == SA35_OP_DMA_LD || p.ins[i].op == SA35_OP_DMA_ST;
        ldw += p.ins[i].op == SA35_OP_LDW;
        outs += p.ins[i].op == SA35_OP_OUT;
    }
    CHECK_MSG(dma == ldw && p.count == plan.instructions &&
                  outs == (size_t)(plan.mblocks * plan.ntiles) &&
                  plan.dram_bytes ==
                      ((uint64_t)plan.ntiles * plan.wcol_bytes + 63) / 64 * 64,
              "io sram M=%lld K=%lld N=%lld: %zu dma for %zu ldw, %zu of "
              "%llu instructions, %llu bytes off-chip",
              (long long)s->M, (long long)s->K, (long long)s->N, dma, ldw,
              p.count, (unsigned long long)plan.instructions,
              (unsigned long long)plan.dram_bytes);
    sa35_program_free(&p);
}

static int check_one(const shape *s, uint64_t *rng)
{
    return check_mem(s, 0, 1, 0, rng);
}

/* A random program's shape (PE kind, array, lanes, accumulators, GEMM,
 * extreme data now and then); grouped: with group scaling, a third of
 * them in groups of the full K tile, the rest shorter. */
static shape random_shape(uint64_t *rng, int grouped)
{
    shape s;
    s.pe = (sa35_pe_kind)test_rand_range(rng, 0, SA35_PE_COUNT - 1);
    s.R = (int32_t)test_rand_range(rng, 1, 16);
    s.C = (int32_t)test_rand_range(rng, 1, 16);
    s.L = (int32_t)test_rand_range(rng, 1, s.R);
    s.acc = 2 * (int32_t)test_rand_range(rng, 1, 24);
    /* mostly small, one in four up to several M blocks and tiles */
    int64_t big = test_rand_range(rng, 0, 3) == 0;
    s.M = test_rand_range(rng, 1, big ? 80 : 12);
    s.K = test_rand_range(rng, 1, big ? 260 : 40);
    s.N = test_rand_range(rng, 1, big ? 70 : 24);
    s.wmode = test_rand_range(rng, 0, 15) == 0;
    s.amode = s.wmode && test_rand_range(rng, 0, 1);
    s.grows = 0;
    if (grouped) {
        s.grows = (int32_t)test_rand_range(rng, 1, s.R);
        if (test_rand_range(rng, 0, 2) == 0)
            s.grows = s.R; /* the full K tile, the co-designed group */
    }
    return s;
}

/* check_one, or with `memory` through an off-chip memory of 1/5 .. 48
 * bytes a cycle and up to 30 cycles of latency. */
static int check_random(const shape *s, int memory, uint64_t *rng)
{
    if (!memory)
        return check_one(s, rng);
    uint32_t num = (uint32_t)test_rand_range(rng, 1, 48),
             den = (uint32_t)test_rand_range(rng, 1, 5);
    return check_mem(s, num, den, (int32_t)test_rand_range(rng, 0, 30), rng);
}

int main(void)
{
    uint64_t rng = 35;
    static const shape edges[] = {
        /* M  K   N   R  C  L acc w a pe grows (each kind below) */
        {1, 1, 1, 1, 1, 1, 2, 0, 0, 0, 0}, /* the smallest everything     */
        {1, 16, 1, 1, 1, 1, 2, 1, 1, 0, 0}, /* -128 x -8 on a 1x1 array    */
        {3, 7, 5, 4, 4, 1, 8, 1, 1, 0, 0}, /* K < 16, odd                 */
        {5, 17, 3, 8, 4, 2, 16, 0, 0, 0, 0}, /* K not a multiple of 16      */
        {2, 40, 9, 4, 8, 1, 16, 0, 0, 0, 0}, /* K not a multiple of 2R      */
        {4, 8, 3, 4, 8, 4, 16, 0, 0, 0, 0}, /* one tile, N < C, L = R      */
        {9, 50, 4, 16, 2, 3, 8, 0, 0, 0, 0}, /* tall array, M blocks        */
        {6, 9, 70, 2, 16, 1, 4, 1, 1, 0, 0}, /* wide array, acc of 2 rows   */
        {1, 300, 40, 8, 8, 1, 64, 0, 0, 0, 0}, /* decode: M = 1               */
        {33, 64, 24, 8, 8, 8, 64, 1, 1, 0, 0}, /* worst corner, several tiles */
    };
    /* L > 1 with several ldws in flight (R > 3: ldws issue >= 3 cycles
     * apart), tiles with fewer rows than R and fewer columns than C */
    static const shape lanes[] = {
        /* M  K    N   R   C  L acc w a pe */
        {1, 327, 13, 16, 16, 4, 16, 0, 0, 0, 0}, /* decode, lane-bound, short  */
        {1, 300, 40, 16, 16, 16, 8, 0, 0, 0, 0}, /* L = R: issue-bound         */
        {2, 215, 20, 12, 9, 3, 8, 1, 1, 0, 0}, /* columns 9, 9, 2; worst     */
        {1, 97, 5, 16, 3, 5, 4, 0, 0, 0, 0}, /* C < L, rows 16,16,16,1     */
        {5, 140, 7, 13, 8, 2, 10, 0, 0, 0, 0}, /* M blocks, 2 lanes          */
        {1, 250, 17, 9, 1, 3, 2, 0, 0, 0, 0}, /* one column                 */
    };
    /* the edge and lane cases on every PE kind */
    size_t ne = sizeof edges / sizeof edges[0],
           nl = sizeof lanes / sizeof lanes[0];
    for (int k = 0; k < SA35_PE_COUNT; k++) {
        for (size_t i = 0; i < ne; i++) {
            shape s = edges[i];
            s.pe = (sa35_pe_kind)k;
            check_one(&s, &rng);
        }
        for (size_t i = 0; i < nl; i++) {
            shape s = lanes[i];
            s.pe = (sa35_pe_kind)k;
            CHECK_MSG(check_one(&s, &rng) >= 2,
                      "lanes case %zu on %s: fewer than 2 ldws in flight", i,
                      sa35_pe_info(s.pe)->name);
        }
    }
    int count = (int)(SA35_PE_COUNT * (ne + nl));
    int multi = 0; /* random programs with several ldws in flight */
    int per_kind[SA35_PE_COUNT] = {0};
    for (; count < 1200; count++) {
        shape s = random_shape(&rng, 0);
        per_kind[s.pe]++;
        multi += check_random(&s, count % 2, &rng) >= 2;
    }
    /* group scaling (ldw.gs, mm.gs, out.fp): groups of the full K tile
     * and shorter ones (grows < R: the ldw.gs wait), partial last groups,
     * one group holding all of K, M blocks, column tiles, L > 1, on every
     * PE kind; then random ones, half through an off-chip memory */
    static const shape groups[] = {
        /* M  K    N   R   C  L acc w a pe grows */
        {1, 1, 1, 1, 1, 1, 2, 0, 0, 0, 1},    /* the smallest             */
        {3, 40, 5, 4, 4, 1, 8, 0, 0, 0, 4},   /* full tiles, last partial */
        {3, 40, 5, 4, 4, 1, 8, 0, 0, 0, 3},   /* 3 of 4 rows, partial     */
        {2, 33, 9, 8, 4, 1, 8, 0, 0, 0, 1},   /* one row a group: the wait*/
        {5, 50, 7, 8, 5, 3, 8, 0, 0, 0, 8},   /* L = 3, full              */
        {5, 50, 7, 8, 5, 3, 8, 0, 0, 0, 2},   /* L = 3, short             */
        {1, 300, 13, 16, 16, 4, 16, 0, 0, 0, 16}, /* decode, lane-bound  */
        {1, 300, 13, 16, 16, 16, 16, 0, 0, 0, 5}, /* L = R, short        */
        {9, 61, 3, 6, 3, 2, 4, 0, 0, 0, 4},   /* M blocks, odd K          */
        {4, 7, 6, 8, 8, 1, 8, 0, 0, 0, 8},    /* one group: all of K      */
        {33, 64, 24, 8, 8, 8, 64, 1, 1, 0, 8}, /* the worst corner       */
        {6, 45, 70, 3, 16, 2, 4, 1, 0, 0, 2}, /* wide, extreme weights    */
    };
    const size_t ng = sizeof groups / sizeof groups[0];
    for (int k = 0; k < SA35_PE_COUNT; k++)
        for (size_t i = 0; i < ng; i++, count++) {
            shape s = groups[i];
            s.pe = (sa35_pe_kind)k;
            check_one(&s, &rng);
            check_mem(&s, 3, 2, 7, &rng); /* 1.5 bytes a cycle, 7 latency */
        }
    int per_group_kind[SA35_PE_COUNT] = {0};
    for (int g = 0; g < 300; g++, count++) {
        shape s = random_shape(&rng, 1);
        per_group_kind[s.pe]++;
        check_random(&s, g % 2, &rng);
    }
    for (int k = 0; k < SA35_PE_COUNT; k++)
        CHECK(per_group_kind[k] >= 70);
    /* activations and outputs on chip (io SRAM): the edge cases on every
     * PE kind, then random ones, a third group-scaled, half through an
     * off-chip memory */
    for (int k = 0; k < SA35_PE_COUNT; k++)
        for (size_t i = 0; i < ne; i++, count++) {
            shape s = edges[i];
            s.pe = (sa35_pe_kind)k;
            check_io_sram(&s, 0, 1, 0, &rng);
        }
    for (int g = 0; g < 240; g++, count++) {
        shape s = random_shape(&rng, g % 3 == 0);
        if (g % 2)
            check_io_sram(&s, (uint32_t)test_rand_range(&rng, 1, 48),
                          (uint32_t)test_rand_range(&rng, 1, 5),
                          (int32_t)test_rand_range(&rng, 0, 30), &rng);
        else
            check_io_sram(&s, 0, 1, 0, &rng);
    }
    /* a few larger arrays, the default among them */
    static const shape big[] = {
        {20, 300, 70, 64, 64, 1, 4096, 0, 0, 0, 0},
        {3, 700, 330, 320, 320, 1, 4096, 0, 0, 0, 0},
        {2, 200, 40, 100, 17, 7, 4096, 1, 1, 0, 0},
    };
    for (int k = 0; k < SA35_PE_COUNT; k++)
        for (size_t i = 0; i < sizeof big / sizeof big[0]; i++, count++) {
            shape s = big[i];
            s.pe = (sa35_pe_kind)k;
            check_one(&s, &rng);
        }
    /* group-scaled on 320 x 320: G = kR (640 for sa35) and G = 128 */
    static const shape big_groups[] = {
        {3, 1400, 330, 320, 320, 1, 4096, 0, 0, 0, 320},
        {2, 700, 40, 320, 320, 8, 4096, 0, 0, 0, 64},
    };
    for (int k = 0; k < SA35_PE_COUNT; k++)
        for (size_t i = 0; i < 2; i++, count++) {
            shape s = big_groups[i];
            s.pe = (sa35_pe_kind)k;
            if (i == 1) /* 128 k-values whatever the kind */
                s.grows = 128 / (int32_t)sa35_pe_info(s.pe)->k_per_row;
            check_one(&s, &rng);
        }
    /* a group that is not one K tile: the error names the array's tile */
    {
        sa35_arch a;
        sa35_arch_default(&a);
        sa35_gemm_plan plan;
        sa35_program p;
        sa35_err err;
        CHECK(sa35_compile_gemm_group(&a, 1, 8192, 640, 1280, &plan, &p,
                                      &err) != 0);
        CHECK_MSG(strcmp(err.msg, "group size 1280 does not fit the 320x320 "
                                  "array's K-tile of 640 k-values (2 per PE "
                                  "row x 320 rows): G must be at most 640 "
                                  "and a multiple of 2") == 0,
                  "%s", err.msg);
        CHECK(sa35_compile_gemm_group(&a, 1, 8192, 640, 66, &plan, &p,
                                      &err) == 0);
        sa35_program_free(&p);
        CHECK(sa35_compile_gemm_group(&a, 1, 8192, 640, 65, &plan, &p,
                                      &err) != 0 &&
              strstr(err.msg, "group size 65 does not fit"));
        /* one group of all of K fits as K does */
        CHECK(sa35_compile_gemm_group(&a, 1, 600, 640, 1280, &plan, &p,
                                      &err) == 0);
        sa35_program_free(&p);
        a.pe = SA35_PE_INT8;
        CHECK(sa35_compile_gemm_group(&a, 1, 8192, 640, 640, &plan, &p,
                                      &err) != 0);
        CHECK_MSG(strstr(err.msg, "K-tile of 320 k-values (1 per PE row x "
                                  "320 rows): G must be at most 320"),
                  "%s", err.msg);
        /* the engines say so too, before running anything */
        sa35_stats st;
        CHECK(sa35_sim_gemm_group(&a, sa35_engine_find("timing"), 1, 8192,
                                  640, 640, NULL, NULL, NULL, NULL, &st,
                                  &err) != 0 &&
              strstr(err.msg, "does not fit the 320x320 array's K-tile"));
    }
    /* M up to 2^63 - 1: the off-chip size is refused with its figure, or
     * as past 63 bits, never wrapped (M x Ka overflowed for 2^62) */
    {
        sa35_arch a;
        sa35_arch_default(&a);
        sa35_gemm_plan plan;
        sa35_err err;
        const int64_t huge[] = {1LL << 62, INT64_MAX};
        for (int i = 0; i < 2; i++) {
            CHECK(sa35_gemm_plan_make(&a, huge[i], 64, 64, 0, &plan, &err) ==
                  -1);
            CHECK_MSG(strstr(err.msg, "needs more than 2^63 bytes off-chip"),
                      "%s", err.msg);
            CHECK(sa35_gemm_plan_make(&a, 64, 64, huge[i], 0, &plan, &err) ==
                  -1);
        }
        /* 2^40 x 64 x 64 on 320x320 sa35: A 2^40 x 64 bytes, one column
         * tile of 32 PE rows of 320 x 7 / 8 = 280 bytes, outputs 2^40 x 64
         * x 4 bytes: 2^46 + 8960 + 2^48 */
        CHECK(sa35_gemm_plan_make(&a, 1LL << 40, 64, 64, 0, &plan, &err) ==
              -1);
        CHECK_MSG(strstr(err.msg, "needs 351843720897280 bytes off-chip"),
                  "%s", err.msg);
        CHECK((1ull << 46) + 8960 + (1ull << 48) == 351843720897280ull);
    }
    /* too little SRAM for L + 1 weight slots: the error says why */
    {
        sa35_arch a;
        sa35_arch_default(&a);
        a.load_rows = 8, a.sram_bytes = 1u << 19; /* < 9 slots of 89,600 B */
        sa35_gemm_plan plan;
        sa35_program p;
        sa35_err err;
        CHECK(sa35_compile_gemm(&a, 1, 8192, 640, &plan, &p, &err) != 0);
        CHECK_MSG(strstr(err.msg, "x 9 for L = 8 load lanes") != NULL, "%s",
                  err.msg);
    }
    fprintf(stderr, "%d programs (random ones: sa35 %d, int4 %d, int8 %d), "
                    "%d random ones with several ldws in flight\n",
            count, per_kind[0], per_kind[1], per_kind[2], multi);
    CHECK(multi >= 100);
    for (int k = 0; k < SA35_PE_COUNT; k++)
        CHECK(per_kind[k] >= 300);
    return TEST_DONE();
}
