/* test_power_tables.c: the energy tables load only with a source on every
 * constant; node scaling follows the Stillmaker & Baas polynomials. */
#include "test_util.h"

#include "sa35_power.h"

static void test_builtins_have_sources(void)
{
    sa35_err err;
    for (const char *const *nm = sa35_ptable_builtin_names(); *nm; nm++) {
        sa35_ptable t;
        CHECK_MSG(sa35_ptable_builtin(*nm, &t, &err) == 0, "%s: %s", *nm,
                  err.msg);
        CHECK(t.n > 0 && strcmp(t.name, *nm) == 0);
        for (int i = 0; i < t.n; i++)
            CHECK_MSG(strlen(t.c[i].source) > 10 && t.c[i].unit[0],
                      "%s.%s", *nm, t.c[i].name);
        sa35_ptable_free(&t);
    }
    sa35_ptable t;
    CHECK(sa35_ptable_builtin("nope", &t, &err) != 0);
    /* The numbers the issue quotes, as loaded. */
    CHECK(sa35_ptable_builtin("horowitz45", &t, &err) == 0);
    double v;
    CHECK(sa35_ptable_get(&t, "add_int8_pj", &v, &err) == 0 && v == 0.03);
    CHECK(sa35_ptable_get(&t, "mul_int32_pj", &v, &err) == 0 && v == 3.1);
    CHECK(sa35_ptable_get(&t, "sram_1mb_64bit_pj", &v, &err) == 0 && v == 100);
    CHECK(sa35_ptable_get(&t, "no_such", &v, &err) != 0 &&
          strstr(err.msg, "no_such"));
    sa35_ptable_free(&t);
}

static int parse(const char *json, sa35_err *err)
{
    sa35_ptable t;
    int rc = sa35_ptable_parse(json, "t.json", &t, err);
    if (rc == 0)
        sa35_ptable_free(&t);
    return rc;
}

static void test_bad_tables(void)
{
    sa35_err err;
    CHECK(parse("{\"table\":\"x\",\"constants\":[{\"name\":\"a\",\"value\":1,"
                "\"unit\":\"pJ\",\"source\":\"somewhere real\"}]}", &err) == 0);
    CHECK(parse("{\"table\":\"x\",\"constants\":[{\"name\":\"a\",\"value\":1,"
                "\"unit\":\"pJ\"}]}", &err) != 0);
    CHECK_MSG(strstr(err.msg, "'a'") && strstr(err.msg, "source") &&
              strstr(err.msg, "t.json"), "%s", err.msg);
    CHECK(parse("{\"table\":\"x\",\"constants\":[{\"name\":\"a\",\"value\":1,"
                "\"unit\":\"pJ\",\"source\":\"  \"}]}", &err) != 0);
    CHECK(strstr(err.msg, "empty \"source\""));
    CHECK(parse("{\"table\":\"x\",\"constants\":[{\"name\":\"a\",\"value\":-1,"
                "\"unit\":\"pJ\",\"source\":\"s\"}]}", &err) != 0);
    CHECK(strstr(err.msg, "not negative"));
    CHECK(parse("{\"table\":\"x\",\"constants\":[{\"name\":\"a\",\"value\":-1,"
                "\"unit\":\"coefficient\",\"source\":\"s\"}]}", &err) == 0);
    CHECK(parse("{\"table\":\"x\",\"constants\":[{\"name\":\"a\",\"value\":1,"
                "\"unit\":\"pJ\",\"source\":\"s\"},{\"name\":\"a\",\"value\":2,"
                "\"unit\":\"pJ\",\"source\":\"s\"}]}", &err) != 0);
    CHECK(strstr(err.msg, "twice"));
    CHECK(parse("{\"table\":\"x\",\"constants\":[{\"name\":\"a\","
                "\"value\":\"1\",\"unit\":\"pJ\",\"source\":\"s\"}]}",
                &err) != 0);
    CHECK(parse("{\"table\":\"x\",\"constants\":[]}", &err) != 0);
    CHECK(parse("[1,2]", &err) != 0);
    CHECK(parse("{not json", &err) != 0 && strstr(err.msg, "not valid JSON"));
    /* a key twice: the file and the key, down to the array element */
    CHECK(parse("{\"table\":\"x\",\"table\":\"y\",\"constants\":[{"
                "\"name\":\"a\",\"value\":1,\"unit\":\"pJ\",\"source\":"
                "\"s\"}]}", &err) != 0);
    CHECK_MSG(strstr(err.msg, "key \"table\" appears twice"), "%s", err.msg);
    CHECK(parse("{\"table\":\"x\",\"constants\":[{\"name\":\"a\","
                "\"value\":1,\"value\":2,\"unit\":\"pJ\",\"source\":\"s\"}]"
                "}", &err) != 0);
    CHECK_MSG(strstr(err.msg, "key \"constants[0].value\" appears twice"),
              "%s", err.msg);
    sa35_ptable t;
    CHECK(sa35_ptable_load("/nonexistent/t.json", &t, &err) != 0);
    CHECK(t.n == 0 && t.c == NULL);
}

