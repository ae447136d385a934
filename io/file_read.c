/* file_read.c: a whole file into memory, for the small files that are
 * cheaper to read than to map. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io_internal.h"

int sa35_read_file(const char *path, uint8_t **bytes, size_t *size,
                   sa35_err *err)
{
    *bytes = NULL;
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return sa35_err_set(err, "%s: cannot open: %s", path,
                            strerror(errno));
    /* Start from the file's size when it has one; grow for pipes. */
    struct stat sb;
    size_t cap = 4096, n = 0;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0)
        cap = (size_t)sb.st_size + 1; /* +1 sees EOF without a regrow */
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *bigger = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
        if (!bigger)
            free(buf);
        buf = bigger;
        cap *= 2;
    }
    int bad = ferror(f);
    int e = errno;
    fclose(f);
    if (!buf)
        return sa35_err_set(err, "%s: out of memory reading it", path);
    if (bad) {
        free(buf);
        return sa35_err_set(err, "%s: read error: %s", path, strerror(e));
    }
    *bytes = buf;
    *size = n;
    return 0;
}

char *sa35_read_text(const char *path, sa35_err *err)
{
    uint8_t *bytes;
    size_t size;
    if (sa35_read_file(path, &bytes, &size, err))
        return NULL;
    char *text = malloc(size + 1);
    if (!text) {
        free(bytes);
        sa35_err_set(err, "%s: out of memory", path);
        return NULL;
    }
    memcpy(text, bytes, size);
    text[size] = '\0';
    free(bytes);
    if (strlen(text) != size) {
        free(text);
        sa35_err_set(err, "%s: not a text file (NUL byte)", path);
        return NULL;
    }
    return text;
}

int sa35_file_has_magic(const char *path, const void *magic, size_t n)
{
    unsigned char head[16];
    FILE *f = n <= sizeof head ? fopen(path, "rb") : NULL;
    if (!f)
        return 0;
    size_t got = fread(head, 1, n, f);
    fclose(f);
    return got == n && memcmp(head, magic, n) == 0;
}
