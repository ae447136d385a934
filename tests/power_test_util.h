/* power_test_util.h: what the power tests share beyond test_util.h. */
#ifndef SA35_POWER_TEST_UTIL_H
#define SA35_POWER_TEST_UTIL_H

#include <stdlib.h>

#include "sa35_io.h"

/* A whole file as a NUL-terminated string (malloc'd), or NULL. */
static inline char *power_test_slurp(const char *path)
{
    uint8_t *b;
    size_t n;
    sa35_err err;
    if (sa35_read_file(path, &b, &n, &err) != 0)
        return NULL;
    char *s = realloc(b, n + 1);
    if (!s) {
        free(b);
        return NULL;
    }
    s[n] = 0;
    return s;
}

#endif
