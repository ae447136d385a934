/* test_isa.c: the instruction set's binary and text forms, the validator's
 * verdicts (each naming the offending instruction), every opcode and field
 * of the table (sa35_isa.def) at its limits, and `sa35 asm` /
 * `sa35 disasm` round trips through the command line. */
#include <sys/wait.h>
#include <unistd.h>

#include "sim_test_util.h"

static const char prog_text[] =
    "# a one-tile GEMM, by hand\n"
    "dma.ld dram=0x1000 sram=0x0 bytes=64\n"
    "dma.ld dram=0x0 sram=0x100 bytes=21\n"
    "ldw sram=0x100 rows=3 cols=8\n"
    "\n"
    "mm.first.last.swap sram=0x0 stride=8 m=4 acc=0   # one K tile\n"
    "scl sa=0x200 s=0x210 z=0x230\n"
    "out.scale sram=0x300 stride=32 rows=4 cols=8 acc=0\n"
    "sync\n"
    "dma.st dram=0x2000 sram=0x300 bytes=128\n";

/* The same GEMM in two groups of 6 k-values (3 PE rows each), by hand:
 * ldw.gs loads each tile with its scale words, mm.gs accumulates in
 * float32, out.fp.scale writes Y = sa a and out.fp the accumulator bits. */
static const char gs_text[] =
    "dma.ld dram=0x1000 sram=0x0 bytes=64\n"
    "dma.ld dram=0x0 sram=0x100 bytes=53\n"   /* 3 rows x 7 + 4 x 8 */
    "ldw.gs sram=0x100 rows=3 cols=8\n"
    "mm.first.swap.gs sram=0x0 stride=16 m=4 acc=0\n"
    "dma.ld dram=0x40 sram=0x140 bytes=53\n"
    "ldw.gs sram=0x140 rows=3 cols=8\n"
    "mm.last.swap.gs sram=0x6 stride=16 m=4 acc=0\n"
    "scl sa=0x200 s=0xFFC z=0xFFC\n"        /* s, z: unused by out.fp */
    "out.fp.scale sram=0x300 stride=32 rows=4 cols=8 acc=0\n"
    "out.fp sram=0x380 stride=32 rows=4 cols=8 acc=0\n"
    "sync\n"
    "dma.st dram=0x2000 sram=0x300 bytes=256\n";

static void arch8(sa35_arch *a)
{
    sa35_arch_default(a);
    a->rows = 4, a->cols = 8, a->acc_rows = 16;
    a->sram_bytes = 4096, a->dram_bytes = 1 << 16;
}

