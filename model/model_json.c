/* model_json.c: JSON helpers for the model and system readers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "sa35_io.h"

cJSON *model_json_parse(const char *text, const char *path, sa35_err *err)
{
    cJSON *js = sa35_json_parse(text, path, err);
    if (js && !cJSON_IsObject(js)) {
        cJSON_Delete(js);
        sa35_err_set(err, "%s: the top level must be a JSON object", path);
        return NULL;
    }
    return js;
}

int model_json_int(const cJSON *v, const char *path, const char *key,
                   int64_t lo, int64_t hi, int64_t *out, sa35_err *err)
{
    if (!cJSON_IsNumber(v))
        return sa35_err_set(err, "%s: %s: must be a number", path, key);
    double d = v->valuedouble;
    if (d != floor(d) || d < (double)lo || d > (double)hi)
        return sa35_err_set(err, "%s: %s: must be an integer in %lld..%lld, "
                                 "got %g",
                            path, key, (long long)lo, (long long)hi, d);
    *out = (int64_t)d;
    return 0;
}
