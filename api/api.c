/* api.c: the commands as single calls for bindings (sa35_api.h): the
 * library's functions in the order the `sa35` commands call them. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sa35_api.h"
#include "sa35_cpu.h"
#include "sa35_io.h"
#include "sa35_model.h"
#include "sa35_project.h"
#include "sa35_sim.h"
#include "sa35_sweep.h"

void sa35_api_free(void *p) { free(p); }

size_t sa35_api_struct_size(const char *name)
{
#define SA35_API_SIZE(T) {#T, sizeof(T)}
    static const struct {
        const char *name;
        size_t size;
    } sizes[] = {
        SA35_API_SIZE(sa35_err), SA35_API_SIZE(sa35_format_traits),
        SA35_API_SIZE(sa35_qweights), SA35_API_SIZE(sa35_fview),
        SA35_API_SIZE(sa35_api_array), SA35_API_SIZE(sa35_api_work),
        SA35_API_SIZE(sa35_api_project_opts),
    };
#undef SA35_API_SIZE
    for (size_t i = 0; name && i < sizeof sizes / sizeof sizes[0]; i++)
        if (!strcmp(name, sizes[i].name))
            return sizes[i].size;
    return 0;
}

int sa35_api_pe_format(const char *pe, sa35_err *err)
{
    sa35_pe_kind k;
    if (!pe || sa35_pe_from_name(pe, &k))
        return sa35_err_set(err, "unknown PE kind '%s' (PE kinds: %s)",
                            pe ? pe : "(null)", sa35_pe_names());
    return (int)sa35_pe_info(k)->fmt;
}

int sa35_api_qfile_load(const char *path, const char *name, sa35_qweights *q,
                        sa35_err *err)
{
    sa35_safetensors st;
    if (sa35_st_open(path, &st, err))
        return -1;
    int rc = sa35_qfile_load(&st, name, q, err);
    sa35_st_close(&st);
    return rc;
}

int sa35_api_qfile_save(const char *path, const char *name,
                        const sa35_qweights *q, sa35_err *err)
{
    sa35_st_writer *w = sa35_st_writer_new();
    int rc = w ? sa35_qfile_add(w, name, q, err)
               : sa35_err_set(err, "%s: out of memory", path);
    if (!rc)
        rc = sa35_st_writer_write(w, path, err);
    sa35_st_writer_free(w);
    return rc;
}

/* obj as JSON text into *out (when out is given); obj is deleted. */
static int json_out(cJSON *obj, char **out, sa35_err *err)
{
    char *text = out && obj ? cJSON_Print(obj) : NULL;
    cJSON_Delete(obj);
    if (out && !text)
        return sa35_err_set(err, "out of memory for the statistics' JSON "
                                 "text");
    if (out)
        *out = text;
    return 0;
}

/* The array of --array RxC for the PE kind of q's format. */
static int gemm_arch(const char *array, const sa35_qweights *q, sa35_arch *a,
                     sa35_err *err)
{
    sa35_arch_default(a);
    if (array && sa35_arch_parse_array(array, a, err))
        return -1;
    if (sa35_pe_of_format(q->fmt, &a->pe))
        return sa35_err_set(err, "%s weights: no PE kind multiplies them "
                                 "(PE kinds: %s)",
                            sa35_format_info(q->fmt)->name, sa35_pe_names());
    return sa35_arch_check(a, err);
}

/* acc on the engine, its statistics into obj. */
static int gemm_engine(const int8_t *A, int64_t M, const sa35_qweights *q,
                       const char *engine, const char *array, int threads,
                       int32_t *acc, cJSON *obj, sa35_err *err)
{
    int accel = !strcmp(engine, "sim") || !strcmp(engine, "timing");
    if (!strcmp(engine, "golden") || !strcmp(engine, "cpu")) {
        if (array)
            return sa35_err_set(err, "the %s engine takes no array",
                                engine);
    } else if (!accel) {
        return sa35_err_set(err, "unknown engine '%s' (engines: golden, "
                                 "cpu, sim, timing)",
                            engine);
    }
    if (threads && strcmp(engine, "cpu"))
        return sa35_err_set(err, "the %s engine takes no threads", engine);
    if (!strcmp(engine, "golden")) {
        sa35_gemm_acc(A, M, q, acc, NULL);
        cJSON_AddStringToObject(obj, "engine", "golden");
        return 0;
    }
    if (!accel) {
        sa35_cpu_ctx ctx;
        if (sa35_cpu_ctx_init(&ctx, SA35_CPU_AUTO, threads, err) ||
            sa35_cpu_gemm_acc(&ctx, A, M, q, acc, NULL, err))
            return -1;
        cJSON_AddStringToObject(obj, "engine", "cpu");
        cJSON_AddStringToObject(obj, "kernel",
                                sa35_cpu_kernel_name(ctx.kernel));
        cJSON_AddNumberToObject(obj, "threads", ctx.threads);
        return 0;
    }
    sa35_arch a;
    sa35_stats st;
    const sa35_engine *e = sa35_engine_find(engine);
    int timing = !strcmp(engine, "timing");
    if (gemm_arch(array, q, &a, err) ||
        sa35_sim_gemm_group(&a, e, M, q->K, q->N, q->group,
                            timing ? NULL : A, timing ? NULL : q,
                            timing ? NULL : acc, NULL, &st, err))
        return -1;
    if (sa35_stats_to_json(&st, &a, e->name, obj))
        return sa35_err_set(err, "out of memory for the statistics");
    return 0;
}

