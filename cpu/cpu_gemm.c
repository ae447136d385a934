/* cpu_gemm.c: sa35_cpu_gemm_acc, the part every backend shares: checking the
 * shapes, laying out the activations, protecting the end of the weight
 * buffer from the kernels' wide loads, and the threads over columns. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "cpu_internal.h"

static const cpu_backend *backend_of(sa35_cpu_kernel k)
{
    switch (k) {
#ifdef SA35_CPU_BUILD_X86
    case SA35_CPU_AVX2:
        return &cpu_backend_avx2;
    case SA35_CPU_AVX512VNNI:
        return &cpu_backend_avx512vnni;
#endif
#ifdef SA35_CPU_BUILD_NEON
    case SA35_CPU_NEON:
        return &cpu_backend_neon;
#endif
    default:
        return &cpu_backend_scalar;
    }
}

static int check_args(const int8_t *A, int64_t M, const sa35_qweights *q,
                      const int32_t *acc, sa35_err *err)
{
    if (!A || !q || !acc || !q->qweight)
        return sa35_err_set(err, "cpu gemm: NULL argument");
    if (M < 1)
        return sa35_err_set(err, "cpu gemm: M=%lld rows", (long long)M);
    int32_t Kp;
    size_t colbytes;
    if (sa35_qweights_shape(q->fmt, q->K, q->N, &Kp, &colbytes, err))
        return -1;
    if (Kp != q->Kp || colbytes != q->colbytes)
        return sa35_err_set(err, "cpu gemm: inconsistent weight shape "
                                 "(Kp or colbytes does not match K)");
    return 0;
}

/* Rows of A copied to kstride bytes each, zero past K, in the kernel's
 * order (perm64 if not NULL, else layout); and the row sums. */
static int8_t *pad_activations(const int8_t *A, int64_t M, int32_t K,
                               size_t kstride, cpu_alayout layout,
                               const uint8_t *perm64, int32_t *rsum)
{
    int8_t *a = aligned_alloc(64, (size_t)M * kstride);
    int8_t *tmp = malloc(kstride);
    if (!a || !tmp) {
        free(a);
        free(tmp);
        return NULL;
    }
    for (int64_t m = 0; m < M; m++) {
        int8_t *row = a + (size_t)m * kstride;
        int8_t *plain = layout == CPU_A_PLAIN && !perm64 ? row : tmp;
        memcpy(plain, A + m * K, (size_t)K);
        memset(plain + K, 0, kstride - (size_t)K);
        int32_t s = 0;
        for (int32_t k = 0; k < K; k++)
            s += plain[k];
        rsum[m] = s;
        if (perm64)
            for (size_t c = 0; c < kstride; c += 64)
                for (size_t i = 0; i < 64; i++)
                    row[c + i] = plain[c + perm64[i]];
        else if (layout == CPU_A_EVEN_ODD64)
            for (size_t c = 0; c < kstride; c += 64)
                for (size_t i = 0; i < 32; i++) {
                    row[c + i] = plain[c + 2 * i];
                    row[c + 32 + i] = plain[c + 2 * i + 1];
                }
    }
    free(tmp);
    return a;
}

int sa35_cpu_ctx_init(sa35_cpu_ctx *ctx, sa35_cpu_kernel want, int threads,
                      sa35_err *err)
{
    if (sa35_cpu_kernel_resolve(want, &ctx->kernel, err))
        return -1;
    if (threads <= 0) {
#ifdef _OPENMP
        threads = omp_get_num_procs();
#else
        threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
#endif
    }
    ctx->threads = threads < 1 ? 1 : threads;
    return 0;
}

/* Columns [0, N) of the job over T threads, in about 8 contiguous pieces
 * per thread (whole 4-column blocks) handed out as threads come free: a
 * piece is long enough to stream (hundreds of KiB), and a thread the OS
 * delays, or a slower core, does not hold the others up at the end. */
static void run_threads(cpu_cols_fn fn, const cpu_job *job, int64_t N, int T)
{
    int64_t blocks = (N + 3) / 4;
    if (T > blocks)
        T = blocks ? (int)blocks : 1;
    int64_t pieces = T > 1 ? 8 * (int64_t)T : 1;
    if (pieces > blocks)
        pieces = blocks;
#ifdef _OPENMP
#pragma omp parallel for num_threads(T) schedule(dynamic, 1) if (T > 1)
#endif
    for (int64_t i = 0; i < pieces; i++) {
        int64_t n0 = blocks * i / pieces * 4;
        int64_t n1 = blocks * (i + 1) / pieces * 4;
        fn(job, n0, n1 < N ? n1 : N);
    }
}

/* A kernel reads at most `reach` bytes from a column's start (its kstride
 * positions and CPU_OVERREAD more). The columns from *n_safe on would run
 * past the end of the weights, so they get a zero-padded copy: the last
 * few columns only. Returns the copy (NULL if out of memory). */
static uint8_t *tail_copy(const sa35_qweights *q, size_t kstride,
                          int64_t *n_safe)
{
    size_t bits = (size_t)sa35_format_info(q->fmt)->bits_per_16k;
    size_t reach = kstride * bits / 128 + CPU_OVERREAD;
    size_t total = (size_t)q->N * q->colbytes;
    int64_t n =
        total < reach ? 0 : (int64_t)((total - reach) / q->colbytes) + 1;
    *n_safe = n < q->N ? n : q->N;
    size_t bytes = (size_t)(q->N - *n_safe) * q->colbytes;
    uint8_t *tail = calloc(1, bytes + reach);
    if (tail)
        memcpy(tail, q->qweight + (size_t)*n_safe * q->colbytes, bytes);
    return tail;
}

int sa35_cpu_gemm_acc(const sa35_cpu_ctx *ctx, const int8_t *A, int64_t M,
                      const sa35_qweights *q, int32_t *acc, int32_t *rsum,
                      sa35_err *err)
{
    if (!ctx || check_args(A, M, q, acc, err))
        return ctx ? -1 : sa35_err_set(err, "cpu gemm: NULL context");
    if (q->group)
        return cpu_gemm_group(ctx, A, M, q, acc, rsum, err);
    const cpu_backend *be = backend_of(ctx->kernel);
    if (!be->cols[q->fmt])
        be = &cpu_backend_scalar;
    size_t kstride = ((size_t)q->Kp + CPU_KSTEP - 1) / CPU_KSTEP * CPU_KSTEP;
    int64_t n_safe = 0;
    int32_t *sums = malloc((size_t)M * sizeof *sums);
    int8_t *a = sums ? pad_activations(A, M, q->K, kstride,
                                       be->alayout[q->fmt],
                                       M == 1 ? be->perm_m1[q->fmt] : NULL,
                                       sums)
                     : NULL;
    uint8_t *tail = a ? tail_copy(q, kstride, &n_safe) : NULL;
    const int ok = tail != NULL;
    if (ok) {
        cpu_job job = {q->fmt, q->qweight, 0, q->colbytes, a, M, kstride,
                       sums, acc, q->N};
        run_threads(be->cols[q->fmt], &job, n_safe, ctx->threads);
        job.w = tail;
        job.n_base = n_safe;
        if (n_safe < q->N)
            be->cols[q->fmt](&job, n_safe, q->N);
        if (rsum)
            memcpy(rsum, sums, (size_t)M * sizeof *sums);
    }
    free(tail);
    free(a);
    free(sums);
    if (!ok)
        return sa35_err_set(err, "cpu gemm: out of memory for M=%lld, K=%d",
                            (long long)M, q->K);
    return 0;
}
