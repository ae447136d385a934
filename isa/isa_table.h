/* isa_table.h: the instruction table of sa35_isa.def as data, for the code
 * that walks it (isa_encode.c, isa_text.c, isa_validate.c, the tests).
 * Internal to the library; the public API is sa35_isa.h. */
#ifndef SA35_ISA_TABLE_H
#define SA35_ISA_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "sa35_isa.h"

typedef struct sa35_isa_op {
    uint8_t code;         /* byte 0                                        */
    const char *mnemonic; /* text form                                     */
} sa35_isa_op;

typedef struct sa35_isa_flag {
    uint8_t op;           /* opcode                                        */
    uint8_t mask;         /* its bit in byte 1                             */
    const char *text;     /* ".text" after the mnemonic                    */
} sa35_isa_flag;

typedef struct sa35_isa_field {
    const char *name;     /* "mm_m", ...: the Verilog decoder's port name  */
    uint64_t ops;         /* SA35_ISA_IN(ID) of each opcode that has it    */
    uint8_t byte, width;  /* instruction bits [8 byte, 8 byte + width)     */
    uint8_t lsb;          /* the member's bit that the field's bit 0 is    */
    const char *key;      /* text key                                      */
    uint8_t hex;          /* printed in hex (else decimal)                 */
    uint8_t member_bits;  /* width of the sa35_instr member (32 or 64)     */
    size_t member;        /* offsetof(sa35_instr, member)                  */
} sa35_isa_field;

extern const sa35_isa_op sa35_isa_ops[SA35_OPI_COUNT];
extern const sa35_isa_flag sa35_isa_flags[];
extern const size_t sa35_isa_nflags;
extern const sa35_isa_field sa35_isa_fields[];
extern const size_t sa35_isa_nfields;

/* The table row of opcode `code`; NULL if unknown. */
const sa35_isa_op *sa35_isa_op_of(int code);
/* The flag bits opcode `code` accepts (byte 1). */
uint8_t sa35_isa_op_flags(int code);
/* Whether opcode `code` (known) has field f. */
int sa35_isa_field_in(const sa35_isa_field *f, int code);
/* The first field of opcode `code` with f's key: the one that names it in
 * the text form (f itself unless f continues a wider member). */
const sa35_isa_field *sa35_isa_key_head(const sa35_isa_field *f, int code);
/* Bits of the member that opcode `code`'s fields with f's key hold (48
 * for the off-chip address). */
unsigned sa35_isa_key_bits(const sa35_isa_field *f, int code);
/* The value of f's member in an instruction, and setting it. */
uint64_t sa35_isa_member_get(const sa35_instr *in, const sa35_isa_field *f);
void sa35_isa_member_set(sa35_instr *in, const sa35_isa_field *f,
                         uint64_t v);
/* Instruction bits [pos, pos + width) of b (little-endian), width <= 64. */
uint64_t sa35_isa_bits_get(const uint8_t *b, unsigned pos, unsigned width);
void sa35_isa_bits_put(uint8_t *b, unsigned pos, unsigned width, uint64_t v);
/* The bits of opcode `code`'s 16 bytes that the table gives a meaning:
 * opcode, its flags, its fields. Every other bit must be 0. */
void sa35_isa_used_mask(int code, uint8_t mask[SA35_INSTR_BYTES]);

#endif /* SA35_ISA_TABLE_H */
