/* sa35_power.h: energy, power and heat (docs/power.md).
 *
 *  - Tables: named constants, each with its unit and its published source,
 *    read from JSON (the files in power/tables/ are built in; a user may pass
 *    others). A constant without a source is an error, not a default.
 *  - Energy model: energy = sum over events of count x energy per event
 *    (MACs by operand width, register toggles and clocked register bits,
 *    SRAM bytes by macro size, off-chip and chip-to-chip bytes), with the
 *    45 nm table (Horowitz, ISSCC 2014) scaled to the target node by the
 *    Stillmaker & Baas (2017) energy polynomials.
 *  - Thermal model: a compact RC ladder (junction -> package -> heat sink
 *    -> ambient), exact in steady state and, for piecewise-constant power,
 *    in transient; leakage that grows exponentially with temperature, fed
 *    back to a fixed point (or reported as thermal runaway); throttling.
 *  - SVG plots written directly (no plotting dependency).
 *
 * Every function that can fail returns 0 or -1 with a one-line message in
 * err, and writes no output file on failure. */
#ifndef SA35_POWER_H
#define SA35_POWER_H

#include <stddef.h>
#include <stdint.h>

#include "sa35_cmodel.h"
#include "sa35_isa.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cJSON; /* the parsed JSON of a system config (cJSON) */

/* ------------------------------------------------------------- tables */
typedef struct sa35_pconst {
    char *name;
    double value;
    char *unit;
    char *source; /* never empty: where the number comes from */
} sa35_pconst;

typedef struct sa35_ptable {
    char *name;       /* the file's "table" field                        */
    char *origin;     /* the file it came from, or "built-in NAME"       */
    sa35_pconst *c;   /* in file order                                   */
    int n;
} sa35_ptable;

/* JSON: {"table": NAME, "constants": [{"name", "value", "unit",
 * "source"}, ...]}. Every field is required, names are unique, values are
 * finite and (unless the unit is "coefficient") not negative. `what` names
 * the text in messages (a path). */
int sa35_ptable_parse(const char *json, const char *what, sa35_ptable *t,
                      sa35_err *err);
int sa35_ptable_load(const char *path, sa35_ptable *t, sa35_err *err);
/* The tables compiled into the library from power/tables/NAME.json:
 * "horowitz45", "node_scaling", "memory", "osu018_cells", "rtl_pe". */
int sa35_ptable_builtin(const char *name, sa35_ptable *t, sa35_err *err);
/* The text of a built-in table ("horowitz45", ...), or NULL. */
const char *sa35_power_builtin_json(const char *name);
/* NULL-terminated list of the built-in table names. */
const char *const *sa35_ptable_builtin_names(void);
void sa35_ptable_free(sa35_ptable *t);
const sa35_pconst *sa35_ptable_find(const sa35_ptable *t, const char *name);
/* The value of a constant that must exist (an error naming the table
 * otherwise). */
int sa35_ptable_get(const sa35_ptable *t, const char *name, double *v,
                    sa35_err *err);

/* The tables a projection reads, as one set: each from DIR/NAME.json when
 * dir is given and the file is there (its "table" must be NAME), else the
 * built-in NAME; a .json in DIR that names no table is an error (a typo
 * would be silently unused). Each table's origin says which it is. */
typedef struct sa35_ptables {
    sa35_ptable horowitz, scaling, memory, cells, rtl;
} sa35_ptables;
int sa35_ptables_load(const char *dir, sa35_ptables *ts, sa35_err *err);
void sa35_ptables_free(sa35_ptables *ts);

/* ---------------------------------------------------------- node scaling
 * Stillmaker & Baas energy factor F(node, V) = a V^2 + b V + c; energy at
 * node y = energy at node x * F(y, Vy) / F(x, Vx). Nodes: 180, 130, 90,
 * 65, 45, 32, 20, 16, 14, 10, 7 (the paper's range) and 5 (extrapolated,
 * see the table). Vdd 0 means the table's operating voltage for the
 * node. */
int sa35_node_energy_factor(const sa35_ptable *scaling, int node_nm,
                            double vdd, double *factor, double *vdd_used,
                            sa35_err *err);
/* Multiply an energy at (from_nm, from_vdd) by this to get it at
 * (to_nm, to_vdd). */
