/* sa35_io.h: the files the field uses. NumPy .npy (read and write) and
 * safetensors (read F32/F16/BF16/U8/I8/I32, write any of those), the quantized
 * weight file built on safetensors, and output files that appear only when
 * complete (written under a temporary name, renamed on success).
 *
 * Every reader checks its input against the bytes actually present: a header
 * that lies (a shape that does not match the data, an offset past the end) is
 * an error naming the file and what is wrong, never a short read. */
#ifndef SA35_IO_H
#define SA35_IO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sa35_cmodel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------------- arrays */
typedef enum sa35_dtype {
    SA35_DT_F32,
    SA35_DT_F16,
    SA35_DT_BF16,
    SA35_DT_I8,
    SA35_DT_U8,
    SA35_DT_I32,
    SA35_DT_COUNT
} sa35_dtype;

/* 0 and "unsupported" for SA35_DT_COUNT (a safetensors dtype sa35 does not
 * read, see sa35_st_tensor). */
size_t sa35_dtype_size(sa35_dtype dt);
const char *sa35_dtype_name(sa35_dtype dt); /* safetensors spelling: "F32" */

#define SA35_MAX_DIMS 8

/* An owned, C-order n-d array in host byte order (sa35 io requires a
 * little-endian host, so this is also the byte order of the files). */
typedef struct sa35_array {
    sa35_dtype dtype;
    int ndim;
    int64_t shape[SA35_MAX_DIMS];
    void *data;    /* malloc'd, nbytes long */
    size_t nbytes; /* product(shape) * dtype size */
} sa35_array;

int64_t sa35_array_count(const sa35_array *a); /* number of elements */
void sa35_array_free(sa35_array *a);
/* Allocate a zeroed array. */
int sa35_array_alloc(sa35_array *a, sa35_dtype dt, int ndim,
                     const int64_t *shape, sa35_err *err);
/* Convert any float dtype (F32, F16, BF16) to a new malloc'd float32 buffer;
 * other dtypes are an error naming `what`. */
int sa35_array_to_f32(const sa35_array *a, const char *what, float **out,
                      sa35_err *err);

/* bfloat16 to float32 (IEEE binary16: sa35_f16_to_f32 / sa35_f32_to_f16 in
 * sa35_cmodel.h). */
float sa35_bf16_to_f32(uint16_t h);

/* -------------------------------------------------------------------- npy
 * Versions 1.0, 2.0 and 3.0; dtypes <f4 <f2 |i1 |u1 <i4 (and their '=' or
 * '|' spellings where unambiguous); fortran_order must be False. */
int sa35_npy_read(const char *path, sa35_array *out, sa35_err *err);
/* Writes version 1.0 atomically (no file is left behind on failure). */
int sa35_npy_write(const char *path, const sa35_array *a, sa35_err *err);

/* ------------------------------------------------------------- safetensors */
/* A tensor whose dtype sa35 does not read but safetensors defines (I64,
 * F64, BOOL, ...) is still listed and size-checked, with dtype SA35_DT_COUNT;
 * sa35_st_tensor_copy refuses it, naming the tensor and dtype_name, so a
 * model with a stray int64 buffer opens fine. A dtype safetensors does not
 * define fails at open. */
typedef struct sa35_st_tensor {
    char *name;
    sa35_dtype dtype;
    char dtype_name[16]; /* the file's spelling: "F32", "I64", ...        */
    int ndim;
    int64_t shape[SA35_MAX_DIMS];
    const uint8_t *data; /* into the mapped data section; may be unaligned */
    size_t nbytes;
    const char *path;    /* the file (the owner's path), for messages      */
} sa35_st_tensor;

typedef struct sa35_st_meta {
    char *key;
    char *value;
} sa35_st_meta;

/* A safetensors file mapped read-only (models are gigabytes) and validated:
 * every tensor's [begin, end) lies inside the data section and matches
 * shape x dtype size. The file must not shrink while it is open. */
typedef struct sa35_safetensors {
    char *path;
    const uint8_t *bytes; /* the whole file, mmap'd read-only */
    size_t size;
    sa35_st_tensor *tensors; /* in file order */
    int ntensors;
    sa35_st_meta *meta; /* __metadata__ (string values), may be empty */
    int nmeta;
} sa35_safetensors;