int sa35_api_gemm(const float *X, int64_t M, const sa35_qweights *q,
                  const char *engine, const char *array, int threads,
                  float *Y, int32_t *acc, char **stats, sa35_err *err)
{
    int values = engine && strcmp(engine, "timing") != 0;
    if (!engine)
        return sa35_err_set(err, "no engine given");
    if (M < 1)
        return sa35_err_set(err, "X has no rows");
    if (values && !Y)
        return sa35_err_set(err, "the %s engine computes Y: give Y",
                            engine);
    if (!values && (Y || acc || !stats))
        return sa35_err_set(err, "the timing engine computes no values, "
                                 "only cycles and counters: ask for its "
                                 "statistics, not Y or acc");
    size_t mk, mn;
    if (sa35_mul_size((size_t)M, (size_t)q->K, &mk) ||
        sa35_mul_size((size_t)M, (size_t)q->N, &mn) ||
        sa35_mul_size(mn, sizeof *acc, &mn))
        return sa35_err_set(err, "GEMM %lld x %d x %d: too large",
                            (long long)M, q->K, q->N);
    int8_t *A = malloc(mk ? mk : 1);
    float *sa = malloc((size_t)M * sizeof *sa);
    int32_t *rsum = malloc((size_t)M * sizeof *rsum);
    int32_t *own = values && !acc ? malloc(mn ? mn : 1) : NULL;
    cJSON *obj = cJSON_CreateObject();
    int rc = 0;
    if (!A || !sa || !rsum || (values && !acc && !own) || !obj)
        rc = sa35_err_set(err, "out of memory for the int8 activations "
                               "(M x K = %lld x %d bytes), their scales "
                               "and row sums and the accumulators",
                          (long long)M, q->K);
    if (!rc && sa35_quantize_activations(X, M, q->K, A, sa, err))
        rc = sa35_err_prefix(err, "X");
    if (!rc)
        rc = gemm_engine(A, M, q, engine, array, threads, acc ? acc : own,
                         obj, err);
    if (!rc && values) {
        sa35_row_sums(A, M, q->K, rsum);
        sa35_gemm_output(M, q, sa, rsum, acc ? acc : own, Y);
    }
    if (rc)
        cJSON_Delete(obj);
    else
        rc = json_out(obj, stats, err);
    free(A);
    free(sa);
    free(rsum);
    free(own);
    return rc;
}

int sa35_api_sim(int64_t M, int64_t K, int64_t N, int64_t G,
                 const sa35_api_array *arr, const char *engine,
                 const int8_t *A, const sa35_qweights *q, int32_t *acc,
                 char **stats, sa35_err *err)
{
    sa35_arch a;
    sa35_arch_default(&a);
    if (arr->array && sa35_arch_parse_array(arr->array, &a, err))
        return -1;
    if (arr->pe && sa35_pe_from_name(arr->pe, &a.pe))
        return sa35_err_set(err, "bad PE kind '%s': expected %s", arr->pe,
                            sa35_pe_names());
    if (arr->load_rows)
        a.load_rows = arr->load_rows;
    if (arr->dram_bw_num) {
        a.dram_bw_num = arr->dram_bw_num;
        a.dram_bw_den = arr->dram_bw_den ? arr->dram_bw_den : 1;
    }
    a.dram_latency = arr->dram_latency;
    if (a.dram_latency && !a.dram_bw_num)
        return sa35_err_set(err, "a DRAM latency needs a DRAM bandwidth "
                                 "(the ideal memory has no latency)");
    if (sa35_arch_check(&a, err) ||
        (G && sa35_group_check(sa35_arch_pe(&a)->fmt, G, err)))
        return -1;
    const sa35_engine *e = engine ? sa35_engine_find(engine) : NULL;
    int timing = e && !(e->produces & SA35_PRODUCES_DATA);
    if (!e || (strcmp(engine, "sim") && strcmp(engine, "timing")))
        return sa35_err_set(err, "the engine must be sim or timing, got "
                                 "'%s'",
                            engine ? engine : "(null)");
    if (!timing && (!A || !q || !acc))
        return sa35_err_set(err, "the sim engine runs data: give A, q and "
                                 "acc");
    if (!timing && (q->fmt != sa35_arch_pe(&a)->fmt || q->K != K ||
                    q->N != N || q->group != G))
        return sa35_err_set(err, "the weights (%s, %d x %d, group %d) are "
                                 "not the GEMM's (%s, %lld x %lld, group "
                                 "%lld)",
                            sa35_format_info(q->fmt)->name, q->K, q->N,
                            q->group, sa35_format_info(sa35_arch_pe(&a)->fmt)->name,
                            (long long)K, (long long)N, (long long)G);
    sa35_stats st;
    if (sa35_sim_gemm_group(&a, e, M, K, N, G, timing ? NULL : A,
                            timing ? NULL : q, timing ? NULL : acc, NULL,
                            &st, err))
        return -1;
    cJSON *obj = cJSON_CreateObject();
    if (!obj || sa35_stats_to_json(&st, &a, e->name, obj)) {
        cJSON_Delete(obj);
        return sa35_err_set(err, "out of memory for the statistics");
    }
    return json_out(obj, stats, err);
}

