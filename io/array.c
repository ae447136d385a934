/* array.c: dtypes and owned n-d arrays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io_internal.h"

static const struct {
    const char *name; /* safetensors spelling */
    size_t size;
} dtypes[SA35_DT_COUNT] = {
    [SA35_DT_F32] = {"F32", 4}, [SA35_DT_F16] = {"F16", 2},
    [SA35_DT_BF16] = {"BF16", 2}, [SA35_DT_I8] = {"I8", 1},
    [SA35_DT_U8] = {"U8", 1},   [SA35_DT_I32] = {"I32", 4},
};

size_t sa35_dtype_size(sa35_dtype dt)
{
    return (unsigned)dt < SA35_DT_COUNT ? dtypes[dt].size : 0;
}

const char *sa35_dtype_name(sa35_dtype dt)
{
    return (unsigned)dt < SA35_DT_COUNT ? dtypes[dt].name : "unsupported";
}

int sa35_io_dtype_from_name(const char *s, sa35_dtype *dt)
{
    for (int i = 0; i < SA35_DT_COUNT; i++)
        if (strcmp(s, dtypes[i].name) == 0) {
            *dt = (sa35_dtype)i;
            return 0;
        }
    return -1;
}

const char *sa35_io_shape_bytes(int ndim, const int64_t *shape, size_t elem,
                                size_t *nbytes)
{
    if (ndim < 0 || ndim > SA35_MAX_DIMS)
        return "more dimensions than sa35 handles (8)";
    size_t n = elem;
    for (int i = 0; i < ndim; i++)
        if (shape[i] < 0)
            return "a negative dimension";
    /* A zero dimension makes the array empty whatever the others are, and
     * must not be mistaken for an overflow below. */
    for (int i = 0; i < ndim; i++)
        if (shape[i] == 0)
            n = 0;
    for (int i = 0; i < ndim && n; i++)
        if ((uint64_t)shape[i] > SIZE_MAX ||
            sa35_mul_size(n, (size_t)shape[i], &n))
            return "a size that overflows";
    *nbytes = n;
    return NULL;
}

void sa35_io_shape_str(int ndim, const int64_t *shape, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = -1; i <= ndim; i++) {
        char part[32];
        if (i < 0)
            snprintf(part, sizeof part, "(");
        else if (i == ndim) /* Python writes a 1-tuple as "(3,)" */
            snprintf(part, sizeof part, ndim == 1 ? ",)" : ")");
        else
            snprintf(part, sizeof part, "%s%lld", i ? ", " : "",
                     (long long)shape[i]);
        int n = snprintf(buf + used, cap - used, "%s", part);
        if (n < 0 || (size_t)n >= cap - used)
            return; /* truncated: buf holds what fitted */
        used += (size_t)n;
    }
}

int64_t sa35_array_count(const sa35_array *a)
{
    /* an empty array's other dimensions may be huge (the readers accept
     * (5, 2^55, 0): sa35_io_shape_bytes), and multiplied in order they
     * would overflow before the 0 is reached (found by fuzz_npy) */
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] == 0)
            return 0;
    int64_t n = 1;
    for (int i = 0; i < a->ndim; i++)
        n *= a->shape[i];
    return n;
}

void sa35_array_free(sa35_array *a)
{
    if (!a)
        return;
    free(a->data);
    memset(a, 0, sizeof *a);
}

int sa35_array_alloc(sa35_array *a, sa35_dtype dt, int ndim,
                     const int64_t *shape, sa35_err *err)
{
    memset(a, 0, sizeof *a);
    if ((unsigned)dt >= SA35_DT_COUNT)
        return sa35_err_set(err, "array: unknown dtype %d", (int)dt);
    size_t nbytes = 0;
    const char *why = sa35_io_shape_bytes(ndim, shape, dtypes[dt].size,
                                          &nbytes);
    char s[256];
    sa35_io_shape_str(ndim, shape, s, sizeof s);
    if (why)
        return sa35_err_set(err, "array of shape %s: %s", s, why);
    /* calloc(0) may return NULL; an empty array still gets a pointer. */
    void *data = calloc(nbytes ? nbytes : 1, 1);
    if (!data)
        return sa35_err_set(err, "array of shape %s %s: out of memory "
                            "(%zu bytes)", s, dtypes[dt].name, nbytes);
    a->dtype = dt;
    a->ndim = ndim;
    if (ndim)
        memcpy(a->shape, shape, (size_t)ndim * sizeof *shape);
    a->data = data;
    a->nbytes = nbytes;
    return 0;
}

int sa35_array_to_f32(const sa35_array *a, const char *what, float **out,
                      sa35_err *err)
{
    *out = NULL;
    if (a->dtype != SA35_DT_F32 && a->dtype != SA35_DT_F16 &&
        a->dtype != SA35_DT_BF16)
        return sa35_err_set(err, "%s: dtype %s is not a float type (F32, "
                            "F16 or BF16)", what, sa35_dtype_name(a->dtype));
    size_t n = (size_t)sa35_array_count(a);
    float *f = malloc(n ? n * sizeof *f : 1);
    if (!f)
        return sa35_err_set(err, "%s: out of memory (%zu floats)", what, n);
    if (a->dtype == SA35_DT_F32) {
        memcpy(f, a->data, n * sizeof *f);
    } else {
        const uint16_t *h = a->data;
        for (size_t i = 0; i < n; i++)
            f[i] = a->dtype == SA35_DT_F16 ? sa35_f16_to_f32(h[i])
                                           : sa35_bf16_to_f32(h[i]);
    }
    *out = f;
    return 0;
}
