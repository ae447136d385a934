/* sweep_merge.c: DIR/sweep.csv: a row per point in point order, every
 * parameter and metric, the Pareto front of (max tokens/s, min J/token)
 * and why a point could not run. The front is found on the numbers as
 * the CSV prints them, so anyone recomputing it from the CSV agrees. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sa35_io.h"
#include "sweep_internal.h"

typedef struct buf {
    char *p;
    size_t n, cap;
    int oom;
} buf;

static void put(buf *b, const char *s)
{
    size_t k = strlen(s);
    if (b->n + k + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 65536) + k;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p, b->cap = cap;
    }
    memcpy(b->p + b->n, s, k + 1);
    b->n += k;
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void put_field(buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        put(b, s);
        return;
    }
    put(b, "\"");
    for (const char *c = s; *c; c++) {
        char one[3] = {*c, *c == '"' ? '"' : 0, 0};
        put(b, one);
    }
    put(b, "\"");
}

/* A number as the CSV prints it: whole numbers in full, others to 9
 * significant digits; null (no figure) as an empty cell. */
static void num_text(const cJSON *v, char *out, size_t n)
{
    if (!cJSON_IsNumber(v)) {
        out[0] = '\0';
        return;
    }
    double x = v->valuedouble;
    if (x == (double)(int64_t)x && x > -9e15 && x < 9e15)
        snprintf(out, n, "%lld", (long long)x);
    else
        snprintf(out, n, "%.9g", x);
}

typedef struct row {
    int ok, front;
    double tps, jpt;   /* as printed                          */
    char *cells;       /* point, parameters, ok and metrics   */
    char *why;
} row;

typedef struct ranked {
    double tps, jpt;
    int64_t i;
} ranked;

static int by_tps_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->tps != y->tps)
        return x->tps > y->tps ? -1 : 1;
    if (x->jpt != y->jpt)
        return x->jpt < y->jpt ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The front: a point that ran is on it unless another has tokens/s at
 * least as high and J/token at least as low, one of them strictly. By
 * tokens/s falling: a point is on it if its J/token is the least of its
 * tokens/s and below every J/token of a higher tokens/s. */
static int pareto(row *r, int64_t n)
{
    ranked *k = malloc((size_t)(n ? n : 1) * sizeof *k);
    if (!k)
        return -1;
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        if (r[i].ok)
            k[m++] = (ranked){r[i].tps, r[i].jpt, i};
    qsort(k, (size_t)m, sizeof *k, by_tps_desc);
    double best = INFINITY; /* least J/token at a higher tokens/s */
    for (int64_t a = 0; a < m;) {
        int64_t b = a;
        while (b < m && k[b].tps == k[a].tps)
            b++;
        for (int64_t j = a; j < b; j++)
            r[k[j].i].front = k[j].jpt == k[a].jpt && k[a].jpt < best;
        if (k[a].jpt < best)
            best = k[a].jpt;
        a = b;
    }
    free(k);
    return 0;
}

/* Point i's file as cells; errors name the file. */
static int read_point(const char *dir, int64_t i, row *r, sa35_err *err)
{
    char path[4400];
    if (sweep_point_path(dir, i, path, sizeof path, err))
        return -1;
    char *text = sa35_read_text(path, err);
    if (!text)
        return -1;
    cJSON *js = sa35_json_parse(text, path, err);
    free(text);
    if (!js)
        return -1;
    const cJSON *par = cJSON_GetObjectItemCaseSensitive(js, "params");
    const cJSON *met = cJSON_GetObjectItemCaseSensitive(js, "metrics");
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(js, "ok");
    const cJSON *why = cJSON_GetObjectItemCaseSensitive(js, "why");
    const cJSON *pt = cJSON_GetObjectItemCaseSensitive(js, "point");
    int rc = -1;
    if (!cJSON_IsObject(par) || !cJSON_IsObject(met) || !cJSON_IsNumber(ok) ||
        !cJSON_IsString(why) || !cJSON_IsNumber(pt) || pt->valuedouble != i) {
        sa35_err_set(err, "%s: not a point file of this sweep (point, "
                     "params, ok, why, metrics)", path);
        goto out;
    }
    buf b = {0};
    char t[64];
    snprintf(t, sizeof t, "%lld", (long long)i);
    put(&b, t);
    for (int k = 0; k < SA35_SK_COUNT; k++) {
        const char *name = sa35_sweep_key_name((sa35_sweep_key)k);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(par, name);
        put(&b, ",");
        if (cJSON_IsString(v))
            put_field(&b, v->valuestring);
        else {
            num_text(v, t, sizeof t);
            put(&b, t);
        }
    }
    r->ok = ok->valuedouble != 0;
    put(&b, r->ok ? ",1" : ",0");
    for (int m = 0; m < sweep_nmetrics; m++) {
        num_text(cJSON_GetObjectItemCaseSensitive(met, sweep_metrics[m]), t,
                 sizeof t);
        put(&b, ",");
        put(&b, t);
        if (!strcmp(sweep_metrics[m], "tokens_per_s"))
            r->tps = strtod(t, NULL);
        if (!strcmp(sweep_metrics[m], "j_per_token"))
            r->jpt = strtod(t, NULL);
    }
    r->cells = b.p;
    r->why = strdup(why->valuestring);
    if (b.oom || !r->cells || !r->why)
        sa35_err_set(err, "%s: out of memory", path);
    else
        rc = 0;
out:
    cJSON_Delete(js);
    return rc;
}

