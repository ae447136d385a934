/* validate_metrics.c: what a validation case can compare, each metric
 * once: its name, unit, definition and how it is read off a run. */
#include <string.h>

#include "sa35_validate.h"

static double macs(const sa35_run *r)
{
    double m = 0;
    for (int64_t i = 0; i < r->nres; i++)
        if (r->res[i].op->unit == SA35_UNIT_ARRAY)
            m += (double)r->res[i].op->M * (double)r->res[i].op->K *
                 (double)r->res[i].op->N;
    return m;
}

static double peak_per_cycle(const sa35_run *r)
{
    return (double)r->sys.rows * r->sys.cols * sa35_system_k_per_row(&r->sys) *
           (r->chips > 0 ? r->chips : 1);
}

static double tops(const sa35_run *r) { return 2 * macs(r) / r->time_s / 1e12; }

static double per_s(const sa35_run *r) { return r->tokens_per_s; }

static double per_user(const sa35_run *r) { return r->tokens_per_s_per_user; }

static double useful(const sa35_run *r)
{
    return 100 * macs(r) / (peak_per_cycle(r) * (double)r->cycles);
}

static double vector_cycles(const sa35_run *r)
{
    double c = 0;
    for (int64_t i = 0; i < r->nres; i++)
        if (r->res[i].op->unit == SA35_UNIT_VECTOR)
            c += (double)r->res[i].cycles;
    return c;
}

static double non_matrix(const sa35_run *r)
{
    return 100 * vector_cycles(r) / (double)r->cycles;
}

static double array_idle(const sa35_run *r)
{
    return 100 - useful(r) - non_matrix(r);
}

static const sa35_vmetric metrics[] = {
    {"tops", "TOPS",
     "2 x the GEMMs' MACs / the step's time (one batch, every op in turn)",
     tops},
    {"inferences_per_s", "1/s",
     "inputs (a network) or tokens (an LLM) a second, all in flight", per_s},
    {"tokens_per_s_per_user", "tok/s",
     "one sequence's tokens a second (the step's latency)", per_user},
    {"useful_mac_pct", "%",
     "the GEMMs' MACs / (peak MACs a cycle x the step's cycles)", useful},
    {"non_matrix_pct", "%",
     "the vector unit's cycles / the step's cycles", non_matrix},
    {"array_idle_pct", "%",
     "100 - useful_mac_pct - non_matrix_pct: GEMM cycles without a useful "
     "MAC (waiting for weights, shifting them, partial tiles)",
     array_idle},
};

const sa35_vmetric *sa35_vmetrics(int *count)
{
    *count = (int)(sizeof metrics / sizeof *metrics);
    return metrics;
}

const sa35_vmetric *sa35_vmetric_find(const char *name)
{
    for (size_t i = 0; i < sizeof metrics / sizeof *metrics; i++)
        if (!strcmp(metrics[i].name, name))
            return &metrics[i];
    return NULL;
}