/* F(node, V) = a V^2 + b V + c. The values are polynomials of a few terms
 * in double precision: 1e-12 relative covers their rounding. */
static void test_node_scaling(void)
{
    sa35_err err;
    sa35_ptable s;
    CHECK(sa35_ptable_builtin("node_scaling", &s, &err) == 0);
    double f, v;
    CHECK(sa35_node_energy_factor(&s, 45, 0, &f, &v, &err) == 0 && v == 0.9);
    double f45 = 1.018 * 0.81 - 0.3107 * 0.9 + 0.1539;
    CHECK(fabs(f - f45) < 1e-12 * f45);
    CHECK(sa35_node_energy_factor(&s, 16, 0, &f, &v, &err) == 0 && v == 0.8);
    double f16 = 0.2958 * 0.64 - 0.1241 * 0.8 + 0.03024;
    CHECK(fabs(f - f16) < 1e-12 * f16);
    double sc;
    CHECK(sa35_node_energy_scale(&s, 45, 0.9, 16, 0.8, &sc, &err) == 0);
    CHECK(fabs(sc - f16 / f45) < 1e-12);
    CHECK(sa35_node_energy_scale(&s, 45, 0.9, 45, 0.9, &sc, &err) == 0 &&
          sc == 1);
    /* 5 nm: one more 10 -> 7 step at the same voltage. */
    double f7 = 0.1776 * 0.4225 - 0.09097 * 0.65 + 0.02447;
    double f10 = 0.2068 * 0.4225 - 0.09311 * 0.65 + 0.02375;
    CHECK(sa35_node_energy_factor(&s, 5, 0, &f, &v, &err) == 0 && v == 0.65);
    CHECK(fabs(f - f7 * f7 / f10) < 1e-12 * f);
    /* Smaller nodes cost less energy, in order. */
    int nodes[] = {180, 45, 16, 7, 5};
    double prev = INFINITY;
    for (int i = 0; i < 5; i++) {
        CHECK(sa35_node_energy_factor(&s, nodes[i], 0, &f, NULL, &err) == 0);
        CHECK_MSG(f < prev, "%d nm", nodes[i]);
        prev = f;
    }
    CHECK(sa35_node_energy_factor(&s, 3, 0, &f, NULL, &err) != 0);
    CHECK(strstr(err.msg, "3 nm"));
    CHECK(sa35_node_energy_factor(&s, 90, 0, &f, NULL, &err) != 0);
    CHECK(strstr(err.msg, "vdd_90"));
    sa35_ptable_free(&s);
}

int main(void)
{
    test_builtins_have_sources();
    test_bad_tables();
    test_node_scaling();
    return TEST_DONE();
}
