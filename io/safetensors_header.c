/* safetensors_header.c: the JSON header of a safetensors file, parsed with
 * cJSON and checked against the data section:
 *   {"__metadata__": {"k": "v"},
 *    "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}
 * Offsets are relative to the data section. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "io_internal.h"

/* Dtypes safetensors defines that sa35 does not read: the tensors are
 * listed (with dtype SA35_DT_COUNT) and size-checked, and refused only if
 * someone copies one. */
static const struct {
    const char *name;
    size_t size;
} other_dtypes[] = {
    {"BOOL", 1}, {"F8_E4M3", 1}, {"F8_E5M2", 1}, {"I16", 2}, {"U16", 2},
    {"U32", 4},  {"I64", 8},     {"U64", 8},     {"F64", 8},
};

size_t sa35_io_st_dtype_size(const char *s)
{
    sa35_dtype dt;
    if (sa35_io_dtype_from_name(s, &dt) == 0)
        return sa35_dtype_size(dt);
    for (size_t i = 0; i < sizeof other_dtypes / sizeof other_dtypes[0]; i++)
        if (strcmp(s, other_dtypes[i].name) == 0)
            return other_dtypes[i].size;
    return 0;
}

/* An integer-valued JSON number; doubles hold integers exactly to 2^53,
 * far past any real file. */
static int json_int(const cJSON *v, int64_t *out)
{
    if (!cJSON_IsNumber(v))
        return -1;
    double d = v->valuedouble;
    if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0) ||
        d != (double)(int64_t)d)
        return -1;
    *out = (int64_t)d;
    return 0;
}

/* dtype (and its size) by safetensors spelling; -1 if unknown. */
static int lookup_dtype(const char *s, sa35_st_tensor *t, size_t *size)
{
    if (sa35_io_dtype_from_name(s, &t->dtype) == 0) {
        *size = sa35_dtype_size(t->dtype);
    } else {
        if (!(*size = sa35_io_st_dtype_size(s)))
            return -1;
        t->dtype = SA35_DT_COUNT;
    }
    snprintf(t->dtype_name, sizeof t->dtype_name, "%s", s);
    return 0;
}

static int parse_shape(const char *path, const char *name, const cJSON *js,
                       sa35_st_tensor *t, sa35_err *err)
{
    if (!cJSON_IsArray(js))
        return sa35_err_set(err, "%s: tensor '%s': \"shape\" is missing or "
                            "not a list", path, name);
    int n = cJSON_GetArraySize(js);
    if (n > SA35_MAX_DIMS)
        return sa35_err_set(err, "%s: tensor '%s' has %d dimensions, more "
                            "than sa35 handles (%d)", path, name, n,
                            SA35_MAX_DIMS);
    const cJSON *d;
    t->ndim = 0;
    cJSON_ArrayForEach(d, js) {
        int64_t v;
        if (json_int(d, &v))
            return sa35_err_set(err, "%s: tensor '%s': \"shape\" holds a "
                                "non-integer", path, name);
        if (v < 0)
            return sa35_err_set(err, "%s: tensor '%s' has a negative "
                                "dimension (%lld)", path, name,
                                (long long)v);
        t->shape[t->ndim++] = v;
    }
    return 0;
}

/* data_offsets [begin, end] within a data section of dsize bytes. */
static int parse_offsets(const char *path, const char *name, const cJSON *js,
                         size_t dsize, int64_t *begin, int64_t *end,
                         sa35_err *err)
{
    if (!cJSON_IsArray(js) || cJSON_GetArraySize(js) != 2 ||
        json_int(cJSON_GetArrayItem(js, 0), begin) ||
        json_int(cJSON_GetArrayItem(js, 1), end) || *begin < 0 || *end < 0)
        return sa35_err_set(err, "%s: tensor '%s': \"data_offsets\" is not "
                            "[begin, end] non-negative integers", path, name);
    if (*begin > *end)
        return sa35_err_set(err, "%s: tensor '%s': data_offsets [%lld, %lld] "
                            "begin after they end", path, name,
                            (long long)*begin, (long long)*end);
    if ((uint64_t)*end > dsize)
        return sa35_err_set(err, "%s: tensor '%s': data_offsets end %lld is "
                            "past the end of the data section (%zu bytes)",
                            path, name, (long long)*end, dsize);
    return 0;
}

static int parse_tensor(const char *path, const cJSON *js, const uint8_t *data,
                        size_t dsize, sa35_st_tensor *t, sa35_err *err)
{
    const char *name = js->string;
    if (!cJSON_IsObject(js))
        return sa35_err_set(err, "%s: tensor '%s': entry is not a JSON "
                            "object", path, name);
    const cJSON *dt = cJSON_GetObjectItemCaseSensitive(js, "dtype");
    size_t elem;
    if (!cJSON_IsString(dt))
        return sa35_err_set(err, "%s: tensor '%s': \"dtype\" is missing or "
                            "not a string", path, name);
    if (lookup_dtype(dt->valuestring, t, &elem))
        return sa35_err_set(err, "%s: tensor '%s' has unknown dtype '%s'",
                            path, name, dt->valuestring);
    int64_t begin = 0, end = 0; /* gcc -O2 cannot see the parser sets them */
    if (parse_shape(path, name,
                    cJSON_GetObjectItemCaseSensitive(js, "shape"), t, err) ||
        parse_offsets(path, name,
                      cJSON_GetObjectItemCaseSensitive(js, "data_offsets"),
                      dsize, &begin, &end, err))
        return -1;
    const char *why = sa35_io_shape_bytes(t->ndim, t->shape, elem,
                                          &t->nbytes);
    char s[256];
    sa35_io_shape_str(t->ndim, t->shape, s, sizeof s);
    if (why)
        return sa35_err_set(err, "%s: tensor '%s' of shape %s has %s", path,
                            name, s, why);
    if ((uint64_t)(end - begin) != t->nbytes)
        return sa35_err_set(err, "%s: tensor '%s': shape %s of %s is %zu "
                            "bytes but data_offsets [%lld, %lld] hold %lld",
                            path, name, s, t->dtype_name, t->nbytes,
                            (long long)begin, (long long)end,
                            (long long)(end - begin));
    t->name = strdup(name);
    if (!t->name)
        return sa35_err_set(err, "%s: out of memory", path);
    t->data = data + begin;
    t->path = path;
    return 0;
}

