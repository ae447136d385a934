/* sa35_model.h: whole models on a system. A Hugging Face style config.json
 * (llama family) becomes, per decoder layer, its GEMMs on the array and its
 * non-GEMM work on a vector unit, for a decode step or a prefill; a system
 * file (systems/NAME.json) says what the chip, its memories, the vector unit
 * and the chip-to-chip links can do; the run puts every operation on the
 * memory system (on-chip SRAM, off-chip memory, double-buffered DMA, links)
 * and reports per-layer cycles, stalls, bytes and totals.
 *
 * Per-GEMM array cycles come from a GEMM engine (sa35_gemm_engine): the
 * timing model of sim/ once it is wired in (docs/models.md, "Engines"), a
 * provisional tile-level model until then. */
#ifndef SA35_MODEL_H
#define SA35_MODEL_H

#include <stdint.h>
#include <stdio.h>

#include "sa35_cmodel.h"
#include "sa35_compiler.h"
#include "sa35_isa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ the model */
/* A fully connected layer of a network given as a layer list. */
#define SA35_NET_MAX 64
typedef struct sa35_fc {
    char name[16];
    int64_t in, out;   /* K and N of its GEMM                            */
    int activation;    /* 0 none, 1 relu, 2 tanh, 3 sigmoid              */
} sa35_fc;

typedef struct sa35_llm {
    char name[64];          /* file name without .json, or "_name_or_path" */
    int64_t hidden;         /* hidden_size                                 */
    int64_t ffn;            /* intermediate_size                           */
    int64_t layers;         /* num_hidden_layers                           */
    int64_t heads;          /* num_attention_heads                         */
    int64_t kv_heads;       /* num_key_value_heads (= heads when absent)   */
    int64_t head_dim;       /* head_dim, or hidden / heads                 */
    int64_t vocab;          /* vocab_size                                  */
    int tie_embeddings;     /* tie_word_embeddings                         */
    int64_t sliding_window; /* attention window (Mistral), 0 for none      */
    int64_t max_positions;  /* max_position_embeddings, 0 if absent        */
    /* a network written down as a layer list ({"network": {"layers":
     * [...]}}, docs/models.md "Networks"): net_layers > 0, layers = 1,
     * hidden the widest layer, no attention */
    int32_t net_layers;
    sa35_fc fc[SA35_NET_MAX];
} sa35_llm;

/* The most GEMM weights a config may have (real models: below 2^41). */
#define SA35_LLM_PARAMS_MAX (1LL << 50)

/* Parse a config.json text, or a network's layer list; `path` names it
 * in messages. Errors name the
 * file and the key ("llama.json: num_key_value_heads: must divide
 * num_attention_heads (64), got 7"). */
int sa35_llm_parse(const char *text, const char *path, sa35_llm *m,
                   sa35_err *err);
/* A config.json, or a GGUF file (it starts with "GGUF"): the shapes from
 * its ARCH.* metadata, docs/models.md. */
int sa35_llm_read(const char *path, sa35_llm *m, sa35_err *err);
/* Weights of one decoder layer and of the whole model (lm_head included;
 * the embedding table is a lookup, not a GEMM, and is counted apart). */
int64_t sa35_llm_layer_params(const sa35_llm *m);
int64_t sa35_llm_gemm_params(const sa35_llm *m);

