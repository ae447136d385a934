/* project_quality.c: what each format does to a weight matrix: the SQNR
 * beside the speed, on a matrix anyone can make again with `sa35 randn`
 * and measure with `sa35 stats`. */
#include <stdlib.h>
#include <string.h>

#include "project_internal.h"

int sa35_qmatrix_make(sa35_qmatrix *q, sa35_err *err)
{
    int64_t dims[2] = {q->K, q->N};
    size_t n = (size_t)q->K * (size_t)q->N;
    unsigned char *mask = NULL;
    q->w = malloc(n * sizeof *q->w);
    if (!q->w)
        return sa35_err_set(err, "out of memory for the %lld x %lld quality "
                            "matrix", (long long)q->K, (long long)q->N);
    int rc = 0;
    if (q->dist.kind == SA35_DIST_OUTLIERS) {
        int64_t dim = q->dist.last_dim ? q->N : q->K;
        mask = malloc((size_t)dim);
        rc = !mask ? sa35_err_set(err, "out of memory for the outlier mask")
                   : sa35_dist_outliers(&q->dist, q->seed, dim, mask, err);
    }
    if (!rc)
        rc = sa35_dist_fill(&q->dist, q->seed, q->std, 0, 2, dims, mask, q->w,
                            err);
    free(mask);
    if (rc)
        sa35_qmatrix_free(q);
    return rc;
}

void sa35_qmatrix_free(sa35_qmatrix *q)
{
    free(q->w);
    q->w = NULL;
}

int proj_quality(const sa35_qmatrix *qm, const sa35_wformat *f,
                 sa35_quality *out, sa35_err *err)
{
    sa35_fview v = {qm->w, qm->K, qm->N, qm->N, 1};
    sa35_qweights q;
    sa35_format fmt = sa35_pe_info(f->pe)->fmt;
    if (f->group ? sa35_quantize_group(&v, fmt, f->group, &q, err)
                 : sa35_quantize(&v, fmt, &q, err))
        return -1;
    sa35_quality_measure(&v, &q, out);
    sa35_qweights_free(&q);
    return 0;
}
