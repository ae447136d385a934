/* sa35_activity.h: register toggle rates for the energy model, measured by
 * the cycle-accurate simulator on a small GEMM with realistic data instead
 * of assumed (docs/power.md, "Measured register activity").
 *
 * A rate is the simulator's toggle count of one register class divided by
 * the bit count the energy model charges for that class on the same GEMM,
 * so the model applied to the measured GEMM gives back the simulator's
 * toggles exactly. Each is a probability per register bit per write:
 *   psum    toggles_psum   / (writes x psum bits)
 *   act     toggles_act    / (writes x 8 k-per-row)
 *   skew    toggles_skew   / (writes x sa35_skew_bits_per_pe)
 *   weight  toggles_weight / (2 registers x pair bits x K N / k-per-row)
 * writes = busy PE-cycles x (M + 1) / M (busy PE-cycles = MACs / k-per-row):
 * a tile's M rows write each data register M + 1 times, as the register is
 * cleared after the last row (or takes the next tile's first). At M = 1
 * (decode, batch 1) that doubles the writes. The swap flag's toggles ride
 * in act and skew. */
#ifndef SA35_ACTIVITY_H
#define SA35_ACTIVITY_H

#include <stdint.h>

#include "sa35_cmodel.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sa35_activity {
    int measured;        /* 1: from a run; 0: one assumed rate for all     */
    double psum, act, skew, weight;
    /* measured only */
    double zero_act, zero_weight; /* zero MAC operands (not gated: report) */
    int64_t M, K, N;     /* the GEMM                                        */
    int32_t rows, cols;  /* the array it ran on                             */
    int psum_bits;
    uint64_t seed;
    double bits;         /* weight format: 3.5 (sa35), 4 (int4), 8 (int8)   */
    double seconds;      /* wall time of the measurement                    */
    char source[480];    /* how each class was obtained                     */
} sa35_activity;

/* The same rate for every class (the power config's assumption or
 * `--activity X`). */
void sa35_activity_assumed(double a, sa35_activity *act);

/* The workload: a GEMM of the model's q projection cut to a few tiles. */
typedef struct sa35_activity_work {
    int32_t rows, cols;  /* the system's array                              */
    int32_t load_rows;   /* its weight-load rows per cycle (mm spacing)     */
    int64_t hidden;      /* the model's hidden size (K and N of q)          */
    int64_t m;           /* activation rows: the batch (decode) or the      */
                         /* prompt rows (prefill); capped                   */
    double bits;         /* 3.5, 4 or 8                                     */
    uint64_t seed;
} sa35_activity_work;

#define SA35_ACTIVITY_SEED 35u
#define SA35_ACTIVITY_MAX_M 64     /* rows streamed per tile               */
#define SA35_ACTIVITY_K_TILES 3    /* K tiles of 2R k each                 */

/* Measure: Gaussian weights quantized in the format (sa35_quantize),
 * Gaussian activations quantized per row (sa35_quantize_activations),
 * compiled and run by the cycle-accurate simulator (sa35_sim_gemm) on the
 * system's array with SA35 weights. The simulator runs SA35 pairs only; at
 * 4 and 8 bits the psum and weight classes come from the same data fed
 * through sa35_toggle_replica (the simulator's dataflow without its
 * timing; it matches the simulator at 3.5 bits, tests/test_power_activity.c)
 * and act and skew are the simulator's (the same activations through the
 * same array). */
int sa35_activity_measure(const sa35_activity_work *w, sa35_activity *act,
                          sa35_err *err);

/* Skew and de-skew register bits per PE of a full R x C tile: the left
 * skew holds r activation pairs in row r (16 bits each), the de-skew
 * C-1-c psums under column c: (R(R-1)/2 x 16 + C(C-1)/2 x psum) / (R C). */
double sa35_skew_bits_per_pe(int32_t rows, int32_t cols, int psum_bits,
                             int act_bits);

/* The psum and weight register toggles of an M x K x N GEMM on an R x C
 * weight-stationary array, for any integer weights (codes from
 * sa35_qweights_code, two k per PE row, stored as code_bits each): tiles
 * of 2R k x C columns, column tiles outer, K tiles inner (the compiler's
 * order); within a tile the M rows pass each PE back to back, starting
 * from and ending in a cleared (zero) register; every PE row passes the
 * psum down (rows past the tile's K add nothing); a weight tile is written
 * to the shadow then swapped to the active register (both flip the same
 * bits). psum flips are counted over the low psum_bits. */
typedef struct sa35_replica_counts {
    uint64_t psum, weight, busy, zero_weights, weights;
} sa35_replica_counts;

int sa35_toggle_replica(const int8_t *A, int64_t M, const sa35_qweights *q,
                        int32_t rows, int32_t cols, int psum_bits,
                        int code_bits, sa35_replica_counts *out,
                        sa35_err *err);

#ifdef __cplusplus
}
#endif
#endif /* SA35_ACTIVITY_H */
