/* fuzz_util.h: what the libFuzzer harnesses share (docs/testing.md,
 * "Fuzzing"). A harness that needs a file (the readers that map or open
 * one) writes the input into a directory of its own, made with mkdtemp
 * under $TMPDIR (or /tmp) on first use and removed at exit; nothing is
 * written anywhere else. A property an input breaks is a crash:
 * FUZZ_ASSERT prints the expression and aborts, so libFuzzer keeps the
 * input. State here is the harness's, not the library's. */
#ifndef SA35_FUZZ_UTIL_H
#define SA35_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_ASSERT(c)                                                        \
    do {                                                                      \
        if (!(c)) {                                                           \
            fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__,         \
                    __LINE__, #c);                                            \
            abort();                                                          \
        }                                                                     \
    } while (0)

static char fuzz_dir[4096];
static char fuzz_names[8][64];
static int fuzz_nnames;

static inline void fuzz_cleanup(void)
{
    char p[4200];
    for (int i = 0; i < fuzz_nnames; i++) {
        snprintf(p, sizeof p, "%s/%s", fuzz_dir, fuzz_names[i]);
        unlink(p);
    }
    rmdir(fuzz_dir);
}

/* The path of `name` (a plain file name) in the harness's directory. */
static inline const char *fuzz_path(const char *name)
{
    static char p[4200];
    if (!fuzz_dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(fuzz_dir, sizeof fuzz_dir, "%s/sa35-fuzz.XXXXXX",
                 t && *t ? t : "/tmp");
        if (!mkdtemp(fuzz_dir)) {
            perror(fuzz_dir);
            abort();
        }
        atexit(fuzz_cleanup);
    }
    int known = 0;
    for (int i = 0; i < fuzz_nnames; i++)
        known |= strcmp(fuzz_names[i], name) == 0;
    if (!known && fuzz_nnames < 8)
        snprintf(fuzz_names[fuzz_nnames++], sizeof fuzz_names[0], "%s", name);
    snprintf(p, sizeof p, "%s/%s", fuzz_dir, name);
    return p;
}

/* The input as the file `name`; its path. */
static inline const char *fuzz_file(const char *name, const uint8_t *d,
                                    size_t n)
{
    const char *p = fuzz_path(name);
    FILE *f = fopen(p, "wb");
    if (!f || (n && fwrite(d, 1, n, f) != n) || fclose(f) != 0) {
        perror(p);
        abort();
    }
    return p;
}

/* The input as a NUL-terminated string (malloc'd; an inner NUL ends it). */
static inline char *fuzz_text(const uint8_t *d, size_t n)
{
    char *t = malloc(n + 1);
    if (!t)
        abort();
    memcpy(t, d, n);
    t[n] = '\0';
    return t;
}

#endif
