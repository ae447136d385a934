/* sa35_sweep.h: `sa35 sweep`: design-space exploration. A spec (JSON)
 * names a base model, system and run options and axes: lists or ranges of
 * values of their parameters, crossed (a product) or zipped (advancing
 * together). One point is one projection (sa35_project) of the base system
 * with the point's values written over its fields. Points run in worker
 * processes on every core; each is written atomically to
 * DIR/points/NNNNN.json, so a rerun skips what is done and any scheduler
 * can split the work (--shard I/N); a merge writes one tidy CSV with the
 * Pareto front of tokens/s against J/token (docs/sweep.md). */
#ifndef SA35_SWEEP_H
#define SA35_SWEEP_H

#include <stdint.h>

#include "sa35_cmodel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The parameters a spec may set, base value or axis: their names are the
 * spec's keys and the CSV's columns (docs/sweep.md, "Keys"). */
typedef enum sa35_sweep_key {
    SA35_SK_MODEL, SA35_SK_SYSTEM, SA35_SK_PHASE, SA35_SK_BATCH,
    SA35_SK_SEQ, SA35_SK_FORMAT, SA35_SK_NODE, SA35_SK_PE, SA35_SK_ROWS,
    SA35_SK_COLS, SA35_SK_LOAD_ROWS, SA35_SK_ACC_ROWS, SA35_SK_CLOCK,
    SA35_SK_SRAM, SA35_SK_OFFCHIP, SA35_SK_OFFCHIP_BW, SA35_SK_CHIPS,
    SA35_SK_KV_BITS, SA35_SK_COUNT
} sa35_sweep_key;

const char *sa35_sweep_key_name(sa35_sweep_key k);

/* One value of a key: a string (str[0] != 0) or a number. */
typedef struct sa35_sweep_val {
    double num;
    char str[64];
} sa35_sweep_val;

/* One axis: a key and its values. */
typedef struct sa35_sweep_axis {
    sa35_sweep_key key;
    int n;
    sa35_sweep_val *v;
} sa35_sweep_axis;

/* An element of "axes": one axis, or several zipped (same length). */
typedef struct sa35_sweep_group {
    int first, count; /* axes[first .. first + count) */
    int n;            /* values of each                */
} sa35_sweep_group;

#define SA35_SWEEP_MAX_AXES 32
#define SA35_SWEEP_MAX_POINTS 100000

typedef struct sa35_sweep_spec {
    char path[4096];            /* the spec file, for messages        */
    char *text;                 /* its text (copied into DIR)         */
    int has_base[SA35_SK_COUNT];
    sa35_sweep_val base[SA35_SK_COUNT];
    int activity_assumed;       /* "activity": a rate; else measured  */
    double activity;
    int throttle;               /* "throttle": false turns it off     */
    sa35_sweep_axis axes[SA35_SWEEP_MAX_AXES];
    int naxes;
    sa35_sweep_group groups[SA35_SWEEP_MAX_AXES];
    int ngroups;
    int64_t npoints;            /* the product of the groups' n        */
} sa35_sweep_spec;

/* Parse a spec (text read from path); every error names path and the key
 * or axis ("SPEC: axes[1].load_rows: ..."). */
int sa35_sweep_spec_parse(const char *text, const char *path,
                          sa35_sweep_spec *sp, sa35_err *err);
int sa35_sweep_spec_read(const char *path, sa35_sweep_spec *sp,
                         sa35_err *err);
void sa35_sweep_spec_free(sa35_sweep_spec *sp);

/* Point i's values: set[k] says whether the spec gives key k (base or
 * axis) and v[k] is it. Points are in the order of nested loops over the
 * groups, the first group outermost. */
void sa35_sweep_point(const sa35_sweep_spec *sp, int64_t i,
                      sa35_sweep_val v[SA35_SK_COUNT],
                      int set[SA35_SK_COUNT]);
/* "load_rows=8, format=int4": point i's axis values, for messages. */
void sa35_sweep_point_label(const sa35_sweep_spec *sp, int64_t i, char *buf,
                            size_t n);

/* Every point's inputs load (model, system with its overrides, power
 * config, format): a spec whose point cannot be built is an error naming
 * the spec, the point and its axis values, found before anything is
 * written. */
int sa35_sweep_check(const sa35_sweep_spec *sp, sa35_err *err);

typedef struct sa35_sweep_opts {
    int jobs;            /* worker processes; 0: every online core    */
    int shard, nshards;  /* run points with index % nshards == shard  */
    int progress;        /* a progress line with ETA on stderr         */
} sa35_sweep_opts;

typedef struct sa35_sweep_stats {
    int64_t in_shard;    /* points of this shard                      */
    int64_t skipped;     /* already in DIR                            */
    int64_t ran;         /* run now                                   */
    int64_t not_ok;      /* of those, could not run (ok = 0)          */
    int jobs;            /* workers used                              */
    double seconds;
} sa35_sweep_stats;

/* Run the spec's points of this shard that DIR does not hold yet. A DIR
 * that does not exist is made with the spec in it (DIR/spec.json) and
 * points/; one that holds another spec is refused. */
int sa35_sweep_run(const sa35_sweep_spec *sp, const char *dir,
                   const sa35_sweep_opts *o, sa35_sweep_stats *st,
                   sa35_err *err);

/* DIR/sweep.csv from DIR/spec.json and every point of it (all must have
 * run): one row per point in point order, the parameters, the metrics,
 * pareto (1: on the front of max tokens/s, min J/token among the points
 * that ran) and why (the reason a point could not run). *nrows, *nfront:
 * what it wrote. */
int sa35_sweep_merge(const char *dir, int64_t *nrows, int64_t *nfront,
                     sa35_err *err);

#ifdef __cplusplus
}
#endif
#endif /* SA35_SWEEP_H */