/* The workload of --phase, --batch, --seq, --microbatches. */
static int workload(const sa35_api_work *in, sa35_workload *w, sa35_err *err)
{
    *w = (sa35_workload){SA35_DECODE, 1, 2048, 1};
    if (!in)
        return 0;
    if (in->phase && !strcmp(in->phase, "prefill"))
        w->phase = SA35_PREFILL;
    else if (in->phase && strcmp(in->phase, "decode"))
        return sa35_err_set(err, "the phase must be decode or prefill, got "
                                 "'%s'",
                            in->phase);
    const int64_t *v[] = {&in->batch, &in->seq, &in->microbatches};
    int64_t *o[] = {&w->batch, &w->seq, &w->microbatches};
    const char *what[] = {"batch", "seq", "microbatches"};
    for (int i = 0; i < 3; i++) {
        if (*v[i] < 0)
            return sa35_err_set(err, "%s must be a positive integer, got "
                                     "%lld",
                                what[i], (long long)*v[i]);
        if (*v[i])
            *o[i] = *v[i];
    }
    return 0;
}

/* The model and the system by name or path. */
static int load_model(const char *model, const char *system, sa35_llm *m,
                      sa35_system *s, char *spath, size_t n, sa35_err *err)
{
    char mpath[4096];
    if (!model || !system)
        return sa35_err_set(err, "give a model and a system");
    return sa35_find_model(model, mpath, sizeof mpath, err) ||
                   sa35_llm_read(mpath, m, err) ||
                   sa35_find_system(system, spath, n, err) ||
                   sa35_system_read(spath, s, err)
               ? -1
               : 0;
}

int sa35_api_model(const char *model, const char *system,
                   const sa35_api_work *in, int64_t G, const char *engine,
                   const char *dir, sa35_err *err)
{
    sa35_workload w;
    sa35_llm m;
    sa35_system s;
    char spath[4096];
    const sa35_gemm_engine *eng = sa35_gemm_engine_timing();
    if (engine && !strcmp(engine, "sim"))
        eng = sa35_gemm_engine_sim();
    else if (engine && strcmp(engine, "timing"))
        return sa35_err_set(err, "the engine must be timing or sim, got "
                                 "'%s'",
                            engine);
    if (workload(in, &w, err) ||
        load_model(model, system, &m, &s, spath, sizeof spath, err))
        return -1;
    if (G < 0 || (G && sa35_group_check(sa35_pe_info(s.pe)->fmt, G, err)))
        return G < 0 ? sa35_err_set(err, "the group must be 0 or positive, "
                                         "got %lld",
                                    (long long)G)
                     : sa35_err_prefix(err, "group");
    s.group = G;
    sa35_run run;
    if (sa35_model_run(&m, &s, &w, eng, &run, err))
        return -1;
    int rc = sa35_run_write(&run, dir, err);
    sa35_run_free(&run);
    return rc;
}

/* Each name of the comma-separated list into f[*nf]. */
static int formats_list(const char *list, const sa35_system *s,
                        sa35_wformat *f, int *nf, sa35_err *err)
{
    *nf = 0;
    for (const char *p = list;; p++) {
        size_t len = strcspn(p, ",");
        char one[32];
        if (*nf == SA35_PROJ_FORMATS_MAX || len == 0 || len >= sizeof one)
            return sa35_err_set(err, "formats '%s': at most %d names, none "
                                     "empty or too long",
                                list, SA35_PROJ_FORMATS_MAX);
        memcpy(one, p, len);
        one[len] = '\0';
        if (sa35_wformat_parse(one, s, &f[*nf], err))
            return sa35_err_prefix(err, "formats");
        for (int j = 0; j < *nf; j++)
            if (!strcmp(f[j].name, f[*nf].name))
                return sa35_err_set(err, "formats: %s given twice", one);
        ++*nf;
        p += len;
        if (!*p)
            return 0;
    }
}