static int parse_meta(sa35_safetensors *st, const cJSON *js, sa35_err *err)
{
    if (!cJSON_IsObject(js))
        return sa35_err_set(err, "%s: __metadata__ is not a JSON object",
                            st->path);
    st->meta = calloc((size_t)cJSON_GetArraySize(js) + 1, sizeof *st->meta);
    if (!st->meta)
        return sa35_err_set(err, "%s: out of memory", st->path);
    const cJSON *m;
    cJSON_ArrayForEach(m, js) {
        if (!cJSON_IsString(m))
            return sa35_err_set(err, "%s: __metadata__ value of '%s' is not "
                                "a string", st->path, m->string);
        sa35_st_meta *e = &st->meta[st->nmeta];
        e->key = strdup(m->string);
        e->value = strdup(m->valuestring);
        if (!e->key || !e->value) {
            free(e->key);
            free(e->value);
            return sa35_err_set(err, "%s: out of memory", st->path);
        }
        st->nmeta++;
    }
    return 0;
}

static int by_begin(const void *a, const void *b)
{
    const uint8_t *x = (*(const sa35_st_tensor *const *)a)->data,
                  *y = (*(const sa35_st_tensor *const *)b)->data;
    return x < y ? -1 : x > y;
}

/* Two tensors sharing bytes would alias each other's data: refused, naming
 * both. (Empty tensors hold no bytes and overlap nothing.) */
static int check_disjoint(const sa35_safetensors *st, const uint8_t *data,
                          sa35_err *err)
{
    if (st->ntensors < 2)
        return 0;
    const sa35_st_tensor **v = malloc((size_t)st->ntensors * sizeof *v);
    if (!v)
        return sa35_err_set(err, "%s: out of memory", st->path);
    int n = 0;
    for (int i = 0; i < st->ntensors; i++)
        if (st->tensors[i].nbytes)
            v[n++] = &st->tensors[i];
    qsort(v, (size_t)n, sizeof *v, by_begin);
    int rc = 0;
    const sa35_st_tensor *reach = NULL; /* the one ending last so far */
    for (int i = 0; i < n && !rc; i++) {
        if (reach && v[i]->data < reach->data + reach->nbytes) {
            const sa35_st_tensor *a = reach, *b = v[i];
            rc = sa35_err_set(err, "%s: tensors '%s' [%td, %td) and '%s' "
                                   "[%td, %td) overlap in the data section",
                              st->path, a->name, a->data - data,
                              a->data - data + (ptrdiff_t)a->nbytes, b->name,
                              b->data - data,
                              b->data - data + (ptrdiff_t)b->nbytes);
        }
        if (!reach || v[i]->data + v[i]->nbytes > reach->data + reach->nbytes)
            reach = v[i];
    }
    free(v);
    return rc;
}

static int parse_entries(sa35_safetensors *st, const cJSON *root,
                         const uint8_t *data, size_t dsize, sa35_err *err)
{
    st->tensors = calloc((size_t)cJSON_GetArraySize(root) + 1,
                         sizeof *st->tensors);
    if (!st->tensors)
        return sa35_err_set(err, "%s: out of memory", st->path);
    const cJSON *e;
    cJSON_ArrayForEach(e, root) {
        if (strcmp(e->string, "__metadata__") == 0) {
            if (parse_meta(st, e, err))
                return -1;
        } else if (parse_tensor(st->path, e, data, dsize,
                                &st->tensors[st->ntensors], err)) {
            return -1;
        } else {
            st->ntensors++;
        }
    }
    return check_disjoint(st, data, err);
}

/* Whether only blanks (the writer's padding) follow the JSON value. */
static int only_blanks(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
            return 0;
    return 1;
}

int sa35_st_parse_header(sa35_safetensors *st, const char *text, size_t len,
                         const uint8_t *data, size_t dsize, sa35_err *err)
{
    /* cJSON gets its own NUL-terminated copy: the text lives in a mapping
     * that a parser bug must not be able to read past. */
    char *copy = malloc(len + 1);
    if (!copy)
        return sa35_err_set(err, "%s: out of memory", st->path);
    memcpy(copy, text, len);
    copy[len] = '\0';
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(copy, len, &end, 0);
    ptrdiff_t at = end ? end - copy : 0;
    int rc;
    if (!root)
        rc = sa35_err_set(err, "%s: header is not valid JSON (at byte %td of "
                          "%zu)", st->path, at, len);
    else if (!only_blanks(end, copy + len))
        rc = sa35_err_set(err, "%s: header has bytes after the JSON value "
                          "(at byte %td)", st->path, at);
    else if (!cJSON_IsObject(root))
        rc = sa35_err_set(err, "%s: header is JSON but not an object",
                          st->path);
    else if (sa35_json_unique_keys(root, st->path, err))
        rc = -1; /* a tensor, __metadata__ or a field twice: ambiguous */
    else
        rc = parse_entries(st, root, data, dsize, err);
    cJSON_Delete(root);
    free(copy);
    return rc;
}
