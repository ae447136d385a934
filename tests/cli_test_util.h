/* cli_test_util.h: what the tests that run the sa35 program share: its
 * path (SA35_BIN) and a scratch directory (SA35_TMP), set by main; running
 * a command with its output in out.txt and err.txt; the files it left. */
#ifndef SA35_CLI_TEST_UTIL_H
#define SA35_CLI_TEST_UTIL_H

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "sa35_io.h"
#include "test_util.h"

static const char *bin, *tmp;

/* bin and tmp from the environment CTest sets; 0, or 1 (main's status)
 * with a message when they are missing. */
static inline int cli_test_init(void)
{
    bin = getenv("SA35_BIN");
    tmp = getenv("SA35_TMP");
    if (bin && tmp)
        return 0;
    fprintf(stderr, "SA35_BIN and SA35_TMP must be set (ctest does)\n");
    return 1;
}

static inline char *path_of(const char *name)
{
    static char buf[8][1024];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, sizeof buf[0], "%s/%s", tmp, name);
    return p;
}

/* Run `sa35 ARGS` with stdout and stderr to files; the exit status. */
static inline int run(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >out.txt 2>err.txt", tmp,
             bin, args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static inline char *slurp(const char *name)
{
    static char buf[8192];
    FILE *f = fopen(path_of(name), "rb");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Files a and b (in the scratch directory) hold the same bytes. */
static inline int same_files(const char *a, const char *b)
{
    uint8_t *x = NULL, *y = NULL;
    size_t nx = 0, ny = 0;
    sa35_err err;
    int same = sa35_read_file(path_of(a), &x, &nx, &err) == 0 &&
               sa35_read_file(path_of(b), &y, &ny, &err) == 0 && nx == ny &&
               memcmp(x, y, nx) == 0;
    free(x);
    free(y);
    return same;
}

static inline int exists(const char *name)
{
    FILE *f = fopen(path_of(name), "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* No "*.tmp.*" file may survive any command. */
static inline int temp_files_left(void)
{
    DIR *d = opendir(tmp);
    int found = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp."))
            found++;
    if (d)
        closedir(d);
    return found;
}

/* A failing command: status 1, a message on stderr with every `want`
 * substring, and no `out` file. */
#define EXPECT_FAIL(args, out, ...)                                           \
    do {                                                                      \
        remove(path_of(out));                                                 \
        int st_ = run(args);                                                  \
        const char *err_ = slurp("err.txt");                                  \
        const char *want_[] = {__VA_ARGS__};                                  \
        CHECK_MSG(st_ == 1, "%s: status %d", args, st_);                      \
        for (size_t i_ = 0; i_ < sizeof want_ / sizeof *want_; i_++)          \
            CHECK_MSG(strstr(err_, want_[i_]), "%s: '%s' not in: %s", args,   \
                      want_[i_], err_);                                       \
        CHECK_MSG(!exists(out), "%s left %s behind", args, out);              \
        CHECK_MSG(strchr(err_, '\n') == err_ + strlen(err_) - 1,              \
                  "%s: not one line: %s", args, err_);                        \
        CHECK(temp_files_left() == 0);                                        \
    } while (0)

static inline void write_f32(const char *name, int ndim, const int64_t *shape,
                      const float *v)
{
    sa35_array a;
    sa35_err err;
    CHECK(sa35_array_alloc(&a, SA35_DT_F32, ndim, shape, &err) == 0);
    memcpy(a.data, v, a.nbytes);
    CHECK(sa35_npy_write(path_of(name), &a, &err) == 0);
    sa35_array_free(&a);
}

static inline void read_npy(const char *name, sa35_array *a)
{
    sa35_err err;
    int rc = sa35_npy_read(path_of(name), a, &err);
    CHECK_MSG(rc == 0, "%s", err.msg);
}

static inline void write_bytes(const char *name, const void *p, size_t n)
{
    FILE *f = fopen(path_of(name), "wb");
    CHECK(f && fwrite(p, 1, n, f) == n);
    if (f)
        fclose(f);
}

/* Run `sa35 ARGS` unable to write a file past `limit` bytes (a full disk:
 * write fails with EFBIG, SIGXFSZ ignored); the exit status. */
static inline int run_fsize(const char *args, rlim_t limit)
{
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = limit;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &lim);
    int st = run(args);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    return st;
}

#endif
