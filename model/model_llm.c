/* model_llm.c: a Hugging Face style config.json (llama family: Llama 2,
 * Llama 3, Mistral) to the shapes sa35 needs. Keys it does not use are
 * ignored, as Hugging Face's own loader does, unless they change the
 * arithmetic in a way sa35 does not model (experts, latent attention,
 * biases, other architectures): those are refused, never ignored. Keys it
 * uses must be sane. */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "sa35_io.h"

/* Bounds far above any real model; together they can still make absurd
 * products, so the parameter count is checked as well (at most
 * SA35_LLM_PARAMS_MAX, which keeps every count of weights and bytes that
 * follows inside 64 bits). */
#define DIM_MAX (1LL << 20)

static int get_int(const cJSON *js, const char *path, const char *key,
                   int required, int64_t lo, int64_t *out, sa35_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(js, key);
    if (!v || cJSON_IsNull(v)) {
        if (required)
            return sa35_err_set(err, "%s: missing \"%s\"", path, key);
        return 0;
    }
    return model_json_int(v, path, key, lo, DIM_MAX, out, err);
}

/* An optional true/false; *out keeps its value when the key is absent. */
static int get_bool(const cJSON *js, const char *path, const char *key,
                    int *out, sa35_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(js, key);
    if (!v)
        return 0;
    if (!cJSON_IsBool(v))
        return sa35_err_set(err, "%s: %s: must be true or false", path, key);
    *out = cJSON_IsTrue(v);
    return 0;
}

/* One layer's and the model's GEMM weights, checked: hidden x (q + 2 kv)
 * for q, k, v, q x hidden for o, 3 hidden x ffn for the MLP; -1 if a count
 * passes 2^63. */
static int count_params(const sa35_llm *m, int64_t *layer, int64_t *all)
{
    if (m->net_layers) { /* at most 64 x 2^40 */
        int64_t w = 0;
        for (int i = 0; i < m->net_layers; i++)
            w += m->fc[i].in * m->fc[i].out;
        *layer = *all = w;
        return 0;
    }
    int64_t q, kv, qkv, a, b, c, hf, l, emb, t;
    int bad = sa35_mul_i64(m->heads, m->head_dim, &q) ||
              sa35_mul_i64(m->kv_heads, m->head_dim, &kv) ||
              sa35_add_i64(q, kv, &qkv) || sa35_add_i64(qkv, kv, &qkv) ||
              sa35_mul_i64(m->hidden, qkv, &a) ||
              sa35_mul_i64(q, m->hidden, &b) ||
              sa35_mul_i64(m->hidden, m->ffn, &hf) ||
              sa35_mul_i64(hf, 3, &c) || sa35_add_i64(a, b, &l) ||
              sa35_add_i64(l, c, &l) || sa35_mul_i64(m->layers, l, &t) ||
              sa35_mul_i64(m->hidden, m->vocab, &emb) ||
              sa35_add_i64(t, emb, &t);
    if (bad)
        return -1;
    *layer = l, *all = t;
    return 0;
}

/* Keys that, set, make the model something the llama-family workload is
 * not: a run would silently drop their work (Mixtral ran as a dense 7B). */
static const struct unmodelled {
    const char *key;
    const char *what;
} unmodelled[] = {
    {"num_local_experts", "a mixture of experts (Mixtral)"},
    {"n_routed_experts", "a mixture of experts (DeepSeek)"},
    {"num_experts", "a mixture of experts"},
    {"moe_intermediate_size", "a mixture of experts"},
    {"kv_lora_rank", "multi-head latent attention (DeepSeek's MLA)"},
    {"q_lora_rank", "multi-head latent attention (DeepSeek's MLA)"},
    {"layer_types", "per-layer attention kinds"},
    {"sliding_window_pattern", "alternating local and global attention"},
    {"attention_bias", "biases on q, k, v and o"},
    {"mlp_bias", "biases on the MLP's projections"},
};

/* The architectures whose arithmetic the workload is (model_ops.c). */
static const char *const modelled_types[] = {"llama", "mistral"};

static int refuse_unmodelled(const cJSON *js, const char *path, sa35_err *err)
{
    for (size_t i = 0; i < sizeof unmodelled / sizeof *unmodelled; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(js,
                                                          unmodelled[i].key);
        /* absent, null, false or 0 is the plain model */
        if (!v || cJSON_IsNull(v) || cJSON_IsFalse(v) ||
            (cJSON_IsNumber(v) && v->valuedouble == 0))
            continue;
        return sa35_err_set(err, "%s: \"%s\" describes %s, which sa35 does "
                            "not model yet; refused rather than run as a "
                            "dense llama-family model", path,
                            unmodelled[i].key, unmodelled[i].what);
    }
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(js, "model_type");
    if (t) {
        int ok = 0;
        for (size_t i = 0; cJSON_IsString(t) &&
                           i < sizeof modelled_types / sizeof *modelled_types;
             i++)
            ok |= !strcmp(t->valuestring, modelled_types[i]);
        if (!ok)
            return sa35_err_set(err, "%s: model_type %s%s%s is not modelled "
                                "(llama, mistral)", path,
                                cJSON_IsString(t) ? "'" : "",
                                cJSON_IsString(t) ? t->valuestring
                                                  : "(not a string)",
                                cJSON_IsString(t) ? "'" : "");
    }
    return 0;
}

