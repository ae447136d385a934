/* test_model_engines_7b.c: the shipped 7B/8B-class models, decoded on the
 * hbm1 system's full 320 x 320 array, by both GEMM engines: the timing model
 * and the cycle-accurate simulator (every PE register, every cycle) must give
 * every op of every layer the same cycles, stalls, bytes and bound, and so the
 * same totals. test_model.c checks the same on a tiny model in both phases;
 * this one checks the real shapes (K = 4096 / 14336, N up to 128256, GQA with
 * 8 KV heads, Mistral's sliding window). About 10 s per model in a release
 * build; prefill is left to the tiny model (2048 rows through the
 * cycle-accurate simulator would take minutes). */
#include <string.h>

#include "sa35_model.h"
#include "test_util.h"

static int load(const char *model, const char *system, sa35_llm *m,
                sa35_system *s)
{
    char path[4096];
    sa35_err err;
    int rc = sa35_find_model(model, path, sizeof path, &err) ||
             sa35_llm_read(path, m, &err) ||
             sa35_find_system(system, path, sizeof path, &err) ||
             sa35_system_read(path, s, &err);
    CHECK_MSG(rc == 0, "%s on %s: %s", model, system, err.msg);
    return rc;
}

static void same_per_layer(const char *name)
{
    sa35_llm m;
    sa35_system s;
    sa35_err err;
    if (load(name, "hbm1", &m, &s))
        return;
    sa35_workload w = {SA35_DECODE, 1, 2048, 1};
    sa35_run a, b;
    int ra = sa35_model_run(&m, &s, &w, sa35_gemm_engine_timing(), &a, &err);
    CHECK_MSG(ra == 0, "%s timing: %s", name, err.msg);
    int rb = sa35_model_run(&m, &s, &w, sa35_gemm_engine_sim(), &b, &err);
    CHECK_MSG(rb == 0, "%s sim: %s", name, err.msg);
    if (ra || rb)
        return;
    CHECK(a.nres == b.nres && a.nres > m.layers);
    int64_t array_ops = 0;
    for (int64_t j = 0; j < a.nres && j < b.nres; j++) {
        const sa35_op_result *x = &a.res[j], *y = &b.res[j];
        array_ops += x->op->unit == SA35_UNIT_ARRAY;
        CHECK_MSG(x->cycles == y->cycles &&
                      x->stall_cycles == y->stall_cycles &&
                      x->sram_bytes == y->sram_bytes &&
                      x->dram_bytes == y->dram_bytes &&
                      x->utilization == y->utilization &&
                      strcmp(x->bound, y->bound) == 0,
                  "%s layer %lld %s: timing %lld cycles (%s), sim %lld (%s)",
                  name, (long long)x->layer, x->op->name,
                  (long long)x->cycles, x->bound, (long long)y->cycles,
                  y->bound);
    }
    /* the GEMMs were really there: 7 per layer plus lm_head */
    CHECK(array_ops == 7 * (int64_t)m.layers + 1);
    CHECK(a.cycles == b.cycles && a.cycles > 0 &&
          a.stall_cycles == b.stall_cycles && a.dram_bytes == b.dram_bytes);
    sa35_run_free(&a);
    sa35_run_free(&b);
}

int main(void)
{
    same_per_layer("llama-2-7b");
    same_per_layer("llama-3-8b");
    same_per_layer("mistral-7b");
    return TEST_DONE();
}
