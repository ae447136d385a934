/* test_rtl_unpack.cpp: one PE kind's Verilog unpack (rtl/sa35_unpack_KIND.v,
 * the model RTL_UNPACK_H of kind number RTL_PE) against the C table's
 * unpack of that kind (sa35_pe_info(kind)->unpack, isa/isa_pe.c) on all
 * 2^code_bits codes. rtl/CMakeLists.txt builds one of these per kind of the
 * table, so a kind added there is tested here without an edit. Every
 * unpack has the same ports: code_i, and w_o holding k_per_row weights of
 * WeightW bits (the narrowest two's complement width for -w_max .. w_max -
 * 1), w_i at w_o[WeightW i +: WeightW]. */
#include <cstdio>

#include RTL_UNPACK_H
#include "sa35_isa.h"

/* a w-bit two's complement field */
static int sext(unsigned v, unsigned w)
{
    unsigned m = 1u << (w - 1);
    return (int)((v & ((1u << w) - 1u)) ^ m) - (int)m;
}

static unsigned weight_bits(unsigned w_max)
{
    unsigned b = 1;
    while ((1u << (b - 1)) < w_max)
        b++;
    return b;
}

int main()
{
    const sa35_pe_desc *pe = sa35_pe_info((sa35_pe_kind)RTL_PE);
    if (!pe) {
        fprintf(stderr, "no PE kind %d in the C table\n", RTL_PE);
        return 1;
    }
    const unsigned ww = weight_bits(pe->w_max);
    Vsa35_unpack m;
    int fails = 0;
    unsigned codes = 0;
    for (unsigned code = 0; code < 1u << pe->code_bits; code++, codes++) {
        m.code_i = (uint8_t)code;
        m.eval();
        int8_t want[2] = {0, 0};
        pe->unpack(code, want);
        for (unsigned i = 0; i < pe->k_per_row; i++) {
            int got = sext((unsigned)m.w_o >> (ww * i), ww);
            if (got != want[i]) {
                if (fails < 10)
                    fprintf(stderr, "%s code 0x%02x: rtl w%u = %d, C %d\n",
                            pe->name, code, i, got, want[i]);
                fails++;
            }
        }
    }
    m.final();
    fprintf(stderr, "test_rtl_unpack: %u codes of PE kind %s, %d "
                    "failure(s)\n", codes, pe->name, fails);
    return fails ? 1 : 0;
}
