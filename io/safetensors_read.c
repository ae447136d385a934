/* safetensors_read.c: open a safetensors file (mapped read-only: models
 * are gigabytes and most readers want a few tensors), and look tensors and
 * metadata up. The header itself is safetensors_header.c's job. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io_internal.h"

int sa35_st_open(const char *path, sa35_safetensors *st, sa35_err *err)
{
    memset(st, 0, sizeof *st);
    st->path = strdup(path);
    if (!st->path)
        return sa35_err_set(err, "%s: out of memory", path);
    if (sa35_io_map(path, 8, "a safetensors file (8-byte header length)",
                    &st->bytes, &st->size, err)) {
        sa35_st_close(st);
        return -1;
    }
    uint64_t hlen = 0;
    for (int i = 8; i-- > 0;)
        hlen = hlen << 8 | st->bytes[i];
    int rc;
    if (memcmp(st->bytes, "\x93NUMPY", 6) == 0) /* an easy mix-up */
        rc = sa35_err_set(err, "%s: is a .npy file, not safetensors", path);
    else if (hlen > st->size - 8)
        rc = sa35_err_set(err, "%s: header length %llu runs past the end of "
                          "the file (%zu bytes)", path,
                          (unsigned long long)hlen, st->size);
    else
        rc = sa35_st_parse_header(st, (const char *)st->bytes + 8,
                                  (size_t)hlen, st->bytes + 8 + hlen,
                                  st->size - 8 - (size_t)hlen, err);
    if (rc)
        sa35_st_close(st);
    return rc;
}

void sa35_st_close(sa35_safetensors *st)
{
    if (!st)
        return;
    sa35_io_unmap(st->bytes, st->size);
    for (int i = 0; i < st->ntensors; i++)
        free(st->tensors[i].name);
    for (int i = 0; i < st->nmeta; i++) {
        free(st->meta[i].key);
        free(st->meta[i].value);
    }
    free(st->tensors);
    free(st->meta);
    free(st->path);
    memset(st, 0, sizeof *st);
}

const sa35_st_tensor *sa35_st_find(const sa35_safetensors *st,
                                   const char *name)
{
    for (int i = 0; i < st->ntensors; i++)
        if (strcmp(st->tensors[i].name, name) == 0)
            return &st->tensors[i];
    return NULL;
}

const char *sa35_st_meta_get(const sa35_safetensors *st, const char *key)
{
    for (int i = 0; i < st->nmeta; i++)
        if (strcmp(st->meta[i].key, key) == 0)
            return st->meta[i].value;
    return NULL;
}

int sa35_st_tensor_copy(const sa35_st_tensor *t, sa35_array *out,
                        sa35_err *err)
{
    memset(out, 0, sizeof *out);
    if ((unsigned)t->dtype >= SA35_DT_COUNT)
        return sa35_err_set(err, "%s: tensor '%s' has dtype %s, which sa35 "
                            "does not read (F32, F16, BF16, I8, U8, I32)",
                            t->path, t->name, t->dtype_name);
    if (sa35_array_alloc(out, t->dtype, t->ndim, t->shape, err)) {
        char ctx[512];
        snprintf(ctx, sizeof ctx, "%s: tensor '%s'", t->path, t->name);
        return sa35_err_prefix(err, ctx);
    }
    memcpy(out->data, t->data, t->nbytes);
    return 0;
}
