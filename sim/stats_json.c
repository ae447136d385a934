/* stats_json.c: the statistics as JSON (`--stats STATS.json`), with the
 * derived figures: utilization, time at the clock, and the activity
 * factors the power model multiplies its per-event energies by. */
#include <stdio.h>

#include "sa35_sim.h"

static double ratio(uint64_t num, double den)
{
    return den > 0 ? (double)num / den : 0.0;
}

int sa35_stats_to_json(const sa35_stats *st, const sa35_arch *a,
                       const char *engine, cJSON *o)
{
    const double pe_cycles = (double)a->rows * (double)a->cols *
                             (double)st->cycles;
    const struct {
        const char *key;
        uint64_t v;
    } counters[] = {
        {"cycles", st->cycles},
        {"instructions", st->instructions},
        {"macs", st->macs},
        {"pe_busy_cycles", st->pe_busy_cycles},
        {"weight_loads", st->weight_loads},
        {"weight_load_cycles", st->weight_load_cycles},
        {"stream_cycles", st->stream_cycles},
        {"fill_cycles", st->fill_cycles},
        {"stall_cycles", st->stall_cycles},
        {"drain_cycles", st->drain_cycles},
        {"sram_read_bytes", st->sram_read_bytes},
        {"sram_write_bytes", st->sram_write_bytes},
        {"dram_read_bytes", st->dram_read_bytes},
        {"dram_write_bytes", st->dram_write_bytes},
    };
    int ok = cJSON_AddStringToObject(o, "engine", engine) != NULL;
    char arr[64];
    snprintf(arr, sizeof arr, "%dx%d", a->rows, a->cols);
    ok &= cJSON_AddStringToObject(o, "array", arr) != NULL;
    ok &= cJSON_AddStringToObject(o, "pe", sa35_arch_pe(a)->name) != NULL;
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
    /* counters stay below 2^53 for any run this program can finish, so a
     * JSON number (a double) holds them exactly */
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++)
        ok &= cJSON_AddNumberToObject(o, counters[i].key,
                                      (double)counters[i].v) != NULL;
    ok &= cJSON_AddNumberToObject(o, "utilization",
                                  ratio(st->macs, 2.0 * pe_cycles)) != NULL;
    ok &= cJSON_AddNumberToObject(o, "seconds",
                                  (double)st->cycles / a->clock_hz) != NULL;
    if (st->has_activity) {
        cJSON *t = cJSON_AddObjectToObject(o, "activity");
        const double bits = (double)sa35_arch_psum_bits(a);
        ok &= t != NULL;
        if (t) {
            ok &= cJSON_AddNumberToObject(t, "toggles_psum",
                                          (double)st->toggles_psum) != NULL;
            ok &= cJSON_AddNumberToObject(t, "toggles_act",
                                          (double)st->toggles_act) != NULL;
            ok &= cJSON_AddNumberToObject(t, "toggles_skew",
                                          (double)st->toggles_skew) != NULL;
            ok &= cJSON_AddNumberToObject(t, "toggles_weight",
                                          (double)st->toggles_weight) != NULL;
            /* per register bit per cycle: psum (psum_bits wide) and the
             * activation pair (16 bits + swap flag) of every PE */
            ok &= cJSON_AddNumberToObject(
                      t, "psum_toggle_rate",
                      ratio(st->toggles_psum, pe_cycles * bits)) != NULL;
            ok &= cJSON_AddNumberToObject(
                      t, "act_toggle_rate",
                      ratio(st->toggles_act, pe_cycles * 17.0)) != NULL;
            ok &= cJSON_AddNumberToObject(
                      t, "zero_act_fraction",
                      ratio(st->zero_act_operands,
                            (double)st->act_operands)) != NULL;
            ok &= cJSON_AddNumberToObject(
                      t, "zero_weight_fraction",
                      ratio(st->zero_weight_operands,
                            (double)st->weight_operands)) != NULL;
        }
    }
    return ok ? 0 : -1;
}
