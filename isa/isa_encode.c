/* isa_encode.c: the binary form of instructions and programs
 * (docs/isa.md). Every instruction is 16 little-endian bytes:
 *   byte 0 opcode, byte 1 flags, bytes 2-3 H (u16),
 *   bytes 4-7 W1, 8-11 W2, 12-15 W3 (u32 each).
 * A field an opcode does not use must be zero, so that later versions can
 * give it a meaning without old programs changing theirs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sa35_isa.h"

static void put16(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get16(const uint8_t *b) { return b[0] | (uint32_t)b[1] << 8; }
static uint32_t get32(const uint8_t *b)
{
    return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
           (uint32_t)b[3] << 24;
}

/* The flags each opcode accepts. */
static uint8_t allowed_flags(int op)
{
    if (op == SA35_OP_MM)
        return SA35_MM_FIRST | SA35_MM_LAST | SA35_MM_SWAP;
    if (op == SA35_OP_OUT)
        return SA35_OUT_SCALE;
    return 0;
}

/* The fields an opcode does not have must be zero in the struct too: a
 * nonzero one is a caller's mistake, caught here rather than dropped. */
static int unused_fields_zero(const sa35_instr *in)
{
    sa35_instr z;
    memset(&z, 0, sizeof z);
    z.op = in->op;
    z.flags = in->flags;
    switch (in->op) {
    case SA35_OP_DMA_LD:
    case SA35_OP_DMA_ST:
        z.dram = in->dram, z.sram = in->sram, z.bytes = in->bytes;
        break;
    case SA35_OP_LDW:
        z.sram = in->sram, z.rows = in->rows, z.cols = in->cols;
        break;
    case SA35_OP_MM:
        z.sram = in->sram, z.stride = in->stride, z.m = in->m;
        z.acc = in->acc;
        break;
    case SA35_OP_OUT:
        z.sram = in->sram, z.stride = in->stride, z.rows = in->rows;
        z.cols = in->cols, z.acc = in->acc;
        break;
    case SA35_OP_SCL:
        z.sa = in->sa, z.s = in->s, z.z = in->z;
        break;
    default:
        break;
    }
    return memcmp(&z, in, sizeof z) == 0;
}

int sa35_instr_encode(const sa35_instr *in, uint8_t b[SA35_INSTR_BYTES],
                      sa35_err *err)
{
    const char *name = sa35_opcode_name(in->op);
    memset(b, 0, SA35_INSTR_BYTES);
    if (!name)
        return sa35_err_set(err, "unknown opcode 0x%02x", in->op);
    if (in->flags & ~allowed_flags(in->op))
        return sa35_err_set(err, "%s: flags 0x%02x not allowed", name,
                            in->flags);
    if (!unused_fields_zero(in))
        return sa35_err_set(err, "%s: a field this opcode does not have is "
                                 "set",
                            name);
    b[0] = in->op;
    b[1] = in->flags;
    switch (in->op) {
    case SA35_OP_DMA_LD:
    case SA35_OP_DMA_ST:
        if (in->dram >> 48)
            return sa35_err_set(err, "%s: dram address 0x%llx exceeds 48 "
                                     "bits",
                                name, (unsigned long long)in->dram);
        put16(b + 2, (uint32_t)(in->dram >> 32));
        put32(b + 4, (uint32_t)in->dram);
        put32(b + 8, in->sram);
        put32(b + 12, in->bytes);
        break;
    case SA35_OP_LDW:
        if (in->rows > 0xFFFF)
            return sa35_err_set(err, "ldw: rows %u exceeds 16 bits",
                                in->rows);
        put16(b + 2, in->rows);
        put32(b + 4, in->sram);
        put32(b + 8, in->cols);
        break;
    case SA35_OP_MM:
        if (in->m > 0xFFFF || in->acc > 0xFFFF)
            return sa35_err_set(err, "mm: m %u or acc %u exceeds 16 bits",
                                in->m, in->acc);
        put32(b + 4, in->sram);
        put32(b + 8, in->stride);
        put32(b + 12, in->m | in->acc << 16);
        break;
    case SA35_OP_OUT:
        if (in->cols > 0xFFFF || in->rows > 0xFFFF || in->acc > 0xFFFF)
            return sa35_err_set(err, "out: cols, rows or acc exceeds 16 "
                                     "bits");
        put16(b + 2, in->cols);
        put32(b + 4, in->sram);
        put32(b + 8, in->stride);
        put32(b + 12, in->rows | in->acc << 16);
        break;
    case SA35_OP_SCL:
        put32(b + 4, in->sa);
        put32(b + 8, in->s);
        put32(b + 12, in->z);
        break;
    default: /* sync: no fields */
        break;
    }
    return 0;
}

int sa35_instr_decode(const uint8_t b[SA35_INSTR_BYTES], sa35_instr *in,
                      sa35_err *err)
{
    memset(in, 0, sizeof *in);
    in->op = b[0];
    in->flags = b[1];
    const char *name = sa35_opcode_name(b[0]);
    if (!name)
        return sa35_err_set(err, "unknown opcode 0x%02x", b[0]);
    if (in->flags & ~allowed_flags(in->op))
        return sa35_err_set(err, "%s: flags 0x%02x not allowed", name,
                            in->flags);
    uint32_t h = get16(b + 2), w1 = get32(b + 4), w2 = get32(b + 8),
             w3 = get32(b + 12);
    int reserved_set = 0;
    switch (in->op) {
    case SA35_OP_DMA_LD:
    case SA35_OP_DMA_ST:
        in->dram = (uint64_t)h << 32 | w1;
        in->sram = w2;
        in->bytes = w3;
        break;
    case SA35_OP_LDW:
        in->rows = h, in->sram = w1, in->cols = w2;
        reserved_set = w3 != 0;
        break;
    case SA35_OP_MM:
        in->sram = w1, in->stride = w2;
        in->m = w3 & 0xFFFF, in->acc = w3 >> 16;
        reserved_set = h != 0;
        break;
    case SA35_OP_OUT:
        in->cols = h, in->sram = w1, in->stride = w2;
        in->rows = w3 & 0xFFFF, in->acc = w3 >> 16;
        break;
    case SA35_OP_SCL:
        in->sa = w1, in->s = w2, in->z = w3;
        reserved_set = h != 0;
        break;
    default:
        reserved_set = (h | w1 | w2 | w3) != 0;
        break;
    }
    if (reserved_set)
        return sa35_err_set(err, "%s: reserved bits are set", name);
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
        return sa35_err_set(err, "out of memory");
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

int sa35_program_write(const char *path, const sa35_program *p,
                       sa35_err *err)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    if (sa35_program_encode(p, &buf, &len, err))
        return -1;
    FILE *f = fopen(path, "wb");
    int rc = 0;
    if (!f || fwrite(buf, 1, len, f) != len)
        rc = sa35_err_set(err, "%s: cannot write", path);
    if (f && fclose(f) && !rc)
        rc = sa35_err_set(err, "%s: cannot write", path);
    free(buf);
    return rc;
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
            return sa35_err_set(err, "%s: out of memory", path);
        }
        buf = (uint8_t *)text;
        text[len] = '\0';
        rc = sa35_program_parse(text, p, err);
    }
    free(buf);
    return rc ? sa35_err_prefix(err, path) : 0;
}
