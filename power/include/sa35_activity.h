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
 *   weight  toggles_weight / (2 registers x code bits x K N / k-per-row)
 * writes = busy PE-cycles x (M + 1) / M (busy PE-cycles = MACs / k-per-row):
 * a tile's M rows write each data register M + 1 times, as the register is
 * cleared after the last row (or takes the next tile's first). At M = 1
 * (decode, batch 1) that doubles the writes. The swap flag's toggles ride
 * in act and skew. */
#ifndef SA35_ACTIVITY_H
#define SA35_ACTIVITY_H

#include <stdint.h>

#include "sa35_cmodel.h"
#include "sa35_isa.h"

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
    sa35_pe_kind pe;     /* the PE kind simulated (its weight format)      */
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
    sa35_pe_kind pe;     /* the PE kind: weights quantized to its format    */
    uint64_t seed;
} sa35_activity_work;

#define SA35_ACTIVITY_SEED 35u
#define SA35_ACTIVITY_MAX_M 64     /* rows streamed per tile               */
#define SA35_ACTIVITY_K_TILES 3    /* K tiles of k-per-row R k each        */

/* Measure: Gaussian weights quantized to the PE kind's format
 * (sa35_quantize), Gaussian activations quantized per row
 * (sa35_quantize_activations), compiled and run by the cycle-accurate
 * simulator (sa35_sim_gemm) on the system's array of that PE kind. */
int sa35_activity_measure(const sa35_activity_work *w, sa35_activity *act,
                          sa35_err *err);

/* Skew and de-skew register bits per PE of a full R x C tile: the left
 * skew holds r activation registers in row r (act_bits = 8 k-per-row
 * each), the de-skew C-1-c psums under column c:
 * (R(R-1)/2 x act_bits + C(C-1)/2 x psum) / (R C). */
double sa35_skew_bits_per_pe(int32_t rows, int32_t cols, int psum_bits,
                             int act_bits);

#ifdef __cplusplus
}
#endif
#endif /* SA35_ACTIVITY_H */
