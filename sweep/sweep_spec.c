/* sweep_spec.c: a sweep spec (docs/sweep.md): base values and axes. Every
 * error names the spec and the key or axis, so a user finds the line. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sa35_io.h"
#include "sweep_internal.h"

/* One value of key k from js; where names it in messages. The checks that
 * need no system (types, phase, node, positive counts) are made here; the
 * rest when the point's system is built (sa35_sweep_check). */
static int value_of(const cJSON *js, sa35_sweep_key k, const char *path,
                    const char *where, sa35_sweep_val *v, sa35_err *err)
{
    memset(v, 0, sizeof *v);
    const sweep_keydef *d = sweep_keydef_of(k);
    if (d->type == SWT_STR) {
        if (!cJSON_IsString(js) || !js->valuestring[0] ||
            strlen(js->valuestring) >= sizeof v->str)
            return sa35_err_set(err, "%s: %s: must be a string of 1..%zu "
                                "characters", path, where, sizeof v->str - 1);
        strcpy(v->str, js->valuestring);
        if (k == SA35_SK_PHASE && strcmp(v->str, "decode") &&
            strcmp(v->str, "prefill"))
            return sa35_err_set(err, "%s: %s: must be \"decode\" or "
                                "\"prefill\", got \"%s\"", path, where,
                                v->str);
        return 0;
    }
    if (!cJSON_IsNumber(js) || !isfinite(js->valuedouble))
        return sa35_err_set(err, "%s: %s: must be a number", path, where);
    v->num = js->valuedouble;
    if (d->type == SWT_INT &&
        (v->num != floor(v->num) || v->num < 0 || v->num > 9.0e15))
        return sa35_err_set(err, "%s: %s: must be a whole number >= 0, got "
                            "%.17g", path, where, v->num);
    if ((k == SA35_SK_BATCH || k == SA35_SK_SEQ) && v->num < 1)
        return sa35_err_set(err, "%s: %s: must be >= 1", path, where);
    /* the nodes whose supply the built-in scaling table gives (a sweep
     * has no --vdd); checked before DIR exists */
    if (k == SA35_SK_NODE && v->num != 180 && v->num != 45 &&
        v->num != 16 && v->num != 7 && v->num != 5)
        return sa35_err_set(err, "%s: %s: must be 180, 45, 16, 7 or 5 (the "
                            "nodes with a supply in power/tables/"
                            "node_scaling.json), got %.17g", path, where,
                            v->num);
    return 0;
}

/* {"from": A, "to": B, "step": S} (A, A+S, ... <= B) or {"from": A, "to":
 * B, "times": F} (A, A F, ... <= B): the values into a fresh array. */
static int range_of(const cJSON *js, sa35_sweep_key k, const char *path,
                    const char *where, sa35_sweep_axis *ax, sa35_err *err)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, js)
        if (strcmp(e->string, "from") && strcmp(e->string, "to") &&
            strcmp(e->string, "step") && strcmp(e->string, "times"))
            return sa35_err_set(err, "%s: %s: unknown range key \"%s\" "
                                "(from, to, step or times)", path, where,
                                e->string);
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(js, "from");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(js, "to");
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(js, "step");
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(js, "times");
    if (sweep_keydef_of(k)->type == SWT_STR)
        return sa35_err_set(err, "%s: %s: a range needs a numeric key; "
                            "list the values", path, where);
    if (!cJSON_IsNumber(f) || !cJSON_IsNumber(t) || !(!s != !x) ||
        !cJSON_IsNumber(s ? s : x))
        return sa35_err_set(err, "%s: %s: a range is {\"from\": A, \"to\": "
                            "B, \"step\": S} or {..., \"times\": F}, numbers",
                            path, where);
    double a = f->valuedouble, b = t->valuedouble;
    double by = s ? s->valuedouble : x->valuedouble;
    if (!isfinite(a) || !isfinite(b) || !(b >= a) ||
        !(s ? by > 0 : (by > 1 && a > 0)) || !isfinite(by))
        return sa35_err_set(err, "%s: %s: a range needs from <= to and "
                            "step > 0 (times > 1 from a from > 0)", path,
                            where);
    /* count first, each value from A directly, so no error accumulates;
     * a relative slack of 1e-9 keeps B itself when (B - A) / S rounds */
    double count = s ? floor((b - a) / by * (1 + 1e-12) + 1e-9) + 1
                     : floor(log(b / a) / log(by) + 1e-9) + 1;
    if (count > SA35_SWEEP_MAX_POINTS)
        return sa35_err_set(err, "%s: %s: more than %d values", path, where,
                            SA35_SWEEP_MAX_POINTS);
    ax->n = (int)count;
    ax->v = calloc((size_t)ax->n, sizeof *ax->v);
    if (!ax->v)
        return sa35_err_set(err, "%s: out of memory", path);
    for (int i = 0; i < ax->n; i++) {
        double v = s ? a + i * by : a * pow(by, i);
        cJSON *num = cJSON_CreateNumber(sweep_keydef_of(k)->type == SWT_INT ? round(v)
                                                                : v);
        char at[192];
        snprintf(at, sizeof at, "%s (value %d)", where, i);
        int rc = num ? value_of(num, k, path, at, &ax->v[i], err)
                     : sa35_err_set(err, "%s: out of memory", path);
        cJSON_Delete(num);
        if (rc)
            return -1;
    }
    return 0;
}

