/* test_rtl_unpack.cpp: the Verilog unpack (rtl/sa35_unpack.v) against the C
 * unpack (sa35_code_even, sa35_code_odd) on all 128 codes. */
#include <cstdio>

#include "Vsa35_unpack.h"
#include "sa35_cmodel.h"

static int sext4(unsigned v) { return (int)((v & 0xFu) ^ 0x8u) - 8; }

int main()
{
    Vsa35_unpack m;
    int fails = 0;
    for (unsigned code = 0; code < 128; code++) {
        m.code_i = (uint8_t)code;
        m.eval();
        int e = sext4(m.e_o), c2 = sext4(m.c2_o);
        if (e != sa35_code_even(code) || c2 != sa35_code_odd(code)) {
            fprintf(stderr, "code 0x%02x: rtl e=%d 2c=%d, C e=%d 2c=%d\n",
                    code, e, c2, sa35_code_even(code), sa35_code_odd(code));
            fails++;
        }
    }
    m.final();
    fprintf(stderr, "test_rtl_unpack: 128 codes, %d failure(s)\n", fails);
    return fails ? 1 : 0;
}
