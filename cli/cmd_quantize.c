/* cmd_quantize.c: `sa35 quantize IN... -o OUT`: a weight file or a whole
 * checkpoint (one file, several shards, or a Hugging Face index) to SA35.
 * The GEMM weights are quantized, every other tensor passes through with
 * its bytes, so the output is a complete checkpoint (docs/checkpoints.md). */
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_common.h"
#include "commands.h"

static const char usage[] =
    "usage: sa35 quantize IN -o OUT.safetensors [--tensor PATTERN]... "
    "[--keep PATTERN]...\n"
    "                     [--format FMT] [--group G]\n"
    "       sa35 quantize SHARD.safetensors... -o OUTDIR [options]\n"
    "       sa35 quantize model.safetensors.index.json -o OUTDIR [options]\n"
    "\n"
    "Quantize float weights to SA35 (3.5 bits per weight, "
    "docs/format.md); a\n"
    "checkpoint's other tensors pass through (docs/checkpoints.md).\n"
    "\n"
    "IN is one of\n"
    "  a .npy holding one K x N float32 or float16 matrix (K inputs, N "
    "outputs),\n"
    "      stored in OUT as the weight 'weight';\n"
    "  a .safetensors file. A Hugging Face Linear weight is stored\n"
    "      [out, in] = [N, K]; it is read TRANSPOSED, as the K x N matrix\n"
    "      the layer multiplies by, and quantized per output (per row of "
    "the\n      file);\n"
    "  a .gguf file (llama.cpp's; it starts with \"GGUF\"): as a safetensors "
    "file,\n"
    "      its F32, F16, BF16, Q8_0 and Q4_0 tensors dequantized first; "
    "ne = [K, N]\n"
    "      is read as K x N (docs/gguf.md); or\n"
    "  several safetensors shards, or a Hugging Face index "
    "(NAME.index.json:\n"
    "      {\"metadata\": {...}, \"weight_map\": {TENSOR: SHARD}}): OUT is "
    "then a\n"
    "      directory with one output shard per input shard (the same "
    "names),\n"
    "      its own model.safetensors.index.json and, from an index's "
    "directory,\n"
    "      config.json, generation_config.json and the tokenizer's files.\n"
    "\n"
    "Which tensors are quantized: the GEMM weights, 2-D F32/F16/BF16 "
    "tensors named\n"
    "as one (q/k/v/o_proj, gate/up/down_proj and any other *_proj, an "
    "MoE's router\n"
    "or gate, its experts, lm_head; GGUF's attn_*, ffn_*, output); a file "
    "with no\n"
    "such name has every 2-D float tensor quantized. Every other tensor "
    "(embeddings,\n"
    "norms, biases) passes through: same name, dtype and bytes.\n"
    "\n"
    "OUT holds, for each quantized weight NAME:\n"
    "  NAME.qweight  U8  [N, colbytes]  packed codes, one column (output) per "
    "row\n"
    "  NAME.scale    F32 [N]            s[n]\n"
    "  NAME.zero     F32 [N]            z[n]\n"
    "and __metadata__ {\"format\": FMT, \"NAME.K\", \"NAME.N\" (and \"K\", "
    "\"N\" when\nall weights share one shape)}. With --group G the scales "
    "and zeros are F16\n[N, groups], one per group of G k-values of a "
    "column, and \"NAME.group\" is G.\n"
    "\n"
    "options:\n"
    "  -o, --output OUT   the quantized file, or directory for shards "
    "(required)\n"
    "  -t, --tensor PAT   quantize exactly the 2-D float tensors whose "
    "names match\n"
    "                     the fnmatch(3) pattern PAT ('model.layers.*.mlp.*'"
    ";\n"
    "                     repeatable); the others pass through\n"
    "  -k, --keep PAT     pass the tensors matching PAT through unquantized "
    "(wins\n"
    "                     over --tensor; repeatable)\n"
    "  -f, --format FMT   sa35 (default), or a comparison format: int4 "
    "(asymmetric),\n"
    "                     int3 (asymmetric) or int8 (symmetric)\n"
    "  -g, --group G      a binary16 scale and zero per group of G k-values "
    "(a\n"
    "                     multiple of 16; docs/format.md, \"Group "
    "scaling\"); the\n"
    "                     accelerator runs G up to its K tile, 2R (640 on "
    "320x320)\n"
    "                     for sa35 and int4, R for int8\n"
    "\n"
    "A pattern that matches no tensor, NaN or infinite weights (named by "
    "tensor, row\nand column), a tensor in two shards and an index that "
    "lies are errors; OUT is\nnever one of the inputs.\n";

