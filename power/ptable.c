/* ptable.c: tables of named constants with units and sources, from JSON.
 * The rule the whole power model rests on is enforced here: a constant
 * without a source does not load. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "power_internal.h"
#include "sa35_io.h"

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* A required non-empty string member of o, or NULL with err set. */
static const char *req_string(const cJSON *o, const char *key,
                              const char *what, const char *ctx,
                              sa35_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v) || !v->valuestring) {
        sa35_err_set(err, "%s: %s has no \"%s\" string", what, ctx, key);
        return NULL;
    }
    const char *s = v->valuestring;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s) {
        sa35_err_set(err, "%s: %s has an empty \"%s\"", what, ctx, key);
        return NULL;
    }
    return v->valuestring;
}

static int parse_const(const cJSON *e, int i, const char *what,
                       sa35_pconst *c, sa35_err *err)
{
    char ctx[96];
    snprintf(ctx, sizeof ctx, "constant %d", i);
    if (!cJSON_IsObject(e))
        return sa35_err_set(err, "%s: %s is not an object", what, ctx);
    const char *name = req_string(e, "name", what, ctx, err);
    if (!name)
        return -1;
    snprintf(ctx, sizeof ctx, "constant '%.64s'", name);
    const char *unit = req_string(e, "unit", what, ctx, err);
    const char *source = unit ? req_string(e, "source", what, ctx, err) : NULL;
    if (!source)
        return -1;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "value");
    if (!cJSON_IsNumber(v))
        return sa35_err_set(err, "%s: %s has no numeric \"value\"", what, ctx);
    double x = v->valuedouble;
    /* Energies, voltages and sizes are never negative; only the scaling
     * polynomials have signed coefficients. */
    if (!isfinite(x) || (x < 0 && strcmp(unit, "coefficient") != 0))
        return sa35_err_set(err, "%s: %s has value %g: must be finite and "
                            "not negative", what, ctx, x);
    c->name = dupstr(name);
    c->unit = dupstr(unit);
    c->source = dupstr(source);
    c->value = x;
    if (!c->name || !c->unit || !c->source)
        return sa35_err_set(err, "%s: out of memory", what);
    return 0;
}

static int parse_root(const cJSON *root, const char *what, sa35_ptable *t,
                      sa35_err *err)
{
    if (!cJSON_IsObject(root))
        return sa35_err_set(err, "%s: not a JSON object", what);
    const char *name = req_string(root, "table", what, "the table", err);
    if (!name)
        return -1;
    t->name = dupstr(name);
    t->origin = dupstr(what);
    if (!t->name || !t->origin)
        return sa35_err_set(err, "%s: out of memory", what);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "constants");
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
        return sa35_err_set(err, "%s: no \"constants\" array", what);
    int n = cJSON_GetArraySize(arr);
    t->c = calloc((size_t)n, sizeof *t->c);
    if (!t->c)
        return sa35_err_set(err, "%s: out of memory", what);
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) {
        if (parse_const(e, t->n, what, &t->c[t->n], err) != 0) {
            t->n++; /* free what was parsed of this one too */
            return -1;
        }
        for (int j = 0; j < t->n; j++)
            if (strcmp(t->c[j].name, t->c[t->n].name) == 0) {
                sa35_err_set(err, "%s: constant '%s' appears twice", what,
                             t->c[j].name);
                t->n++;
                return -1;
            }
        t->n++;
    }
    return 0;
}

int sa35_ptable_parse(const char *json, const char *what, sa35_ptable *t,
                      sa35_err *err)
{
    memset(t, 0, sizeof *t);
    cJSON *root = sa35_json_parse(json, what, err);
    if (!root)
        return -1;
    int rc = parse_root(root, what, t, err);
    cJSON_Delete(root);
    if (rc != 0)
        sa35_ptable_free(t);
    return rc;
}

int sa35_ptable_load(const char *path, sa35_ptable *t, sa35_err *err)
{
    uint8_t *bytes;
    size_t size;
    memset(t, 0, sizeof *t);
    if (sa35_read_file(path, &bytes, &size, err) != 0)
        return -1;
    char *text = malloc(size + 1);
    if (!text) {
        free(bytes);
        return sa35_err_set(err, "%s: out of memory", path);
    }
    memcpy(text, bytes, size);
    text[size] = '\0';
    free(bytes);
    int rc = sa35_ptable_parse(text, path, t, err);
    free(text);
    return rc;
}

void sa35_ptable_free(sa35_ptable *t)
{
    for (int i = 0; i < t->n; i++) {
        free(t->c[i].name);
        free(t->c[i].unit);
        free(t->c[i].source);
    }
    free(t->c);
    free(t->name);
    free(t->origin);
    memset(t, 0, sizeof *t);
}

const sa35_pconst *sa35_ptable_find(const sa35_ptable *t, const char *name)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->c[i].name, name) == 0)
            return &t->c[i];
    return NULL;
}

int sa35_ptable_get(const sa35_ptable *t, const char *name, double *v,
                    sa35_err *err)
{
    const sa35_pconst *c = sa35_ptable_find(t, name);
    if (!c)
        return sa35_err_set(err, "%s: table '%s' has no constant '%s'",
                            t->origin, t->name, name);
    *v = c->value;
    return 0;
}
