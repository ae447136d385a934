/* project_write.c: project.json, project.csv, project.md and the plots,
 * all or none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "project_internal.h"
#include "sa35_io.h"

/* The register toggle rates the run used, with their source, and the
 * same run's figures with the other rates (docs/power.md). */
static void activity_json(const sa35_proj *p, cJSON *o)
{
    const sa35_activity *a = &p->act;
    cJSON *t = cJSON_AddObjectToObject(o, "activity");
    cJSON_AddStringToObject(t, "kind", a->measured ? "measured" : "assumed");
    cJSON_AddStringToObject(t, "source", a->source);
    cJSON_AddNumberToObject(t, "psum", a->psum);
    cJSON_AddNumberToObject(t, "act", a->act);
    cJSON_AddNumberToObject(t, "skew", a->skew);
    cJSON_AddNumberToObject(t, "weight", a->weight);
    cJSON_AddStringToObject(t, "per", "toggle probability per register bit "
                            "per write (sa35_activity.h)");
    if (a->measured) {
        cJSON *w = cJSON_AddObjectToObject(t, "workload");
        cJSON_AddNumberToObject(w, "M", (double)a->M);
        cJSON_AddNumberToObject(w, "K", (double)a->K);
        cJSON_AddNumberToObject(w, "N", (double)a->N);
        cJSON_AddNumberToObject(w, "rows", a->rows);
        cJSON_AddNumberToObject(w, "cols", a->cols);
        cJSON_AddNumberToObject(w, "psum_bits", a->psum_bits);
        cJSON_AddNumberToObject(w, "seed", (double)a->seed);
        cJSON_AddStringToObject(w, "pe", sa35_pe_info(a->pe)->name);
        cJSON_AddNumberToObject(t, "zero_act_fraction", a->zero_act);
        cJSON_AddNumberToObject(t, "zero_weight_fraction", a->zero_weight);
        cJSON_AddStringToObject(t, "zero_gating", "not applied: reported "
                                "only");
        cJSON_AddNumberToObject(t, "seconds", a->seconds);
    }
    if (p->has_alt) {
        cJSON *x = cJSON_AddObjectToObject(t, "other");
        cJSON_AddStringToObject(x, "rates", p->alt_what);
        cJSON_AddNumberToObject(x, "j_per_token", p->alt_j_per_token);
        cJSON_AddNumberToObject(x, "power_w", p->alt_power_w);
        cJSON_AddNumberToObject(x, "tj_c", p->alt_tj_c);
        cJSON_AddNumberToObject(x, "registers_j_per_step", p->alt_reg_j);
    }
}

static cJSON *proj_json(const sa35_proj *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "format", p->wf.name);
    cJSON_AddNumberToObject(o, "group", (double)p->wf.group);
    cJSON_AddNumberToObject(o, "bits", p->bits);
    if (p->has_quality) { /* SQNR is +inf for an exact format: null */
        cJSON *q = cJSON_AddObjectToObject(o, "quality");
        if (p->q.sqnr_db - p->q.sqnr_db == 0)
            cJSON_AddNumberToObject(q, "sqnr_db", p->q.sqnr_db);
        else
            cJSON_AddNullToObject(q, "sqnr_db");
        cJSON_AddNumberToObject(q, "rmse", p->q.rmse);
        cJSON_AddNumberToObject(q, "max_abs_err", p->q.max_abs_err);
        cJSON_AddNumberToObject(q, "bits_per_weight", p->q.bits_per_weight);
    }
    cJSON_AddBoolToObject(o, "ok", p->ok);
    if (!p->ok) {
        cJSON_AddStringToObject(o, "why", p->why);
        return o;
    }
    cJSON_AddStringToObject(o, "pe", sa35_pe_info(p->pe)->name);
    const struct { const char *k; double v; } f[] = {
        {"tokens_per_s", p->tokens_per_s},
        {"tokens_per_s_per_user", p->tokens_per_s_per_user},
        {"latency_per_token_s", p->latency_s},
        {"j_per_token", p->j_per_token},
        {"power_w", p->p_avg_w},
        {"power_peak_w", p->p_peak_w},
        {"memory_power_w", p->p_mem_w},
        {"tj_c", p->tj_c},
        {"tj_unthrottled_c", p->tj_unthrottled_c},
        {"clock_fraction", p->clock},
        {"chips", p->run.chips},
        {"weight_bytes", p->weight_bytes},
        {"bits_stored", p->bits_stored},
        {"peak_tops", p->peak_tops},
        {"ridge_macs_per_byte", p->ridge_macs_per_byte},
        {"step_s", p->step_s},
        {"macs_per_step", p->macs},
        {"dynamic_j_per_step", p->e.dynamic_j},
        {"mac_j_per_step", p->e.mac_j},
        {"register_j_per_step", p->e.reg_j},
        {"clock_j_per_step", p->e.clock_j},
        {"sram_j_per_step", p->e.sram_j},
        {"offchip_j_per_step", p->e.offchip_j},
        {"link_j_per_step", p->e.link_j},
        {"vector_j_per_step", p->vector_j},
        {"scale_row_j_per_step", p->scale_j},
        {"leakage_w", p->leak_w},
        {"chip_peak_dynamic_w", p->p_chip_peak_dyn_w},
        {"hottest_chip_dynamic_w", p->p_dyn_hot_w},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) /* JSON has no inf */
        if (f[i].v == f[i].v && f[i].v - f[i].v == 0)
            cJSON_AddNumberToObject(o, f[i].k, f[i].v);
        else
            cJSON_AddNullToObject(o, f[i].k);
    cJSON_AddBoolToObject(o, "thermal_runaway", p->runaway);
    if (p->ok)
        activity_json(p, o);
    return o;
}

