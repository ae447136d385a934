/* isa_validate.c: reject a program the architecture cannot run, naming the
 * first offending instruction and why. The checks follow the program's
 * architectural state statically (no data): whether the shadow registers
 * hold a load not yet swapped in, the shape of the active tile, and the
 * state of every accumulator row. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sa35_isa.h"

/* An accumulator row's state; ACC_GS marks rows an mm.gs wrote (float32
 * accumulators), which only an mm.gs adds to and only an out.fp reads. */
enum { ACC_UNDEF = 0, ACC_OPEN = 1, ACC_DONE = 2, ACC_GS = 4, ACC_STATES = 7 };

typedef struct vstate {
    const sa35_arch *a;
    int pending;               /* the shadow holds a load not swapped in */
    uint32_t sh_rows, sh_cols; /* its shape                              */
    int sh_gs, ac_gs;          /* loaded by ldw.gs (shadow, active)      */
    int active;                /* the active registers hold a tile       */
    uint32_t ac_rows, ac_cols;
    int scl_set;
    uint32_t scl_sa, scl_s, scl_z;
    uint8_t *acc;              /* acc_rows states                         */
    uint8_t *all[ACC_STATES + 1]; /* acc_rows of one state, to compare    */
} vstate;

/* "an mm.gs" or "a plain mm", for messages */
static const char *kind_of(int gs) { return gs ? "an mm.gs" : "a plain mm"; }

