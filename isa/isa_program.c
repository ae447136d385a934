/* isa_program.c: the program container and the opcode names (sa35_isa.def). */
#include <stdlib.h>

#include "isa_table.h"

void sa35_program_free(sa35_program *p)
{
    free(p->ins);
    p->ins = NULL;
    p->count = p->cap = 0;
}

int sa35_program_reserve(sa35_program *p, size_t n, sa35_err *err)
{
    if (n <= p->cap)
        return 0;
    sa35_instr *ins = n > SIZE_MAX / sizeof *ins
                          ? NULL
                          : realloc(p->ins, n * sizeof *ins);
    if (!ins)
        return sa35_err_set(err, "out of memory for the program: %zu "
                                 "instructions of %zu bytes",
                            n, sizeof *ins);
    p->ins = ins;
    p->cap = n;
    return 0;
}

int sa35_program_push(sa35_program *p, const sa35_instr *in, sa35_err *err)
{
    if (p->count == p->cap &&
        sa35_program_reserve(p, p->cap ? 2 * p->cap : 64, err))
        return -1;
    p->ins[p->count++] = *in;
    return 0;
}

const char *sa35_opcode_name(int op)
{
    const sa35_isa_op *o = sa35_isa_op_of(op);
    return o ? o->mnemonic : NULL;
}
