/* svg_stacked.c: stacked bars (per-layer cycles: compute, stall, load). */
#include <math.h>
#include <stdio.h>

#include "power_internal.h"

enum { H = 500, ML = 90, MR = 160, MT = 40, MB = 110, MAXT = 14 };

int sa35_svg_stacked(const char *path, const char *title, const char *ylabel,
                     const char *const *bar_labels, int nbars,
                     const char *const *part_names, int nstack,
                     const double *values, sa35_err *err)
{
    double top = 0;
    for (int b = 0; b < nbars; b++) {
        double sum = 0;
        for (int p = 0; p < nstack; p++) {
            double v = values[b * nstack + p];
            if (!isfinite(v) || v < 0)
                return sa35_err_set(err, "%s: bar %d part %d is %g: must "
                                    "be finite and not negative", path, b, p,
                                    v);
            sum += v;
        }
        top = sum > top ? sum : top;
    }
    if (nbars < 1 || nstack < 1 || !(top > 0))
        return sa35_err_set(err, "%s: nothing to plot", path);
    double t[MAXT];
    int nt = svg_ticks(0, top, 0, t, MAXT);
    double hi = t[nt - 1];
    int bw = nbars > 40 ? 8 : 18, gap = bw / 2;
    int W = ML + MR + nbars * (bw + gap) + gap;
    W = W < 640 ? 640 : W;
    int y0 = H - MB, y1 = MT, x0 = ML;
    svg_doc d;
    svg_begin(&d, W, H, title);
    char lab[32];
    for (int i = 0; i < nt; i++) {
        double py = y0 - (y0 - y1) * t[i] / hi;
        svg_tick_label(t[i], lab, sizeof lab);
        svg_printf(&d, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                   "stroke=\"#ddd\"/>\n<text x=\"%d\" y=\"%.1f\" "
                   "text-anchor=\"end\">%s</text>\n", x0, py, W - MR, py,
                   x0 - 6, py + 4, lab);
    }
    for (int b = 0; b < nbars; b++) {
        double x = x0 + gap + b * (bw + gap), base = 0;
        for (int p = 0; p < nstack; p++) {
            double v = values[b * nstack + p];
            double ya = y0 - (y0 - y1) * (base + v) / hi;
            double yb = y0 - (y0 - y1) * base / hi;
            svg_printf(&d, "<rect x=\"%.1f\" y=\"%.2f\" width=\"%d\" "
                       "height=\"%.2f\" fill=\"%s\"/>\n", x, ya, bw, yb - ya,
                       svg_color(p));
            base += v;
        }
        svg_printf(&d, "<text transform=\"translate(%.1f %d) rotate(60)\" "
                   "font-size=\"9\">", x + bw / 2.0, y0 + 8);
        svg_text(&d, bar_labels[b]);
        svg_printf(&d, "</text>\n");
    }
    svg_printf(&d, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
               "fill=\"none\" stroke=\"black\"/>\n<text transform=\"translate"
               "(18 %d) rotate(-90)\" text-anchor=\"middle\">", x0, y1,
               W - MR - x0, y0 - y1, (y0 + y1) / 2);
    svg_text(&d, ylabel);
    svg_printf(&d, "</text>\n");
    for (int p = 0; p < nstack; p++) {
        int ly = MT + 10 + 18 * p;
        svg_printf(&d, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
                   "fill=\"%s\"/>\n<text x=\"%d\" y=\"%d\">", W - MR + 14,
                   ly - 8, svg_color(p), W - MR + 32, ly + 2);
        svg_text(&d, part_names[p]);
        svg_printf(&d, "</text>\n");
    }
    return svg_doc_write(&d, path, err);
}
