/* golden_gemm.c: the reference integer GEMM every engine must match, and the
 * float output stage. Written for clarity, not speed: the fast paths live in
 * the CPU kernels and are tested against this. */
#include <stdlib.h>

#include "sa35_cmodel.h"

float sa35_group_term(float s, float z, int32_t psum, int32_t rsum)
{
    float t1 = s * (float)psum;
    float t2 = z * (float)rsum;
    return t1 + t2;
}

void sa35_gemm_acc(const int8_t *A, int64_t M, const sa35_qweights *q,
                   int32_t *acc, int32_t *rsum)
{
    const int32_t K = q->K, N = q->N;
    const int32_t G = q->group ? q->group : K;
    /* Decode each column once, then run every row against it. */
    int32_t *col = malloc((size_t)K * sizeof(int32_t));
    if (!col)
        abort(); /* K < 2^21 int32s: a failure here is not recoverable */
    for (int32_t n = 0; n < N; n++) {
        for (int32_t k = 0; k < K; k++)
            col[k] = sa35_qweights_code(q, k, n);
        for (int64_t m = 0; m < M; m++) {
            const int8_t *a = A + m * K;
            float f = 0.0f;
            int32_t s = 0;
            for (int32_t g = 0; g * G < K; g++) {
                /* |a*q| <= 1024 and K < 2^21: s cannot overflow */
                int32_t ps = 0, rs = 0;
                for (int32_t k = g * G; k < K && k < (g + 1) * G; k++) {
                    ps += (int32_t)a[k] * col[k];
                    rs += a[k];
                }
                s += ps;
                if (q->group) {
                    float t = sa35_group_term(sa35_qweights_scale(q, g, n),
                                              sa35_qweights_zero(q, g, n),
                                              ps, rs);
                    f = g == 0 ? t : f + t;
                }
            }
            acc[m * N + n] = q->group ? sa35_acc_word(f) : s;
        }
    }
    free(col);
    if (rsum)
        sa35_row_sums(A, M, K, rsum);
}

void sa35_row_sums(const int8_t *A, int64_t M, int64_t K, int32_t *rsum)
{
    for (int64_t m = 0; m < M; m++) {
        int32_t s = 0;
        for (int64_t k = 0; k < K; k++)
            s += A[m * K + k];
        rsum[m] = s;
    }
}

void sa35_gemm_output(int64_t M, const sa35_qweights *q, const float *sa,
                      const int32_t *rsum, const int32_t *acc, float *Y)
{
    const int32_t N = q->N;
    for (int64_t m = 0; m < M; m++) {
        for (int32_t n = 0; n < N; n++) {
            float t3 = q->group
                           ? sa35_acc_float(acc[m * N + n])
                           : sa35_group_term(q->scale[n], q->zero[n],
                                             acc[m * N + n], rsum[m]);
            Y[m * N + n] = sa[m] * t3;
        }
    }
}