void cmd_quantize_usage(FILE *f) { fputs(usage, f); }

#define INDEX_NAME "model.safetensors.index.json"

/* The GEMM weights by name (docs/checkpoints.md, "Which tensors are
 * quantized"): Hugging Face's and GGUF's names, fnmatch(3) patterns on the
 * whole tensor name. */
static const char *const gemm_names[] = {
    "*_proj.weight",                 /* q/k/v/o, gate/up/down, qkv, ...  */
    "lm_head.weight",
    "*.experts.*.w[123].weight",     /* Mixtral's experts                */
    "*.mlp.gate.weight",             /* an MoE's router                  */
    "*.block_sparse_moe.gate.weight",
    "*.router.weight",
    "blk.*.attn_q.weight", "blk.*.attn_k.weight", "blk.*.attn_v.weight",
    "blk.*.attn_qkv.weight", "blk.*.attn_output.weight",
    "blk.*.ffn_gate.weight", "blk.*.ffn_up.weight", "blk.*.ffn_down.weight",
    "blk.*.ffn_gate_inp.weight", "blk.*.ffn_*_shexp.weight",
    "output.weight",
};

static int is_gemm_name(const char *name)
{
    for (size_t i = 0; i < sizeof gemm_names / sizeof *gemm_names; i++)
        if (fnmatch(gemm_names[i], name, 0) == 0)
            return 1;
    return 0;
}

/* One input file: a safetensors shard, a GGUF file or a .npy matrix. */
typedef struct qsrc {
    const char *path;
    const sa35_safetensors *st;
    sa35_gguf gg;
    int is_gguf;
    sa35_array npy;
    int is_npy;
    char *decide; /* per tensor: 1 quantize, 0 pass through */
} qsrc;

/* What selection needs of a tensor, whatever the file. */
typedef struct tinfo {
    const char *name;
    int ndim;
    const char *type; /* the file's spelling: "F32", "Q8_0" */
    size_t nbytes;
    int floatmat;     /* a 2-D tensor sa35 reads as floats */
} tinfo;

static int src_count(const qsrc *s)
{
    return s->is_npy ? 1 : s->is_gguf ? s->gg.ntensors : s->st->ntensors;
}

static int is_float_st(sa35_dtype dt)
{
    return dt == SA35_DT_F32 || dt == SA35_DT_F16 || dt == SA35_DT_BF16;
}

static tinfo src_info(const qsrc *s, int i)
{
    if (s->is_npy)
        return (tinfo){"weight", s->npy.ndim, sa35_dtype_name(s->npy.dtype),
                       s->npy.nbytes,
                       s->npy.ndim == 2 && is_float_st(s->npy.dtype)};
    if (s->is_gguf) {
        const sa35_gguf_tensor *t = &s->gg.tensors[i];
        return (tinfo){t->name, t->ndim, t->type_name, t->nbytes,
                       t->ndim == 2 && sa35_gguf_readable(t)};
    }
    const sa35_st_tensor *t = &s->st->tensors[i];
    return (tinfo){t->name, t->ndim, t->dtype_name, t->nbytes,
                   t->ndim == 2 && is_float_st(t->dtype)};
}

