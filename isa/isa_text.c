/* isa_text.c: the text form of programs (`sa35 asm` / `sa35 disasm`).
 *   mm.first.swap sram=0x0 stride=64 m=5 acc=0   # comment
 * One instruction a line: the mnemonic with its flags joined by '.', then
 * every field of that opcode as key=value (decimal or 0x hex), in any
 * order, each exactly once. The formatter writes the canonical order. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sa35_isa.h"

typedef struct field {
    const char *key;
    size_t off;  /* offsetof in sa35_instr */
    int is64;    /* the dram address */
} field;

#define F32(k) {#k, offsetof(sa35_instr, k), 0}
static const field dma_fields[] = {{"dram", offsetof(sa35_instr, dram), 1},
                                   F32(sram), F32(bytes), {NULL, 0, 0}};
static const field ldw_fields[] = {F32(sram), F32(rows), F32(cols),
                                   {NULL, 0, 0}};
static const field mm_fields[] = {F32(sram), F32(stride), F32(m), F32(acc),
                                  {NULL, 0, 0}};
static const field out_fields[] = {F32(sram), F32(stride), F32(rows),
                                   F32(cols), F32(acc), {NULL, 0, 0}};
static const field scl_fields[] = {F32(sa), F32(s), F32(z), {NULL, 0, 0}};
static const field no_fields[] = {{NULL, 0, 0}};

static const field *fields_of(int op)
{
    switch (op) {
    case SA35_OP_DMA_LD:
    case SA35_OP_DMA_ST: return dma_fields;
    case SA35_OP_LDW: return ldw_fields;
    case SA35_OP_MM: return mm_fields;
    case SA35_OP_OUT: return out_fields;
    case SA35_OP_SCL: return scl_fields;
    default: return no_fields;
    }
}

typedef struct flagname {
    int op;
    uint8_t bit;
    const char *name;
} flagname;
static const flagname flag_names[] = {
    {SA35_OP_MM, SA35_MM_FIRST, "first"},
    {SA35_OP_MM, SA35_MM_LAST, "last"},
    {SA35_OP_MM, SA35_MM_SWAP, "swap"},
    {SA35_OP_OUT, SA35_OUT_SCALE, "scale"},
};
#define NFLAGS (sizeof flag_names / sizeof flag_names[0])

int sa35_instr_format(const sa35_instr *in, char *buf, size_t size)
{
    const char *name = sa35_opcode_name(in->op);
    char tmp[256];
    int n = snprintf(tmp, sizeof tmp, "%s", name ? name : "?");
    for (size_t i = 0; i < NFLAGS; i++)
        if (flag_names[i].op == in->op && (in->flags & flag_names[i].bit))
            n += snprintf(tmp + n, sizeof tmp - (size_t)n, ".%s",
                          flag_names[i].name);
    for (const field *f = fields_of(in->op); f->key; f++) {
        const char *p = (const char *)in + f->off;
        unsigned long long v;
        if (f->is64) {
            uint64_t x;
            memcpy(&x, p, sizeof x);
            v = x;
        } else {
            uint32_t x;
            memcpy(&x, p, sizeof x);
            v = x;
        }
        /* addresses in hex, counts in decimal: easier to read by eye */
        int hex = strcmp(f->key, "dram") == 0 || strcmp(f->key, "sram") == 0 ||
                  strcmp(f->key, "sa") == 0 || strcmp(f->key, "s") == 0 ||
                  strcmp(f->key, "z") == 0;
        n += snprintf(tmp + n, sizeof tmp - (size_t)n,
                      hex ? " %s=0x%llx" : " %s=%llu", f->key, v);
    }
    return snprintf(buf, size, "%s", tmp);
}

char *sa35_program_format(const sa35_program *p)
{
    size_t cap = 128 * (p->count + 1), n = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < p->count; i++) {
        n += (size_t)sa35_instr_format(&p->ins[i], s + n, cap - n - 1);
        s[n++] = '\n';
        s[n] = '\0';
    }
    return s;
}

