/* svg_doc.c: what the SVG plots share: a text buffer, escaping, the
 * palette, tick choice, and the atomic write. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "power_internal.h"
#include "sa35_io.h"

void svg_printf(svg_doc *d, const char *fmt, ...)
{
    if (d->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || d->len + (size_t)n + 1 > d->cap) {
        size_t cap = d->cap ? d->cap : 4096;
        while (n >= 0 && d->len + (size_t)n + 1 > cap)
            cap *= 2;
        char *s = n < 0 ? NULL : realloc(d->s, cap);
        if (!s) {
            d->oom = 1;
            return;
        }
        d->s = s;
        d->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(d->s + d->len, d->cap - d->len, fmt, ap);
    va_end(ap);
    d->len += (size_t)n;
}

void svg_text(svg_doc *d, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': svg_printf(d, "&amp;"); break;
        case '<': svg_printf(d, "&lt;"); break;
        case '>': svg_printf(d, "&gt;"); break;
        case '"': svg_printf(d, "&quot;"); break;
        default: svg_printf(d, "%c", *s);
        }
    }
}

void svg_begin(svg_doc *d, int w, int h, const char *title)
{
    memset(d, 0, sizeof *d);
    svg_printf(d, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
               "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
               "font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" "
               "fill=\"white\"/>\n<text x=\"%d\" y=\"22\" text-anchor=\"middle\" "
               "font-size=\"15\">", w, h, w, h, w / 2);
    svg_text(d, title);
    svg_printf(d, "</text>\n");
}

int svg_doc_write(svg_doc *d, const char *path, sa35_err *err)
{
    svg_printf(d, "</svg>\n");
    int rc = -1;
    if (d->oom) {
        sa35_err_set(err, "%s: out of memory for the SVG text (%zu bytes "
                          "so far)",
                     path, d->len);
    } else {
        sa35_outfile of;
        if (sa35_outfile_open(&of, path, err) == 0) {
            if (sa35_outfile_write(&of, d->s, d->len, err) == 0 &&
                sa35_outfile_commit(&of, err) == 0)
                rc = 0;
            sa35_outfile_abort(&of);
        }
    }
    free(d->s);
    memset(d, 0, sizeof *d);
    return rc;
}

const char *svg_color(int i)
{
    /* Okabe & Ito's palette: distinguishable with the common kinds of
     * color blindness. */
    static const char *const c[] = {"#0072B2", "#D55E00", "#009E73",
                                    "#CC79A7", "#E69F00", "#56B4E9",
                                    "#F0E442", "#000000"};
    return c[(unsigned)i % 8u];
}

int svg_ticks(double lo, double hi, int logscale, double *t, int max)
{
    /* The ticks cover [lo, hi]: the first at or below lo, the last at or
     * above hi, so the axis can run from the first tick to the last. */
    int n = 0;
    if (logscale) {
        int a = (int)floor(log10(lo)), b = (int)ceil(log10(hi));
        if (b == a)
            b++;
        int step = 1;
        while ((b - a + step - 1) / step + 1 > max)
            step++;
        for (int k = a; n < max; k += step) {
            t[n++] = pow(10.0, k);
            if (k >= b)
                break;
        }
        return n;
    }
    if (!(hi > lo)) {
        double pad = fabs(lo) > 0 ? fabs(lo) * 0.1 : 1;
        lo -= pad;
        hi += pad;
    }
    double raw = (hi - lo) / (max > 2 ? max - 2 : 1);
    double mag = pow(10.0, floor(log10(raw)));
    double step = 10 * mag;
    static const double nice[] = {1, 2, 5};
    for (int i = 0; i < 3; i++)
        if (nice[i] * mag >= raw) {
            step = nice[i] * mag;
            break;
        }
    for (double v = floor(lo / step) * step; n < max; v += step) {
        t[n++] = fabs(v) < step * 1e-9 ? 0 : v;
        if (v >= hi - step * 1e-9)
            break;
    }
    return n;
}

void svg_tick_label(double v, char *buf, size_t n)
{
    snprintf(buf, n, "%.4g", v);
}

int sa35_svg_note(const char *path, const char *title, const char *note,
                  sa35_err *err)
{
    svg_doc d;
    svg_begin(&d, 640, 120, title);
    svg_printf(&d, "<text x=\"320\" y=\"70\" text-anchor=\"middle\">");
    svg_text(&d, note);
    svg_printf(&d, "</text>\n");
    return svg_doc_write(&d, path, err);
}
