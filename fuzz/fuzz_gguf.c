/* fuzz_gguf.c: the GGUF reader, and the model reader on its metadata.
 * Asserts: every tensor of a file it opens has 1 to 4 dimensions none of
 * them 0, an aligned offset, bytes inside the data section shared with no
 * other tensor, and is found by its name; a readable type dequantizes (an
 * F32 one to its own bytes), any other is refused; every metadata value is
 * found by its key, and each array's first and last elements read while
 * the one past the end does not. */
#include "fuzz_util.h"
#include "sa35_io.h"
#include "sa35_model.h"

static void check_tensor(const sa35_gguf *g, int i)
{
    const sa35_gguf_tensor *t = &g->tensors[i];
    FUZZ_ASSERT(t->ndim >= 1 && t->ndim <= 4);
    for (int d = 0; d < t->ndim; d++)
        FUZZ_ASSERT(t->ne[d] >= 1 && t->shape[t->ndim - 1 - d] == t->ne[d]);
    FUZZ_ASSERT(t->offset % g->alignment == 0);
    FUZZ_ASSERT(t->data == g->bytes + g->data_start + t->offset);
    FUZZ_ASSERT(t->data + t->nbytes <= g->bytes + g->size);
    FUZZ_ASSERT(sa35_gguf_find(g, t->name) == t);
    for (int j = 0; j < i; j++) {
        const sa35_gguf_tensor *u = &g->tensors[j];
        FUZZ_ASSERT(t->data + t->nbytes <= u->data ||
                    u->data + u->nbytes <= t->data);
    }
    float *y = NULL;
    sa35_err err;
    int rc = sa35_gguf_tensor_f32(t, &y, &err);
    FUZZ_ASSERT((rc == 0) == sa35_gguf_readable(t));
    if (rc == 0 && t->type == SA35_GGML_T_F32)
        FUZZ_ASSERT(memcmp(y, t->data, t->nbytes) == 0);
    free(y);
}

static void check_value(const sa35_gguf_value *v)
{
    if (v->type != SA35_GGUF_ARRAY)
        return;
    sa35_gguf_value item;
    if (v->len > 0) {
        FUZZ_ASSERT(sa35_gguf_array_item(v, 0, &item) == 0);
        FUZZ_ASSERT(item.type == v->elem);
        check_value(&item);
        FUZZ_ASSERT(sa35_gguf_array_item(v, v->len - 1, &item) == 0);
    }
    FUZZ_ASSERT(sa35_gguf_array_item(v, v->len, &item) == -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    sa35_gguf g;
    sa35_err err;
    const char *path = fuzz_file("in.gguf", d, n);
    if (sa35_gguf_open(path, &g, &err) != 0)
        return 0;
    FUZZ_ASSERT(g.alignment && (g.alignment & (g.alignment - 1)) == 0);
    FUZZ_ASSERT(g.ntensors == 0 || g.data_start % g.alignment == 0);
    for (int i = 0; i < g.ntensors; i++)
        check_tensor(&g, i);
    for (int i = 0; i < g.nkv; i++) {
        FUZZ_ASSERT(sa35_gguf_get(&g, g.kv[i].key) == &g.kv[i].v);
        check_value(&g.kv[i].v);
    }
    sa35_gguf_close(&g);
    sa35_llm m;
    if (sa35_llm_read(path, &m, &err) == 0)
        FUZZ_ASSERT(m.hidden >= 1 && m.heads >= 1 && m.kv_heads >= 1 &&
                    m.heads % m.kv_heads == 0 && m.vocab >= 1);
    return 0;
}
