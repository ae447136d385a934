/* isa_arch.c: the architecture parameters every engine shares. */
#include <stdlib.h>
#include <string.h>

#include "sa35_isa.h"

void sa35_arch_default(sa35_arch *a)
{
    memset(a, 0, sizeof *a);
    a->rows = 320;
    a->cols = 320;
    a->clock_hz = 900e6;
    a->load_rows = 1; /* as in the TPU; decode speed depends on it */
    a->acc_rows = 4096;
    a->sram_bytes = 1ull << 30;
    a->dram_bytes = 1ull << 48;
    /* ideal memory (dram_bw_num 0): systems set their own (model/) */
    a->dram_bw_den = 1;
}

int sa35_arch_parse_array(const char *text, sa35_arch *a, sa35_err *err)
{
    /* R and C through the strict parser: " 4x+4" is not 4x4 */
    const char *x = text ? strchr(text, 'x') : NULL;
    int64_t r = 0, c = 0;
    if (!x || sa35_parse_i64(text, (size_t)(x - text), 1, SA35_ARCH_MAX_DIM,
                             &r) ||
        sa35_parse_i64(x + 1, strlen(x + 1), 1, SA35_ARCH_MAX_DIM, &c))
        return sa35_err_set(err,
                            "bad --array '%s': expected RxC with R and C in "
                            "1..%d, e.g. 320x320",
                            text ? text : "", SA35_ARCH_MAX_DIM);
    a->rows = (int32_t)r;
    a->cols = (int32_t)c;
    return 0;
}

int sa35_arch_check(const sa35_arch *a, sa35_err *err)
{
    if (!sa35_pe_info(a->pe))
        return sa35_err_set(err, "PE kind %d: must be one of %s", (int)a->pe,
                            sa35_pe_names());
    if (a->rows < 1 || a->rows > SA35_ARCH_MAX_DIM || a->cols < 1 ||
        a->cols > SA35_ARCH_MAX_DIM)
        return sa35_err_set(err, "array %dx%d: R and C must be in 1..%d",
                            a->rows, a->cols, SA35_ARCH_MAX_DIM);
    if (a->load_rows < 1 || a->load_rows > a->rows)
        return sa35_err_set(err, "load path width %d: must be in 1..R (%d)",
                            a->load_rows, a->rows);
    if (a->acc_rows < 2 || a->acc_rows % 2 || a->acc_rows > 65534)
        return sa35_err_set(err, "accumulator rows %d: must be even, in "
                                 "2..65534 (two banks)",
                            a->acc_rows);
    if (!(a->clock_hz > 0))
        return sa35_err_set(err, "clock must be positive");
    if (a->dram_bw_num && !a->dram_bw_den)
        return sa35_err_set(err, "off-chip bandwidth %u/0 bytes per cycle: "
                                 "the denominator must be at least 1",
                            a->dram_bw_num);
    if (a->dram_latency < 0)
        return sa35_err_set(err, "off-chip latency %d cycles: must be >= 0",
                            a->dram_latency);
    if (a->sram_bytes > (1ull << 32) || a->dram_bytes > (1ull << 48))
        return sa35_err_set(err, "SRAM is limited to 2^32 bytes and "
                                 "off-chip memory to 2^48 (address fields)");
    return 0;
}

int32_t sa35_arch_psum_bits(const sa35_arch *a)
{
    uint64_t bound = (uint64_t)sa35_pe_product_bound(sa35_arch_pe(a)) *
                     (uint64_t)a->rows; /* |psum| <= this */
    int32_t bits = 0;
    while ((1ull << bits) < bound + 1)
        bits++;
    return bits + 1; /* the sign */
}
