/* project_cfg.c: a system's power config ({value, source} numbers and a
 * thermal network): the "power" object of the system's file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sa35_io.h"
#include "sa35_project.h"

/* An assumption for the report; a source too long to print whole is
 * refused (a cut source reads as a different claim). */
static int assume(sa35_power_cfg *c, const char *key, const char *value,
                  const char *source, sa35_err *err)
{
    if (strlen(source) >= sizeof c->as[0].source)
        return sa35_err_set(err, "%s: the source of \"%s\" is %zu "
                            "characters, at most %zu are kept", c->origin,
                            key, strlen(source), sizeof c->as[0].source - 1);
    if (c->nas >= SA35_PCFG_MAX_ASSUME)
        return 0;
    sa35_passume *a = &c->as[c->nas++];
    snprintf(a->key, sizeof a->key, "%s", key);
    snprintf(a->value, sizeof a->value, "%s", value);
    snprintf(a->source, sizeof a->source, "%s", source);
    return 0;
}

/* {"value": V, "source": "..."}: a number, or a string with str != NULL. */
static int sourced(const cJSON *o, const char *key, sa35_power_cfg *c,
                   double *num, char *str, size_t strn, sa35_err *err)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, "value");
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(x, "source");
    if (!cJSON_IsObject(x) || !v)
        return sa35_err_set(err, "%s: power config has no \"%s\": "
                            "{\"value\", \"source\"}", c->origin, key);
    if (!cJSON_IsString(s) || !s->valuestring[0])
        return sa35_err_set(err, "%s: power config \"%s\" has no source",
                            c->origin, key);
    char text[48];
    if (str) {
        if (!cJSON_IsString(v))
            return sa35_err_set(err, "%s: power config \"%s\" must be a "
                                "string", c->origin, key);
        snprintf(str, strn, "%s", v->valuestring);
        snprintf(text, sizeof text, "%s", v->valuestring);
    } else {
        if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
            return sa35_err_set(err, "%s: power config \"%s\" must be a "
                                "number", c->origin, key);
        *num = v->valuedouble;
        snprintf(text, sizeof text, "%g", *num);
    }
    return assume(c, key, text, s->valuestring, err);
}

static int thermal_sources(const cJSON *th, sa35_power_cfg *c, sa35_err *err)
{
    static const char *const keys[] = {"ambient_c", "tmax_c", "stages",
                                       "leakage", "throttle"};
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(th, "sources");
    for (int i = 0; i < 5; i++) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(src, keys[i]);
        if (!cJSON_IsString(s) || !s->valuestring[0])
            return sa35_err_set(err, "%s: thermal \"sources\" has no source "
                                "for \"%s\"", c->origin, keys[i]);
        char key[32], text[48];
        snprintf(key, sizeof key, "thermal.%s", keys[i]);
        if (i == 0 || i == 1)
            snprintf(text, sizeof text, "%g C",
                     i == 0 ? c->th.t_amb : c->th.t_max);
        else if (i == 2)
            snprintf(text, sizeof text, "%d stages, %g K/W", c->th.n,
                     sa35_thermal_theta_total(&c->th));
        else if (i == 3)
            snprintf(text, sizeof text, "x e per %g K", c->th.t_slope);
        else
            snprintf(text, sizeof text, "clock x %g", c->th.throttle_clock);
        if (assume(c, key, text, s->valuestring, err))
            return -1;
    }
    return 0;
}

static int parse(const cJSON *o, sa35_power_cfg *c, sa35_err *err)
{
    double node = 0, gating = 0;
    if (sourced(o, "node_nm", c, &node, NULL, 0, err) ||
        sourced(o, "offchip", c, NULL, c->offchip, sizeof c->offchip, err) ||
        sourced(o, "leakage_fraction", c, &c->leak_fraction, NULL, 0, err) ||
        sourced(o, "clock_gating", c, &gating, NULL, 0, err) ||
        sourced(o, "activity", c, &c->activity, NULL, 0, err))
        return -1;
    c->node_nm = (int)node;
    c->clock_gating = gating != 0;
    if (c->leak_fraction < 0 || c->activity < 0 || c->activity > 1 ||
        node != c->node_nm || c->node_nm < 1)
        return sa35_err_set(err, "%s: power config: leakage_fraction >= 0, "
                            "activity in [0, 1] and an integer node_nm, "
                            "please", c->origin);
    const cJSON *th = cJSON_GetObjectItemCaseSensitive(o, "thermal");
    if (sa35_thermal_from_cjson(th, c->origin, &c->th, err) != 0)
        return -1;
    return thermal_sources(th, c, err);
}

int sa35_power_cfg_load(const char *system_json, const char *system_path,
                        sa35_power_cfg *c, sa35_err *err)
{
    memset(c, 0, sizeof *c);
    snprintf(c->origin, sizeof c->origin, "%s", system_path);
    cJSON *sys = system_json ? sa35_json_parse(system_json, system_path,
                                               err)
                             : NULL;
    const cJSON *own = cJSON_GetObjectItemCaseSensitive(sys, "power");
    int rc;
    if (!sys)
        rc = system_json ? -1
                         : sa35_err_set(err, "%s: not valid JSON",
                                        system_path);
    else if (!cJSON_IsObject(own))
        rc = sa35_err_set(err, "%s: no \"power\" object (the system's power "
                          "config: docs/power.md says what it holds)",
                          system_path);
    else
        rc = parse(own, c, err);
    cJSON_Delete(sys);
    return rc;
}

int sa35_power_cfg_read(const char *path, sa35_power_cfg *c, sa35_err *err)
{
    char *text = sa35_read_text(path, err);
    if (!text) {
        memset(c, 0, sizeof *c);
        return -1;
    }
    int rc = sa35_power_cfg_load(text, path, c, err);
    free(text);
    return rc;
}
