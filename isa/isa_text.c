/* isa_text.c: the text form of programs (`sa35 asm` / `sa35 disasm`).
 *   mm.first.swap sram=0x0 stride=64 m=5 acc=0   # comment
 * One instruction a line: the mnemonic with its flags joined by '.', then
 * every field of that opcode as key=value (decimal or 0x hex), in any
 * order, each exactly once. The formatter writes the canonical order.
 * Mnemonics, flags, keys, their order and radix are sa35_isa.def's. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa_table.h"

/* The text fields of an opcode: the first table row of each key (a key
 * whose member spans several rows, dram, is one field), in table order. */
#define MAX_TEXT_FIELDS 32 /* the bits of parse_line's `seen` */
_Static_assert(SA35_FI_COUNT <= MAX_TEXT_FIELDS, "an opcode's keys fit `seen`");
static size_t text_fields(int op, const sa35_isa_field **out)
{
    size_t n = 0;
    for (size_t i = 0; i < sa35_isa_nfields; i++) {
        const sa35_isa_field *f = &sa35_isa_fields[i];
        if (sa35_isa_field_in(f, op) && sa35_isa_key_head(f, op) == f)
            out[n++] = f;
    }
    return n;
}

int sa35_instr_format(const sa35_instr *in, char *buf, size_t size)
{
    const char *name = sa35_opcode_name(in->op);
    char tmp[256];
    int n = snprintf(tmp, sizeof tmp, "%s", name ? name : "?");
    for (size_t i = 0; i < sa35_isa_nflags; i++)
        if (sa35_isa_flags[i].op == in->op &&
            (in->flags & sa35_isa_flags[i].mask))
            n += snprintf(tmp + n, sizeof tmp - (size_t)n, ".%s",
                          sa35_isa_flags[i].text);
    const sa35_isa_field *fs[MAX_TEXT_FIELDS];
    size_t nf = text_fields(in->op, fs);
    for (size_t i = 0; i < nf; i++)
        /* addresses in hex, counts in decimal (the table's radix) */
        n += snprintf(tmp + n, sizeof tmp - (size_t)n,
                      fs[i]->hex ? " %s=0x%llx" : " %s=%llu", fs[i]->key,
                      (unsigned long long)sa35_isa_member_get(in, fs[i]));
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
    const char *rest = NULL;
    for (size_t i = 0; i < SA35_OPI_COUNT; i++) {
        const char *name = sa35_isa_ops[i].mnemonic;
        size_t len = strlen(name);
        if (strncmp(tok, name, len) == 0 && (tok[len] == '\0' ||
                                             tok[len] == '.')) {
            in->op = sa35_isa_ops[i].code;
            rest = tok + len;
        }
    }
    if (!rest)
        return sa35_err_set(err, "unknown instruction '%s'", tok);
    while (*rest == '.') {
        rest++;
        size_t len = strcspn(rest, ".");
        size_t i = 0;
        for (; i < sa35_isa_nflags; i++)
            if (sa35_isa_flags[i].op == in->op &&
                strlen(sa35_isa_flags[i].text) == len &&
                strncmp(rest, sa35_isa_flags[i].text, len) == 0)
                break;
        if (i == sa35_isa_nflags)
            return sa35_err_set(err, "'%s': unknown flag '%.*s'", tok,
                                (int)len, rest);
        in->flags |= sa35_isa_flags[i].mask;
        rest += len;
    }
    return 0;
}

/* One key=value: any value its member holds is read here; the table's
 * width check (sa35_instr_check) then says if the field is narrower. */
static int parse_field(const char *tok, sa35_instr *in,
                       const sa35_isa_field *const *fs, size_t nf,
                       unsigned *seen, sa35_err *err)
{
    const char *eq = strchr(tok, '=');
    size_t idx = nf;
    for (size_t i = 0; eq && i < nf; i++)
        if (strlen(fs[i]->key) == (size_t)(eq - tok) &&
            strncmp(tok, fs[i]->key, (size_t)(eq - tok)) == 0)
            idx = i;
    if (idx == nf)
        return sa35_err_set(err, "%s has no field '%s'",
                            sa35_opcode_name(in->op), tok);
    if (*seen & (1u << idx))
        return sa35_err_set(err, "field '%s' given twice", fs[idx]->key);
    *seen |= 1u << idx;
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)eq[1]))
        return sa35_err_set(err, "'%s': not a number", tok);
    unsigned long long v = strtoull(eq + 1, &end, 0);
    unsigned bits = fs[idx]->member_bits;
    unsigned long long max = bits >= 64 ? ~0ull : (1ull << bits) - 1;
    if (*end || errno || v > max)
        return sa35_err_set(err, "'%s': not a number up to 0x%llx", tok, max);
    sa35_isa_member_set(in, fs[idx], v);
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
    const sa35_isa_field *fs[MAX_TEXT_FIELDS];
    size_t nf = text_fields(in->op, fs);
    unsigned seen = 0;
    while ((tok = strtok_r(NULL, " \t\r", &save)))
        if (parse_field(tok, in, fs, nf, &seen, err))
            return -1;
    for (size_t i = 0; i < nf; i++)
        if (!(seen & (1u << i)))
            return sa35_err_set(err, "%s: missing field '%s'",
                                sa35_opcode_name(in->op), fs[i]->key);
    return sa35_instr_check(in, err); /* the binary form's width limits */
}

int sa35_program_parse(const char *text, sa35_program *p, sa35_err *err)
{
    memset(p, 0, sizeof *p);
    char *copy = strdup(text);
    if (!copy)
        return sa35_err_set(err, "out of memory for a copy of the program "
                                 "text (%zu bytes)",
                            strlen(text) + 1);
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
