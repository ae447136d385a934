/* outdir.c: output directories whose files appear together or not at all.
 * The files are written into "<dir>.tmp.XXXXXX", a sibling of dir (so the
 * renames stay on one file system); commit renames the sibling onto dir
 * when dir did not exist, or moves its files into dir when it did. A
 * failure removes the sibling and every directory open created on the way
 * to dir, so a failed run leaves no output directory behind; so does a
 * signal that kills the process (tmpclean.c). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_internal.h"

int sa35_mkdirs(const char *dir, sa35_err *err)
{
    char buf[4096];
    if (strlen(dir) >= sizeof buf)
        return sa35_err_set(err, "%s: path too long", dir);
    strcpy(buf, dir);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || !*p) {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0755) && errno != EEXIST)
                return sa35_err_set(err, "%s: cannot create: %s", buf,
                                    strerror(errno));
            *p = c;
            if (!c)
                return 0;
        }
    }
}

/* mkdir -p of dir's parent, remembering in od->created the outermost
 * directory it made (every one below it is new too). */
static int make_parents(sa35_outdir *od, sa35_err *err)
{
    char *buf = od->created; /* scratch, the length of dir */
    strcpy(buf, od->dir);
    char *slash = strrchr(buf, '/');
    od->created_len = 0;
    if (!slash || slash == buf)
        return 0;
    *slash = '\0';
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || !*p) {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0755) == 0) {
                if (!od->created_len)
                    od->created_len = strlen(buf);
                io_tmp_track(od, buf, 1);
            } else if (errno != EEXIST) {
                int e = errno;
                *p = c;
                sa35_err_set(err, "%s: cannot create: %s", buf, strerror(e));
                return -1;
            }
            *p = c;
            if (!c)
                break;
        }
    }
    return 0;
}

/* rmdir what make_parents made, innermost first. */
static void remove_parents(sa35_outdir *od)
{
    if (!od->created || !od->created_len)
        return;
    strcpy(od->created, od->dir);
    for (;;) {
        char *slash = strrchr(od->created, '/');
        if (!slash)
            break;
        *slash = '\0';
        if (strlen(od->created) < od->created_len || rmdir(od->created) != 0)
            break;
    }
    od->created_len = 0;
}

/* Remove the temporary directory and what is in it (files only: the
 * writers make no subdirectories). */
