/* model_find.c: `llama-2-70b` or `hbm1` to a file. The shipped configs live
 * in the source tree's models/ and systems/ (and in the installed data
 * directory); $SA35_DATA points elsewhere for one's own. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model_internal.h"

#ifndef SA35_SOURCE_DATA
#define SA35_SOURCE_DATA "."
#endif
#ifndef SA35_INSTALL_DATA
#define SA35_INSTALL_DATA "/usr/local/share/sa35"
#endif

static int is_path(const char *name)
{
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 5 && strcmp(name + n - 5, ".json") == 0) ||
           (n > 5 && strcmp(name + n - 5, ".gguf") == 0);
}

static int find(const char *kind, const char *name, char *out, size_t size,
                sa35_err *err)
{
    if (!name[0])
        return sa35_err_set(err, "empty %s name", kind);
    if (is_path(name)) {
        if (strlen(name) >= size)
            return sa35_err_set(err, "%s: path too long", name);
        strcpy(out, name);
        return 0;
    }
    for (const char *p = name; *p; p++)
        if (!(*p == '-' || *p == '_' || *p == '.' ||
              (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z')))
            return sa35_err_set(err, "bad %s name '%s' (letters, digits, "
                                     "'-', '_', '.'; or a path to a .json or "
                                     ".gguf)",
                                kind, name);
    const char *env = getenv("SA35_DATA");
    const char *dirs[] = {env, SA35_SOURCE_DATA, SA35_INSTALL_DATA};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        if (!dirs[i] || !dirs[i][0])
            continue;
        int n = snprintf(out, size, "%s/%ss/%s.json", dirs[i], kind, name);
        if (n > 0 && (size_t)n < size && access(out, R_OK) == 0)
            return 0;
    }
    return sa35_err_set(err, "no %s called '%s' (looked in $SA35_DATA, %s "
                             "and %s, under %ss/)",
                        kind, name, SA35_SOURCE_DATA, SA35_INSTALL_DATA, kind);
}

int sa35_find_model(const char *name, char *out, size_t size, sa35_err *err)
{
    return find("model", name, out, size, err);
}

int sa35_find_system(const char *name, char *out, size_t size,
                     sa35_err *err)
{
    return find("system", name, out, size, err);
}

int sa35_find_data_dir(const char *sub, char *out, size_t size, sa35_err *err)
{
    const char *env = getenv("SA35_DATA");
    const char *dirs[] = {env, SA35_SOURCE_DATA, SA35_INSTALL_DATA};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        if (!dirs[i] || !dirs[i][0])
            continue;
        int n = snprintf(out, size, "%s/%s", dirs[i], sub);
        if (n > 0 && (size_t)n < size && access(out, R_OK | X_OK) == 0)
            return 0;
    }
    return sa35_err_set(err, "no %s/ directory (looked in $SA35_DATA, %s "
                             "and %s)",
                        sub, SA35_SOURCE_DATA, SA35_INSTALL_DATA);
}
