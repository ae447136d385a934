/* thermal_config.c: the RC network's parameters, checked and read from a
 * system config's "thermal" object. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "power_internal.h"
#include "sa35_io.h"

int sa35_thermal_check(const sa35_thermal *th, sa35_err *err)
{
    if (th->n < 1 || th->n > SA35_THERMAL_MAX_STAGES)
        return sa35_err_set(err, "thermal: %d stages: need 1 to %d", th->n,
                            SA35_THERMAL_MAX_STAGES);
    for (int i = 0; i < th->n; i++) {
        if (!(th->theta[i] > 0) || !isfinite(th->theta[i]))
            return sa35_err_set(err, "thermal: theta of stage '%s' is %g "
                                "K/W: must be > 0", th->name[i], th->theta[i]);
        if (!(th->cap[i] > 0) || !isfinite(th->cap[i]))
            return sa35_err_set(err, "thermal: heat capacity of stage '%s' "
                                "is %g J/K: must be > 0", th->name[i],
                                th->cap[i]);
    }
    const struct { const char *what; double v; int pos; } f[] = {
        {"ambient_c", th->t_amb, 0},     {"tmax_c", th->t_max, 0},
        {"leakage w_at_t0", th->leak_w0, 0}, {"leakage t0_c", th->t_leak0, 0},
        {"leakage t_slope_k", th->t_slope, 1},
        {"throttle clock_fraction", th->throttle_clock, 1},
        {"throttle hysteresis_k", th->throttle_hyst, 0},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!isfinite(f[i].v) || (f[i].pos && !(f[i].v > 0)))
            return sa35_err_set(err, "thermal: %s is %g: must be finite%s",
                                f[i].what, f[i].v, f[i].pos ? " and > 0" : "");
    if (th->leak_w0 < 0 || th->throttle_hyst < 0)
        return sa35_err_set(err, "thermal: leakage power and hysteresis "
                            "must not be negative");
    if (th->throttle_clock > 1)
        return sa35_err_set(err, "thermal: throttle clock_fraction %g: "
                            "must be in (0, 1]", th->throttle_clock);
    if (th->t_max <= th->t_amb)
        return sa35_err_set(err, "thermal: tmax_c %g is not above ambient "
                            "%g", th->t_max, th->t_amb);
    return 0;
}

/* A required number member; NaN (which check rejects) when missing so
 * the message can name it. */
static int num(const cJSON *o, const char *key, const char *what,
               const char *ctx, double *v, sa35_err *err)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(x))
        return sa35_err_set(err, "%s: %s has no number \"%s\"", what, ctx,
                            key);
    *v = x->valuedouble;
    return 0;
}

static const cJSON *obj(const cJSON *o, const char *key, const char *what,
                        sa35_err *err)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsObject(x))
        sa35_err_set(err, "%s: thermal has no \"%s\" object", what, key);
    return cJSON_IsObject(x) ? x : NULL;
}

int sa35_thermal_from_cjson(const struct cJSON *o, const char *what,
                            sa35_thermal *th, sa35_err *err)
{
    memset(th, 0, sizeof *th);
    if (!cJSON_IsObject(o))
        return sa35_err_set(err, "%s: thermal is not an object", what);
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, "stages");
    if (!cJSON_IsArray(st))
        return sa35_err_set(err, "%s: thermal has no \"stages\" array", what);
    th->n = cJSON_GetArraySize(st);
    if (th->n < 1 || th->n > SA35_THERMAL_MAX_STAGES)
        return sa35_err_set(err, "%s: thermal has %d stages: need 1 to %d",
                            what, th->n, SA35_THERMAL_MAX_STAGES);
    int i = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, st) {
        char ctx[48];
        snprintf(ctx, sizeof ctx, "thermal stage %d", i);
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(s, "name");
        if (!cJSON_IsString(nm) || !nm->valuestring[0])
            return sa35_err_set(err, "%s: %s has no \"name\"", what, ctx);
        snprintf(th->name[i], sizeof th->name[i], "%s", nm->valuestring);
        if (num(s, "theta_k_per_w", what, ctx, &th->theta[i], err) ||
            num(s, "c_j_per_k", what, ctx, &th->cap[i], err))
            return -1;
        i++;
    }
    const cJSON *lk = obj(o, "leakage", what, err);
    const cJSON *tr = lk ? obj(o, "throttle", what, err) : NULL;
    if (!tr)
        return -1;
    if (num(o, "ambient_c", what, "thermal", &th->t_amb, err) ||
        num(o, "tmax_c", what, "thermal", &th->t_max, err) ||
        num(lk, "w_at_t0", what, "thermal leakage", &th->leak_w0, err) ||
        num(lk, "t0_c", what, "thermal leakage", &th->t_leak0, err) ||
        num(lk, "t_slope_k", what, "thermal leakage", &th->t_slope, err) ||
        num(tr, "clock_fraction", what, "thermal throttle",
            &th->throttle_clock, err) ||
        num(tr, "hysteresis_k", what, "thermal throttle", &th->throttle_hyst,
            err))
        return -1;
    if (sa35_thermal_check(th, err) != 0)
        return sa35_err_prefix(err, what);
    return 0;
}

int sa35_thermal_parse(const char *json, const char *what, sa35_thermal *th,
                       sa35_err *err)
{
    cJSON *root = sa35_json_parse(json, what, err);
    if (!root) {
        memset(th, 0, sizeof *th);
        return -1;
    }
    int rc = sa35_thermal_from_cjson(root, what, th, err);
    cJSON_Delete(root);
    return rc;
}