/* Tensor i of s as a K x N float matrix. */
static int src_weight(const qsrc *s, int i, cli_weight *w, sa35_err *err)
{
    memset(w, 0, sizeof *w);
    if (s->is_npy) {
        if (sa35_array_to_f32(&s->npy, s->path, &w->data, err))
            return -1;
        w->view = (sa35_fview){w->data, s->npy.shape[0], s->npy.shape[1],
                               s->npy.shape[1], 1};
    } else if (s->is_gguf) { /* ne = [K, N]: N rows of K, as [out, in] */
        const sa35_gguf_tensor *t = &s->gg.tensors[i];
        if (sa35_gguf_tensor_f32(t, &w->data, err))
            return -1;
        w->view = (sa35_fview){w->data, t->ne[0], t->ne[1], 1, t->ne[0]};
        w->hf_layout = 1;
    } else {
        return cli_load_st_weight(s->path, &s->st->tensors[i], w, err);
    }
    if (!(w->name = strdup(src_info(s, i).name)))
        return sa35_err_set(err, "out of memory for a tensor's name");
    return 0;
}

/* GGUF types that pass through as their bytes, by safetensors name. */
static const char *gguf_raw_dtype(uint32_t type)
{
    switch (type) {
    case SA35_GGML_T_F32: return "F32";
    case SA35_GGML_T_F16: return "F16";
    case SA35_GGML_T_BF16: return "BF16";
    case 24: return "I8";
    case 25: return "I16";
    case 26: return "I32";
    case 27: return "I64";
    case 28: return "F64";
    default: return NULL;
    }
}

/* 1 if tensor i of s can pass through (safetensors has its dtype, or sa35
 * dequantizes it to F32). */
static int src_passable(const qsrc *s, int i)
{
    if (!s->is_gguf)
        return 1;
    const sa35_gguf_tensor *t = &s->gg.tensors[i];
    return gguf_raw_dtype(t->type) || sa35_gguf_readable(t);
}

/* Pass tensor i of s through into wr; *out its bytes there. */
static int src_pass(const qsrc *s, int i, sa35_st_writer *wr, size_t *out,
                    sa35_err *err)
{
    if (s->is_npy) {
        *out = s->npy.nbytes;
        return sa35_st_writer_add(wr, "weight", s->npy.dtype, s->npy.ndim,
                                  s->npy.shape, s->npy.data, err);
    }
    if (!s->is_gguf) {
        *out = s->st->tensors[i].nbytes;
        return sa35_st_writer_add_tensor(wr, s->st->tensors[i].name,
                                         &s->st->tensors[i], err);
    }
    const sa35_gguf_tensor *g = &s->gg.tensors[i];
    sa35_st_tensor t = {.name = g->name, .ndim = g->ndim, .data = g->data,
                        .nbytes = g->nbytes, .path = g->path};
    memcpy(t.shape, g->shape, sizeof g->shape);
    const char *raw = gguf_raw_dtype(g->type);
    if (!raw) { /* Q8_0, Q4_0: as F32 */
        float *f = NULL;
        size_t n = sizeof *f; /* the reader checked this product fits */
        for (int d = 0; d < g->ndim; d++)
            n *= (size_t)g->ne[d];
        void *buf = NULL;
        if (sa35_gguf_tensor_f32(g, &f, err) ||
            !(buf = sa35_st_writer_scratch(wr, n, err))) {
            free(f);
            return -1;
        }
        memcpy(buf, f, n);
        free(f);
        t.data = buf;
        t.nbytes = n;
        raw = "F32";
    }
    snprintf(t.dtype_name, sizeof t.dtype_name, "%s", raw);
    *out = t.nbytes;
    return sa35_st_writer_add_tensor(wr, g->name, &t, err);
}

typedef struct qopts {
    const char *out;
    char **tensor, **keep; /* patterns */
    int ntensor, nkeep;
    sa35_format fmt;
    int64_t group;
} qopts;

/* Counts per class for the summary. */
typedef struct qsum {
    int count[2];
    uint64_t in[2], out[2]; /* [0] passed through, [1] quantized */
} qsum;

/* Output tensor names and the shard each is in, for the index. */
typedef struct qnames {
    char **name;
    int *shard;
    int n, cap;
} qnames;