static int fail(sa35_err *err, size_t i, const sa35_instr *in,
                const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int fail(sa35_err *err, size_t i, const sa35_instr *in,
                const char *fmt, ...)
{
    char why[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    const char *name = sa35_opcode_name(in->op);
    return sa35_err_set(err, "instruction %zu (%s): %s", i,
                        name ? name : "?", why);
}

/* [addr, addr + len) inside a memory of `size` bytes. */
static int in_range(uint64_t addr, uint64_t len, uint64_t size)
{
    return addr <= size && len <= size - addr;
}

/* The first of rows [acc, acc + n) not in `state`, or acc + n. memcmp
 * against a row of that state first: programs are long and mostly valid,
 * and this keeps validation well below the timing model's budget. */
static uint32_t first_not(const vstate *v, uint32_t acc, uint32_t n,
                          uint8_t state)
{
    const uint8_t *same = v->all[state];
    if (memcmp(v->acc + acc, same, n) == 0)
        return acc + n;
    uint32_t r = acc;
    while (v->acc[r] == state)
        r++;
    return r;
}

static int check_dma(vstate *v, size_t i, const sa35_instr *in, sa35_err *e)
{
    if (in->bytes == 0)
        return fail(e, i, in, "bytes must be at least 1");
    if (!in_range(in->sram, in->bytes, v->a->sram_bytes))
        return fail(e, i, in, "SRAM range 0x%x+%u exceeds the SRAM (%llu "
                              "bytes)",
                    in->sram, in->bytes, (unsigned long long)v->a->sram_bytes);
    if (!in_range(in->dram, in->bytes, v->a->dram_bytes))
        return fail(e, i, in, "off-chip range 0x%llx+%u exceeds the memory "
                              "(%llu bytes)",
                    (unsigned long long)in->dram, in->bytes,
                    (unsigned long long)v->a->dram_bytes);
    return 0;
}

static int check_ldw(vstate *v, size_t i, const sa35_instr *in, sa35_err *e)
{
    if (in->rows < 1 || in->rows > (uint32_t)v->a->rows)
        return fail(e, i, in, "rows %u not in 1..R (%d)", in->rows,
                    v->a->rows);
    if (in->cols < 1 || in->cols > (uint32_t)v->a->cols)
        return fail(e, i, in, "cols %u not in 1..C (%d)", in->cols,
                    v->a->cols);
    uint64_t len = sa35_ldw_bytes(v->a, in);
    if (!in_range(in->sram, len, v->a->sram_bytes))
        return fail(e, i, in, "tile 0x%x+%llu%s exceeds the SRAM", in->sram,
                    (unsigned long long)len,
                    (in->flags & SA35_LDW_GS) ? " (with its scale words)"
                                              : "");
    if (v->pending)
        return fail(e, i, in, "the shadow registers hold a load that no "
                              "mm.swap has used yet");
    v->pending = 1;
    v->sh_rows = in->rows;
    v->sh_cols = in->cols;
    v->sh_gs = (in->flags & SA35_LDW_GS) != 0;
    return 0;
}

static int check_mm(vstate *v, size_t i, const sa35_instr *in, sa35_err *e)
{
    if (in->flags & SA35_MM_SWAP) {
        if (!v->pending)
            return fail(e, i, in, "swap without a weight load (ldw) since "
                                  "the last swap");
        v->pending = 0;
        v->active = 1;
        v->ac_rows = v->sh_rows;
        v->ac_cols = v->sh_cols;
        v->ac_gs = v->sh_gs;
    }
    if (!v->active)
        return fail(e, i, in, "no weights in the active registers (the "
                              "first mm needs .swap)");
    const int gs = (in->flags & SA35_MM_GS) != 0;
    if (gs != v->ac_gs)
        return fail(e, i, in, "%s on a tile loaded by %s: mm.gs needs "
                              "ldw.gs and a plain mm a plain ldw",
                    gs ? "mm.gs" : "a plain mm",
                    v->ac_gs ? "ldw.gs" : "a plain ldw");
    if (in->m < 1)
        return fail(e, i, in, "m must be at least 1");
    if ((uint64_t)in->acc + in->m > (uint64_t)v->a->acc_rows)
        return fail(e, i, in, "accumulator rows %u..%u exceed the %d rows",
                    in->acc, in->acc + in->m - 1, v->a->acc_rows);
    uint32_t need = sa35_mm_rowbytes(v->a, v->ac_rows);
    if (in->stride < need)
        return fail(e, i, in, "stride %u is shorter than a row of %u "
                              "activations", in->stride, need);
    uint64_t len = (uint64_t)(in->m - 1) * in->stride + need;
    if (!in_range(in->sram, len, v->a->sram_bytes))
        return fail(e, i, in, "activations 0x%x+%llu exceed the SRAM",
                    in->sram, (unsigned long long)len);
    const uint8_t kind = gs ? ACC_GS : 0;
    uint32_t r = first_not(v, in->acc, in->m, ACC_OPEN | kind);
    if (!(in->flags & SA35_MM_FIRST) && r < in->acc + in->m) {
        if (v->acc[r] == (ACC_OPEN | (kind ^ ACC_GS)))
            return fail(e, i, in, "accumulator row %u was opened by %s: "
                                  "%s adds only to rows of its kind",
                        r, kind_of(!gs), kind_of(gs));
        return fail(e, i, in, "accumulator row %u is %s: the first K tile "
                              "needs .first",
                    r, v->acc[r] & ACC_DONE ? "complete (.last)"
                                            : "not started");
    }
    memset(v->acc + in->acc,
           ((in->flags & SA35_MM_LAST) ? ACC_DONE : ACC_OPEN) | kind, in->m);
    return 0;
}

static int check_out(vstate *v, size_t i, const sa35_instr *in, sa35_err *e)
{
    const sa35_arch *a = v->a;
    if (in->cols < 1 || in->cols > (uint32_t)a->cols)
        return fail(e, i, in, "cols %u not in 1..C (%d)", in->cols, a->cols);
    if (in->rows < 1 || (uint64_t)in->acc + in->rows > (uint64_t)a->acc_rows)
        return fail(e, i, in, "accumulator rows %u+%u not within 1..%d",
                    in->acc, in->rows, a->acc_rows);
    if (in->stride < 4 * in->cols)
        return fail(e, i, in, "stride %u is shorter than a row of %u "
                              "4-byte outputs", in->stride, in->cols);
    uint64_t len = (uint64_t)(in->rows - 1) * in->stride + 4ull * in->cols;
    if (!in_range(in->sram, len, a->sram_bytes))
        return fail(e, i, in, "outputs 0x%x+%llu exceed the SRAM", in->sram,
                    (unsigned long long)len);
    const int fp = (in->flags & SA35_OUT_FP) != 0;
    const uint8_t kind = fp ? ACC_GS : 0;
    uint32_t r = first_not(v, in->acc, in->rows, ACC_DONE | kind);
    if (r < in->acc + in->rows) {
        if (v->acc[r] == (ACC_DONE | (kind ^ ACC_GS)))
            return fail(e, i, in, "accumulator row %u was written by %s: "
                                  "%s",
                        r, kind_of(!fp),
                        fp ? "out.fp reads only the float32 rows of mm.gs"
                           : "its float32 rows need out.fp");
        return fail(e, i, in, "accumulator row %u is not complete (no "
                              "mm.last wrote it)", r);
    }
    if (in->flags & SA35_OUT_SCALE) {
        if (!v->scl_set)
            return fail(e, i, in, "%s before any scl",
                        fp ? "out.fp.scale" : "out.scale");
        /* out.fp.scale reads sa only: Y = sa a */
        if (!in_range(v->scl_sa, 4ull * in->rows, a->sram_bytes) ||
            (!fp && (!in_range(v->scl_s, 4ull * in->cols, a->sram_bytes) ||
                     !in_range(v->scl_z, 4ull * in->cols, a->sram_bytes))))
            return fail(e, i, in, "the scale arrays set by scl exceed the "
                                  "SRAM for %u rows x %u columns",
                        in->rows, in->cols);
    }
    return 0;
}

static int check_one(vstate *v, size_t i, const sa35_instr *in, sa35_err *e)
{
    /* the table's checks (sa35_isa.def): a known opcode with its flags,
     * the fields it has within their widths, no other field set */
    if (sa35_instr_check(in, e)) {
        char ctx[48];
        snprintf(ctx, sizeof ctx, "instruction %zu", i);
        return sa35_err_prefix(e, ctx);
    }
    switch (in->op) {
    case SA35_OP_DMA_LD:
    case SA35_OP_DMA_ST: return check_dma(v, i, in, e);
    case SA35_OP_LDW: return check_ldw(v, i, in, e);
    case SA35_OP_MM: return check_mm(v, i, in, e);
    case SA35_OP_OUT: return check_out(v, i, in, e);
    case SA35_OP_SCL:
        v->scl_set = 1;
        v->scl_sa = in->sa, v->scl_s = in->s, v->scl_z = in->z;
        return 0;
    default: return 0; /* sync */
    }
}

int sa35_program_validate(const sa35_program *p, const sa35_arch *a,
                          sa35_err *err)
{
    if (sa35_arch_check(a, err))
        return -1;
    vstate v;
    memset(&v, 0, sizeof v);
    v.a = a;
    size_t n = (size_t)a->acc_rows;
    int rc = (v.acc = calloc(n, 1)) ? 0 : -1;
    for (int k = 0; k <= ACC_STATES && !rc; k++)
        if ((v.all[k] = malloc(n)))
            memset(v.all[k], k, n);
        else
            rc = -1;
    if (rc)
        rc = sa35_err_set(err, "out of memory for the validator's "
                               "accumulator states (%d x %zu bytes)",
                          ACC_STATES + 2, n);
    for (size_t i = 0; i < p->count && !rc; i++)
        rc = check_one(&v, i, &p->ins[i], err);
    free(v.acc);
    for (int k = 0; k <= ACC_STATES; k++)
        free(v.all[k]);
    return rc;
}
