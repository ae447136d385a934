/* test_power_svg.c: the plot writers make well-formed SVG files, or no
 * file at all. */
#include "test_util.h"

#include "power_test_util.h"
#include "sa35_io.h"
#include "sa35_power.h"

static int exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

int main(void)
{
    sa35_err err;
    double x[4] = {1, 10, 100, 1000}, y[4] = {2, 20, 200, 200};
    const char *labels[4] = {"q<k>", NULL, "o&v", NULL};
    sa35_svg_series s[2] = {
        {"roof", x, y, 4, SA35_SVG_LINE, NULL},
        {"layers \"x\"", x, y, 4, SA35_SVG_POINTS, labels},
    };
    sa35_svg_axes ax = {"Roofline", "MAC/byte", "TOPS", 1, 1};
    CHECK(sa35_svg_xy("xy.svg", &ax, s, 2, &err) == 0);
    char *t = power_test_slurp("xy.svg");
    CHECK(t && strstr(t, "<svg") && strstr(t, "</svg>"));
    CHECK(t && strstr(t, "q&lt;k&gt;") && strstr(t, "o&amp;v") &&
          strstr(t, "layers &quot;x&quot;") && !strstr(t, "q<k>"));
    CHECK(t && strstr(t, "<polyline") && strstr(t, "<circle"));
    free(t);

    /* Nothing positive on a log axis: an error and no file. */
    double z[2] = {0, -1};
    sa35_svg_series bad = {"z", z, z, 2, SA35_SVG_LINE, NULL};
    CHECK(sa35_svg_xy("bad.svg", &ax, &bad, 1, &err) != 0);
    CHECK(!exists("bad.svg"));
    /* The same data is fine on linear axes. */
    sa35_svg_axes lin = {"T", "x", "y", 0, 0};
    CHECK(sa35_svg_xy("lin.svg", &lin, &bad, 1, &err) == 0);

    const char *bars[3] = {"q", "k", "ffn"};
    const char *parts[3] = {"compute", "stall", "load"};
    double v[9] = {1, 2, 3, 4, 0, 1, 10, 0, 0};
    CHECK(sa35_svg_stacked("bars.svg", "cycles", "cycles", bars, 3, parts, 3,
                           v, &err) == 0);
    t = power_test_slurp("bars.svg");
    CHECK(t && strstr(t, "compute") && strstr(t, "ffn") &&
          strstr(t, "</svg>"));
    free(t);
    v[4] = -1;
    CHECK(sa35_svg_stacked("bars2.svg", "c", "c", bars, 3, parts, 3, v,
                           &err) != 0);
    CHECK(!exists("bars2.svg"));
    /* An unwritable place: an error naming it. */
    CHECK(sa35_svg_xy("/nonexistent/dir/x.svg", &lin, &bad, 1, &err) != 0);
    CHECK(strstr(err.msg, "/nonexistent/dir/x.svg") != NULL);
    return TEST_DONE();
}
