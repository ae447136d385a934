/* gguf_meta.c: GGUF's typed values (the metadata pairs and their arrays)
 * and the bounded reads every part of the GGUF reader goes through. Values
 * are checked where they lie and not copied: an array of a billion
 * elements is refused from its count before anything is walked or
 * allocated, since even its smallest elements could not fit in the bytes
 * left. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io_internal.h"

static const struct {
    const char *name;
    size_t size; /* fixed size; for STRING and ARRAY the least they take */
} vtypes[SA35_GGUF_TYPE_COUNT] = {
    [SA35_GGUF_UINT8] = {"uint8", 1},     [SA35_GGUF_INT8] = {"int8", 1},
    [SA35_GGUF_UINT16] = {"uint16", 2},   [SA35_GGUF_INT16] = {"int16", 2},
    [SA35_GGUF_UINT32] = {"uint32", 4},   [SA35_GGUF_INT32] = {"int32", 4},
    [SA35_GGUF_FLOAT32] = {"float32", 4}, [SA35_GGUF_BOOL] = {"bool", 1},
    [SA35_GGUF_STRING] = {"string", 8},   [SA35_GGUF_ARRAY] = {"array", 12},
    [SA35_GGUF_UINT64] = {"uint64", 8},   [SA35_GGUF_INT64] = {"int64", 8},
    [SA35_GGUF_FLOAT64] = {"float64", 8},
};

const char *sa35_gguf_type_name(sa35_gguf_type t)
{
    return (unsigned)t < SA35_GGUF_TYPE_COUNT ? vtypes[t].name : "?";
}

static int fixed_size(uint32_t t)
{
    return t < SA35_GGUF_TYPE_COUNT && t != SA35_GGUF_STRING &&
           t != SA35_GGUF_ARRAY;
}

int sa35_gguf_take(sa35_gguf_cur *c, size_t n, const char *what,
                   const uint8_t **at, sa35_err *err)
{
    size_t left = (size_t)(c->end - c->p);
    if (n > left)
        return sa35_err_set(err, "%s: %s runs past the end of the file "
                            "(%zu bytes needed at byte %zu, %zu left)",
                            c->path, what, n, (size_t)(c->p - c->base), left);
    *at = c->p;
    c->p += n;
    return 0;
}

/* Little-endian, n bytes (the file's byte order whatever the host's). */
static uint64_t le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    while (n-- > 0)
        v = v << 8 | p[n];
    return v;
}

/* An n-byte unsigned integer at the cursor. */
static int read_uint(sa35_gguf_cur *c, size_t n, const char *what,
                     uint64_t *v, sa35_err *err)
{
    const uint8_t *p = NULL; /* gcc -O2 cannot see take sets it */
    if (sa35_gguf_take(c, n, what, &p, err))
        return -1;
    *v = le(p, n);
    return 0;
}

int sa35_gguf_u32(sa35_gguf_cur *c, const char *what, uint32_t *v,
                  sa35_err *err)
{
    uint64_t u = 0;
    int rc = read_uint(c, 4, what, &u, err);
    *v = (uint32_t)u;
    return rc;
}

int sa35_gguf_u64(sa35_gguf_cur *c, const char *what, uint64_t *v,
                  sa35_err *err)
{
    return read_uint(c, 8, what, v, err);
}

int sa35_gguf_string(sa35_gguf_cur *c, const char *what, const char **s,
                     uint64_t *len, sa35_err *err)
{
    const uint8_t *p = NULL; /* gcc -O2 cannot see take sets it */
    if (sa35_gguf_u64(c, what, len, err))
        return -1;
    if (*len > (uint64_t)(c->end - c->p))
        return sa35_err_set(err, "%s: %s: a string of %llu bytes runs past "
                            "the end of the file (%zu bytes left)",
                            c->path, what, (unsigned long long)*len,
                            (size_t)(c->end - c->p));
    sa35_gguf_take(c, (size_t)*len, what, &p, err); /* fits: checked */
    *s = (const char *)p;
    return 0;
}

