/* find_dup.c: whether a list of names holds one twice, in O(n log n): a
 * file with a million tensors must not take 10^12 comparisons to open. */
#include <stdlib.h>
#include <string.h>

#include "io_internal.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int sa35_io_find_dup(const void *items, size_t n, size_t stride,
                     const char **dup, sa35_err *err)
{
    if (n < 2)
        return 0;
    const char **v = malloc(n * sizeof *v);
    if (!v)
        return sa35_err_set(err, "out of memory for %zu names", n);
    for (size_t i = 0; i < n; i++) /* each item starts with its char * */
        memcpy(&v[i], (const char *)items + i * stride, sizeof v[i]);
    qsort(v, n, sizeof *v, by_name);
    int found = 0;
    for (size_t i = 1; i < n && !found; i++)
        if (strcmp(v[i - 1], v[i]) == 0) {
            *dup = v[i];
            found = 1;
        }
    free(v);
    return found;
}
