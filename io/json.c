/* json.c: the one JSON parser of sa35's readers (model configs, system
 * files, power tables, safetensors headers): cJSON, plus the check cJSON
 * does not make. JSON allows a key twice in one object; readers disagree on
 * which one counts (cJSON, and so every lookup here, finds the first;
 * Python's json, and so Hugging Face, keeps the last), so such a file is
 * refused, naming the key. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "io_internal.h"

static int by_key(const void *a, const void *b)
{
    return strcmp((*(const cJSON *const *)a)->string,
                  (*(const cJSON *const *)b)->string);
}

/* at: the dotted name of js ("" for the root), for the message. */
static int unique(const cJSON *js, const char *path, const char *at,
                  sa35_err *err)
{
    int n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, js)
        n++;
    if (cJSON_IsObject(js) && n > 1) {
        const cJSON **v = malloc((size_t)n * sizeof *v);
        if (!v)
            return sa35_err_set(err, "%s: out of memory", path);
        int i = 0;
        cJSON_ArrayForEach(e, js)
            v[i++] = e;
        qsort(v, (size_t)n, sizeof *v, by_key);
        const char *dup = NULL;
        for (i = 1; i < n && !dup; i++)
            if (strcmp(v[i - 1]->string, v[i]->string) == 0)
                dup = v[i]->string;
        int rc = dup ? sa35_err_set(err, "%s: key \"%s%s%s\" appears twice "
                                         "(JSON readers differ on which one "
                                         "counts)",
                                    path, at, *at ? "." : "", dup)
                     : 0;
        free(v);
        if (rc)
            return rc;
    }
    int i = 0;
    cJSON_ArrayForEach(e, js) {
        if (cJSON_IsObject(e) || cJSON_IsArray(e)) {
            char sub[256];
            if (cJSON_IsObject(js))
                snprintf(sub, sizeof sub, "%s%s%s", at, *at ? "." : "",
                         e->string);
            else
                snprintf(sub, sizeof sub, "%s[%d]", at, i);
            if (unique(e, path, sub, err))
                return -1;
        }
        i++;
    }
    return 0;
}

int sa35_json_unique_keys(const struct cJSON *root, const char *path,
                          sa35_err *err)
{
    return unique(root, path, "", err);
}

struct cJSON *sa35_json_parse(const char *text, const char *path,
                              sa35_err *err)
{
    const char *end = NULL;
    cJSON *js = cJSON_ParseWithOpts(text, &end, 1);
    if (!js) {
        /* cJSON says where it stopped; turn that into a line number */
        const char *at = end ? end : text;
        int line = 1;
        for (const char *p = text; p < at && *p; p++)
            line += *p == '\n';
        sa35_err_set(err, "%s:%d: not valid JSON", path, line);
        return NULL;
    }
    if (sa35_json_unique_keys(js, path, err)) {
        cJSON_Delete(js);
        return NULL;
    }
    return js;
}
