/* isa_encode.c: the binary form of instructions and programs
 * (docs/isa.md). Every instruction is 16 little-endian bytes: byte 0
 * opcode, byte 1 flags, then the opcode's fields where the table
 * (sa35_isa.def) puts them. A field an opcode does not use must be zero,
 * so that later versions can give it a meaning without old programs
 * changing theirs. Nothing here names an opcode or a field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa_table.h"

static void put32(uint8_t *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get32(const uint8_t *b)
{
    return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
           (uint32_t)b[3] << 24;
}

/* The fields of the opcode with table index `opi` into b (bytes 2-15),
 * each truncated to its width: the checks come before or after. Expanded
 * from the table row by row, so each field's position is a constant. */
static void put_fields(const sa35_instr *in, int opi, uint8_t *b)
{
    const uint64_t me = UINT64_C(1) << opi;
#define SA35_ISA_FIELD(name, ops, byte, width, member, lsb, key, radix)       \
    if ((ops) & me)                                                           \
        sa35_isa_bits_put(b, byte, width, (uint64_t)in->member >> (lsb));
#include "sa35_isa.def"
}

static void get_fields(const uint8_t *b, int opi, sa35_instr *in)
{
    const uint64_t me = UINT64_C(1) << opi;
#define SA35_ISA_FIELD(name, ops, byte, width, member, lsb, key, radix)       \
    if ((ops) & me)                                                           \
        in->member |= sa35_isa_bits_get(b, byte, width) << (lsb);
#include "sa35_isa.def"
}

/* The first member in which a and b differ (its first table row), or
 * NULL. Member by member: padding does not count. */
