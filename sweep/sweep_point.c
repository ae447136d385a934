/* sweep_point.c: one point: its inputs (the base system file with the
 * point's values written over its fields, so the system reader checks
 * them and derives what depends on them, e.g. bytes per cycle from the
 * clock), one projection, and its file DIR/points/NNNNN.json. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sa35_io.h"
#include "sweep_internal.h"

/* The metrics of a point file, in the CSV's order (units in the names). */
const char *const sweep_metrics[] = {
    "tokens_per_s", "tokens_per_s_per_user", "latency_per_token_s",
    "j_per_token", "power_w", "power_peak_w", "power_dynamic_w",
    "power_leak_w", "tj_c", "clock_fraction", "runaway", "chips",
    "weight_bytes", "bits_per_weight_code", "bits_per_weight_stored",
    "sqnr_db", "peak_tops", "step_s", "macs_per_step",
};
const int sweep_nmetrics = (int)(sizeof sweep_metrics / sizeof *sweep_metrics);

static double metric(const sa35_proj *p, int i)
{
    const double v[] = {
        p->tokens_per_s, p->tokens_per_s_per_user, p->latency_s,
        p->j_per_token, p->p_avg_w, p->p_peak_w, p->p_dyn_w, p->leak_w,
        p->tj_c, p->clock, p->runaway, p->run.chips, p->weight_bytes,
        p->bits, p->bits_stored, p->has_quality ? p->q.sqnr_db : NAN,
        p->peak_tops, p->step_s, p->macs,
    };
    _Static_assert(sizeof v / sizeof *v ==
                       sizeof sweep_metrics / sizeof *sweep_metrics,
                   "a value per metric");
    return v[i];
}

/* The system file's text with the point's system fields over it. */
static char *system_text(const char *spath, const sa35_sweep_val *v,
                         const int *set, const char *spec, sa35_err *err)
{
    char *text = sa35_read_text(spath, err);
    if (!text)
        return NULL;
    cJSON *js = sa35_json_parse(text, spath, err);
    free(text);
    if (!js)
        return NULL;
    char *out = NULL;
    for (int k = 0; k < SA35_SK_COUNT; k++) {
        const sweep_keydef *d = sweep_keydef_of((sa35_sweep_key)k);
        if (!set[k] || !d->sec)
            continue;
        cJSON *sec = cJSON_GetObjectItemCaseSensitive(js, d->sec);
        cJSON *o = cJSON_CreateObject();
        char src[4200];
        snprintf(src, sizeof src, "sweep %s: %s", spec, d->name);
        if (!o || !cJSON_IsObject(sec) ||
            !(v[k].str[0] ? cJSON_AddStringToObject(o, "value", v[k].str)
                          : cJSON_AddNumberToObject(o, "value", v[k].num)) ||
            !cJSON_AddStringToObject(o, "source", src)) {
            cJSON_Delete(o);
            sa35_err_set(err, "%s: no \"%s\" object for %s", spath, d->sec,
                         d->name);
            goto out;
        }
        if (cJSON_GetObjectItemCaseSensitive(sec, d->field))
            cJSON_ReplaceItemInObjectCaseSensitive(sec, d->field, o);
        else
            cJSON_AddItemToObject(sec, d->field, o);
    }
    out = cJSON_PrintUnformatted(js);
    if (!out)
        sa35_err_set(err, "%s: out of memory", spath);
out:
    cJSON_Delete(js);
    return out;
}

