/* safetensors_write.c: collect tensors and metadata, then write a
 * safetensors file atomically: 8-byte little-endian header length, the
 * JSON header (made by cJSON, padded with blanks to a multiple of 8 so the
 * data section is aligned), then the tensors' bytes in the order added. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "io_internal.h"

typedef struct entry {
    char *name;
    char dtype[16]; /* the safetensors spelling */
    int ndim;
    int64_t shape[SA35_MAX_DIMS];
    const void *data; /* borrowed */
    size_t nbytes;
} entry;

struct sa35_st_writer {
    entry *t;
    int nt, capt;
    sa35_st_meta *meta;
    int nmeta, capm;
    void **scratch; /* buffers the writer owns (sa35_st_writer_scratch) */
    int nscratch, caps;
};

/* Make room for one more element in a growing array. */
static int grow(void **items, int *cap, int n, size_t elem)
{
    if (n < *cap)
        return 0;
    int ncap = *cap ? *cap * 2 : 8;
    void *p = realloc(*items, (size_t)ncap * elem);
    if (!p)
        return -1;
    *items = p;
    *cap = ncap;
    return 0;
}

sa35_st_writer *sa35_st_writer_new(void)
{
    return calloc(1, sizeof(sa35_st_writer));
}

void sa35_st_writer_free(sa35_st_writer *w)
{
    if (!w)
        return;
    for (int i = 0; i < w->nt; i++)
        free(w->t[i].name);
    for (int i = 0; i < w->nmeta; i++) {
        free(w->meta[i].key);
        free(w->meta[i].value);
    }
    for (int i = 0; i < w->nscratch; i++)
        free(w->scratch[i]);
    free(w->scratch);
    free(w->t);
    free(w->meta);
    free(w);
}

void *sa35_st_writer_scratch(sa35_st_writer *w, size_t bytes, sa35_err *err)
{
    void *p = NULL;
    if (grow((void **)&w->scratch, &w->caps, w->nscratch, sizeof(void *)) ||
        !(p = calloc(1, bytes ? bytes : 1))) {
        sa35_err_set(err, "out of memory for %zu bytes of tensor data",
                     bytes);
        return NULL;
    }
    w->scratch[w->nscratch++] = p;
    return p;
}

/* Add name, of dtype (a safetensors spelling) with elements of elem bytes. */
static int add_entry(sa35_st_writer *w, const char *name, const char *dtype,
                     size_t elem, int ndim, const int64_t *shape,
                     const void *data, sa35_err *err)
{
    if (!name || !*name || strcmp(name, "__metadata__") == 0)
        return sa35_err_set(err, "safetensors: '%s' is not a tensor name",
                            name ? name : "(null)");
    for (int i = 0; i < w->nt; i++)
        if (strcmp(w->t[i].name, name) == 0)
            return sa35_err_set(err, "safetensors: tensor '%s' added twice",
                                name);
    size_t nbytes;
    const char *why = sa35_io_shape_bytes(ndim, shape, elem, &nbytes);
    if (why)
        return sa35_err_set(err, "safetensors: tensor '%s' has %s", name, why);
    if (!data && nbytes)
        return sa35_err_set(err, "safetensors: tensor '%s' has no data", name);
    entry e = {.name = strdup(name), .ndim = ndim, .data = data,
               .nbytes = nbytes};
    snprintf(e.dtype, sizeof e.dtype, "%s", dtype);
    if (!e.name || grow((void **)&w->t, &w->capt, w->nt, sizeof *w->t)) {
        free(e.name);
        return sa35_err_set(err, "safetensors: out of memory");
    }
    if (ndim)
        memcpy(e.shape, shape, (size_t)ndim * sizeof *shape);
    w->t[w->nt++] = e;
    return 0;
}

int sa35_st_writer_add(sa35_st_writer *w, const char *name, sa35_dtype dt,
                       int ndim, const int64_t *shape, const void *data,
                       sa35_err *err)
{
    if ((unsigned)dt >= SA35_DT_COUNT)
        return sa35_err_set(err, "safetensors: tensor '%s': unknown dtype %d",
                            name ? name : "(null)", (int)dt);
    return add_entry(w, name, sa35_dtype_name(dt), sa35_dtype_size(dt), ndim,
                     shape, data, err);
}

int sa35_st_writer_add_tensor(sa35_st_writer *w, const char *name,
                              const sa35_st_tensor *t, sa35_err *err)
{
    size_t elem = sa35_io_st_dtype_size(t->dtype_name);
    if (!elem)
        return sa35_err_set(err, "safetensors: tensor '%s': unknown dtype "
                                 "'%s'",
                            name ? name : "(null)", t->dtype_name);
    if (add_entry(w, name, t->dtype_name, elem, t->ndim, t->shape, t->data,
                  err))
        return -1;
    if (w->t[w->nt - 1].nbytes != t->nbytes) {
        free(w->t[--w->nt].name);
        return sa35_err_set(err, "safetensors: tensor '%s': %zu bytes for "
                                 "its shape, %zu given",
                            name, w->t[w->nt].nbytes, t->nbytes);
    }
    return 0;
}

