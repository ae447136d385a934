/* sa35_project.h: `sa35 project`: a model on a system, with what it costs.
 * A model run (model/: cycles, bytes, chips) is turned into events, the
 * events into joules (sa35_power.h), the joules into watts per chip and
 * the watts into a junction temperature with leakage fed back and, above
 * the limit, a throttled clock that feeds back into tokens/s. The same run
 * at 4 and 8 bits per weight stands beside the 3.5-bit one
 * (docs/power.md, "Projection"). */
#ifndef SA35_PROJECT_H
#define SA35_PROJECT_H

#include <stdio.h>

#include "sa35_activity.h"
#include "sa35_model.h"
#include "sa35_power.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One number of the power config with its source, for the report. */
typedef struct sa35_passume {
    char key[32];
    char value[48];
    char source[2048];
} sa35_passume;

#define SA35_PCFG_MAX_ASSUME 12

/* A system's power config: the "power" object of the system's file
 * (systems/NAME.json). Every number is {value, source}. */
typedef struct sa35_power_cfg {
    char origin[300];
    int node_nm;
    char offchip[32];       /* a memory-table row, or "none"             */
    double leak_fraction;   /* leakage at t0 / a chip's peak dynamic     */
    int clock_gating;
    double activity;        /* data-register toggle probability per cycle */
    sa35_thermal th;        /* leak_w0 is set per run                     */
    sa35_passume as[SA35_PCFG_MAX_ASSUME];
    int nas;
} sa35_power_cfg;

/* From system_json, the text of the system file at system_path (which
 * names it in messages and becomes c->origin): its "power" object. A file
 * without one is an error naming the file and the key. */
int sa35_power_cfg_load(const char *system_json, const char *system_path,
                        sa35_power_cfg *c, sa35_err *err);
/* The same, reading the system file at path. */
int sa35_power_cfg_read(const char *path, sa35_power_cfg *c, sa35_err *err);

/* A weight format, one column of the projection: the PE kind that stores
 * its codes (and so the machine simulated) and the groups its scales
 * cover (docs/format.md, "Group scaling"). */
typedef struct sa35_wformat {
    char name[24];          /* "sa35", "sa35-g640", "int4-g128", ...        */
    sa35_pe_kind pe;
    int64_t group;          /* 0: a scale per column; else G k-values      */
} sa35_wformat;

/* "sa35", "int4", "int8", KIND-gG (groups of G k-values) or KIND-g2R
 * (KIND-gR: the same), the array's K tile, k_per_row x s->rows k-values
 * (640 for sa35 on 320 rows). A bad name or a G the format refuses is an
 * error naming the format. */
int sa35_wformat_parse(const char *text, const sa35_system *s,
                       sa35_wformat *f, sa35_err *err);
/* The default columns, at most max: the system's own kind per column,
 * then sa35, sa35-g2R, int4, int4-g128 and int8 (each once). */
int sa35_wformat_defaults(const sa35_system *s, sa35_wformat *f, int max);
#define SA35_PROJ_FORMATS_MAX 8

/* The matrix each format's quality is measured on (sa35 randn's
 * generator): K x N samples of dist times std from seed. */
typedef struct sa35_qmatrix {
    sa35_dist dist;
    uint64_t seed;
    double std;
    int64_t K, N;
    float *w;               /* K x N, row-major (sa35_qmatrix_make)        */
} sa35_qmatrix;
int sa35_qmatrix_make(sa35_qmatrix *q, sa35_err *err);
void sa35_qmatrix_free(sa35_qmatrix *q);

