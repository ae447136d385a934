/* bench_cpu.c: `sa35-bench-cpu`: how close the CPU kernels come to this
 * machine's memory bandwidth (docs/cpu.md).
 *
 * In one run: the read bandwidth of a STREAM-like sum over an array of at
 * least 4x the last-level cache, then sa35_cpu_gemm_acc on K x N weights in
 * SA35, INT4 and INT8 for M = 1, 8, 64, each reported as G weights/s, GB/s
 * of weight bytes, % of the measured bandwidth and the decode tokens/s that
 * rate would give on Llama-2-7B and 70B. Every figure is the best of
 * several repetitions (as STREAM reports), since the machine may be shared. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "sa35_cpu.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The largest cache size sysfs or sysconf reports (they disagree on some
 * virtual machines; the larger makes the bandwidth array safely big). */
static size_t llc_bytes(void)
{
    size_t best = 0;
    for (int i = 0; i < 8; i++) {
        char path[96];
        snprintf(path, sizeof path,
                 "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        unsigned long v = 0;
        char unit = 0;
        if (fscanf(f, "%lu%c", &v, &unit) >= 1) {
            size_t b = v * (unit == 'K' ? 1024ul : unit == 'M' ? 1ul << 20
                                                              : 1ul);
            best = b > best ? b : best;
        }
        fclose(f);
    }
#ifdef _SC_LEVEL3_CACHE_SIZE
    long s = sysconf(_SC_LEVEL3_CACHE_SIZE);
    if (s > 0 && (size_t)s > best)
        best = (size_t)s;
#endif
    return best ? best : 32ul << 20;
}

/* Sum of a thread's part of the array: eight independent chains so the
 * loop is bound by the loads, not the adds. */
static uint64_t sum_part(const uint64_t *p, size_t n)
{
    uint64_t s[8] = {0};
    for (size_t i = 0; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++)
            s[j] += p[i + j];
    return s[0] + s[1] + s[2] + s[3] + s[4] + s[5] + s[6] + s[7];
}

/* The bandwidth array: written once (first touch by the thread that reads
 * it), then read by passes interleaved with the GEMMs. */
typedef struct stream {
    uint64_t *arr;
    size_t n;
    int T;
    double best; /* bytes/s, the best pass so far */
    int passes;
} stream;

static void stream_init(stream *s, size_t bytes, int T)
{
    s->n = bytes / sizeof(uint64_t);
    s->arr = aligned_alloc(64, s->n * sizeof *s->arr);
    s->T = T;
    s->best = 0;
    s->passes = 0;
    if (!s->arr) {
        fprintf(stderr, "sa35-bench-cpu: out of memory for %zu bytes\n",
                bytes);
        exit(1);
    }
#ifdef _OPENMP
#pragma omp parallel for num_threads(T) schedule(static, 1)
#endif
    for (int t = 0; t < T; t++)
        for (size_t i = s->n * (size_t)t / (size_t)T;
             i < s->n * (size_t)(t + 1) / (size_t)T; i++)
            s->arr[i] = i;
}

/* One read pass with all threads; returns its bytes/s. */
static double stream_pass(stream *s)
{
    uint64_t sink = 0;
    const int T = s->T;
    double t0 = now();
#ifdef _OPENMP
#pragma omp parallel for num_threads(T) reduction(+ : sink) schedule(static, 1)
#endif
    for (int t = 0; t < T; t++) {
        size_t a = s->n * (size_t)t / (size_t)T;
        size_t b = s->n * (size_t)(t + 1) / (size_t)T;
        sink += sum_part(s->arr + a, b - a);
    }
    double bw = (double)(s->n * sizeof *s->arr) / (now() - t0);
    if (sink == 42) /* keeps the sums alive */
        fputc(' ', stderr);
    s->passes++;
    if (bw > s->best)
        s->best = bw;
    return bw;
}

/* Linear-layer weights of one decode step (all layers and the LM head). */
static double llama_weights(int layers, double d, double kv, double ffn,
                            double vocab)
{
    double attn = d * d * 2 + d * kv * 2; /* q, o; k, v (GQA: kv < d) */
    return layers * (attn + 3 * d * ffn) + d * vocab;
}

typedef struct bench_cfg {
    sa35_cpu_ctx ctx;
    int reps;
    int64_t only_m; /* --m: one M instead of 1, 8, 64 */
    stream bw;
} bench_cfg;

enum { NFMT = 3, NM = 3 };
static const sa35_format fmts[NFMT] = {SA35_FMT_SA35, SA35_FMT_INT4,
                                       SA35_FMT_INT8};
static const int64_t Ms[NM] = {1, 8, 64};

/* Seconds of one call. */
static double time_gemm(const bench_cfg *c, const int8_t *A, int64_t M,
                        const sa35_qweights *q, int32_t *acc)
{
    sa35_err err;
    double t0 = now();
    if (sa35_cpu_gemm_acc(&c->ctx, A, M, q, acc, NULL, &err)) {
        fprintf(stderr, "sa35-bench-cpu: %s\n", err.msg);
        exit(1);
    }
    return now() - t0;
}

/* One weight shape: the three formats and three M, best seconds per call
 * in t[f][mi] (0 if not run). The formats take turns call by call, with a
 * bandwidth pass per round, so that a machine whose load drifts treats
 * them alike; each M runs at least reps rounds and 0.5 s. */
static void bench_shape(bench_cfg *c, int64_t K, int64_t N,
                        sa35_qweights q[NFMT], double t[NFMT][NM])
{
    int8_t *A = malloc((size_t)(64 * K));
    int32_t *acc = malloc((size_t)(64 * N) * sizeof *acc);
    uint64_t seed = 1;
    for (int64_t i = 0; A && i < 64 * K; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        A[i] = (int8_t)(seed >> 56);
    }
    for (int f = 0; f < NFMT; f++) {
        sa35_err err;
        if (!A || !acc || sa35_qweights_alloc(&q[f], fmts[f], K, N, &err)) {
            fprintf(stderr, "sa35-bench-cpu: out of memory for the "
                            "K x N = %lld x %lld weights, their activations "
                            "and accumulators\n",
                    (long long)K, (long long)N);
            exit(1);
        }
        size_t bytes = (size_t)N * q[f].colbytes;
        for (size_t i = 0; i < bytes; i++) /* any bytes are valid codes */
            q[f].qweight[i] = (uint8_t)(i * 2654435761u >> 13);
    }
    for (int mi = 0; mi < NM; mi++) {
        for (int f = 0; f < NFMT; f++)
            t[f][mi] = 0;
        if (c->only_m && Ms[mi] != c->only_m)
            continue;
        double spent = 0;
        for (int r = 0; r <= c->reps || spent < 0.5; r++) {
            stream_pass(&c->bw);
            for (int f = 0; f < NFMT; f++) {
                double dt = time_gemm(c, A, Ms[mi], &q[f], acc);
                spent += dt;
                if (r > 0 && (t[f][mi] == 0 || dt < t[f][mi]))
                    t[f][mi] = dt; /* round 0 warms up */
            }
        }
    }
    free(A);
    free(acc);
}

/* The rows of one shape, against the best bandwidth of the whole run. */
static void report_shape(const bench_cfg *c, int64_t K, int64_t N,
                         const sa35_qweights q[NFMT],
                         const double t[NFMT][NM], double p7b, double p70b)
{
    for (int f = 0; f < NFMT; f++)
        for (int mi = 0; mi < NM; mi++) {
            if (!t[f][mi])
                continue;
            double wps = (double)K * (double)N / t[f][mi];
            double gbs = (double)((size_t)N * q[f].colbytes) / t[f][mi];
            printf("%5lld x %-5lld %-4s M=%-2lld %9.3f ms %8.2f Gw/s "
                   "%7.2f GB/s %6.1f %% %9.1f %8.2f\n",
                   (long long)K, (long long)N, sa35_format_info(fmts[f])->name,
                   (long long)Ms[mi], t[f][mi] * 1e3, wps * 1e-9, gbs * 1e-9,
                   100.0 * gbs / c->bw.best, (double)Ms[mi] * wps / p7b,
                   (double)Ms[mi] * wps / p70b);
        }
    printf("  SA35 / INT4 speed:");
    for (int mi = 0; mi < NM; mi++)
        if (t[0][mi])
            printf(" M=%lld %.2fx", (long long)Ms[mi], t[1][mi] / t[0][mi]);
    printf("\n");
}

static const char usage[] =
    "usage: sa35-bench-cpu [--threads T] [--kernel NAME] [--reps R]\n"
    "  --threads T    threads (default: all cores)\n"
    "  --kernel NAME  scalar, avx2, avx512vnni, neon (default: "
    "SA35_CPU_KERNEL or the best)\n"
    "  --reps R       timed repetitions per figure, best kept (default 5)\n"
    "  --m M          only this M (1, 8 or 64)\n";

int main(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"threads", required_argument, NULL, 't'},
        {"kernel", required_argument, NULL, 'k'},
        {"reps", required_argument, NULL, 'r'},
        {"m", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    bench_cfg c = {{SA35_CPU_AUTO, 0}, 5, 0, {0}};
    sa35_cpu_kernel want = SA35_CPU_AUTO;
    int threads = 0;
    int o;
    while ((o = getopt_long(argc, argv, "t:k:r:m:h", lopts, NULL)) != -1) {
        if (o == 't')
            threads = atoi(optarg);
        else if (o == 'm')
            c.only_m = atoi(optarg);
        else if (o == 'r')
            c.reps = atoi(optarg) > 0 ? atoi(optarg) : 1;
        else if (o == 'k' && sa35_cpu_kernel_from_name(optarg, &want))
            return fprintf(stderr, "sa35-bench-cpu: unknown kernel '%s'\n",
                           optarg), 1;
        else if (o != 'k')
            return fputs(usage, o == 'h' ? stdout : stderr), o != 'h';
    }
    sa35_err err;
    if (sa35_cpu_ctx_init(&c.ctx, want, threads, &err))
        return fprintf(stderr, "sa35-bench-cpu: %s\n", err.msg), 1;
    int T = c.ctx.threads;
    char model[128];
    sa35_cpu_model_name(model, sizeof model);
    size_t llc = llc_bytes();
    size_t arr = 4 * llc > (256ul << 20) ? 4 * llc : 256ul << 20;
    printf("cpu: %s, %ld cores online, %d threads, kernel %s\n", model,
           sysconf(_SC_NPROCESSORS_ONLN), T,
           sa35_cpu_kernel_name(c.ctx.kernel));
    /* Other work on the machine changes every figure: say how busy it is. */
    double load[3];
    if (getloadavg(load, 3) == 3)
        printf("load average: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
    stream_init(&c.bw, arr, T);
    for (int r = 0; r < c.reps; r++)
        stream_pass(&c.bw);
    printf("read bandwidth at the start: %.2f GB/s (sum over %zu MiB = %.1fx "
           "the %zu MiB LLC, best of %d)\n",
           c.bw.best * 1e-9, arr >> 20, (double)arr / (double)llc, llc >> 20,
           c.reps);
    fflush(stdout);
    static const int64_t shapes[2][2] = {{8192, 8192}, {8192, 28672}};
    sa35_qweights q[2][NFMT];
    double t[2][NFMT][NM];
    for (int s = 0; s < 2; s++) {
        bench_shape(&c, shapes[s][0], shapes[s][1], q[s], t[s]);
        for (int f = 0; f < NFMT; f++) /* keep only the sizes */
            free(q[s][f].qweight), q[s][f].qweight = NULL;
    }
    printf("read bandwidth: %.2f GB/s, the best of %d passes taken between "
           "the GEMMs; %% BW below is of this\n",
           c.bw.best * 1e-9, c.bw.passes);
    /* Llama-2-7B: 32 layers, d 4096, FFN 11008; 70B: 80 layers, d 8192,
     * GQA k/v 1024, FFN 28672; both with a 32000-token LM head. */
    double p7b = llama_weights(32, 4096, 4096, 11008, 32000);
    double p70b = llama_weights(80, 8192, 1024, 28672, 32000);
    printf("decode weights per token: Llama-2-7B %.3f G, 70B %.2f G; tok/s "
           "= M * rate / that\n",
           p7b * 1e-9, p70b * 1e-9);
    printf("    K x N     fmt  M     time/call     rate   weight BW   %% BW "
           " tok/s 7B tok/s 70B\n");
    for (int s = 0; s < 2; s++) {
        report_shape(&c, shapes[s][0], shapes[s][1], q[s], t[s], p7b, p70b);
        for (int f = 0; f < NFMT; f++)
            sa35_qweights_free(&q[s][f]);
    }
    free(c.bw.arr);
    return 0;
}