const char *sa35_st_writer_meta_find(const sa35_st_writer *w, const char *key)
{
    for (int i = 0; i < w->nmeta; i++)
        if (strcmp(w->meta[i].key, key) == 0)
            return w->meta[i].value;
    return NULL;
}

void sa35_st_writer_meta_remove(sa35_st_writer *w, const char *key)
{
    for (int i = 0; i < w->nmeta; i++)
        if (strcmp(w->meta[i].key, key) == 0) {
            free(w->meta[i].key);
            free(w->meta[i].value);
            memmove(&w->meta[i], &w->meta[i + 1],
                    (size_t)(w->nmeta - i - 1) * sizeof *w->meta);
            w->nmeta--;
            return;
        }
}

/* Set (or replace) key. */
int sa35_st_writer_meta(sa35_st_writer *w, const char *key, const char *value,
                        sa35_err *err)
{
    if (!key || !value)
        return sa35_err_set(err, "safetensors: metadata needs a key and a "
                            "value");
    char *v = strdup(value);
    if (!v)
        return sa35_err_set(err, "safetensors: out of memory");
    for (int i = 0; i < w->nmeta; i++)
        if (strcmp(w->meta[i].key, key) == 0) {
            free(w->meta[i].value);
            w->meta[i].value = v;
            return 0;
        }
    char *k = strdup(key);
    if (!k || grow((void **)&w->meta, &w->capm, w->nmeta, sizeof *w->meta)) {
        free(k);
        free(v);
        return sa35_err_set(err, "safetensors: out of memory");
    }
    w->meta[w->nmeta++] = (sa35_st_meta){k, v};
    return 0;
}

/* A JSON integer exactly as written: cJSON prints numbers through a
 * double with 15 significant digits, which would mangle large offsets. */
static cJSON *json_int(int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    return cJSON_CreateRaw(buf);
}

/* Attach item to a JSON object or array, taking ownership either way:
 * cJSON returns NULL on any allocation failure, and a silently missing
 * entry would make a wrong file, so every step is checked. */
static int add(cJSON *obj, const char *key, cJSON *item)
{
    if (obj && item &&
        (key ? cJSON_AddItemToObject(obj, key, item)
             : cJSON_AddItemToArray(obj, item)))
        return 1;
    cJSON_Delete(item);
    return 0;
}

/* {"dtype": ..., "shape": [...], "data_offsets": [begin, end]} */
static cJSON *tensor_json(const entry *e, size_t begin)
{
    cJSON *o = cJSON_CreateObject(), *shape = cJSON_CreateArray(),
          *offs = cJSON_CreateArray();
    int ok = 1; /* &= below: every add must run to take its item */
    for (int d = 0; d < e->ndim; d++)
        ok &= add(shape, NULL, json_int(e->shape[d]));
    ok &= add(offs, NULL, json_int((int64_t)begin));
    ok &= add(offs, NULL, json_int((int64_t)(begin + e->nbytes)));
    ok &= add(o, "dtype", cJSON_CreateString(e->dtype));
    ok &= add(o, "shape", shape);
    ok &= add(o, "data_offsets", offs);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* The header text, padded with blanks; NULL when out of memory. */
static char *header_text(const sa35_st_writer *w, size_t *len)
{
    cJSON *root = cJSON_CreateObject();
    int ok = 1;
    if (w->nmeta) {
        cJSON *m = cJSON_CreateObject();
        for (int i = 0; i < w->nmeta; i++)
            ok &= add(m, w->meta[i].key, cJSON_CreateString(w->meta[i].value));
        ok &= add(root, "__metadata__", m);
    }
    size_t offset = 0;
    for (int i = 0; i < w->nt; i++) {
        ok &= add(root, w->t[i].name, tensor_json(&w->t[i], offset));
        offset += w->t[i].nbytes;
    }
    char *json = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!json)
        return NULL;
    /* Our own copy: cJSON's buffer belongs to cJSON's allocator. */
    size_t n = strlen(json), padded = (n + 7) / 8 * 8;
    char *text = malloc(padded + 1);
    if (text) {
        memcpy(text, json, n);
        memset(text + n, ' ', padded - n);
    }
    cJSON_free(json);
    if (!text)
        return NULL;
    text[padded] = '\0';
    *len = padded;
    return text;
}

int sa35_st_writer_write(sa35_st_writer *w, const char *path, sa35_err *err)
{
    size_t len;
    char *text = header_text(w, &len);
    if (!text)
        return sa35_err_set(err, "%s: out of memory building the header",
                            path);
    uint8_t lenbytes[8];
    for (int i = 0; i < 8; i++)
        lenbytes[i] = (uint8_t)((uint64_t)len >> (8 * i));
    sa35_outfile of;
    int rc = sa35_outfile_open(&of, path, err);
    if (rc == 0)
        rc = sa35_outfile_write(&of, lenbytes, 8, err) ||
             sa35_outfile_write(&of, text, len, err);
    for (int i = 0; i < w->nt && rc == 0; i++)
        rc = sa35_outfile_write(&of, w->t[i].data, w->t[i].nbytes, err);
    free(text);
    if (rc) {
        sa35_outfile_abort(&of); /* also fine if open failed: of is zeroed */
        return -1;
    }
    return sa35_outfile_commit(&of, err);
}
