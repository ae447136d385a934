/* validate_case.c: one validation case file, read and run. */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sa35_io.h"
#include "sa35_validate.h"

/* A required (or optional, with req 0) non-empty string that fits. */
/* Messages name the key as in.key (in: the enclosing object, or ""). */
static int get_str(const cJSON *o, const char *path, const char *in,
                   const char *key, int req, char *out, size_t size,
                   sa35_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v && !req)
        return 0;
    if (!cJSON_IsString(v) || !v->valuestring[0])
        return sa35_err_set(err, "%s: %s%s%s: must be a non-empty string",
                            path, in, *in ? "." : "", key);
    if (strlen(v->valuestring) >= size)
        return sa35_err_set(err, "%s: %s%s%s: longer than %zu characters",
                            path, in, *in ? "." : "", key, size - 1);
    snprintf(out, size, "%s", v->valuestring);
    return 0;
}

static int get_num(const cJSON *o, const char *path, const char *in,
                   const char *key, double *out, sa35_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return sa35_err_set(err, "%s: %s%s%s: must be a finite number", path,
                            in, *in ? "." : "", key);
    *out = v->valuedouble;
    return 0;
}

static int get_obj(const cJSON *o, const char *path, const char *key,
                   const cJSON **out, sa35_err *err)
{
    *out = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsObject(*out))
        return sa35_err_set(err, "%s: %s: must be an object", path, key);
    return 0;
}

static int get_count(const cJSON *o, const char *path, const char *key,
                     int64_t lo, int64_t hi, int64_t *out, sa35_err *err)
{
    double d = 0;
    if (get_num(o, path, "run", key, &d, err))
        return -1;
    if (d != floor(d) || d < (double)lo || d > (double)hi)
        return sa35_err_set(err, "%s: run.%s: must be a whole number in "
                                 "%lld..%lld, got %g",
                            path, key, (long long)lo, (long long)hi, d);
    *out = (int64_t)d;
    return 0;
}

static int parse_run(const cJSON *run, const char *path, sa35_vcase *c,
                     sa35_err *err)
{
    char phase[16] = "decode";
    if (get_str(run, path, "run", "model", 1, c->model, sizeof c->model,
                err) ||
        get_str(run, path, "run", "system", 1, c->system, sizeof c->system,
                err) ||
        get_str(run, path, "run", "phase", 0, phase, sizeof phase, err) ||
        get_count(run, path, "batch", 1, 1 << 20, &c->work.batch, err) ||
        get_count(run, path, "seq", 1, 1 << 24, &c->work.seq, err))
        return -1;
    if (!strcmp(phase, "decode"))
        c->work.phase = SA35_DECODE;
    else if (!strcmp(phase, "prefill"))
        c->work.phase = SA35_PREFILL;
    else
        return sa35_err_set(err, "%s: run.phase: must be decode or prefill, "
                                 "got '%s'",
                            path, phase);
    c->work.microbatches = 1;
    if (cJSON_GetObjectItemCaseSensitive(run, "microbatches") &&
        get_count(run, path, "microbatches", 1, 65536,
                  &c->work.microbatches, err))
        return -1;
    return 0;
}

static int parse_tolerance(const cJSON *t, const char *path, sa35_vcase *c,
                           sa35_err *err)
{
    const cJSON *rel = cJSON_GetObjectItemCaseSensitive(t, "relative"),
                *pts = cJSON_GetObjectItemCaseSensitive(t, "points");
    if (!!rel == !!pts)
        return sa35_err_set(err, "%s: tolerance: give one of \"relative\" "
                                 "(a fraction: 0.15 is 15 %%) or \"points\"",
                            path);
    c->points = pts != NULL;
    if (get_num(t, path, "tolerance", rel ? "relative" : "points",
                &c->tolerance, err))
        return -1;
    if (c->tolerance <= 0 || (rel && c->tolerance >= 1))
        return sa35_err_set(err, "%s: tolerance.%s: must be %s, got %g", path,
                            rel ? "relative" : "points",
                            rel ? "in (0, 1)" : "positive", c->tolerance);
    return get_str(t, path, "tolerance", "source", 1, c->tolerance_source,
                   sizeof c->tolerance_source, err);
}

static int parse_assumptions(const cJSON *js, const char *path,
                             sa35_vcase *c, sa35_err *err)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(js, "assumptions");
    if (!a)
        return 0;
    if (!cJSON_IsArray(a))
        return sa35_err_set(err, "%s: assumptions: must be a list of "
                                 "strings",
                            path);
    const cJSON *s;
    size_t used = 0;
    cJSON_ArrayForEach(s, a)
    {
        if (!cJSON_IsString(s) || !s->valuestring[0])
            return sa35_err_set(err, "%s: assumptions: must be a list of "
                                     "non-empty strings",
                                path);
        size_t n = strlen(s->valuestring) + (used ? 2 : 0);
        if (used + n >= sizeof c->assumptions)
            return sa35_err_set(err, "%s: assumptions: longer than %zu "
                                     "characters in all",
                                path, sizeof c->assumptions - 1);
        snprintf(c->assumptions + used, sizeof c->assumptions - used, "%s%s",
                 used ? "; " : "", s->valuestring);
        used += n;
    }
    return 0;
}