/* ----------------------------------------------------------- the system */
typedef struct sa35_system {
    char name[64];
    /* the array */
    int32_t rows, cols;      /* R x C                                      */
    double clock_hz;
    int32_t load_rows;       /* L: load lanes (docs/architecture.md)        */
    int32_t acc_rows;        /* accumulator rows (M block = acc_rows / 2)  */
    sa35_pe_kind pe;         /* what a PE stores and multiplies (its      */
                             /* weight format: sa35_pe_info(pe)->fmt)     */
    /* on-chip SRAM, per chip */
    uint64_t sram_bytes;
    int32_t sram_banks;
    double sram_bytes_per_cycle;
    /* off-chip memory, per chip (0 bytes: none, SRAM-only chips) */
    uint64_t dram_bytes;
    double dram_bytes_per_cycle;
    uint32_t dram_bw_num, dram_bw_den; /* the same, exactly: num / den      */
    int64_t dram_latency_cycles;
    /* vector unit: elements per cycle */
    int32_t vec_int8_per_cycle; /* int8 MACs (attention products)          */
    int32_t vec_fp16_per_cycle; /* fp16 element operations                 */
    /* chips: 1, or 0 for "as many as the model needs" (pipelined) */
    int32_t chips;
    double link_bytes_per_cycle; /* chip to chip, one direction            */
    int64_t link_latency_cycles;
    int32_t kv_bits;             /* KV cache element width (8)             */
    /* the weights' scales: 0, one scale (and zero) per column; G, one per
     * group of G k-values, applied by the array's scale row (a group is
     * one K tile: sa35_gemm_group_fits). Set by the caller (`--group`,
     * `sa35 project`'s formats), not by the system file. */
    int64_t group;
} sa35_system;

/* Every number in a system file is {"value": V, "source": "why"}; a number
 * without a non-empty source is an error naming the file and key. */
int sa35_system_parse(const char *text, const char *path, sa35_system *s,
                      sa35_err *err);
int sa35_system_read(const char *path, sa35_system *s, sa35_err *err);
/* k-values one PE row holds: 2 for sa35 and int4 PEs, 1 for int8. */
int32_t sa35_system_k_per_row(const sa35_system *s);
/* Bytes of a K x N weight in the format of the system's PE kind as
 * stored: the codes (SA35 K padded to 16, 7 bytes per 16 weights; INT4 K
 * padded to 2, half a byte each; INT8 K x N) and the scales: per column
 * a float32 scale and zero (INT8: scale only), in groups of s->group a
 * binary16 scale and zero per group (docs/format.md). */
uint64_t sa35_weight_bytes(const sa35_system *s, int64_t K, int64_t N);

/* NAME (e.g. "llama-2-70b", "hbm1") or a path: a path is anything with a
 * '/' or ending in ".json"; a name is looked up in $SA35_DATA/{models,
 * systems}, then in the source tree and the installed data directory.
 * The found path is written to out (size bytes). */
int sa35_find_model(const char *name, char *out, size_t size, sa35_err *err);
int sa35_find_system(const char *name, char *out, size_t size,
                     sa35_err *err);
/* The data directory `sub` ("validation") in the same places. */
int sa35_find_data_dir(const char *sub, char *out, size_t size,
                       sa35_err *err);

/* ---------------------------------------------------- the work of a layer */
typedef enum sa35_phase { SA35_DECODE = 0, SA35_PREFILL = 1 } sa35_phase;

typedef enum sa35_unit {
    SA35_UNIT_ARRAY = 0,  /* a GEMM: activations x stationary weights      */
    SA35_UNIT_VECTOR = 1, /* element-wise or activation x activation work  */
} sa35_unit;

typedef enum sa35_vkind {
    SA35_V_FP16 = 0, /* elements at vec_fp16_per_cycle                     */
    SA35_V_INT8 = 1, /* int8 MACs at vec_int8_per_cycle                    */
} sa35_vkind;

typedef struct sa35_op {
    char name[24];        /* "q", "gate", "softmax", "lm_head", ...        */
    sa35_unit unit;
    int64_t M, K, N;      /* array: the GEMM; vector: rows, cols, 1        */
    sa35_vkind vkind;     /* vector ops                                    */
    int64_t work;         /* vector: element operations or MACs           */
    uint64_t weight_bytes;/* array: the stationary weight                  */
    uint64_t act_bytes;   /* activations read + results written (on chip) */
    uint64_t kv_bytes;    /* KV cache bytes read or written                */
    int per_model;        /* 1: once per model (lm_head, final norm)       */
} sa35_op;

typedef struct sa35_workload {
    sa35_phase phase;
    int64_t batch;  /* sequences                                          */
    int64_t seq;    /* decode: KV length L; prefill: prompt length        */
    int64_t microbatches; /* batches of `batch` sequences in flight over  */
                          /* the chips (pipelined); 0 or 1: one           */
} sa35_workload;

/* The operations of one decoder layer followed by the once-per-model ones
 * (final norm, lm_head), in execution order. *ops is malloc'd. */
