/* checkpoint.c: sharded safetensors checkpoints. Hugging Face's index
 * (model.safetensors.index.json: {"metadata": {...}, "weight_map": {TENSOR:
 * SHARD}}), read and written with cJSON, and a checkpoint opened from an
 * index or from a list of shard files, every shard mapped and checked
 * against the others and against the index (docs/checkpoints.md). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "io_internal.h"

void sa35_hf_index_free(sa35_hf_index *ix)
{
    if (!ix)
        return;
    for (int i = 0; i < ix->nshards; i++)
        free(ix->shards[i]);
    for (int i = 0; i < ix->ntensors; i++)
        free(ix->tensors[i]);
    free(ix->shards);
    free(ix->tensors);
    free(ix->shard_of);
    free(ix->path);
    free(ix->dir);
    cJSON_Delete(ix->metadata);
    memset(ix, 0, sizeof *ix);
}

/* Why a shard name may not be used, or NULL: it must name a file inside
 * the index's directory (HF's hub cache links shards to ../../blobs, so
 * the name is checked, not where a link leads). */
static const char *bad_shard_name(const char *s)
{
    if (!*s)
        return "is empty";
    if (s[0] == '/')
        return "is absolute: it escapes the index's directory";
    for (const char *p = s; *p;) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return "has a '..' component: it escapes the index's directory";
        if (!end)
            break;
        p = end + 1;
    }
    if (s[strlen(s) - 1] == '/')
        return "names a directory, not a file";
    return NULL;
}

/* The index of shard name s in ix->shards, added if new; -1 when out of
 * memory. Shards are few (hundreds at most), so a linear search is fine. */
static int shard_id(sa35_hf_index *ix, const char *s)
{
    for (int i = 0; i < ix->nshards; i++)
        if (strcmp(ix->shards[i], s) == 0)
            return i;
    if (!(ix->shards[ix->nshards] = strdup(s)))
        return -1;
    return ix->nshards++;
}

static int dir_of(const char *path, char **dir)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 1;
    if (slash && n == 0)
        n = 1; /* "/x.json": the root */
    if (!(*dir = malloc(n + 1)))
        return -1;
    memcpy(*dir, slash ? path : ".", n);
    (*dir)[n] = '\0';
    return 0;
}

static int parse_map(const cJSON *map, sa35_hf_index *ix, sa35_err *err)
{
    const char *path = ix->path;
    int n = cJSON_GetArraySize(map);
    if (n == 0)
        return sa35_err_set(err, "%s: \"weight_map\" is empty: an index "
                                 "maps at least one tensor",
                            path);
    ix->tensors = calloc((size_t)n, sizeof *ix->tensors);
    ix->shard_of = calloc((size_t)n, sizeof *ix->shard_of);
    ix->shards = calloc((size_t)n, sizeof *ix->shards);
    if (!ix->tensors || !ix->shard_of || !ix->shards)
        return sa35_err_set(err, "%s: out of memory for %d tensors", path, n);
    const cJSON *e;
    cJSON_ArrayForEach(e, map) {
        const char *why = NULL;
        if (!*e->string)
            return sa35_err_set(err, "%s: \"weight_map\" has an empty "
                                     "tensor name",
                                path);
        if (!cJSON_IsString(e))
            why = "is not a string (a shard file name)";
        else
            why = bad_shard_name(e->valuestring);
        if (why)
            return sa35_err_set(err, "%s: key \"weight_map.%s\": the shard "
                                     "%s%s%s %s",
                                path, e->string, cJSON_IsString(e) ? "'" : "",
                                cJSON_IsString(e) ? e->valuestring : "",
                                cJSON_IsString(e) ? "'" : "", why);
        int id = shard_id(ix, e->valuestring);
        if (id < 0 || !(ix->tensors[ix->ntensors] = strdup(e->string)))
            return sa35_err_set(err, "%s: out of memory", path);
        ix->shard_of[ix->ntensors++] = id;
    }
    return 0;
}