/* p's figures with the other register rates beside them, as the report
 * of `sa35 project` has them. */
static int with_other_rates(const sa35_llm *m, const sa35_system *s,
                            const sa35_power_cfg *pc,
                            const sa35_proj_opts *o, sa35_proj *p,
                            sa35_err *err)
{
    sa35_proj_opts alt = *o;
    alt.activity_assumed = !o->activity_assumed;
    alt.activity = -1;
    alt.qm = NULL;
    sa35_proj q;
    if (sa35_project(m, s, pc, &alt, &p->wf, &q, err))
        return -1;
    if (q.ok) {
        p->has_alt = 1;
        if (q.act.measured)
            snprintf(p->alt_what, sizeof p->alt_what, "measured rates");
        else
            snprintf(p->alt_what, sizeof p->alt_what, "assumed activity %g",
                     q.act.psum);
        p->alt_j_per_token = q.j_per_token;
        p->alt_power_w = q.p_avg_w;
        p->alt_tj_c = q.tj_c;
        p->alt_reg_j = q.e.reg_j;
    }
    sa35_proj_free(&q);
    return 0;
}

int sa35_api_project(const char *model, const char *system,
                     const sa35_api_work *in, const sa35_api_project_opts *ao,
                     const char *dir, sa35_err *err)
{
    static const sa35_api_project_opts none = {NULL, NULL, 0, 0, -1, 0,
                                               NULL};
    const sa35_api_project_opts *a = ao ? ao : &none;
    sa35_llm m;
    sa35_system s;
    sa35_power_cfg pc;
    char spath[4096];
    sa35_proj_opts o = {.throttle = !a->no_throttle, .node_nm = a->node_nm,
                        .tables_dir = a->tables, .vdd = a->vdd,
                        .activity_assumed = a->activity >= 0,
                        .activity = a->activity};
    if (a->activity > 1 || a->vdd < 0 || a->node_nm < 0)
        return sa35_err_set(err, "activity must be a rate in [0, 1] (or "
                                 "negative: measured), vdd and node not "
                                 "negative");
    if (workload(in, &o.work, err) ||
        load_model(model, system, &m, &s, spath, sizeof spath, err) ||
        sa35_power_cfg_read(spath, &pc, err))
        return -1;
    sa35_wformat f[SA35_PROJ_FORMATS_MAX];
    int nf = 0;
    if (a->formats && formats_list(a->formats, &s, f, &nf, err))
        return -1;
    if (!a->formats)
        nf = sa35_wformat_defaults(&s, f, SA35_PROJ_FORMATS_MAX);
    /* every format's SQNR on one matrix shaped like the model's weights,
     * as `sa35 project` measures it */
    sa35_qmatrix qm = {.seed = 1, .std = 0.02, .K = m.hidden, .N = 256};
    if (sa35_dist_parse(a->dist ? a->dist : "gauss", &qm.dist, err))
        return sa35_err_prefix(err, "dist");
    if (sa35_qmatrix_make(&qm, err))
        return -1;
    o.qm = &qm;
    sa35_proj p[SA35_PROJ_FORMATS_MAX];
    int np = 0, rc = 0;
    for (; np < nf && !rc; np++)
        rc = sa35_project(&m, &s, &pc, &o, &f[np], &p[np], err);
    if (rc)
        np--; /* p[np] was freed by sa35_project */
    if (!rc && !p[0].ok)
        rc = sa35_err_set(err, "%s", p[0].why);
    if (!rc)
        rc = with_other_rates(&m, &s, &pc, &o, &p[0], err);
    if (!rc)
        rc = sa35_proj_write(p, np, &pc, &o, dir, err);
    for (int i = 0; i < np; i++)
        sa35_proj_free(&p[i]);
    sa35_qmatrix_free(&qm);
    return rc;
}

int sa35_api_sweep(const char *text, const char *path, const char *dir,
                   int jobs, sa35_err *err)
{
    sa35_sweep_spec *sp = calloc(1, sizeof *sp);
    if (!sp)
        return sa35_err_set(err, "%s: out of memory", path);
    int rc = text ? sa35_sweep_spec_parse(text, path, sp, err)
                  : sa35_sweep_spec_read(path, sp, err);
    sa35_sweep_opts o = {.jobs = jobs < 0 ? 0 : jobs, .shard = 0,
                         .nshards = 1, .progress = 0};
    sa35_sweep_stats st;
    int64_t rows, front;
    if (!rc)
        rc = sa35_sweep_run(sp, dir, &o, &st, err);
    if (!rc)
        rc = sa35_sweep_merge(dir, &rows, &front, err);
    sa35_sweep_spec_free(sp);
    free(sp);
    return rc;
}
