/* test_validate.c: the validation cases (validation/, docs/validation.md).
 * Every shipped case that is gated is within its stated tolerance (the
 * CTest test of `sa35 validate`); every known gap says why; a case file
 * that lies or is malformed is caught: a published value far from sa35's
 * makes `sa35 validate` exit 1 naming the case, and bad keys are refused
 * naming the file and the key. */
#include <math.h>

#include "cli_test_util.h"
#include "sa35_validate.h"

static void shipped(void)
{
    char dir[1024];
    sa35_err err;
    sa35_vcase *c = NULL;
    int n = 0;
    CHECK(sa35_find_data_dir("validation", dir, sizeof dir, &err) == 0);
    CHECK_MSG(sa35_vcases_load(dir, &c, &n, &err) == 0, "%s", err.msg);
    int gated = 0, tpu = 0, groq = 0;
    for (int i = 0; i < n; i++) {
        CHECK_MSG(sa35_vcase_run(&c[i], &err) == 0, "%s", err.msg);
        CHECK(c[i].source[0] && c[i].tolerance_source[0]);
        if (!c[i].known_gap[0]) {
            gated++;
            CHECK_MSG(c[i].within, "%s: sa35 %g, published %g (%s)",
                      c[i].name, c[i].value, c[i].published, c[i].path);
        }
        tpu += strncmp(c[i].name, "tpuv1-", 6) == 0;
        groq += strncmp(c[i].name, "groq-", 5) == 0;
    }
    /* the cases the project's targets name: TPU v1's TOPS and breakdown,
     * Groq's tokens/s per user */
    CHECK(gated >= 2 && tpu >= 5 && groq >= 1);
    /* TOPS is 2 x weights x batch / time, from the run's own figures */
    for (int i = 0; i < n; i++)
        if (!strcmp(c[i].name, "tpuv1-mlp0-tops")) {
            sa35_vcase ips = c[i];
            ips.metric = sa35_vmetric_find("inferences_per_s");
            CHECK(sa35_vcase_run(&ips, &err) == 0);
            /* the same quotient, rounded in another order */
            CHECK_MSG(fabs(c[i].value - 2 * 20e6 * ips.value / 1e12) <=
                          1e-12 * c[i].value,
                      "%.17g TOPS, %.17g IPS", c[i].value, ips.value);
        }
    free(c);
}

static void write_case(const char *name, const char *published,
                       const char *extra)
{
    char text[2048];
    snprintf(text, sizeof text,
             "{\"name\": \"%s\", \"what\": \"a test\", \"metric\": \"tops\",\n"
             " \"published\": {\"value\": %s, \"source\": \"a test\"},\n"
             " \"run\": {\"model\": \"tpuv1-mlp0\", \"system\": \"tpuv1\", "
             "\"batch\": 200, \"seq\": 1},\n"
             " \"tolerance\": {\"relative\": 0.15, \"source\": \"a test\"}%s}\n",
             name, published, extra);
    FILE *f = fopen(path_of(name), "w");
    CHECK(f && fputs(text, f) >= 0 && fclose(f) == 0);
}

static void cli(void)
{
    /* sa35's MLP0 is ~13.5 TOPS: a published 1.0 is far outside */
    write_case("far.json", "1.0", "");
    CHECK(run("validate far.json --out v") == 1);
    CHECK(strstr(slurp("err.txt"), "1 of 1 gated case(s) outside their "
                                   "tolerance: far.json"));
    CHECK(strstr(slurp("out.txt"), "OUTSIDE"));
    /* a known gap is reported, not gated; the reports are written */
    write_case("gap.json", "1.0", ", \"known_gap\": \"a test\"");
    CHECK(run("validate gap.json --out v") == 0);
    CHECK(strstr(slurp("out.txt"), "known gap"));
    CHECK(strstr(slurp("v/validate.csv"), "\"gap.json\",\"tops\",\"TOPS\""));
    CHECK(strstr(slurp("v/validate.json"), "\"gated\":\tfalse"));
    /* the shipped cases, as the README's command runs them */
    CHECK(run("validate --out shipped --quiet") == 0);
    CHECK(strstr(slurp("shipped/validate.csv"), "\"tpuv1-mlp0-tops\""));
    /* two cases of one name */
    CHECK(run("validate gap.json gap.json --out v") == 1);
    CHECK(strstr(slurp("err.txt"), "name 'gap.json' is also"));
}