int sa35_st_open(const char *path, sa35_safetensors *st, sa35_err *err);
void sa35_st_close(sa35_safetensors *st);
const sa35_st_tensor *sa35_st_find(const sa35_safetensors *st,
                                   const char *name);
const char *sa35_st_meta_get(const sa35_safetensors *st, const char *key);
/* Copy a tensor into an owned array (an error for an unsupported dtype). */
int sa35_st_tensor_copy(const sa35_st_tensor *t, sa35_array *out,
                        sa35_err *err);

/* Writer: add tensors (data is borrowed until sa35_st_writer_write returns)
 * and metadata, then write atomically. Tensors are written in the order added;
 * the header is padded with spaces to a multiple of 8 bytes. */
typedef struct sa35_st_writer sa35_st_writer;
sa35_st_writer *sa35_st_writer_new(void);
void sa35_st_writer_free(sa35_st_writer *w);
int sa35_st_writer_add(sa35_st_writer *w, const char *name, sa35_dtype dt,
                       int ndim, const int64_t *shape, const void *data,
                       sa35_err *err);
int sa35_st_writer_meta(sa35_st_writer *w, const char *key, const char *value,
                        sa35_err *err);
/* A zeroed buffer the writer owns until it is freed: tensor data made only
 * for the file (converted values) lives as long as the borrow needs. */
void *sa35_st_writer_scratch(sa35_st_writer *w, size_t bytes, sa35_err *err);
int sa35_st_writer_write(sa35_st_writer *w, const char *path, sa35_err *err);

/* A tensor copied byte for byte (a checkpoint's passed-through tensor):
 * t's dtype as the file spells it (any safetensors dtype, I64 and F64
 * too), its shape and bytes (borrowed until the write), under name. */
int sa35_st_writer_add_tensor(sa35_st_writer *w, const char *name,
                              const sa35_st_tensor *t, sa35_err *err);

/* ------------------------------------------------- sharded checkpoints
 * Hugging Face's index of a sharded checkpoint, model.safetensors.index.json
 * (docs/checkpoints.md): {"metadata": {...}, "weight_map": {TENSOR: SHARD}}.
 * Read with sa35_json_parse (a key twice is refused) and checked: the root
 * and "metadata" are objects, "weight_map" a non-empty object of strings,
 * each shard a relative path that stays inside the index's directory (not
 * absolute, no ".." component, not empty). */
typedef struct sa35_hf_index {
    char *path;              /* the index file, for messages               */
    char *dir;               /* its directory ("." when path has no '/')  */
    struct cJSON *metadata;  /* the "metadata" object, or NULL             */
    char **shards;           /* distinct shard names as written, in order */
    int nshards;             /* of first appearance in the weight_map     */
    char **tensors;          /* the weight_map's keys, in file order      */
    int *shard_of;           /* tensors[i] is in shards[shard_of[i]]      */
    int ntensors;
} sa35_hf_index;

/* Parse an index's text (path names it in messages; no file is opened). */
int sa35_hf_index_parse(const char *text, const char *path, sa35_hf_index *ix,
                        sa35_err *err);
void sa35_hf_index_free(sa35_hf_index *ix);
/* The index's JSON text for tensors[i] in shards[shard_of[i]], with
 * metadata (may be NULL) copied and "total_size" set to total_size: a
 * malloc'd string ending in a newline; NULL with err set. */
char *sa35_hf_index_format(const struct cJSON *metadata, uint64_t total_size,
                           const char *const *tensors, const int *shard_of,
                           int ntensors, const char *const *shards,
                           sa35_err *err);

/* A checkpoint of one or more safetensors shards, each mapped and
 * validated, no tensor in two shards; opened from an index (every shard it
 * names must exist, every tensor be where the weight_map says and every
 * tensor of a shard be in the weight_map) or from a list of shard files.
 * Errors are one line naming the file and the tensor or key. */
typedef struct sa35_ckpt {
    sa35_safetensors *shards; /* nshards, in the index's or the list's order */
    int nshards;
    int has_index;
    sa35_hf_index index;      /* when has_index                            */
} sa35_ckpt;

