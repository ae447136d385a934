/* fuzz_qfile.c: the quantized weight file (safetensors underneath).
 * Asserts: a weight it loads has consistent sizes (K <= Kp, N columns of
 * colbytes, ngroups scales each) and dequantizes with every code and
 * scale read in bounds (ASan). */
#include "fuzz_util.h"
#include "sa35_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    sa35_safetensors st;
    sa35_err err;
    if (sa35_st_open(fuzz_file("in.safetensors", d, n), &st, &err) != 0)
        return 0;
    const char **names = NULL;
    int count = 0;
    if (sa35_qfile_names(&st, &names, &count, &err) == 0)
        for (int i = 0; i <= count; i++) {
            /* each weight by name, then "the only one" (NULL) */
            sa35_qweights q;
            if (sa35_qfile_load(&st, i < count ? names[i] : NULL, &q,
                                &err) != 0)
                continue;
            FUZZ_ASSERT(q.K >= 1 && q.N >= 1 && q.K <= q.Kp);
            FUZZ_ASSERT(q.ngroups >= 1 && q.colbytes > 0);
            if ((int64_t)q.K * q.N <= 1 << 16) {
                float *w = malloc(sizeof *w * (size_t)q.K * (size_t)q.N);
                FUZZ_ASSERT(w != NULL);
                sa35_dequantize(&q, w);
                free(w);
            }
            sa35_qweights_free(&q);
        }
    free(names);
    sa35_st_close(&st);
    return 0;
}