static void bad_cases(void)
{
    sa35_vcase c;
    sa35_err err;
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"{\"name\": \"a\", \"what\": \"w\", \"metric\": \"flops\", "
         "\"published\": {\"value\": 1, \"source\": \"s\"}, \"run\": "
         "{\"model\": \"m\", \"system\": \"s\", \"batch\": 1, \"seq\": 1}, "
         "\"tolerance\": {\"relative\": 0.1, \"source\": \"s\"}}",
         "c.json: metric: 'flops' is not one of tops, inferences_per_s"},
        {"{\"name\": \"a\", \"what\": \"w\", \"metric\": \"tops\", "
         "\"published\": {\"value\": \"x\", \"source\": \"s\"}, \"run\": "
         "{\"model\": \"m\", \"system\": \"s\", \"batch\": 1, \"seq\": 1}, "
         "\"tolerance\": {\"relative\": 0.1, \"source\": \"s\"}}",
         "c.json: published.value: must be a finite number"},
        {"{\"name\": \"a\", \"what\": \"w\", \"metric\": \"tops\", "
         "\"published\": {\"value\": 1}, \"run\": {\"model\": \"m\", "
         "\"system\": \"s\", \"batch\": 1, \"seq\": 1}, \"tolerance\": "
         "{\"relative\": 0.1, \"source\": \"s\"}}",
         "c.json: published.source: must be a non-empty string"},
        {"{\"name\": \"a\", \"what\": \"w\", \"metric\": \"tops\", "
         "\"published\": {\"value\": 1, \"source\": \"s\"}, \"run\": "
         "{\"model\": \"m\", \"system\": \"s\", \"batch\": 0, \"seq\": 1}, "
         "\"tolerance\": {\"relative\": 0.1, \"source\": \"s\"}}",
         "c.json: run.batch: must be a whole number in 1..1048576, got 0"},
        {"{\"name\": \"a\", \"what\": \"w\", \"metric\": \"tops\", "
         "\"published\": {\"value\": 1, \"source\": \"s\"}, \"run\": "
         "{\"model\": \"m\", \"system\": \"s\", \"batch\": 1, \"seq\": 1}, "
         "\"tolerance\": {\"relative\": 0.1, \"points\": 3, \"source\": "
         "\"s\"}}",
         "c.json: tolerance: give one of \"relative\""},
        {"{\"name\": \"a\", \"what\": \"w\", \"metric\": \"tops\", "
         "\"published\": {\"value\": 1, \"source\": \"s\"}, \"run\": "
         "{\"model\": \"m\", \"system\": \"s\", \"batch\": 1, \"seq\": 1}, "
         "\"tolerance\": {\"relative\": 1.5, \"source\": \"s\"}}",
         "c.json: tolerance.relative: must be in (0, 1), got 1.5"},
        {"{\"name\": \"a\", \"what\": \"w\", \"metric\": \"tops\", "
         "\"published\": {\"value\": 1, \"source\": \"s\"}, \"run\": "
         "{\"model\": \"m\", \"system\": \"s\", \"batch\": 1, \"seq\": 1, "
         "\"phase\": \"train\"}, \"tolerance\": {\"relative\": 0.1, "
         "\"source\": \"s\"}}",
         "c.json: run.phase: must be decode or prefill, got 'train'"},
        {"{\"name\": \"a\", \"what\": \"w\", \"metric\": \"tops\", "
         "\"published\": {\"value\": 1, \"source\": \"s\"}, \"run\": "
         "{\"model\": \"m\", \"system\": \"s\", \"batch\": 1, \"seq\": 1}, "
         "\"tolerance\": {\"relative\": 0.1, \"source\": \"s\"}, "
         "\"assumptions\": [\"\"]}",
         "c.json: assumptions: must be a list of non-empty strings"},
        {"{\"name\": \"a\", \"name\": \"b\"}", "c.json"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CHECK_MSG(sa35_vcase_parse(cases[i].text, "c.json", &c, &err) == -1,
                  "case %zu accepted", i);
        CHECK_MSG(strstr(err.msg, cases[i].msg), "case %zu: %s", i, err.msg);
    }
}

int main(void)
{
    if (cli_test_init())
        return 1;
    shipped();
    cli();
    bad_cases();
    return TEST_DONE();
}
