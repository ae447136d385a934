/* fuzz_model_config.c: the model config reader (Hugging Face config.json,
 * llama family) and what follows from a config it accepts: the parameter
 * counts and the layer's ops on a small system. Asserts: accepted shapes
 * are positive and consistent (kv heads divide the heads), the counts are
 * positive (UBSan catches an overflow on the way), every op has positive
 * M, K, N. */
#include "fuzz_util.h"
#include "sa35_model.h"

static const char small_sys[] =
    "{\"name\": \"small\","
    "\"array\": {\"rows\": {\"value\": 16, \"source\": \"t\"},"
    " \"cols\": {\"value\": 16, \"source\": \"t\"},"
    " \"clock_hz\": {\"value\": 1e9, \"source\": \"t\"},"
    " \"load_rows\": {\"value\": 2, \"source\": \"t\"},"
    " \"acc_rows\": {\"value\": 64, \"source\": \"t\"},"
    " \"pe\": {\"value\": \"sa35\", \"source\": \"t\"}},"
    "\"sram\": {\"bytes\": {\"value\": 4096, \"source\": \"t\"},"
    " \"banks\": {\"value\": 4, \"source\": \"t\"},"
    " \"bytes_per_cycle\": {\"value\": 256, \"source\": \"t\"}},"
    "\"offchip\": {\"bytes\": {\"value\": 1e9, \"source\": \"t\"},"
    " \"bytes_per_s\": {\"value\": 8e9, \"source\": \"t\"},"
    " \"latency_ns\": {\"value\": 50, \"source\": \"t\"}},"
    "\"vector\": {\"int8_per_cycle\": {\"value\": 32, \"source\": \"t\"},"
    " \"fp16_per_cycle\": {\"value\": 16, \"source\": \"t\"}},"
    "\"chips\": {\"count\": {\"value\": 1, \"source\": \"t\"},"
    " \"link_bytes_per_s\": {\"value\": 0, \"source\": \"t\"},"
    " \"link_latency_ns\": {\"value\": 0, \"source\": \"t\"}},"
    "\"kv_cache\": {\"bits\": {\"value\": 8, \"source\": \"t\"}}}";

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    char *text = fuzz_text(d, n);
    sa35_llm m;
    sa35_err err;
    int rc = sa35_llm_parse(text, "config.json", &m, &err);
    free(text);
    if (rc != 0)
        return 0;
    FUZZ_ASSERT(m.hidden > 0 && m.ffn > 0 && m.layers > 0 && m.heads > 0 &&
                m.kv_heads > 0 && m.head_dim > 0 && m.vocab > 0);
    FUZZ_ASSERT(m.heads % m.kv_heads == 0);
    FUZZ_ASSERT(sa35_llm_layer_params(&m) > 0);
    FUZZ_ASSERT(sa35_llm_gemm_params(&m) > 0);
    sa35_system s;
    FUZZ_ASSERT(sa35_system_parse(small_sys, "small.json", &s, &err) == 0);
    for (int phase = 0; phase < 2; phase++) {
        sa35_workload w = {phase ? SA35_PREFILL : SA35_DECODE, 1, 16, 1};
        sa35_op *ops = NULL;
        int count = 0;
        if (sa35_model_ops(&m, &s, &w, &ops, &count, &err) == 0)
            for (int i = 0; i < count; i++)
                FUZZ_ASSERT(ops[i].M > 0 && ops[i].K > 0 && ops[i].N > 0);
        free(ops);
    }
    return 0;
}
