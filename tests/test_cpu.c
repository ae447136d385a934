/* test_cpu.c: every CPU kernel this machine supports gives the golden
 * model's int32 accumulators exactly (as ggml's test-backend-ops does), on
 * every shape class: all K mod 16, K < 16, N = 1, M = 1..17, several thread
 * counts, random bytes as weights (so every code and garbage in the padding
 * occur), activations with -128, and the extreme codes that would saturate
 * a careless int16 path. Also the kernel choice: SA35_CPU_KERNEL and errors
 * for unknown or unsupported kernels. */
#include <stdlib.h>

#include "sa35_cpu.h"
#include "test_util.h"

static const sa35_format formats[] = {SA35_FMT_SA35, SA35_FMT_INT4,
                                      SA35_FMT_INT8, SA35_FMT_INT3};

/* Run one kernel and the golden model on the same A and q; 1 if equal. */
static int same_as_golden(sa35_cpu_kernel kern, int threads, const int8_t *A,
                          int64_t M, const sa35_qweights *q)
{
    size_t n = (size_t)M * (size_t)q->N;
    int32_t *want = malloc(n * sizeof *want), *got = malloc(n * sizeof *got);
    int32_t *rs_want = malloc((size_t)M * sizeof *rs_want);
    int32_t *rs_got = malloc((size_t)M * sizeof *rs_got);
    CHECK(want && got && rs_want && rs_got);
    sa35_gemm_acc(A, M, q, want, rs_want);
    sa35_cpu_ctx ctx;
    sa35_err err = {{0}};
    int rc = sa35_cpu_ctx_init(&ctx, kern, threads, &err);
    if (!rc)
        rc = sa35_cpu_gemm_acc(&ctx, A, M, q, got, rs_got, &err);
    CHECK_MSG(rc == 0, "%s", err.msg);
    int ok = rc == 0 && memcmp(want, got, n * sizeof *got) == 0 &&
             memcmp(rs_want, rs_got, (size_t)M * sizeof *rs_got) == 0;
    free(want);
    free(got);
    free(rs_want);
    free(rs_got);
    return ok;
}

static void random_case(uint64_t *seed, sa35_cpu_kernel kern,
                        sa35_format fmt, int64_t M, int64_t K, int64_t N,
                        int threads)
{
    sa35_qweights q;
    sa35_err err;
    CHECK(sa35_qweights_alloc(&q, fmt, K, N, &err) == 0);
    for (size_t i = 0; i < (size_t)N * q.colbytes; i++)
        q.qweight[i] = (uint8_t)test_rand_u64(seed);
    int8_t *A = malloc((size_t)(M * K));
    for (int64_t i = 0; i < M * K; i++)
        A[i] = (int8_t)test_rand_range(seed, -128, 127);
    CHECK_MSG(same_as_golden(kern, threads, A, M, &q),
              "kernel %s, %s, M=%lld K=%lld N=%lld threads=%d",
              sa35_cpu_kernel_name(kern), sa35_format_info(fmt)->name,
              (long long)M, (long long)K, (long long)N, threads);
    free(A);
    sa35_qweights_free(&q);
}

/* All weights one extreme code, all activations one extreme value; M = 1
 * too, since the AVX2 SA35 kernel has its own GEMV path (scaled weights,
 * one int32 widening per vpmaddubsw) whose bounds need checking. */
static void extreme_case_m(sa35_cpu_kernel kern, sa35_format fmt,
                           uint8_t byte, int8_t act, int64_t K, int64_t M);
static void extreme_case(sa35_cpu_kernel kern, sa35_format fmt, uint8_t byte,
                         int8_t act, int64_t K)
{
    extreme_case_m(kern, fmt, byte, act, K, 1);
    extreme_case_m(kern, fmt, byte, act, K, K > 4096 ? 2 : 5);
}

