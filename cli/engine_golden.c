/* engine_golden.c: the golden model as an engine. */
#include "engines.h"

int engine_golden_run(const int8_t *A, int64_t M, const sa35_qweights *q,
                      int32_t *acc, const engine_opts *opts, sa35_err *err)
{
    (void)err;
    if (opts->array || opts->threads || opts->trace_path)
        return sa35_err_set(err, "the golden engine takes no --array, "
                                 "--threads or --trace");
    sa35_gemm_acc(A, M, q, acc, NULL);
    if (opts->stats)
        cJSON_AddStringToObject(opts->stats, "engine", "golden");
    return 0;
}
