/* quality.c: how far a quantized matrix is from the float original, and what
 * it costs in storage. */
#include <math.h>
#include <stdlib.h>

#include "sa35_cmodel.h"

void sa35_quality_measure(const sa35_fview *w, const sa35_qweights *q,
                          sa35_quality *out)
{
    double sig = 0.0, err = 0.0, maxe = 0.0;
    for (int32_t n = 0; n < q->N; n++) {
        for (int32_t k = 0; k < q->K; k++) {
            int32_t g = sa35_qweights_group_of(q, k);
            float t = sa35_qweights_scale(q, g, n) *
                      (float)sa35_qweights_code(q, k, n);
            double wh = (double)(sa35_qweights_zero(q, g, n) + t);
            double wv = (double)sa35_fview_at(w, k, n);
            double d = wv - wh;
            sig += wv * wv;
            err += d * d;
            if (fabs(d) > maxe)
                maxe = fabs(d);
        }
    }
    double count = (double)q->K * (double)q->N;
    out->rmse = sqrt(err / count);
    out->sqnr_db = err > 0.0 ? 10.0 * log10(sig / err) : INFINITY;
    out->max_abs_err = maxe;
    out->bits_per_weight =
        sa35_bits_per_weight_group(q->fmt, q->K, q->N, q->group);
}

double sa35_bits_per_weight(sa35_format fmt, int64_t K, int64_t N)
{
    return sa35_bits_per_weight_group(fmt, K, N, 0);
}

double sa35_bits_per_weight_group(sa35_format fmt, int64_t K, int64_t N,
                                  int64_t G)
{
    int32_t Kp = 0;
    size_t colbytes = 0;
    if (sa35_qweights_shape(fmt, K, N, &Kp, &colbytes, NULL) ||
        (G && sa35_group_check(fmt, G, NULL)))
        return NAN;
    /* A scale per column (float32) or per group (binary16), plus a zero for
     * the asymmetric formats; symmetric INT8 stores a zero of 0 only for
     * uniformity, so it is not counted. */
    double groups = G ? (double)((K + G - 1) / G) : 1.0;
    double width = G ? 16.0 : 32.0;
    double per_col_bits = 8.0 * (double)colbytes +
                          groups * width * (fmt == SA35_FMT_INT8 ? 1.0 : 2.0);
    return per_col_bits / (double)K;
}
