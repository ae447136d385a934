/* sweep_dir.c: a sweep's directory: DIR/spec.json and DIR/points/. A new
 * DIR appears whole (sa35_outdir); an existing one must hold the same spec,
 * so points of two specs never mix (shards into one DIR race to make it:
 * the loser finds the winner's and checks it). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "sa35_io.h"
#include "sweep_internal.h"

/* The same spec: equal as JSON (spacing and key order inside objects
 * may differ). */
static int same_spec(const char *a, const char *b)
{
    cJSON *x = cJSON_Parse(a), *y = cJSON_Parse(b);
    int same = x && y && cJSON_Compare(x, y, 1);
    cJSON_Delete(x);
    cJSON_Delete(y);
    return same;
}

static int make_points(const char *dir, sa35_err *err)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/points", dir);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return sa35_err_set(err, "%s: cannot create: %s", path,
                            strerror(errno));
    return 0;
}

static int use_existing(const sa35_sweep_spec *sp, const char *dir,
                        sa35_err *err)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/spec.json", dir);
    struct stat st;
    if (stat(path, &st) != 0) {
        /* an empty or foreign directory the user named: the spec first */
        if (sa35_write_file(path, sp->text, strlen(sp->text), err))
            return -1;
    } else {
        char *old = sa35_read_text(path, err);
        if (!old)
            return -1;
        int same = same_spec(old, sp->text);
        free(old);
        if (!same)
            return sa35_err_set(err, "%s: holds the points of another spec "
                                "(%s differs from %s); use a new directory",
                                dir, path, sp->path);
    }
    return make_points(dir, err);
}

/* DIR with spec.json, whole or not at all; points/ follows (an outdir
 * holds files only: its cleanup would leave a directory in it behind). */
static int make_new(const sa35_sweep_spec *sp, const char *dir, sa35_err *err)
{
    sa35_outdir od;
    if (sa35_outdir_open(&od, dir, err))
        return -1;
    if (sa35_outdir_write(&od, "spec.json", sp->text, strlen(sp->text), err))
        return sa35_outdir_fail(&od, err);
    if (sa35_outdir_commit(&od, err))
        return -1;
    return make_points(dir, err);
}

int sweep_dir_prepare(const sa35_sweep_spec *sp, const char *dir,
                      sa35_err *err)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return sa35_err_set(err, "%s: exists and is not a directory", dir);
        return use_existing(sp, dir, err);
    }
    if (make_new(sp, dir, err) == 0)
        return 0;
    /* another shard made it first: join it */
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return use_existing(sp, dir, err);
    return -1;
}
