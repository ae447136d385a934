/* bench_sim.c: speed of the accelerator model (a benchmark, not a test).
 *   cycle-accurate simulator on a 320 x 320 array of each PE kind:
 *   PE-cycles simulated per second on one core (AVX2 kernel where the CPU
 *   has it, and scalar for sa35);
 *   timing model: the time for M=2048, K=8192, N=28672.
 * Run: cmake --build BUILD --target bench_sim && BUILD/bench/bench_sim
 *      [--quick] [--pe sa35|int4|int8]
 * Figures go to docs/performance.md with the command and the machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sa35_compiler.h"
#include "sa35_sim.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void cpu_model(char *buf, size_t size)
{
    snprintf(buf, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            char *colon = strchr(line, ':');
            if (colon) {
                snprintf(buf, size, "%s", colon + 2);
                buf[strcspn(buf, "\n")] = '\0';
            }
            break;
        }
    if (f)
        fclose(f);
}

static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* One cycle-accurate run of an M x K x N GEMM on a's PE kind; prints
 * PE-cycles/s. Weights: random bytes of the format's code stream (K is a
 * multiple of 16 here, so no padded code; speed does not depend on it). */
static int bench_sim(const sa35_arch *a, int64_t M, int64_t K, int64_t N,
                     int scalar)
{
    sa35_err err;
    sa35_qweights q;
    if (sa35_qweights_alloc(&q, sa35_arch_pe(a)->fmt, K, N, &err))
        return fprintf(stderr, "%s\n", err.msg), 1;
    uint64_t s = 7;
    for (size_t i = 0; i < (size_t)N * q.colbytes; i++)
        q.qweight[i] = (uint8_t)rnd(&s);
    int8_t *A = malloc((size_t)(M * K));
    int32_t *acc = malloc((size_t)(M * N) * sizeof *acc);
    for (int64_t i = 0; i < M * K; i++)
        A[i] = (int8_t)rnd(&s);
    sa35_sim_opts o = {scalar ? SA35_KERNEL_SCALAR : SA35_KERNEL_AUTO, NULL,
                       NULL};
    sa35_stats st;
    double t0 = now();
    int rc = sa35_sim_gemm(a, sa35_engine_find("sim"), M, K, N, A, &q, acc, &o, &st,
                           &err);
    double dt = now() - t0;
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    else {
        double pec = (double)a->rows * a->cols * (double)st.cycles;
        printf("sim %-6s %s %dx%d M=%lld K=%lld N=%lld: %llu cycles, util "
               "%.3f, %.3f s, %.3g PE-cycles/s, %.3g busy PE-cycles/s\n",
               scalar ? "scalar" : "avx2", sa35_arch_pe(a)->name, a->rows,
               a->cols, (long long)M,
               (long long)K, (long long)N, (unsigned long long)st.cycles,
               (double)st.pe_busy_cycles / pec, dt, pec / dt,
               (double)st.pe_busy_cycles / dt);
    }
    free(A);
    free(acc);
    sa35_qweights_free(&q);
    return rc ? 1 : 0;
}

static int bench_timing(const sa35_arch *a, int64_t M, int64_t K, int64_t N)
{
    sa35_err err;
    double best_compile = 1e9, best_timing = 1e9;
    sa35_stats st;
    for (int rep = 0; rep < 20; rep++) {
        sa35_gemm_plan plan;
        sa35_program prog;
        double t0 = now();
        if (sa35_compile_gemm(a, M, K, N, &plan, &prog, &err))
            return fprintf(stderr, "%s\n", err.msg), 1;
        double t1 = now();
        sa35_arch b = *a;
        b.sram_bytes = plan.sram_bytes;
        b.dram_bytes = plan.dram_bytes;
        int rc = sa35_timing_run(&b, &prog, &st, &err);
        double t2 = now();
        sa35_program_free(&prog);
        if (rc)
            return fprintf(stderr, "%s\n", err.msg), 1;
        if (t1 - t0 < best_compile)
            best_compile = t1 - t0;
        if (t2 - t1 < best_timing)
            best_timing = t2 - t1;
    }
    printf("timing %dx%d M=%lld K=%lld N=%lld: %llu cycles (%.3f ms at "
           "%.0f MHz), util %.3f, %llu instructions; timing model %.3f ms "
           "(incl. validation), compiler %.3f ms (best of 20)\n",
           a->rows, a->cols, (long long)M, (long long)K, (long long)N,
           (unsigned long long)st.cycles,
           1e3 * (double)st.cycles / a->clock_hz, a->clock_hz / 1e6,
           (double)st.macs / (2.0 * a->rows * a->cols * (double)st.cycles),
           (unsigned long long)st.instructions, 1e3 * best_timing,
           1e3 * best_compile);
    return 0;
}

int main(int argc, char **argv)
{
    int quick = 0;
    const char *only = NULL; /* --pe KIND: that kind only */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[i], "--pe") == 0 && i + 1 < argc)
            only = argv[++i];
        else
            return fprintf(stderr, "usage: bench_sim [--quick] [--pe %s]\n",
                           sa35_pe_names()),
                   1;
    }
    char cpu[256];
    cpu_model(cpu, sizeof cpu);
    printf("CPU: %s; AVX2 kernel: %s\n", cpu,
           sa35_sim_has_avx2() ? "yes" : "no (scalar)");
    sa35_arch a;
    sa35_arch_default(&a);
    int rc = bench_timing(&a, 2048, 8192, 28672);
    /* every PE kind (--pe KIND: only that one) */
    for (int k = 0; k < SA35_PE_COUNT; k++) {
        a.pe = (sa35_pe_kind)k;
        if (only && strcmp(only, sa35_arch_pe(&a)->name))
            continue;
        /* dense: every PE busy in the steady state */
        rc |= bench_sim(&a, quick ? 256 : 2048, quick ? 640 : 2560, 320, 0);
        if (!quick && k == SA35_PE_SA35)
            rc |= bench_sim(&a, 512, 640, 320, 1);
        /* decode: M = 1, the load path sets the pace, the wavefront is
         * thin */
        rc |= bench_sim(&a, 1, 8192, 640, 0);
    }
    return rc;
}
