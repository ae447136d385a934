/* cli_common.h: what several commands share: error reporting, loading float
 * matrices from .npy or safetensors, and writing small text outputs. */
#ifndef SA35_CLI_COMMON_H
#define SA35_CLI_COMMON_H

#include <stdint.h>

#include "sa35_cmodel.h"
#include "sa35_io.h"

/* Print "sa35 CMD: MESSAGE" to stderr and return 1 (the exit status). */
int cli_fail(const char *cmd, const sa35_err *err);
/* Same with a message built here. */
int cli_failf(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Integer option values, all through the strict parser (sa35_parse_i64:
 * digits only, the whole text, in range). 0 with *out set, or 1 (the exit
 * status) after printing "sa35 CMD: OPT must be an integer in LO..HI, got
 * 'S'" ("a positive integer" for 1..INT64_MAX). */
int cli_parse_int(const char *cmd, const char *opt, const char *s, int64_t lo,
                  int64_t hi, int64_t *out);
int cli_parse_positive(const char *cmd, const char *opt, const char *s,
                       int64_t *out);
/* A byte count: an integer with an optional binary suffix K, M, G or T
 * (2^10 .. 2^40; "8G" is 8 GiB), at least 1 and at most 2^63 - 1. */
int cli_parse_bytes(const char *cmd, const char *opt, const char *s,
                    uint64_t *out);

/* The memory system and clock of an accelerator run, as `sa35 sim` and
 * `sa35 gemm` take them (both spell them alike): --load-rows L,
 * --dram-bw NUM[/DEN] bytes per cycle or a decimal bytes per second
 * ("1638.4e9", made an exact ratio per cycle at the clock),
 * --dram-latency N cycles (with --dram-bw) and --clock HZ. */
typedef struct cli_memsys {
    int32_t load_rows;    /* 0: not given                                 */
    const char *dram_bw;  /* the text, NULL: the ideal memory             */
    int32_t dram_latency; /* -1: not given                                */
    const char *clock;    /* the text, NULL: the arch's default (900 MHz) */
    int given;            /* any of them given                            */
} cli_memsys;

enum { CLI_OPT_LOAD_ROWS = 0x4000, CLI_OPT_DRAM_BW, CLI_OPT_DRAM_LATENCY,
       CLI_OPT_CLOCK };
/* their getopt_long entries */
#define CLI_MEMSYS_LONG_OPTIONS                                               \
    {"load-rows", required_argument, NULL, CLI_OPT_LOAD_ROWS},                \
    {"dram-bw", required_argument, NULL, CLI_OPT_DRAM_BW},                    \
    {"dram-latency", required_argument, NULL, CLI_OPT_DRAM_LATENCY},          \
    {"clock", required_argument, NULL, CLI_OPT_CLOCK}
/* The usage lines of those options. */
extern const char cli_memsys_usage[];

void cli_memsys_init(cli_memsys *m);
/* 1 if opt is one of them (taken into m; a bad value printed and *bad set
 * to 1, the exit status), 0 if not. */
int cli_memsys_option(const char *cmd, int opt, const char *arg,
                      cli_memsys *m, int *bad);
/* Put m into a (clock, load lanes, the off-chip memory): -1 with err
 * naming the option and the value when one is wrong. */
struct sa35_arch;
int cli_memsys_apply(const cli_memsys *m, struct sa35_arch *a,
                     sa35_err *err);

/* "seconds  S (at a F Hz clock, --clock)" from an engine's statistics
 * (their "seconds" and "clock_hz"): the clock the seconds assume, shown. */
struct cJSON;
void cli_print_seconds(const struct cJSON *stats);

/* The default memory budget of a run (--max-memory): half the physical
 * memory, so that a plan which cannot fit is refused with its figure
 * instead of swapping or being killed; 2^62 where the size is unknown. */
uint64_t cli_default_budget(void);

/* 1 if two output paths name one file: sa35_same_file, or (for files
 * that do not exist yet) the same name in the same directory ("y.npy" and
 * "./y.npy"). */
int cli_same_output(const char *a, const char *b);

/* 1 if the file starts with the .npy magic, 0 if not (or unreadable). */
int cli_is_npy(const char *path);

/* A float weight matrix seen as K x N, from either file kind. */
typedef struct cli_weight {
    char *name;       /* "weight" for a .npy, the tensor name otherwise     */
    float *data;      /* owned float32 copy                                 */
    sa35_fview view;  /* K x N view into data                               */
    int hf_layout;    /* 1: stored [out, in] = [N, K] and read transposed   */
} cli_weight;

/* Load the weights of path: a .npy is one K x N matrix named "weight"; a
 * safetensors file gives each 2-D float tensor (F32, F16, BF16), or only
 * those named in names[0..nnames), each [out, in] read as K x N; a GGUF
 * file, cli_load_gguf_weights. */
int cli_load_weights(const char *path, char *const *names, int nnames,
                     cli_weight **out, int *count, sa35_err *err);
void cli_free_weights(cli_weight *w, int count);
/* One 2-D F32, F16 or BF16 tensor of a safetensors file at path, [out, in]
 * read as K x N (w->name, w->data owned; cli_free_weights frees them). */
int cli_load_st_weight(const char *path, const sa35_st_tensor *t,
                       cli_weight *w, sa35_err *err);
/* The same from a GGUF file (cli_gguf.c): each 2-D F32, F16, BF16, Q8_0 or
 * Q4_0 tensor, dequantized to float32; ne = [K, N] is read as K x N. */
int cli_load_gguf_weights(const char *path, char *const *names, int nnames,
                          cli_weight **out, int *count, sa35_err *err);

/* Say where a NaN/Inf sits, in the file's own coordinates. Returns -1 with
 * the message set if w holds one, 0 otherwise. */
int cli_check_finite(const char *path, const cli_weight *w, sa35_err *err);

/* The shard of a quantized checkpoint's index (model.safetensors.index.json,
 * docs/checkpoints.md) that holds NAME.qweight, into buf; an error naming
 * the index when name is NULL or the map has no NAME.qweight. */
int cli_index_shard(const char *index, const char *name, char *buf, size_t n,
                    sa35_err *err);
/* Load quantized weight `name` (NULL: the only one) from a weight file. */
int cli_load_qweights(const char *path, const char *name, sa35_qweights *q,
                      sa35_err *err);

/* Write text to path atomically. */
int cli_write_text(const char *path, const char *text, sa35_err *err);
/* names[0..n) joined with ", " into buf (cap bytes), whole names only: what
 * does not fit is counted, "... and 7 more", never cut mid-name. */
void cli_join_names(const char *const *names, int n, char *buf, size_t cap);

#endif