/* A fixed-size scalar at p, decoded into every field that applies. */
static int decode_scalar(uint32_t t, const uint8_t *p, const char *path,
                         const char *what, sa35_gguf_value *v, sa35_err *err)
{
    size_t n = vtypes[t].size;
    uint64_t bits = le(p, n);
    int is_signed = t == SA35_GGUF_INT8 || t == SA35_GGUF_INT16 ||
                    t == SA35_GGUF_INT32 || t == SA35_GGUF_INT64;
    if (t == SA35_GGUF_FLOAT32) {
        uint32_t b = (uint32_t)bits;
        float f;
        memcpy(&f, &b, sizeof f);
        v->f = f;
        return 0;
    }
    if (t == SA35_GGUF_FLOAT64) {
        memcpy(&v->f, &bits, sizeof v->f);
        return 0;
    }
    if (t == SA35_GGUF_BOOL && bits > 1) /* the spec: the file is invalid */
        return sa35_err_set(err, "%s: %s: a bool of value %u (0 or 1)", path,
                            what, (unsigned)bits);
    v->is_int = t != SA35_GGUF_BOOL;
    if (is_signed && n < 8 && (bits >> (8 * n - 1)) & 1)
        bits |= ~0ull << (8 * n); /* sign-extend */
    if (is_signed) {
        memcpy(&v->i, &bits, sizeof v->i); /* two's complement, no UB */
        v->u = v->i >= 0 ? (uint64_t)v->i : 0;
        v->f = (double)v->i;
    } else {
        v->u = bits;
        v->i = bits <= INT64_MAX ? (int64_t)bits : INT64_MAX;
        v->f = (double)bits;
    }
    return 0;
}

static int read_array(sa35_gguf_cur *c, int depth, const char *what,
                      sa35_gguf_value *v, sa35_err *err)
{
    uint32_t et;
    if (sa35_gguf_u32(c, what, &et, err) || sa35_gguf_u64(c, what, &v->len,
                                                           err))
        return -1;
    if (et >= SA35_GGUF_TYPE_COUNT)
        return sa35_err_set(err, "%s: %s: an array of unknown value type %u",
                            c->path, what, (unsigned)et);
    if (depth >= SA35_GGUF_MAX_DEPTH)
        return sa35_err_set(err, "%s: %s: arrays nested more than %d deep",
                            c->path, what, SA35_GGUF_MAX_DEPTH);
    v->elem = (sa35_gguf_type)et;
    size_t left = (size_t)(c->end - c->p), least = vtypes[et].size;
    if (v->len > left / least)
        return sa35_err_set(err, "%s: %s: an array of %llu %s values cannot "
                            "fit in the %zu bytes left", c->path, what,
                            (unsigned long long)v->len, vtypes[et].name,
                            left);
    v->raw = c->p;
    for (uint64_t i = 0; i < v->len; i++) {
        sa35_gguf_value item;
        if (sa35_gguf_value_read(c, et, depth + 1, what, &item, err))
            return -1;
        if (fixed_size(et) && et != SA35_GGUF_BOOL) /* nothing to check */
            break;
    }
    if (fixed_size(et)) /* the loop stopped early: the rest are fixed */
        c->p = v->raw + v->len * least;
    v->raw_bytes = (size_t)(c->p - v->raw);
    return 0;
}

int sa35_gguf_value_read(sa35_gguf_cur *c, uint32_t t, int depth,
                         const char *what, sa35_gguf_value *v, sa35_err *err)
{
    memset(v, 0, sizeof *v);
    if (t >= SA35_GGUF_TYPE_COUNT)
        return sa35_err_set(err, "%s: %s: unknown value type %u", c->path,
                            what, (unsigned)t);
    v->type = (sa35_gguf_type)t;
    if (t == SA35_GGUF_STRING)
        return sa35_gguf_string(c, what, &v->str, &v->len, err);
    if (t == SA35_GGUF_ARRAY)
        return read_array(c, depth, what, v, err);
    const uint8_t *p = NULL; /* gcc -O2 cannot see take sets it */
    if (sa35_gguf_take(c, vtypes[t].size, what, &p, err))
        return -1;
    return decode_scalar(t, p, c->path, what, v, err);
}