static int load(const sa35_sweep_spec *sp, const sa35_sweep_val *v,
                const int *set, sweep_inputs *in, sa35_err *err)
{
    char mpath[4096], spath[4096];
    snprintf(in->model, sizeof in->model, "%s", v[SA35_SK_MODEL].str);
    if (sa35_find_model(in->model, mpath, sizeof mpath, err) ||
        sa35_llm_read(mpath, &in->m, err) ||
        sa35_find_system(v[SA35_SK_SYSTEM].str, spath, sizeof spath, err))
        return -1;
    char *text = system_text(spath, v, set, sp->path, err);
    int rc = !text || sa35_system_parse(text, spath, &in->s, err) ||
             sa35_power_cfg_load(text, spath, &in->pc, err)
                 ? -1
                 : 0;
    free(text);
    if (rc)
        return -1;
    const char *fmt = set[SA35_SK_FORMAT] ? v[SA35_SK_FORMAT].str
                                          : sa35_pe_info(in->s.pe)->name;
    if (sa35_wformat_parse(fmt, &in->s, &in->wf, err))
        return -1;
    sa35_proj_opts *o = &in->o;
    o->work = (sa35_workload){SA35_DECODE, 1, 2048, 1};
    if (set[SA35_SK_PHASE] && !strcmp(v[SA35_SK_PHASE].str, "prefill"))
        o->work.phase = SA35_PREFILL;
    if (set[SA35_SK_BATCH])
        o->work.batch = (int64_t)v[SA35_SK_BATCH].num;
    if (set[SA35_SK_SEQ])
        o->work.seq = (int64_t)v[SA35_SK_SEQ].num;
    o->node_nm = set[SA35_SK_NODE] ? (int)v[SA35_SK_NODE].num : 0;
    o->throttle = sp->throttle;
    o->activity_assumed = sp->activity_assumed;
    o->activity = sp->activity;
    return 0;
}

/* err prefixed with the spec and point i's axis values; -1. */
static int at_point(const sa35_sweep_spec *sp, int64_t i, sa35_err *err)
{
    char ctx[4400];
    size_t at = (size_t)snprintf(ctx, sizeof ctx, "%s: ", sp->path);
    sa35_sweep_point_label(sp, i, ctx + at, sizeof ctx - at);
    return sa35_err_prefix(err, ctx);
}

int sweep_inputs_load(const sa35_sweep_spec *sp, int64_t i, sweep_inputs *in,
                      sa35_err *err)
{
    memset(in, 0, sizeof *in);
    sa35_sweep_val v[SA35_SK_COUNT];
    int set[SA35_SK_COUNT];
    sa35_sweep_point(sp, i, v, set);
    return load(sp, v, set, in, err) == 0 ? 0 : at_point(sp, i, err);
}

int sa35_sweep_check(const sa35_sweep_spec *sp, sa35_err *err)
{
    for (int64_t i = 0; i < sp->npoints; i++) {
        sweep_inputs in;
        if (sweep_inputs_load(sp, i, &in, err))
            return -1;
    }
    return 0;
}

int sweep_point_path(const char *dir, int64_t i, char *buf, size_t n,
                     sa35_err *err)
{
    if ((size_t)snprintf(buf, n, "%s/points/%05lld.json", dir,
                         (long long)i) >= n)
        return sa35_err_set(err, "%s: path too long", dir);
    return 0;
}

/* Every key's value at the point as run: the spec's, or the base
 * system's and the run's defaults where the spec gives none. */
static int add_params(cJSON *o, const sweep_inputs *in)
{
    const sa35_system *s = &in->s;
    const sa35_workload *w = &in->o.work;
    const char *str[SA35_SK_COUNT] = {
        [SA35_SK_MODEL] = in->model, [SA35_SK_SYSTEM] = s->name,
        [SA35_SK_PHASE] = w->phase == SA35_DECODE ? "decode" : "prefill",
        [SA35_SK_FORMAT] = in->wf.name, [SA35_SK_PE] = sa35_pe_info(in->wf.pe)->name,
    };
    double num[SA35_SK_COUNT] = {
        [SA35_SK_BATCH] = (double)w->batch, [SA35_SK_SEQ] = (double)w->seq,
        [SA35_SK_NODE] = in->o.node_nm ? in->o.node_nm : in->pc.node_nm,
        [SA35_SK_ROWS] = s->rows, [SA35_SK_COLS] = s->cols,
        [SA35_SK_LOAD_ROWS] = s->load_rows, [SA35_SK_ACC_ROWS] = s->acc_rows,
        [SA35_SK_CLOCK] = s->clock_hz, [SA35_SK_SRAM] = (double)s->sram_bytes,
        [SA35_SK_OFFCHIP] = (double)s->dram_bytes,
        /* from the exact ratio, so whole bytes/s print whole */
        [SA35_SK_OFFCHIP_BW] = s->dram_bw_den ? (double)s->dram_bw_num *
                                                    s->clock_hz /
                                                    s->dram_bw_den
                                              : s->dram_bytes_per_cycle *
                                                    s->clock_hz,
        [SA35_SK_CHIPS] = s->chips, [SA35_SK_KV_BITS] = s->kv_bits,
    };
    for (int k = 0; k < SA35_SK_COUNT; k++) {
        const char *name = sa35_sweep_key_name((sa35_sweep_key)k);
        if (!(str[k] ? cJSON_AddStringToObject(o, name, str[k])
                     : cJSON_AddNumberToObject(o, name, num[k])))
            return -1;
    }
    return 0;
}