static const sa35_isa_field *differs(const sa35_instr *a, const sa35_instr *b)
{
#define SA35_ISA_FIELD(name, ops, byte, width, member, lsb, key, radix)       \
    if (a->member != b->member)                                               \
        return &sa35_isa_fields[SA35_FI_##name];
#include "sa35_isa.def"
    return NULL;
}

/* Why member f of `in` does not survive the binary form: the opcode has no
 * field for it (it must be 0), or it is wider than its fields. */
static int field_error(const sa35_instr *in, int opi, const sa35_isa_field *f,
                       sa35_err *err)
{
    const char *name = sa35_isa_ops[opi].mnemonic;
    const sa35_isa_field *own = NULL;
    for (size_t i = 0; i < sa35_isa_nfields && !own; i++)
        if ((sa35_isa_fields[i].ops >> opi & 1u) &&
            sa35_isa_fields[i].member == f->member)
            own = &sa35_isa_fields[i];
    unsigned long long v = sa35_isa_member_get(in, f);
    if (!own)
        return sa35_err_set(err, "%s: a field this opcode does not have is "
                                 "set (%s)",
                            name, f->key);
    return sa35_err_set(err, own->hex ? "%s: %s 0x%llx exceeds %u bits"
                                      : "%s: %s %llu exceeds %u bits",
                        name, own->key, v, sa35_isa_key_bits(own, in->op));
}

/* Opcode and flags known and allowed: the opcode's table index, or -1. */
static int check_op(int code, int flags, sa35_err *err)
{
    int opi = -1;
    unsigned allowed = 0;
    switch (code) {
#define SA35_ISA_OP(ID, code, mnemonic, what)                                 \
    case code: opi = SA35_OPI_##ID; break;
#include "sa35_isa.def"
    default: return sa35_err_set(err, "unknown opcode 0x%02x", code);
    }
#define SA35_ISA_FLAG(OP, NAME, bit, text)                                    \
    if (code == SA35_OP_##OP)                                                 \
        allowed |= 1u << (bit);
#include "sa35_isa.def"
    if ((unsigned)flags & ~allowed)
        return sa35_err_set(err, "%s: flags 0x%02x not allowed",
                            sa35_isa_ops[opi].mnemonic, flags);
    return opi;
}

/* The fields of an opcode are the only members set, each within its
 * width: exactly when the binary form gives every member back. */
static int check_fields(const sa35_instr *in, int opi, sa35_err *err)
{
    uint8_t b[SA35_INSTR_BYTES] = {0};
    sa35_instr back;
    memset(&back, 0, sizeof back);
    put_fields(in, opi, b);
    get_fields(b, opi, &back);
    const sa35_isa_field *f = differs(in, &back);
    return f ? field_error(in, opi, f, err) : 0;
}

int sa35_instr_check(const sa35_instr *in, sa35_err *err)
{
    int opi = check_op(in->op, in->flags, err);
    return opi < 0 ? -1 : check_fields(in, opi, err);
}

int sa35_instr_encode(const sa35_instr *in, uint8_t b[SA35_INSTR_BYTES],
                      sa35_err *err)
{
    memset(b, 0, SA35_INSTR_BYTES);
    int opi = check_op(in->op, in->flags, err);
    if (opi < 0 || check_fields(in, opi, err))
        return -1;
    b[0] = in->op;
    b[1] = in->flags;
    put_fields(in, opi, b);
    return 0;
}

int sa35_instr_decode(const uint8_t b[SA35_INSTR_BYTES], sa35_instr *in,
                      sa35_err *err)
{
    memset(in, 0, sizeof *in);
    in->op = b[0];
    in->flags = b[1];
    int opi = check_op(b[0], b[1], err);
    if (opi < 0)
        return -1;
    get_fields(b, opi, in);
    /* a bit that no field of the opcode holds is not encoded back */
    uint8_t again[SA35_INSTR_BYTES] = {0};
    put_fields(in, opi, again);
    if (memcmp(again + 2, b + 2, SA35_INSTR_BYTES - 2) != 0) {
        memset(in, 0, sizeof *in);
        in->op = b[0];
        in->flags = b[1];
        return sa35_err_set(err, "%s: reserved bits are set",
                            sa35_isa_ops[opi].mnemonic);
    }
    return 0;
}

int sa35_program_encode(const sa35_program *p, uint8_t **buf, size_t *len,
                        sa35_err *err)
{
    if (p->count > 0xFFFFFFFFu)
        return sa35_err_set(err, "program too long (%zu instructions)",
                            p->count);
    size_t n = SA35_INSTR_BYTES * (p->count + 1);
    uint8_t *b = calloc(n, 1);
    if (!b)
        return sa35_err_set(err, "out of memory for the binary program "
                                 "(%zu bytes)",
                            n);
    memcpy(b, SA35_PROG_MAGIC, 4);
    put32(b + 4, SA35_PROG_VERSION);
    put32(b + 8, (uint32_t)p->count);
    for (size_t i = 0; i < p->count; i++)
        if (sa35_instr_encode(&p->ins[i], b + SA35_INSTR_BYTES * (i + 1),
                              err)) {
            free(b);
            char ctx[64];
            snprintf(ctx, sizeof ctx, "instruction %zu", i);
            return sa35_err_prefix(err, ctx);
        }
    *buf = b;
    *len = n;
    return 0;
}

int sa35_program_decode(const uint8_t *buf, size_t len, sa35_program *p,
                        sa35_err *err)
{
    memset(p, 0, sizeof *p);
    if (len < SA35_INSTR_BYTES || memcmp(buf, SA35_PROG_MAGIC, 4) != 0)
        return sa35_err_set(err, "not an sa35 program (no SA35 header)");
    if (get32(buf + 4) != SA35_PROG_VERSION)
        return sa35_err_set(err, "program version %u, expected %u",
                            get32(buf + 4), SA35_PROG_VERSION);
    uint32_t count = get32(buf + 8);
    if (get32(buf + 12) != 0)
        return sa35_err_set(err, "program header: reserved bits are set");
    if ((len - SA35_INSTR_BYTES) / SA35_INSTR_BYTES != count ||
        len % SA35_INSTR_BYTES)
        return sa35_err_set(err, "program header says %u instructions but "
                                 "the file holds %zu bytes of them",
                            count, len - SA35_INSTR_BYTES);
    for (uint32_t i = 0; i < count; i++) {
        sa35_instr in;
        if (sa35_instr_decode(buf + SA35_INSTR_BYTES * (i + 1), &in, err) ||
            sa35_program_push(p, &in, err)) {
            sa35_program_free(p);
            char ctx[64];
            snprintf(ctx, sizeof ctx, "instruction %u", i);
            return sa35_err_prefix(err, ctx);
        }
    }
    return 0;
}

/* Read a whole file (malloc'd). */
static int read_all(const char *path, uint8_t **buf, size_t *len,
                    sa35_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sa35_err_set(err, "%s: cannot open", path);
    size_t cap = 4096, n = 0;
    uint8_t *b = malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *nb = realloc(b, cap * 2);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!b || bad) {
        free(b);
        return sa35_err_set(err, "%s: cannot read", path);
    }
    *buf = b;
    *len = n;
    return 0;
}

int sa35_program_read(const char *path, sa35_program *p, sa35_err *err)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    if (read_all(path, &buf, &len, err))
        return -1;
    int rc;
    if (len >= 4 && memcmp(buf, SA35_PROG_MAGIC, 4) == 0) {
        rc = sa35_program_decode(buf, len, p, err);
    } else { /* the text form */
        char *text = realloc(buf, len + 1);
        if (!text) {
            free(buf);
            return sa35_err_set(err, "%s: out of memory for its text "
                                     "(%zu bytes)",
                                path, len + 1);
        }
        buf = (uint8_t *)text;
        text[len] = '\0';
        rc = sa35_program_parse(text, p, err);
    }
    free(buf);
    return rc ? sa35_err_prefix(err, path) : 0;
}
