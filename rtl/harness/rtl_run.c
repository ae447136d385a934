/* rtl_run.c: the RTL engine's C side: pick the model of the array size,
 * load lanes and PE kind, validate and encode the program, convert a .vcd
 * trace, and run GEMMs through the compiler as sim/sim_gemm.c does for the
 * simulator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rtl_internal.h"

/* One model as the options that select it: "4x8", "4x8 --load-rows 3",
 * "4x4 --pe int8" (--array, --load-rows, --pe of the sa35 commands). */
static void model_name(const sa35_rtl_model *m, char *buf, size_t n)
{
    int k = snprintf(buf, n, "%dx%d", m->rows, m->cols);
    if (m->load_rows > 1 && k >= 0 && (size_t)k < n)
        k += snprintf(buf + k, n - (size_t)k, " --load-rows %d", m->load_rows);
    if (m->pe != SA35_PE_SA35 && k >= 0 && (size_t)k < n)
        snprintf(buf + k, n - (size_t)k, " --pe %s", sa35_pe_info(m->pe)->name);
}

const char *sa35_rtl_sizes(void)
{
    static char list[2048];
    if (!list[0])
        for (const sa35_rtl_model *m = sa35_rtl_models; m->rows; m++) {
            size_t n = strlen(list);
            char name[64];
            model_name(m, name, sizeof name);
            snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", name);
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

void sa35_rtl_model_arch(const sa35_rtl_model *m, sa35_arch *a)
{
    sa35_arch_default(a);
    a->rows = m->rows, a->cols = m->cols, a->load_rows = m->load_rows;
    a->pe = m->pe;
}

static const sa35_rtl_model *find_model(const sa35_arch *a, sa35_err *err)
{
    const sa35_pe_desc *pe = sa35_arch_pe(a);
    if (!pe)
        return sa35_err_set(err, "unknown PE kind %d", (int)a->pe), NULL;
    const sa35_rtl_model *size = NULL;
    for (const sa35_rtl_model *m = sa35_rtl_models; m->rows; m++) {
        if (m->rows != a->rows || m->cols != a->cols)
            continue;
        size = m;
        if (m->load_rows != a->load_rows || m->pe != a->pe)
            continue;
        if (a->acc_rows > m->acc_rows)
            return sa35_err_set(err, "the %dx%d RTL holds %d accumulator "
                                     "rows, not %d",
                                m->rows, m->cols, m->acc_rows, a->acc_rows),
                   NULL;
        return m;
    }
    /* the SA35_RTL_ARRAYS entry that would build it: RxC[lL][-KIND] */
    char lanes[24] = "", kind[16] = "";
    if (a->load_rows > 1)
        snprintf(lanes, sizeof lanes, "l%d", a->load_rows);
    if (a->pe != SA35_PE_SA35)
        snprintf(kind, sizeof kind, "-%s", pe->name);
    /* every message names the engine and the PE kind asked for: "rtl"
     * with --pe int8 must not read as if int8 were the problem, nor hide
     * that it is */
    if (size)
        return sa35_err_set(err, "the rtl engine has no %dx%d model of %s "
                                 "PEs with %d load lane(s); built: %s "
                                 "(configure with "
                                 "-DSA35_RTL_ARRAYS=...;%dx%d%s%s)",
                            a->rows, a->cols, pe->name, a->load_rows,
                            sa35_rtl_sizes(), a->rows, a->cols, lanes, kind),
               NULL;
    if (!sa35_rtl_models[0].rows)
        sa35_err_set(err, "the rtl engine cannot run a %dx%d array of %s "
                          "PEs: the RTL engine is not built into this "
                          "program (configure with -DSA35_RTL=ON)",
                     a->rows, a->cols, pe->name);
    else
        sa35_err_set(err, "the rtl engine has no model of a %dx%d array of "
                          "%s PEs; built: %s (configure with "
                          "-DSA35_RTL_ARRAYS=...;%dx%d%s%s to add one)",
                     a->rows, a->cols, pe->name, sa35_rtl_sizes(), a->rows,
                     a->cols, lanes, kind);
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
                 const sa35_rtl_opts *opts, sa35_stats *st, sa35_err *err)
{
    memset(st, 0, sizeof *st);
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
            return sa35_err_set(err, "%s: out of memory for the name of "
                                     "its .fst",
                                trace);
        }
        sprintf(tmp, "%s.tmp.fst", trace);
        o.trace_path = tmp;
    }
    int rc = m->run(a, bin, (uint32_t)p->count, mem, &o, st, err);
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
                  const sa35_rtl_opts *opts, sa35_stats *st, sa35_err *err)
{
    memset(st, 0, sizeof *st);
    const sa35_pe_desc *pe = sa35_arch_pe(a0);
    if (pe && q->fmt != pe->fmt)
        return sa35_err_set(err, "%s weights on an array of %s PEs, which "
                                 "multiply %s weights",
                            sa35_format_info(q->fmt)->name, pe->name,
                            sa35_format_info(pe->fmt)->name);
    if (!find_model(a0, err))
        return -1;
    sa35_gemm_plan plan;
    sa35_program prog;
    if (sa35_compile_gemm_group(a0, M, q->K, q->N, q->group, &plan, &prog,
                                err))
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
        sa35_gemm_image(&plan, A, q, &mem);
        rc = sa35_rtl_run(&a, &prog, mem, opts, st, err);
    }
    if (!rc)
        sa35_gemm_read_output(&plan, &mem, acc);
    free(mem.dram);
    free(mem.sram);
    sa35_program_free(&prog);
    return rc;
}

/* The engine: the program on the arch's model, no trace. */
static int run_rtl(const sa35_engine *e, const sa35_arch *a,
                   const sa35_program *p, sa35_mem mem,
                   const sa35_sim_opts *opts, sa35_stats *st, sa35_err *err)
{
    (void)e, (void)opts;
    return sa35_rtl_run(a, p, mem, NULL, st, err);
}

const sa35_engine *sa35_rtl_engine(void)
{
    static const sa35_engine rtl = {
        "rtl", "the Verilated RTL (rtl/): the Verilog cycle by cycle, its "
               "counters from its ports",
        SA35_PRODUCES_DATA | SA35_PRODUCES_CYCLES | SA35_PRODUCES_TIMING,
        run_rtl};
    return &rtl;
}
