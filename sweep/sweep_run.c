/* sweep_run.c: the points of a shard that DIR lacks, on worker processes.
 * Processes, not threads: a point that crashes takes one worker, not the
 * sweep, and each worker has its own allocator. Workers take the next
 * point from a counter in shared memory (points differ in cost: int8 has
 * no cycle-simulated activity, prefill is longer) and report each point
 * on a pipe, one record per write (atomic below PIPE_BUF). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sweep_internal.h"

/* The counter is shared by processes: only a lock-free atomic is
 * address-free (C11 7.17.5), so works through a MAP_SHARED page. */
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "a lock-free shared counter");

typedef struct report {
    int64_t point;
    int32_t rc, ok;
    char msg[sizeof(sa35_err)];
} report;
_Static_assert(sizeof(report) <= PIPE_BUF, "one atomic pipe write");

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

/* The points of this shard without a file in DIR. */
static int todo_of(const sa35_sweep_spec *sp, const char *dir,
                   const sa35_sweep_opts *o, int64_t **todo, int64_t *n,
                   sa35_sweep_stats *st, sa35_err *err)
{
    *todo = malloc((size_t)sp->npoints * sizeof **todo);
    if (!*todo)
        return sa35_err_set(err, "%s: out of memory", dir);
    *n = 0;
    for (int64_t i = o->shard; i < sp->npoints; i += o->nshards) {
        char path[4400];
        struct stat sb;
        if (sweep_point_path(dir, i, path, sizeof path, err))
            return -1;
        st->in_shard++;
        if (stat(path, &sb) == 0)
            st->skipped++;
        else
            (*todo)[(*n)++] = i;
    }
    return 0;
}

static void worker(const sa35_sweep_spec *sp, const char *dir,
                   const int64_t *todo, int64_t n, _Atomic long long *next,
                   int fd)
{
    long long k;
    sa35_qmatrix qm = {0}; /* this worker's, kept between its points */
    while ((k = atomic_fetch_add(next, 1)) < n) {
        report r = {.point = todo[k]};
        sa35_err err = {{0}};
        int ok = 0;
        r.rc = sweep_point_run(sp, todo[k], dir, &qm, &ok, &err);
        r.ok = ok;
        memcpy(r.msg, err.msg, sizeof r.msg);
        if (write(fd, &r, sizeof r) != (ssize_t)sizeof r)
            _exit(2);
        if (r.rc) {
            atomic_store(next, n); /* the others stop after their point */
            sa35_qmatrix_free(&qm);
            _exit(1);
        }
    }
    sa35_qmatrix_free(&qm);
    _exit(0);
}

static void progress(int64_t done, int64_t n, double t0)
{
    double el = now_s() - t0, rate = done / (el > 0 ? el : 1e-9);
    fprintf(stderr, "\rsweep: %lld/%lld points, %.1f/s, ETA %.0f s   ",
            (long long)done, (long long)n, rate, (n - done) / rate);
    if (done == n)
        fputc('\n', stderr);
    fflush(stderr);
}

static int read_report(int fd, report *r)
{
    size_t got = 0;
    while (got < sizeof *r) {
        ssize_t k = read(fd, (char *)r + got, sizeof *r - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return got ? -1 : 0;
        got += (size_t)k;
    }
    return 1;
}

/* Fork the workers, collect their reports, wait for all. */
static int run_workers(const sa35_sweep_spec *sp, const char *dir,
                       const int64_t *todo, int64_t n, int jobs,
                       const sa35_sweep_opts *o, sa35_sweep_stats *st,
                       sa35_err *err)
{
    _Atomic long long *next = mmap(NULL, sizeof *next,
                                   PROT_READ | PROT_WRITE,
                                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int fds[2];
    if (next == MAP_FAILED)
        return sa35_err_set(err, "%s: mmap: %s", dir, strerror(errno));
    atomic_init(next, 0);
    if (pipe(fds) != 0) {
        munmap((void *)next, sizeof *next);
        return sa35_err_set(err, "%s: pipe: %s", dir, strerror(errno));
    }
    fflush(NULL); /* nothing buffered is written twice by a child */
    pid_t *pids = calloc((size_t)jobs, sizeof *pids);
    int started = 0, rc = 0;
    for (; pids && started < jobs; started++) {
        pid_t p = fork();
        if (p == 0) {
            close(fds[0]);
            worker(sp, dir, todo, n, next, fds[1]);
        }
        if (p < 0)
            break;
        pids[started] = p;
    }
    close(fds[1]);
    if (!pids || started == 0)
        rc = sa35_err_set(err, "%s: cannot start a worker: %s", dir,
                          strerror(errno));
    double t0 = now_s();
    report r;
    int64_t done = 0;
    while (started && read_report(fds[0], &r) == 1) {
        done++;
        if (r.rc && rc == 0)
            rc = sa35_err_set(err, "%s", r.msg);
        if (r.rc == 0) {
            st->ran++;
            st->not_ok += !r.ok;
        }
        if (o->progress)
            progress(done, n, t0);
    }
    close(fds[0]);
    for (int w = 0; w < started; w++) {
        int ws;
        while (waitpid(pids[w], &ws, 0) < 0 && errno == EINTR)
            ;
        if (rc == 0 && !(WIFEXITED(ws) && WEXITSTATUS(ws) == 0))
            rc = sa35_err_set(err, "%s: a worker %s", dir,
                              WIFSIGNALED(ws) ? strsignal(WTERMSIG(ws))
                                              : "failed");
    }
    if (o->progress && done != n)
        fputc('\n', stderr);
    free(pids);
    munmap((void *)next, sizeof *next);
    return rc;
}

int sa35_sweep_run(const sa35_sweep_spec *sp, const char *dir,
                   const sa35_sweep_opts *o, sa35_sweep_stats *st,
                   sa35_err *err)
{
    memset(st, 0, sizeof *st);
    if (o->nshards < 1 || o->shard < 0 || o->shard >= o->nshards)
        return sa35_err_set(err, "shard %d/%d: need 0 <= I < N", o->shard,
                            o->nshards);
    double t0 = now_s();
    if (sa35_sweep_check(sp, err) || sweep_dir_prepare(sp, dir, err))
        return -1;
    int64_t *todo = NULL, n = 0;
    int rc = todo_of(sp, dir, o, &todo, &n, st, err);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = o->jobs > 0 ? o->jobs : (int)(cores > 0 ? cores : 1);
    if (jobs > n)
        jobs = (int)n;
    st->jobs = jobs;
    if (rc == 0 && n > 0)
        rc = run_workers(sp, dir, todo, n, jobs, o, st, err);
    free(todo);
    st->seconds = now_s() - t0;
    return rc;
}
