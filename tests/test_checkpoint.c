/* test_checkpoint.c: `sa35 quantize` on whole checkpoints: a tiny sharded
 * Llama in Hugging Face's layout and names (two shards and
 * model.safetensors.index.json, F32/F16/BF16), quantized from the index and
 * from the shard list; a GGUF file; glob patterns; and every way an index
 * can lie, each a one-line error naming the file and the key, with no
 * output left behind (docs/checkpoints.md). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sa35_cmodel.h"
#include "sa35_io.h"
#include "cli_test_util.h"
#include "gguf_writer.h"
#include "test_util.h"

#define H 32   /* hidden size */
#define F 48   /* intermediate size */
#define V 64   /* vocabulary */
#define LAYERS 2

static const char *const shard_name[2] = {"model-00001-of-00002.safetensors",
                                          "model-00002-of-00002.safetensors"};

/* One tensor of the tiny model: name, dtype, shape, shard, GEMM or not. */
typedef struct ttensor {
    char name[128];
    sa35_dtype dt;
    int ndim;
    int64_t shape[2];
    int shard;
    int gemm;
    void *data;
    size_t nbytes;
} ttensor;

static ttensor model[64];
static int nmodel;

static void add(const char *name, sa35_dtype dt, int64_t rows, int64_t cols,
                int shard, int gemm, uint64_t *seed)
{
    ttensor *t = &model[nmodel++];
    snprintf(t->name, sizeof t->name, "%s", name);
    t->dt = dt;
    t->ndim = cols ? 2 : 1;
    t->shape[0] = rows;
    t->shape[1] = cols;
    t->shard = shard;
    t->gemm = gemm;
    size_t n = (size_t)rows * (size_t)(cols ? cols : 1);
    t->nbytes = n * sa35_dtype_size(dt);
    t->data = malloc(t->nbytes);
    for (size_t i = 0; i < n; i++) {
        float v = 0.5f * test_rand_normal(seed);
        if (dt == SA35_DT_F32) {
            ((float *)t->data)[i] = v;
        } else if (dt == SA35_DT_F16) {
            ((uint16_t *)t->data)[i] = sa35_f32_to_f16(v);
        } else { /* BF16: the top half of the float's bits */
            uint32_t b;
            memcpy(&b, &v, 4);
            ((uint16_t *)t->data)[i] = (uint16_t)(b >> 16);
        }
    }
}

/* The model, its I64 buffer (a dtype sa35 does not read, passed through by
 * its bytes) and the two shards, the index and config.json into dir. */
