/* fuzz_vcase.c: the validation case reader (validation/NAME.json,
 * docs/validation.md). Asserts: an accepted case has a name, a metric of
 * the table, a finite published value (non-zero when compared
 * relatively), a positive tolerance (below 1 when relative), sources for
 * both, a workload in range, and NUL-terminated strings. Cases are not run
 * (a run is a model on a system: fuzz_model_config and fuzz_system). */
#include <math.h>

#include "fuzz_util.h"
#include "sa35_validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    char *text = fuzz_text(d, n);
    sa35_vcase c;
    sa35_err err;
    int rc = sa35_vcase_parse(text, "case.json", &c, &err);
    free(text);
    if (rc != 0) {
        FUZZ_ASSERT(strlen(err.msg) < sizeof err.msg);
        return 0;
    }
    FUZZ_ASSERT(c.name[0] && c.what[0] && c.source[0] &&
                c.tolerance_source[0] && c.model[0] && c.system[0]);
    FUZZ_ASSERT(c.metric && sa35_vmetric_find(c.metric->name) == c.metric);
    FUZZ_ASSERT(isfinite(c.published) && (c.points || c.published != 0));
    FUZZ_ASSERT(c.tolerance > 0 && (c.points || c.tolerance < 1));
    FUZZ_ASSERT(c.work.batch >= 1 && c.work.batch <= (1 << 20) &&
                c.work.seq >= 1 && c.work.seq <= (1 << 24) &&
                c.work.microbatches >= 1);
    FUZZ_ASSERT(strlen(c.assumptions) < sizeof c.assumptions &&
                strlen(c.known_gap) < sizeof c.known_gap);
    return 0;
}
