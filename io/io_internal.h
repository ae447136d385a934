/* io_internal.h: what the io sources share with each other; not installed. */
#ifndef SA35_IO_INTERNAL_H
#define SA35_IO_INTERNAL_H

#include "sa35_io.h"

/* Readers and writers copy bytes straight between files and memory: both
 * .npy (as sa35 writes it) and safetensors are little-endian. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "sa35 io assumes a little-endian host"
#endif

/* Bytes of an ndim-d array of elem-byte elements. Returns NULL and sets
 * *nbytes, or a reason for a message ("a negative dimension", ...). */
const char *sa35_io_shape_bytes(int ndim, const int64_t *shape, size_t elem,
                                size_t *nbytes);

/* Python-style shape text, "(4, 8)", "(3,)" or "()": used in messages and,
 * byte for byte, in .npy headers. Truncates to cap - 1 characters. */
void sa35_io_shape_str(int ndim, const int64_t *shape, char *buf, size_t cap);

/* Bytes of an element of the safetensors dtype spelled s (any the format
 * defines: F32 ... I64, F64, BOOL); 0 if it defines none so spelled. */
size_t sa35_io_st_dtype_size(const char *s);

/* The sa35 dtype with safetensors spelling s; -1 if sa35 does not read it. */
int sa35_io_dtype_from_name(const char *s, sa35_dtype *dt);

/* path mapped read-only into *bytes, *size: a regular file of at least min
 * bytes (else "PATH: N bytes, too short for TOO_SHORT"). */
int sa35_io_map(const char *path, size_t min, const char *too_short,
                const uint8_t **bytes, size_t *size, sa35_err *err);
void sa35_io_unmap(const uint8_t *bytes, size_t size);

/* ------------------------------------------------------------ .npy header
 * The header dict is a Python literal: npy_header.c parses and formats it,
 * npy.c moves the bytes. */
typedef struct sa35_npy_header {
    sa35_dtype dtype;
    int ndim;
    int64_t shape[SA35_MAX_DIMS];
} sa35_npy_header;

/* Parse the dict text (len bytes after the length field). Errors name path. */
int sa35_npy_header_parse(const char *path, const char *text, size_t len,
                          sa35_npy_header *h, sa35_err *err);
/* Everything before the data of a version 1.0 file holding a (magic,
 * version, length, dict, padding, '\n'), as NumPy writes it. */
#define SA35_NPY_HEADER_MAX 1024
int sa35_npy_header_format(const sa35_array *a, char *buf, size_t *len,
                           sa35_err *err);
/* NumPy's name of a dtype ("float32"), for messages. */
const char *sa35_npy_type_name(sa35_dtype dt);

/* --------------------------------------------- temporaries and signals
 * A temporary file (dir 0) or directory (dir 1) that SIGINT, SIGTERM or
 * SIGHUP must not leave behind (tmpclean.c), until its owner untracks
 * every one of its own (after renaming or removing them). */
void io_tmp_track(const void *owner, const char *path, int dir);
void io_tmp_untrack(const void *owner);

/* ---------------------------------------------------- safetensors header */
/* Parse the JSON header text into st->tensors and st->meta, checking every
 * tensor against the data section (data, dsize). Errors name st->path. */
int sa35_st_parse_header(sa35_safetensors *st, const char *text, size_t len,
                         const uint8_t *data, size_t dsize, sa35_err *err);

/* ------------------------------------------------------------------ GGUF
 * A read position in a mapped GGUF file: every read checks what is left
 * first, and a failed one names the file, what was being read and where. */
typedef struct sa35_gguf_cur {
    const uint8_t *base, *p, *end;
    const char *path;
} sa35_gguf_cur;

/* n bytes at the cursor (advanced past them) into *at. */
int sa35_gguf_take(sa35_gguf_cur *c, size_t n, const char *what,
                   const uint8_t **at, sa35_err *err);
int sa35_gguf_u32(sa35_gguf_cur *c, const char *what, uint32_t *v,
                  sa35_err *err);
int sa35_gguf_u64(sa35_gguf_cur *c, const char *what, uint64_t *v,
                  sa35_err *err);
/* A length-prefixed string; it points into the mapping. */
int sa35_gguf_string(sa35_gguf_cur *c, const char *what, const char **s,
                     uint64_t *len, sa35_err *err);
/* A value of type t (an array: its elements, each checked, nested at most
 * SA35_GGUF_MAX_DEPTH deep). */
#define SA35_GGUF_MAX_DEPTH 8
int sa35_gguf_value_read(sa35_gguf_cur *c, uint32_t t, int depth,
                         const char *what, sa35_gguf_value *v, sa35_err *err);
/* count zeroed items of size bytes (and one more), once count items of at
 * least `least` bytes each are seen to fit in the bytes left: a count no
 * file could hold allocates nothing. NULL with err set ("N WHAT cannot
 * fit"). */
void *sa35_gguf_alloc(sa35_gguf_cur *c, uint64_t count, size_t least,
                      size_t size, const char *what, sa35_err *err);
/* The metadata pairs: g->kv, g->nkv; keys unique. */
int sa35_gguf_read_meta(sa35_gguf_cur *c, uint64_t count, sa35_gguf *g,
                        sa35_err *err);

/* ggml's tensor type: block of `block` values in `bytes` bytes; NULL for
 * a number ggml does not define. */
typedef struct sa35_ggml_tinfo {
    const char *name;
    int32_t block, bytes;
} sa35_ggml_tinfo;
const sa35_ggml_tinfo *sa35_ggml_tinfo_of(uint32_t type);

/* 0 if no two of the n names (at stride bytes apart, each a char *) are
 * equal; else 1 with *dup the repeated one. */
int sa35_io_find_dup(const void *items, size_t n, size_t stride,
                     const char **dup, sa35_err *err);

/* Writer metadata as sa35_qfile_add needs it (NULL when absent). */
const char *sa35_st_writer_meta_find(const sa35_st_writer *w,
                                     const char *key);
void sa35_st_writer_meta_remove(sa35_st_writer *w, const char *key);

#endif /* SA35_IO_INTERNAL_H */
