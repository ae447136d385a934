/* activations.c: float32 activations to int8 per row (format.md):
 * sa[m] = max_k |X[m][k]| / 127, A = clamp(round(X / sa), -127, 127). */
#include <math.h>

#include "sa35_cmodel.h"

int sa35_quantize_activations(const float *X, int64_t M, int64_t K, int8_t *A,
                              float *sa, sa35_err *err)
{
    for (int64_t m = 0; m < M; m++) {
        const float *x = X + m * K;
        float amax = 0.0f;
        for (int64_t k = 0; k < K; k++) {
            if (!isfinite(x[k]))
                return sa35_err_set(err, "%s activation at X[m=%lld][k=%lld]",
                                    isnan(x[k]) ? "NaN" : "infinite",
                                    (long long)m, (long long)k);
            if (fabsf(x[k]) > amax)
                amax = fabsf(x[k]);
        }
        float s = amax / 127.0f;
        sa[m] = s;
        for (int64_t k = 0; k < K; k++) {
            int8_t a = 0;
            if (s != 0.0f) {
                float r = roundf(x[k] / s);
                /* |x| <= amax, so r is within +-127 up to rounding of the
                 * division; clamp anyway as the format says. */
                if (r > 127.0f)
                    r = 127.0f;
                if (r < -127.0f)
                    r = -127.0f;
                a = (int8_t)r;
            }
            A[m * K + k] = a;
        }
    }
    return 0;
}
