/* ptable_builtin.c: the tables of power/tables/, compiled in. */
#include <stdio.h>
#include <string.h>

#include "power_internal.h"

int sa35_ptable_builtin(const char *name, sa35_ptable *t, sa35_err *err)
{
    const char *json = sa35_power_builtin_json(name);
    if (json) {
        char what[64];
        snprintf(what, sizeof what, "built-in %s", name);
        return sa35_ptable_parse(json, what, t, err);
    }
    memset(t, 0, sizeof *t);
    return sa35_err_set(err, "no built-in power table '%s'", name);
}

const char *sa35_power_builtin_json(const char *name)
{
    for (const power_builtin *b = power_builtins; b->name; b++)
        if (strcmp(b->name, name) == 0)
            return b->json;
    return NULL;
}

const char *const *sa35_ptable_builtin_names(void)
{
    static const char *const names[] = {"horowitz45", "node_scaling",
                                        "memory", "osu018_cells", "rtl_pe",
                                        NULL};
    return names;
}
