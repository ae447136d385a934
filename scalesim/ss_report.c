/* ss_report.c: SCALE-Sim's three reports, byte for byte in its format:
 * ", " between fields, a trailing ',' on every line, numbers as Python
 * prints them (ints plain, floats by repr: "100.0", "15.619577859553454",
 * cycle columns that v2 keeps as numpy floats as "33.0"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss_internal.h"
#include "sa35_io.h"

void sa35_ss_pyfloat(double x, char *buf)
{
    if (isnan(x)) {
        strcpy(buf, "nan");
        return;
    }
    if (isinf(x)) {
        strcpy(buf, x < 0 ? "-inf" : "inf");
        return;
    }
    if (x == 0) {
        strcpy(buf, signbit(x) ? "-0.0" : "0.0");
        return;
    }
    /* the fewest significant digits that read back as x */
    char e[40];
    for (int p = 0; p < 17; p++) {
        snprintf(e, sizeof e, "%.*e", p, x);
        if (strtod(e, NULL) == x)
            break;
    }
    /* e is [-]d[.ddd]e[+-]XX: split into sign, digits, exponent */
    int neg = e[0] == '-';
    char digits[24];
    int nd = 0;
    const char *p = e + neg;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            digits[nd++] = *p;
    digits[nd] = '\0';
    int exp10 = atoi(p + 1);
    char *o = buf;
    if (neg)
        *o++ = '-';
    if (exp10 < -4 || exp10 >= 16) { /* repr's switch to exponents */
        *o++ = digits[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, digits + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        sprintf(o, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
        return;
    }
    if (exp10 < 0) {
        *o++ = '0', *o++ = '.';
        for (int i = 0; i < -exp10 - 1; i++)
            *o++ = '0';
        memcpy(o, digits, (size_t)nd);
        o[nd] = '\0';
        return;
    }
    for (int i = 0; i <= exp10; i++)
        *o++ = i < nd ? digits[i] : '0';
    *o++ = '.';
    if (nd > exp10 + 1) {
        memcpy(o, digits + exp10 + 1, (size_t)(nd - exp10 - 1));
        o += nd - exp10 - 1;
    } else {
        *o++ = '0';
    }
    *o = '\0';
}

typedef struct text {
    char *p;
    size_t len, cap;
} text;

static int put(text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->cap + n + 1) * 2;
        char *q = realloc(t->p, cap);
        if (!q)
            return -1;
        t->p = q, t->cap = cap;
    }
    memcpy(t->p + t->len, s, n + 1);
    t->len += n;
    return 0;
}

static int put_i(text *t, int64_t v)
{
    char b[32];
    snprintf(b, sizeof b, ", %lld", (long long)v);
    return put(t, b);
}

static int put_f(text *t, double v)
{
    char b[40] = ", ";
    sa35_ss_pyfloat(v, b + 2);
    return put(t, b);
}

static const char *headers[3] = {
    "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping "
    "Efficiency %, Compute Util %,\n",
    "LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW, "
    "Avg IFMAP DRAM BW, Avg FILTER DRAM BW, Avg OFMAP DRAM BW,\n",
    "LayerID, SRAM IFMAP Start Cycle, SRAM IFMAP Stop Cycle, SRAM IFMAP "
    "Reads, SRAM Filter Start Cycle, SRAM Filter Stop Cycle, SRAM Filter "
    "Reads, SRAM OFMAP Start Cycle, SRAM OFMAP Stop Cycle, SRAM OFMAP "
    "Writes, DRAM IFMAP Start Cycle, DRAM IFMAP Stop Cycle, DRAM IFMAP "
    "Reads, DRAM Filter Start Cycle, DRAM Filter Stop Cycle, DRAM Filter "
    "Reads, DRAM OFMAP Start Cycle, DRAM OFMAP Stop Cycle, DRAM OFMAP "
    "Writes,\n"};
static const char *names[3] = {"COMPUTE_REPORT.csv", "BANDWIDTH_REPORT.csv",
                               "DETAILED_ACCESS_REPORT.csv"};

static int build(text t[3], const sa35_ss_result *r, int n)
{
    int bad = 0;
    for (int k = 0; k < 3; k++)
        bad |= put(&t[k], headers[k]);
    for (int i = 0; i < n && !bad; i++) {
        const sa35_ss_result *x = &r[i];
        char id[16];
        snprintf(id, sizeof id, "%d", i);
        for (int k = 0; k < 3; k++)
            bad |= put(&t[k], id);
        bad |= put_i(&t[0], x->total_cycles) | put_i(&t[0], x->stall_cycles) |
               put_f(&t[0], x->overall_util) | put_f(&t[0], x->mapping_eff) |
               put_f(&t[0], x->compute_util);
        for (int j = 0; j < 3; j++)
            bad |= put_f(&t[1], x->sram_bw[j]);
        for (int j = 0; j < 3; j++)
            bad |= put_f(&t[1], x->dram_bw[j]);
        for (int j = 0; j < 3; j++)
            bad |= put_f(&t[2], x->sram_start[j]) |
                   put_f(&t[2], x->sram_stop[j]) |
                   put_i(&t[2], x->sram_count[j]);
        for (int j = 0; j < 3; j++)
            bad |= put_f(&t[2], x->dram_start[j]) |
                   put_f(&t[2], x->dram_stop[j]) |
                   put_i(&t[2], x->dram_count[j]);
        for (int k = 0; k < 3; k++)
            bad |= put(&t[k], ",\n");
    }
    return bad;
}

int sa35_ss_write_reports(const char *dir, const sa35_ss_result *r, int n,
                          sa35_err *err)
{
    text t[3] = {{0}};
    int rc;
    if (build(t, r, n)) {
        rc = sa35_err_set(err, "%s: out of memory for the reports of %d "
                               "layers",
                          dir, n);
    } else {
        const char *texts[3] = {t[0].p, t[1].p, t[2].p};
        rc = sa35_write_files(dir, names, texts, 3, err);
    }
    for (int k = 0; k < 3; k++)
        free(t[k].p);
    return rc;
}
