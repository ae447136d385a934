/* isa_gen_vh.c: writes the RTL's view of the instruction table,
 * sa35_isa_fields.vh, from sa35_isa.def (the same rows the C encoder,
 * decoder, text form and validator are made of). rtl/CMakeLists.txt
 * compiles and runs it at configure time, because verilate() runs
 * Verilator then, and again whenever the table or this file changes.
 *
 *   isa_gen_vh              prints the include on stdout
 *
 * The include holds localparams only, so a module `includes it in its body
 * (Verilog-2005 has no packages), and every module that does gets its own
 * copy: there is no include guard on purpose. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sa35_isa.h"

#define INSTR_BITS (8 * SA35_INSTR_BYTES)

/* "DMA_LD" or "dma_dram_lo" -> "DmaLd", "DmaDramLo": lowRISC CamelCase. */
static const char *camel(const char *s)
{
    static char buf[4][64];
    static int k;
    char *o = buf[k++ % 4];
    size_t n = 0;
    int up = 1;
    for (; *s && n + 1 < sizeof buf[0]; s++) {
        if (*s == '_') {
            up = 1;
            continue;
        }
        o[n++] = (char)(up ? toupper((unsigned char)*s)
                           : tolower((unsigned char)*s));
        up = 0;
    }
    o[n] = '\0';
    return o;
}

typedef struct {
    const char *id;
    unsigned code;
    uint64_t in;
    const char *what;
} op_row;
static const op_row ops[] = {
#define SA35_ISA_OP(ID, code, mnemonic, what)                                 \
    {#ID, code, SA35_ISA_IN(ID), mnemonic ": " what},
#include "sa35_isa.def"
};
#define NOPS (sizeof ops / sizeof ops[0])

typedef struct {
    const char *op, *name;
    unsigned code, bit;
} flag_row;
static const flag_row flags[] = {
#define SA35_ISA_FLAG(OP, NAME, bit, text) {#OP, #NAME, SA35_OP_##OP, bit},
#include "sa35_isa.def"
};
#define NFLAGS (sizeof flags / sizeof flags[0])

typedef struct {
    const char *name;
    uint64_t ops;
    unsigned byte, width, lsb;
    const char *member;
} field_row;
static const field_row fields[] = {
#define SA35_ISA_FIELD(name, ops, byte, width, member, lsb, key, radix)       \
    {#name, ops, byte, width, lsb, #member},
#include "sa35_isa.def"
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static void set_bits(uint8_t *m, unsigned pos, unsigned width)
{
    for (unsigned i = pos; i < pos + width; i++)
        m[i / 8] |= (uint8_t)(1u << (i % 8));
}

int main(void)
{
    printf("// sa35_isa_fields.vh: GENERATED from isa/include/sa35_isa.def by "
           "isa/isa_gen_vh.c;\n"
           "// do not edit. The instruction word's layout (docs/isa.md), "
           "for rtl/sa35_decode.v\n"
           "// and the controller. Localparams only: `include it in a "
           "module body.\n"
           "// A module uses a part of the table, hence the lint waiver.\n"
           "/* verilator lint_off UNUSEDPARAM */\n\n");
    printf("localparam integer InstrW = %d;  // bits of one instruction\n\n",
           INSTR_BITS);

    printf("// opcodes: instruction bits [7:0]\n");
    for (size_t i = 0; i < NOPS; i++)
        printf("localparam [7:0] Op%-8s = 8'h%02x;  // %s\n", camel(ops[i].id),
               ops[i].code, ops[i].what);

    printf("\n// flags: instruction bit 8 + bit (byte 1)\n");
    for (size_t i = 0; i < NFLAGS; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s_%s", flags[i].op, flags[i].name);
        printf("localparam integer Flag%-10s = %u;\n", camel(name),
               8 + flags[i].bit);
    }

    printf("\n// fields: instruction bits [Fld<Name>Lsb +: Fld<Name>W], "
           "holding bits\n// [Fld<Name>Val +: Fld<Name>W] of the value "
           "(sa35_instr member in the comment)\n");
    for (size_t i = 0; i < NFIELDS; i++) {
        const char *c = camel(fields[i].name);
        printf("localparam integer Fld%sLsb = %u;\n", c, 8 * fields[i].byte);
        printf("localparam integer Fld%sW   = %u;\n", c, fields[i].width);
        printf("localparam integer Fld%sVal = %u;  // %s\n", c,
               fields[i].lsb, fields[i].member);
    }

    printf("\n// per opcode, the bits with a meaning: a set bit outside is "
           "an illegal\n// instruction (the C decoder rejects it)\n");
    for (size_t o = 0; o < NOPS; o++) {
        uint8_t m[SA35_INSTR_BYTES] = {0};
        set_bits(m, 0, 8);
        for (size_t i = 0; i < NFLAGS; i++)
            if (flags[i].code == ops[o].code)
                set_bits(m, 8 + flags[i].bit, 1);
        for (size_t i = 0; i < NFIELDS; i++)
            if (fields[i].ops & ops[o].in)
                set_bits(m, 8 * fields[i].byte, fields[i].width);
        printf("localparam [InstrW-1:0] Used%-6s = %d'h", camel(ops[o].id),
               INSTR_BITS);
        for (int b = SA35_INSTR_BYTES - 1; b >= 0; b--)
            printf("%02x%s", m[b], b % 4 == 0 && b ? "_" : "");
        printf(";\n");
    }
    printf("\n/* verilator lint_on UNUSEDPARAM */\n");
    return ferror(stdout) ? 1 : 0;
}
