/* isa_pe.c: the PE kinds (docs/architecture.md, "PE kinds"). Each kind is
 * one row of the table below and one unpack: the compiler, the functional
 * executor, both simulators, the memory traffic and the power model read
 * the row, and the RTL has the same unpack in Verilog (rtl/sa35_unpack*.v).
 * docs/extending.md says how to add one. */
#include <string.h>

#include "sa35_isa.h"

/* SA35: e = bits 6..3 (4-bit), 2c = bits 2..0 (3-bit, x2): the golden
 * model's own unpack (format.md). */
static void unpack_sa35(uint32_t code, int8_t w[2])
{
    w[0] = (int8_t)sa35_code_even(code);
    w[1] = (int8_t)sa35_code_odd(code);
}

/* INT4: the even k in the low nibble, the odd k in the high one, each a
 * 4-bit two's complement value (the format's stream, two codes a byte). */
static void unpack_int4(uint32_t code, int8_t w[2])
{
    w[0] = (int8_t)((int32_t)((code & 0xFu) ^ 0x8u) - 8);
    w[1] = (int8_t)((int32_t)(((code >> 4) & 0xFu) ^ 0x8u) - 8);
}

/* INT8: the byte, two's complement; no second weight. */
static void unpack_int8(uint32_t code, int8_t w[2])
{
    w[0] = (int8_t)(uint8_t)code;
    w[1] = 0;
}

static const sa35_pe_desc pe_table[SA35_PE_COUNT] = {
    [SA35_PE_SA35] = {"sa35", SA35_FMT_SA35, 7, 2, 8, 8, {4, 3}, unpack_sa35,
                      "a 4-bit and a 3-bit (x2 step) weight in 7 bits, "
                      "2 MACs a cycle"},
    [SA35_PE_INT4] = {"int4", SA35_FMT_INT4, 8, 2, 8, 8, {4, 4}, unpack_int4,
                      "two 4-bit weights in 8 bits, 2 MACs a cycle"},
    [SA35_PE_INT8] = {"int8", SA35_FMT_INT8, 8, 1, 8, 128, {8, 0}, unpack_int8,
                      "one int8 weight, 1 MAC a cycle (TPU v1's PE)"},
};

const sa35_pe_desc *sa35_pe_info(sa35_pe_kind kind)
{
    if ((unsigned)kind >= SA35_PE_COUNT)
        return NULL;
    return &pe_table[kind];
}

int sa35_pe_from_name(const char *name, sa35_pe_kind *kind)
{
    for (int k = 0; name && k < SA35_PE_COUNT; k++)
        if (strcmp(name, pe_table[k].name) == 0) {
            *kind = (sa35_pe_kind)k;
            return 0;
        }
    return -1;
}

int sa35_pe_of_format(sa35_format fmt, sa35_pe_kind *kind)
{
    for (int k = 0; k < SA35_PE_COUNT; k++)
        if (pe_table[k].fmt == fmt) {
            *kind = (sa35_pe_kind)k;
            return 0;
        }
    return -1;
}

const char *sa35_pe_names(void)
{
#define SA35_PE_NAME(e, name) "|" #name
    static const char names[] = SA35_PE_KINDS(SA35_PE_NAME);
#undef SA35_PE_NAME
    return names + 1;
}

uint32_t sa35_pe_product_bound(const sa35_pe_desc *pe)
{
    return pe->k_per_row * 128u * pe->w_max;
}

double sa35_pe_bits(const sa35_pe_desc *pe)
{
    return (double)pe->code_bits / (double)pe->k_per_row;
}

int sa35_pe_of_bits(double bits, sa35_pe_kind *kind)
{
    for (int k = 0; k < SA35_PE_COUNT; k++)
        if (sa35_pe_bits(&pe_table[k]) == bits) {
            *kind = (sa35_pe_kind)k;
            return 0;
        }
    return -1;
}
