/* thermal_expm.c: exp(A dt) for the RC ladder's small (n <= 8) system
 * matrix. Scaling and squaring with a Taylor series: A = -C^-1 G has real
 * negative eigenvalues (it is similar to a symmetric negative definite
 * matrix), so after scaling to norm <= 1/2 the series converges fast and
 * squaring does not amplify rounding much. Exactness for piecewise-constant
 * power is why this and not an Euler method: the step size then sets only
 * the resolution of the power trace, never stability or accuracy. */
#include <math.h>
#include <string.h>

#include "power_internal.h"

#define N SA35_THERMAL_MAX_STAGES

static void matmul(int n, const double *a, const double *b, double *c)
{
    double t[N * N];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < n; k++)
                s += a[i * n + k] * b[k * n + j];
            t[i * n + j] = s;
        }
    memcpy(c, t, sizeof(double) * (size_t)(n * n));
}

/* The ladder's A = -C^-1 G (n x n, row-major). */
static void ladder_matrix(const sa35_thermal *th, double *a)
{
    int n = th->n;
    memset(a, 0, sizeof(double) * (size_t)(n * n));
    for (int i = 0; i < n; i++) {
        double g = 1.0 / th->theta[i]; /* i -> i+1, or -> ambient */
        a[i * n + i] -= g;
        if (i + 1 < n) {
            a[i * n + i + 1] += g;
            a[(i + 1) * n + i + 1] -= g;
            a[(i + 1) * n + i] += g;
        }
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            a[i * n + j] /= th->cap[i];
}

void power_thermal_expm(const sa35_thermal *th, double dt, double *e)
{
    int n = th->n;
    double a[N * N];
    ladder_matrix(th, a);
    double norm = 0;
    for (int i = 0; i < n; i++) {
        double r = 0;
        for (int j = 0; j < n; j++)
            r += fabs(a[i * n + j]) * dt;
        norm = r > norm ? r : norm;
    }
    int s = 0;
    while (norm > 0.5 && s < 1000) {
        norm /= 2;
        s++;
    }
    double scale = ldexp(dt, -s);
    for (int i = 0; i < n * n; i++)
        a[i] *= scale;
    /* Taylor to degree 20: the remainder is below 0.5^21 / 21! ~ 2e-26. */
    double term[N * N];
    memset(e, 0, sizeof(double) * (size_t)(n * n));
    memset(term, 0, sizeof term);
    for (int i = 0; i < n; i++)
        e[i * n + i] = term[i * n + i] = 1;
    for (int k = 1; k <= 20; k++) {
        matmul(n, term, a, term);
        for (int i = 0; i < n * n; i++) {
            term[i] /= k;
            e[i] += term[i];
        }
    }
    for (int k = 0; k < s; k++)
        matmul(n, e, e, e);
}
