/* test_rtl_sim.cpp: the RTL regression. On every array size built into the
 * rtl engine, random programs run on the Verilated RTL and on the
 * cycle-accurate simulator from the same memory image; the two must leave
 * byte-identical SRAM and off-chip memory and take the same number of
 * cycles. Two kinds of program:
 *   - GEMMs from the compiler, edge shapes first (M = 1, one tile, K and N
 *     not multiples of the array, K not a multiple of 16, -128 x -8,
 *     accumulators of a few rows so that M blocks and banks alternate),
 *     also checked against the golden model;
 *   - random instruction sequences (every opcode: ldw, mm with and without
 *     swap/first/last, out and out.scale, scl, sync, dma both ways) over
 *     random memory, kept when the validator accepts them.
 * Written in C style; C++ only because the RTL library is. */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "rtl_internal.h"
#include "sa35_sim.h"

static int fails, runs;
static uint64_t rng = 35;

static uint64_t rnd()
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static uint32_t pick(uint32_t lo, uint32_t hi)
{
    return lo + (uint32_t)(rnd() % (uint64_t)(hi - lo + 1));
}

/* Run p on both engines from the same image; compare everything. */
static void compare(const sa35_arch *a, const sa35_program *p,
                    const std::vector<uint8_t> &dram0,
                    const std::vector<uint8_t> &sram0, const char *what)
{
    std::vector<uint8_t> d1 = dram0, s1 = sram0, d2 = dram0, s2 = sram0;
    sa35_mem m1 = {d1.data(), d1.size(), s1.data(), s1.size()};
    sa35_mem m2 = {d2.data(), d2.size(), s2.data(), s2.size()};
    sa35_stats st;
    sa35_err e1, e2;
    uint64_t rtl_cycles = 0;
    int rc1 = sa35_sim_run(a, p, m1, NULL, &st, &e1);
    int rc2 = sa35_rtl_run(a, p, m2, NULL, &rtl_cycles, &e2);
    runs++;
    int ok = rc1 == 0 && rc2 == 0 && st.cycles == rtl_cycles && d1 == d2 &&
             s1 == s2;
    if (!ok && fails++ < 10)
        fprintf(stderr,
                "%dx%d acc_rows %d, %s (%zu instructions): sim %s, rtl %s, "
                "cycles sim %llu rtl %llu, dram %s, sram %s\n",
                a->rows, a->cols, a->acc_rows, what, p->count,
                rc1 ? e1.msg : "ok", rc2 ? e2.msg : "ok",
                (unsigned long long)st.cycles,
                (unsigned long long)rtl_cycles,
                d1 == d2 ? "same" : "DIFFERENT",
                s1 == s2 ? "same" : "DIFFERENT");
}

/* A compiled GEMM, checked against the golden model as well. */
static void gemm(const sa35_arch *a0, int64_t M, int64_t K, int64_t N,
                 int corner)
{
    sa35_qweights q;
    sa35_err err;
    if (sa35_qweights_alloc(&q, SA35_FMT_SA35, K, N, &err))
        abort();
    for (int64_t n = 0; n < N; n++)
        for (int64_t pr = 0; 2 * pr < K; pr++) {
            uint32_t code = corner ? sa35_pair_pack(-8, -4) : pick(0, 127);
            if (2 * pr + 1 >= K)
                code &= 0x78u; /* the padded odd k holds code 0 */
            sa35_pair_store(q.qweight + (size_t)n * q.colbytes, (int32_t)pr,
                            code);
        }
    std::vector<int8_t> A((size_t)(M * K));
    for (auto &v : A)
        v = corner ? (int8_t)-128 : (int8_t)pick(0, 255);
    sa35_gemm_plan plan;
    sa35_program prog;
    if (sa35_compile_gemm(a0, M, K, N, &plan, &prog, &err)) {
        fprintf(stderr, "compile: %s\n", err.msg);
        fails++;
        sa35_qweights_free(&q);
        return;
    }
    sa35_arch a = *a0;
    a.sram_bytes = plan.sram_bytes;
    a.dram_bytes = plan.dram_bytes;
    std::vector<uint8_t> dram(plan.dram_bytes), sram(plan.sram_bytes);
    sa35_gemm_image(&plan, A.data(), &q, dram.data());
    char what[96];
    snprintf(what, sizeof what, "GEMM M=%lld K=%lld N=%lld", (long long)M,
             (long long)K, (long long)N);
    compare(&a, &prog, dram, sram, what);
    /* and the RTL's answer is the golden one */
    std::vector<int32_t> want((size_t)(M * N)), got((size_t)(M * N));
    sa35_gemm_acc(A.data(), M, &q, want.data(), NULL);
    uint64_t cycles;
    if (sa35_rtl_gemm(a0, A.data(), M, &q, got.data(), NULL, &cycles, &err) ||
        want != got) {
        if (fails++ < 10)
            fprintf(stderr, "%dx%d %s: RTL differs from the golden model\n",
                    a0->rows, a0->cols, what);
    }
    sa35_program_free(&prog);
    sa35_qweights_free(&q);
}

