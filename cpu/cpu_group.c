/* cpu_group.c: group-scaled weights (docs/format.md, "Group scaling") on
 * the CPU kernels. A group's codes are a byte slice of every column (G is
 * a multiple of 16), so each group is a per-column weight of its own: the
 * kernels give its int32 partial sums and row sums, and the float32
 * accumulator is built from them in the order the format pins. One copy of
 * the weights' bytes a call, group by group: correct first; a kernel that
 * scales inside its K loop is the faster way (docs/cpu.md). */
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"

int cpu_gemm_group(const sa35_cpu_ctx *ctx, const int8_t *A, int64_t M,
                   const sa35_qweights *q, int32_t *acc, int32_t *rsum,
                   sa35_err *err)
{
    const int64_t K = q->K, N = q->N, G = q->group;
    const size_t gbytes =
        (size_t)G * (size_t)sa35_format_info(q->fmt)->bits_per_16k / 128u;
    float *f = malloc((size_t)(M * N) * sizeof *f);
    int32_t *ps = malloc((size_t)(M * N) * sizeof *ps);
    int32_t *rs = malloc((size_t)M * sizeof *rs);
    int8_t *as = malloc((size_t)(M * G));
    int rc = f && ps && rs && as
                 ? 0
                 : sa35_err_set(err, "cpu gemm: out of memory for M=%lld, "
                                "N=%lld", (long long)M, (long long)N);
    if (rsum && !rc)
        memset(rsum, 0, (size_t)M * sizeof *rsum);
    for (int32_t g = 0; !rc && g < q->ngroups; g++) {
        int64_t k0 = g * G, len = K - k0 < G ? K - k0 : G;
        sa35_qweights sub;
        if (sa35_qweights_alloc(&sub, q->fmt, len, N, err)) {
            rc = -1;
            break;
        }
        /* the slice ends inside the column: its padding is q's, code 0 */
        for (int64_t n = 0; n < N; n++)
            memcpy(sub.qweight + (size_t)n * sub.colbytes,
                   q->qweight + (size_t)n * q->colbytes + (size_t)g * gbytes,
                   sub.colbytes);
        for (int64_t m = 0; m < M; m++)
            memcpy(as + m * len, A + m * K + k0, (size_t)len);
        rc = sa35_cpu_gemm_acc(ctx, as, M, &sub, ps, rs, err);
        sa35_qweights_free(&sub);
        for (int64_t m = 0; !rc && m < M; m++) {
            if (rsum)
                rsum[m] += rs[m];
            for (int64_t n = 0; n < N; n++) {
                float t = sa35_group_term(
                    sa35_qweights_scale(q, g, (int32_t)n),
                    sa35_qweights_zero(q, g, (int32_t)n), ps[m * N + n],
                    rs[m]);
                f[m * N + n] = g ? f[m * N + n] + t : t;
            }
        }
    }
    for (int64_t i = 0; !rc && i < M * N; i++)
        acc[i] = sa35_acc_word(f[i]);
    free(f), free(ps), free(rs), free(as);
    return rc;
}
