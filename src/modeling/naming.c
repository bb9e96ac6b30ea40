/* The product's name: what a data engineer would call the table. */
#include "modeling/naming.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const grain_adj[] = {"", "daily", "weekly", "monthly", "quarterly", "yearly"};

/* The title's words, split at blanks (at most cap, each at most 63
 * bytes). */
typedef struct tok {
    char w[64];
} tok;

static size_t split(const char *title, tok *t, size_t cap)
{
    size_t n = 0;
    for (const char *p = title; *p && n < cap;) {
        while (*p == ' ')
            p++;
        size_t k = 0;
        while (*p && *p != ' ') {
            if (k < sizeof(t[n].w) - 1)
                t[n].w[k++] = *p;
            p++;
        }
        t[n].w[k] = 0;
        n += k > 0;
    }
    return n;
}

/* Is the underscored name (a column or entity) among words [s, e), as
 * written or plural ("-s", "-y" as "-ies")? */
static int phrase_has(const tok *t, size_t s, size_t e, const char *name)
{
    char want[256], plural[260], ies[260] = "";
    snprintf(want, sizeof(want), "%s", name);
    for (char *p = want; *p; p++)
        *p = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
    snprintf(plural, sizeof(plural), "%ss", want);
    size_t wl = strlen(want);
    if (wl > 1 && want[wl - 1] == 'y')
        snprintf(ies, sizeof(ies), "%.*sies", (int)(wl - 1), want);
    for (size_t i = s; i < e; i++) {
        char run[512] = "";
        size_t off = 0;
        for (size_t j = i; j < e && off < sizeof(run) - sizeof(t[j].w) - 2; j++) {
            off += (size_t)snprintf(run + off, sizeof(run) - off, "%s%s", j > i ? "_" : "", t[j].w);
            if (!strcmp(run, want) || !strcmp(run, plural) || (ies[0] && !strcmp(run, ies)))
                return 1;
        }
    }
    return 0;
}

static const char *grain_word(const dp_intent *in)
{
    if (in->custom_grain)
        return in->custom_grain;
    return in->grain != DP_GRAIN_NONE ? grain_adj[in->grain] : NULL;
}

static int grain_said(const dp_intent *in, const tok *t, size_t s, size_t e)
{
    if (in->custom_grain)
        return phrase_has(t, s, e, in->custom_grain);
    if (in->grain == DP_GRAIN_NONE)
        return 1;
    return phrase_has(t, s, e, grain_adj[in->grain]) || phrase_has(t, s, e, dp_grain_name(in->grain)) ||
           (in->grain == DP_GRAIN_YEAR && (phrase_has(t, s, e, "annual") || phrase_has(t, s, e, "annually")));
}

/* Lowercase [a-z0-9_], no trailing "_", at most 63 characters cut at a
 * word, never starting with a digit (an identifier SQL takes unquoted). */
static void sanitize(char *name) /* name: at least 64 bytes */
{
    char out[64];
    size_t k = 0;
    const char *p = name;
    while (*p && !isalnum((unsigned char)*p)) /* no leading "_" */
        p++;
    if (isdigit((unsigned char)*p)) {
        out[k++] = 't';
        out[k++] = '_';
    }
    for (; *p && k < 63; p++)
        out[k++] = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
    out[k] = 0;
    if (*p && isalnum((unsigned char)*p) && k && out[k - 1] != '_') { /* cut inside a word: drop it */
        char *u = strrchr(out, '_');
        if (u && u - out >= 20)
            *u = 0;
    }
    for (int cut = *p != 0; cut;) { /* a cut name ends on a word, not on "_by" or "_and" */
        char *u = strrchr(out, '_');
        cut = u && u > out && u[1] && (!strcmp(u + 1, "by") || !strcmp(u + 1, "and") || !strcmp(u + 1, "top"));
        if (cut || (u && !u[1]))
            *u = 0;
        cut |= u && !u[1];
    }
    size_t l = strlen(out);
    while (l && out[l - 1] == '_')
        out[--l] = 0;
    memcpy(name, out, l + 1);
}

/* The name from the request's own name for the product (in->title), or 0
 * when it has none. why gets the reason for the spec's modeling decision. */