static void binary_and_text(void)
{
    sa35_program p, q;
    sa35_err err;
    CHECK(sa35_program_parse(prog_text, &p, &err) == 0);
    CHECK(p.count == 8);
    CHECK(p.ins[3].op == SA35_OP_MM &&
          p.ins[3].flags == (SA35_MM_FIRST | SA35_MM_LAST | SA35_MM_SWAP));
    CHECK(p.ins[0].dram == 0x1000 && p.ins[0].bytes == 64);
    uint8_t *buf;
    size_t len;
    CHECK(sa35_program_encode(&p, &buf, &len, &err) == 0);
    CHECK(len == 16 * 9 && memcmp(buf, "SA35", 4) == 0);
    /* mm: opcode, flags, then W3 = m | acc << 16 */
    CHECK(buf[16 * 4] == SA35_OP_MM && buf[16 * 4 + 1] == 7 &&
          buf[16 * 4 + 12] == 4);
    CHECK(sa35_program_decode(buf, len, &q, &err) == 0);
    CHECK(q.count == p.count && memcmp(q.ins, p.ins, p.count *
                                       sizeof *p.ins) == 0);
    char *text = sa35_program_format(&q);
    sa35_program_free(&q); /* the failing decodes below reuse it */
    sa35_program r;
    CHECK(text && sa35_program_parse(text, &r, &err) == 0);
    CHECK(r.count == p.count &&
          memcmp(r.ins, p.ins, p.count * sizeof *p.ins) == 0);
    CHECK(strstr(text, "mm.first.last.swap sram=0x0 stride=8 m=4 acc=0"));
    /* decode rejects what no encoder writes */
    buf[16 * 4 + 1] = 0x10; /* an mm flag that does not exist */
    CHECK(sa35_program_decode(buf, len, &q, &err) == -1 &&
          strstr(err.msg, "instruction 3") && strstr(err.msg, "flags"));
    buf[16 * 4 + 1] = 7;
    buf[16 * 7 + 2] = 1; /* sync with a reserved field set */
    CHECK(sa35_program_decode(buf, len, &q, &err) == -1 &&
          strstr(err.msg, "instruction 6") && strstr(err.msg, "reserved"));
    buf[16 * 7 + 2] = 0;
    buf[16 * 2] = 0x7F;
    CHECK(sa35_program_decode(buf, len, &q, &err) == -1 &&
          strstr(err.msg, "unknown opcode"));
    CHECK(sa35_program_decode(buf, len - 3, &q, &err) == -1);
    CHECK(sa35_program_decode((const uint8_t *)"XXXX", 4, &q, &err) == -1);
    free(buf);
    free(text);
    sa35_program_free(&p);
    sa35_program_free(&q);
    sa35_program_free(&r);

    static const struct {
        const char *text, *want;
    } bad[] = {
        {"ldw sram=0 rows=1\n", "line 1: ldw: missing field 'cols'"},
        {"sync\nmm.first.bogus sram=0 stride=2 m=1 acc=0\n",
         "line 2: 'mm.first.bogus': unknown flag 'bogus'"},
        {"ldw sram=0 rows=1 cols=1 rows=2\n", "given twice"},
        {"ldw sram=0 rows=1 cols=1 m=2\n", "ldw has no field 'm=2'"},
        {"jump x=1\n", "unknown instruction 'jump'"},
        {"ldw sram=0 rows=70000 cols=1\n", "16 bits"},
        {"ldw sram=-1 rows=1 cols=1\n", "not a number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = sa35_program_parse(bad[i].text, &p, &err);
        CHECK_MSG(rc == -1 && strstr(err.msg, bad[i].want), "case %zu: %s",
                  i, rc ? err.msg : "accepted");
    }
}

/* ------------------------------------------------- the table, exhaustively
 * Everything below is read from sa35_isa.def with its own X-macros (not
 * from the library's arrays), so a field or opcode added to the table is
 * covered without touching this file. */
typedef struct tfield {
    const char *name;
    uint64_t ops;
    unsigned byte, width, lsb;
    const char *key;
    void (*put)(sa35_instr *, uint64_t); /* member |= v << lsb          */
    uint64_t (*get)(const sa35_instr *); /* member >> lsb, width bits   */
    void (*set)(sa35_instr *, uint64_t); /* member = v                  */
    unsigned member_bits;
} tfield;

#define SA35_ISA_FIELD(name, ops, byte, width, member, lsb, key, radix)       \
    static void put_##name(sa35_instr *in, uint64_t v)                        \
    {                                                                         \
        in->member |= v << (lsb);                                             \
    }                                                                         \
    static uint64_t get_##name(const sa35_instr *in)                          \
    {                                                                         \
        return ((uint64_t)in->member >> (lsb)) & ((1ull << (width)) - 1);     \
    }                                                                         \
    static void set_##name(sa35_instr *in, uint64_t v) { in->member = v; }
#include "sa35_isa.def"

static const tfield tfields[] = {
#define SA35_ISA_FIELD(name, ops, byte, width, member, lsb, key, radix)       \
    {#name, ops, byte, width, lsb, key, put_##name, get_##name, set_##name,   \
     8 * sizeof(((sa35_instr *)0)->member)},
#include "sa35_isa.def"
};
#define NTF (sizeof tfields / sizeof tfields[0])

static const struct {
    uint8_t code;
    const char *mnemonic;
    uint64_t in; /* its bit in the fields' ops masks */
} tops[] = {
#define SA35_ISA_OP(ID, code, mnemonic, what)                                 \
    {code, mnemonic, SA35_ISA_IN(ID)},
#include "sa35_isa.def"
};
#define NTO (sizeof tops / sizeof tops[0])

static const struct {
    uint8_t code, bit;
} tflags[] = {
#define SA35_ISA_FLAG(OP, NAME, bit, text) {SA35_OP_##OP, bit},
#include "sa35_isa.def"
};
#define NTFL (sizeof tflags / sizeof tflags[0])

static int bit_of(const uint8_t *b, unsigned i) { return b[i / 8] >> (i % 8) & 1; }

/* The bits of an opcode's instruction the table gives a meaning. */
static void meaning(size_t o, uint8_t used[16])
{
    memset(used, 0, 16);
    used[0] = 0xFF;
    for (size_t i = 0; i < NTFL; i++)
        if (tflags[i].code == tops[o].code)
            used[1] |= (uint8_t)(1u << tflags[i].bit);
    for (size_t f = 0; f < NTF; f++)
        if (tfields[f].ops & tops[o].in)
            for (unsigned i = 0; i < tfields[f].width; i++) {
                unsigned bit = 8 * tfields[f].byte + i;
                CHECK_MSG(!(used[bit / 8] >> (bit % 8) & 1),
                          "%s: field %s overlaps another", tops[o].mnemonic,
                          tfields[f].name);
                used[bit / 8] |= (uint8_t)(1u << (bit % 8));
            }
}

/* Each opcode with all its flags and every field at its max value, and
 * with each field bit alone; the binary form holds every bit where the
 * table says, nothing elsewhere, decodes and prints back to the same
 * instruction. Then a set bit in any unused position is rejected, a value
 * one bit wider than its field too, and so is a field the opcode does not
 * have. */
static void table_exhaustive(void)
{
    sa35_err err;
    for (size_t o = 0; o < NTO; o++) {
        for (size_t p = 0; p < o; p++)
            CHECK(tops[p].code != tops[o].code &&
                  strcmp(tops[p].mnemonic, tops[o].mnemonic) != 0);
        const char *mn = tops[o].mnemonic;
        uint8_t used[16];
        meaning(o, used);
        /* every field and flag at its max */
        sa35_instr in;
        memset(&in, 0, sizeof in);
        in.op = tops[o].code;
        in.flags = used[1];
        for (size_t f = 0; f < NTF; f++)
            if (tfields[f].ops & tops[o].in)
                tfields[f].put(&in, (1ull << tfields[f].width) - 1);
        uint8_t b[16], want[16];
        CHECK_MSG(sa35_instr_encode(&in, b, &err) == 0, "%s: %s", mn,
                  err.msg);
        memcpy(want, used, 16);
        want[0] = in.op;
        CHECK_MSG(memcmp(b, want, 16) == 0, "%s: all ones where the table "
                  "puts fields and flags, zero elsewhere", mn);
        sa35_instr back;
        CHECK_MSG(sa35_instr_decode(b, &back, &err) == 0, "%s: %s", mn,
                  err.msg);
        CHECK(memcmp(&back, &in, sizeof in) == 0);
        char text[512];
        sa35_instr_format(&in, text, sizeof text);
        sa35_program prog;
        CHECK_MSG(sa35_program_parse(text, &prog, &err) == 0, "%s: %s", text,
                  err.msg);
        CHECK(prog.count == 1 && memcmp(prog.ins, &in, sizeof in) == 0);
        sa35_program_free(&prog);

        /* each field bit alone: it lands at its position and nowhere else,
         * and decodes to that bit of that member only */
        for (size_t f = 0; f < NTF; f++) {
            if (!(tfields[f].ops & tops[o].in))
                continue;
            for (unsigned i = 0; i < tfields[f].width; i++) {
                sa35_instr one;
                memset(&one, 0, sizeof one);
                one.op = in.op;
                tfields[f].put(&one, 1ull << i);
                CHECK(sa35_instr_encode(&one, b, &err) == 0);
                unsigned at = 8 * tfields[f].byte + i;
                for (unsigned j = 8; j < 128; j++)
                    CHECK_MSG(bit_of(b, j) == (j == at), "%s %s bit %u: "
                              "instruction bit %u", mn, tfields[f].name, i,
                              j);
                CHECK(sa35_instr_decode(b, &back, &err) == 0 &&
                      memcmp(&back, &one, sizeof one) == 0);
                for (size_t g = 0; g < NTF; g++)
                    if (tfields[g].ops & tops[o].in)
                        CHECK(tfields[g].get(&back) ==
                              (g == f ? 1ull << i : 0));
            }
        }

        /* a set bit in an unused position is rejected */
        CHECK(sa35_instr_encode(&in, b, &err) == 0);
        for (unsigned j = 8; j < 128; j++) {
            if (bit_of(used, j))
                continue;
            b[j / 8] ^= (uint8_t)(1u << (j % 8));
            int rc = sa35_instr_decode(b, &back, &err);
            CHECK_MSG(rc == -1 && strstr(err.msg, mn) &&
                          strstr(err.msg, j < 16 ? "flags" : "reserved"),
                      "%s: unused bit %u: %s", mn, j,
                      rc ? err.msg : "accepted");
            b[j / 8] ^= (uint8_t)(1u << (j % 8));
        }

        /* a member one bit wider than its fields: the bit above a key's
         * highest field, if the member has it */
        for (size_t f = 0; f < NTF; f++) {
            if (!(tfields[f].ops & tops[o].in))
                continue;
            unsigned top = 0;
            for (size_t g = 0; g < NTF; g++)
                if ((tfields[g].ops & tops[o].in) &&
                    strcmp(tfields[g].key, tfields[f].key) == 0 &&
                    tfields[g].lsb + tfields[g].width > top)
                    top = tfields[g].lsb + tfields[g].width;
            if (top >= tfields[f].member_bits)
                continue;
            sa35_instr over;
            memset(&over, 0, sizeof over);
            over.op = in.op;
            tfields[f].set(&over, 1ull << top);
            int rc = sa35_instr_encode(&over, b, &err);
            CHECK_MSG(rc == -1 && strstr(err.msg, "exceeds"),
                      "%s: %s with bit %u: %s", mn, tfields[f].key, top,
                      rc ? err.msg : "accepted");
        }

        /* a field of another opcode, which this one does not have */
        for (size_t f = 0; f < NTF; f++) {
            int mine = 0;
            for (size_t g = 0; g < NTF; g++)
                if ((tfields[g].ops & tops[o].in) &&
                    strcmp(tfields[g].key, tfields[f].key) == 0)
                    mine = 1;
            if (mine)
                continue;
            sa35_instr other;
            memset(&other, 0, sizeof other);
            other.op = in.op;
            tfields[f].put(&other, 1);
            int rc = sa35_instr_encode(&other, b, &err);
            CHECK_MSG(rc == -1 && strstr(err.msg, "does not have"),
                      "%s with %s: %s", mn, tfields[f].name,
                      rc ? err.msg : "accepted");
        }
    }
}

/* The group-scaling flags in both forms: their bits and names. */
static void group_flags(void)
{
    sa35_program p, q;
    sa35_err err;
    CHECK(sa35_program_parse(gs_text, &p, &err) == 0);
    CHECK(p.count == 12);
    CHECK(p.ins[2].op == SA35_OP_LDW && p.ins[2].flags == SA35_LDW_GS &&
          SA35_LDW_GS == 1);
    CHECK(p.ins[3].flags == (SA35_MM_FIRST | SA35_MM_SWAP | SA35_MM_GS) &&
          SA35_MM_GS == 8);
    CHECK(p.ins[8].flags == (SA35_OUT_SCALE | SA35_OUT_FP) &&
          SA35_OUT_FP == 2);
    uint8_t *buf;
    size_t len;
    CHECK(sa35_program_encode(&p, &buf, &len, &err) == 0);
    CHECK(buf[16 * 3 + 1] == 0x01 && buf[16 * 4 + 1] == 0x0D &&
          buf[16 * 9 + 1] == 0x03 && buf[16 * 10 + 1] == 0x02);
    CHECK(sa35_program_decode(buf, len, &q, &err) == 0 &&
          q.count == p.count &&
          memcmp(q.ins, p.ins, p.count * sizeof *p.ins) == 0);
    char *text = sa35_program_format(&q);
    CHECK(text && strstr(text, "ldw.gs sram=0x100 rows=3 cols=8\n") &&
          strstr(text, "mm.first.swap.gs sram=0x0 stride=16 m=4 acc=0\n") &&
          strstr(text, "out.scale.fp sram=0x300 ") &&
          strstr(text, "\nout.fp sram=0x380 "));
    sa35_program r;
    CHECK(text && sa35_program_parse(text, &r, &err) == 0 &&
          r.count == p.count &&
          memcmp(r.ins, p.ins, p.count * sizeof *p.ins) == 0);
    sa35_program_free(&q); /* the failing decode below reuses it */
    buf[16 * 3 + 1] = 0x02; /* ldw has no flag bit 1 */
    CHECK(sa35_program_decode(buf, len, &q, &err) == -1 &&
          strstr(err.msg, "instruction 2") && strstr(err.msg, "flags"));
    free(buf);
    free(text);
    sa35_program_free(&p);
    sa35_program_free(&r);
}

static void validator(void)
{
    sa35_arch a;
    arch8(&a);
    sa35_program p;
    sa35_err err;
    CHECK(sa35_program_parse(prog_text, &p, &err) == 0);
    CHECK(sa35_program_validate(&p, &a, &err) == 0);
    sa35_program_free(&p);
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"mm.first.last sram=0 stride=8 m=1 acc=0\n",
         "instruction 0 (mm): no weights in the active registers"},
        {"sync\nmm.swap.first sram=0 stride=8 m=1 acc=0\n",
         "instruction 1 (mm): swap without a weight load"},
        {"ldw sram=0 rows=1 cols=1\nldw sram=0 rows=1 cols=1\n",
         "instruction 1 (ldw): the shadow registers hold a load"},
        {"ldw sram=0 rows=5 cols=1\n", "instruction 0 (ldw): rows 5 not in "
                                       "1..R (4)"},
        {"ldw sram=0 rows=1 cols=9\n", "cols 9 not in 1..C (8)"},
        {"ldw sram=4090 rows=2 cols=8\n", "exceeds the SRAM"},
        {"ldw sram=0 rows=2 cols=8\nmm.swap sram=0 stride=4 m=1 acc=0\n",
         "instruction 1 (mm): accumulator row 0 is not started"},
        {"ldw sram=0 rows=2 cols=8\nmm.swap.first sram=0 stride=3 m=1 "
         "acc=0\n",
         "stride 3 is shorter than a row of 4 activations"},
        {"ldw sram=0 rows=2 cols=8\nmm.swap.first sram=0 stride=4 m=2 "
         "acc=15\n",
         "accumulator rows 15..16 exceed the 16 rows"},
        {"ldw sram=0 rows=2 cols=8\nmm.swap.first sram=0 stride=4 m=2 "
         "acc=0\nout sram=0 stride=32 rows=2 cols=8 acc=0\n",
         "instruction 2 (out): accumulator row 0 is not complete"},
        {"ldw sram=0 rows=2 cols=8\nmm.swap.first.last sram=0 stride=4 m=2 "
         "acc=0\nmm sram=0 stride=4 m=1 acc=1\n",
         "instruction 2 (mm): accumulator row 1 is complete"},
        {"ldw sram=0 rows=2 cols=8\nmm.swap.first.last sram=0 stride=4 m=2 "
         "acc=0\nout.scale sram=0 stride=32 rows=2 cols=8 acc=0\n",
         "out.scale before any scl"},
        /* group scaling: kinds of tiles and of accumulator rows */
        {"ldw sram=0 rows=2 cols=8\nmm.swap.first.gs sram=0 stride=4 m=1 "
         "acc=0\n",
         "instruction 1 (mm): mm.gs on a tile loaded by a plain ldw: mm.gs "
         "needs ldw.gs and a plain mm a plain ldw"},
        {"ldw.gs sram=0 rows=2 cols=8\nmm.swap.first sram=0 stride=4 m=1 "
         "acc=0\n",
         "instruction 1 (mm): a plain mm on a tile loaded by ldw.gs"},
        {"ldw.gs sram=0 rows=2 cols=8\nmm.swap.first.gs sram=0 stride=4 "
         "m=2 acc=0\nldw sram=0 rows=2 cols=8\nmm.swap.last sram=0 "
         "stride=4 m=2 acc=0\n",
         "instruction 3 (mm): accumulator row 0 was opened by an mm.gs: a "
         "plain mm adds only to rows of its kind"},
        {"ldw sram=0 rows=2 cols=8\nmm.swap.first sram=0 stride=4 m=2 "
         "acc=0\nldw.gs sram=0 rows=2 cols=8\nmm.swap.last.gs sram=0 "
         "stride=4 m=2 acc=0\n",
         "instruction 3 (mm): accumulator row 0 was opened by a plain mm: an "
         "mm.gs adds only to rows of its kind"},
        {"ldw.gs sram=0 rows=2 cols=8\nmm.swap.first.last.gs sram=0 "
         "stride=4 m=2 acc=0\nout sram=0 stride=32 rows=2 cols=8 acc=0\n",
         "instruction 2 (out): accumulator row 0 was written by an mm.gs: "
         "its float32 rows need out.fp"},
        {"ldw sram=0 rows=2 cols=8\nmm.swap.first.last sram=0 stride=4 m=2 "
         "acc=0\nout.fp sram=0 stride=32 rows=2 cols=8 acc=0\n",
         "instruction 2 (out): accumulator row 0 was written by a plain mm: "
         "out.fp reads only the float32 rows of mm.gs"},
        {"ldw.gs sram=0 rows=2 cols=8\nmm.swap.first.last.gs sram=0 "
         "stride=4 m=2 acc=0\nout.fp.scale sram=0 stride=32 rows=2 cols=8 "
         "acc=0\n",
         "instruction 2 (out): out.fp.scale before any scl"},
        /* the scale words count: 14 bytes of rows fit at 4070, 46 not */
        {"ldw.gs sram=4070 rows=2 cols=8\n",
         "instruction 0 (ldw): tile 0xfe6+46 (with its scale words) exceeds "
         "the SRAM"},
        {"ldw.gs sram=0 rows=2 cols=8\nmm.swap.first.last.gs sram=0 "
         "stride=4 m=2 acc=0\nscl sa=4090 s=0 z=0\nout.fp.scale sram=0 "
         "stride=32 rows=2 cols=8 acc=0\n",
         "the scale arrays set by scl exceed the SRAM"},
        {"dma.ld dram=0xFFFF sram=0 bytes=2\n", "exceeds the memory"},
        {"dma.st dram=0 sram=0 bytes=0\n", "bytes must be at least 1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(sa35_program_parse(bad[i].text, &p, &err) == 0);
        int rc = sa35_program_validate(&p, &a, &err);
        CHECK_MSG(rc == -1 && strstr(err.msg, bad[i].want), "case %zu: %s",
                  i, rc ? err.msg : "accepted");
        sa35_program_free(&p);
    }
    /* accepted: the hand-written group-scaled program; a plain ldw at
     * 4070; out.fp.scale with s and z out of the SRAM (it reads sa only);
     * a row closed by mm.gs reopened by a plain mm.first */
    static const char *good[] = {
        gs_text,
        "ldw sram=4070 rows=2 cols=8\n",
        "ldw.gs sram=0 rows=2 cols=8\nmm.swap.first.last.gs sram=0 stride=4 "
        "m=2 acc=0\nscl sa=0 s=0xFFFFFF z=0xFFFFFF\nout.fp.scale sram=0 "
        "stride=32 rows=2 cols=8 acc=0\n",
        "ldw.gs sram=0 rows=2 cols=8\nmm.swap.first.last.gs sram=0 stride=4 "
        "m=2 acc=0\nldw sram=0 rows=2 cols=8\nmm.swap.first.last sram=0 "
        "stride=4 m=2 acc=0\nout sram=0 stride=32 rows=2 cols=8 acc=0\n",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        CHECK(sa35_program_parse(good[i], &p, &err) == 0);
        CHECK_MSG(sa35_program_validate(&p, &a, &err) == 0, "good %zu: %s",
                  i, err.msg);
        sa35_program_free(&p);
    }
    a.acc_rows = 7;
    CHECK(sa35_arch_check(&a, &err) == -1);
    CHECK(sa35_arch_parse_array("12x0", &a, &err) == -1);
    CHECK(sa35_arch_parse_array("x3", &a, &err) == -1);
    CHECK(sa35_arch_parse_array("3x4", &a, &err) == 0 && a.rows == 3 &&
          a.cols == 4);
    CHECK(sa35_arch_psum_bits(&a) == 14); /* 2048*3 = 6144 < 2^13 */
    a.rows = 320;
    CHECK(sa35_arch_psum_bits(&a) == 21); /* architecture.md */
}