static int rows_read(const char *dir, row *r, int64_t n, sa35_err *err)
{
    int64_t missing = 0, first = -1;
    char path[4400];
    for (int64_t i = 0; i < n; i++) {
        if (sweep_point_path(dir, i, path, sizeof path, err))
            return -1;
        FILE *f = fopen(path, "rb");
        if (f)
            fclose(f);
        else if (missing++ == 0)
            first = i;
    }
    if (missing) {
        sweep_point_path(dir, first, path, sizeof path, err);
        return sa35_err_set(err, "%s: %lld of %lld points have not run "
                            "(first: %s); run the sweep (every shard) "
                            "first", dir, (long long)missing, (long long)n,
                            path);
    }
    for (int64_t i = 0; i < n; i++)
        if (read_point(dir, i, &r[i], err))
            return -1;
    return 0;
}

static void csv_of(const row *r, int64_t n, buf *b)
{
    put(b, "point");
    for (int k = 0; k < SA35_SK_COUNT; k++) {
        put(b, ",");
        put(b, sa35_sweep_key_name((sa35_sweep_key)k));
    }
    put(b, ",ok");
    for (int m = 0; m < sweep_nmetrics; m++) {
        put(b, ",");
        put(b, sweep_metrics[m]);
    }
    put(b, ",pareto,why\n");
    for (int64_t i = 0; i < n; i++) {
        put(b, r[i].cells);
        put(b, r[i].front ? ",1," : ",0,");
        put_field(b, r[i].why);
        put(b, "\n");
    }
}

int sa35_sweep_merge(const char *dir, int64_t *nrows, int64_t *nfront,
                     sa35_err *err)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/spec.json", dir);
    FILE *f = fopen(path, "rb");
    if (!f)
        return sa35_err_set(err, "%s: not a sweep's directory (no "
                            "spec.json: `sa35 sweep SPEC -o %s` makes one)",
                            dir, dir);
    fclose(f);
    sa35_sweep_spec sp;
    if (sa35_sweep_spec_read(path, &sp, err))
        return -1;
    int64_t n = sp.npoints;
    sa35_sweep_spec_free(&sp);
    row *r = calloc((size_t)n, sizeof *r);
    buf b = {0};
    int rc = !r ? sa35_err_set(err, "%s: out of memory", dir)
                : rows_read(dir, r, n, err);
    if (rc == 0 && pareto(r, n))
        rc = sa35_err_set(err, "%s: out of memory", dir);
    if (rc == 0) {
        csv_of(r, n, &b);
        snprintf(path, sizeof path, "%s/sweep.csv", dir);
        rc = b.oom ? sa35_err_set(err, "%s: out of memory", dir)
                   : sa35_write_file(path, b.p, b.n, err);
    }
    *nrows = n;
    *nfront = 0;
    for (int64_t i = 0; r && i < n; i++) {
        *nfront += r[i].front;
        free(r[i].cells);
        free(r[i].why);
    }
    free(r);
    free(b.p);
    return rc;
}