static int names_add(qnames *nm, const char *name, const char *suffix,
                     int shard, sa35_err *err)
{
    if (nm->n == nm->cap) {
        int cap = nm->cap ? 2 * nm->cap : 64;
        char **n2 = realloc(nm->name, (size_t)cap * sizeof *n2);
        if (n2)
            nm->name = n2;
        int *s2 = n2 ? realloc(nm->shard, (size_t)cap * sizeof *s2) : NULL;
        if (!s2)
            return sa35_err_set(err, "out of memory for %d tensor names",
                                cap);
        nm->shard = s2;
        nm->cap = cap;
    }
    size_t len = strlen(name) + strlen(suffix) + 1;
    if (!(nm->name[nm->n] = malloc(len)))
        return sa35_err_set(err, "out of memory for a tensor name");
    snprintf(nm->name[nm->n], len, "%s%s", name, suffix);
    nm->shard[nm->n++] = shard;
    return 0;
}

static void names_free(qnames *nm)
{
    for (int i = 0; i < nm->n; i++)
        free(nm->name[i]);
    free(nm->name);
    free(nm->shard);
}

static int any_match(char *const *pat, int n, const char *name, int *hits)
{
    int m = 0;
    for (int p = 0; p < n; p++)
        if (fnmatch(pat[p], name, 0) == 0) {
            hits[p]++;
            m = 1;
        }
    return m;
}

/* Decide every tensor of every source (quantize or pass through) and check
 * the patterns: each must match a tensor (--tensor: one it can quantize). */
static int select_tensors(const qopts *o, qsrc *src, int nsrc,
                          const char *what, sa35_err *err)
{
    int named = 0; /* a 2-D tensor has a GEMM weight's name */
    for (int s = 0; s < nsrc; s++)
        for (int i = 0; i < src_count(&src[s]); i++) {
            tinfo t = src_info(&src[s], i);
            named |= t.ndim == 2 && is_gemm_name(t.name);
        }
    int *hits = calloc((size_t)(2 * o->ntensor + o->nkeep + 1), sizeof *hits);
    /* per --tensor pattern, its first match that cannot be quantized */
    tinfo *nf = calloc((size_t)o->ntensor + 1, sizeof *nf);
    const char **nf_path = calloc((size_t)o->ntensor + 1, sizeof *nf_path);
    int *qhits = hits ? hits + o->ntensor : NULL, rc = 0;
    int *khits = qhits ? qhits + o->ntensor : NULL;
    if (!hits || !nf || !nf_path)
        rc = sa35_err_set(err, "out of memory for the patterns");
    for (int s = 0; !rc && s < nsrc; s++) {
        qsrc *q = &src[s];
        int n = src_count(q);
        if (!(q->decide = calloc((size_t)n + 1, 1))) {
            rc = sa35_err_set(err, "out of memory for %d tensors", n);
            break;
        }
        for (int i = 0; i < n; i++) {
            tinfo t = src_info(q, i);
            int keep = any_match(o->keep, o->nkeep, t.name, khits);
            int sel = o->ntensor ? 0 : named ? is_gemm_name(t.name) : 1;
            for (int p = 0; p < o->ntensor; p++) {
                if (fnmatch(o->tensor[p], t.name, 0) != 0)
                    continue;
                sel = 1;
                hits[p]++;
                if (t.floatmat) {
                    qhits[p]++;
                } else if (!nf_path[p]) {
                    nf_path[p] = q->path;
                    nf[p] = t;
                }
            }
            q->decide[i] = (char)(sel && !keep && t.floatmat);
            if (!q->decide[i] && !src_passable(q, i)) {
                rc = sa35_err_set(err, "%s: tensor '%s' is %s (%d-D), "
                                       "which sa35 can neither read to "
                                       "quantize it nor pass through "
                                       "(safetensors has no such dtype): "
                                       "convert the model to F16, BF16, "
                                       "Q8_0 or Q4_0 first",
                                  q->path, t.name, t.type, t.ndim);
                break;
            }
        }
    }
    for (int p = 0; !rc && p < o->ntensor; p++) {
        if (!hits[p])
            rc = sa35_err_set(err, "%s: no tensor '%s' (no tensor name "
                                   "matches --tensor)",
                              what, o->tensor[p]);
        else if (!qhits[p])
            rc = sa35_err_set(err, "%s: tensor '%s' is %d-D %s; a weight "
                                   "must be a 2-D F32, F16 or BF16 tensor "
                                   "(GGUF: also Q8_0, Q4_0) (--tensor '%s')",
                              nf_path[p], nf[p].name, nf[p].ndim,
                              nf[p].type, o->tensor[p]);
    }
    for (int p = 0; !rc && p < o->nkeep; p++)
        if (!khits[p])
            rc = sa35_err_set(err, "%s: no tensor '%s' (no tensor name "
                                   "matches --keep)",
                              what, o->keep[p]);
    int nq = 0;
    for (int s = 0; !rc && s < nsrc; s++)
        for (int i = 0; i < src_count(&src[s]); i++)
            nq += src[s].decide[i];
    if (!rc && !nq)
        rc = sa35_err_set(err, "%s: no 2-D float tensor to quantize", what);
    if (!rc && !named && !o->ntensor && !(nsrc == 1 && src[0].is_npy))
        printf("no tensor is named as a GEMM weight (docs/checkpoints.md): "
               "every 2-D float tensor is quantized\n");
    free(hits);
    free(nf);
    free(nf_path);
    return rc;
}