int sa35_model_ops(const sa35_llm *m, const sa35_system *s,
                   const sa35_workload *w, sa35_op **ops, int *count,
                   sa35_err *err);

/* ------------------------------------------------------ the GEMM engines */
/* What an engine reports for one GEMM on the array with every operand
 * already in SRAM; the memory system (model_memsys.c) is applied on top,
 * the same way whichever engine ran. */
typedef struct sa35_gemm_time {
    int64_t cycles;       /* until the last output left the array          */
    int64_t stall_cycles; /* the array's left edge idle between mms (it    */
                          /* waited for a weight load)                     */
    int64_t load_cycles;  /* weight-load path busy (ldw)                   */
    uint64_t sram_bytes;  /* bytes read and written on chip                */
    /* what each unit was busy for (the bound is the busiest): the left
     * edge (sum of M), the load lanes (rows loaded / L), the off-chip
     * channel (its bytes at its rate; 0 with the ideal memory) */
    int64_t stream_cycles, lane_cycles, channel_cycles;
    uint64_t dram_bytes;  /* through the channel, both ways                */
} sa35_gemm_time;

/* io: where the GEMM's activations and outputs live (sa35_compiler.h):
 * on chip when they fit, as a layer's program leaves them, else
 * off-chip through the channel. */
typedef int (*sa35_gemm_time_fn)(void *ctx, const sa35_system *s, int64_t M,
                                 int64_t K, int64_t N, sa35_gemm_io io,
                                 sa35_gemm_time *t, sa35_err *err);

typedef struct sa35_gemm_engine {
    const char *name;     /* printed with the report                       */
    sa35_gemm_time_fn fn;
    void *ctx;
} sa35_gemm_engine;

/* compiler/ compiles the GEMM for the system's array; sim/'s timing model
 * (sa35_gemm_engine_timing, the default) or its cycle-accurate simulator
 * (sa35_gemm_engine_sim: all-zero operands, as cycles do not depend on
 * data; slow, for cross-checks on small models) runs it. An int8 x int8
 * system (one k per PE row) runs as the SA35 GEMM with 2K, which has the
 * same tiles. */
const sa35_gemm_engine *sa35_gemm_engine_timing(void);
const sa35_gemm_engine *sa35_gemm_engine_sim(void);

/* The memory system around one op: compute cycles with every operand on
 * chip, then `stream` bytes that must come from off-chip memory (the first
 * `first` of them before compute can begin; the rest double-buffered
 * behind it) and `sram` bytes through the banks:
 *   cycles = max(compute + latency + first / bw_off,
 *                latency + stream / bw_off,  sram / bw_sram)
 * bound says which term won ("compute", "offchip", "sram"). */
typedef struct sa35_mem_time {
    int64_t cycles, stall_cycles;
    const char *bound;
} sa35_mem_time;
void sa35_memsys(const sa35_system *s, int64_t compute, uint64_t stream,
                 uint64_t first, uint64_t sram, sa35_mem_time *t);

/* ------------------------------------------------------------- the run */
/* One column piece of a GEMM on one chip: columns [n0, n0 + n) of its
 * weight, a whole number of array column tiles (the op's last may be
 * narrower), timed by the engine as an M x K x n GEMM. */
typedef struct sa35_piece {
    int32_t chip;
    int64_t n0, n;
    int64_t cycles;       /* this piece alone, memory system included      */
    uint64_t weight_bytes;
} sa35_piece;

typedef struct sa35_op_result {
    const sa35_op *op;
    int64_t layer;        /* -1 for per-model ops                          */
    int32_t chip;         /* the first chip it ran on                      */
    int32_t last_chip;    /* the last (its pieces sit on chip..last_chip)  */
    int32_t pieces;       /* column pieces (GEMMs), side by side           */
    int64_t first_piece;  /* index into sa35_run.piece                     */
    int64_t cycles, stall_cycles;
    double utilization;   /* MACs (or element ops) / (cycles x peak)       */
    uint64_t sram_bytes, dram_bytes;
    const char *bound;    /* "array", "load", "offchip", "sram", "vector"  */
    int weights_resident;
    sa35_gemm_io io;      /* a GEMM's activations and outputs: on chip     */
                          /* (they fit in the SRAM's reserve) or off-chip  */
    uint64_t prefetch_bytes; /* streamed weights fetched while the vector  */
                          /* ops before it ran (docs/models.md, "Overlap") */
} sa35_op_result;

