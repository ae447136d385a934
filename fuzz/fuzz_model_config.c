/* fuzz_model_config.c: the model config reader (Hugging Face config.json,
 * llama family, or a network's layer list) and what follows from a config
 * it accepts: the parameter
 * counts and the layer's ops on the tpuv1 system. Asserts: accepted shapes
 * are positive and consistent (kv heads divide the heads), the counts are
 * positive (UBSan catches an overflow on the way), every op has positive
 * M, K, N. */
#include "fuzz_util.h"
#include "sa35_model.h"

/* The shipped tpuv1 system (found in the source tree, as `sa35 model`
 * finds it), read once. */
static const sa35_system *tpuv1(void)
{
    static sa35_system s;
    static int done;
    if (!done) {
        char path[4096];
        sa35_err err;
        if (sa35_find_system("tpuv1", path, sizeof path, &err) ||
            sa35_system_read(path, &s, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            abort();
        }
        done = 1;
    }
    return &s;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    char *text = fuzz_text(d, n);
    sa35_llm m;
    sa35_err err;
    int rc = sa35_llm_parse(text, "config.json", &m, &err);
    free(text);
    if (rc != 0)
        return 0;
    if (m.net_layers) { /* a network's layer list: a chain of layers */
        FUZZ_ASSERT(m.net_layers <= SA35_NET_MAX && m.layers == 1);
        for (int i = 0; i < m.net_layers; i++)
            FUZZ_ASSERT(m.fc[i].in > 0 && m.fc[i].out > 0 &&
                        m.fc[i].in <= m.hidden && m.fc[i].out <= m.hidden &&
                        (i == 0 || m.fc[i].in == m.fc[i - 1].out));
    } else {
        FUZZ_ASSERT(m.hidden > 0 && m.ffn > 0 && m.layers > 0 &&
                    m.heads > 0 && m.kv_heads > 0 && m.head_dim > 0 &&
                    m.vocab > 0);
        FUZZ_ASSERT(m.heads % m.kv_heads == 0);
    }
    FUZZ_ASSERT(sa35_llm_layer_params(&m) > 0);
    FUZZ_ASSERT(sa35_llm_gemm_params(&m) > 0);
    for (int phase = 0; phase < 2; phase++) {
        sa35_workload w = {phase ? SA35_PREFILL : SA35_DECODE, 1, 16, 1};
        sa35_op *ops = NULL;
        int count = 0;
        if (sa35_model_ops(&m, tpuv1(), &w, &ops, &count, &err) == 0)
            for (int i = 0; i < count; i++)
                FUZZ_ASSERT(ops[i].M > 0 && ops[i].K > 0 && ops[i].N > 0);
        free(ops);
    }
    return 0;
}