static void write_model(const char *dir)
{
    static const int64_t ids[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    uint64_t seed = 42;
    char name[120];
    nmodel = 0;
    add("model.embed_tokens.weight", SA35_DT_BF16, V, H, 0, 0, &seed);
    for (int l = 0; l < LAYERS; l++) {
        static const char *const attn[4] = {"q_proj", "k_proj", "v_proj",
                                            "o_proj"};
        static const sa35_dtype dts[3] = {SA35_DT_F32, SA35_DT_F16,
                                          SA35_DT_BF16};
        int s = l; /* layer l in shard l */
        snprintf(name, sizeof name, "model.layers.%d.input_layernorm.weight",
                 l);
        add(name, SA35_DT_F32, H, 0, s, 0, &seed);
        for (int i = 0; i < 4; i++) {
            snprintf(name, sizeof name, "model.layers.%d.self_attn.%s.weight",
                     l, attn[i]);
            add(name, dts[(i + l) % 3], H, H, s, 1, &seed);
        }
        snprintf(name, sizeof name,
                 "model.layers.%d.post_attention_layernorm.weight", l);
        add(name, SA35_DT_F16, H, 0, s, 0, &seed);
        snprintf(name, sizeof name, "model.layers.%d.mlp.gate_proj.weight", l);
        add(name, dts[l % 3], F, H, s, 1, &seed);
        snprintf(name, sizeof name, "model.layers.%d.mlp.up_proj.weight", l);
        add(name, dts[(l + 1) % 3], F, H, s, 1, &seed);
        snprintf(name, sizeof name, "model.layers.%d.mlp.down_proj.weight", l);
        add(name, dts[(l + 2) % 3], H, F, s, 1, &seed);
    }
    add("model.norm.weight", SA35_DT_BF16, H, 0, 1, 0, &seed);
    add("lm_head.weight", SA35_DT_F32, V, H, 1, 1, &seed);

    char path[600];
    snprintf(path, sizeof path, "mkdir -p '%s'", path_of(dir));
    CHECK(system(path) == 0);
    sa35_err err;
    for (int s = 0; s < 2; s++) {
        sa35_st_writer *w = sa35_st_writer_new();
        CHECK(sa35_st_writer_meta(w, "format", "pt", &err) == 0);
        for (int i = 0; i < nmodel; i++)
            if (model[i].shard == s)
                CHECK(sa35_st_writer_add(w, model[i].name, model[i].dt,
                                         model[i].ndim, model[i].shape,
                                         model[i].data, &err) == 0);
        if (s == 0) {
            sa35_st_tensor t = {.dtype_name = "I64", .ndim = 1,
                                .shape = {8}, .data = (const void *)ids,
                                .nbytes = sizeof ids};
            CHECK(sa35_st_writer_add_tensor(w, "model.position_ids", &t,
                                            &err) == 0);
        }
        snprintf(path, sizeof path, "%s/%s", dir, shard_name[s]);
        CHECK_MSG(sa35_st_writer_write(w, path_of(path), &err) == 0, "%s",
                  err.msg);
        sa35_st_writer_free(w);
    }
    /* the index, as transformers writes it */
    cJSON *root = cJSON_CreateObject(), *meta = cJSON_CreateObject(),
          *map = cJSON_CreateObject();
    cJSON_AddNumberToObject(meta, "total_size", 12345);
    for (int i = 0; i < nmodel; i++)
        cJSON_AddStringToObject(map, model[i].name,
                                shard_name[model[i].shard]);
    cJSON_AddStringToObject(map, "model.position_ids", shard_name[0]);
    cJSON_AddItemToObject(root, "metadata", meta);
    cJSON_AddItemToObject(root, "weight_map", map);
    char *text = cJSON_Print(root);
    snprintf(path, sizeof path, "%s/model.safetensors.index.json", dir);
    write_bytes(path, text, strlen(text));
    free(text);
    cJSON_Delete(root);
    static const char config[] =
        "{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": "
        "\"llama\", \"hidden_act\": \"silu\", \"hidden_size\": 32, "
        "\"intermediate_size\": 48, \"num_hidden_layers\": 2, "
        "\"num_attention_heads\": 2, \"num_key_value_heads\": 2, "
        "\"vocab_size\": 64, \"max_position_embeddings\": 128, "
        "\"rms_norm_eps\": 1e-05, \"tie_word_embeddings\": false}\n";
    snprintf(path, sizeof path, "%s/config.json", dir);
    write_bytes(path, config, strlen(config));
}

static void free_model(void)
{
    for (int i = 0; i < nmodel; i++)
        free(model[i].data);
    nmodel = 0;
}

static int open_st(const char *name, sa35_safetensors *st)
{
    sa35_err err;
    int rc = sa35_st_open(path_of(name), st, &err);
    CHECK_MSG(rc == 0, "%s", err.msg);
    return rc;
}

/* Tensor name of a and b hold the same dtype, shape and bytes. */
static int same_tensor(const sa35_safetensors *a, const sa35_safetensors *b,
                       const char *name)
{
    const sa35_st_tensor *x = sa35_st_find(a, name), *y = sa35_st_find(b, name);
    return x && y && strcmp(x->dtype_name, y->dtype_name) == 0 &&
           x->ndim == y->ndim &&
           memcmp(x->shape, y->shape, sizeof x->shape[0] * (size_t)x->ndim) ==
               0 &&
           x->nbytes == y->nbytes && memcmp(x->data, y->data, x->nbytes) == 0;
}

/* Every tensor of the input in out (a directory of shards): passed-through
 * ones byte for byte, GEMM weights as the single-file quantization of that
 * tensor (and lm_head as the library's own); the index maps every output
 * tensor to its shard and nothing else. `quantized(i)` says which. */
static void check_output(const char *out, const int *quantized)
{
    char a[300], b[300];
    sa35_safetensors in[2], outs[2];
    for (int s = 0; s < 2; s++) {
        snprintf(a, sizeof a, "ck/%s", shard_name[s]);
        snprintf(b, sizeof b, "%s/%s", out, shard_name[s]);
        open_st(a, &in[s]);
        open_st(b, &outs[s]);
    }
    CHECK(same_tensor(&in[0], &outs[0], "model.position_ids"));
    int mapped_want = 1;
    for (int i = 0; i < nmodel; i++) {
        const ttensor *t = &model[i];
        const sa35_safetensors *o = &outs[t->shard];
        if (!quantized[i]) {
            CHECK_MSG(same_tensor(&in[t->shard], o, t->name), "%s passed "
                      "through changed", t->name);
            mapped_want++;
            continue;
        }
        mapped_want += 3;
        CHECK_MSG(sa35_st_find(o, t->name) == NULL, "%s", t->name);
        /* the single-file quantization of this tensor */
        char cmd[600];
        snprintf(cmd, sizeof cmd, "quantize ck/%s -o single.safetensors "
                 "--tensor %.120s", shard_name[t->shard], t->name);
        CHECK(run(cmd) == 0);
        sa35_safetensors one;
        if (open_st("single.safetensors", &one))
            continue;
        static const char *const suf[3] = {".qweight", ".scale", ".zero"};
        for (int k = 0; k < 3; k++) {
            char n[160];
            snprintf(n, sizeof n, "%.120s%s", t->name, suf[k]);
            CHECK_MSG(same_tensor(&one, o, n), "%s differs from the "
                      "single-file quantization", n);
        }
        sa35_st_close(&one);
    }
    /* lm_head (F32) against the library, not only the command */
    sa35_qweights q, ref;
    sa35_err err;
    const ttensor *lm = &model[nmodel - 1];
    sa35_fview v = {lm->data, H, V, 1, H};
    int lm_q = quantized[nmodel - 1];
    CHECK(!lm_q ||
          sa35_qfile_load(&outs[1], "lm_head.weight", &q, &err) == 0);
    CHECK(!lm_q || sa35_quantize(&v, SA35_FMT_SA35, &ref, &err) == 0);
    CHECK(!lm_q || (q.K == H && q.N == V &&
          memcmp(q.qweight, ref.qweight, (size_t)V * q.colbytes) == 0 &&
          memcmp(q.scale, ref.scale, sizeof(float) * V) == 0 &&
          memcmp(q.zero, ref.zero, sizeof(float) * V) == 0));
    if (lm_q) {
        sa35_qweights_free(&q);
        sa35_qweights_free(&ref);
    }

    /* the index: every tensor of every output shard, in its shard */
    snprintf(a, sizeof a, "%s/model.safetensors.index.json", out);
    char *text = sa35_read_text(path_of(a), &err);
    sa35_hf_index ix;
    CHECK(text && sa35_hf_index_parse(text, a, &ix, &err) == 0);
    free(text);
    CHECK_MSG(ix.ntensors == mapped_want, "%d mapped, %d wanted",
              ix.ntensors, mapped_want);
    int found = 0;
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < outs[s].ntensors; i++)
            for (int t = 0; t < ix.ntensors; t++)
                if (!strcmp(ix.tensors[t], outs[s].tensors[i].name)) {
                    CHECK(!strcmp(ix.shards[ix.shard_of[t]], shard_name[s]));
                    found++;
                }
    CHECK(found == mapped_want);
    /* total_size: the output's tensor bytes, not the input's */
    uint64_t total = 0;
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < outs[s].ntensors; i++)
            total += outs[s].tensors[i].nbytes;
    const cJSON *ts = cJSON_GetObjectItem(ix.metadata, "total_size");
    CHECK(ts && (uint64_t)ts->valuedouble == total);
    sa35_hf_index_free(&ix);
    for (int s = 0; s < 2; s++) {
        sa35_st_close(&in[s]);
        sa35_st_close(&outs[s]);
    }
}