static int axis_of(const cJSON *js, const char *path, int gi,
                   sa35_sweep_axis *ax, sa35_err *err)
{
    char where[160];
    snprintf(where, sizeof where, "axes[%d].%s", gi, js->string);
    int k = sweep_key_find(js->string);
    if (k < 0)
        return sa35_err_set(err, "%s: %s: unknown key (see docs/sweep.md, "
                            "\"Keys\")", path, where);
    ax->key = (sa35_sweep_key)k;
    if (cJSON_IsObject(js))
        return range_of(js, ax->key, path, where, ax, err);
    if (!cJSON_IsArray(js) || cJSON_GetArraySize(js) == 0)
        return sa35_err_set(err, "%s: %s: must be a non-empty list of "
                            "values or a range {\"from\", \"to\", \"step\"}",
                            path, where);
    ax->n = cJSON_GetArraySize(js);
    if (ax->n > SA35_SWEEP_MAX_POINTS)
        return sa35_err_set(err, "%s: %s: more than %d values", path, where,
                            SA35_SWEEP_MAX_POINTS);
    ax->v = calloc((size_t)ax->n, sizeof *ax->v);
    if (!ax->v)
        return sa35_err_set(err, "%s: out of memory", path);
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, js) {
        char at[192];
        snprintf(at, sizeof at, "%s[%d]", where, i);
        if (value_of(e, ax->key, path, at, &ax->v[i], err))
            return -1;
        i++;
    }
    return 0;
}

/* One element of "axes": an object of one axis or several zipped ones. */
static int group_of(const cJSON *js, const char *path, int gi,
                    sa35_sweep_spec *sp, sa35_err *err)
{
    if (!cJSON_IsObject(js) || !js->child)
        return sa35_err_set(err, "%s: axes[%d]: must be an object of one "
                            "axis {\"KEY\": [values]} or several to zip",
                            path, gi);
    sa35_sweep_group *g = &sp->groups[sp->ngroups++];
    g->first = sp->naxes;
    const cJSON *e;
    cJSON_ArrayForEach(e, js) {
        if (sp->naxes == SA35_SWEEP_MAX_AXES)
            return sa35_err_set(err, "%s: more than %d axes", path,
                                SA35_SWEEP_MAX_AXES);
        sa35_sweep_axis *ax = &sp->axes[sp->naxes++];
        if (axis_of(e, path, gi, ax, err))
            return -1;
        if (sp->has_base[ax->key])
            return sa35_err_set(err, "%s: axes[%d].%s: also given as a base "
                                "value; give one", path, gi, e->string);
        for (int a = 0; a < sp->naxes - 1; a++)
            if (sp->axes[a].key == ax->key)
                return sa35_err_set(err, "%s: axes[%d].%s: the key is an "
                                    "axis twice", path, gi, e->string);
        if (g->count && ax->n != g->n)
            return sa35_err_set(err, "%s: axes[%d].%s: %d values, but the "
                                "axes zipped with it have %d", path, gi,
                                e->string, ax->n, g->n);
        g->n = ax->n;
        g->count++;
    }
    return 0;
}

