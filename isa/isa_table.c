/* isa_table.c: sa35_isa.def as arrays, checked row by row when this file
 * compiles, and the lookups the text form and the messages use. Nothing
 * here knows an opcode: adding a row to the table is all it needs. */
#include <string.h>

#include "isa_table.h"

#define SA35_MEMBER_BITS(member) (8u * sizeof(((sa35_instr *)0)->member))

/* What the table must satisfy, checked when this file compiles. */
_Static_assert(SA35_OPI_COUNT <= 64, "the ops masks hold 64 opcodes");
#define SA35_ISA_OP(ID, code, mnemonic, what)                                 \
    _Static_assert((code) > 0 && (code) <= 0xFF, #ID ": opcode is one byte");
#define SA35_ISA_FLAG(OP, NAME, bit, text)                                    \
    _Static_assert((bit) < 8, #OP "." #NAME ": flags are one byte");
#define SA35_ISA_FIELD(name, ops, byte, width, member, lsb, key, radix)       \
    _Static_assert((byte) >= 2 && 8 * (byte) + (width) <= 8 * SA35_INSTR_BYTES, \
                   #name ": past the opcode and flags, inside 16 bytes");     \
    _Static_assert((width) >= 1 && (width) <= 32, #name ": 1 to 32 bits");    \
    _Static_assert((lsb) + (width) <= SA35_MEMBER_BITS(member),               \
                   #name ": fits its member");                                \
    _Static_assert((radix) == 10 || (radix) == 16, #name ": radix 10 or 16");
#include "sa35_isa.def"

const sa35_isa_op sa35_isa_ops[SA35_OPI_COUNT] = {
#define SA35_ISA_OP(ID, code, mnemonic, what) {code, mnemonic},
#include "sa35_isa.def"
};

const sa35_isa_flag sa35_isa_flags[] = {
#define SA35_ISA_FLAG(OP, NAME, bit, text)                                    \
    {SA35_OP_##OP, (uint8_t)(1u << (bit)), text},
#include "sa35_isa.def"
};
const size_t sa35_isa_nflags = sizeof sa35_isa_flags / sizeof sa35_isa_flags[0];

const sa35_isa_field sa35_isa_fields[SA35_FI_COUNT] = {
#define SA35_ISA_FIELD(name, ops, byte, width, member, lsb, key, radix)       \
    {#name, ops, byte, width, lsb, key, (radix) == 16,                         \
     SA35_MEMBER_BITS(member), offsetof(sa35_instr, member)},
#include "sa35_isa.def"
};
const size_t sa35_isa_nfields =
    sizeof sa35_isa_fields / sizeof sa35_isa_fields[0];

/* The index of opcode `code` in sa35_isa_ops, or -1. */
static int op_index(int code)
{
    for (int i = 0; i < SA35_OPI_COUNT; i++)
        if (sa35_isa_ops[i].code == code)
            return i;
    return -1;
}

const sa35_isa_op *sa35_isa_op_of(int code)
{
    int i = op_index(code);
    return i < 0 ? NULL : &sa35_isa_ops[i];
}

int sa35_isa_field_in(const sa35_isa_field *f, int code)
{
    int i = op_index(code);
    return i >= 0 && (f->ops >> i & 1u);
}

const sa35_isa_field *sa35_isa_key_head(const sa35_isa_field *f, int code)
{
    for (size_t i = 0; i < sa35_isa_nfields; i++)
        if (sa35_isa_field_in(&sa35_isa_fields[i], code) &&
            strcmp(sa35_isa_fields[i].key, f->key) == 0)
            return &sa35_isa_fields[i];
    return f;
}

unsigned sa35_isa_key_bits(const sa35_isa_field *f, int code)
{
    unsigned top = 0;
    for (size_t i = 0; i < sa35_isa_nfields; i++) {
        const sa35_isa_field *g = &sa35_isa_fields[i];
        if (sa35_isa_field_in(g, code) && strcmp(g->key, f->key) == 0 &&
            g->lsb + g->width > top)
            top = g->lsb + g->width;
    }
    return top;
}