/* The count on the summary line of class `what` in the command's output. */
static int summary_count(const char *out, const char *what)
{
    const char *p = strstr(out, what);
    int n = -1;
    if (!p || sscanf(p + strlen(what), "%d tensor", &n) != 1)
        return -1;
    return n;
}

static void test_sharded(void)
{
    write_model("ck");
    int q[64];
    for (int i = 0; i < nmodel; i++)
        q[i] = model[i].gemm;
    CHECK(run("quantize ck/model.safetensors.index.json -o out") == 0);
    const char *o = slurp("out.txt");
    CHECK_MSG(summary_count(o, "quantized GEMM weights") == 15, "%s", o);
    CHECK_MSG(summary_count(o, "passed through") == 7, "%s", o);
    check_output("out", q);
    CHECK(same_files("ck/config.json", "out/config.json"));

    /* the shard list gives the same shards (and an index of its own) */
    CHECK(run("quantize ck/model-00001-of-00002.safetensors "
              "ck/model-00002-of-00002.safetensors -o out2") == 0);
    for (int s = 0; s < 2; s++) {
        char a[200], b[200];
        snprintf(a, sizeof a, "out/%s", shard_name[s]);
        snprintf(b, sizeof b, "out2/%s", shard_name[s]);
        CHECK_MSG(same_files(a, b), "%s", b);
    }
    CHECK(exists("out2/model.safetensors.index.json") &&
          !exists("out2/config.json"));

    /* sa35 gemm on a weight of the output, sa35 model on its config */
    float x[3 * F];
    uint64_t seed = 9;
    for (int i = 0; i < 3 * F; i++)
        x[i] = test_rand_normal(&seed);
    write_f32("x.npy", 2, (int64_t[]){3, F}, x);
    CHECK(run("gemm out/model-00002-of-00002.safetensors x.npy -o y.npy "
              "--tensor model.layers.1.mlp.down_proj.weight") == 0);
    CHECK(run("quantize ck/model-00002-of-00002.safetensors -o d.safetensors "
              "--tensor model.layers.1.mlp.down_proj.weight") == 0);
    CHECK(run("gemm d.safetensors x.npy -o y1.npy") == 0);
    CHECK(same_files("y.npy", "y1.npy"));
    /* or through the output's index, which finds the shard */
    CHECK(run("gemm out/model.safetensors.index.json x.npy -o y2.npy "
              "--tensor model.layers.1.mlp.down_proj.weight") == 0);
    CHECK(same_files("y.npy", "y2.npy"));
    EXPECT_FAIL("gemm out/model.safetensors.index.json x.npy -o y3.npy",
                "y3.npy", "out/model.safetensors.index.json", "--tensor");
    EXPECT_FAIL("gemm out/model.safetensors.index.json x.npy -o y3.npy "
                "--tensor model.norm.weight",
                "y3.npy", "no quantized weight 'model.norm.weight'");
    /* the shard it finds is an input: -o onto it is refused */
    CHECK(run("gemm out/model.safetensors.index.json x.npy "
              "-o out/model-00002-of-00002.safetensors "
              "--tensor model.layers.1.mlp.down_proj.weight") == 1);
    CHECK(strstr(slurp("err.txt"), "the output is the input"));
    CHECK(same_files("out/model-00002-of-00002.safetensors",
                     "out2/model-00002-of-00002.safetensors"));
    sa35_array y;
    read_npy("y.npy", &y);
    CHECK(y.ndim == 2 && y.shape[0] == 3 && y.shape[1] == H);
    sa35_array_free(&y);
    CHECK_MSG(run("model out/config.json --system hbm1 --out mdl") == 0, "%s",
              slurp("err.txt"));

    /* globs: the MLP only; --keep wins */
    CHECK(run("quantize ck/model.safetensors.index.json -o mlp "
              "--tensor 'model.layers.*.mlp.*' --keep '*.1.mlp.up_proj.*'") ==
          0);
    for (int i = 0; i < nmodel; i++)
        q[i] = strstr(model[i].name, ".mlp.") &&
               !strstr(model[i].name, "1.mlp.up_proj");
    check_output("mlp", q);
    EXPECT_FAIL("quantize ck/model.safetensors.index.json -o bad "
                "--tensor 'model.layers.*.mlp.*' --tensor 'nothing.*'",
                "bad", "ck/model.safetensors.index.json", "'nothing.*'",
                "--tensor");
    EXPECT_FAIL("quantize ck/model.safetensors.index.json -o bad "
                "--keep 'model.layers.9.*'",
                "bad", "'model.layers.9.*'", "--keep");
    EXPECT_FAIL("quantize ck/model.safetensors.index.json -o bad "
                "--tensor 'model.norm.*'",
                "bad", "model.norm.weight", "1-D");
    /* the tensor named is the one of the pattern that failed */
    EXPECT_FAIL("quantize ck/model.safetensors.index.json -o bad "
                "--tensor 'model.layers.*' --tensor 'model.norm.weight'",
                "bad", "tensor 'model.norm.weight' is 1-D BF16",
                "(--tensor 'model.norm.weight')");

    /* one file gives one file, not a directory */
    CHECK(system("mkdir -p \"$SA35_TMP/adir\"") == 0);
    CHECK(run("quantize ck/model-00002-of-00002.safetensors -o adir") == 1);
    CHECK(strstr(slurp("err.txt"), "adir: is a directory"));

    /* the output is never an input: -o onto the checkpoint's own directory
     * is refused before anything is written, and the inputs are kept */
    CHECK(run("quantize ck/model.safetensors.index.json -o ck") == 1);
    CHECK(strstr(slurp("err.txt"), "the output is the input"));
    CHECK(run("quantize ck/model-00001-of-00002.safetensors "
              "ck/model-00002-of-00002.safetensors -o ./ck/") == 1);
    CHECK(strstr(slurp("err.txt"), "the output is the input"));
    for (int s = 0; s < 2; s++) {
        char a[200];
        snprintf(a, sizeof a, "ck/%s", shard_name[s]);
        sa35_safetensors st;
        if (open_st(a, &st) == 0) {
            CHECK(sa35_st_find(&st, "lm_head.weight.qweight") == NULL &&
                  st.ntensors > 0 &&
                  sa35_st_find(&st, s ? "lm_head.weight"
                                      : "model.embed_tokens.weight"));
            sa35_st_close(&st);
        }
    }
}

