/* engine_rtl.c: the Verilated RTL (rtl/) as an engine of `sa35 gemm`:
 * the GEMM is compiled to a program, which the Verilog array runs cycle by
 * cycle. --array RxC picks one of the sizes built in (SA35_RTL_ARRAYS);
 * --trace FILE.fst (or .vcd) writes the waveforms; --stats every TIMING
 * counter, as the sim engine writes them. */

#include "cli_common.h"
#include "engines.h"
#include "sa35_rtl.h"

int engine_rtl_run(const int8_t *A, int64_t M, const sa35_qweights *q,
                   int32_t *acc, const engine_opts *opts, sa35_err *err)
{
    if (opts->threads)
        return sa35_err_set(err, "the rtl engine takes no --threads");
    sa35_arch a;
    sa35_arch_default(&a);
    if ((opts->array && sa35_arch_parse_array(opts->array, &a, err)) ||
        (opts->mem && cli_memsys_apply(opts->mem, &a, err)))
        return -1;
    if (engine_pe_of_weights(q, &a, err)) /* the array's PEs take q's codes */
        return -1;
    /* the models' accumulator rows (none built: 0, and the RTL's own
     * message says so below, not a check of acc_rows 0) */
    const int32_t most = sa35_rtl_max_acc_rows();
    if (most > 0 && a.acc_rows > most)
        a.acc_rows = most;
    if (engine_sim_check("rtl", &a, M, q->K, q->N, q->group, 0,
                         &opts->limits, err))
        return -1;
    sa35_rtl_opts ro = {opts->trace_path};
    sa35_stats st;
    if (sa35_rtl_gemm(&a, A, M, q, acc, &ro, &st, err))
        return -1;
    /* the same JSON as the sim engine's: its TIMING counters compare key
     * by key (no "activity": the RTL counts no DATA counters) */
    if (opts->stats && sa35_stats_to_json(&st, &a, "rtl", opts->stats))
        return sa35_err_set(err, "out of memory for the statistics");
    return 0;
}
