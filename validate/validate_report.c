/* validate_report.c: the cases' table on a terminal, validate.csv and
 * validate.json for papers and scripts. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sa35_io.h"
#include "sa35_validate.h"

static const char *status_of(const sa35_vcase *c)
{
    if (c->known_gap[0])
        return c->within ? "gap, now within" : "known gap";
    return c->within ? "within" : "OUTSIDE";
}

static void diff_text(const sa35_vcase *c, char *buf, size_t n)
{
    if (c->points)
        snprintf(buf, n, "%+.1f pts", c->difference);
    else
        snprintf(buf, n, "%+.1f %%", 100 * c->difference);
}

static void tol_text(const sa35_vcase *c, char *buf, size_t n)
{
    if (c->points)
        snprintf(buf, n, "%.3g pts", c->tolerance);
    else
        snprintf(buf, n, "%.3g %%", 100 * c->tolerance);
}

void sa35_vcases_print(const sa35_vcase *c, int n, FILE *f)
{
    fprintf(f, "%-28s %-22s %12s %12s %10s %9s  %s\n", "case", "metric",
            "published", "sa35", "diff", "tolerance", "status");
    for (int i = 0; i < n; i++) {
        char d[32], t[32];
        diff_text(&c[i], d, sizeof d);
        tol_text(&c[i], t, sizeof t);
        fprintf(f, "%-28s %-22s %12.4g %12.4g %10s %9s  %s\n", c[i].name,
                c[i].metric->name, c[i].published, c[i].value, d, t,
                status_of(&c[i]));
    }
    fprintf(f, "\nper case: what, the published value's source, the "
               "tolerance's, the assumptions, and why a known gap is "
               "one (docs/validation.md):\n");
    for (int i = 0; i < n; i++) {
        fprintf(f, "\n%s: %s (%s: %s)\n", c[i].name, c[i].what,
                c[i].metric->unit, c[i].metric->what);
        fprintf(f, "  published: %.6g %s; %s\n", c[i].published,
                c[i].metric->unit, c[i].source);
        fprintf(f, "  tolerance: %s\n", c[i].tolerance_source);
        if (c[i].assumptions[0])
            fprintf(f, "  assumptions: %s\n", c[i].assumptions);
        if (c[i].known_gap[0])
            fprintf(f, "  known gap: %s\n", c[i].known_gap);
    }
}

/* One CSV field: quoted, inner quotes doubled. */
static void csv_field(char **p, size_t *len, size_t *cap, const char *s,
                      int last)
{
    size_t need = 2 * strlen(s) + 4;
    if (*len + need >= *cap) {
        size_t nc = (*cap + need) * 2;
        char *q = realloc(*p, nc);
        if (!q)
            return; /* the caller sees the short text: checked below */
        *p = q, *cap = nc;
    }
    char *o = *p + *len;
    *o++ = '"';
    for (; *s; s++) {
        if (*s == '"')
            *o++ = '"';
        *o++ = *s;
    }
    *o++ = '"';
    *o++ = last ? '\n' : ',';
    *o = '\0';
    *len = (size_t)(o - *p);
}

static char *csv_text(const sa35_vcase *c, int n)
{
    static const char head[] =
        "case,metric,unit,published,sa35,difference,difference_unit,"
        "tolerance,status,gated,what,source,tolerance_source,assumptions,"
        "known_gap\n";
    size_t len = strlen(head), cap = len + 4096;
    char *p = malloc(cap);
    if (!p)
        return NULL;
    memcpy(p, head, len + 1);
    for (int i = 0; i < n; i++) {
        char num[5][40];
        snprintf(num[0], sizeof num[0], "%.10g", c[i].published);
        snprintf(num[1], sizeof num[1], "%.10g", c[i].value);
        snprintf(num[2], sizeof num[2], "%.10g",
                 c[i].points ? c[i].difference : 100 * c[i].difference);
        snprintf(num[3], sizeof num[3], "%.10g",
                 c[i].points ? c[i].tolerance : 100 * c[i].tolerance);
        snprintf(num[4], sizeof num[4], "%d", !c[i].known_gap[0]);
        const char *f[] = {c[i].name, c[i].metric->name, c[i].metric->unit,
                           num[0], num[1], num[2],
                           c[i].points ? "points" : "percent", num[3],
                           status_of(&c[i]), num[4], c[i].what, c[i].source,
                           c[i].tolerance_source, c[i].assumptions,
                           c[i].known_gap};
        size_t nf = sizeof f / sizeof *f;
        for (size_t k = 0; k < nf; k++) {
            size_t before = len;
            csv_field(&p, &len, &cap, f[k], k + 1 == nf);
            if (len == before) { /* out of memory */
                free(p);
                return NULL;
            }
        }
    }
    return p;
}

static char *json_text(const sa35_vcase *c, int n)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; arr && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddStringToObject(o, "case", c[i].name);
        cJSON_AddStringToObject(o, "what", c[i].what);
        cJSON_AddStringToObject(o, "metric", c[i].metric->name);
        cJSON_AddStringToObject(o, "unit", c[i].metric->unit);
        cJSON_AddNumberToObject(o, "published", c[i].published);
        cJSON_AddNumberToObject(o, "sa35", c[i].value);
        cJSON_AddNumberToObject(o, "difference",
                                c[i].points ? c[i].difference
                                            : 100 * c[i].difference);
        cJSON_AddStringToObject(o, "difference_unit",
                                c[i].points ? "points" : "percent");
        cJSON_AddNumberToObject(o, "tolerance",
                                c[i].points ? c[i].tolerance
                                            : 100 * c[i].tolerance);
        cJSON_AddStringToObject(o, "status", status_of(&c[i]));
        cJSON_AddBoolToObject(o, "gated", !c[i].known_gap[0]);
        cJSON_AddStringToObject(o, "source", c[i].source);
        cJSON_AddStringToObject(o, "tolerance_source", c[i].tolerance_source);
        cJSON_AddStringToObject(o, "assumptions", c[i].assumptions);
        cJSON_AddStringToObject(o, "known_gap", c[i].known_gap);
    }
    char *t = arr ? cJSON_Print(arr) : NULL;
    cJSON_Delete(arr);
    return t;
}

int sa35_vcases_write(const sa35_vcase *c, int n, const char *dir,
                      sa35_err *err)
{
    char *csv = csv_text(c, n), *json = json_text(c, n);
    int rc;
    if (!csv || !json) {
        rc = sa35_err_set(err, "out of memory for the validation reports");
    } else {
        const char *names[] = {"validate.csv", "validate.json"};
        const char *texts[] = {csv, json};
        rc = sa35_write_files(dir, names, texts, 2, err);
    }
    free(csv);
    free(json);
    return rc;
}
