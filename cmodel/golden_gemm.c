/* golden_gemm.c: the reference integer GEMM every engine must match, and the
 * float output stage. Written for clarity, not speed: the fast paths live in
 * the CPU kernels and are tested against this. */
#include <stdlib.h>

#include "sa35_cmodel.h"

void sa35_gemm_acc(const int8_t *A, int64_t M, const sa35_qweights *q,
                   int32_t *acc, int32_t *rsum)
{
    const int32_t K = q->K, N = q->N;
    /* Decode each column once, then run every row against it. */
    int32_t *col = malloc((size_t)K * sizeof(int32_t));
    if (!col)
        abort(); /* K < 2^21 int32s: a failure here is not recoverable */
    for (int32_t n = 0; n < N; n++) {
        for (int32_t k = 0; k < K; k++)
            col[k] = sa35_qweights_code(q, k, n);
        for (int64_t m = 0; m < M; m++) {
            const int8_t *a = A + m * K;
            int32_t s = 0; /* |a*q| <= 1024 and K < 2^21: cannot overflow */
            for (int32_t k = 0; k < K; k++)
                s += (int32_t)a[k] * col[k];
            acc[m * N + n] = s;
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
            float t1 = q->scale[n] * (float)acc[m * N + n];
            float t2 = q->zero[n] * (float)rsum[m];
            float t3 = t1 + t2;
            Y[m * N + n] = sa[m] * t3;
        }
    }
}