int sa35_ckpt_open_index(const char *index_path, sa35_ckpt *ck,
                         sa35_err *err);
int sa35_ckpt_open_shards(const char *const *paths, int n, sa35_ckpt *ck,
                          sa35_err *err);
void sa35_ckpt_close(sa35_ckpt *ck);
/* 1 if path names an index: its name ends in ".json". */
int sa35_is_hf_index(const char *path);

/* -------------------------------------------------------------------- GGUF
 * llama.cpp's file (docs/gguf.md in ggml; versions 2 and 3, little-endian):
 * "GGUF", version, tensor count, metadata count, the metadata key/value
 * pairs, the tensor infos, padding to general.alignment (default 32), and
 * the data section. Mapped read-only and validated at open: every count
 * against the bytes left, every string and array inside the file, keys and
 * tensor names unique, 1 to 4 dimensions none of them 0, each tensor's
 * offset aligned and its bytes inside the data section, no two tensors
 * sharing a byte. A tensor of a ggml type sa35 knows but does not read
 * (Q4_K, ...) is listed and refused when read; a type number ggml does not
 * define fails at open. */
typedef enum sa35_gguf_type { /* the spec's numbers */
    SA35_GGUF_UINT8 = 0, SA35_GGUF_INT8 = 1, SA35_GGUF_UINT16 = 2,
    SA35_GGUF_INT16 = 3, SA35_GGUF_UINT32 = 4, SA35_GGUF_INT32 = 5,
    SA35_GGUF_FLOAT32 = 6, SA35_GGUF_BOOL = 7, SA35_GGUF_STRING = 8,
    SA35_GGUF_ARRAY = 9, SA35_GGUF_UINT64 = 10, SA35_GGUF_INT64 = 11,
    SA35_GGUF_FLOAT64 = 12, SA35_GGUF_TYPE_COUNT
} sa35_gguf_type;

/* The spec's name of a value type ("uint32"); "?" out of range. */
const char *sa35_gguf_type_name(sa35_gguf_type t);

/* One metadata value (a top-level pair's, or an array element's). Strings
 * point into the mapping and are not NUL-terminated. */
typedef struct sa35_gguf_value {
    sa35_gguf_type type;
    int64_t i;    /* signed integers, BOOL; unsigned ones up to INT64_MAX */
    uint64_t u;   /* unsigned integers, BOOL; signed ones from 0 up       */
    int is_int;   /* any integer type (BOOL is not one)                  */
    double f;     /* FLOAT32, FLOAT64, and every integer as a double      */
    const char *str; /* STRING */
    uint64_t len;    /* STRING: bytes; ARRAY: elements                    */
    sa35_gguf_type elem; /* ARRAY: the elements' type                     */
    const uint8_t *raw;  /* ARRAY: the first element's bytes              */
    size_t raw_bytes;    /* ARRAY: bytes of all its elements              */
} sa35_gguf_value;

typedef struct sa35_gguf_kv {
    char *key; /* NUL-terminated copy (keys hold no NUL) */
    sa35_gguf_value v;
} sa35_gguf_kv;

/* ggml's tensor types by number (ggml.h); the ones sa35 reads are F32,
 * F16, BF16, Q8_0 and Q4_0. */
enum {
    SA35_GGML_T_F32 = 0,
    SA35_GGML_T_F16 = 1,
    SA35_GGML_T_Q4_0 = 2,
    SA35_GGML_T_Q8_0 = 8,
    SA35_GGML_T_BF16 = 30
};

typedef struct sa35_gguf_tensor {
    char *name;
    uint32_t type;          /* ggml type number                           */
    const char *type_name;  /* ggml's spelling: "Q8_0"                    */
    int ndim;               /* 1 to 4                                     */
    int64_t ne[4];          /* ggml order: ne[0] varies fastest (a row)   */
    int64_t shape[4];       /* the same, C order: shape[ndim-1] = ne[0]   */
    uint64_t offset;        /* in the data section, as the file says      */
    const uint8_t *data;    /* into the mapping                           */
    size_t nbytes;
    const char *path;       /* the file, for messages                     */
} sa35_gguf_tensor;

