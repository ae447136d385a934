/* model_net.c: a network that is not an LLM, written down as its layer
 * list (docs/models.md, "Networks"): fully connected layers, each with its
 * activation, run in order on a batch of B inputs. TPU v1's MLPs are
 * such networks (Jouppi et al., ISCA 2017, Table 1). Kinds that are not
 * modelled yet (convolutions, LSTM cells) are refused by name. */
#include <string.h>

#include "model_internal.h"

static const char *const activations[] = {"none", "relu", "tanh",
                                          "sigmoid"};

static int layer_of(const cJSON *l, const char *path, int i, sa35_fc *fc,
                    sa35_err *err)
{
    char key[48];
    snprintf(key, sizeof key, "network.layers[%d]", i);
    if (!cJSON_IsObject(l))
        return sa35_err_set(err, "%s: %s: must be an object", path, key);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(l, "name"),
                *kind = cJSON_GetObjectItemCaseSensitive(l, "kind"),
                *act = cJSON_GetObjectItemCaseSensitive(l, "activation");
    if (!cJSON_IsString(name) || !name->valuestring[0] ||
        strlen(name->valuestring) >= sizeof fc->name)
        return sa35_err_set(err, "%s: %s.name: must be a name of 1 to %zu "
                                 "characters",
                            path, key, sizeof fc->name - 1);
    snprintf(fc->name, sizeof fc->name, "%s", name->valuestring);
    if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "fc"))
        return sa35_err_set(err, "%s: %s.kind: only \"fc\" (a fully "
                                 "connected layer) is modelled, got %s",
                            path, key,
                            cJSON_IsString(kind) ? kind->valuestring
                                                 : "no string");
    if (model_json_int(cJSON_GetObjectItemCaseSensitive(l, "in"), path,
                       "in", 1, 1 << 20, &fc->in, err) ||
        model_json_int(cJSON_GetObjectItemCaseSensitive(l, "out"), path,
                       "out", 1, 1 << 20, &fc->out, err))
        return sa35_err_prefix(err, key);
    fc->activation = -1;
    for (int a = 0; cJSON_IsString(act) && a < 4; a++)
        if (!strcmp(act->valuestring, activations[a]))
            fc->activation = a;
    if (fc->activation < 0)
        return sa35_err_set(err, "%s: %s.activation: must be none, relu, "
                                 "tanh or sigmoid",
                            path, key);
    return 0;
}

int model_net_parse(const cJSON *net, const char *path, sa35_llm *m,
                    sa35_err *err)
{
    const cJSON *layers = cJSON_GetObjectItemCaseSensitive(net, "layers");
    int n = cJSON_GetArraySize(layers);
    if (!cJSON_IsArray(layers) || n < 1 || n > SA35_NET_MAX)
        return sa35_err_set(err, "%s: network.layers: must be a list of 1 "
                                 "to %d layers",
                            path, SA35_NET_MAX);
    const cJSON *l;
    int i = 0;
    cJSON_ArrayForEach(l, layers)
    {
        if (layer_of(l, path, i, &m->fc[i], err))
            return -1;
        if (i > 0 && m->fc[i].in != m->fc[i - 1].out)
            return sa35_err_set(err, "%s: network.layers[%d].in: %lld, but "
                                     "the layer before has %lld outputs",
                                path, i, (long long)m->fc[i].in,
                                (long long)m->fc[i - 1].out);
        if (m->fc[i].in > m->hidden)
            m->hidden = m->fc[i].in;
        if (m->fc[i].out > m->hidden)
            m->hidden = m->fc[i].out;
        i++;
    }
    m->net_layers = n;
    m->layers = 1; /* the whole list is one "layer" of ops */
    return 0;
}

const char *model_net_activation(int a)
{
    return a >= 0 && a < 4 ? activations[a] : "?";
}
