/* sweep_internal.h: what the sweep's files share: the table of keys, one
 * point's inputs, the point file's name and the metrics' columns. */
#ifndef SA35_SWEEP_INTERNAL_H
#define SA35_SWEEP_INTERNAL_H

#include "sa35_project.h"
#include "sa35_sweep.h"

typedef enum sweep_type { SWT_STR, SWT_INT, SWT_NUM } sweep_type;

/* A key: its type and, for a system field, where it sits in the system
 * file (section.field); sec NULL for the run's own keys. */
typedef struct sweep_keydef {
    const char *name;
    sweep_type type;
    const char *sec, *field;
} sweep_keydef;

const sweep_keydef *sweep_keydef_of(sa35_sweep_key k);
/* The key named name; -1 if none. */
int sweep_key_find(const char *name);

/* What one point runs. */
typedef struct sweep_inputs {
    sa35_llm m;
    sa35_system s;
    sa35_power_cfg pc;
    sa35_wformat wf;
    sa35_proj_opts o;
    char model[64];   /* the model as the spec names it */
} sweep_inputs;

/* Point i's inputs, errors prefixed with the spec and the point. */
int sweep_inputs_load(const sa35_sweep_spec *sp, int64_t i, sweep_inputs *in,
                      sa35_err *err);
/* Run point i and write dir/points/NNNNN.json; *ok: the run's ok. qm is
 * the caller's quality matrix, kept between points (made again only when
 * the model's hidden size changes; zero it before the first point, free it
 * with sa35_qmatrix_free after the last). */
int sweep_point_run(const sa35_sweep_spec *sp, int64_t i, const char *dir,
                    sa35_qmatrix *qm, int *ok, sa35_err *err);
/* dir/points/NNNNN.json of point i, into buf. */
int sweep_point_path(const char *dir, int64_t i, char *buf, size_t n,
                     sa35_err *err);

/* DIR ready for points: made with the spec in it, or holding this spec. */
int sweep_dir_prepare(const sa35_sweep_spec *sp, const char *dir,
                      sa35_err *err);

/* A metric: the point file's key and the CSV's column. */
extern const char *const sweep_metrics[];
extern const int sweep_nmetrics;

#endif
