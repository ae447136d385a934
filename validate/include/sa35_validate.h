/* sa35_validate.h: validation cases, each a published measurement of a
 * real system and the sa35 run that should reproduce it (validation/NAME.json,
 * docs/validation.md). A case names the model or network, the system file,
 * the workload, the metric, the published value with its source, and the
 * tolerance with its own; a case sa35 does not meet yet says why in
 * "known_gap" and is reported, not gated. `sa35 validate` runs them all. */
#ifndef SA35_VALIDATE_H
#define SA35_VALIDATE_H

#include "sa35_cmodel.h"
#include "sa35_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The metrics a case can compare, from one `sa35 model` run (the table is
 * validate_metrics.c; docs/validation.md defines each). */
typedef struct sa35_vmetric {
    const char *name;  /* "tops", ...                                    */
    const char *unit;  /* "TOPS", "%", ...                               */
    const char *what;  /* how sa35 computes it                           */
    double (*of)(const sa35_run *r);
} sa35_vmetric;
const sa35_vmetric *sa35_vmetrics(int *count);
const sa35_vmetric *sa35_vmetric_find(const char *name);

typedef struct sa35_vcase {
    char path[512];
    char name[64];
    char what[256];
    char model[256], system[256]; /* names or paths (sa35_find_*)      */
    sa35_workload work;
    const sa35_vmetric *metric;
    double published;
    char source[1024];            /* of the published value            */
    int points;                   /* 1: tolerance in points (shares),  */
    double tolerance;             /* 0: relative (0.15 = 15 %)          */
    char tolerance_source[512];
    char assumptions[2048];       /* "; "-joined, as written            */
    char known_gap[1024];         /* empty: the case is gated          */
    /* sa35_vcase_run fills these */
    double value;                 /* sa35's                            */
    double difference;            /* value - published (points) or     */
                                  /* value / published - 1 (relative)  */
    int within;
} sa35_vcase;

/* Parse one case file's text; errors name the file and the key. */
int sa35_vcase_parse(const char *text, const char *path, sa35_vcase *c,
                     sa35_err *err);
int sa35_vcase_read(const char *path, sa35_vcase *c, sa35_err *err);
/* Run the case's model on its system (timing engine) and compare. */
int sa35_vcase_run(sa35_vcase *c, sa35_err *err);

/* Every case file (*.json) of dir, sorted by name, read: *cases malloc'd. */
int sa35_vcases_load(const char *dir, sa35_vcase **cases, int *count,
                     sa35_err *err);

/* Reports: the table (published | sa35 | difference | tolerance | status
 * | source) to f; validate.csv and validate.json in dir, atomically. */
void sa35_vcases_print(const sa35_vcase *c, int n, FILE *f);
int sa35_vcases_write(const sa35_vcase *c, int n, const char *dir,
                      sa35_err *err);

#ifdef __cplusplus
}
#endif
#endif /* SA35_VALIDATE_H */
