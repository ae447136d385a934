/* fuzz_program_bin.c: the accelerator program's binary form (docs/isa.md).
 * Asserts fuzz_program_checks on what it accepts, and that encoding gives
 * back the input byte for byte (decoding refuses every bit encoding would
 * not set). */
#include "fuzz_program.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    sa35_program p = {0};
    sa35_err err;
    if (sa35_program_decode(d, n, &p, &err) != 0)
        return 0;
    uint8_t *b = NULL;
    size_t len = 0;
    FUZZ_ASSERT(sa35_program_encode(&p, &b, &len, &err) == 0);
    FUZZ_ASSERT(len == n && memcmp(b, d, n) == 0);
    free(b);
    fuzz_program_checks(&p);
    sa35_program_free(&p);
    return 0;
}
