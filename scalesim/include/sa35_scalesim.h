/* sa35_scalesim.h: SCALE-Sim v2's files, read and written. Its config
 * (.cfg: [general] run_name, [architecture_presets] ArrayHeight,
 * ArrayWidth, *SramSzkB, offsets, Dataflow, Bandwidth, [run_presets]
 * InterfaceBandwidth) and topology CSV (conv rows, or GEMM rows
 * "name, M, N, K," with the trailing comma), and its three reports
 * (COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv, DETAILED_ACCESS_REPORT.csv,
 * with SCALE-Sim's column names). Two ways to fill them: the sa35 array's
 * own cycles, or --compat, SCALE-Sim v2's closed form (docs/scalesim.md). */
#ifndef SA35_SCALESIM_H
#define SA35_SCALESIM_H

#include <stdint.h>

#include "sa35_cmodel.h"
#include "sa35_model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sa35_ss_dataflow {
    SA35_SS_OS = 0,
    SA35_SS_WS = 1,
    SA35_SS_IS = 2
} sa35_ss_dataflow;

typedef struct sa35_ss_config {
    char run_name[256];
    int64_t rows, cols;                  /* ArrayHeight, ArrayWidth        */
    int64_t ifmap_kb, filter_kb, ofmap_kb;
    int64_t ifmap_offset, filter_offset, ofmap_offset;
    sa35_ss_dataflow dataflow;
    int user_bandwidth;                  /* InterfaceBandwidth: USER       */
    int64_t bandwidth;                   /* Bandwidth (words/cycle), USER  */
} sa35_ss_config;

/* Errors name the file, the line where there is one, and the key. */
int sa35_ss_config_parse(const char *text, const char *path,
                         sa35_ss_config *c, sa35_err *err);
int sa35_ss_config_read(const char *path, sa35_ss_config *c, sa35_err *err);

/* One topology row as SCALE-Sim holds it (a GEMM row M, N, K becomes
 * ifmap M x K, filter 1 x K, 1 channel, N filters, stride 1). */
typedef struct sa35_ss_layer {
    char name[64];
    int64_t ifmap_h, ifmap_w, filt_h, filt_w, channels, filters;
    int64_t stride_h, stride_w;
} sa35_ss_layer;

/* gemm: rows are "name, M, N, K,"; else conv rows "name, IFMAP height,
 * IFMAP width, filter height, filter width, channels, filters, stride
 * [, stride width]," (a depth-wise "DP" row becomes one layer per
 * channel, as SCALE-Sim does). The first line is the header. At most
 * SA35_SS_LAYERS_MAX layers in all (depth-wise ones counted). */
#define SA35_SS_LAYERS_MAX 65536
int sa35_ss_topo_parse(const char *text, const char *path, int gemm,
                       sa35_ss_layer **layers, int *count, sa35_err *err);
int sa35_ss_topo_read(const char *path, int gemm, sa35_ss_layer **layers,
                      int *count, sa35_err *err);

/* The layer after im2col: ofmap pixels per filter, filters, window; -1
 * (with err naming the layer and the figure) when one of them, the IFMAP's
 * elements or the MACs (pixels x filters x window) does not fit in 64 bits.
 * The topology reader refuses such a row, so a parsed layer has dims. */
int sa35_ss_layer_dims(const sa35_ss_layer *l, int64_t *ofmap_px,
                       int64_t *filters, int64_t *window, sa35_err *err);

/* A layer's report items, in SCALE-Sim's column order. Cycle columns that
 * SCALE-Sim prints as floats are doubles here. */
typedef struct sa35_ss_result {
    int64_t total_cycles, stall_cycles;
    double overall_util, mapping_eff, compute_util; /* percent             */
    double sram_bw[3], dram_bw[3];   /* ifmap, filter, ofmap: words/cycle  */
    double sram_start[3], sram_stop[3];
    int64_t sram_count[3];           /* reads, reads, writes               */
    double dram_start[3], dram_stop[3];
    int64_t dram_count[3];
} sa35_ss_result;

/* How the Python that runs SCALE-Sim adds floats (its averages' last
 * digits depend on it): 3.12 and later compensate, 3.11 and older not. */
typedef enum sa35_ss_pysum {
    SA35_SS_SUM_PY312 = 0,
    SA35_SS_SUM_PY311 = 1
} sa35_ss_pysum;

/* SCALE-Sim v2's closed form for a stall-free run (docs/scalesim.md).
 * -1 with err naming the layer when a count of the report (cycles, SRAM
 * accesses) does not fit in 64 bits. */
int sa35_ss_compat(const sa35_ss_config *c, const sa35_ss_layer *l,
                   sa35_ss_pysum sum, sa35_ss_result *r, sa35_err *err);
/* The sa35 array's own cycles for the same layer, from a GEMM engine:
 * M = ofmap pixels, K = window, N = filters; int8 x 3.5-bit PEs (2 k per
 * row), weights streamed at the config's bandwidth (USER; 10 words/cycle
 * for CALC, as SCALE-Sim assumes). */
int sa35_ss_native(const sa35_ss_config *c, const sa35_ss_layer *l,
                   const sa35_gemm_engine *eng, sa35_ss_result *r,
                   sa35_err *err);
/* The system sa35_ss_native builds from a config. */
void sa35_ss_system(const sa35_ss_config *c, sa35_system *s);

/* The three reports into dir (atomically: all or none). */
int sa35_ss_write_reports(const char *dir, const sa35_ss_result *r, int n,
                          sa35_err *err);
/* Python's repr of a float (shortest round trip, "100.0", "1e-05"), as
 * SCALE-Sim's reports print numbers. buf holds 32 bytes. */
void sa35_ss_pyfloat(double x, char *buf);

#ifdef __cplusplus
}
#endif
#endif /* SA35_SCALESIM_H */