typedef struct sa35_run {
    sa35_llm model;
    sa35_system sys;
    sa35_workload work;
    const char *engine;
    sa35_op *ops;          /* one layer's ops, then per-model ops          */
    int nops;
    sa35_op_result *res;   /* layers x per-layer ops, then per-model ops   */
    int64_t nres;
    /* totals */
    sa35_piece *piece;     /* every GEMM's pieces, in row order            */
    int64_t npieces;
    int32_t chips;         /* used                                         */
    uint64_t usable_bytes; /* per chip, for weights and KV cache           */
    int32_t hops;          /* chip-to-chip transfers per step              */
    int64_t cycles, stall_cycles, link_cycles; /* one micro-batch's step:  */
                           /* every op in sequence (the latency)           */
    int64_t max_stage_cycles; /* busiest chip's compute per micro-batch    */
    int64_t max_link_cycles;  /* busiest chip's link serialization         */
    int64_t beat_cycles;   /* max of the two: the pipeline's beat          */
    int32_t microbatches;  /* K in flight                                  */
    int64_t period_cycles; /* each micro-batch's step, steady state:       */
                           /* sa35_pipeline_cycles(cycles, beat, K)        */
    uint64_t weight_bytes;  /* every GEMM weight, stored                   */
    uint64_t kv_bytes, sram_bytes, dram_bytes; /* moved in one step        */
    int weights_on_chip;   /* 1: every weight sits in SRAM                 */
    uint64_t kv_cache_bytes; /* the KV cache at the run's length           */
    int kv_on_chip;        /* 1: the KV cache sits in SRAM                 */
    double time_s;         /* one micro-batch's step alone (the latency)   */
    double time_per_token_s, tokens_per_s_per_user, tokens_per_s;
    double utilization;    /* array MACs / (array cycles x peak)           */
} sa35_run;

/* Where a GEMM's activations and outputs live on system s: on chip
 * (SA35_GEMM_IO_SRAM) when its plan with them there, weight slots
 * included, fits in `reserve` bytes of SRAM (what placement leaves beside
 * the weights and KV cache it keeps on chip: half of one chip's SRAM, an
 * eighth of an SRAM-only chip's), else off-chip. */
sa35_gemm_io sa35_model_gemm_io(const sa35_system *s, uint64_t reserve,
                                int64_t M, int64_t K, int64_t N);

/* K micro-batches circulating through a pipeline whose one pass takes
 * `latency` cycles and whose busiest resource (a chip, a link) is busy
 * `beat` cycles per micro-batch: each micro-batch completes a step every
 * max(latency, K x beat) cycles (docs/models.md, "Pipelining"). */
int64_t sa35_pipeline_cycles(int64_t latency, int64_t beat, int64_t k);

/* A run's per-op tables and reports take about SA35_MODEL_REPORT_ROW bytes
 * of text and a result a row (layers x ops a layer); a model whose rows
 * would pass SA35_MODEL_MEMORY_MAX bytes (tens of thousands of layers) is
 * refused with the figure before they are allocated. */
#define SA35_MODEL_REPORT_ROW 512u
#define SA35_MODEL_MEMORY_MAX (1ull << 30)
int sa35_model_run(const sa35_llm *m, const sa35_system *s,
                   const sa35_workload *w, const sa35_gemm_engine *eng,
                   sa35_run *run, sa35_err *err);
void sa35_run_free(sa35_run *run);

/* Reports: per-op rows (CSV, JSON) and totals (JSON) to dir/layers.csv,
 * dir/layers.json, dir/totals.json, written atomically; the summary with
 * every assumption to f. */
int sa35_run_write(const sa35_run *run, const char *dir, sa35_err *err);
void sa35_run_print(const sa35_run *run, FILE *f);

#ifdef __cplusplus
}
#endif
#endif /* SA35_MODEL_H */
