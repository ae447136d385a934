/* sweep_expand.c: a spec's point i: the values of every key there, the
 * groups of axes counted as the digits of i (the last group fastest). */
#include <stdio.h>

#include "sweep_internal.h"

void sa35_sweep_point(const sa35_sweep_spec *sp, int64_t i,
                      sa35_sweep_val v[SA35_SK_COUNT],
                      int set[SA35_SK_COUNT])
{
    for (int k = 0; k < SA35_SK_COUNT; k++) {
        set[k] = sp->has_base[k];
        v[k] = sp->base[k];
    }
    /* the last group moves fastest, as the innermost of nested loops */
    for (int g = sp->ngroups - 1; g >= 0; g--) {
        const sa35_sweep_group *gr = &sp->groups[g];
        int j = (int)(i % gr->n);
        i /= gr->n;
        for (int a = gr->first; a < gr->first + gr->count; a++) {
            set[sp->axes[a].key] = 1;
            v[sp->axes[a].key] = sp->axes[a].v[j];
        }
    }
}

void sa35_sweep_point_label(const sa35_sweep_spec *sp, int64_t i, char *buf,
                            size_t n)
{
    sa35_sweep_val v[SA35_SK_COUNT];
    int set[SA35_SK_COUNT];
    sa35_sweep_point(sp, i, v, set);
    size_t at = (size_t)snprintf(buf, n, "point %lld", (long long)i);
    for (int a = 0; a < sp->naxes && at < n; a++) {
        const sa35_sweep_val *x = &v[sp->axes[a].key];
        const char *name = sa35_sweep_key_name(sp->axes[a].key);
        at += x->str[0]
                  ? (size_t)snprintf(buf + at, n - at, "%s%s=%s",
                                     a ? ", " : " (", name, x->str)
                  : (size_t)snprintf(buf + at, n - at, "%s%s=%.17g",
                                     a ? ", " : " (", name, x->num);
    }
    if (sp->naxes && at < n)
        snprintf(buf + at, n - at, ")");
}