int sa35_hf_index_parse(const char *text, const char *path, sa35_hf_index *ix,
                        sa35_err *err)
{
    memset(ix, 0, sizeof *ix);
    if (!(ix->path = strdup(path)) || dir_of(path, &ix->dir)) {
        sa35_hf_index_free(ix);
        return sa35_err_set(err, "%s: out of memory", path);
    }
    cJSON *root = sa35_json_parse(text, path, err); /* a key twice: refused */
    int rc = root ? 0 : -1;
    const cJSON *map = NULL, *meta = NULL;
    if (!rc && !cJSON_IsObject(root))
        rc = sa35_err_set(err, "%s: not a JSON object (an index is "
                               "{\"metadata\": {...}, \"weight_map\": "
                               "{TENSOR: SHARD}})",
                          path);
    if (!rc) {
        map = cJSON_GetObjectItemCaseSensitive(root, "weight_map");
        meta = cJSON_GetObjectItemCaseSensitive(root, "metadata");
        if (!map)
            rc = sa35_err_set(err, "%s: no key \"weight_map\" (not a "
                                   "safetensors index)",
                              path);
        else if (!cJSON_IsObject(map))
            rc = sa35_err_set(err, "%s: key \"weight_map\" is not an object "
                                   "of TENSOR: SHARD",
                              path);
        else if (meta && !cJSON_IsObject(meta) && !cJSON_IsNull(meta))
            rc = sa35_err_set(err, "%s: key \"metadata\" is not an object",
                              path);
    }
    if (!rc)
        rc = parse_map(map, ix, err);
    if (!rc && meta && cJSON_IsObject(meta) &&
        !(ix->metadata = cJSON_Duplicate(meta, 1)))
        rc = sa35_err_set(err, "%s: out of memory", path);
    cJSON_Delete(root);
    if (rc)
        sa35_hf_index_free(ix);
    return rc;
}

/* Attach item to obj, taking it either way; 0 when out of memory. */
static int put(cJSON *obj, const char *key, cJSON *item)
{
    if (obj && item && cJSON_AddItemToObject(obj, key, item))
        return 1;
    cJSON_Delete(item);
    return 0;
}

char *sa35_hf_index_format(const struct cJSON *metadata, uint64_t total_size,
                           const char *const *tensors, const int *shard_of,
                           int ntensors, const char *const *shards,
                           sa35_err *err)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *meta = metadata ? cJSON_Duplicate(metadata, 1)
                           : cJSON_CreateObject();
    cJSON *map = cJSON_CreateObject();
    char size[24];
    snprintf(size, sizeof size, "%" PRIu64, total_size);
    int ok = meta != NULL;
    if (ok)
        cJSON_DeleteItemFromObjectCaseSensitive(meta, "total_size");
    /* exact: cJSON prints numbers through a double with 15 digits */
    ok &= put(meta, "total_size", cJSON_CreateRaw(size));
    for (int i = 0; ok && i < ntensors; i++) {
        if (cJSON_GetObjectItemCaseSensitive(map, tensors[i])) {
            cJSON_Delete(root);
            cJSON_Delete(meta);
            cJSON_Delete(map);
            sa35_err_set(err, "index: tensor '%s' would be mapped twice",
                         tensors[i]);
            return NULL;
        }
        ok &= put(map, tensors[i], cJSON_CreateString(shards[shard_of[i]]));
    }
    ok &= put(root, "metadata", meta);
    ok &= put(root, "weight_map", map);
    char *json = ok ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    size_t n = json ? strlen(json) : 0;
    char *text = json ? malloc(n + 2) : NULL;
    if (text) {
        memcpy(text, json, n);
        memcpy(text + n, "\n", 2);
    }
    cJSON_free(json);
    if (!text)
        sa35_err_set(err, "index: out of memory for %d tensors", ntensors);
    return text;
}

int sa35_is_hf_index(const char *path)
{
    size_t n = strlen(path);
    return n >= 5 && strcmp(path + n - 5, ".json") == 0;
}

void sa35_ckpt_close(sa35_ckpt *ck)
{
    if (!ck)
        return;
    for (int i = 0; ck->shards && i < ck->nshards; i++)
        sa35_st_close(&ck->shards[i]);
    free(ck->shards);
    if (ck->has_index)
        sa35_hf_index_free(&ck->index);
    memset(ck, 0, sizeof *ck);
}

/* One tensor of one shard, for the cross-checks. */
typedef struct placed {
    const char *name;
    int shard;
} placed;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const placed *)a)->name, ((const placed *)b)->name);
}

/* Every tensor of every shard, sorted by name; NULL when out of memory. */
static placed *all_tensors(const sa35_ckpt *ck, size_t *count)
{
    size_t n = 0;
    for (int s = 0; s < ck->nshards; s++)
        n += (size_t)ck->shards[s].ntensors;
    placed *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return NULL;
    n = 0;
    for (int s = 0; s < ck->nshards; s++)
        for (int i = 0; i < ck->shards[s].ntensors; i++)
            v[n++] = (placed){ck->shards[s].tensors[i].name, s};
    qsort(v, n, sizeof *v, by_name);
    *count = n;
    return v;
}

/* No tensor in two shards; with an index, each where the weight_map says
 * and every one in it. */
