/* outfile.c: output files that appear only when complete. Data goes to
 * "<path>.tmp.XXXXXX" in the same directory (so the rename cannot cross
 * file systems) and is renamed onto path only after every write, the
 * flush and the close succeeded; a signal that kills the process before
 * that removes it (tmpclean.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_internal.h"

/* of->tmp_path stays NULL: commit only closes, abort leaves path be. */
static int open_in_place(sa35_outfile *of, const char *path, sa35_err *err)
{
    of->path = strdup(path);
    if (!of->path)
        return sa35_err_set(err, "%s: out of memory", path);
    if (!(of->fp = fopen(path, "wb"))) {
        int e = errno;
        sa35_outfile_abort(of);
        return sa35_err_set(err, "%s: cannot open: %s", path, strerror(e));
    }
    return 0;
}

int sa35_outfile_open(sa35_outfile *of, const char *path, sa35_err *err)
{
    memset(of, 0, sizeof *of);
    /* an existing device or FIFO (/dev/null, /dev/stdout, a pipe) is
     * written in place: a temporary renamed onto it would replace the
     * device node itself */
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode))
        return open_in_place(of, path, err);
    size_t n = strlen(path);
    of->path = malloc(n + 1);
    of->tmp_path = malloc(n + sizeof ".tmp.XXXXXX");
    if (!of->path || !of->tmp_path) {
        sa35_outfile_abort(of);
        return sa35_err_set(err, "%s: out of memory", path);
    }
    memcpy(of->path, path, n + 1);
    memcpy(of->tmp_path, path, n);
    memcpy(of->tmp_path + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    int fd = mkstemp(of->tmp_path);
    if (fd >= 0) /* removed if a signal kills the process before commit */
        io_tmp_track(of, of->tmp_path, 0);
    if (fd < 0) {
        int e = errno;
        free(of->tmp_path); /* nothing was created: abort must not unlink */
        of->tmp_path = NULL;
        sa35_outfile_abort(of);
        return sa35_err_set(err, "%s: cannot create a temporary file next to "
                            "it: %s", path, strerror(e));
    }
    /* mkstemp makes the file 0600; an output should be readable like any
     * other (umask is not consulted: reading it means changing it, and that
     * is process-wide state). */
    if (fchmod(fd, 0644) != 0 || !(of->fp = fdopen(fd, "wb"))) {
        int e = errno;
        close(fd);
        sa35_outfile_abort(of);
        return sa35_err_set(err, "%s: cannot open a temporary file: %s", path,
                            strerror(e));
    }
    return 0;
}

int sa35_outfile_write(sa35_outfile *of, const void *p, size_t n,
                       sa35_err *err)
{
    if (n && fwrite(p, 1, n, of->fp) != n)
        return sa35_err_set(err, "%s: cannot write: %s", of->path,
                            strerror(errno));
    return 0;
}

int sa35_outfile_commit(sa35_outfile *of, sa35_err *err)
{
    if (!of->fp) /* already committed or aborted */
        return sa35_err_set(err, "%s: output file is not open",
                            of->path ? of->path : "(null)");
    /* fflush and ferror catch a late write error (a full disk), fclose one
     * the kernel reports on close (NFS). */
    errno = 0;
    int bad = fflush(of->fp) != 0 || ferror(of->fp);
    int e = errno ? errno : EIO; /* ferror alone leaves errno unset */
    if (fclose(of->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    of->fp = NULL;
    if (bad) {
        sa35_err_set(err, "%s: cannot write: %s", of->path, strerror(e));
        sa35_outfile_abort(of);
        return -1;
    }
    if (of->tmp_path && rename(of->tmp_path, of->path) != 0) {
        sa35_err_set(err, "%s: cannot rename %s onto it: %s", of->path,
                     of->tmp_path, strerror(errno));
        sa35_outfile_abort(of);
        return -1;
    }
    io_tmp_untrack(of);
    free(of->tmp_path);
    free(of->path);
    memset(of, 0, sizeof *of);
    return 0;
}

void sa35_outfile_abort(sa35_outfile *of)
{
    if (of->fp)
        fclose(of->fp);
    if (of->tmp_path)
        remove(of->tmp_path);
    io_tmp_untrack(of); /* after the remove: a signal between is harmless */
    free(of->tmp_path);
    free(of->path);
    memset(of, 0, sizeof *of);
}

int sa35_write_file(const char *path, const void *p, size_t n, sa35_err *err)
{
    sa35_outfile of;
    if (sa35_outfile_open(&of, path, err) != 0)
        return -1;
    if (sa35_outfile_write(&of, p, n, err) != 0) {
        sa35_outfile_abort(&of);
        return -1;
    }
    return sa35_outfile_commit(&of, err);
}

int sa35_same_file(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int sa35_output_is_input(const char *out, const char *in, sa35_err *err)
{
    if (!sa35_same_file(out, in))
        return 0;
    return sa35_err_set(err, "%s: the output is the input %s (the same "
                             "file): writing it would destroy the input; "
                             "choose another output",
                        out, in);
}