typedef struct sa35_gguf {
    char *path;
    const uint8_t *bytes; /* the whole file, mmap'd read-only */
    size_t size;
    uint32_t version;
    uint32_t alignment;   /* general.alignment, or 32 */
    size_t data_start;    /* file offset of the data section */
    sa35_gguf_kv *kv;     /* in file order */
    int nkv;
    sa35_gguf_tensor *tensors; /* in file order */
    int ntensors;
} sa35_gguf;

/* 1 if the file starts with "GGUF", 0 if not (or unreadable). */
int sa35_is_gguf(const char *path);
/* 1 if the file's first n bytes are magic, 0 if not (or unreadable). */
int sa35_file_has_magic(const char *path, const void *magic, size_t n);
int sa35_gguf_open(const char *path, sa35_gguf *g, sa35_err *err);
void sa35_gguf_close(sa35_gguf *g);
const sa35_gguf_tensor *sa35_gguf_find(const sa35_gguf *g, const char *name);
const sa35_gguf_value *sa35_gguf_get(const sa35_gguf *g, const char *key);
/* Element i of an ARRAY value (validated at open; O(i) for elements of
 * variable size: strings, arrays). -1 if i is out of range. */
int sa35_gguf_array_item(const sa35_gguf_value *arr, uint64_t i,
                         sa35_gguf_value *item);
/* Whether t is one sa35 dequantizes (F32, F16, BF16, Q8_0, Q4_0). */
int sa35_gguf_readable(const sa35_gguf_tensor *t);
/* The tensor's values as a malloc'd float32 buffer in file order (C order
 * of t->shape); Q8_0 and Q4_0 through sa35_ggml_dequantize_row. Another
 * type is an error naming the file, the tensor and the type. */
int sa35_gguf_tensor_f32(const sa35_gguf_tensor *t, float **out,
                         sa35_err *err);

/* ---------------------------------------------------- quantized weight file
 * For a weight NAME: NAME.qweight (U8 [N, colbytes]), NAME.scale (F32 [N]),
 * NAME.zero (F32 [N]); __metadata__ has "format" ("sa35", "int4", "int3" or
 * "int8"), "NAME.K" and "NAME.N" as strings, and "K" / "N" as well when all
 * weights in the file share one shape. A group-scaled weight (docs/format.md,
 * "Group scaling") has "NAME.group" (G) and NAME.scale, NAME.zero as F16
 * [N, ceil(K / G)]. */

/* Add one quantized weight to a writer (q is borrowed until the write).
 * A file holds one format: adding a weight of another format is an error.
 * The global "K" / "N" are set by the first weight and dropped as soon as a
 * weight of another shape is added. On failure the writer may hold part of
 * the weight: discard it. */
int sa35_qfile_add(sa35_st_writer *w, const char *name,
                   const sa35_qweights *q, sa35_err *err);
/* Names of the quantized weights in a file (those with a NAME.qweight), in
 * file order. *names is one malloc'd block holding the array and the
 * strings: free(*names) releases both (NULL when *count is 0). */
int sa35_qfile_names(const sa35_safetensors *st, const char ***names,
                     int *count, sa35_err *err);
/* Load weight NAME (NULL: the only one; an error if there are several),
 * validating shapes, dtypes and metadata against each other. */
int sa35_qfile_load(const sa35_safetensors *st, const char *name,
                    sa35_qweights *q, sa35_err *err);

/* ---------------------------------------------------- atomic output files */
/* Open "<path>.tmp.XXXXXX" next to path for writing (made with mkstemp,
 * then given mode 0644 as an ordinary output file would have). If SIGINT,
 * SIGTERM or SIGHUP kills the process before commit or abort, the
 * temporary is removed (of must stay where it is until then). An existing
 * path that is neither a regular file nor a directory (/dev/null, a FIFO)
 * is written in place, with no temporary: renaming onto it would replace
 * the device itself. */
typedef struct sa35_outfile {
    FILE *fp;
    char *path;
    char *tmp_path;
} sa35_outfile;

int sa35_outfile_open(sa35_outfile *of, const char *path, sa35_err *err);
/* fwrite all n bytes, or set an error naming path (the caller aborts). */
int sa35_outfile_write(sa35_outfile *of, const void *p, size_t n,
                       sa35_err *err);