static int cross_check(const sa35_ckpt *ck, sa35_err *err)
{
    size_t n;
    placed *v = all_tensors(ck, &n);
    if (!v)
        return sa35_err_set(err, "%s: out of memory for the tensor list",
                            ck->shards[0].path);
    int rc = 0;
    for (size_t i = 1; i < n && !rc; i++)
        if (strcmp(v[i - 1].name, v[i].name) == 0)
            rc = sa35_err_set(err, "%s: tensor '%s' is also in %s: a tensor "
                                   "may be in one shard only",
                              ck->shards[v[i].shard].path, v[i].name,
                              ck->shards[v[i - 1].shard].path);
    const sa35_hf_index *ix = &ck->index;
    for (int t = 0; !rc && ck->has_index && t < ix->ntensors; t++) {
        placed key = {ix->tensors[t], 0};
        const placed *at = bsearch(&key, v, n, sizeof *v, by_name);
        const sa35_safetensors *want = &ck->shards[ix->shard_of[t]];
        if (!at)
            rc = sa35_err_set(err, "%s: key \"weight_map.%s\": the shard %s "
                                   "has no such tensor",
                              ix->path, ix->tensors[t], want->path);
        else if (at->shard != ix->shard_of[t])
            rc = sa35_err_set(err, "%s: key \"weight_map.%s\" puts it in %s, "
                                   "but it is in %s",
                              ix->path, ix->tensors[t], want->path,
                              ck->shards[at->shard].path);
    }
    if (!rc && ck->has_index && n != (size_t)ix->ntensors) {
        /* some shard's tensor is not in the map: find it */
        placed *m = malloc((size_t)ix->ntensors * sizeof *m);
        if (!m)
            rc = sa35_err_set(err, "%s: out of memory", ix->path);
        for (int t = 0; m && t < ix->ntensors; t++)
            m[t] = (placed){ix->tensors[t], ix->shard_of[t]};
        if (m)
            qsort(m, (size_t)ix->ntensors, sizeof *m, by_name);
        for (size_t i = 0; m && !rc && i < n; i++)
            if (!bsearch(&v[i], m, (size_t)ix->ntensors, sizeof *m, by_name))
                rc = sa35_err_set(err, "%s: tensor '%s' is not in %s's "
                                       "\"weight_map\"",
                                  ck->shards[v[i].shard].path, v[i].name,
                                  ix->path);
        free(m);
    }
    free(v);
    return rc;
}

/* Open n shards at paths (what names them in the index, or NULL); two
 * names of one file are refused. */
static int open_shards(const char *const *paths, const char *const *names,
                       int n, const char *index, sa35_ckpt *ck, sa35_err *err)
{
    if (n < 1)
        return sa35_err_set(err, "a checkpoint needs at least one shard");
    if (!(ck->shards = calloc((size_t)n, sizeof *ck->shards)))
        return sa35_err_set(err, "out of memory for %d shards", n);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++)
            if (sa35_same_file(paths[i], paths[j]))
                return sa35_err_set(err, "%s and %s are one file, given as "
                                         "two shards",
                                    paths[j], paths[i]);
        if (sa35_st_open(paths[i], &ck->shards[i], err)) {
            if (index) { /* the first key that maps to it */
                const sa35_hf_index *ix = &ck->index;
                int t = 0;
                while (t < ix->ntensors - 1 && ix->shard_of[t] != i)
                    t++;
                char ctx[1200];
                snprintf(ctx, sizeof ctx, "%s: key \"weight_map.%s\": shard "
                         "'%s'", index, ix->tensors[t], names[i]);
                sa35_err_prefix(err, ctx);
            }
            return -1;
        }
        ck->nshards = i + 1;
    }
    return cross_check(ck, err);
}

int sa35_ckpt_open_shards(const char *const *paths, int n, sa35_ckpt *ck,
                          sa35_err *err)
{
    memset(ck, 0, sizeof *ck);
    int rc = open_shards(paths, NULL, n, NULL, ck, err);
    if (rc)
        sa35_ckpt_close(ck);
    return rc;
}

int sa35_ckpt_open_index(const char *index_path, sa35_ckpt *ck,
                         sa35_err *err)
{
    memset(ck, 0, sizeof *ck);
    char *text = sa35_read_text(index_path, err);
    if (!text)
        return -1;
    int rc = sa35_hf_index_parse(text, index_path, &ck->index, err);
    free(text);
    if (rc)
        return -1;
    ck->has_index = 1;
    const sa35_hf_index *ix = &ck->index;
    char **paths = calloc((size_t)ix->nshards, sizeof *paths);
    rc = paths ? 0 : sa35_err_set(err, "%s: out of memory", index_path);
    for (int i = 0; !rc && i < ix->nshards; i++) {
        size_t len = strlen(ix->dir) + strlen(ix->shards[i]) + 2;
        if (!(paths[i] = malloc(len)))
            rc = sa35_err_set(err, "%s: out of memory", index_path);
        else
            snprintf(paths[i], len, "%s/%s", ix->dir, ix->shards[i]);
    }
    if (!rc)
        rc = open_shards((const char *const *)paths,
                         (const char *const *)ix->shards, ix->nshards,
                         index_path, ck, err);
    for (int i = 0; paths && i < ix->nshards; i++)
        free(paths[i]);
    free(paths);
    if (rc)
        sa35_ckpt_close(ck);
    return rc;
}
