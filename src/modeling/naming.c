/* The product's name: what a data engineer would call the table. */
#include "modeling/naming.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *dp_model__name(const dp_kg *kg, const dp_intent *in, const dp_discovery *d, dp_arena *a)
{
    char name[256] = "";
    size_t off = 0;
    if (in->custom_grain) {
        off += (size_t)snprintf(name + off, sizeof(name) - off, "%s_", in->custom_grain);
    } else if (in->grain != DP_GRAIN_NONE) {
        static const char *adj[] = {"", "daily", "weekly", "monthly", "quarterly", "yearly"};
        off += (size_t)snprintf(name + off, sizeof(name) - off, "%s_", adj[in->grain]);
    }
    if (in->nmetrics <= 4) {
        for (size_t i = 0; i < in->nmetrics && off < 120; i++)
            off += (size_t)snprintf(name + off, sizeof(name) - off, "%s%s", i ? "_" : "", in->metrics[i]->name);
    } else {
        const dp_model *mm[4];
        size_t k = dp_metric_models(kg, in->metrics[0], mm, 4, 0);
        off += (size_t)snprintf(name + off, sizeof(name) - off, "%s_metrics", k ? mm[0]->name : "report");
    }
    size_t nk = 0;
    for (size_t i = 0; i < d->ncols; i++)
        if (d->cols[i].kind != DP_COL_TIME && off < 180) {
            const char *cn = d->cols[i].kind == DP_COL_ENTITY ? d->cols[i].entity : d->cols[i].name;
            off += (size_t)snprintf(name + off, sizeof(name) - off, "%s%s", nk++ ? "_and_" : "_by_", cn);
        }
    if (in->limit > 0 && off < 200)
        off += (size_t)snprintf(name + off, sizeof(name) - off, "_top_%ld", in->limit);
    for (char *p = name; *p; p++)
        *p = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
    if (strlen(name) > 63)
        name[63] = 0;
    return dp_arena_strdup(a, name);
}