/* Flush, fsync-free close and rename onto path. On any failure the temporary
 * is removed and nothing appears at path. */
int sa35_outfile_commit(sa35_outfile *of, sa35_err *err);
/* Close and remove the temporary. Safe to call after commit (no-op). */
void sa35_outfile_abort(sa35_outfile *of);
/* n bytes to path through an sa35_outfile: all of them, or no file. */
int sa35_write_file(const char *path, const void *p, size_t n, sa35_err *err);

/* 1 if a and b are the same file: the same path, or both exist with the
 * same device and inode (a link, "./x" for "x"); 0 otherwise. */
int sa35_same_file(const char *a, const char *b);
/* An output that is one of a command's inputs would overwrite it: -1 with
 * err naming both if sa35_same_file(out, in), else 0. */
int sa35_output_is_input(const char *out, const char *in, sa35_err *err);

/* ---------------------------------------------- atomic output directories */
/* An output directory whose files appear together or not at all. open
 * checks dir (an existing one must be a directory), creates its missing
 * parents and a temporary sibling "<dir>.tmp.XXXXXX"; every file is written
 * there (sa35_outdir_write, or any writer given sa35_outdir_path's path);
 * commit puts them in place: the sibling is renamed onto dir if dir did not
 * exist, else each file is renamed into dir (files of the same name are
 * replaced, others left alone). abort, fail and a failed commit remove the
 * sibling and every directory open created, so a failed run leaves no
 * output directory behind; so does SIGINT, SIGTERM or SIGHUP (od must stay
 * where it is from open to commit or abort). */
typedef struct sa35_outdir {
    char *dir;          /* where the files go                             */
    char *tmp;          /* the temporary sibling                          */
    char *created;      /* scratch; with created_len, the outermost parent */
    size_t created_len; /* open created (0: none)                          */
    int existed;        /* dir was there before open                      */
} sa35_outdir;

int sa35_outdir_open(sa35_outdir *od, const char *dir, sa35_err *err);
/* The path in the temporary for dir/name, into buf. */
int sa35_outdir_path(const sa35_outdir *od, const char *name, char *buf,
                     size_t n, sa35_err *err);
/* n bytes to dir/name (complete in the temporary, or an error). */
int sa35_outdir_write(const sa35_outdir *od, const char *name, const void *p,
                      size_t n, sa35_err *err);
int sa35_outdir_commit(sa35_outdir *od, sa35_err *err);
/* Remove the temporary and the parents open made. Safe after commit. */
void sa35_outdir_abort(sa35_outdir *od);
/* abort, with err's mention of the temporary turned into dir; returns -1. */
int sa35_outdir_fail(sa35_outdir *od, sa35_err *err);

/* mkdir -p: every missing directory on the way to dir. */
int sa35_mkdirs(const char *dir, sa35_err *err);
/* texts[i] to dir/names[i] through an sa35_outdir: all or none. */
int sa35_write_files(const char *dir, const char *const *names,
                     const char *const *texts, int n, sa35_err *err);

/* ------------------------------------------------------------------ JSON
 * The readers' parser (cJSON's tree; link cJSON to use it). */
struct cJSON;
/* A whole NUL-terminated JSON text: NULL with err set for a syntax error
 * ("PATH:LINE: not valid JSON") or a key that appears twice in one object
 * (sa35_json_unique_keys). */
struct cJSON *sa35_json_parse(const char *text, const char *path,
                              sa35_err *err);
/* -1 with err naming path and the key ("array.rows") if any object under
 * root holds a key twice: JSON readers differ on which one counts. */
int sa35_json_unique_keys(const struct cJSON *root, const char *path,
                          sa35_err *err);

/* Read a whole file into memory (for readers). */
int sa35_read_file(const char *path, uint8_t **bytes, size_t *size,
                   sa35_err *err);
/* A whole text file as a NUL-terminated malloc'd string (a NUL byte in it
 * is an error naming the file); NULL on failure. */
char *sa35_read_text(const char *path, sa35_err *err);

#ifdef __cplusplus
}
#endif
#endif /* SA35_IO_H */