int sa35_node_energy_scale(const sa35_ptable *scaling, int from_nm,
                           double from_vdd, int to_nm, double to_vdd,
                           double *scale, sa35_err *err);

/* --------------------------------------------------------- energy model
 * Per-event energies at the target node, in pJ. */
typedef struct sa35_energy_model {
    int node_nm;
    double vdd;
    double scale_from_45;   /* Stillmaker factor applied to Horowitz 45 nm */
    double scale_from_180;  /* ... and to the OSU 0.18 um cell energies    */
    double mul8x8_pj;       /* 8 x 8 bit integer multiply                 */
    double add8_pj, add32_pj;   /* 8 and 32 bit integer add               */
    double sram_pj_per_byte[3]; /* 8 KB, 32 KB, 1 MB macros (Horowitz)    */
    double ff_toggle_pj;    /* one register bit that changes value        */
    double ff_clock_pj;     /* one register bit clocked, per cycle        */
    double offchip_pj_per_byte;
    double link_pj_per_byte;
    char offchip[32];       /* which memory row of the table ("hbm2")     */
} sa35_energy_model;

/* Build from the four tables for a node (16, 7, 5 or any in the scaling
 * table), vdd (0: the table's) and an off-chip memory kind (a prefix of
 * constants in the memory table: "hbm2", "hbm2e", "ddr"). */
int sa35_energy_model_build(const sa35_ptable *horowitz,
                            const sa35_ptable *scaling,
                            const sa35_ptable *memory,
                            const sa35_ptable *cells, int node_nm, double vdd,
                            const char *offchip, sa35_energy_model *m,
                            sa35_err *err);
/* The same from the built-in tables. */
int sa35_energy_model_default(int node_nm, const char *offchip,
                              sa35_energy_model *m, sa35_err *err);
/* The same from a table set. */
int sa35_energy_model_of(const sa35_ptables *ts, int node_nm, double vdd,
                         const char *offchip, sa35_energy_model *m,
                         sa35_err *err);

/* The energy per busy cycle of the PE of kind `kind` ("sa35", "int4",
 * "int8": sa35_pe_desc.name; its k_per_row MACs, its registers and their
 * clock) from the RTL flow's OpenSTA power (the "rtl_pe" table, written by
 * rtl/synth/rtl_pe_table.py: KIND.power_mw = P at the table's toggle rate
 * a1 and KIND.power_idle_mw = P0 at rate 0, one clock period T at 180 nm /
 * 1.8 V): (P0 + (P - P0) activity / a1) T, scaled to node_nm at vdd (0:
 * the scaling table's voltage), in pJ. */
int sa35_pe_energy_rtl_kind(const sa35_ptable *rtl, const char *kind,
                            const sa35_ptable *scaling, int node_nm,
                            double vdd, double activity, double *pj,
                            sa35_err *err);
/* The same for the sa35 PE (one 3.5-bit pair: 2 MACs). */
int sa35_pe_energy_rtl(const sa35_ptable *rtl, const sa35_ptable *scaling,
                       int node_nm, double vdd, double activity, double *pj,
                       sa35_err *err);

/* What a PE holds and does per busy cycle: its kind's descriptor
 * (pe_energy.c). */
typedef struct sa35_pe_shape {
    int kpr;          /* k per PE row: 2 (pairs), 1 (TPU-like int8)      */
    int wbits[2];     /* the two weights' widths (the second 0 if kpr 1) */
    int pair_bits;    /* weight register bits per PE (one copy)          */
    int psum_bits;
} sa35_pe_shape;

/* The PE of kind `kind` in an array of `rows` rows. */
sa35_pe_shape sa35_pe_shape_of(int32_t rows, sa35_pe_kind kind);
/* Energy of one MAC (mean over the PE's weights), pJ. */
double sa35_pe_mac_pj(const sa35_energy_model *em, const sa35_pe_shape *sh);
/* Register bits a PE clocks every cycle: active and shadow weights, the
 * activation pair passing right, the partial sum passing down. */
int sa35_pe_clock_bits(const sa35_pe_shape *sh);
/* A PE's energy per busy cycle (pJ): its MACs, the data registers that
 * change (activity of them) and every register clocked. */
double sa35_pe_cycle_pj(const sa35_energy_model *em, const sa35_pe_shape *sh,
                        double activity);
