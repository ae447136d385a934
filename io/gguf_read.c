/* gguf_read.c: open a GGUF file: the header, the tensor infos and where
 * each tensor's bytes lie (the metadata values are gguf_meta.c's job).
 * Nothing the file says is trusted: counts are held against the bytes
 * left before anything is allocated, and every offset against the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io_internal.h"

int sa35_is_gguf(const char *path)
{
    return sa35_file_has_magic(path, "GGUF", 4);
}

static int check_version(const sa35_gguf *g, sa35_err *err)
{
    uint32_t v = g->version;
    if (v == 2 || v == 3) /* 3 only allows big-endian files: same layout */
        return 0;
    if (v == 0x02000000u || v == 0x03000000u)
        return sa35_err_set(err, "%s: a big-endian GGUF file (sa35 reads "
                            "little-endian ones)", g->path);
    if (v == 1)
        return sa35_err_set(err, "%s: GGUF version 1 (32-bit counts, long "
                            "superseded); sa35 reads versions 2 and 3",
                            g->path);
    return sa35_err_set(err, "%s: unknown GGUF version %u (sa35 reads 2 and "
                        "3)", g->path, (unsigned)v);
}

/* general.alignment: a uint32 power of two when present (the spec asks a
 * multiple of 8, llama.cpp a power of two: both hold for 8, 16, 32...). */
static int read_alignment(sa35_gguf *g, sa35_err *err)
{
    g->alignment = 32;
    const sa35_gguf_value *a = sa35_gguf_get(g, "general.alignment");
    if (!a)
        return 0;
    if (a->type != SA35_GGUF_UINT32)
        return sa35_err_set(err, "%s: general.alignment is %s, not uint32",
                            g->path, sa35_gguf_type_name(a->type));
    if (a->u == 0 || (a->u & (a->u - 1)) != 0)
        return sa35_err_set(err, "%s: general.alignment %llu is not a power "
                            "of two", g->path, (unsigned long long)a->u);
    g->alignment = (uint32_t)a->u;
    return 0;
}

/* Name, dimensions, type and offset of one tensor; its size from them. */
static int read_info(sa35_gguf_cur *c, uint64_t i, sa35_gguf_tensor *t,
                     sa35_err *err)
{
    char what[640];
    snprintf(what, sizeof what, "tensor %llu's name", (unsigned long long)i);
    const char *s;
    uint64_t len;
    if (sa35_gguf_string(c, what, &s, &len, err))
        return -1;
    if (memchr(s, '\0', (size_t)len))
        return sa35_err_set(err, "%s: %s holds a NUL byte", c->path, what);
    if (!(t->name = malloc((size_t)len + 1)))
        return sa35_err_set(err, "%s: out of memory", c->path);
    memcpy(t->name, s, (size_t)len);
    t->name[len] = '\0';
    t->path = c->path;
    snprintf(what, sizeof what, "tensor '%.500s'", t->name);
    uint32_t nd, type;
    if (sa35_gguf_u32(c, what, &nd, err))
        return -1;
    if (nd == 0 || nd > 4)
        return sa35_err_set(err, "%s: %s has %u dimensions (GGUF allows 1 "
                            "to 4)", c->path, what, (unsigned)nd);
    t->ndim = (int)nd;
    for (int d = 0; d < t->ndim; d++) {
        uint64_t ne;
        if (sa35_gguf_u64(c, what, &ne, err))
            return -1;
        if (ne == 0 || ne > (uint64_t)INT64_MAX)
            return sa35_err_set(err, "%s: %s has dimension %d of %llu (1 to "
                                "2^63 - 1)", c->path, what, d,
                                (unsigned long long)ne);
        t->ne[d] = (int64_t)ne;
        t->shape[t->ndim - 1 - d] = (int64_t)ne;
    }
    if (sa35_gguf_u32(c, what, &type, err) ||
        sa35_gguf_u64(c, what, &t->offset, err))
        return -1;
    const sa35_ggml_tinfo *ti = sa35_ggml_tinfo_of(type);
    if (!ti)
        return sa35_err_set(err, "%s: %s has unknown ggml type %u", c->path,
                            what, (unsigned)type);
    t->type = type;
    t->type_name = ti->name;
    if (t->ne[0] % ti->block)
        return sa35_err_set(err, "%s: %s is %s but its rows hold %lld "
                            "values, not a multiple of the block (%d)",
                            c->path, what, ti->name, (long long)t->ne[0],
                            (int)ti->block);
    size_t n = (size_t)ti->bytes;
    int over = (uint64_t)t->ne[0] > SIZE_MAX ||
               sa35_mul_size(n, (size_t)t->ne[0] / (size_t)ti->block, &n);
    for (int d = 1; d < t->ndim && !over; d++)
        over = (uint64_t)t->ne[d] > SIZE_MAX ||
               sa35_mul_size(n, (size_t)t->ne[d], &n);
    if (over)
        return sa35_err_set(err, "%s: %s: its size in bytes overflows",
                            c->path, what);
    t->nbytes = n;
    return 0;
}

static int by_offset(const void *a, const void *b)
{
    uint64_t x = (*(const sa35_gguf_tensor *const *)a)->offset,
             y = (*(const sa35_gguf_tensor *const *)b)->offset;
    return x < y ? -1 : x > y;
}

