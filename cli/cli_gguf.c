/* cli_gguf.c: the float weights of a GGUF file for the commands that
 * quantize or measure them (cli_load_weights hands a GGUF file here). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"

/* ggml's integer types: buffers, not weights; passed over like a
 * safetensors I32 tensor. */
static int is_int_type(uint32_t t) { return t >= 24 && t <= 27; }

/* A 2-D tensor ne = [K, N] is N rows of K values in the file, as a Hugging
 * Face Linear's [out, in] (llama.cpp's converter keeps the bytes): read
 * as K x N with stride_k = 1, quantized per row of the file. */
static int load_one(const sa35_gguf_tensor *t, cli_weight *w, sa35_err *err)
{
    if (sa35_gguf_tensor_f32(t, &w->data, err))
        return -1;
    int64_t K = t->ne[0], N = t->ne[1];
    w->view = (sa35_fview){w->data, K, N, 1, K};
    w->hf_layout = 1;
    if (!(w->name = strdup(t->name)))
        return sa35_err_set(err, "out of memory for a tensor's name");
    return 0;
}

/* The named tensor, which must be a 2-D tensor sa35 reads. */
static int load_named(const sa35_gguf *g, const char *name, cli_weight *w,
                      sa35_err *err)
{
    const sa35_gguf_tensor *t = sa35_gguf_find(g, name);
    if (!t)
        return sa35_err_set(err, "%s: no tensor '%s'", g->path, name);
    if (t->ndim != 2)
        return sa35_err_set(err, "%s: tensor '%s' is %d-D %s; a weight must "
                            "be a 2-D F32, F16, BF16, Q8_0 or Q4_0 tensor",
                            g->path, name, t->ndim, t->type_name);
    return load_one(t, w, err);
}

int cli_load_gguf_weights(const char *path, char *const *names, int nnames,
                          cli_weight **out, int *count, sa35_err *err)
{
    sa35_gguf g;
    if (sa35_gguf_open(path, &g, err))
        return -1;
    cli_weight *w = calloc((size_t)g.ntensors + (size_t)nnames + 1,
                           sizeof *w);
    int n = 0, rc = w ? 0
                      : sa35_err_set(err, "%s: out of memory for %llu "
                                     "tensors", path,
                                     (unsigned long long)g.ntensors);
    for (int i = 0; !rc && i < nnames; i++)
        rc = load_named(&g, names[i], &w[n++], err);
    /* Every 2-D weight; one of a type sa35 cannot read (Q4_K) stops the
     * run rather than leave a checkpoint silently short of it. */
    for (int i = 0; !rc && nnames == 0 && i < g.ntensors; i++) {
        const sa35_gguf_tensor *t = &g.tensors[i];
        if (t->ndim != 2 || is_int_type(t->type))
            continue;
        if ((rc = load_one(t, &w[n++], err)) && !sa35_gguf_readable(t)) {
            size_t used = strlen(err->msg);
            snprintf(err->msg + used, sizeof err->msg - used,
                     "; name the tensors to quantize with --tensor");
        }
    }
    if (!rc && n == 0)
        rc = sa35_err_set(err, "%s: no 2-D float tensor to quantize", path);
    sa35_gguf_close(&g);
    if (rc) {
        cli_free_weights(w, n);
        return -1;
    }
    *out = w;
    *count = n;
    return 0;
}
