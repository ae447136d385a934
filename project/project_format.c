/* project_format.c: the weight formats a projection compares, each the PE
 * kind that stores its codes and the groups its scales cover. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sa35_project.h"

int sa35_wformat_parse(const char *text, const sa35_system *s,
                       sa35_wformat *f, sa35_err *err)
{
    memset(f, 0, sizeof *f);
    char kind[16];
    const char *g = strstr(text, "-g");
    size_t klen = g ? (size_t)(g - text) : strlen(text);
    if (klen >= sizeof kind)
        return sa35_err_set(err, "format '%s': unknown PE kind (sa35, int4, "
                            "int8)", text);
    snprintf(kind, sizeof kind, "%.*s", (int)klen, text);
    if (sa35_pe_from_name(kind, &f->pe))
        return sa35_err_set(err, "format '%s': unknown PE kind '%s' (sa35, "
                            "int4, int8)", text, kind);
    const sa35_pe_desc *pe = sa35_pe_info(f->pe);
    if (g) {
        const char *v = g + 2;
        if (!strcmp(v, "2R") || !strcmp(v, "R")) {
            /* the array's K tile: k_per_row x R k-values */
            f->group = (int64_t)pe->k_per_row * s->rows;
        } else {
            char *end;
            long long G = strtoll(v, &end, 10);
            if (!(*v >= '1' && *v <= '9') || *end || G < 1)
                return sa35_err_set(err, "format '%s': the group after -g "
                                    "must be a positive integer or the "
                                    "array's tile (-g2R for sa35 and int4, "
                                    "-gR for int8)", text);
            f->group = G;
        }
        if (sa35_group_check(pe->fmt, f->group, err)) {
            char why[sizeof err->msg];
            snprintf(why, sizeof why, "%s", err->msg);
            return sa35_err_set(err, "format '%s': %s", text, why);
        }
        snprintf(f->name, sizeof f->name, "%s-g%lld", pe->name,
                 (long long)f->group);
    } else {
        snprintf(f->name, sizeof f->name, "%s", pe->name);
    }
    return 0;
}

int sa35_wformat_defaults(const sa35_system *s, sa35_wformat *f, int max)
{
    /* the co-designed point, its per-column form, the honest INT4 baseline
     * (GPTQ/AWQ's groups of 128) and its per-column strawman, 8 bits */
    static const char *const names[] = {"sa35", "sa35-g2R", "int4",
                                        "int4-g128", "int8"};
    int n = 0;
    sa35_err err;
    /* the system's own kind, per column, first */
    if (n < max && sa35_wformat_parse(sa35_pe_info(s->pe)->name, s, &f[n],
                                      &err) == 0)
        n++;
    for (size_t i = 0; i < sizeof names / sizeof *names && n < max; i++) {
        sa35_wformat w;
        if (sa35_wformat_parse(names[i], s, &w, &err))
            continue;
        int dup = 0;
        for (int j = 0; j < n; j++)
            dup |= !strcmp(f[j].name, w.name);
        if (!dup)
            f[n++] = w;
    }
    return n;
}