static void remove_tmp(sa35_outdir *od)
{
    if (!od->tmp)
        return;
    DIR *d = opendir(od->tmp);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char path[4400];
            snprintf(path, sizeof path, "%s/%s", od->tmp, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(od->tmp);
}

static void outdir_free(sa35_outdir *od)
{
    io_tmp_untrack(od); /* removed, or in place */
    free(od->dir);
    free(od->tmp);
    free(od->created);
    memset(od, 0, sizeof *od);
}

int sa35_outdir_open(sa35_outdir *od, const char *dir, sa35_err *err)
{
    memset(od, 0, sizeof *od);
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') /* "out/x/": the sibling of out/x */
        n--;
    if (n == 0 || n >= 4096 - sizeof "/.tmp.XXXXXX" - 256)
        return sa35_err_set(err, "%s: %s", n ? dir : "''",
                            n ? "path too long" : "no output directory");
    od->dir = malloc(n + 1);
    od->tmp = malloc(n + sizeof ".tmp.XXXXXX");
    od->created = malloc(n + 1);
    if (!od->dir || !od->tmp || !od->created) {
        outdir_free(od);
        return sa35_err_set(err, "%s: out of memory", dir);
    }
    memcpy(od->dir, dir, n);
    od->dir[n] = '\0';
    struct stat sb;
    if (stat(od->dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode)) {
            sa35_err_set(err, "%s: exists and is not a directory", od->dir);
            outdir_free(od);
            return -1;
        }
        od->existed = 1;
    } else if (make_parents(od, err) != 0) {
        remove_parents(od);
        outdir_free(od);
        return -1;
    }
    memcpy(od->tmp, od->dir, n);
    memcpy(od->tmp + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    /* mkdtemp makes it 0700; an output directory is 0755, as mkdir -p makes
     * it under the usual umask (umask itself is not read: process-wide) */
    int made = mkdtemp(od->tmp) != NULL;
    if (made)
        io_tmp_track(od, od->tmp, 1);
    if (!made || chmod(od->tmp, 0755) != 0) {
        int e = errno;
        sa35_err_set(err, "%s: cannot create a temporary directory next to "
                     "it: %s", od->dir, strerror(e));
        if (made)
            rmdir(od->tmp);
        free(od->tmp);
        od->tmp = NULL;
        remove_parents(od);
        outdir_free(od);
        return -1;
    }
    return 0;
}

int sa35_outdir_path(const sa35_outdir *od, const char *name, char *buf,
                     size_t n, sa35_err *err)
{
    if (!od->tmp)
        return sa35_err_set(err, "%s: output directory is not open",
                            od->dir ? od->dir : "(null)");
    if ((size_t)snprintf(buf, n, "%s/%s", od->tmp, name) >= n)
        return sa35_err_set(err, "%s/%s: path too long", od->dir, name);
    io_tmp_track(od, buf, 0); /* what is written there goes with the dir */
    return 0;
}

int sa35_outdir_write(const sa35_outdir *od, const char *name, const void *p,
                      size_t n, sa35_err *err)
{
    char path[4400];
    if (sa35_outdir_path(od, name, path, sizeof path, err) != 0)
        return -1;
    return sa35_write_file(path, p, n, err);
}

/* Move every file of the temporary into the existing dir. */
static int merge(sa35_outdir *od, sa35_err *err)
{
    DIR *d = opendir(od->tmp);
    if (!d)
        return sa35_err_set(err, "%s: cannot read: %s", od->tmp,
                            strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char from[4400], to[4400];
        snprintf(from, sizeof from, "%s/%s", od->tmp, e->d_name);
        snprintf(to, sizeof to, "%s/%s", od->dir, e->d_name);
        if (rename(from, to) != 0)
            rc = sa35_err_set(err, "%s: cannot rename %s onto it: %s", to,
                              from, strerror(errno));
    }
    closedir(d);
    return rc;
}

int sa35_outdir_commit(sa35_outdir *od, sa35_err *err)
{
    if (!od->tmp)
        return sa35_err_set(err, "%s: output directory is not open",
                            od->dir ? od->dir : "(null)");
    int rc;
    if (od->existed)
        rc = merge(od, err);
    else if (rename(od->tmp, od->dir) != 0)
        rc = sa35_err_set(err, "%s: cannot rename %s onto it: %s", od->dir,
                          od->tmp, strerror(errno));
    else {
        free(od->tmp); /* it is dir now */
        od->tmp = NULL;
        rc = 0;
    }
    if (rc)
        return sa35_outdir_fail(od, err);
    remove_tmp(od); /* the emptied sibling of an existing dir */
    outdir_free(od);
    return 0;
}

void sa35_outdir_abort(sa35_outdir *od)
{
    remove_tmp(od);
    remove_parents(od);
    outdir_free(od);
}

int sa35_outdir_fail(sa35_outdir *od, sa35_err *err)
{
    /* a writer's message names its file in the temporary: name the output */
    char *at = err && od->tmp ? strstr(err->msg, od->tmp) : NULL;
    if (at) {
        char rest[sizeof err->msg];
        snprintf(rest, sizeof rest, "%s", at + strlen(od->tmp));
        *at = '\0';
        char head[sizeof err->msg];
        snprintf(head, sizeof head, "%s", err->msg);
        sa35_err_set(err, "%s%s%s", head, od->dir, rest);
    }
    sa35_outdir_abort(od);
    return -1;
}

int sa35_write_files(const char *dir, const char *const *names,
                     const char *const *texts, int n, sa35_err *err)
{
    sa35_outdir od;
    if (sa35_outdir_open(&od, dir, err) != 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (sa35_outdir_write(&od, names[i], texts[i], strlen(texts[i]),
                              err) != 0)
            return sa35_outdir_fail(&od, err);
    return sa35_outdir_commit(&od, err);
}