static char *point_json(int64_t i, const sweep_inputs *in, const sa35_proj *p)
{
    cJSON *js = cJSON_CreateObject(), *par = cJSON_CreateObject(),
          *met = cJSON_CreateObject();
    char *out = NULL;
    if (!js || !par || !met) {
        cJSON_Delete(par);
        cJSON_Delete(met);
        goto out;
    }
    cJSON_AddItemToObject(js, "params", par);
    cJSON_AddItemToObject(js, "metrics", met);
    if (!cJSON_AddNumberToObject(js, "point", (double)i) ||
        !cJSON_AddNumberToObject(js, "ok", p->ok) ||
        !cJSON_AddStringToObject(js, "why", p->ok ? "" : p->why) ||
        add_params(par, in))
        goto out;
    /* a point that could not run has no figures: empty cells, not zeros */
    for (int m = 0; m < sweep_nmetrics; m++) {
        double v = metric(p, m);
        if (!(p->ok && isfinite(v) ? cJSON_AddNumberToObject(met,
                                                             sweep_metrics[m], v)
                                   : cJSON_AddNullToObject(met,
                                                           sweep_metrics[m])))
            goto out;
    }
    out = cJSON_Print(js);
out:
    cJSON_Delete(js);
    return out;
}

static int run_loaded(sweep_inputs *in, int64_t i, const char *dir,
                      sa35_qmatrix *qm, int *ok, sa35_err *err)
{
    /* SQNR on the matrix `sa35 project` uses: the model's hidden size x
     * 256; making it is ~40% of a point, so it is kept while the hidden
     * size stays */
    if (!qm->w || qm->K != in->m.hidden) {
        sa35_qmatrix_free(qm);
        *qm = (sa35_qmatrix){.seed = 1, .std = 0.02, .K = in->m.hidden,
                             .N = 256};
        if (sa35_dist_parse("gauss", &qm->dist, err) ||
            sa35_qmatrix_make(qm, err))
            return -1;
    }
    in->o.qm = qm;
    sa35_proj p;
    int rc = sa35_project(&in->m, &in->s, &in->pc, &in->o, &in->wf, &p, err);
    if (rc)
        return -1;
    *ok = p.ok;
    char *text = point_json(i, in, &p);
    sa35_proj_free(&p);
    char path[4400];
    rc = !text ? sa35_err_set(err, "%s: out of memory", dir)
         : sweep_point_path(dir, i, path, sizeof path, err)
             ? -1
             : sa35_write_file(path, text, strlen(text), err);
    free(text);
    return rc;
}

int sweep_point_run(const sa35_sweep_spec *sp, int64_t i, const char *dir,
                    sa35_qmatrix *qm, int *ok, sa35_err *err)
{
    sweep_inputs in;
    if (sweep_inputs_load(sp, i, &in, err))
        return -1; /* the message names the spec and the point */
    return run_loaded(&in, i, dir, qm, ok, err) == 0 ? 0
                                                    : at_point(sp, i, err);
}
