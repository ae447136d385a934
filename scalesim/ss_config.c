/* ss_config.c: SCALE-Sim's .cfg, read the way Python's configparser reads
 * it (SCALE-Sim's own reader): [sections], "key: value" or "key = value",
 * keys case-insensitive, values stripped, '#' and ';' comment lines. Keys
 * sa35 does not use (sparsity, layouts, ...) are ignored. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ss_internal.h"
#include "sa35_io.h"

typedef struct kv {
    char sec[64], key[64], val[256];
    int line;
} kv;

char *ss_strip(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static const kv *find(const kv *t, int n, const char *sec, const char *key)
{
    for (int i = n - 1; i >= 0; i--) /* configparser: the last one wins */
        if (strcasecmp(t[i].sec, sec) == 0 && strcasecmp(t[i].key, key) == 0)
            return &t[i];
    return NULL;
}

static int need(const kv *t, int n, const char *path, const char *sec,
                const char *key, const kv **out, sa35_err *err)
{
    *out = find(t, n, sec, key);
    if (!*out)
        return sa35_err_set(err, "%s: [%s] %s: missing", path, sec, key);
    return 0;
}

static int int_of(const kv *v, const char *path, int64_t lo, int64_t *out,
                  sa35_err *err)
{
    char *end;
    long long x = strtoll(v->val, &end, 10);
    if (end == v->val || *end || x < lo || x > (1LL << 40))
        return sa35_err_set(err, "%s:%d: %s: expected an integer >= %lld, "
                                 "got '%s'",
                            path, v->line, v->key, (long long)lo, v->val);
    *out = x;
    return 0;
}

static int tokenize(char *text, const char *path, kv **out, int *count,
                    sa35_err *err)
{
    char sec[64] = "";
    int n = 0, cap = 0, line = 0;
    kv *t = NULL;
    for (char *p = text, *nl; p && *p; p = nl) {
        nl = strchr(p, '\n');
        if (nl)
            *nl++ = '\0';
        line++;
        char *s = ss_strip(p);
        if (!*s || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            char *e = strchr(s, ']');
            if (!e || e[1] || e - s - 1 >= (long)sizeof sec) {
                free(t);
                return sa35_err_set(err, "%s:%d: bad section header '%s'",
                                    path, line, s);
            }
            *e = '\0';
            snprintf(sec, sizeof sec, "%s", ss_strip(s + 1));
            continue;
        }
        char *sep = strpbrk(s, ":=");
        if (!sep || sep == s || !sec[0]) {
            free(t);
            return sa35_err_set(err, "%s:%d: expected 'key: value' inside a "
                                     "[section], got '%s'",
                                path, line, s);
        }
        *sep = '\0';
        char *k = ss_strip(s), *v = ss_strip(sep + 1);
        if (strlen(k) >= sizeof t->key || strlen(v) >= sizeof t->val) {
            free(t);
            return sa35_err_set(err, "%s:%d: key or value too long", path,
                                line);
        }
        if (n == cap) {
            kv *q = realloc(t, (size_t)(cap = cap ? 2 * cap : 32) * sizeof *t);
            if (!q) {
                free(t);
                return sa35_err_set(err, "%s: out of memory for %d keys",
                                    path, cap);
            }
            t = q;
        }
        strcpy(t[n].sec, sec), strcpy(t[n].key, k), strcpy(t[n].val, v);
        t[n++].line = line;
    }
    *out = t;
    *count = n;
    return 0;
}

int sa35_ss_config_parse(const char *text, const char *path,
                         sa35_ss_config *c, sa35_err *err)
{
    memset(c, 0, sizeof *c);
    char *copy = strdup(text);
    kv *t = NULL;
    int n = 0, rc = -1;
    if (!copy)
        return sa35_err_set(err, "%s: out of memory for a copy of its text "
                                 "(%zu bytes)",
                            path, strlen(text) + 1);
    if (tokenize(copy, path, &t, &n, err))
        goto out;
    const kv *v;
    const char *ap = "architecture_presets";
    if (need(t, n, path, "general", "run_name", &v, err))
        goto out;
    /* the reports go to OUTDIR/run_name: one directory name, never a way
     * out of OUTDIR */
    if (strchr(v->val, '/') || !strcmp(v->val, ".") ||
        !strcmp(v->val, "..")) {
        sa35_err_set(err, "%s:%d: [general] run_name: must be one directory "
                          "name (no '/', not '.' or '..'), got '%s'",
                     path, v->line, v->val);
        goto out;
    }
    snprintf(c->run_name, sizeof c->run_name, "%s", v->val);
    struct {
        const char *key;
        int64_t lo, *out;
    } ints[] = {
        {"ArrayHeight", 1, &c->rows},         {"ArrayWidth", 1, &c->cols},
        {"IfmapSramSzkB", 1, &c->ifmap_kb},   {"FilterSramSzkB", 1, &c->filter_kb},
        {"OfmapSramSzkB", 1, &c->ofmap_kb},   {"IfmapOffset", 0, &c->ifmap_offset},
        {"FilterOffset", 0, &c->filter_offset}, {"OfmapOffset", 0, &c->ofmap_offset},
    };
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        if (need(t, n, path, ap, ints[i].key, &v, err) ||
            int_of(v, path, ints[i].lo, ints[i].out, err))
            goto out;
    if (c->rows > 65535 || c->cols > 65535) {
        sa35_err_set(err, "%s: ArrayHeight and ArrayWidth must be <= 65535",
                     path);
        goto out;
    }
    if (need(t, n, path, ap, "Dataflow", &v, err))
        goto out;
    const char *df = v ? v->val : ""; /* (need() set v; gcc cannot tell) */
    if (strcmp(df, "os") == 0)
        c->dataflow = SA35_SS_OS;
    else if (strcmp(df, "ws") == 0)
        c->dataflow = SA35_SS_WS;
    else if (strcmp(df, "is") == 0)
        c->dataflow = SA35_SS_IS;
    else {
        sa35_err_set(err, "%s:%d: Dataflow: expected os, ws or is, got '%s'",
                     path, v->line, v->val);
        goto out;
    }
    if (need(t, n, path, "run_presets", "InterfaceBandwidth", &v, err))
        goto out;
    if (strcmp(v->val, "USER") == 0)
        c->user_bandwidth = 1;
    else if (strcmp(v->val, "CALC") != 0) {
        sa35_err_set(err, "%s:%d: InterfaceBandwidth: expected USER or CALC, "
                          "got '%s'",
                     path, v->line, v->val);
        goto out;
    }
    if (c->user_bandwidth) {
        /* one value per memory bank; SCALE-Sim uses the first */
        if (need(t, n, path, ap, "Bandwidth", &v, err))
            goto out;
        kv first = *v;
        char *comma = strchr(first.val, ',');
        if (comma)
            *comma = '\0';
        char *b = ss_strip(first.val);
        memmove(first.val, b, strlen(b) + 1);
        if (int_of(&first, path, 1, &c->bandwidth, err))
            goto out;
    }
    rc = 0;
out:
    free(t);
    free(copy);
    return rc;
}

int sa35_ss_config_read(const char *path, sa35_ss_config *c, sa35_err *err)
{
    char *text = sa35_read_text(path, err);
    if (!text)
        return -1;
    int rc = sa35_ss_config_parse(text, path, c, err);
    free(text);
    return rc;
}