/* Parse the mnemonic token: opcode, then '.'-separated flags. */
static int parse_mnemonic(const char *tok, sa35_instr *in, sa35_err *err)
{
    static const int ops[] = {SA35_OP_DMA_LD, SA35_OP_DMA_ST, SA35_OP_LDW,
                              SA35_OP_MM,     SA35_OP_OUT,    SA35_OP_SCL,
                              SA35_OP_SYNC};
    const char *rest = NULL;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        const char *name = sa35_opcode_name(ops[i]);
        size_t len = strlen(name);
        if (strncmp(tok, name, len) == 0 && (tok[len] == '\0' ||
                                             tok[len] == '.')) {
            in->op = (uint8_t)ops[i];
            rest = tok + len;
        }
    }
    if (!rest)
        return sa35_err_set(err, "unknown instruction '%s'", tok);
    while (*rest == '.') {
        rest++;
        size_t len = strcspn(rest, ".");
        size_t i = 0;
        for (; i < NFLAGS; i++)
            if (flag_names[i].op == in->op &&
                strlen(flag_names[i].name) == len &&
                strncmp(rest, flag_names[i].name, len) == 0)
                break;
        if (i == NFLAGS)
            return sa35_err_set(err, "'%s': unknown flag '%.*s'", tok,
                                (int)len, rest);
        in->flags |= flag_names[i].bit;
        rest += len;
    }
    return 0;
}

static int parse_field(const char *tok, sa35_instr *in, unsigned *seen,
                       sa35_err *err)
{
    const char *eq = strchr(tok, '=');
    const field *fs = fields_of(in->op);
    int idx = -1;
    for (int i = 0; eq && fs[i].key; i++)
        if (strlen(fs[i].key) == (size_t)(eq - tok) &&
            strncmp(tok, fs[i].key, (size_t)(eq - tok)) == 0)
            idx = i;
    if (idx < 0)
        return sa35_err_set(err, "%s has no field '%s'",
                            sa35_opcode_name(in->op), tok);
    if (*seen & (1u << idx))
        return sa35_err_set(err, "field '%s' given twice", fs[idx].key);
    *seen |= 1u << idx;
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)eq[1]))
        return sa35_err_set(err, "'%s': not a number", tok);
    unsigned long long v = strtoull(eq + 1, &end, 0);
    unsigned long long max = fs[idx].is64 ? 0xFFFFFFFFFFFFull : 0xFFFFFFFFull;
    if (*end || errno || v > max)
        return sa35_err_set(err, "'%s': not a number up to 0x%llx", tok, max);
    char *p = (char *)in + fs[idx].off;
    if (fs[idx].is64) {
        uint64_t x = v;
        memcpy(p, &x, sizeof x);
    } else {
        uint32_t x = (uint32_t)v;
        memcpy(p, &x, sizeof x);
    }
    return 0;
}

static int parse_line(char *line, sa35_instr *in, int *empty, sa35_err *err)
{
    memset(in, 0, sizeof *in);
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *save = NULL, *tok = strtok_r(line, " \t\r", &save);
    *empty = tok == NULL;
    if (!tok)
        return 0;
    if (parse_mnemonic(tok, in, err))
        return -1;
    unsigned seen = 0;
    while ((tok = strtok_r(NULL, " \t\r", &save)))
        if (parse_field(tok, in, &seen, err))
            return -1;
    const field *fs = fields_of(in->op);
    for (int i = 0; fs[i].key; i++)
        if (!(seen & (1u << i)))
            return sa35_err_set(err, "%s: missing field '%s'",
                                sa35_opcode_name(in->op), fs[i].key);
    uint8_t b[SA35_INSTR_BYTES]; /* the binary form's width limits */
    return sa35_instr_encode(in, b, err);
}

int sa35_program_parse(const char *text, sa35_program *p, sa35_err *err)
{
    memset(p, 0, sizeof *p);
    char *copy = strdup(text);
    if (!copy)
        return sa35_err_set(err, "out of memory");
    int lineno = 0, rc = 0;
    /* strtok_r on "\n" would skip empty lines and so miscount them */
    for (char *line = copy, *next; line && !rc; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        sa35_instr in;
        int empty;
        if (parse_line(line, &in, &empty, err)) {
            char ctx[48];
            snprintf(ctx, sizeof ctx, "line %d", lineno);
            rc = sa35_err_prefix(err, ctx);
        } else if (!empty) {
            rc = sa35_program_push(p, &in, err);
        }
    }
    free(copy);
    if (rc)
        sa35_program_free(p);
    return rc;
}
