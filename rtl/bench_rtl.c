/* bench_rtl.c: `bench_rtl [SIZES...]`: the same GEMM program on the
 * cycle-accurate simulator (sim/) and on the Verilated RTL at 8x8, 16x16
 * and 32x32 (or the sizes given, among those built): simulated cycles per
 * second of each (best run of at least 5 and 0.3 s) and their ratio
 * (docs/rtl.md, "Speed"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sa35_rtl.h"
#include "sa35_sim.h"

/* runs of each engine: at least REPS and MIN_S seconds; the best counts */
enum { REPS = 5 };
static const double MIN_S = 0.3;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Run the program once on one engine; returns seconds, or -1. */
static double run(int rtl, const sa35_arch *a, const sa35_program *p,
                  const sa35_gemm_plan *plan, const uint8_t *image,
                  uint64_t *cycles)
{
    sa35_mem mem = {malloc(plan->dram_bytes), plan->dram_bytes,
                    calloc(1, plan->sram_bytes), plan->sram_bytes};
    if (!mem.dram || !mem.sram)
        exit(1);
    memcpy(mem.dram, image, plan->dram_bytes);
    sa35_err err;
    sa35_stats st;
    double t0 = now();
    int rc = rtl ? sa35_rtl_run(a, p, mem, NULL, &st, &err)
                 : sa35_sim_run(a, p, mem, NULL, &st, &err);
    double s = now() - t0;
    *cycles = st.cycles;
    free(mem.dram);
    free(mem.sram);
    if (rc) {
        fprintf(stderr, "bench_rtl: %s\n", err.msg);
        return -1;
    }
    return s;
}

static double best_run(int rtl, const sa35_arch *a, const sa35_program *p,
                       const sa35_gemm_plan *plan, const uint8_t *image,
                       uint64_t *cycles)
{
    double best = -1, total = 0;
    for (int i = 0; i < REPS || total < MIN_S; i++) {
        double t = run(rtl, a, p, plan, image, cycles);
        if (t < 0)
            return -1;
        total += t;
        if (best < 0 || t < best)
            best = t;
    }
    return best;
}

/* Whether the RTL engine was built for this size ("8x8" in "2x2, 8x8"). */
static int built(const char *size)
{
    const char *list = sa35_rtl_sizes();
    size_t n = strlen(size);
    for (const char *p = strstr(list, size); p; p = strstr(p + 1, size))
        if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == 0))
            return 1;
    return 0;
}

static int bench(const char *size)
{
    if (!built(size)) {
        printf("%-7s not built (built: %s; add it with -DSA35_RTL_ARRAYS)\n",
               size, sa35_rtl_sizes());
        return 0;
    }
    sa35_arch a;
    sa35_err err;
    sa35_arch_default(&a);
    if (sa35_arch_parse_array(size, &a, &err)) {
        fprintf(stderr, "bench_rtl: %s\n", err.msg);
        return 1;
    }
    /* a prefill-like GEMM: M = 128 rows through 4 x 4 tiles */
    int64_t M = 128, K = 8 * (int64_t)a.rows, N = 4 * (int64_t)a.cols;
    sa35_gemm_plan plan;
    sa35_program prog;
    if (sa35_compile_gemm(&a, M, K, N, &plan, &prog, &err)) {
        fprintf(stderr, "bench_rtl: %s\n", err.msg);
        return 1;
    }
    a.sram_bytes = plan.sram_bytes;
    a.dram_bytes = plan.dram_bytes;
    uint8_t *image = calloc(1, plan.dram_bytes);
    uint8_t *A = malloc((size_t)(M * K));
    sa35_qweights q;
    if (!image || !A || sa35_qweights_alloc(&q, SA35_FMT_SA35, K, N, &err))
        return 1;
    uint64_t s = 1;
    for (int64_t i = 0; i < M * K; i++)
        A[i] = (uint8_t)((s = s * 6364136223846793005ull + 1) >> 56);
    for (size_t i = 0; i < (size_t)N * q.colbytes; i++)
        q.qweight[i] = (uint8_t)((s = s * 6364136223846793005ull + 1) >> 56);
    sa35_gemm_image(&plan, (const int8_t *)A, &q,
                    &(sa35_mem){image, plan.dram_bytes, NULL, 0});
    /* the best run of each engine, over at least REPS runs and MIN_S
     * seconds: one simulator run is a millisecond or two, where a shared
     * machine's noise and the first run's cold caches would decide the
     * figure; both engines get the same treatment */
    uint64_t c_sim = 0, c_rtl = 0;
    double t_sim = best_run(0, &a, &prog, &plan, image, &c_sim);
    double t_rtl = best_run(1, &a, &prog, &plan, image, &c_rtl);
    int rc = 0;
    if (t_sim < 0 || t_rtl < 0) {
        rc = 1;
    } else {
        double r_sim = (double)c_sim / t_sim, r_rtl = (double)c_rtl / t_rtl;
        printf("%-7s M=%lld K=%lld N=%lld  %8llu cycles  sim %12.0f "
               "cycles/s  rtl %10.0f cycles/s  sim/rtl %6.1fx%s\n",
               size, (long long)M, (long long)K, (long long)N,
               (unsigned long long)c_sim, r_sim, r_rtl, r_sim / r_rtl,
               c_sim == c_rtl ? "" : "  CYCLE COUNTS DIFFER");
        rc = c_sim != c_rtl;
    }
    sa35_qweights_free(&q);
    sa35_program_free(&prog);
    free(image);
    free(A);
    return rc;
}

int main(int argc, char **argv)
{
    static const char *dflt[] = {"8x8", "16x16", "32x32"};
    int rc = 0;
    if (argc > 1)
        for (int i = 1; i < argc; i++)
            rc |= bench(argv[i]);
    else
        for (size_t i = 0; i < sizeof dflt / sizeof dflt[0]; i++)
            rc |= bench(dflt[i]);
    return rc;
}
