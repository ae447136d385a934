/* model_internal.h: what the files of model/ share. */
#ifndef SA35_MODEL_INTERNAL_H
#define SA35_MODEL_INTERNAL_H

#include <cjson/cJSON.h>

#include "sa35_model.h"

/* Parse a whole JSON text (sa35_json_parse: a syntax error names the file
 * and line, a key given twice the key); the top level must be an object. */
cJSON *model_json_parse(const char *text, const char *path, sa35_err *err);

/* {"network": {...}}: the layer list into m (model_net.c). */
int model_net_parse(const cJSON *net, const char *path, sa35_llm *m,
                    sa35_err *err);
const char *model_net_activation(int a);

/* An integer in [lo, hi] (a JSON number with no fraction). */
int model_json_int(const cJSON *v, const char *path, const char *key,
                   int64_t lo, int64_t hi, int64_t *out, sa35_err *err);

/* sa35_llm_read of a GGUF file: the shapes from its metadata (model_gguf.c,
 * docs/models.md). */
int model_llm_read_gguf(const char *path, sa35_llm *m, sa35_err *err);

/* The architecture the engines run a system's GEMMs on (the ISA's whole
 * SRAM address space: the memory system, not the compiler, accounts for
 * capacity); sa35_arch_check's error if the system has no such array. */
int model_arch_of(const sa35_system *s, sa35_arch *a, sa35_err *err);

static inline int64_t model_ceil_div(int64_t a, int64_t b)
{
    return (a + b - 1) / b;
}

/* Where a run's ops sit (model_place.c). Pieces go to run->piece (chip,
 * n0, n set; cycles left to the timing), rows get chip, last_chip,
 * pieces and first_piece. */
typedef struct model_placement {
    int weights_resident, kv_on_chip;
    uint64_t kv_cache_bytes; /* whole model, every micro-batch            */
    uint64_t usable_bytes;   /* per chip, for weights and KV cache        */
    int32_t chips;
} model_placement;

/* kv_layer: one layer's KV cache for all micro-batches in flight. */
int model_place(sa35_run *r, uint64_t kv_layer, model_placement *p,
                sa35_err *err);

/* From each chip's compute and link cycles per micro-batch (r->chips of
 * each) and r->cycles (one pass): the beat, the period and the tokens/s
 * (model_pipeline.c). */
void model_pipeline_totals(sa35_run *r, const int64_t *busy,
                           const int64_t *link);

#endif
