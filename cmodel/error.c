/* error.c: one-line error messages carried in a caller-owned sa35_err. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sa35_cmodel.h"

int sa35_err_set(sa35_err *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int sa35_err_prefix(sa35_err *err, const char *ctx)
{
    if (err) {
        /* Shift the old message right to make room; a long one is cut at
         * the end, which keeps the context that says where it happened. */
        size_t cap = sizeof err->msg, n = strlen(ctx) + 2;
        if (n >= cap)
            n = cap - 1;
        size_t old = strnlen(err->msg, cap - 1);
        if (old > cap - 1 - n)
            old = cap - 1 - n;
        memmove(err->msg + n, err->msg, old);
        err->msg[n + old] = '\0';
        memcpy(err->msg, ctx, n >= 2 ? n - 2 : n);
        if (n >= 2) {
            err->msg[n - 2] = ':';
            err->msg[n - 1] = ' ';
        }
    }
    return -1;
}