/* One projection: the run in one weight format. */
typedef struct sa35_proj {
    sa35_wformat wf;
    double bits;            /* the codes' bits: 3.5, 4 or 8                */
    double bits_stored;     /* the model's weights as stored, scales        */
                            /* included, per GEMM weight                   */
    int has_quality;        /* quality on opts' matrix (when given)        */
    sa35_quality q;
    int ok;                 /* 0: could not run (why says it)              */
    char why[512];
    sa35_pe_kind pe;        /* the PE kind simulated at these bits         */
    sa35_run run;
    double weight_bytes;    /* the stored weights at these bits            */
    double macs;            /* per step                                    */
    sa35_energy_split e;    /* dynamic energy of a step, all chips         */
    double vector_j;        /* vector-unit energy of a step                */
    double scale_j;         /* group scaling's float32 terms of a step     */
                            /* (in e.dynamic_j)                            */
    double step_s;          /* one step at full clock                      */
    double tokens_per_step;
    double peak_tops;       /* whole system                                */
    double ridge_macs_per_byte; /* peak MAC/s over the weight memory's B/s */
    double p_chip_peak_dyn_w;   /* one chip, array at full use             */
    double p_dyn_hot_w;     /* the hottest chip's mean dynamic power, on   */
                            /* its die (off-chip memory excluded)          */
    double p_dyn_w;         /* all chips, mean over a step                 */
    double leak_w;          /* all chips, at their temperatures            */
    double p_avg_w, p_peak_w;  /* the system: dies, links, memory devices */
    double p_mem_w;         /* of p_avg_w, in the off-chip memory devices  */
    double offchip_pj_per_bit; /* their energy per bit moved (the table's) */
                            /* (not heat at the logic junction)            */
    double tj_c;            /* the hottest chip, steady (throttled if so)  */
    double tj_unthrottled_c;
    int runaway;
    double clock;           /* mean clock fraction (throttling)            */
    double tokens_per_s, tokens_per_s_per_user, latency_s, j_per_token;
    sa35_thermal_run warm;  /* the warm-up transient of the hottest chip   */
    /* The SA35 PE (one 3.5-bit pair, the RTL's psum width) per busy cycle
     * at the run's node and activity, pJ, derived twice: the event model
     * (Horowitz MACs, OSU DFF registers) and the RTL flow's OpenSTA power
     * (rtl_pe table). The same PE whatever the system's own. */
    int pe_psum_bits;
    double pe_pj_horowitz, pe_pj_rtl;
    /* The register toggle rates the energy used (measured or assumed) and,
     * when the caller ran the same projection with the assumed rate
     * (has_alt), its figures beside these. */
    sa35_activity act;
    char tables[5][160];    /* each table's origin (a path or "built-in") */
    double vdd;             /* the supply the energies were scaled to     */
    int has_alt;
    char alt_what[96];      /* which rates the alternative used            */
    double alt_j_per_token, alt_power_w, alt_tj_c, alt_reg_j;
} sa35_proj;

typedef struct sa35_proj_opts {
    sa35_workload work;
    int node_nm;            /* 0: the power config's                       */
    int throttle;           /* 1: lower the clock above tmax               */
    /* 0 (default): register toggle rates measured by the cycle simulator
     * (sa35_activity_measure; an int8-PE system, which it cannot run,
     * falls back to the power config's activity); 1: `activity` for every
     * register class (the power config's when activity < 0). */
    int activity_assumed;
    double activity;
    /* the matrix each format's SQNR is measured on; NULL: none */
    const sa35_qmatrix *qm;
    /* the energy and area tables: NULL, the built-ins; else a directory
     * whose NAME.json replace them (sa35_ptables_load) */
    const char *tables_dir;
    double vdd;             /* 0: the scaling table's for the node         */
} sa35_proj_opts;

/* Run the model with weights in format f on the system (its PEs of f's
 * kind, its scales in f's groups) and cost it. A run that cannot happen
 * (does not fit, a group the array cannot run) is ok = 0 with why set,
 * not an error; errors are bad inputs. */
int sa35_project(const sa35_llm *m, const sa35_system *s,
                 const sa35_power_cfg *pc, const sa35_proj_opts *o,
                 const sa35_wformat *f, sa35_proj *p, sa35_err *err);
void sa35_proj_free(sa35_proj *p);

/* The per-step power trace of the hottest chip's ops, and the warm-up of
 * its junction (time from 0, Tj, power): n points, malloc'd arrays. */
int sa35_proj_warmup(const sa35_proj *p, const sa35_power_cfg *pc,
                     int throttle, double **t, double **tj, double **pw,
                     size_t *n, sa35_err *err);

/* Reports in dir: project.json, project.csv, project.md and the plots
 * (layers.svg, roofline.svg, power_time.svg, tj_time.svg, energy_bits.svg),
 * through an sa35_outdir (sa35_io.h): all appear or none, and a failure
 * leaves no directory behind that was not there. p[0] is the main run; np
 * runs in all. */
int sa35_proj_write(const sa35_proj *p, int np, const sa35_power_cfg *pc,
                    const sa35_proj_opts *o, const char *dir, sa35_err *err);
/* The table and every assumption, as text. */
void sa35_proj_print(const sa35_proj *p, int np, const sa35_power_cfg *pc,
                     const sa35_proj_opts *o, FILE *f);

#ifdef __cplusplus
}
#endif
#endif /* SA35_PROJECT_H */
