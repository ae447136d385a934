/* test_memsys.c: the memory system of docs/architecture.md, on hand-made
 * programs whose every wait is worked out below from the rules: the DMA
 * channel (bytes/cycle as num/den, latency, in order), read after write,
 * write after read and write after write on SRAM ranges. For each: the
 * timing model's issue and start cycles, the cycle-accurate simulator's
 * cycles and counters, and the simulator's final SRAM and off-chip images
 * identical to the functional executor's (which runs one instruction at a
 * time, so a wait the simulator missed shows up as different bytes). */
#include "sim_test_util.h"

/* ceil(bytes den / num): the cycles a transfer holds the channel. */
static int64_t xfer(uint64_t bytes, uint32_t num, uint32_t den)
{
    return (int64_t)((bytes * den + num - 1) / num);
}

static int64_t max2(int64_t x, int64_t y) { return x > y ? x : y; }

typedef struct mcase {
    const char *name, *text;
    int32_t R, C, L, acc_rows;
    uint32_t num, den;
    int32_t lat;
    int64_t want_issue[16], want_start[16], want_cycles;
} mcase;

/* Run one case: timing schedule against the hand-derived cycles, then the
 * simulator against the timing model and the functional executor. */
static void run_case(const mcase *c)
{
    sa35_arch a;
    sa35_arch_default(&a);
    a.rows = c->R, a.cols = c->C, a.load_rows = c->L, a.acc_rows = c->acc_rows;
    a.dram_bw_num = c->num, a.dram_bw_den = c->den, a.dram_latency = c->lat;
    a.sram_bytes = 4096, a.dram_bytes = 4096;
    sa35_program p;
    sa35_err err;
    CHECK_MSG(sa35_program_parse(c->text, &p, &err) == 0, "%s: %s", c->name,
              err.msg);
    int64_t issue[16], start[16];
    sa35_stats tm, sm, sm1;
    CHECK(p.count <= 16);
    CHECK_MSG(sa35_timing_schedule(&a, &p, &tm, issue, start, &err) == 0,
              "%s: %s", c->name, err.msg);
    for (size_t i = 0; i < p.count; i++) {
        CHECK_MSG(issue[i] == c->want_issue[i], "%s: instruction %zu issued "
                  "at %lld, rules say %lld", c->name, i, (long long)issue[i],
                  (long long)c->want_issue[i]);
        CHECK_MSG(start[i] == c->want_start[i], "%s: instruction %zu started "
                  "at %lld, rules say %lld", c->name, i, (long long)start[i],
                  (long long)c->want_start[i]);
    }
    CHECK_MSG(tm.cycles == (uint64_t)c->want_cycles, "%s: %llu cycles, rules "
              "say %lld", c->name, (unsigned long long)tm.cycles,
              (long long)c->want_cycles);

    /* the same random images for the simulator (both kernels) and the
     * functional executor */
    uint8_t *img[3][2];
    uint64_t rng = 7;
    for (int e = 0; e < 3; e++)
        for (int k = 0; k < 2; k++)
            img[e][k] = malloc(4096);
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < 4096; i++) {
            uint8_t v = (uint8_t)test_rand_range(&rng, 0, 255);
            for (int e = 0; e < 3; e++)
                img[e][k][i] = v;
        }
    for (int e = 0; e < 2; e++) {
        sa35_mem mem = {img[e][0], 4096, img[e][1], 4096};
        sa35_sim_opts o = {e == 1 ? SA35_KERNEL_SCALAR : SA35_KERNEL_AUTO, NULL,
                           NULL};
        CHECK_MSG(sa35_sim_run(&a, &p, mem, &o, e ? &sm1 : &sm, &err) == 0,
                  "%s: %s", c->name, err.msg);
    }
    sa35_func f;
    CHECK(sa35_func_init(&f, &a, (sa35_mem){img[2][0], 4096, img[2][1], 4096},
                         &err) == 0);
    sa35_func_run(&f, &p);
    sa35_func_free(&f);
    CHECK_MSG(!sa35_stats_diff(&sm, &tm, SA35_STAT_TIMING) &&
                  !sa35_stats_diff(&sm1, &tm, SA35_STAT_TIMING),
              "%s: simulator %llu cycles, timing model %llu", c->name,
              (unsigned long long)sm.cycles, (unsigned long long)tm.cycles);
    for (int e = 0; e < 2; e++)
        for (int k = 0; k < 2; k++)
            CHECK_MSG(!memcmp(img[e][k], img[2][k], 4096),
                      "%s: %s image of the simulator (%s) differs from the "
                      "functional executor's", c->name,
                      k ? "SRAM" : "off-chip", e ? "scalar" : "AVX2");
    for (int e = 0; e < 3; e++)
        for (int k = 0; k < 2; k++)
            free(img[e][k]);
    sa35_program_free(&p);
}

/* Read after write through the channel: a weight tile and an activation
 * row arrive, the ldw and the mm wait for them, the dma.st waits for the
 * out. 2 x 2 array, 1.5 bytes a cycle (3/2), latency 5. */