int sa35_vcase_parse(const char *text, const char *path, sa35_vcase *c,
                     sa35_err *err)
{
    memset(c, 0, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s", path);
    cJSON *js = sa35_json_parse(text, path, err);
    if (!js)
        return -1;
    int rc = -1;
    const cJSON *pub, *run, *tol;
    char metric[48];
    if (!cJSON_IsObject(js)) {
        sa35_err_set(err, "%s: the top level must be a JSON object", path);
        goto out;
    }
    if (get_str(js, path, "", "name", 1, c->name, sizeof c->name, err) ||
        get_str(js, path, "", "what", 1, c->what, sizeof c->what, err) ||
        get_str(js, path, "", "metric", 1, metric, sizeof metric, err) ||
        get_obj(js, path, "published", &pub, err) ||
        get_obj(js, path, "run", &run, err) ||
        get_obj(js, path, "tolerance", &tol, err))
        goto out;
    if (get_num(pub, path, "published", "value", &c->published, err) ||
        get_str(pub, path, "published", "source", 1, c->source,
                sizeof c->source, err))
        goto out;
    if (!(c->metric = sa35_vmetric_find(metric))) {
        int n;
        const sa35_vmetric *m = sa35_vmetrics(&n);
        char names[256] = "";
        for (int i = 0; i < n; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names),
                     "%s%s", i ? ", " : "", m[i].name);
        sa35_err_set(err, "%s: metric: '%s' is not one of %s", path, metric,
                     names);
        goto out;
    }
    if (c->published == 0 && !c->points) {
        sa35_err_set(err, "%s: published.value: 0 cannot be compared "
                          "relatively",
                     path);
        goto out;
    }
    if (parse_run(run, path, c, err) || parse_tolerance(tol, path, c, err) ||
        parse_assumptions(js, path, c, err) ||
        get_str(js, path, "", "known_gap", 0, c->known_gap,
                sizeof c->known_gap, err))
        goto out;
    rc = 0;
out:
    cJSON_Delete(js);
    return rc;
}

int sa35_vcase_read(const char *path, sa35_vcase *c, sa35_err *err)
{
    char *text = sa35_read_text(path, err);
    if (!text)
        return -1;
    int rc = sa35_vcase_parse(text, path, c, err);
    free(text);
    return rc;
}

int sa35_vcase_run(sa35_vcase *c, sa35_err *err)
{
    char mpath[1024], spath[1024];
    sa35_llm m;
    sa35_system s;
    sa35_run r;
    if (sa35_find_model(c->model, mpath, sizeof mpath, err) ||
        sa35_llm_read(mpath, &m, err) ||
        sa35_find_system(c->system, spath, sizeof spath, err) ||
        sa35_system_read(spath, &s, err) ||
        sa35_model_run(&m, &s, &c->work, sa35_gemm_engine_timing(), &r, err))
        return sa35_err_prefix(err, c->path);
    c->value = c->metric->of(&r);
    sa35_run_free(&r);
    c->difference = c->points ? c->value - c->published
                              : c->value / c->published - 1;
    c->within = fabs(c->difference) <= c->tolerance;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int sa35_vcases_load(const char *dir, sa35_vcase **cases, int *count,
                     sa35_err *err)
{
    *cases = NULL, *count = 0;
    DIR *d = opendir(dir);
    if (!d)
        return sa35_err_set(err, "%s: cannot read the cases' directory",
                            dir);
    char **names = NULL;
    int n = 0, rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") ||
            e->d_name[0] == '.')
            continue;
        char **q = realloc(names, (size_t)(n + 1) * sizeof *q);
        char *name = malloc(len + 1);
        if (!q || !name) {
            free(name);
            if (q)
                names = q;
            rc = sa35_err_set(err, "out of memory listing %s", dir);
            break;
        }
        names = q;
        memcpy(name, e->d_name, len + 1);
        names[n++] = name;
    }
    closedir(d);
    if (rc == 0 && n == 0)
        rc = sa35_err_set(err, "%s: no case files (*.json)", dir);
    if (rc == 0)
        qsort(names, (size_t)n, sizeof *names, by_name);
    sa35_vcase *c = rc ? NULL : calloc((size_t)n, sizeof *c);
    if (rc == 0 && !c)
        rc = sa35_err_set(err, "out of memory for %d cases", n);
    for (int i = 0; rc == 0 && i < n; i++) {
        char path[1024];
        if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >=
            (int)sizeof path)
            rc = sa35_err_set(err, "%s/%s: path too long", dir, names[i]);
        else
            rc = sa35_vcase_read(path, &c[i], err);
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc) {
        free(c);
        return -1;
    }
    *cases = c, *count = n;
    return 0;
}