/* A hand-written program on the 4 x 8 array, its memories zeroed. */
typedef struct hand {
    sa35_arch a;
    sa35_program p;
    uint8_t *dram, *sram; /* 64 KiB and 4 KiB */
} hand;

static void hand_init(hand *h, const char *text)
{
    sa35_err err;
    arch8(&h->a);
    CHECK(sa35_program_parse(text, &h->p, &err) == 0);
    h->dram = calloc(1, 1 << 16), h->sram = calloc(1, 4096);
}

static void hand_free(hand *h)
{
    sa35_program_free(&h->p);
    free(h->dram);
    free(h->sram);
}

/* Random activations, 4 rows of K (into Ak), at off-chip 0x1000 in rows of
 * `stride` bytes (zero padded). */
static void hand_acts(hand *h, int8_t *Ak, int K, int stride, uint64_t *rng)
{
    simt_acts(Ak, 4 * K, 0, rng);
    for (int m = 0; m < 4; m++)
        memcpy(h->dram + 0x1000 + stride * m, Ak + K * m, (size_t)K);
}

/* The functional executor on the hand-written program: out.scale applies
 * the scales exactly as sa35_gemm_output does. */
static void scaled_output(void)
{
    hand h;
    hand_init(&h, prog_text);
    sa35_arch a = h.a;
    sa35_program p = h.p;
    uint8_t *dram = h.dram, *sram = h.sram;
    sa35_err err;
    uint64_t rng = 3;
    sa35_qweights q = {0};
    simt_weights(&q, 6, 8, 0, &rng);
    int8_t A6[4 * 6];
    hand_acts(&h, A6, 6, 8, &rng);
    for (int r = 0; r < 3; r++) /* tile rows: 8 codes, 7 bytes each */
        for (int c = 0; c < 8; c++)
            sa35_pair_store(dram + 7 * r, c,
                            sa35_pair_code(q.qweight + c * q.colbytes, r));
    float sa[4] = {0.5f, 0.25f, 2.0f, 1.0f};
    for (int n = 0; n < 8; n++)
        q.scale[n] = 0.01f * (float)(n + 1), q.zero[n] = -0.3f;
    sa35_func f;
    CHECK(sa35_func_init(&f, &a, (sa35_mem){dram, 1 << 16, sram, 4096},
                         &err) == 0);
    memcpy(sram + 0x200, sa, sizeof sa);
    memcpy(sram + 0x210, q.scale, 32);
    memcpy(sram + 0x230, q.zero, 32);
    sa35_func_run(&f, &p);
    int32_t acc[32], rsum[4];
    float Y[32];
    sa35_gemm_acc(A6, 4, &q, acc, rsum);
    sa35_gemm_output(4, &q, sa, rsum, acc, Y);
    CHECK(memcmp(dram + 0x2000, Y, sizeof Y) == 0);
    sa35_func_free(&f);
    sa35_qweights_free(&q);
    hand_free(&h);
}