/* A random valid program over random memory. */
enum { SRAM = 1 << 14, DRAM = 1 << 14 };

static void random_program(const sa35_arch *a0, int length)
{
    sa35_arch a = *a0;
    a.sram_bytes = SRAM;
    a.dram_bytes = DRAM;
    std::vector<uint8_t> sram(SRAM), dram(DRAM);
    for (auto &b : sram)
        b = (uint8_t)rnd();
    for (auto &b : dram)
        b = (uint8_t)rnd();
    /* finite floats for the scale arrays at 12K..16K */
    for (uint32_t off = 12 << 10; off < SRAM; off += 4) {
        float f = (float)((int)pick(0, 2000) - 1000) / 256.0f;
        memcpy(&sram[off], &f, 4);
    }
    const uint32_t R = (uint32_t)a.rows, C = (uint32_t)a.cols;
    const uint32_t accr = (uint32_t)a.acc_rows;
    sa35_program p;
    memset(&p, 0, sizeof p);
    sa35_err err;
    uint32_t last_acc = 0, last_m = 1;
    for (int tries = 0; (int)p.count < length && tries < 40 * length;
         tries++) {
        sa35_instr in;
        memset(&in, 0, sizeof in);
        uint32_t k = pick(0, 99);
        if (k < 20) {
            in.op = SA35_OP_LDW;
            in.rows = pick(1, R);
            in.cols = pick(1, C);
            in.sram = pick(0, 4096);
        } else if (k < 55) {
            in.op = SA35_OP_MM;
            in.flags = (uint8_t)pick(0, 7);
            in.m = pick(1, 2 * (R + C));
            if (in.m > accr)
                in.m = pick(1, accr);
            if (pick(0, 1)) {
                in.acc = last_acc, in.m = last_m;
            } else {
                in.acc = pick(0, accr - in.m);
            }
            in.stride = 2 * R + pick(0, 3);
            in.sram = pick(0, 4096);
        } else if (k < 75) {
            in.op = SA35_OP_OUT;
            in.flags = (uint8_t)pick(0, 1);
            in.acc = last_acc;
            in.rows = pick(1, last_m);
            in.cols = pick(1, C);
            in.stride = 4 * in.cols + 4 * pick(0, 2);
            in.sram = pick(4096, 8192);
        } else if (k < 82) {
            in.op = SA35_OP_SCL;
            in.sa = pick(12 << 10, 14 << 10) & ~3u;
            in.s = pick(12 << 10, 14 << 10) & ~3u;
            in.z = pick(12 << 10, 14 << 10) & ~3u;
        } else if (k < 87) {
            in.op = SA35_OP_SYNC;
        } else {
            in.op = pick(0, 1) ? SA35_OP_DMA_LD : SA35_OP_DMA_ST;
            in.bytes = pick(1, 256);
            in.sram = pick(0, 8192);
            in.dram = pick(0, DRAM - 256);
        }
        if (sa35_program_push(&p, &in, &err))
            abort();
        if (sa35_program_validate(&p, &a, &err)) {
            p.count--;
            continue;
        }
        if (in.op == SA35_OP_MM)
            last_acc = in.acc, last_m = in.m;
    }
    char what[64];
    snprintf(what, sizeof what, "random program %d", runs);
    compare(&a, &p, dram, sram, what);
    sa35_program_free(&p);
}

int main()
{
    for (const sa35_rtl_model *m = sa35_rtl_models; m->rows; m++) {
        sa35_arch a;
        sa35_arch_default(&a);
        a.rows = m->rows, a.cols = m->cols, a.load_rows = m->load_rows;
        const int64_t R = m->rows, C = m->cols;
        struct {
            int64_t M, K, N;
            int32_t acc;
            int corner;
        } shapes[] = {
            {1, 1, 1, 4096, 0},                   /* the smallest        */
            {1, 2 * R, C, 4096, 1},               /* one tile, -128 x -8 */
            {1, 7, C + 1, 4096, 0},               /* K < 16, N > C      */
            {3, 2 * R + 17, 2 * C - 1, 8, 0},     /* K, N not multiples  */
            {5, 6 * R + 5, 3, 4, 1},              /* M blocks, corners   */
            {2 * R + 3, 4 * R, C + 2, 4096, 0},   /* tall M              */
            {9, 40, 2 * C + 5, 2, 0},             /* acc of 2 rows       */
        };
        for (auto &s : shapes) {
            a.acc_rows = s.acc;
            gemm(&a, s.M, s.K, s.N, s.corner);
        }
        /* random GEMMs and random programs */
        int budget = R * C >= 1024 ? 10 : R * C >= 256 ? 25 : 80;
        for (int i = 0; i < budget; i++) {
            a.acc_rows = (int32_t)(2 * pick(1, 32));
            gemm(&a, pick(1, 20), pick(1, 6 * (uint32_t)R), pick(1, 3 * (uint32_t)C),
                 0);
            random_program(&a, (int)pick(5, 60));
        }
    }
    fprintf(stderr, "test_rtl_sim: %d runs on %s, %d failure(s)\n", runs,
            sa35_rtl_sizes(), fails);
    return fails ? 1 : 0;
}
