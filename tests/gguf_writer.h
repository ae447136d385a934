/* gguf_writer.h: a GGUF writer for the tests, built from the spec
 * (ggml's docs/gguf.md) and sharing no code with io/'s reader, so a
 * misreading of the spec in one does not hide in the other. Fields go out
 * byte by byte, little-endian; the caller lays the file out in order:
 * header, pairs, tensor infos, padding, data. The buffer grows by doubling;
 * gw.oom records a failed growth (then nothing more is written). */
#ifndef SA35_GGUF_WRITER_H
#define SA35_GGUF_WRITER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct gw {
    uint8_t *b;
    size_t n, cap;
    int oom;
} gw;

/* value types (gguf_metadata_value_type) and ggml types, by number */
enum {
    GW_U8 = 0, GW_I8, GW_U16, GW_I16, GW_U32, GW_I32, GW_F32, GW_BOOL,
    GW_STR, GW_ARR, GW_U64, GW_I64, GW_F64
};
enum { GT_F32 = 0, GT_F16 = 1, GT_Q4_0 = 2, GT_Q8_0 = 8, GT_Q4_K = 12,
       GT_BF16 = 30 };

static inline void gw_bytes(gw *w, const void *p, size_t n)
{
    if (w->oom)
        return;
    if (w->n + n > w->cap) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap < w->n + n)
            cap *= 2;
        uint8_t *b = realloc(w->b, cap);
        if (!b) {
            w->oom = 1;
            return;
        }
        w->b = b;
        w->cap = cap;
    }
    memcpy(w->b + w->n, p, n);
    w->n += n;
}

static inline void gw_le(gw *w, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) {
        uint8_t c = (uint8_t)(v >> (8 * i));
        gw_bytes(w, &c, 1);
    }
}

static inline void gw_u32(gw *w, uint32_t v) { gw_le(w, v, 4); }
static inline void gw_u64(gw *w, uint64_t v) { gw_le(w, v, 8); }

static inline void gw_str(gw *w, const char *s)
{
    gw_u64(w, strlen(s));
    gw_bytes(w, s, strlen(s));
}

/* "GGUF", version, tensor count, pair count */
static inline void gw_header(gw *w, uint32_t version, uint64_t ntensors,
                             uint64_t nkv)
{
    gw_bytes(w, "GGUF", 4);
    gw_u32(w, version);
    gw_u64(w, ntensors);
    gw_u64(w, nkv);
}

/* A pair's key and type; its value follows (gw_le, gw_str, ...). */
static inline void gw_key(gw *w, const char *key, uint32_t type)
{
    gw_str(w, key);
    gw_u32(w, type);
}

static inline void gw_kv_u32(gw *w, const char *key, uint32_t v)
{
    gw_key(w, key, GW_U32);
    gw_u32(w, v);
}

static inline void gw_kv_str(gw *w, const char *key, const char *s)
{
    gw_key(w, key, GW_STR);
    gw_str(w, s);
}

/* An array's element type and count; the elements follow. */
static inline void gw_arr(gw *w, uint32_t elem, uint64_t count)
{
    gw_u32(w, elem);
    gw_u64(w, count);
}

/* name, n_dims, dims (ne[0] first), ggml type, offset in the data */
static inline void gw_tensor(gw *w, const char *name, uint32_t ndim,
                             const uint64_t *ne, uint32_t type,
                             uint64_t offset)
{
    gw_str(w, name);
    gw_u32(w, ndim);
    for (uint32_t i = 0; i < ndim; i++)
        gw_u64(w, ne[i]);
    gw_u32(w, type);
    gw_u64(w, offset);
}

/* Zeros up to the next multiple of align (the data section's start, or
 * the gap between two tensors). */
static inline void gw_pad(gw *w, size_t align)
{
    while (w->n % align)
        gw_le(w, 0, 1);
}

static inline void gw_free(gw *w)
{
    free(w->b);
    memset(w, 0, sizeof *w);
}

#endif
