/* fuzz_program_text.c: the accelerator program's text form (docs/isa.md).
 * Asserts fuzz_program_checks on what it accepts. */
#include "fuzz_program.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    char *text = fuzz_text(d, n);
    sa35_program p = {0};
    sa35_err err;
    if (sa35_program_parse(text, &p, &err) == 0)
        fuzz_program_checks(&p);
    sa35_program_free(&p);
    free(text);
    return 0;
}
