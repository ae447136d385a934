/* sim_gemm.c: one GEMM through compiler and engine, for the command line
 * and the benchmark. */
#include <stdlib.h>

#include "sa35_compiler.h"
#include "sa35_sim.h"

/* Build the image from A and q, run, gather acc. */
static int run_data(const sa35_gemm_plan *plan, const sa35_arch *a,
                    const sa35_engine *e, const sa35_program *prog,
                    const int8_t *A, const sa35_qweights *q, int32_t *acc,
                    const sa35_sim_opts *opts, sa35_stats *st, sa35_err *err)
{
    sa35_mem mem = {calloc(1, plan->dram_bytes), plan->dram_bytes,
                    calloc(1, plan->sram_bytes), plan->sram_bytes};
    int rc = 0;
    if (!mem.dram || !mem.sram)
        rc = sa35_err_set(err, "out of memory for a %llu-byte memory image",
                          (unsigned long long)(plan->dram_bytes +
                                               plan->sram_bytes));
    if (!rc) {
        sa35_gemm_image(plan, A, q, &mem);
        rc = e->run(e, a, prog, mem, opts, st, err);
    }
    if (!rc)
        sa35_gemm_read_output(plan, &mem, acc);
    free(mem.dram);
    free(mem.sram);
    return rc;
}

uint64_t sa35_sim_gemm_bytes(const sa35_gemm_plan *p, const sa35_engine *e,
                             uint64_t *program, uint64_t *images)
{
    size_t prog;
    uint64_t img = 0, total;
    if (sa35_mul_size((size_t)p->instructions, sizeof(sa35_instr), &prog))
        prog = SIZE_MAX;
    /* run_data's two images (dram_bytes < 2^48 and sram_bytes < 2^32
     * once planned: no overflow) */
    if (e->produces & SA35_PRODUCES_DATA)
        img = p->dram_bytes + p->sram_bytes;
    total = (uint64_t)prog + img;
    if (total < img)
        total = UINT64_MAX;
    if (program)
        *program = (uint64_t)prog;
    if (images)
        *images = img;
    return total;
}

int sa35_sim_gemm(const sa35_arch *a, const sa35_engine *e, int64_t M,
                  int64_t K, int64_t N, const int8_t *A,
                  const sa35_qweights *q, int32_t *acc,
                  const sa35_sim_opts *opts, sa35_stats *st, sa35_err *err)
{
    return sa35_sim_gemm_group(a, e, M, K, N, q ? q->group : 0, A, q, acc,
                               opts, st, err);
}

int sa35_sim_gemm_group(const sa35_arch *a, const sa35_engine *e, int64_t M,
                        int64_t K, int64_t N, int64_t G, const int8_t *A,
                        const sa35_qweights *q, int32_t *acc,
                        const sa35_sim_opts *opts, sa35_stats *st,
                        sa35_err *err)
{
    return sa35_sim_gemm_io(a, e, M, K, N, G, SA35_GEMM_IO_DRAM, A, q, acc,
                            opts, st, err);
}

int sa35_sim_gemm_io(const sa35_arch *a0, const sa35_engine *e, int64_t M,
                     int64_t K, int64_t N, int64_t G, sa35_gemm_io io,
                     const int8_t *A, const sa35_qweights *q, int32_t *acc,
                     const sa35_sim_opts *opts, sa35_stats *st, sa35_err *err)
{
    const int data = (e->produces & SA35_PRODUCES_DATA) != 0;
    const sa35_pe_desc *pe = sa35_arch_pe(a0);
    if (!pe)
        return sa35_err_set(err, "unknown PE kind %d", (int)a0->pe);
    if (q && q->fmt != pe->fmt) {
        sa35_pe_kind k;
        if (sa35_pe_of_format(q->fmt, &k))
            return sa35_err_set(err, "%s weights: no PE kind multiplies "
                                     "them (PE kinds: %s)",
                                sa35_format_info(q->fmt)->name,
                                sa35_pe_names());
        return sa35_err_set(err, "%s weights on an array of %s PEs, which "
                                 "multiply %s weights: use --pe %s",
                            sa35_format_info(q->fmt)->name, pe->name,
                            sa35_format_info(pe->fmt)->name,
                            sa35_pe_info(k)->name);
    }
    if (q && (q->K != K || q->N != N))
        return sa35_err_set(err, "weights of %d x %d for a GEMM of K x N = "
                                 "%lld x %lld",
                            q->K, q->N, (long long)K, (long long)N);
    if (q && q->group != G)
        return sa35_err_set(err, "weights in groups of %d for a GEMM in "
                                 "groups of %lld (0: per column)",
                            q->group, (long long)G);
    if (data && (!A || !q || !acc))
        return sa35_err_set(err, "the %s engine needs activations and "
                                 "weights",
                            e->name);
    sa35_gemm_plan plan;
    sa35_program prog;
    if (sa35_compile_gemm_io(a0, M, K, N, G, io, &plan, &prog, err))
        return -1;
    sa35_arch a = *a0;
    a.sram_bytes = plan.sram_bytes;
    a.dram_bytes = plan.dram_bytes;
    int rc;
    if (data) {
        rc = run_data(&plan, &a, e, &prog, A, q, acc, opts, st, err);
    } else {
        sa35_mem none = {NULL, 0, NULL, 0};
        rc = e->run(e, &a, &prog, none, opts, st, err);
    }
    sa35_program_free(&prog);
    return rc;
}
