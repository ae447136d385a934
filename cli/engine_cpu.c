/* engine_cpu.c: the CPU kernels (cpu/) as an engine: `--engine cpu
 * [--threads T]`; the kernel is the best this CPU runs, or the one named in
 * SA35_CPU_KERNEL. */
#include "engines.h"
#include "sa35_cpu.h"

int engine_cpu_run(const int8_t *A, int64_t M, const sa35_qweights *q,
                   int32_t *acc, const engine_opts *opts, sa35_err *err)
{
    if (opts->array || opts->trace_path)
        return sa35_err_set(err, "the cpu engine takes no --array or "
                                 "--trace");
    sa35_cpu_ctx ctx;
    if (sa35_cpu_ctx_init(&ctx, SA35_CPU_AUTO, opts->threads, err) ||
        sa35_cpu_gemm_acc(&ctx, A, M, q, acc, NULL, err))
        return -1;
    if (opts->stats) {
        cJSON_AddStringToObject(opts->stats, "engine", "cpu");
        cJSON_AddStringToObject(opts->stats, "kernel",
                                sa35_cpu_kernel_name(ctx.kernel));
        cJSON_AddNumberToObject(opts->stats, "threads", ctx.threads);
    }
    return 0;
}
