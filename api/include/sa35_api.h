/* sa35_api.h: the library's commands as single calls of plain arguments,
 * for bindings that load libsa35.so without a compiler (the Python
 * package, python/sa35; docs/python.md). Each call does what the `sa35`
 * command of its name does, with the library's functions and messages,
 * and reads and writes nothing but its arguments and the directory it is
 * given. Strings the calls return are malloc'd: release them with
 * sa35_api_free. Every call returns 0, or -1 with a one-line message in
 * *err. */
#ifndef SA35_API_H
#define SA35_API_H

#include <stddef.h>
#include <stdint.h>

#include "sa35_cmodel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* free(p): for the strings below. */
void sa35_api_free(void *p);

/* sizeof the struct called name (sa35_err, sa35_format_traits,
 * sa35_qweights, sa35_fview and this header's), 0 for another name: a
 * binding that declares the structs itself checks its layout with it. */
size_t sa35_api_struct_size(const char *name);

/* The weight format of PE kind `pe` ("sa35", "int4", "int8"), as an
 * sa35_format; -1 with err for an unknown kind. */
int sa35_api_pe_format(const char *pe, sa35_err *err);

/* Weight `name` of a quantized weight file (NULL: the only one) into *q,
 * as `sa35 gemm` and `sa35 dequant` load it (sa35_qweights_free it). */
int sa35_api_qfile_load(const char *path, const char *name, sa35_qweights *q,
                        sa35_err *err);
/* q as weight `name` of a new quantized weight file at path, as `sa35
 * quantize` writes one. */
int sa35_api_qfile_save(const char *path, const char *name,
                        const sa35_qweights *q, sa35_err *err);

/* `sa35 gemm`: Y (M x N float32, row-major) = X (M x K float32,
 * row-major) . q on engine "golden", "cpu", "sim" or "timing": X to int8
 * per row (sa35_quantize_activations), the accumulators on the engine,
 * then sa35_gemm_output, so Y holds the same bytes on every engine.
 * array ("RxC", NULL: 320x320) is for sim and timing, threads (0: the
 * default) for cpu; the accelerator engines run the PE kind of q's
 * format. acc (M x N int32, the float32 bits for a group-scaled q) may be
 * NULL; stats (may be NULL) gets the engine's statistics as the JSON
 * text `--stats` writes. The timing engine computes no values: Y and acc
 * must be NULL and stats not. */
int sa35_api_gemm(const float *X, int64_t M, const sa35_qweights *q,
                  const char *engine, const char *array, int threads,
                  float *Y, int32_t *acc, char **stats, sa35_err *err);

/* The array of `sa35 sim`: its --array, --pe, --load-rows, --dram-bw
 * NUM/DEN (num 0: the ideal memory) and --dram-latency. */
typedef struct sa35_api_array {
    const char *array;       /* "RxC"; NULL: 320x320                     */
    const char *pe;          /* NULL: sa35                               */
    int32_t load_rows;       /* 0: 1                                     */
    uint32_t dram_bw_num, dram_bw_den;
    int32_t dram_latency;
} sa35_api_array;

/* `sa35 sim`: an M x K x N GEMM in groups of G (0: per column) compiled
 * for the array and run on engine "timing" (A, q, acc NULL) or "sim" (A:
 * M x K int8, q: K x N in the PE kind's format and groups, acc: M x N
 * filled); *stats the JSON text `--stats` writes. */
int sa35_api_sim(int64_t M, int64_t K, int64_t N, int64_t G,
                 const sa35_api_array *arr, const char *engine,
                 const int8_t *A, const sa35_qweights *q, int32_t *acc,
                 char **stats, sa35_err *err);

/* The run of `sa35 model` and `sa35 project`: --phase ("decode",
 * "prefill"; NULL: decode), --batch, --seq, --microbatches (0: the
 * commands' defaults 1, 2048, 1). */
typedef struct sa35_api_work {
    const char *phase;
    int64_t batch, seq, microbatches;
} sa35_api_work;

/* `sa35 model MODEL --system SYSTEM`: MODEL and SYSTEM are names or
 * paths (sa35_find_model), G the --group (0: per column), engine "timing"
 * or "sim" (NULL: timing); writes layers.csv, layers.json and totals.json
 * into dir. */
int sa35_api_model(const char *model, const char *system,
                   const sa35_api_work *w, int64_t G, const char *engine,
                   const char *dir, sa35_err *err);

/* The options of `sa35 project` beyond the run (NULL, 0: the defaults). */
typedef struct sa35_api_project_opts {
    const char *formats;   /* --formats "sa35,int4-g128"                   */
    const char *dist;      /* --dist (gauss)                               */
    int node_nm;           /* --node                                       */
    double vdd;            /* --vdd                                        */
    double activity;       /* --activity: < 0 measured, else a rate        */
    int no_throttle;       /* --no-throttle                                */
    const char *tables;    /* --tables DIR                                 */
} sa35_api_project_opts;

/* `sa35 project MODEL --system SYSTEM`: project.json, project.csv,
 * project.md and the plots into dir. */
int sa35_api_project(const char *model, const char *system,
                     const sa35_api_work *w, const sa35_api_project_opts *o,
                     const char *dir, sa35_err *err);

/* `sa35 sweep SPEC -o DIR -j JOBS`: the spec's text (NULL: read from
 * path; path names it in messages either way) run on jobs workers (0:
 * every core) into dir, then merged into dir/sweep.csv. */
int sa35_api_sweep(const char *text, const char *path, const char *dir,
                   int jobs, sa35_err *err);

#ifdef __cplusplus
}
#endif
#endif /* SA35_API_H */