static void base_name(const char *path, char *out, size_t size)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    if (n > 5 && strcmp(b + n - 5, ".json") == 0)
        n -= 5;
    if (n >= size)
        n = size - 1;
    memcpy(out, b, n);
    out[n] = '\0';
}

int sa35_llm_parse(const char *text, const char *path, sa35_llm *m,
                   sa35_err *err)
{
    memset(m, 0, sizeof *m);
    cJSON *js = model_json_parse(text, path, err);
    if (!js)
        return -1;
    int rc = -1;
    base_name(path, m->name, sizeof m->name);
    /* a Hugging Face download is always "config.json": its own name then */
    const cJSON *np = cJSON_GetObjectItemCaseSensitive(js, "_name_or_path");
    if (!strcmp(m->name, "config") && cJSON_IsString(np) &&
        np->valuestring[0])
        base_name(np->valuestring, m->name, sizeof m->name);
    const cJSON *net = cJSON_GetObjectItemCaseSensitive(js, "network");
    if (net) {
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(js, "name");
        if (cJSON_IsString(nm) && nm->valuestring[0])
            snprintf(m->name, sizeof m->name, "%s", nm->valuestring);
        rc = model_net_parse(net, path, m, err);
        goto out;
    }
    if (refuse_unmodelled(js, path, err))
        goto out;
    if (get_int(js, path, "hidden_size", 1, 1, &m->hidden, err) ||
        get_int(js, path, "intermediate_size", 1, 1, &m->ffn, err) ||
        get_int(js, path, "num_hidden_layers", 1, 1, &m->layers, err) ||
        get_int(js, path, "num_attention_heads", 1, 1, &m->heads, err) ||
        get_int(js, path, "vocab_size", 1, 1, &m->vocab, err))
        goto out;
    m->kv_heads = m->heads; /* Hugging Face's default: no grouping */
    m->head_dim = m->hidden / m->heads;
    if (get_int(js, path, "num_key_value_heads", 0, 1, &m->kv_heads, err) ||
        get_int(js, path, "head_dim", 0, 1, &m->head_dim, err) ||
        get_int(js, path, "sliding_window", 0, 1, &m->sliding_window, err) ||
        get_int(js, path, "max_position_embeddings", 0, 1, &m->max_positions,
                err))
        goto out;
    /* Qwen2-style configs carry a window they do not use */
    int use_window = 1;
    if (get_bool(js, path, "use_sliding_window", &use_window, err) ||
        get_bool(js, path, "tie_word_embeddings", &m->tie_embeddings, err))
        goto out;
    if (!use_window)
        m->sliding_window = 0;
    const cJSON *mwl = cJSON_GetObjectItemCaseSensitive(js,
                                                        "max_window_layers");
    if (m->sliding_window && mwl && cJSON_IsNumber(mwl) &&
        mwl->valuedouble < (double)m->layers) {
        sa35_err_set(err, "%s: max_window_layers: a window on only some "
                          "layers is not modelled", path);
        goto out;
    }
    /* "head_dim": null is absent (get_int left hidden / heads) */
    const cJSON *hd = cJSON_GetObjectItemCaseSensitive(js, "head_dim");
    if ((!hd || cJSON_IsNull(hd)) && m->hidden % m->heads) {
        sa35_err_set(err, "%s: hidden_size (%lld) must be a multiple of "
                          "num_attention_heads (%lld) when head_dim is absent "
                          "or null",
                     path, (long long)m->hidden, (long long)m->heads);
        goto out;
    }
    if (m->heads % m->kv_heads) {
        sa35_err_set(err, "%s: num_key_value_heads: must divide "
                          "num_attention_heads (%lld), got %lld",
                     path, (long long)m->heads, (long long)m->kv_heads);
        goto out;
    }
    int64_t layer = 0, all = 0;
    int over = count_params(m, &layer, &all);
    if (over || all > SA35_LLM_PARAMS_MAX) {
        char n[32] = "more than 2^63";
        if (!over)
            snprintf(n, sizeof n, "%lld", (long long)all);
        sa35_err_set(err, "%s: hidden_size, num_attention_heads x head_dim, "
                          "intermediate_size, num_hidden_layers and "
                          "vocab_size make %s GEMM weights; at most 2^50",
                     path, n);
        goto out;
    }
    const cJSON *act = cJSON_GetObjectItemCaseSensitive(js, "hidden_act");
    if (act && (!cJSON_IsString(act) || strcmp(act->valuestring, "silu"))) {
        sa35_err_set(err, "%s: hidden_act: only \"silu\" (the llama "
                          "family's SwiGLU) is modelled",
                     path);
        goto out;
    }
    rc = 0;
out:
    cJSON_Delete(js);
    return rc;
}

int sa35_llm_read(const char *path, sa35_llm *m, sa35_err *err)
{
    if (sa35_is_gguf(path))
        return model_llm_read_gguf(path, m, err);
    char *text = sa35_read_text(path, err);
    if (!text)
        return -1;
    int rc = sa35_llm_parse(text, path, m, err);
    free(text);
    return rc;
}

int64_t sa35_llm_layer_params(const sa35_llm *m)
{
    int64_t l = 0, all = 0;
    count_params(m, &l, &all); /* the reader made sure it fits */
    return l;
}

int64_t sa35_llm_gemm_params(const sa35_llm *m)
{
    int64_t l = 0, all = 0;
    count_params(m, &l, &all);
    return all;
}