static void extreme_case_m(sa35_cpu_kernel kern, sa35_format fmt,
                           uint8_t byte, int8_t act, int64_t K, int64_t M)
{
    const int64_t N = K > 4096 ? 2 : 9;
    sa35_qweights q;
    sa35_err err;
    CHECK(sa35_qweights_alloc(&q, fmt, K, N, &err) == 0);
    for (int64_t n = 0; n < N; n++) {
        uint8_t *col = q.qweight + (size_t)n * q.colbytes;
        if (fmt == SA35_FMT_SA35) /* byte is the 7-bit pair code */
            for (int32_t p = 0; p < q.Kp / 2; p++)
                sa35_pair_store(col, p, byte);
        else
            memset(col, byte, q.colbytes);
    }
    int8_t *A = malloc((size_t)(M * K));
    memset(A, (uint8_t)act, (size_t)(M * K));
    CHECK_MSG(same_as_golden(kern, 0, A, M, &q),
              "kernel %s, %s, byte 0x%02x, activation %d, M=%lld",
              sa35_cpu_kernel_name(kern), sa35_format_info(fmt)->name, byte,
              act, (long long)M);
    /* Uneven sums too: a wrong reduction can cancel out when every SIMD
     * lane sums the same. */
    for (int64_t i = 0; i < M * K; i++)
        if (i % 64 < 24)
            A[i] = 0;
    CHECK_MSG(same_as_golden(kern, 0, A, M, &q),
              "kernel %s, %s, byte 0x%02x, activation %d or 0, M=%lld",
              sa35_cpu_kernel_name(kern), sa35_format_info(fmt)->name, byte,
              act, (long long)M);
    free(A);
    sa35_qweights_free(&q);
}

static void test_kernel(sa35_cpu_kernel kern)
{
    uint64_t seed = 0x5A35C0DEull + (uint64_t)kern;
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        sa35_format fmt = formats[f];
        /* K = 1..48 covers K < 16 and every K mod 16 three times. */
        for (int64_t K = 1; K <= 48; K++)
            for (int64_t M = 1; M <= 17; M++)
                random_case(&seed, kern, fmt, M, K, 1 + (M + K) % 6,
                            (int)(K % 3) + 1);
        static const int64_t bigK[] = {127, 128, 129, 1000, 2051};
        static const int64_t Ms[] = {1, 4, 5, 8, 17};
        for (size_t i = 0; i < sizeof bigK / sizeof bigK[0]; i++)
            for (size_t j = 0; j < sizeof Ms / sizeof Ms[0]; j++)
                random_case(&seed, kern, fmt, Ms[j], bigK[i],
                            (int64_t)(1 + 16 * j), (int)j % 3);
        /* Enough rows and K that the SIMD kernels split K into blocks. */
        random_case(&seed, kern, fmt, 65, 5000, 3, 2);
        random_case(&seed, kern, fmt, 17, 20000, 5, 1);
        /* Largest |u * a| products: u = 15 (and 14) and u = 0 against
         * -128 and 127; INT8 -128 * -128. */
        static const uint8_t sa35_codes[] = {0x3B, 0x44, 0x7F, 0x00};
        static const uint8_t bytes[] = {0x77, 0x88, 0x80, 0x7F, 0xFF};
        static const int8_t acts[] = {-128, 127};
        for (size_t b = 0; b < 5; b++)
            for (size_t a = 0; a < 2; a++)
                extreme_case(kern, fmt,
                             fmt == SA35_FMT_SA35 ? sa35_codes[b % 4]
                                                  : bytes[b],
                             acts[a], 2000);
        /* The largest K: acc = 1024 * K is just below 2^31, and the
         * biased sums on the way pass it. */
        if (fmt != SA35_FMT_INT8)
            extreme_case(kern, fmt, fmt == SA35_FMT_SA35 ? 0x44 : 0x88, -128,
                         SA35_K_LIMIT - 1);
        /* And the largest biased products (u = 15, 14 against -128) over
         * the largest K: acc = -832 * K (SA35) or -896 * K (INT4) still
         * fits, but the kernels' intermediate sums (the AVX2 GEMV keeps 8
         * times them) would not, unless they are reduced on the way. */
        if (fmt != SA35_FMT_INT8)
            extreme_case(kern, fmt, fmt == SA35_FMT_SA35 ? 0x3B : 0x77, -128,
                         SA35_K_LIMIT - 1);
    }
}

