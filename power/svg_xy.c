/* svg_xy.c: x-y plots (lines and points, linear or log axes): power and Tj
 * over time, J/token against bits, the roofline with layers on it. */
#include <math.h>
#include <stdio.h>

#include "power_internal.h"

enum { W = 800, H = 500, ML = 80, MR = 200, MT = 40, MB = 60, MAXT = 14 };

typedef struct axis {
    double lo, hi;
    int log;
    double t[MAXT];
    int nt;
} axis;

static int usable(double v, int logscale)
{
    return isfinite(v) && (!logscale || v > 0);
}

static double map(const axis *a, double v, double p0, double p1)
{
    double f = a->log ? (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo))
                      : (v - a->lo) / (a->hi - a->lo);
    return p0 + f * (p1 - p0);
}

static int set_axis(axis *a, double lo, double hi, int logscale)
{
    if (!(lo <= hi))
        return -1;
    a->log = logscale;
    a->nt = svg_ticks(lo, hi, logscale, a->t, MAXT);
    a->lo = a->t[0];
    a->hi = a->t[a->nt - 1];
    return a->hi > a->lo ? 0 : -1;
}

static void draw_axes(svg_doc *d, const sa35_svg_axes *ax, const axis *x,
                      const axis *y)
{
    int x0 = ML, x1 = W - MR, y0 = H - MB, y1 = MT;
    char lab[32];
    for (int i = 0; i < x->nt; i++) {
        double px = map(x, x->t[i], x0, x1);
        svg_tick_label(x->t[i], lab, sizeof lab);
        svg_printf(d, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                   "stroke=\"#ddd\"/>\n<text x=\"%.1f\" y=\"%d\" "
                   "text-anchor=\"middle\">%s</text>\n",
                   px, y0, px, y1, px, y0 + 16, lab);
    }
    for (int i = 0; i < y->nt; i++) {
        double py = map(y, y->t[i], y0, y1);
        svg_tick_label(y->t[i], lab, sizeof lab);
        svg_printf(d, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                   "stroke=\"#ddd\"/>\n<text x=\"%d\" y=\"%.1f\" "
                   "text-anchor=\"end\">%s</text>\n",
                   x0, py, x1, py, x0 - 6, py + 4, lab);
    }
    svg_printf(d, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
               "fill=\"none\" stroke=\"black\"/>\n", x0, y1, x1 - x0, y0 - y1);
    svg_printf(d, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
               (x0 + x1) / 2, H - 18);
    svg_text(d, ax->xlabel);
    svg_printf(d, "</text>\n<text transform=\"translate(18 %d) rotate(-90)\" "
               "text-anchor=\"middle\">", (y0 + y1) / 2);
    svg_text(d, ax->ylabel);
    svg_printf(d, "</text>\n");
}

static void draw_series(svg_doc *d, const sa35_svg_series *s, int k,
                        const axis *x, const axis *y)
{
    int x0 = ML, x1 = W - MR, y0 = H - MB, y1 = MT;
    const char *col = svg_color(k);
    if (s->style != SA35_SVG_POINTS) {
        svg_printf(d, "<polyline fill=\"none\" stroke=\"%s\" "
                   "stroke-width=\"2\" points=\"", col);
        for (size_t i = 0; i < s->n; i++)
            if (usable(s->x[i], x->log) && usable(s->y[i], y->log))
                svg_printf(d, "%.2f,%.2f ", map(x, s->x[i], x0, x1),
                           map(y, s->y[i], y0, y1));
        svg_printf(d, "\"/>\n");
    }
    if (s->style == SA35_SVG_LINE)
        return;
    for (size_t i = 0; i < s->n; i++) {
        if (!usable(s->x[i], x->log) || !usable(s->y[i], y->log))
            continue;
        double px = map(x, s->x[i], x0, x1), py = map(y, s->y[i], y0, y1);
        svg_printf(d, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"%s\"/>\n",
                   px, py, col);
        if (s->labels && s->labels[i]) {
            svg_printf(d, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"9\">",
                       px + 5, py - 5);
            svg_text(d, s->labels[i]);
            svg_printf(d, "</text>\n");
        }
    }
}

int sa35_svg_xy(const char *path, const sa35_svg_axes *ax,
                const sa35_svg_series *s, int ns, sa35_err *err)
{
    double xl = INFINITY, xh = -INFINITY, yl = INFINITY, yh = -INFINITY;
    for (int k = 0; k < ns; k++)
        for (size_t i = 0; i < s[k].n; i++) {
            if (!usable(s[k].x[i], ax->logx) || !usable(s[k].y[i], ax->logy))
                continue;
            xl = fmin(xl, s[k].x[i]);
            xh = fmax(xh, s[k].x[i]);
            yl = fmin(yl, s[k].y[i]);
            yh = fmax(yh, s[k].y[i]);
        }
    axis x, y;
    if (set_axis(&x, xl, xh, ax->logx) || set_axis(&y, yl, yh, ax->logy))
        return sa35_err_set(err, "%s: nothing to plot (no finite%s points)",
                            path, ax->logx || ax->logy ? ", positive" : "");
    svg_doc d;
    svg_begin(&d, W, H, ax->title);
    draw_axes(&d, ax, &x, &y);
    for (int k = 0; k < ns; k++) {
        draw_series(&d, &s[k], k, &x, &y);
        int ly = MT + 10 + 18 * k;
        svg_printf(&d, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" "
                   "fill=\"%s\"/>\n<text x=\"%d\" y=\"%d\">", W - MR + 14,
                   ly - 2, svg_color(k), W - MR + 34, ly + 4);
        svg_text(&d, s[k].name);
        svg_printf(&d, "</text>\n");
    }
    return svg_doc_write(&d, path, err);
}