int sa35_gguf_array_item(const sa35_gguf_value *arr, uint64_t i,
                         sa35_gguf_value *item)
{
    if (arr->type != SA35_GGUF_ARRAY || i >= arr->len)
        return -1;
    size_t least = vtypes[arr->elem].size;
    /* Checked at open, so no read below can fail: the cursor spans only
     * the array's own bytes all the same. */
    sa35_gguf_cur c = {arr->raw, arr->raw, arr->raw + arr->raw_bytes, ""};
    if (fixed_size(arr->elem))
        c.p += i * least;
    else
        for (uint64_t j = 0; j < i; j++)
            if (sa35_gguf_value_read(&c, arr->elem, 1, "", item, NULL))
                return -1;
    return sa35_gguf_value_read(&c, arr->elem, 1, "", item, NULL);
}

/* The key of pair i: not empty, no NUL (it becomes a C string), at most
 * 65535 bytes (the spec's bound). */
static int read_key(sa35_gguf_cur *c, uint64_t i, sa35_gguf_kv *kv,
                    sa35_err *err)
{
    char what[64];
    snprintf(what, sizeof what, "metadata pair %llu's key",
             (unsigned long long)i);
    const char *s;
    uint64_t len;
    if (sa35_gguf_string(c, what, &s, &len, err))
        return -1;
    if (len == 0 || len > 65535 || memchr(s, '\0', (size_t)len))
        return sa35_err_set(err, "%s: %s is %s", c->path, what,
                            len == 0      ? "empty"
                            : len > 65535 ? "longer than 65535 bytes"
                                          : "holds a NUL byte");
    kv->key = malloc((size_t)len + 1);
    if (!kv->key)
        return sa35_err_set(err, "%s: out of memory", c->path);
    memcpy(kv->key, s, (size_t)len);
    kv->key[len] = '\0';
    return 0;
}

void *sa35_gguf_alloc(sa35_gguf_cur *c, uint64_t count, size_t least,
                      size_t size, const char *what, sa35_err *err)
{
    size_t left = (size_t)(c->end - c->p);
    if (count > left / least || count > (uint64_t)INT32_MAX) {
        sa35_err_set(err, "%s: %llu %s cannot fit in the %zu bytes left",
                     c->path, (unsigned long long)count, what, left);
        return NULL;
    }
    void *p = calloc((size_t)count + 1, size);
    if (!p)
        sa35_err_set(err, "%s: out of memory", c->path);
    return p;
}

int sa35_gguf_read_meta(sa35_gguf_cur *c, uint64_t count, sa35_gguf *g,
                        sa35_err *err)
{
    /* a pair takes at least 13 bytes: key length, 1 key byte, type, 1 */
    if (!(g->kv = sa35_gguf_alloc(c, count, 13, sizeof *g->kv,
                                  "metadata pairs", err)))
        return -1;
    for (uint64_t i = 0; i < count; i++) {
        sa35_gguf_kv *kv = &g->kv[g->nkv];
        if (read_key(c, i, kv, err))
            return -1;
        g->nkv++; /* owned from here: close frees the key */
        char what[600];
        snprintf(what, sizeof what, "key '%.500s'", kv->key);
        uint32_t t;
        if (sa35_gguf_u32(c, what, &t, err) ||
            sa35_gguf_value_read(c, t, 0, what, &kv->v, err))
            return -1;
    }
    const char *dup;
    int rc = sa35_io_find_dup(g->kv, (size_t)g->nkv, sizeof *g->kv, &dup,
                              err);
    if (rc > 0)
        return sa35_err_set(err, "%s: key '%.400s' appears twice", c->path,
                            dup);
    return rc;
}

const sa35_gguf_value *sa35_gguf_get(const sa35_gguf *g, const char *key)
{
    for (int i = 0; i < g->nkv; i++)
        if (strcmp(g->kv[i].key, key) == 0)
            return &g->kv[i].v;
    return NULL;
}