/* The same through the quantizer, on a Gaussian matrix, per column and
 * group-scaled. */
static void test_quantized(sa35_cpu_kernel kern)
{
    const int64_t M = 3, K = 777, N = 13;
    uint64_t seed = 7;
    float *W = malloc((size_t)(K * N) * sizeof *W);
    int8_t *A = malloc((size_t)(M * K));
    for (int64_t i = 0; i < K * N; i++)
        W[i] = test_rand_normal(&seed);
    for (int64_t i = 0; i < M * K; i++)
        A[i] = (int8_t)test_rand_range(&seed, -127, 127);
    sa35_fview v = {W, K, N, N, 1};
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        sa35_qweights q;
        sa35_err err;
        CHECK(sa35_quantize(&v, formats[f], &q, &err) == 0);
        CHECK_MSG(same_as_golden(kern, 2, A, M, &q), "quantized %s on %s",
                  sa35_format_info(formats[f])->name,
                  sa35_cpu_kernel_name(kern));
        sa35_qweights_free(&q);
        /* group-scaled: the float32 accumulator's bits; 777 = 12 groups of
         * 64 and a short one of 9, and one group longer than K */
        static const int64_t groups[] = {64, 256, 1008};
        for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
            CHECK(sa35_quantize_group(&v, formats[f], groups[g], &q, &err) ==
                  0);
            CHECK_MSG(same_as_golden(kern, 2, A, M, &q),
                      "quantized %s in groups of %lld on %s",
                      sa35_format_info(formats[f])->name,
                      (long long)groups[g], sa35_cpu_kernel_name(kern));
            sa35_qweights_free(&q);
        }
    }
    free(W);
    free(A);
}

static void test_selection(void)
{
    sa35_cpu_kernel k;
    sa35_err err;
    CHECK(sa35_cpu_kernel_supported(SA35_CPU_SCALAR));
    CHECK(sa35_cpu_kernel_from_name("avx2", &k) == 0 && k == SA35_CPU_AVX2);
    CHECK(sa35_cpu_kernel_from_name("sse9", &k) == -1);
    /* The environment variable forces one; a bad or unsupported one is an
     * error naming it. */
    setenv("SA35_CPU_KERNEL", "scalar", 1);
    CHECK(sa35_cpu_kernel_resolve(SA35_CPU_AUTO, &k, &err) == 0 &&
          k == SA35_CPU_SCALAR);
    setenv("SA35_CPU_KERNEL", "sse9", 1);
    CHECK(sa35_cpu_kernel_resolve(SA35_CPU_AUTO, &k, &err) == -1);
    CHECK(strstr(err.msg, "sse9") != NULL);
    for (int i = 0; i < SA35_CPU_KERNEL_COUNT; i++) {
        if (sa35_cpu_kernel_supported((sa35_cpu_kernel)i))
            continue;
        const char *name = sa35_cpu_kernel_name((sa35_cpu_kernel)i);
        setenv("SA35_CPU_KERNEL", name, 1);
        CHECK(sa35_cpu_kernel_resolve(SA35_CPU_AUTO, &k, &err) == -1);
        CHECK(strstr(err.msg, "cannot run") && strstr(err.msg, name));
        CHECK(sa35_cpu_kernel_resolve((sa35_cpu_kernel)i, &k, &err) == -1);
    }
    unsetenv("SA35_CPU_KERNEL");
    CHECK(sa35_cpu_kernel_resolve(SA35_CPU_AUTO, &k, &err) == 0 &&
          k == sa35_cpu_kernel_best());
}

int main(void)
{
    test_selection();
    for (int i = 0; i < SA35_CPU_KERNEL_COUNT; i++) {
        sa35_cpu_kernel k = (sa35_cpu_kernel)i;
        if (!sa35_cpu_kernel_supported(k)) {
            fprintf(stderr, "kernel %s: not supported here, skipped\n",
                    sa35_cpu_kernel_name(k));
            continue;
        }
        fprintf(stderr, "kernel %s: checking against the golden model\n",
                sa35_cpu_kernel_name(k));
        test_kernel(k);
        test_quantized(k);
    }
    return TEST_DONE();
}