/* The functional executor on the group-scaled program: ldw.gs, the swap
 * of the scale row, mm.gs's float32 terms and sums and out.fp(.scale) give
 * exactly the golden model's accumulator bits and its Y. */
static void group_scaled(void)
{
    hand h;
    hand_init(&h, gs_text);
    sa35_arch a = h.a;
    sa35_program p = h.p;
    uint8_t *dram = h.dram, *sram = h.sram;
    sa35_err err;
    uint64_t rng = 12;
    sa35_qweights q = {0};
    simt_weights_group(&q, SA35_PE_SA35, 12, 8, 6, 0, &rng);
    int8_t A12[4 * 12];
    hand_acts(&h, A12, 12, 16, &rng);
    for (int g = 0; g < 2; g++) { /* tile g at 0x40 g: 3 rows, the words */
        uint8_t *t = dram + 0x40 * g;
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 8; c++)
                sa35_pair_store(t + 7 * r, c,
                                sa35_pair_code(q.qweight + c * q.colbytes,
                                               3 * g + r));
        for (int c = 0; c < 8; c++) {
            uint16_t s16 = sa35_f32_to_f16(sa35_qweights_scale(&q, g, c)),
                     z16 = sa35_f32_to_f16(sa35_qweights_zero(&q, g, c));
            uint8_t w[4] = {(uint8_t)s16, (uint8_t)(s16 >> 8), (uint8_t)z16,
                            (uint8_t)(z16 >> 8)};
            memcpy(t + 21 + 4 * c, w, 4);
        }
    }
    float sa[4] = {0.5f, 0.25f, 3.0f, 1.0f};
    sa35_func f;
    CHECK(sa35_func_init(&f, &a, (sa35_mem){dram, 1 << 16, sram, 4096},
                         &err) == 0);
    memcpy(sram + 0x200, sa, sizeof sa);
    sa35_func_run(&f, &p);
    int32_t acc[32];
    float Y[32];
    sa35_gemm_acc(A12, 4, &q, acc, NULL);
    sa35_gemm_output(4, &q, sa, NULL, acc, Y);
    CHECK(memcmp(dram + 0x2000, Y, sizeof Y) == 0);
    CHECK(memcmp(dram + 0x2080, acc, sizeof acc) == 0);
    /* the accumulators are float32 sums of two group terms, not int32 */
    int32_t plain = 0;
    for (int k = 0; k < 12; k++)
        plain += A12[k] * sa35_qweights_code(&q, k, 0);
    CHECK(acc[0] != plain || plain == 0);
    /* every engine on the same image, ideal and real memory: the same
     * bytes, and the simulator's cycles and counters are the timing
     * model's (out.fp.scale reads sa only: 4 bytes a row) */
    for (int mem = 0; mem < 2; mem++) {
        sa35_arch b = a;
        if (mem)
            b.dram_bw_num = 5, b.dram_bw_den = 2, b.dram_latency = 9;
        sa35_stats st[8], *tst = NULL, *sst = NULL;
        size_t n = 0;
        for (const sa35_engine *const *e = sa35_engines(); *e; e++, n++) {
            uint8_t *d2 = calloc(1, 1 << 16), *s2 = calloc(1, 4096);
            memcpy(d2, dram, 0x2000); /* the inputs, not the results */
            memcpy(s2 + 0x200, sa, sizeof sa);
            CHECK_MSG((*e)->run(*e, &b, &p,
                                (sa35_mem){d2, 1 << 16, s2, 4096}, NULL,
                                &st[n], &err) == 0,
                      "%s: %s", (*e)->name, err.msg);
            if ((*e)->produces & SA35_PRODUCES_DATA)
                CHECK_MSG(memcmp(d2 + 0x2000, dram + 0x2000, 256) == 0, "%s",
                          (*e)->name);
            if (!strcmp((*e)->name, "timing"))
                tst = &st[n];
            if (!strcmp((*e)->name, "sim"))
                sst = &st[n];
            free(d2);
            free(s2);
        }
        CHECK(tst && sst && !sa35_stats_diff(tst, sst, SA35_STAT_TIMING));
        /* SRAM reads: ldw.gs 2 x (21 + 32), mm 2 x 4 rows x 6, out.fp.scale
         * 4 rows x 4 (sa only), dma.st 256 */
        CHECK(tst && tst->sram_read_bytes == 106 + 48 + 16 + 256);
    }
    sa35_func_free(&f);
    sa35_qweights_free(&q);
    hand_free(&h);
}

