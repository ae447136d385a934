/* test_rtl_unpack.cpp: every PE kind's Verilog unpack (rtl/sa35_unpack.v,
 * sa35_unpack_int4.v, sa35_unpack_int8.v) against the C descriptor's unpack
 * (sa35_pe_info(kind)->unpack, isa/isa_pe.c) on all 2^code_bits codes; for
 * sa35 also against the golden model's sa35_code_even / sa35_code_odd. */
#include <cstdio>

#include "Vsa35_unpack.h"
#include "Vsa35_unpack_int4.h"
#include "Vsa35_unpack_int8.h"
#include "sa35_cmodel.h"
#include "sa35_isa.h"

/* a w-bit two's complement field */
static int sext(unsigned v, unsigned w)
{
    unsigned m = 1u << (w - 1);
    return (int)((v & ((1u << w) - 1u)) ^ m) - (int)m;
}

static int fails;

/* the RTL's weights w[0], w[1] of one code against the descriptor's */
static void check(sa35_pe_kind kind, unsigned code, int w0, int w1)
{
    const sa35_pe_desc *pe = sa35_pe_info(kind);
    int8_t want[2] = {0, 0};
    pe->unpack(code, want);
    if (w0 != want[0] || w1 != want[1]) {
        if (fails < 10)
            fprintf(stderr, "%s code 0x%02x: rtl %d %d, C %d %d\n", pe->name,
                    code, w0, w1, want[0], want[1]);
        fails++;
    }
}

int main()
{
    Vsa35_unpack m0;
    Vsa35_unpack_int4 m1;
    Vsa35_unpack_int8 m2;
    unsigned codes = 0;
    for (int k = 0; k < SA35_PE_COUNT; k++) {
        const sa35_pe_kind kind = (sa35_pe_kind)k;
        const sa35_pe_desc *pe = sa35_pe_info(kind);
        for (unsigned code = 0; code < 1u << pe->code_bits; code++, codes++) {
            switch (kind) {
            case SA35_PE_SA35: {
                m0.code_i = (uint8_t)code;
                m0.eval();
                int e = sext(m0.e_o, 4), c2 = sext(m0.c2_o, 4);
                check(kind, code, e, c2);
                if (e != sa35_code_even(code) || c2 != sa35_code_odd(code))
                    fails++;
                break;
            }
            case SA35_PE_INT4:
                m1.code_i = (uint8_t)code;
                m1.eval();
                check(kind, code, sext(m1.w0_o, 4), sext(m1.w1_o, 4));
                break;
            case SA35_PE_INT8:
                m2.code_i = (uint8_t)code;
                m2.eval();
                check(kind, code, sext(m2.w0_o, 8), 0);
                break;
            default:
                fprintf(stderr, "PE kind %s has no Verilog unpack here\n",
                        pe->name);
                fails++;
            }
        }
    }
    m0.final();
    m1.final();
    m2.final();
    fprintf(stderr, "test_rtl_unpack: %u codes of %d PE kinds, %d "
                    "failure(s)\n", codes, (int)SA35_PE_COUNT, fails);
    return fails ? 1 : 0;
}