/* A quantized weight's bytes in the file: codes, scales and zeros. */
static uint64_t qbytes(const sa35_qweights *q)
{
    size_t per = q->group ? 2 : 4; /* F16 per group, or F32 per column */
    return (uint64_t)q->N * q->colbytes +
           2ull * (uint64_t)q->N * (uint64_t)q->ngroups * per;
}

static int quantize_one(const qopts *o, const qsrc *s, int i,
                        sa35_st_writer *wr, sa35_qweights *q, sa35_err *err)
{
    cli_weight w;
    int rc = src_weight(s, i, &w, err);
    if (!rc)
        rc = cli_check_finite(s->path, &w, err); /* names file, row, col */
    if (!rc && (sa35_quantize_group(&w.view, o->fmt, o->group, q, err) ||
                sa35_qfile_add(wr, w.name, q, err))) {
        char ctx[600];
        snprintf(ctx, sizeof ctx, "%s: tensor '%s'", s->path, w.name);
        rc = sa35_err_prefix(err, ctx);
    }
    if (!rc) {
        sa35_quality qual;
        sa35_quality_measure(&w.view, q, &qual);
        char g[48] = "";
        if (o->group)
            snprintf(g, sizeof g, " in groups of %lld", (long long)o->group);
        printf("%s: K=%lld N=%lld%s -> %s%s, %.4f bits/weight, SQNR %.2f "
               "dB\n",
               w.name, (long long)w.view.K, (long long)w.view.N,
               w.hf_layout ? " (read transposed from [N, K])" : "",
               sa35_format_info(o->fmt)->name, g, qual.bits_per_weight,
               qual.sqnr_db);
    }
    free(w.name);
    free(w.data);
    return rc;
}

/* One output file from one source, to path; its tensors' names (as shard
 * number `shard`) into nm. */