static int run(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void command_line(void)
{
    const char *bin = getenv("SA35_BIN");
    if (!bin)
        return; /* not under CTest */
    FILE *f = fopen("p.s", "w");
    fputs(prog_text, f);
    fclose(f);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s asm p.s -o p.bin --array 4x8 >/dev/null",
             bin);
    CHECK(run(cmd) == 0);
    snprintf(cmd, sizeof cmd, "%s disasm p.bin -o p2.s && %s asm p2.s -o "
             "p2.bin --array 4x8 >/dev/null && cmp p.bin p2.bin", bin, bin);
    CHECK(run(cmd) == 0);
    /* the default 320x320 array has room; a 2x8 array has not */
    snprintf(cmd, sizeof cmd, "%s asm p.s -o p3.bin --array 2x8 2>err.txt",
             bin);
    CHECK(run(cmd) == 1);
    f = fopen("err.txt", "r");
    char line[512] = "";
    CHECK(f && fgets(line, sizeof line, f));
    if (f)
        fclose(f);
    CHECK(strstr(line, "instruction 2 (ldw): rows 3 not in 1..R (2)"));
    CHECK(access("p3.bin", F_OK) != 0);
    snprintf(cmd, sizeof cmd, "%s disasm nonexistent.bin 2>/dev/null", bin);
    CHECK(run(cmd) == 1);
    snprintf(cmd, sizeof cmd, "%s asm p.s -o p4.bin --array 4x 2>/dev/null",
             bin);
    CHECK(run(cmd) == 1);
}

int main(void)
{
    binary_and_text();
    table_exhaustive();
    group_flags();
    validator();
    scaled_output();
    group_scaled();
    command_line();
    return TEST_DONE();
}
