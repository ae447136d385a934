/* isa_program.c: the program container and the opcode names. */
#include <stdlib.h>

#include "sa35_isa.h"

void sa35_program_free(sa35_program *p)
{
    free(p->ins);
    p->ins = NULL;
    p->count = p->cap = 0;
}

int sa35_program_push(sa35_program *p, const sa35_instr *in, sa35_err *err)
{
    if (p->count == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        sa35_instr *ins = realloc(p->ins, cap * sizeof *ins);
        if (!ins)
            return sa35_err_set(err, "out of memory for %zu instructions",
                                cap);
        p->ins = ins;
        p->cap = cap;
    }
    p->ins[p->count++] = *in;
    return 0;
}

const char *sa35_opcode_name(int op)
{
    switch (op) {
    case SA35_OP_DMA_LD: return "dma.ld";
    case SA35_OP_DMA_ST: return "dma.st";
    case SA35_OP_LDW: return "ldw";
    case SA35_OP_MM: return "mm";
    case SA35_OP_OUT: return "out";
    case SA35_OP_SCL: return "scl";
    case SA35_OP_SYNC: return "sync";
    default: return NULL;
    }
}
