/* rtl_run.c: the RTL engine's C side: pick the model of the array size,
 * validate and encode the program, convert a .vcd trace, and run GEMMs
 * through the compiler as sim/sim_gemm.c does for the simulator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rtl_internal.h"

const char *sa35_rtl_sizes(void)
{
    static char list[1024];
    if (!list[0])
        for (const sa35_rtl_model *m = sa35_rtl_models; m->rows; m++) {
            size_t n = strlen(list);
            snprintf(list + n, sizeof list - n,
                     m->load_rows > 1 ? "%s%dx%dl%d" : "%s%dx%d",
                     n ? ", " : "", m->rows, m->cols, m->load_rows);
        }
    return list;
}

int32_t sa35_rtl_max_acc_rows(void)
{
    int32_t most = 0;
    for (const sa35_rtl_model *m = sa35_rtl_models; m->rows; m++)
        most = m->acc_rows > most ? m->acc_rows : most;
    return most;
}

static const sa35_rtl_model *find_model(const sa35_arch *a, sa35_err *err)
{
    const sa35_rtl_model *size = NULL;
    for (const sa35_rtl_model *m = sa35_rtl_models; m->rows; m++) {
        if (m->rows != a->rows || m->cols != a->cols)
            continue;
        size = m;
        if (m->load_rows != a->load_rows)
            continue;
        if (a->acc_rows > m->acc_rows)
            return sa35_err_set(err, "the %dx%d RTL holds %d accumulator "
                                     "rows, not %d",
                                m->rows, m->cols, m->acc_rows, a->acc_rows),
                   NULL;
        return m;
    }
    if (size)
        return sa35_err_set(err, "no %dx%d RTL model with %d load lane(s); "
                                 "built: %s (configure with "
                                 "-DSA35_RTL_ARRAYS=...;%dx%dl%d)",
                            a->rows, a->cols, a->load_rows, sa35_rtl_sizes(),
                            a->rows, a->cols, a->load_rows),
               NULL;
    if (!sa35_rtl_models[0].rows)
        sa35_err_set(err, "the RTL engine is not built into this program "
                          "(configure with -DSA35_RTL=ON)");
    else
        sa35_err_set(err, "no RTL model of a %dx%d array; built: %s "
                          "(configure with -DSA35_RTL_ARRAYS to add one)",
                     a->rows, a->cols, sa35_rtl_sizes());
    return NULL;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

/* fst2vcd (GTKWave) turns the model's FST trace into VCD. */
static int fst_to_vcd(const char *fst, const char *vcd, sa35_err *err)
{
    pid_t pid = fork();
    if (pid == 0) {
        execlp("fst2vcd", "fst2vcd", "-f", fst, "-o", vcd, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return sa35_err_set(err, "%s: fst2vcd (from GTKWave) could not "
                                 "convert the trace; write a .fst instead",
                            vcd);
    return 0;
}

int sa35_rtl_run(const sa35_arch *a, const sa35_program *p, sa35_mem mem,
                 const sa35_rtl_opts *opts, uint64_t *cycles, sa35_err *err)
{
    *cycles = 0;
    const sa35_rtl_model *m = find_model(a, err);
    if (!m || sa35_program_validate(p, a, err))
        return -1;
    if (!mem.sram || mem.sram_bytes < a->sram_bytes || !mem.dram ||
        mem.dram_bytes < a->dram_bytes)
        return sa35_err_set(err, "the RTL needs SRAM and off-chip memory of "
                                 "the architecture's sizes");
    const char *trace = opts ? opts->trace_path : NULL;
    if (trace && !ends_with(trace, ".fst") && !ends_with(trace, ".vcd"))
        return sa35_err_set(err, "%s: a trace is FILE.fst or FILE.vcd",
                            trace);
    uint8_t *bin = NULL;
    size_t len = 0;
    if (sa35_program_encode(p, &bin, &len, err))
        return -1;
    char *tmp = NULL;
    sa35_rtl_opts o = {trace};
    if (trace && ends_with(trace, ".vcd")) {
        tmp = malloc(strlen(trace) + 16);
        if (!tmp) {
            free(bin);
            return sa35_err_set(err, "out of memory");
        }
        sprintf(tmp, "%s.tmp.fst", trace);
        o.trace_path = tmp;
    }
    int rc = m->run(a, bin, (uint32_t)p->count, mem, &o, cycles, err);
    if (!rc && tmp)
        rc = fst_to_vcd(tmp, trace, err);
    if (tmp)
        remove(tmp);
    free(tmp);
    free(bin);
    return rc;
}

int sa35_rtl_gemm(const sa35_arch *a0, const int8_t *A, int64_t M,
                  const sa35_qweights *q, int32_t *acc,
                  const sa35_rtl_opts *opts, uint64_t *cycles,
                  sa35_err *err)
{
    if (q->fmt != SA35_FMT_SA35)
        return sa35_err_set(err, "the accelerator runs SA35 weights");
    if (!find_model(a0, err))
        return -1;
    sa35_gemm_plan plan;
    sa35_program prog;
    if (sa35_compile_gemm(a0, M, q->K, q->N, &plan, &prog, err))
        return -1;
    sa35_arch a = *a0;
    a.sram_bytes = plan.sram_bytes;
    a.dram_bytes = plan.dram_bytes;
    sa35_mem mem = {calloc(1, plan.dram_bytes), plan.dram_bytes,
                    calloc(1, plan.sram_bytes), plan.sram_bytes};
    int rc = 0;
    if (!mem.dram || !mem.sram)
        rc = sa35_err_set(err, "out of memory for a %llu-byte memory image",
                          (unsigned long long)(plan.dram_bytes +
                                               plan.sram_bytes));
    if (!rc) {
        sa35_gemm_image(&plan, A, q, mem.dram);
        rc = sa35_rtl_run(&a, &prog, mem, opts, cycles, err);
    }
    if (!rc)
        sa35_gemm_read_output(&plan, mem.dram, acc);
    free(mem.dram);
    free(mem.sram);
    sa35_program_free(&prog);
    return rc;
}
