/* model_internal.h: what the files of model/ share. */
#ifndef SA35_MODEL_INTERNAL_H
#define SA35_MODEL_INTERNAL_H

#include <cjson/cJSON.h>

#include "sa35_model.h"

/* Parse a whole JSON text; a syntax error names the file and line. */
cJSON *model_json_parse(const char *text, const char *path, sa35_err *err);
/* Read a file into a NUL-terminated malloc'd string. */
char *model_slurp(const char *path, sa35_err *err);

/* An integer in [lo, hi] (a JSON number with no fraction). */
int model_json_int(const cJSON *v, const char *path, const char *key,
                   int64_t lo, int64_t hi, int64_t *out, sa35_err *err);

static inline int64_t model_ceil_div(int64_t a, int64_t b)
{
    return (a + b - 1) / b;
}

#endif
