/* isa_table.h: the instruction table of sa35_isa.def as data, for the code
 * that walks it at run time (isa_text.c, isa_encode.c's messages), and the
 * bit and member accessors the encoder and decoder share.
 * Internal to the library; the public API is sa35_isa.h. */
#ifndef SA35_ISA_TABLE_H
#define SA35_ISA_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* Each field's row in the table: SA35_FI_<name>. */
enum sa35_field_index {
#define SA35_ISA_FIELD(name, ops, byte, width, member, lsb, key, radix)       \
    SA35_FI_##name,
#include "sa35_isa.def"
    SA35_FI_COUNT
};

extern const sa35_isa_op sa35_isa_ops[SA35_OPI_COUNT];
extern const sa35_isa_flag sa35_isa_flags[];
extern const size_t sa35_isa_nflags;
extern const sa35_isa_field sa35_isa_fields[SA35_FI_COUNT];
extern const size_t sa35_isa_nfields;

/* The table row of opcode `code`; NULL if unknown. */
const sa35_isa_op *sa35_isa_op_of(int code);
/* Whether opcode `code` (known) has field f. */
int sa35_isa_field_in(const sa35_isa_field *f, int code);
/* The first field of opcode `code` with f's key: the one that names it in
 * the text form (f itself unless f continues a wider member). */
const sa35_isa_field *sa35_isa_key_head(const sa35_isa_field *f, int code);
/* Bits of the member that opcode `code`'s fields with f's key hold (48
 * for the off-chip address). */
unsigned sa35_isa_key_bits(const sa35_isa_field *f, int code);
/* The value of f's member in an instruction, and setting it. Inline: the
 * encoder and decoder call these for every field of every instruction. */
static inline uint64_t sa35_isa_member_get(const sa35_instr *in,
                                           const sa35_isa_field *f)
{
    const char *p = (const char *)in + f->member;
    if (f->member_bits == 64) {
        uint64_t x;
        memcpy(&x, p, sizeof x);
        return x;
    }
    uint32_t x;
    memcpy(&x, p, sizeof x);
    return x;
}

static inline void sa35_isa_member_set(sa35_instr *in,
                                       const sa35_isa_field *f, uint64_t v)
{
    char *p = (char *)in + f->member;
    if (f->member_bits == 64) {
        memcpy(p, &v, sizeof v);
    } else {
        uint32_t x = (uint32_t)v;
        memcpy(p, &x, sizeof x);
    }
}

/* The width bits of b from byte `byte` on (little-endian), width <= 64:
 * instruction bits [8 byte, 8 byte + width). Fields start on a byte (the
 * table's byte offset), so these move whole bytes; only a field's last
 * byte may be partly another's. */
static inline uint64_t sa35_isa_bits_get(const uint8_t *b, unsigned byte,
                                         unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = 0; 8 * i < width; i++)
        v |= (uint64_t)b[byte + i] << (8 * i);
    return width >= 64 ? v : v & ((1ull << width) - 1);
}

static inline void sa35_isa_bits_put(uint8_t *b, unsigned byte,
                                     unsigned width, uint64_t v)
{
    for (unsigned i = 0; 8 * i < width; i++) {
        unsigned left = width - 8 * i;
        unsigned m = left >= 8 ? 0xFFu : (1u << left) - 1;
        b[byte + i] = (uint8_t)((b[byte + i] & ~m) | ((v >> (8 * i)) & m));
    }
}

#endif /* SA35_ISA_TABLE_H */