static int write_one(const qopts *o, const qsrc *s, const char *path,
                     int shard, qnames *nm, qsum *sum, sa35_err *err)
{
    int n = src_count(s), rc = 0;
    sa35_st_writer *wr = sa35_st_writer_new();
    sa35_qweights *q = calloc((size_t)n + 1, sizeof *q);
    if (!wr || !q)
        rc = sa35_err_set(err, "%s: out of memory for %d tensors", path, n);
    for (int i = 0; !rc && i < n; i++) {
        tinfo t = src_info(s, i);
        int c = s->decide[i];
        uint64_t out = 0;
        if (c) {
            rc = quantize_one(o, s, i, wr, &q[i], err);
            out = rc ? 0 : qbytes(&q[i]);
            static const char *const suffix[] = {".qweight", ".scale",
                                                 ".zero"};
            for (int k = 0; !rc && k < 3; k++)
                rc = names_add(nm, t.name, suffix[k], shard, err);
        } else {
            size_t b = 0;
            if (src_pass(s, i, wr, &b, err)) {
                char ctx[600];
                snprintf(ctx, sizeof ctx, "%s", s->path);
                rc = sa35_err_prefix(err, ctx);
            }
            out = b;
            if (!rc)
                rc = names_add(nm, t.name, "", shard, err);
        }
        sum->count[c]++;
        sum->in[c] += t.nbytes;
        sum->out[c] += out;
    }
    if (!rc)
        rc = sa35_st_writer_write(wr, path, err);
    for (int i = 0; q && i < n; i++)
        sa35_qweights_free(&q[i]);
    free(q);
    sa35_st_writer_free(wr);
    return rc;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The files of a model's directory that a complete checkpoint keeps
 * beside its weights (copied from an index's directory when present). */
static const char *const side_files[] = {
    "config.json", "generation_config.json", "tokenizer.json",
    "tokenizer_config.json", "tokenizer.model", "special_tokens_map.json",
    "added_tokens.json", "vocab.json", "merges.txt", "chat_template.jinja",
};
#define NSIDE (sizeof side_files / sizeof *side_files)

static void join(char *buf, size_t n, const char *dir, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

/* -1 with err set if the output file out is one of the inputs: a shard,
 * the index (or NULL), or other (or NULL). */
static int onto_input(const char *out, const sa35_ckpt *ck, const char *index,
                      const char *other, sa35_err *err)
{
    for (int t = 0; t < ck->nshards; t++)
        if (sa35_output_is_input(out, ck->shards[t].path, err))
            return -1;
    if ((index && sa35_output_is_input(out, index, err)) ||
        (other && sa35_output_is_input(out, other, err)))
        return -1;
    return 0;
}

/* Every output of the directory run against every input: an output onto
 * an input would destroy it (the same base names make OUTDIR = the
 * shards' directory exactly that). */
static int check_dir_outputs(const qopts *o, const sa35_ckpt *ck,
                             const char *index, sa35_err *err)
{
    char outp[4200], inp[4200];
    for (int s = 0; s < ck->nshards; s++) {
        const char *b = base_name(ck->shards[s].path);
        if (strcmp(b, INDEX_NAME) == 0)
            return sa35_err_set(err, "%s: a shard may not be named %s (the "
                                     "output's index)",
                                ck->shards[s].path, INDEX_NAME);
        for (int t = 0; t < s; t++)
            if (strcmp(b, base_name(ck->shards[t].path)) == 0)
                return sa35_err_set(err, "%s and %s: two shards of one base "
                                         "name cannot go into one output "
                                         "directory",
                                    ck->shards[t].path, ck->shards[s].path);
        join(outp, sizeof outp, o->out, b);
        if (onto_input(outp, ck, index, NULL, err))
            return -1;
    }
    join(outp, sizeof outp, o->out, INDEX_NAME);
    if (onto_input(outp, ck, index, NULL, err))
        return -1;
    for (size_t f = 0; index && f < NSIDE; f++) {
        join(outp, sizeof outp, o->out, side_files[f]);
        join(inp, sizeof inp, ck->index.dir, side_files[f]);
        if (onto_input(outp, ck, index, inp, err))
            return -1;
    }
    return 0;
}

/* Copy the side files of the index's directory that exist into od. */
static int copy_side_files(const sa35_ckpt *ck, const sa35_outdir *od,
                           sa35_err *err)
{
    char inp[4200];
    for (size_t f = 0; ck->has_index && f < NSIDE; f++) {
        join(inp, sizeof inp, ck->index.dir, side_files[f]);
        struct stat sb;
        if (stat(inp, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue; /* not there: nothing to keep */
        uint8_t *bytes = NULL;
        size_t n = 0;
        int rc = sa35_read_file(inp, &bytes, &n, err) ||
                 sa35_outdir_write(od, side_files[f], bytes, n, err);
        free(bytes);
        if (rc)
            return -1;
        printf("copied %s\n", side_files[f]);
    }
    return 0;
}

static void print_summary(const qsum *sum)
{
    static const char *const what[2] = {"passed through", "quantized GEMM "
                                                          "weights"};
    for (int c = 1; c >= 0; c--)
        printf("%-24s %5d tensor%s, %llu bytes in, %llu bytes out\n",
               what[c], sum->count[c], sum->count[c] == 1 ? " " : "s",
               (unsigned long long)sum->in[c],
               (unsigned long long)sum->out[c]);
}

/* Several shards or an index into the directory o->out. */
static int quantize_dir(const qopts *o, char *const *in, int nin,
                        sa35_err *err)
{
    const int indexed = nin == 1 && sa35_is_hf_index(in[0]);
    for (int i = 0; !indexed && i < nin; i++)
        if (cli_is_npy(in[i]) || sa35_is_gguf(in[i]) ||
            sa35_is_hf_index(in[i]))
            return sa35_err_set(err, "%s: several inputs must all be "
                                     "safetensors shards (one index, .npy or "
                                     "GGUF file goes alone)",
                                in[i]);
    sa35_ckpt ck;
    if (indexed ? sa35_ckpt_open_index(in[0], &ck, err)
                : sa35_ckpt_open_shards((const char *const *)in, nin, &ck,
                                        err))
        return -1;
    const char *what = indexed ? in[0] : "the shards";
    qsrc *src = calloc((size_t)ck.nshards, sizeof *src);
    qnames nm = {0};
    qsum sum = {{0, 0}, {0, 0}, {0, 0}};
    sa35_outdir od = {0};
    int rc = src ? 0 : sa35_err_set(err, "out of memory for the shards");
    for (int s = 0; !rc && s < ck.nshards; s++)
        src[s] = (qsrc){.path = ck.shards[s].path, .st = &ck.shards[s]};
    if (!rc)
        rc = check_dir_outputs(o, &ck, indexed ? in[0] : NULL, err);
    if (!rc)
        rc = select_tensors(o, src, ck.nshards, what, err);
    int opened = !rc && sa35_outdir_open(&od, o->out, err) == 0;
    if (!rc && !opened)
        rc = -1;
    const char **bases = calloc((size_t)ck.nshards, sizeof *bases);
    if (!rc && !bases)
        rc = sa35_err_set(err, "out of memory for the shards");
    for (int s = 0; !rc && s < ck.nshards; s++) {
        char path[4200];
        bases[s] = base_name(ck.shards[s].path);
        rc = sa35_outdir_path(&od, bases[s], path, sizeof path, err) ||
             write_one(o, &src[s], path, s, &nm, &sum, err);
    }
    char *text = NULL;
    if (!rc && !(text = sa35_hf_index_format(
                     ck.has_index ? ck.index.metadata : NULL,
                     sum.out[0] + sum.out[1],
                     (const char *const *)nm.name, nm.shard, nm.n, bases,
                     err)))
        rc = -1;
    if (!rc)
        rc = sa35_outdir_write(&od, INDEX_NAME, text, strlen(text), err) ||
             copy_side_files(&ck, &od, err);
    free(text);
    if (!rc)
        rc = sa35_outdir_commit(&od, err);
    else if (opened)
        sa35_outdir_fail(&od, err);
    if (!rc) {
        print_summary(&sum);
        printf("wrote %s/ (%d shard%s and %s)\n", o->out, ck.nshards,
               ck.nshards == 1 ? "" : "s", INDEX_NAME);
    }
    free(bases);
    names_free(&nm);
    for (int s = 0; src && s < ck.nshards; s++)
        free(src[s].decide);
    free(src);
    sa35_ckpt_close(&ck);
    return rc;
}

/* One .npy, safetensors or GGUF file into the file o->out. */
static int quantize_file(const qopts *o, const char *in, sa35_err *err)
{
    /* before any reading: OUT onto IN would replace the float weights */
    if (sa35_output_is_input(o->out, in, err))
        return -1;
    struct stat sb;
    if (stat(o->out, &sb) == 0 && S_ISDIR(sb.st_mode))
        return sa35_err_set(err, "%s: is a directory; one input file gives "
                                 "one output file (-o OUT.safetensors), "
                                 "shards or an index a directory",
                            o->out);
    qsrc s = {.path = in};
    sa35_safetensors st = {0};
    int rc;
    if ((s.is_npy = cli_is_npy(in)))
        rc = sa35_npy_read(in, &s.npy, err);
    else if ((s.is_gguf = sa35_is_gguf(in)))
        rc = sa35_gguf_open(in, &s.gg, err);
    else
        rc = sa35_st_open(in, &st, err);
    s.st = &st;
    int opened = rc == 0;
    if (!rc && s.is_npy && s.npy.ndim != 2)
        rc = sa35_err_set(err, "%s: weight must be 2-D (K x N), got %d-D", in,
                          s.npy.ndim);
    qnames nm = {0};
    qsum sum = {{0, 0}, {0, 0}, {0, 0}};
    if (!rc)
        rc = select_tensors(o, &s, 1, in, err);
    if (!rc)
        rc = write_one(o, &s, o->out, 0, &nm, &sum, err);
    if (!rc) {
        print_summary(&sum);
        printf("wrote %s (%d weight%s)\n", o->out, sum.count[1],
               sum.count[1] == 1 ? "" : "s");
    }
    names_free(&nm);
    free(s.decide);
    if (opened && s.is_npy)
        sa35_array_free(&s.npy);
    else if (opened && s.is_gguf)
        sa35_gguf_close(&s.gg);
    else if (opened)
        sa35_st_close(&st);
    return rc;
}

int cmd_quantize(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"tensor", required_argument, NULL, 't'},
        {"keep", required_argument, NULL, 'k'},
        {"format", required_argument, NULL, 'f'},
        {"group", required_argument, NULL, 'g'},
        {NULL, 0, NULL, 0},
    };
    qopts o = {.fmt = SA35_FMT_SA35};
    char **pats = calloc(2 * (size_t)argc + 1, sizeof *pats);
    int c, rc = 0;
    if (!pats)
        return cli_failf("quantize", "out of memory for %d patterns", argc);
    o.tensor = pats;
    o.keep = pats + argc;
    while (!rc && (c = getopt_long(argc, argv, "o:t:k:f:g:", opts, NULL)) !=
                      -1) {
        switch (c) {
        case 'o': o.out = optarg; break;
        case 't': o.tensor[o.ntensor++] = optarg; break;
        case 'k': o.keep[o.nkeep++] = optarg; break;
        case 'f':
            if (sa35_format_from_name(optarg, &o.fmt))
                rc = cli_failf("quantize", "unknown --format '%s' (sa35, "
                                           "int4, int3, int8)",
                               optarg);
            break;
        case 'g':
            rc = cli_parse_positive("quantize", "--group", optarg, &o.group);
            break;
        default: rc = cli_failf("quantize", "bad option (see --help)");
        }
    }
    if (!rc && (optind >= argc || !o.out))
        rc = cli_failf("quantize", "expected IN and -o OUT (see --help)");
    sa35_err err;
    if (!rc && o.group && sa35_group_check(o.fmt, o.group, &err))
        rc = cli_fail("quantize", &err);
    if (!rc) {
        int nin = argc - optind;
        if (nin > 1 || sa35_is_hf_index(argv[optind]))
            rc = quantize_dir(&o, argv + optind, nin, &err);
        else
            rc = quantize_file(&o, argv[optind], &err);
        rc = rc ? cli_fail("quantize", &err) : 0;
    }
    free(pats);
    return rc;
}
