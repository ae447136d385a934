/* ptable_set.c: the tables one projection reads, each from a directory
 * the user edits (--tables DIR: DIR/NAME.json replaces the built-in NAME)
 * or built in. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "power_internal.h"

/* A .json in DIR that names no table would be silently unused (a typo,
 * "memmory.json"): refused. */
static int check_names(const char *dir, sa35_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return sa35_err_set(err, "--tables %s: %s", dir, strerror(errno));
    const struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n <= 5 || strcmp(e->d_name + n - 5, ".json"))
            continue;
        int known = 0;
        for (const char *const *t = sa35_ptable_builtin_names(); *t; t++)
            known |= strlen(*t) == n - 5 && !strncmp(*t, e->d_name, n - 5);
        if (!known)
            rc = sa35_err_set(err, "%s/%s: not a table sa35 reads "
                              "(horowitz45, node_scaling, memory, "
                              "osu018_cells, rtl_pe)", dir, e->d_name);
    }
    closedir(d);
    return rc;
}

static int load_one(const char *dir, const char *name, sa35_ptable *t,
                    sa35_err *err)
{
    if (dir) {
        char path[4200];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s.json", dir, name);
        if (stat(path, &st) == 0) {
            if (sa35_ptable_load(path, t, err))
                return -1;
            if (strcmp(t->name, name)) {
                sa35_err_set(err, "%s: \"table\" is '%s', the file name says "
                             "'%s'", path, t->name, name);
                sa35_ptable_free(t);
                return -1;
            }
            return 0;
        }
    }
    return sa35_ptable_builtin(name, t, err);
}

int sa35_ptables_load(const char *dir, sa35_ptables *ts, sa35_err *err)
{
    memset(ts, 0, sizeof *ts);
    if (dir && check_names(dir, err))
        return -1;
    sa35_ptable *all[] = {&ts->horowitz, &ts->scaling, &ts->memory,
                          &ts->cells, &ts->rtl};
    static const char *const names[] = {"horowitz45", "node_scaling",
                                        "memory", "osu018_cells", "rtl_pe"};
    for (int i = 0; i < 5; i++)
        if (load_one(dir, names[i], all[i], err)) {
            sa35_ptables_free(ts);
            return -1;
        }
    return 0;
}

void sa35_ptables_free(sa35_ptables *ts)
{
    sa35_ptable_free(&ts->horowitz);
    sa35_ptable_free(&ts->scaling);
    sa35_ptable_free(&ts->memory);
    sa35_ptable_free(&ts->cells);
    sa35_ptable_free(&ts->rtl);
}