static int top_key(const cJSON *e, const char *path, sa35_sweep_spec *sp,
                   sa35_err *err)
{
    const char *name = e->string;
    if (!strcmp(name, "axes") || name[0] == '_' || !strcmp(name, "comment"))
        return 0;
    if (!strcmp(name, "throttle")) {
        if (!cJSON_IsBool(e))
            return sa35_err_set(err, "%s: throttle: must be true or false",
                                path);
        sp->throttle = cJSON_IsTrue(e);
        return 0;
    }
    if (!strcmp(name, "activity")) {
        if (cJSON_IsString(e) && !strcmp(e->valuestring, "measured"))
            return 0;
        if (!cJSON_IsNumber(e) || !(e->valuedouble >= 0) ||
            e->valuedouble > 1)
            return sa35_err_set(err, "%s: activity: must be \"measured\" or "
                                "a rate in [0, 1]", path);
        sp->activity_assumed = 1;
        sp->activity = e->valuedouble;
        return 0;
    }
    int k = sweep_key_find(name);
    if (k < 0)
        return sa35_err_set(err, "%s: %s: unknown key (see docs/sweep.md, "
                            "\"Keys\")", path, name);
    sp->has_base[k] = 1;
    return value_of(e, (sa35_sweep_key)k, path, name, &sp->base[k], err);
}

static int parse(const cJSON *js, const char *path, sa35_sweep_spec *sp,
                 sa35_err *err)
{
    if (!cJSON_IsObject(js))
        return sa35_err_set(err, "%s: a spec is a JSON object", path);
    const cJSON *e;
    cJSON_ArrayForEach(e, js)
        if (top_key(e, path, sp, err))
            return -1;
    const cJSON *axes = cJSON_GetObjectItemCaseSensitive(js, "axes");
    if (axes && !cJSON_IsArray(axes))
        return sa35_err_set(err, "%s: axes: must be a list of objects", path);
    int gi = 0;
    cJSON_ArrayForEach(e, axes) {
        if (gi == SA35_SWEEP_MAX_AXES)
            return sa35_err_set(err, "%s: more than %d axes", path,
                                SA35_SWEEP_MAX_AXES);
        if (group_of(e, path, gi++, sp, err))
            return -1;
    }
    for (int k = SA35_SK_MODEL; k <= SA35_SK_SYSTEM; k++) {
        int given = sp->has_base[k];
        for (int a = 0; a < sp->naxes; a++)
            given |= sp->axes[a].key == (sa35_sweep_key)k;
        if (!given)
            return sa35_err_set(err, "%s: \"model\" and \"system\" are "
                                "required, as base values or axes (`sa35 "
                                "project MODEL --system S`)", path);
    }
    sp->npoints = 1;
    for (int g = 0; g < sp->ngroups; g++) {
        sp->npoints *= sp->groups[g].n;
        if (sp->npoints > SA35_SWEEP_MAX_POINTS)
            return sa35_err_set(err, "%s: axes: more than %d points", path,
                                SA35_SWEEP_MAX_POINTS);
    }
    return 0;
}

int sa35_sweep_spec_parse(const char *text, const char *path,
                          sa35_sweep_spec *sp, sa35_err *err)
{
    memset(sp, 0, sizeof *sp);
    sp->throttle = 1;
    snprintf(sp->path, sizeof sp->path, "%s", path);
    sp->text = strdup(text);
    if (!sp->text)
        return sa35_err_set(err, "%s: out of memory", path);
    cJSON *js = sa35_json_parse(text, path, err);
    int rc = js ? parse(js, path, sp, err) : -1;
    cJSON_Delete(js);
    if (rc)
        sa35_sweep_spec_free(sp);
    return rc;
}

int sa35_sweep_spec_read(const char *path, sa35_sweep_spec *sp,
                         sa35_err *err)
{
    memset(sp, 0, sizeof *sp);
    char *text = sa35_read_text(path, err);
    if (!text)
        return -1;
    int rc = sa35_sweep_spec_parse(text, path, sp, err);
    free(text);
    return rc;
}

void sa35_sweep_spec_free(sa35_sweep_spec *sp)
{
    for (int a = 0; a < sp->naxes; a++)
        free(sp->axes[a].v);
    free(sp->text);
    sp->text = NULL;
    sp->naxes = sp->ngroups = 0;
}
