/* test_golden_gemm.c: the golden integer GEMM against a plain triple loop in
 * int64, the int32 worst case, and the float output stage. */
#include <stdlib.h>
#include <string.h>

#include "sa35_cmodel.h"
#include "test_util.h"

static void random_case(uint64_t *seed, sa35_format fmt)
{
    int64_t M = test_rand_range(seed, 1, 9);
    int64_t K = test_rand_range(seed, 1, 300);
    int64_t N = test_rand_range(seed, 1, 17);
    float *w = malloc((size_t)(K * N) * sizeof *w);
    int8_t *A = malloc((size_t)(M * K));
    int32_t *acc = malloc((size_t)(M * N) * sizeof *acc);
    int32_t *rsum = malloc((size_t)M * sizeof *rsum);
    for (int64_t i = 0; i < K * N; i++)
        w[i] = test_rand_normal(seed);
    for (int64_t i = 0; i < M * K; i++) /* every int8, -128 included */
        A[i] = (int8_t)test_rand_range(seed, -128, 127);
    sa35_fview v = {w, K, N, N, 1};
    sa35_qweights q;
    CHECK(sa35_quantize(&v, fmt, &q, NULL) == 0);
    sa35_gemm_acc(A, M, &q, acc, rsum);
    for (int64_t m = 0; m < M; m++) {
        int64_t rs = 0;
        for (int64_t k = 0; k < K; k++)
            rs += A[m * K + k];
        CHECK(rsum[m] == rs);
        for (int64_t n = 0; n < N; n++) {
            int64_t s = 0;
            for (int64_t k = 0; k < K; k++)
                s += (int64_t)A[m * K + k] *
                     sa35_qweights_code(&q, (int32_t)k, (int32_t)n);
            CHECK_MSG(acc[m * N + n] == s, "M=%lld K=%lld N=%lld m=%lld "
                      "n=%lld", (long long)M, (long long)K, (long long)N,
                      (long long)m, (long long)n);
        }
    }
    sa35_qweights_free(&q);
    free(w);
    free(A);
    free(acc);
    free(rsum);
}

/* The largest K the format allows with the worst operands, -128 against
 * -8 at every k: acc = 1024 (2^21 - 1) = 2^31 - 1024, still an int32. */
static void test_worst_case_no_overflow(void)
{
    const int32_t K = SA35_K_LIMIT - 1;
    sa35_qweights q;
    CHECK(sa35_qweights_alloc(&q, SA35_FMT_SA35, K, 1, NULL) == 0);
    for (int32_t p = 0; p < (K + 1) / 2; p++)
        sa35_pair_store(q.qweight, p, sa35_pair_pack(-8, -4));
    /* K is odd: the last pair's odd half is padding and must stay 0 */
    uint8_t *last = q.qweight;
    int32_t lp = (K - 1) / 2;
    uint32_t code = sa35_pair_code(last, lp);
    CHECK(sa35_code_even(code) == -8);
    int8_t *A = malloc((size_t)K);
    memset(A, 0x80, (size_t)K); /* -128 */
    int32_t acc, rsum;
    sa35_gemm_acc(A, 1, &q, &acc, &rsum);
    CHECK(acc == (int32_t)(1024LL * K));
    CHECK(rsum == -128 * K);
    free(A);
    sa35_qweights_free(&q);
}

/* Y = sa (s acc + z rsum), in that order, in float32. */
static void test_output_stage(void)
{
    float w[4] = {-1.0f, 0.5f, 2.0f, 0.0f};
    sa35_fview v = {w, 4, 1, 1, 1};
    sa35_qweights q;
    CHECK(sa35_quantize(&v, SA35_FMT_SA35, &q, NULL) == 0);
    float x[4] = {1.0f, -1.0f, 0.5f, 0.25f}, sa, y;
    int8_t A[4];
    int32_t acc, rsum;
    CHECK(sa35_quantize_activations(x, 1, 4, A, &sa, NULL) == 0);
    sa35_gemm_acc(A, 1, &q, &acc, &rsum);
    /* codes -8, 0, 7, -4; A = 127, -127, 64 (63.5 rounds away), 32 */
    CHECK(A[0] == 127 && A[1] == -127 && A[2] == 64 && A[3] == 32);
    CHECK(acc == 127 * -8 + 64 * 7 + 32 * -4);
    CHECK(rsum == 127 - 127 + 64 + 32);
    sa35_gemm_output(1, &q, &sa, &rsum, &acc, &y);
    float t1 = q.scale[0] * (float)acc, t2 = q.zero[0] * (float)rsum;
    float t3 = t1 + t2;
    CHECK(y == sa * t3);
    sa35_qweights_free(&q);
}

int main(void)
{
    uint64_t seed = 42;
    for (int i = 0; i < 200; i++)
        random_case(&seed, (sa35_format)(i % SA35_FMT_COUNT));
    test_worst_case_no_overflow();
    test_output_stage();
    return TEST_DONE();
}