static void raw_and_channel(void)
{
    mcase c = {"raw", "dma.ld dram=0 sram=0 bytes=4\n"
                      "dma.ld dram=64 sram=16 bytes=4\n"
                      "ldw sram=0 rows=2 cols=2\n"
                      "mm.first.last.swap sram=16 stride=4 m=1 acc=0\n"
                      "out sram=32 stride=8 rows=1 cols=2 acc=0\n"
                      "dma.st dram=128 sram=32 bytes=8\n",
               2, 2, 1, 4, 3, 2, 5, {0}, {0}, 0};
    int64_t F = 0, T0 = 0;
    F = T0 + xfer(4, 3, 2);                 /* the channel after dma 0    */
    int64_t D0 = F + 5;                     /* its bytes readable from D0 */
    int64_t T1 = max2(1, F);
    F = T1 + xfer(4, 3, 2);
    int64_t D1 = F + 5;
    int64_t X = max2(2, D0);                /* ldw: read after write      */
    int64_t S = max2(X + 1, D1);            /* mm: its activations        */
    int64_t mm_end = S + 1 + 2 + 2 - 1;
    int64_t O = max2(S + 2, mm_end);        /* out: after its mm          */
    int64_t st = max2(S + 2, O + 1);        /* dma.st: after the out      */
    int64_t T5 = max2(st, F);
    int64_t end = T5 + xfer(8, 3, 2) + 5;
    int64_t iss[] = {0, 1, X, S, S + 1, st}, sta[] = {T0, T1, X, S, O, st};
    memcpy(c.want_issue, iss, sizeof iss), memcpy(c.want_start, sta, sizeof sta);
    c.want_cycles = end;
    CHECK(X == 8 && S == 11 && O == 15 && st == 16 && end == 27);
    run_case(&c);
}

/* Write after read: a dma.ld into the tile an ldw is still reading waits
 * for its last row's read, and the next ldw waits for the new bytes. 4 x 2
 * array, 4 bytes a cycle, latency 3. */
static void war_dma_after_ldw(void)
{
    mcase c = {"war-ldw", "dma.ld dram=0 sram=0 bytes=8\n"
                          "ldw sram=0 rows=4 cols=2\n"
                          "dma.ld dram=8 sram=0 bytes=8\n"
                          "mm.first.last.swap sram=64 stride=8 m=1 acc=0\n"
                          "ldw sram=0 rows=4 cols=2\n"
                          "mm.first.last.swap sram=64 stride=8 m=1 acc=2\n",
               4, 2, 1, 4, 4, 1, 3, {0}, {0}, 0};
    int64_t F = xfer(8, 4, 1), D0 = F + 3;
    int64_t X0 = D0;                        /* reads rows in X0..X0+3     */
    int64_t t2 = max2(X0 + 1, X0 + 3);      /* dma.ld: after the last read */
    int64_t T2 = max2(t2, F);
    F = T2 + xfer(8, 4, 1);
    int64_t D2 = F + 3;
    int64_t S0 = t2 + 1;
    int64_t X1 = max2(max2(S0 + 1, X0 + 4), D2); /* lane, new bytes      */
    int64_t S1 = max2(X1 + 1, S0 + 1);
    int64_t end = max2(S1 + 1 + 4 + 2 - 1, X1 + 4 + 2 - 1);
    int64_t iss[] = {0, X0, t2, S0, X1, S1}, sta[] = {0, X0, T2, S0, X1, S1};
    memcpy(c.want_issue, iss, sizeof iss), memcpy(c.want_start, sta, sizeof sta);
    c.want_cycles = end;
    CHECK(X0 == 5 && t2 == 8 && D2 == 13 && X1 == 13 && S1 == 14);
    run_case(&c);
}

/* Write after read on an output slot: a dma.st queued behind a long
 * transfer reads its slot late, and the next out into that slot waits for
 * that read. 4 x 2 array, 4 bytes a cycle, latency 3. */
static void war_out_after_store(void)
{
    mcase c = {"war-out", "dma.ld dram=0 sram=0 bytes=8\n"
                          "ldw sram=0 rows=4 cols=2\n"
                          "mm.first.last.swap sram=64 stride=8 m=1 acc=0\n"
                          "out sram=128 stride=8 rows=1 cols=2 acc=0\n"
                          "dma.ld dram=1024 sram=256 bytes=400\n"
                          "dma.st dram=512 sram=128 bytes=8\n"
                          "ldw sram=0 rows=4 cols=2\n"
                          "mm.first.last.swap sram=64 stride=8 m=1 acc=2\n"
                          "out sram=128 stride=8 rows=1 cols=2 acc=2\n"
                          "dma.st dram=520 sram=128 bytes=8\n",
               4, 2, 1, 4, 4, 1, 3, {0}, {0}, 0};
    int64_t F = xfer(8, 4, 1), D0 = F + 3;
    int64_t X0 = D0, S0 = X0 + 1, e0 = S0 + 1 + 4 + 2 - 1;
    int64_t O0 = max2(S0 + 2, e0);
    int64_t t4 = S0 + 2, T4 = max2(t4, F);
    F = T4 + xfer(400, 4, 1);
    int64_t t5 = max2(t4 + 1, O0 + 1), T5 = max2(t5, F);
    F = T5 + xfer(8, 4, 1);
    int64_t X1 = t5 + 1, S1 = X1 + 1, e1 = S1 + 1 + 4 + 2 - 1;
    int64_t t8 = S1 + 1;
    int64_t O1 = max2(max2(t8 + 1, O0 + 1), max2(e1, T5)); /* WAR: T5 */
    int64_t t9 = max2(t8 + 1, O1 + 1), T9 = max2(t9, F);
    int64_t end = T9 + xfer(8, 4, 1) + 3;
    int64_t iss[] = {0, X0, S0, S0 + 1, t4, t5, X1, S1, t8, t9};
    int64_t sta[] = {0, X0, S0, O0, T4, T5, X1, S1, O1, T9};
    memcpy(c.want_issue, iss, sizeof iss), memcpy(c.want_start, sta, sizeof sta);
    c.want_cycles = end;
    CHECK(T5 == 108 && O1 == 108 && end == 115);
    run_case(&c);
}

int main(void)
{
    raw_and_channel();
    war_dma_after_ldw();
    war_out_after_store();
    return TEST_DONE();
}
