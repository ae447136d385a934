/* stats_json.c: the statistics as JSON (`--stats STATS.json`), with the
 * derived figures: utilization, time at the clock, and the activity
 * factors the power model multiplies its per-event energies by. */
#include <stddef.h>
#include <stdio.h>

#include "sa35_sim.h"

static double ratio(uint64_t num, double den)
{
    return den > 0 ? (double)num / den : 0.0;
}

static const sa35_stat_desc stats_list[] = {
#define SA35_STAT_DESC(name, cls, what)                                       \
    {#name, SA35_STAT_##cls, what, offsetof(sa35_stats, name)},
    SA35_STATS_COUNTERS(SA35_STAT_DESC)
#undef SA35_STAT_DESC
};

const sa35_stat_desc *sa35_stats_list(size_t *n)
{
    *n = sizeof stats_list / sizeof stats_list[0];
    return stats_list;
}

const sa35_stat_desc *sa35_stats_diff(const sa35_stats *x,
                                      const sa35_stats *y, unsigned cls)
{
    for (size_t i = 0; i < sizeof stats_list / sizeof stats_list[0]; i++)
        if ((stats_list[i].cls & cls) &&
            sa35_stat_value(x, &stats_list[i]) !=
                sa35_stat_value(y, &stats_list[i]))
            return &stats_list[i];
    return NULL;
}

int sa35_stats_to_json(const sa35_stats *st, const sa35_arch *a,
                       const char *engine, cJSON *o)
{
    const double pe_cycles = (double)a->rows * (double)a->cols *
                             (double)st->cycles;
    const sa35_pe_desc *pe = sa35_arch_pe(a);
    int ok = cJSON_AddStringToObject(o, "engine", engine) != NULL;
    char arr[64];
    snprintf(arr, sizeof arr, "%dx%d", a->rows, a->cols);
    ok &= cJSON_AddStringToObject(o, "array", arr) != NULL;
    ok &= cJSON_AddStringToObject(o, "pe", pe->name) != NULL;
    ok &= cJSON_AddNumberToObject(o, "clock_hz", a->clock_hz) != NULL;
    ok &= cJSON_AddNumberToObject(o, "load_rows_per_cycle", a->load_rows) !=
          NULL;
    /* the memory the cycles assume: 0/1 is the ideal memory */
    ok &= cJSON_AddNumberToObject(o, "load_lanes", a->load_rows) != NULL;
    ok &= cJSON_AddNumberToObject(o, "dram_bw_num", a->dram_bw_num) != NULL;
    ok &= cJSON_AddNumberToObject(o, "dram_bw_den", a->dram_bw_den) != NULL;
    ok &= cJSON_AddNumberToObject(o, "dram_latency", a->dram_latency) != NULL;
    ok &= cJSON_AddNumberToObject(o, "psum_bits", sa35_arch_psum_bits(a)) !=
          NULL;
    /* every counter of the list: TIMING ones at the top, DATA ones under
     * "activity" when counted. They stay below 2^53 for any run this
     * program can finish, so a JSON number (a double) holds them exactly */
    cJSON *t = st->has_activity ? cJSON_AddObjectToObject(o, "activity")
                                : NULL;
    ok &= !st->has_activity || t != NULL;
    for (size_t i = 0; ok && i < sizeof stats_list / sizeof stats_list[0];
         i++) {
        const sa35_stat_desc *d = &stats_list[i];
        cJSON *dst = d->cls == SA35_STAT_TIMING ? o : t;
        if (dst)
            ok &= cJSON_AddNumberToObject(dst, d->name,
                                          (double)sa35_stat_value(st, d)) !=
                  NULL;
    }
    /* derived: MACs over the array's peak (k_per_row a PE-cycle) */
    ok &= cJSON_AddNumberToObject(
              o, "utilization",
              ratio(st->macs, pe->k_per_row * pe_cycles)) != NULL;
    ok &= cJSON_AddNumberToObject(o, "seconds",
                                  (double)st->cycles / a->clock_hz) != NULL;
    if (t) {
        const double bits = (double)sa35_arch_psum_bits(a);
        /* per register bit per PE-cycle: psum (psum_bits wide) and the
         * activation register (8 bits a k + the swap flag) of every PE;
         * the denominator in the name, as `sa35 project`'s activity rates
         * are per bit per write (sa35_activity.h), another quantity */
        ok &= cJSON_AddNumberToObject(
                  t, "psum_toggles_per_bit_cycle",
                  ratio(st->toggles_psum, pe_cycles * bits)) != NULL;
        ok &= cJSON_AddNumberToObject(
                  t, "act_toggles_per_bit_cycle",
                  ratio(st->toggles_act,
                        pe_cycles * (8.0 * pe->k_per_row + 1))) != NULL;
        ok &= cJSON_AddNumberToObject(
                  t, "zero_act_fraction",
                  ratio(st->zero_act_operands, (double)st->act_operands)) !=
              NULL;
        ok &= cJSON_AddNumberToObject(
                  t, "zero_weight_fraction",
                  ratio(st->zero_weight_operands,
                        (double)st->weight_operands)) != NULL;
    }
    return ok ? 0 : -1;
}
