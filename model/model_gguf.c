/* model_gguf.c: a model's shapes from a GGUF file's metadata. The keys are
 * turned into the config.json they stand for and read by sa35_llm_parse,
 * so a GGUF model passes exactly the checks a Hugging Face config does;
 * its messages then name the GGUF keys, not the config.json ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "sa35_io.h"

/* ARCH.<gguf> (docs/gguf.md, "LLM") and the config.json key it stands
 * for; the first four are required, as their config.json keys are. */
static const struct {
    const char *gguf, *hf;
} keys[] = {
    {"embedding_length", "hidden_size"},
    {"feed_forward_length", "intermediate_size"},
    {"block_count", "num_hidden_layers"},
    {"attention.head_count", "num_attention_heads"},
    {"attention.head_count_kv", "num_key_value_heads"},
    {"attention.key_length", "head_dim"},
    {"attention.sliding_window", "sliding_window"},
    {"context_length", "max_position_embeddings"},
};
enum { NKEYS = sizeof keys / sizeof keys[0] };

/* The decoders whose arithmetic sa35's llama-family workload is
 * (llama.cpp files Mistral as llama too); qwen2's q/k/v biases and
 * qwen3's q/k norms are refused, as their config.json model_type is
 * (model_llm.c). */
static const char *const archs[] = {"llama"};

static int arch_of(const sa35_gguf *g, char *arch, size_t size,
                   sa35_err *err)
{
    const sa35_gguf_value *a = sa35_gguf_get(g, "general.architecture");
    if (!a || a->type != SA35_GGUF_STRING)
        return sa35_err_set(err, "%s: general.architecture is %s", g->path,
                            a ? "not a string" : "missing");
    snprintf(arch, size, "%.*s", (int)(a->len < 64 ? a->len : 64), a->str);
    for (size_t i = 0; i < sizeof archs / sizeof *archs; i++)
        if (a->len == strlen(archs[i]) && strcmp(arch, archs[i]) == 0)
            return 0;
    return sa35_err_set(err, "%s: general.architecture '%s' is not "
                        "modelled (llama)", g->path, arch);
}

/* The vocabulary: the tokenizer's token list, ARCH.vocab_size, or the
 * embedding table's rows; 0 if none of them is there. */
static int64_t vocab_of(const sa35_gguf *g, const char *arch)
{
    char key[96];
    snprintf(key, sizeof key, "%s.vocab_size", arch);
    const sa35_gguf_value *v = sa35_gguf_get(g, "tokenizer.ggml.tokens");
    if (v && v->type == SA35_GGUF_ARRAY)
        return v->len <= INT64_MAX ? (int64_t)v->len : INT64_MAX;
    if ((v = sa35_gguf_get(g, key)) && v->is_int)
        return v->i;
    const sa35_gguf_tensor *t = sa35_gguf_find(g, "token_embd.weight");
    return t && t->ndim == 2 ? t->ne[1] : 0;
}

/* The config.json text the metadata stands for; NULL with err set. */
static char *config_of(const sa35_gguf *g, const char *arch, sa35_err *err)
{
    cJSON *js = cJSON_CreateObject();
    for (int i = 0; js && i < NKEYS; i++) {
        char key[96];
        snprintf(key, sizeof key, "%s.%s", arch, keys[i].gguf);
        const sa35_gguf_value *v = sa35_gguf_get(g, key);
        if (!v)
            continue;
        if (!v->is_int) { /* an array per layer, a float, a string */
            sa35_err_set(err, "%s: %s is %s, not an integer", g->path, key,
                         sa35_gguf_type_name(v->type));
            cJSON_Delete(js);
            return NULL;
        }
        cJSON_AddNumberToObject(js, keys[i].hf, v->f);
    }
    int64_t vocab = vocab_of(g, arch);
    if (js && vocab)
        cJSON_AddNumberToObject(js, "vocab_size", (double)vocab);
    /* llama.cpp leaves out output.weight when the head reuses the table */
    if (js)
        cJSON_AddBoolToObject(js, "tie_word_embeddings",
                              sa35_gguf_find(g, "token_embd.weight") &&
                                  !sa35_gguf_find(g, "output.weight"));
    char *text = js ? cJSON_PrintUnformatted(js) : NULL;
    cJSON_Delete(js);
    if (!text)
        sa35_err_set(err, "%s: out of memory", g->path);
    return text;
}

/* config.json key i: keys[i].hf, and vocab_size after them. */
static const char *hf_key(int i)
{
    return i < NKEYS ? keys[i].hf : "vocab_size";
}

/* The GGUF name of config.json key i. */
static void gguf_name(int i, const char *arch, char *buf, size_t size)
{
    if (i < NKEYS)
        snprintf(buf, size, "%s.%s", arch, keys[i].gguf);
    else
        snprintf(buf, size, "the vocabulary (tokenizer.ggml.tokens)");
}

/* sa35_llm_parse's message in GGUF's terms: each config.json key after
 * the file name becomes the GGUF key it was made from. */
static void gguf_terms(sa35_err *err, const char *path, const char *arch)
{
    char out[sizeof err->msg], name[128];
    size_t o = strlen(path), n = strlen(err->msg);
    o = o <= n ? o : 0; /* the leading path is copied as it is */
    memcpy(out, err->msg, o);
    for (const char *p = err->msg + o; *p && o + 1 < sizeof out;) {
        int i = 0;
        while (i <= NKEYS && strncmp(p, hf_key(i), strlen(hf_key(i))))
            i++;
        if (i > NKEYS) {
            out[o++] = *p++;
            continue;
        }
        gguf_name(i, arch, name, sizeof name);
        p += strlen(hf_key(i));
        o += (size_t)snprintf(out + o, sizeof out - o, "%s", name);
        if (o >= sizeof out)
            o = sizeof out - 1;
    }
    out[o] = '\0';
    memcpy(err->msg, out, o + 1);
}

int model_llm_read_gguf(const char *path, sa35_llm *m, sa35_err *err)
{
    sa35_gguf g;
    if (sa35_gguf_open(path, &g, err))
        return -1;
    char arch[72], *text = NULL;
    int rc = arch_of(&g, arch, sizeof arch, err);
    if (!rc && !(text = config_of(&g, arch, err)))
        rc = -1;
    if (!rc && (rc = sa35_llm_parse(text, path, m, err)) != 0)
        gguf_terms(err, path, arch);
    free(text);
    sa35_gguf_close(&g);
    if (rc)
        return -1;
    /* the file's name without .gguf, as a config's without .json */
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    n -= n > 5 && strcmp(b + n - 5, ".gguf") == 0 ? 5 : 0;
    snprintf(m->name, sizeof m->name, "%.*s", (int)n, b);
    return 0;
}