static char *json_text(const sa35_proj *p, int np, const sa35_power_cfg *pc,
                       const sa35_proj_opts *o)
{
    cJSON *root = proj_json(&p[0]);
    if (o->qm) {
        cJSON *q = cJSON_AddObjectToObject(root, "quality_matrix");
        cJSON_AddStringToObject(q, "dist", o->qm->dist.spec);
        cJSON_AddNumberToObject(q, "K", (double)o->qm->K);
        cJSON_AddNumberToObject(q, "N", (double)o->qm->N);
        cJSON_AddNumberToObject(q, "std", o->qm->std);
        cJSON_AddNumberToObject(q, "seed", (double)o->qm->seed);
    }
    cJSON_AddStringToObject(root, "model", p[0].run.model.name);
    cJSON_AddStringToObject(root, "system", pc->origin);
    if (p[0].ok) { /* the same PE derived twice (docs/power.md) */
        cJSON *pe = cJSON_AddObjectToObject(root, "pe_energy_pj");
        cJSON_AddNumberToObject(pe, "horowitz", p[0].pe_pj_horowitz);
        cJSON_AddNumberToObject(pe, "rtl", p[0].pe_pj_rtl);
        cJSON_AddNumberToObject(pe, "rtl_over_horowitz",
                                p[0].pe_pj_rtl / p[0].pe_pj_horowitz);
        cJSON_AddNumberToObject(pe, "psum_bits", p[0].pe_psum_bits);
        cJSON_AddNumberToObject(pe, "activity", pc->activity);
        cJSON_AddStringToObject(pe, "kind", sa35_pe_info(p[0].pe)->name);
        cJSON_AddStringToObject(pe, "per", "busy cycle of one PE of that "
                                "kind: its k_per_row MACs, registers and "
                                "clock");
    }
    cJSON *all = cJSON_AddArrayToObject(root, "by_format");
    for (int i = 0; i < np; i++)
        cJSON_AddItemToArray(all, proj_json(&p[i]));
    cJSON *as = cJSON_AddArrayToObject(root, "assumptions");
    for (int i = 0; i < pc->nas; i++) {
        cJSON *a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "key", pc->as[i].key);
        cJSON_AddStringToObject(a, "value", pc->as[i].value);
        cJSON_AddStringToObject(a, "source", pc->as[i].source);
        cJSON_AddItemToArray(as, a);
    }
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    return s;
}

static char *csv_text(const sa35_proj *p, int np)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    if (!f)
        return NULL;
    fputs("format,group,bits,pe,sqnr_db,ok,bits_stored,tokens_per_s,"
          "tokens_per_s_per_user,latency_per_token_s,j_per_token,power_w,"
          "power_peak_w,tj_c,clock_fraction,chips,weight_bytes,peak_tops\n",
          f);
    for (int i = 0; i < np; i++) {
        const sa35_proj *q = &p[i];
        fprintf(f, "%s,%lld,%g,%s,", q->wf.name, (long long)q->wf.group,
                q->bits, sa35_pe_info(q->pe)->name);
        if (q->has_quality)
            fprintf(f, "%.4f", q->q.sqnr_db);
        if (!q->ok) {
            fputs(",0,,,,,,,,,,,,\n", f);
            continue;
        }
        fprintf(f, ",1,%.6f,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%d,%.0f,"
                "%.6g\n", q->bits_stored, q->tokens_per_s,
                q->tokens_per_s_per_user, q->latency_s, q->j_per_token,
                q->p_avg_w, q->p_peak_w, q->tj_c, q->clock, q->run.chips,
                q->weight_bytes, q->peak_tops);
    }
    fclose(f);
    return s;
}

static char *md_text(const sa35_proj *p, int np, const sa35_power_cfg *pc,
                     const sa35_proj_opts *o)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    if (!f)
        return NULL;
    fprintf(f, "# %s on %s\n\n", p[0].run.model.name[0] ? p[0].run.model.name
                                                        : "model",
            pc->origin);
    sa35_proj_print(p, np, pc, o, f);
    fclose(f);
    return s;
}

static int write_text(const sa35_outdir *od, const char *name, char *text,
                      sa35_err *err)
{
    if (!text)
        return sa35_err_set(err, "%s/%s: out of memory", od->dir, name);
    int rc = sa35_outdir_write(od, name, text, strlen(text), err);
    free(text);
    return rc;
}

int sa35_proj_write(const sa35_proj *p, int np, const sa35_power_cfg *pc,
                    const sa35_proj_opts *o, const char *dir, sa35_err *err)
{
    sa35_outdir od;
    if (sa35_outdir_open(&od, dir, err) != 0)
        return -1;
    if (write_text(&od, "project.json", json_text(p, np, pc, o), err) ||
        write_text(&od, "project.csv", csv_text(p, np), err) ||
        write_text(&od, "project.md", md_text(p, np, pc, o), err) ||
        proj_plots(p, np, pc, o, &od, err))
        return sa35_outdir_fail(&od, err);
    return sa35_outdir_commit(&od, err);
}