/* The synthesized PE of kind `kind` (at the "rtl_pe" table's psum width
 * for it, KIND.psum_bits: a 320-row array's) derived twice, at em's node
 * and voltage and the activity: the event model (horowitz_pj) and the RTL
 * flow's OpenSTA power of that kind's PE (rtl_pj). */
int sa35_pe_two_ways(const sa35_ptables *ts, const sa35_energy_model *em,
                     sa35_pe_kind kind, double activity, double *horowitz_pj,
                     double *rtl_pj, int *psum_bits, sa35_err *err);

/* An a x w bit multiply: 8x8 energy x (a w) / 64 (partial products of an
 * array multiplier). An n-bit add: linear through the 8 and 32 bit
 * points. SRAM per byte: piecewise linear in log(size) through the three
 * macro sizes, extended with the end slopes. */
double sa35_energy_mul_pj(const sa35_energy_model *m, int a_bits, int w_bits);
double sa35_energy_add_pj(const sa35_energy_model *m, int bits);
double sa35_energy_sram_pj_per_byte(const sa35_energy_model *m,
                                    double macro_bytes);

#define SA35_POWER_MAX_SRAM 8
/* What a run did, as the simulator counts it. */
typedef struct sa35_power_events {
    /* multiply-accumulates of an int8 activation by a weight of w bits
     * (index w = 1..8); each is one a x w multiply and one psum-wide add */
    double macs[9];
    int act_bits;              /* 8                                     */
    int psum_bits;             /* width of the accumulating adder       */
    double reg_toggles;        /* register bits that changed value      */
    double reg_bit_cycles;     /* register bits clocked x cycles        */
    int nsram;
    double sram_macro_bytes[SA35_POWER_MAX_SRAM];
    double sram_bytes[SA35_POWER_MAX_SRAM]; /* bytes read + written     */
    double offchip_bytes;
    double link_bytes;         /* chip-to-chip                          */
    double seconds;            /* wall time of the run (for leakage)    */
} sa35_power_events;

typedef struct sa35_energy_split {
    double mac_j, reg_j, clock_j, sram_j, offchip_j, link_j;
    double dynamic_j; /* the sum of the above                            */
} sa35_energy_split;

void sa35_energy_eval(const sa35_energy_model *m, const sa35_power_events *ev,
                      sa35_energy_split *out);

/* ---------------------------------------------------------- heat
 * Stage i (0 = junction) has heat capacity cap[i] (J/K) and thermal
 * resistance theta[i] (K/W) to the next stage; the last stage's theta goes
 * to ambient. Power enters at the junction. */
#define SA35_THERMAL_MAX_STAGES 8

typedef struct sa35_thermal {
    int n;
    char name[SA35_THERMAL_MAX_STAGES][24];
    double theta[SA35_THERMAL_MAX_STAGES]; /* K/W, > 0                    */
    double cap[SA35_THERMAL_MAX_STAGES];   /* J/K, > 0                    */
    double t_amb;      /* ambient, deg C                                  */
    double t_max;      /* throttle threshold (and the reported limit)    */
    double leak_w0;    /* leakage power at t_leak0 (W, >= 0)             */
    double t_leak0;
    double t_slope;    /* leakage grows by e every t_slope kelvin (> 0)  */
    double throttle_clock; /* clock fraction while throttled, (0, 1]     */
    double throttle_hyst;  /* throttle releases below t_max - hyst (K)   */
} sa35_thermal;

/* Range checks: "theta of stage 'package' is -1: must be > 0" etc. */
int sa35_thermal_check(const sa35_thermal *th, sa35_err *err);
/* From a JSON object {"ambient_c", "tmax_c", "stages": [{"name",
 * "theta_k_per_w", "c_j_per_k"}, ...], "leakage": {"w_at_t0", "t0_c",
 * "t_slope_k"}, "throttle": {"clock_fraction", "hysteresis_k"}}. */
int sa35_thermal_from_cjson(const struct cJSON *obj, const char *what,
                            sa35_thermal *th, sa35_err *err);
int sa35_thermal_parse(const char *json, const char *what, sa35_thermal *th,
                       sa35_err *err);

