/* fuzz_program.h: what the two program harnesses assert of a program
 * either form accepted: its text form parses back to the same program, its
 * binary form decodes back to the same program, and the validator returns
 * (accepting or refusing) on the default array and a small one. Equality
 * is of the binary encodings (the struct has padding). */
#ifndef SA35_FUZZ_PROGRAM_H
#define SA35_FUZZ_PROGRAM_H

#include "fuzz_util.h"
#include "sa35_isa.h"

static inline void fuzz_program_checks(const sa35_program *p)
{
    sa35_err err;
    uint8_t *b1 = NULL, *b2 = NULL;
    size_t n1 = 0, n2 = 0;
    FUZZ_ASSERT(sa35_program_encode(p, &b1, &n1, &err) == 0);
    FUZZ_ASSERT(n1 == SA35_INSTR_BYTES * (p->count + 1));
    sa35_program q = {0};
    FUZZ_ASSERT(sa35_program_decode(b1, n1, &q, &err) == 0);
    FUZZ_ASSERT(q.count == p->count);
    sa35_program_free(&q);
    char *text = sa35_program_format(p);
    FUZZ_ASSERT(text != NULL);
    FUZZ_ASSERT(sa35_program_parse(text, &q, &err) == 0);
    FUZZ_ASSERT(sa35_program_encode(&q, &b2, &n2, &err) == 0);
    FUZZ_ASSERT(n1 == n2 && memcmp(b1, b2, n1) == 0);
    sa35_program_free(&q);
    free(text);
    free(b1);
    free(b2);
    sa35_arch a;
    sa35_arch_default(&a);
    sa35_program_validate(p, &a, &err);
    a.rows = 4, a.cols = 8, a.acc_rows = 16;
    a.sram_bytes = 4096, a.dram_bytes = 1 << 16;
    sa35_program_validate(p, &a, &err);
}

#endif