/* A copy of ck/ with the index text replaced, for the lies below. */
static void bad_index(const char *dir, const char *json)
{
    char cmd[600], p[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -r '%s' '%s'", path_of(dir),
             path_of("ck"), path_of(dir));
    CHECK(system(cmd) == 0);
    snprintf(p, sizeof p, "%s/model.safetensors.index.json", dir);
    write_bytes(p, json, strlen(json));
}

static void test_bad_index(void)
{
    const char *s1 = "model-00001-of-00002.safetensors";
    char json[4096];
    struct {
        const char *body; /* the weight_map's entries past the first */
        const char *want[2];
    } cases[] = {
        {"\"lm_head.weight\": \"S2\", \"lm_head.weight\": \"S2\"",
         {"\"weight_map.lm_head.weight\" appears twice", NULL}},
        {"\"lm_head.weight\": \"../S2\"",
         {"weight_map.lm_head.weight", "escapes the index's directory"}},
        {"\"lm_head.weight\": \"/tmp/S2\"",
         {"weight_map.lm_head.weight", "absolute"}},
        {"\"lm_head.weight\": \"gone.safetensors\"",
         {"weight_map.lm_head.weight\": shard 'gone.safetensors'",
          "cannot open"}},
        {"\"lm_head.weight\": 7", {"weight_map.lm_head.weight", "string"}},
        {"\"lm_head.weight\": \"S1\"",
         {"weight_map.lm_head.weight\" puts it in", "but it is in"}},
        {"\"model.gone.weight\": \"S2\"",
         {"weight_map.model.gone.weight", "has no such tensor"}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        /* every tensor mapped right, then the case's entries */
        size_t n = (size_t)snprintf(json, sizeof json,
                                    "{\"metadata\": {}, \"weight_map\": {"
                                    "\"model.position_ids\": \"%s\"", s1);
        for (int i = 0; i < nmodel; i++)
            if (strcmp(model[i].name, "lm_head.weight") ||
                strstr(cases[c].body, "model.gone"))
                n += (size_t)snprintf(json + n, sizeof json - n,
                                      ", \"%s\": \"%s\"", model[i].name,
                                      shard_name[model[i].shard]);
        char body[400];
        snprintf(body, sizeof body, "%s", cases[c].body);
        /* S1, S2: the shards' names */
        for (char *p; (p = strstr(body, "S1")) || (p = strstr(body, "S2"));) {
            char rest[400];
            snprintf(rest, sizeof rest, "%s", p + 2);
            snprintf(p, sizeof body - (size_t)(p - body), "%s%s",
                     shard_name[p[1] - '1'], rest);
        }
        n += (size_t)snprintf(json + n, sizeof json - n, ", %s}}", body);
        bad_index("bi", json);
        EXPECT_FAIL("quantize bi/model.safetensors.index.json -o bo", "bo",
                    "bi/model.safetensors.index.json",
                    cases[c].want[0], cases[c].want[1] ? cases[c].want[1]
                                                       : cases[c].want[0]);
    }
    /* a tensor of a shard that the weight_map does not list */
    size_t n = (size_t)snprintf(json, sizeof json, "{\"weight_map\": {");
    for (int i = 0; i < nmodel; i++)
        n += (size_t)snprintf(json + n, sizeof json - n, "%s\"%s\": \"%s\"",
                              i ? ", " : "", model[i].name,
                              shard_name[model[i].shard]);
    snprintf(json + n, sizeof json - n, "}}");
    bad_index("bi", json);
    EXPECT_FAIL("quantize bi/model.safetensors.index.json -o bo", "bo",
                "bi/model-00001-of-00002.safetensors: tensor "
                "'model.position_ids' is not in",
                "\"weight_map\"");
    /* not an index at all */
    bad_index("bi", "{\"metadata\": {}}");
    EXPECT_FAIL("quantize bi/model.safetensors.index.json -o bo", "bo",
                "bi/model.safetensors.index.json", "no key \"weight_map\"");
    bad_index("bi", "[1, 2]");
    EXPECT_FAIL("quantize bi/model.safetensors.index.json -o bo", "bo",
                "not a JSON object");
    bad_index("bi", "{\"weight_map\": {\"a\": \"x.safetensors\",");
    EXPECT_FAIL("quantize bi/model.safetensors.index.json -o bo", "bo",
                "bi/model.safetensors.index.json:1: not valid JSON");

    /* a tensor in two shards, given as a list */
    sa35_st_writer *w = sa35_st_writer_new();
    sa35_err err;
    const ttensor *lm = &model[nmodel - 1];
    CHECK(sa35_st_writer_add(w, lm->name, lm->dt, 2, lm->shape, lm->data,
                             &err) == 0);
    CHECK(sa35_st_writer_write(w, path_of("extra.safetensors"), &err) == 0);
    sa35_st_writer_free(w);
    EXPECT_FAIL("quantize ck/model-00002-of-00002.safetensors "
                "extra.safetensors -o bo",
                "bo", "extra.safetensors: tensor 'lm_head.weight' is also in "
                "ck/model-00002-of-00002.safetensors");
    EXPECT_FAIL("quantize ck/model-00002-of-00002.safetensors "
                "./ck/model-00002-of-00002.safetensors -o bo",
                "bo", "one file");
    EXPECT_FAIL("quantize ck/model-00002-of-00002.safetensors x.npy -o bo",
                "bo", "x.npy", "safetensors shards");

    /* a NaN in the second shard: the first shard was written already, in
     * the temporary directory; nothing is left */
    bad_index("nan", "");
    CHECK(system("cd \"$SA35_TMP\" && cp ck/model.safetensors.index.json "
                 "nan/") == 0);
    w = sa35_st_writer_new();
    float *bad = malloc(lm->nbytes);
    memcpy(bad, lm->data, lm->nbytes);
    bad[5 * H + 3] = NAN;
    for (int i = 0; i < nmodel; i++)
        if (model[i].shard == 1)
            CHECK(sa35_st_writer_add(w, model[i].name, model[i].dt,
                                     model[i].ndim, model[i].shape,
                                     i == nmodel - 1 ? bad : model[i].data,
                                     &err) == 0);
    CHECK(sa35_st_writer_write(w, path_of("nan/model-00002-of-00002."
                                          "safetensors"),
                               &err) == 0);
    sa35_st_writer_free(w);
    free(bad);
    EXPECT_FAIL("quantize nan/model.safetensors.index.json -o deep/er/bo",
                "deep", "nan/model-00002-of-00002.safetensors",
                "'lm_head.weight' has a NaN at row 5, column 3");
}

/* A GGUF file quantizes into a complete checkpoint: its norms and
 * embedding pass through as F32 / F16 by their bytes, a Q8_0 non-GEMM
 * tensor as F32 of its values. */
static void test_gguf(void)
{
    static uint16_t embd[16 * 32];
    static float q[8 * 32], norm[32];
    static uint8_t q8[32 / 32 * 34 * 2];
    uint64_t seed = 3;
    for (int i = 0; i < 16 * 32; i++)
        embd[i] = sa35_f32_to_f16(test_rand_normal(&seed));
    for (int i = 0; i < 8 * 32; i++)
        q[i] = test_rand_normal(&seed);
    for (int i = 0; i < 32; i++)
        norm[i] = 1.0f + 0.01f * (float)i;
    for (int r = 0; r < 2; r++) {
        q8[34 * r] = 0x00, q8[34 * r + 1] = 0x2c; /* d = 1/16 */
        for (int j = 0; j < 32; j++)
            q8[34 * r + 2 + j] = (uint8_t)(j - 16);
    }
    gw w = {0};
    gw_header(&w, 3, 4, 1);
    gw_kv_str(&w, "general.architecture", "llama");
    uint64_t ne_e[2] = {32, 16}, ne_q[2] = {32, 8}, ne_n[1] = {32},
             ne_8[2] = {32, 2};
    gw_tensor(&w, "token_embd.weight", 2, ne_e, GT_F16, 0);
    gw_tensor(&w, "blk.0.attn_q.weight", 2, ne_q, GT_F32, 1024);
    gw_tensor(&w, "output_norm.weight", 1, ne_n, GT_F32, 2048);
    gw_tensor(&w, "blk.0.extra.weight", 2, ne_8, GT_Q8_0, 2176);
    gw_pad(&w, 32);
    size_t start = w.n;
    gw_bytes(&w, embd, sizeof embd);
    gw_bytes(&w, q, sizeof q);
    gw_bytes(&w, norm, sizeof norm);
    while (w.n < start + 2176)
        gw_le(&w, 0, 1);
    gw_bytes(&w, q8, sizeof q8);
    CHECK(!w.oom);
    write_bytes("m.gguf", w.b, w.n);
    gw_free(&w);

    CHECK_MSG(run("quantize m.gguf -o g.safetensors") == 0, "%s",
              slurp("err.txt"));
    CHECK(summary_count(slurp("out.txt"), "quantized GEMM weights") == 1 &&
          summary_count(slurp("out.txt"), "passed through") == 3);
    sa35_safetensors st;
    if (open_st("g.safetensors", &st))
        return;
    const sa35_st_tensor *e = sa35_st_find(&st, "token_embd.weight"),
                         *n = sa35_st_find(&st, "output_norm.weight"),
                         *x = sa35_st_find(&st, "blk.0.extra.weight");
    CHECK(e && e->dtype == SA35_DT_F16 && e->ndim == 2 &&
          e->shape[0] == 16 && e->shape[1] == 32 &&
          memcmp(e->data, embd, sizeof embd) == 0);
    CHECK(n && n->dtype == SA35_DT_F32 && n->ndim == 1 &&
          memcmp(n->data, norm, sizeof norm) == 0);
    CHECK(x && x->dtype == SA35_DT_F32 && x->shape[0] == 2 &&
          x->shape[1] == 32);
    for (int i = 0; x && i < 64; i++) {
        float v;
        memcpy(&v, x->data + 4 * i, 4);
        CHECK(v == (float)((i % 32) - 16) / 16.0f);
    }
    CHECK(sa35_st_find(&st, "blk.0.attn_q.weight") == NULL &&
          sa35_st_find(&st, "blk.0.attn_q.weight.qweight"));
    sa35_qweights qw, ref;
    sa35_err err;
    sa35_fview v = {q, 32, 8, 1, 32};
    CHECK(sa35_qfile_load(&st, NULL, &qw, &err) == 0);
    CHECK(sa35_quantize(&v, SA35_FMT_SA35, &ref, &err) == 0);
    CHECK(memcmp(qw.qweight, ref.qweight, 8 * qw.colbytes) == 0);
    sa35_qweights_free(&qw);
    sa35_qweights_free(&ref);
    sa35_st_close(&st);
}

/* The writer's raw path refuses a size that does not match the shape, and
 * a dtype safetensors does not define. */
static void test_writer_raw(void)
{
    sa35_st_writer *w = sa35_st_writer_new();
    sa35_err err;
    int64_t d[2] = {1, 2};
    sa35_st_tensor t = {.dtype_name = "F64", .ndim = 1, .shape = {3},
                        .data = (const void *)d, .nbytes = sizeof d};
    CHECK(sa35_st_writer_add_tensor(w, "x", &t, &err) == -1 &&
          strstr(err.msg, "24 bytes for its shape, 16 given"));
    snprintf(t.dtype_name, sizeof t.dtype_name, "Q4_K");
    CHECK(sa35_st_writer_add_tensor(w, "x", &t, &err) == -1 &&
          strstr(err.msg, "unknown dtype 'Q4_K'"));
    snprintf(t.dtype_name, sizeof t.dtype_name, "I64");
    t.shape[0] = 2;
    CHECK(sa35_st_writer_add_tensor(w, "x", &t, &err) == 0);
    CHECK(sa35_st_writer_write(w, path_of("raw.safetensors"), &err) == 0);
    sa35_st_writer_free(w);
    sa35_safetensors st;
    if (open_st("raw.safetensors", &st) == 0) {
        CHECK(st.ntensors == 1 && !strcmp(st.tensors[0].dtype_name, "I64") &&
              memcmp(st.tensors[0].data, d, sizeof d) == 0);
        sa35_st_close(&st);
    }
}

int main(void)
{
    if (cli_test_init())
        return 1;
    test_writer_raw();
    test_sharded();
    test_bad_index();
    test_gguf();
    free_model();
    CHECK(temp_files_left() == 0);
    return TEST_DONE();
}