double sa35_thermal_theta_total(const sa35_thermal *th);
/* Leakage at temperature t (deg C). */
double sa35_thermal_leak_w(const sa35_thermal *th, double t);
/* Steady node temperatures for a constant junction power (no leakage
 * feedback): T[k] = T_amb + P * sum_{i >= k} theta[i]. */
void sa35_thermal_steady(const sa35_thermal *th, double p_w, double *t);

typedef struct sa35_thermal_fix {
    int runaway;       /* 1: no fixed point (leakage outruns the sink)   */
    double tj;         /* the junction temperature (stable fixed point)  */
    double p_leak_w;
    double p_total_w;
    int iterations;
    double p_dyn_max_w;/* the largest dynamic power with a fixed point   */
} sa35_thermal_fix;

/* Tj = T_amb + theta_total (P_dyn + P_leak(Tj)), solved by Newton from
 * ambient (monotone: the residual is convex). Never fails for a checked
 * th; runaway is a result, not an error. */
void sa35_thermal_steady_leak(const sa35_thermal *th, double p_dyn_w,
                              sa35_thermal_fix *out);

/* Transient: exact for power held constant over each step (zero-order
 * hold), T(t+dt) = T_ss(P) + exp(A dt) (T(t) - T_ss(P)), A = -C^-1 G. */
typedef struct sa35_thermal_sim {
    sa35_thermal th;
    double dt;
    double t[SA35_THERMAL_MAX_STAGES];
    double expa[SA35_THERMAL_MAX_STAGES * SA35_THERMAL_MAX_STAGES];
} sa35_thermal_sim;

/* Start at ambient (t0 == NULL) or at the given node temperatures. */
int sa35_thermal_sim_init(sa35_thermal_sim *s, const sa35_thermal *th,
                          double dt, const double *t0, sa35_err *err);
/* Advance one step with junction power p_w held over it. */
void sa35_thermal_sim_step(sa35_thermal_sim *s, double p_w);

typedef struct sa35_thermal_run {
    int runaway;        /* Tj passed SA35_THERMAL_RUNAWAY_C               */
    double tj_peak, tj_end;
    double p_peak_w, p_avg_w;
    double clock_avg;   /* mean clock fraction (1 without throttling)    */
    double throttled_s; /* time spent throttled                          */
    size_t steps;       /* steps simulated (fewer than n after runaway)  */
} sa35_thermal_run;

#define SA35_THERMAL_RUNAWAY_C 500.0 /* no silicon survives this          */

/* Run a dynamic-power trace p_dyn[i] (W at full clock, held for dt each):
 * each step adds leakage at the current Tj and, with throttle set, runs at
 * th->throttle_clock (dynamic power scaled by it) from when Tj exceeds
 * t_max until it falls below t_max - hyst. Per-step outputs may be NULL;
 * after a runaway the remaining entries repeat the last simulated step. */
int sa35_thermal_transient(const sa35_thermal *th, double dt, size_t n,
                           const double *p_dyn, int throttle, double *tj,
                           double *p_total, double *clock,
                           sa35_thermal_run *out, sa35_err *err);

/* ---------------------------------------------------------- SVG plots */
typedef enum sa35_svg_style {
    SA35_SVG_LINE = 0,
    SA35_SVG_POINTS = 1,
    SA35_SVG_LINE_POINTS = 2,
} sa35_svg_style;

typedef struct sa35_svg_series {
    const char *name;
    const double *x, *y;
    size_t n;
    sa35_svg_style style;
    const char *const *labels; /* per point (POINTS), or NULL            */
} sa35_svg_series;

typedef struct sa35_svg_axes {
    const char *title, *xlabel, *ylabel;
    int logx, logy;
} sa35_svg_axes;

/* An x-y plot of several series; log axes need positive values. */
int sa35_svg_xy(const char *path, const sa35_svg_axes *ax,
                const sa35_svg_series *s, int ns, sa35_err *err);
/* A plot that has nothing to show: its title and one line saying why. */
int sa35_svg_note(const char *path, const char *title, const char *note,
                  sa35_err *err);
/* Stacked bars: nbars bars of nstack parts, values[bar * nstack + part]. */
int sa35_svg_stacked(const char *path, const char *title, const char *ylabel,
                     const char *const *bar_labels, int nbars,
                     const char *const *part_names, int nstack,
                     const double *values, sa35_err *err);

#ifdef __cplusplus
}
#endif
#endif /* SA35_POWER_H */