/* No two tensors share a byte (each would see the other's data). */
static int check_disjoint(const sa35_gguf *g, sa35_err *err)
{
    if (g->ntensors < 2)
        return 0;
    const sa35_gguf_tensor **v = malloc((size_t)g->ntensors * sizeof *v);
    if (!v)
        return sa35_err_set(err, "%s: out of memory", g->path);
    for (int i = 0; i < g->ntensors; i++)
        v[i] = &g->tensors[i];
    qsort(v, (size_t)g->ntensors, sizeof *v, by_offset);
    int rc = 0;
    const sa35_gguf_tensor *reach = v[0]; /* the one ending last so far */
    for (int i = 1; i < g->ntensors && !rc; i++) {
        if (v[i]->offset < reach->offset + reach->nbytes)
            rc = sa35_err_set(err, "%s: tensors '%.200s' and '%.200s' overlap "
                              "in the data section (offsets %llu and %llu)",
                              g->path, reach->name, v[i]->name,
                              (unsigned long long)reach->offset,
                              (unsigned long long)v[i]->offset);
        if (v[i]->offset + v[i]->nbytes > reach->offset + reach->nbytes)
            reach = v[i];
    }
    free(v);
    return rc;
}

/* The data section follows the infos at the next multiple of the
 * alignment; each tensor's offset in it is aligned and its bytes inside. */
static int place_tensors(sa35_gguf *g, size_t infos_end, sa35_err *err)
{
    size_t a = g->alignment, start = infos_end;
    if (g->ntensors == 0)
        return 0;
    if (sa35_add_size(infos_end, (a - infos_end % a) % a, &start) ||
        start > g->size)
        return sa35_err_set(err, "%s: the data section (from byte %zu, "
                            "aligned to %zu) starts past the end of the file "
                            "(%zu bytes)", g->path, infos_end, a, g->size);
    g->data_start = start;
    size_t dsize = g->size - start;
    for (int i = 0; i < g->ntensors; i++) {
        sa35_gguf_tensor *t = &g->tensors[i];
        if (t->offset % a)
            return sa35_err_set(err, "%s: tensor '%.400s' has offset %llu, "
                                "not a multiple of the alignment (%zu)",
                                g->path, t->name,
                                (unsigned long long)t->offset, a);
        if (t->offset > dsize || t->nbytes > dsize - t->offset)
            return sa35_err_set(err, "%s: tensor '%.400s' (%s, %zu bytes at "
                                "offset %llu) runs past the end of the data "
                                "section (%zu bytes)", g->path, t->name,
                                t->type_name, t->nbytes,
                                (unsigned long long)t->offset, dsize);
        t->data = g->bytes + start + t->offset;
    }
    return check_disjoint(g, err);
}

static int read_tensors(sa35_gguf_cur *c, uint64_t count, sa35_gguf *g,
                        sa35_err *err)
{
    /* an info takes at least 32 bytes: name length, n_dims, one
     * dimension, type, offset */
    if (!(g->tensors = sa35_gguf_alloc(c, count, 32, sizeof *g->tensors,
                                       "tensor infos", err)))
        return -1;
    for (uint64_t i = 0; i < count; i++) {
        int rc = read_info(c, i, &g->tensors[g->ntensors], err);
        if (g->tensors[g->ntensors].name)
            g->ntensors++; /* owned from here: close frees the name */
        if (rc)
            return -1;
    }
    const char *dup;
    int rc = sa35_io_find_dup(g->tensors, (size_t)g->ntensors,
                              sizeof *g->tensors, &dup, err);
    if (rc > 0)
        return sa35_err_set(err, "%s: tensor '%.400s' appears twice",
                            g->path, dup);
    return rc;
}

static int parse(sa35_gguf *g, sa35_err *err)
{
    sa35_gguf_cur c = {g->bytes, g->bytes, g->bytes + g->size, g->path};
    const uint8_t *magic = NULL;
    uint64_t ntensors, nkv;
    if (memcmp(g->bytes, "\x93NUMPY", 6) == 0) /* an easy mix-up */
        return sa35_err_set(err, "%s: is a .npy file, not GGUF", g->path);
    sa35_gguf_take(&c, 4, "the magic", &magic, err); /* size >= 24 */
    if (memcmp(magic, "GGUF", 4) != 0)
        return sa35_err_set(err, "%s: not a GGUF file (it does not start "
                            "with \"GGUF\")", g->path);
    if (sa35_gguf_u32(&c, "the version", &g->version, err) ||
        check_version(g, err) ||
        sa35_gguf_u64(&c, "the tensor count", &ntensors, err) ||
        sa35_gguf_u64(&c, "the metadata count", &nkv, err) ||
        sa35_gguf_read_meta(&c, nkv, g, err) || read_alignment(g, err) ||
        read_tensors(&c, ntensors, g, err))
        return -1;
    return place_tensors(g, (size_t)(c.p - g->bytes), err);
}

int sa35_gguf_open(const char *path, sa35_gguf *g, sa35_err *err)
{
    memset(g, 0, sizeof *g);
    g->path = strdup(path);
    if (!g->path)
        return sa35_err_set(err, "%s: out of memory", path);
    int rc = sa35_io_map(path, 24, "a GGUF file (24-byte header)", &g->bytes,
                         &g->size, err);
    if (!rc)
        rc = parse(g, err);
    if (rc)
        sa35_gguf_close(g);
    return rc;
}

void sa35_gguf_close(sa35_gguf *g)
{
    if (!g)
        return;
    sa35_io_unmap(g->bytes, g->size);
    for (int i = 0; i < g->nkv; i++)
        free(g->kv[i].key);
    for (int i = 0; i < g->ntensors; i++)
        free(g->tensors[i].name);
    free(g->kv);
    free(g->tensors);
    free(g->path);
    memset(g, 0, sizeof *g);
}

const sa35_gguf_tensor *sa35_gguf_find(const sa35_gguf *g, const char *name)
{
    for (int i = 0; i < g->ntensors; i++)
        if (strcmp(g->tensors[i].name, name) == 0)
            return &g->tensors[i];
    return NULL;
}