static int from_title(const dp_intent *in, const dp_discovery *d, char *name, size_t cap, const char **why, dp_arena *a)
{
    tok t[16];
    size_t n = in->title ? split(in->title, t, 16) : 0, s = 0, e = n;
    if (!n)
        return 0;
    size_t off = 0;
    int grain_added = 0;
    const char *gw = grain_word(in);
    if (gw && !grain_said(in, t, s, e)) {
        off += (size_t)snprintf(name + off, cap - off, "%s_", gw);
        grain_added = 1;
    }
    for (size_t j = s; j < e && off + 2 < cap; j++) {
        for (const char *c = t[j].w; *c && off + 2 < cap; c++)
            if ((unsigned char)*c < 0x80) /* letters of other scripts are no identifier */
                name[off++] = *c;
        name[off++] = '_';
    }
    name[off] = 0;
    /* groupings the title does not name keep two requests apart */
    char added[256] = "";
    size_t aoff = 0, nk = 0;
    for (size_t i = 0; i < d->ncols && off < cap; i++) {
        if (d->cols[i].kind == DP_COL_TIME || d->cols[i].attribute)
            continue;
        const char *cn = d->cols[i].kind == DP_COL_ENTITY ? d->cols[i].entity : d->cols[i].name;
        if (!cn || phrase_has(t, s, e, cn))
            continue;
        off += (size_t)snprintf(name + off, cap - off, "%s%s_", nk++ ? "and_" : "by_", cn);
        if (aoff < sizeof(added) - 1)
            aoff += (size_t)snprintf(added + aoff, sizeof(added) - aoff, "%s%s", aoff ? " and " : "", cn);
    }
    int top = in->limit > 0 && !phrase_has(t, s, e, "top");
    if (top && off < cap)
        off += (size_t)snprintf(name + off, cap - off, "top_%ld", in->limit);
    sanitize(name);
    char more[400] = "";
    size_t moff = 0;
    if (grain_added)
        moff += (size_t)snprintf(more + moff, sizeof(more) - moff, "the grain %s", gw);
    if (aoff && moff < sizeof(more))
        moff += (size_t)snprintf(more + moff, sizeof(more) - moff, "%sthe grouping %s", moff ? ", " : "", added);
    if (top && moff < sizeof(more))
        moff +=
            (size_t)snprintf(more + moff, sizeof(more) - moff, "%sthe ranking top %ld", moff ? ", " : "", in->limit);
    *why =
        dp_arena_printf(a, "named after the request's phrase '%s'%s%s%s", in->title_text ? in->title_text : in->title,
                        moff ? " and " : "", more, moff ? ", which it does not name" : "");
    return 1;
}

/* SQL's reserved words: a table named one must be quoted wherever it is
 * read unqualified (a data contract's checks, a view of its file), so a
 * product is never named one ("order table" is order_table). */
static const char *unreserved(const char *name, dp_arena *a)
{
    static const char *const reserved[] = {
        "all",    "analyse", "analyze",  "and",     "any",    "array",      "as",     "asc",    "asymmetric",
        "both",   "case",    "cast",     "check",   "collate", "column",    "constraint", "create", "current_date",
        "current_role", "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc",
        "distinct", "do",    "else",     "end",     "except", "false",      "fetch",  "for",    "foreign",
        "from",   "grant",   "group",    "having",  "in",     "initially",  "intersect", "into", "lateral",
        "leading", "limit",  "localtime", "localtimestamp", "not", "null",  "offset", "on",     "only",
        "or",     "order",   "placing",  "primary", "references", "returning", "select", "session_user", "some",
        "symmetric", "table", "then",    "to",      "trailing", "true",     "union",  "unique", "user",
        "using",  "variadic", "when",    "where",   "window", "with",       NULL};
    for (int i = 0; reserved[i]; i++)
        if (!strcmp(name, reserved[i]))
            return dp_arena_printf(a, "%s_table", name);
    return name;
}

const char *dp_model__name(const dp_kg *kg, const dp_intent *in, const dp_discovery *d, dp_arena *a, const char **why)
{
    char name[256] = "";
    *why = NULL;
    if (from_title(in, d, name, sizeof(name), why, a) && name[0])
        return unreserved(dp_arena_strdup(a, name), a);
    name[0] = 0;
    size_t off = 0;
    if (in->custom_grain) {
        off += (size_t)snprintf(name + off, sizeof(name) - off, "%s_", in->custom_grain);
    } else if (in->grain != DP_GRAIN_NONE) {
        off += (size_t)snprintf(name + off, sizeof(name) - off, "%s_", grain_adj[in->grain]);
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
    sanitize(name);
    *why = "named after the metrics and the grouping: the request names no product (no phrase before a word "
           "such as report or table)";
    return unreserved(dp_arena_strdup(a, name), a);
}
