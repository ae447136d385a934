/* fuzz_engines.c: the library's engines on small validated programs.
 * Bytes 0-8 pick a GEMM and the array it is compiled for (PE kind, R and
 * C in 1..8, load lanes, accumulator rows, M, K, N, and an off-chip memory
 * of num/den bytes a cycle and a latency, or the ideal one); the compiler
 * makes the program (validated), the rest of the input is its activations
 * and weight codes (any byte is a code of every format). Every engine of
 * sa35_engines() runs it on the same memory image, and:
 *   - the functional executor and each simulator kernel leave identical
 *     off-chip and SRAM images (the memories);
 *   - the timing model and each kernel give identical TIMING counters
 *     (cycles included), and the kernels identical DATA counters (toggles,
 *     zero operands) to the reference array's (sim-ref).
 * Weights per column only: group scaling's scale words from raw bytes
 * would be NaNs whose payloads the float units need not keep alike. */
#include "fuzz_util.h"
#include "sa35_compiler.h"
#include "sa35_sim.h"

/* Byte i of the input, or 0 past its end. */
static unsigned at(const uint8_t *d, size_t n, size_t i)
{
    return i < n ? d[i] : 0u;
}

/* The arch and GEMM of bytes 0-8. */
static void shape_of(const uint8_t *d, size_t n, sa35_arch *a, int64_t *M,
                     int64_t *K, int64_t *N)
{
    sa35_arch_default(a);
    a->pe = (sa35_pe_kind)(at(d, n, 0) % SA35_PE_COUNT);
    a->rows = 1 + (int32_t)(at(d, n, 1) % 8);
    a->cols = 1 + (int32_t)(at(d, n, 2) % 8);
    a->load_rows = 1 + (int32_t)(at(d, n, 3) % (unsigned)a->rows);
    a->acc_rows = 2 * (1 + (int32_t)(at(d, n, 4) % 16));
    *M = 1 + at(d, n, 5) % 20;
    *K = 1 + at(d, n, 6) % 70;
    *N = 1 + at(d, n, 7) % 20;
    const unsigned mem = at(d, n, 8);
    if (mem & 1) { /* an off-chip memory: 1/5 .. 32 bytes a cycle */
        a->dram_bw_num = 1 + (mem >> 1) % 32;
        a->dram_bw_den = 1 + (mem >> 6) % 5;
        a->dram_latency = (int32_t)((mem >> 3) % 24);
    }
}

typedef struct run {
    const sa35_engine *e;
    sa35_mem mem;
    sa35_stats st;
} run;

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    sa35_arch a;
    int64_t M, K, N;
    shape_of(d, n, &a, &M, &K, &N);
    const sa35_pe_desc *pe = sa35_arch_pe(&a);
    sa35_gemm_plan plan;
    sa35_program prog;
    sa35_err err;
    sa35_qweights q = {0};
    if (sa35_compile_gemm(&a, M, K, N, &plan, &prog, &err) != 0)
        return 0; /* a shape the compiler refuses (too little SRAM ...) */
    FUZZ_ASSERT(prog.count == plan.instructions);
    FUZZ_ASSERT(sa35_qweights_alloc(&q, pe->fmt, K, N, &err) == 0);
    int8_t *A = malloc((size_t)(M * K));
    FUZZ_ASSERT(A != NULL);
    size_t i = 9;
    for (int64_t j = 0; j < M * K; j++)
        A[j] = (int8_t)at(d, n, i++);
    for (size_t j = 0; j < (size_t)q.N * q.colbytes; j++)
        q.qweight[j] = (uint8_t)at(d, n, i++);
    a.sram_bytes = plan.sram_bytes, a.dram_bytes = plan.dram_bytes;
    uint8_t *image = calloc(1, plan.dram_bytes);
    FUZZ_ASSERT(image != NULL);
    sa35_gemm_image(&plan, A, &q, &(sa35_mem){image, plan.dram_bytes, NULL, 0});

    run r[8];
    int nr = 0, func = -1, ref = -1;
    for (const sa35_engine *const *e = sa35_engines(); *e && nr < 8; e++) {
        run *x = &r[nr];
        x->e = *e;
        x->mem = (sa35_mem){NULL, 0, NULL, 0};
        if ((*e)->produces & SA35_PRODUCES_DATA) {
            x->mem = (sa35_mem){malloc(plan.dram_bytes), plan.dram_bytes,
                                calloc(1, plan.sram_bytes), plan.sram_bytes};
            FUZZ_ASSERT(x->mem.dram && x->mem.sram);
            memcpy(x->mem.dram, image, plan.dram_bytes);
        }
        FUZZ_ASSERT((*e)->run(*e, &a, &prog, x->mem, NULL, &x->st, &err) ==
                    0);
        if (strcmp((*e)->name, "func") == 0)
            func = nr;
        if (strcmp((*e)->name, "sim-ref") == 0)
            ref = nr;
        nr++;
    }
    FUZZ_ASSERT(func >= 0 && ref >= 0);
    for (int k = 0; k < nr; k++) {
        const unsigned p = r[k].e->produces;
        if (k != func && (p & SA35_PRODUCES_DATA)) {
            FUZZ_ASSERT(memcmp(r[k].mem.dram, r[func].mem.dram,
                               plan.dram_bytes) == 0);
            FUZZ_ASSERT(memcmp(r[k].mem.sram, r[func].mem.sram,
                               plan.sram_bytes) == 0);
        }
        if (p & SA35_PRODUCES_TIMING)
            FUZZ_ASSERT(!sa35_stats_diff(&r[k].st, &r[ref].st,
                                         SA35_STAT_TIMING));
        if (p & SA35_PRODUCES_ACTIVITY)
            FUZZ_ASSERT(!sa35_stats_diff(&r[k].st, &r[ref].st,
                                         SA35_STAT_DATA));
    }
    for (int k = 0; k < nr; k++) {
        free(r[k].mem.dram);
        free(r[k].mem.sram);
    }
    free(image);
    free(A);
    sa35_qweights_free(&q);
    sa35_program_free(&prog);
    return 0;
}
