/* The phrases a catalog offers the lexicon: metric names, labels and their
 * abbreviations, synonyms stated in descriptions, names without their
 * aggregation word; dataset, entity and dimension names (also qualified by
 * the dataset's key); frequent values, with country names, demonyms and
 * codes for columns of countries; glossary terms on whatever they map to. */
#include "kg/lexicon.h"
#include "kg/lexicon_int.h"
#include "util/embedded.h"
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* A label's "%" is a word of it ("Lost Shipments %" is not "Lost Shipments"). */
static char *percent_words(dp_arena *a, const char *label)
{
    size_t n = 0;
    for (const char *p = label; *p; p++)
        n += *p == '%';
    char *out = dp_arena_alloc(a, strlen(label) + n * 8 + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = label; *p; p++)
        o = *p == '%' ? (memcpy(o, " percent", 8), o + 8) : (*o = *p, o + 1);
    *o = 0;
    return out;
}

/* "Mean Time To Repair (MTTR)": main part and capitalised abbreviation.
 * Parentheses of several words qualify ("Shipping Cost (Last 28 Days)") and are
 * part of the name: the main part alone would name another metric. */
static int add_label(dp_lexicon *lx, dp_lex_entry proto, const char *label)
{
    if (!label)
        return 0;
    if (strchr(label, '%') && !(label = percent_words(dp_lex__scratch(lx), label)))
        return -1;
    const char *open = strchr(label, '(');
    const char *close = open ? strchr(open, ')') : NULL;
    if (!open || !close)
        return dp_lex__add(lx, proto, label);
    char *main = dp_arena_strndup(dp_lex__scratch(lx), label, (size_t)(open - label));
    char *inner = dp_arena_strndup(dp_lex__scratch(lx), open + 1, (size_t)(close - open - 1));
    int upper = 0, lower = 0;
    for (const char *p = inner; *p; p++) {
        upper += isupper((unsigned char)*p) != 0;
        lower += islower((unsigned char)*p) != 0;
    }
    if (strchr(inner, ' ')) { /* several words qualify; one is a unit or an abbreviation */
        char *whole = dp_arena_printf(dp_lex__scratch(lx), "%s %s%s", main, inner, close + 1);
        return whole ? dp_lex__add(lx, proto, whole) : -1;
    }
    int rc = dp_lex__add(lx, proto, main);
    if (!rc && upper >= 2 && upper > lower) {
        proto.source = "abbreviation";
        rc = dp_lex__add(lx, proto, inner);
    }
    return rc;
}

/* Splits "a, b or c" / "a, b, and c" into items and adds each. */
static int add_list(dp_lexicon *lx, dp_lex_entry proto, const char *s, size_t len)
{
    char *buf = dp_arena_strndup(dp_lex__scratch(lx), s, len);
    if (!buf)
        return -1;
    char *p = buf;
    while (*p) {
        char *end = p;
        size_t cut = 0;
        while (*end) {
            if (*end == ',') { cut = 1; break; }
            if (!strncmp(end, " or ", 4)) { cut = 4; break; }
            if (!strncmp(end, " and ", 5)) { cut = 5; break; }
            end++;
        }
        char save = *end;
        *end = 0;
        while (*p == ' ')
            p++;
        if (!strncmp(p, "and ", 4))
            p += 4;
        else if (!strncmp(p, "or ", 3))
            p += 3;
        if (*p && dp_lex__add(lx, proto, p))
            return -1;
        if (!save)
            break;
        p = end + cut;
    }
    return 0;
}

/* Synonyms stated in a description: "also called x, y or z", "also known as
 * x", "aka x", and a parenthesised list "(x, y)". */
static int add_description_synonyms(dp_lexicon *lx, dp_lex_entry proto, const char *desc)
{
    if (!desc)
        return 0;
    static const char *cues[] = {"also called ", "also known as ", "a.k.a. ", "aka ", "sometimes called ",
                                 "known as ", "or simply ", NULL};
    proto.source = "synonym";
    proto.conf = 0.9;
    /* "TTH: average days from ...": a description that opens with an
     * abbreviation and a colon names the metric by it */
    {
        size_t n = 0;
        while (desc[n] && n < 8 &&
               (isupper((unsigned char)desc[n]) || isdigit((unsigned char)desc[n]) || desc[n] == '&'))
            n++;
        if (n >= 2 && n <= 6 && desc[n] == ':' && add_list(lx, proto, desc, n))
            return -1;
    }
    int cued = 0;
    for (int i = 0; cues[i]; i++) {
        const char *p = strcasestr(desc, cues[i]);
        if (!p)
            continue;
        p += strlen(cues[i]);
        size_t len = strcspn(p, ".;)");
        if (add_list(lx, proto, p, len))
            return -1;
        cued = 1;
        break;
    }
    /* "...; also declines.", "..., also purchase volume": "also" alone
     * after a clause names the metric too (not "also includes refunds") */
    static const char *const verbs[] = {"includes", "including", "counts", "counted", "excludes",
                                        "covers",   "contains",  "used",   "the",     "a",
                                        "an",       "for",       "in",     "on",      NULL};
    for (const char *p = desc; !cued && (p = strcasestr(p, "also ")); p += 5) {
        if (p - desc < 2 || p[-1] != ' ' || (p[-2] != ';' && p[-2] != ','))
            continue;
        const char *w = p + 5;
        size_t wl = strcspn(w, " .;,)");
        int verb = 0;
        for (int k = 0; verbs[k] && !verb; k++)
            verb = strlen(verbs[k]) == wl && !strncasecmp(w, verbs[k], wl);
        if (verb)
            continue;
        if (add_list(lx, proto, w, strcspn(w, ".;)")))
            return -1;
        break;
    }
    /* a parenthesised list may enumerate parts rather than name the metric:
     * it only wins where nothing better matches */
    proto.conf = 0.7;
    proto.source = "description list";
    const char *open = strchr(desc, '(');
    while (open) {
        const char *close = strchr(open, ')');
        if (!close)
            break;
        size_t len = (size_t)(close - open - 1);
        /* one item alone ("completed (closed)") glosses the metric's word;
         * several ("(room, spa, parking)") enumerate its parts */
        const char *in = dp_arena_strndup(dp_lex__scratch(lx), open + 1, len);
        proto.source = in && (strchr(in, ',') || strstr(in, " or ") || strstr(in, " and ")) ? "description list"
                                                                                            : "description aside";
        if (len && len < 120 && add_list(lx, proto, open + 1, len))
            return -1;
        open = strchr(close, '(');
    }
    return 0;
}

static char *spaced(dp_arena *a, const char *name)
{
    char *s = dp_arena_strdup(a, name);
    for (char *p = s; p && *p; p++)
        if (*p == '_' || *p == '-' || *p == '.')
            *p = ' ';
    return s;
}

static int is_code(const char *v)
{
    size_t n = strlen(v);
    if (n < 2 || n > 3)
        return 0;
    for (const char *p = v; *p; p++)
        if (!isupper((unsigned char)*p))
            return 0;
    return 1;
}

const char *dp_agg_word_family(const char *w)
{
    static const char *fam[][2] = {{"average", "average"}, {"avg", "average"}, {"mean", "average"},
                                   {"total", "total"},     {"sum", "total"},    {"number", "count"},
                                   {"count", "count"},     {"median", "median"}, {NULL, NULL}};
    for (int i = 0; fam[i][0]; i++)
        if (!strcasecmp(w, fam[i][0]))
            return fam[i][1];
    return NULL;
}

/* "Average resolution time" is also asked for as "resolution time": the
 * phrase without its leading aggregation word, remembered so that "total
 * salary" does not take "average salary". */
static int add_without_agg_word(dp_lexicon *lx, dp_lex_entry p, const char *phrase)
{
    if (!phrase)
        return 0;
    const char *open = strchr(phrase, '(');
    char *text = dp_arena_strndup(dp_lex__scratch(lx), phrase, open ? (size_t)(open - phrase) : strlen(phrase));
    char *sp = text ? strpbrk(text, " _") : NULL;
    if (!sp || !sp[1])
        return 0;
    char first[32];
    size_t fl = (size_t)(sp - text);
    if (fl >= sizeof(first))
        return 0;
    memcpy(first, text, fl);
    first[fl] = 0;
    const char *fam = dp_agg_word_family(first);
    if (!fam)
        return 0;
    const char *rest = sp + 1;
    if (!strncasecmp(rest, "of ", 3))
        rest += 3;
    if (!strpbrk(rest, " _") && strlen(rest) < 4)
        return 0;
    p.source = "name without its aggregation word";
    p.conf = 0.85;
    p.dropped = fam;
    return dp_lex__add(lx, p, rest);
}

static int build_metrics(dp_lexicon *lx, const dp_kg *kg)
{
    for (size_t i = 0; i < kg->nmetrics; i++) {
        const dp_metric *m = &kg->metrics[i];
        dp_lex_entry p = {.kind = DP_LEX_METRIC, .metric = m, .source = "name", .conf = 1.0};
        if (dp_lex__renew_scratch(lx))
            return -1;
        if (dp_lex__add(lx, p, spaced(dp_lex__scratch(lx), m->name)))
            return -1;
        /* "moveouts" for move_outs: a two-word name also written as one */
        const char *us = strchr(m->name, '_');
        if (us && !strchr(us + 1, '_') && us - m->name >= 2 && strlen(us + 1) >= 2 && strlen(m->name) >= 7) {
            char *joined = dp_arena_printf(dp_lex__scratch(lx), "%.*s%s", (int)(us - m->name), m->name, us + 1);
            if (!joined || dp_lex__add(lx, p, joined))
                return -1;
        }
        p.source = "label";
        if (add_label(lx, p, m->label) || add_description_synonyms(lx, p, m->description))
            return -1;
        p.source = "name";
        if (add_without_agg_word(lx, p, spaced(dp_lex__scratch(lx), m->name)) || add_without_agg_word(lx, p, m->label))
            return -1;
    }
    return 0;
}

/* World knowledge, not business knowledge: country names, demonyms and
 * ISO codes (share/countries.tsv), so "French members" finds FR in a column
 * of ISO codes and "DE" finds Germany in a column of names; the same for
 * US states and Canadian provinces (share/subdivisions.tsv: "Texas donors"
 * finds TX). Each list is read alone: CA is Canada among countries and
 * California among states. */
typedef struct country {
    const char *f[5]; /* code, second code, name, demonym, aliases */
} country;

static size_t load_countries(dp_arena *a, const char *file, country **out)
{
    size_t len;
    const char *txt = dp_embedded_find(file, &len);
    size_t n = 0, cap = 0;
    country *arr = NULL;
    if (!txt)
        return 0;
    char *copy = dp_arena_strndup(a, txt, len);
    for (char *line = copy; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        if (*line && *line != '#') {
            country c = {{0}};
            char *f = line;
            for (int k = 0; k < 5 && f; k++) {
                char *tab = strchr(f, '\t');
                if (tab)
                    *tab = 0;
                c.f[k] = f;
                f = tab ? tab + 1 : NULL;
            }
            if (c.f[0] && c.f[2] && DP_VEC_PUSH(a, arr, n, cap, c))
                return 0;
        }
        line = nl ? nl + 1 : NULL;
    }
    *out = arr;
    return n;
}

static const country *find_country(const country *cs, size_t n, const char *v, int *field)
{
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 3; k++)
            if (cs[i].f[k] && *cs[i].f[k] && (k < 2 ? !strcmp(cs[i].f[k], v) : !strcasecmp(cs[i].f[k], v))) {
                *field = k;
                return &cs[i];
            }
    return NULL;
}

static int add_country_names(dp_lexicon *lx, const dp_model *m, const dp_dimension *d, const country *cs, size_t ncs,
                             const char *source)
{
    const dp_col_profile *pr = &d->column->prof;
    size_t hits = 0;
    int field = -1;
    for (size_t k = 0; k < pr->ntop; k++) {
        int f;
        if (find_country(cs, ncs, pr->top_values[k], &f)) {
            hits++;
            field = f;
        }
    }
    if (!pr->ntop || hits * 2 < pr->ntop || hits < 2)
        return 0; /* not a country column */
    for (size_t k = 0; k < pr->ntop; k++) {
        int f;
        const country *c = find_country(cs, ncs, pr->top_values[k], &f);
        if (!c)
            continue;
        dp_lex_entry pv = {
            .kind = DP_LEX_VALUE, .model = m, .dim = d, .value = pr->top_values[k], .source = source, .conf = 0.9};
        for (int j = 0; j < 5; j++) {
            if (!c->f[j] || !*c->f[j] || j == field)
                continue;
            pv.case_sensitive = j < 2; /* codes only in capitals: "IN" is not "in" */
            if (j == 4) {
                if (add_list(lx, pv, c->f[j], strlen(c->f[j])))
                    return -1;
            } else if (dp_lex__add(lx, pv, c->f[j])) {
                return -1;
            }
        }
    }
    (void)field;
    return 0;
}

static int build_models(dp_lexicon *lx, const dp_kg *kg)
{
    country *cs = NULL, *ss = NULL;
    size_t ncs = load_countries(dp_lex__arena(lx), "countries.tsv", &cs);
    size_t nss = load_countries(dp_lex__arena(lx), "subdivisions.tsv", &ss);
    for (size_t i = 0; i < kg->nmodels; i++) {
        const dp_model *m = &kg->models[i];
        dp_lex_entry p = {.kind = DP_LEX_MODEL, .model = m, .source = "name", .conf = 0.8};
        if (dp_lex__renew_scratch(lx))
            return -1;
        if (dp_lex__add(lx, p, spaced(dp_lex__scratch(lx), m->name)) || add_label(lx, p, m->label))
            return -1;
        /* each word of a dataset name names it loosely ("marketing") */
        const char *sp = spaced(dp_lex__scratch(lx), m->name);
        if (strchr(sp, ' ')) {
            char *w = dp_arena_strdup(dp_lex__scratch(lx), sp);
            p.source = "dataset name word";
            p.conf = 0.6;
            for (char *tok = w; tok && *tok;) {
                char *sp2 = strchr(tok, ' ');
                if (sp2)
                    *sp2 = 0;
                if (strlen(tok) >= 4 && dp_lex__add(lx, p, tok))
                    return -1;
                tok = sp2 ? sp2 + 1 : NULL;
            }
        }
        for (size_t j = 0; j < m->nentities; j++) {
            const dp_entity *e = &m->entities[j];
            dp_lex_entry pe = {.kind = DP_LEX_ENTITY, .model = m, .entity = e, .source = "name", .conf = 1.0};
            if (dp_lex__add(lx, pe, spaced(dp_lex__scratch(lx), e->name)) || add_label(lx, pe, e->label))
                return -1;
        }
        for (size_t j = 0; j < m->ndims; j++) {
            const dp_dimension *d = &m->dims[j];
            dp_lex_entry pd = {.kind = DP_LEX_DIM, .model = m, .dim = d, .source = "name", .conf = 1.0};
            if (dp_lex__add(lx, pd, spaced(dp_lex__scratch(lx), d->name)) || add_label(lx, pd, d->label))
                return -1;
            /* qualified by the model's own entities: "carrier type" */
            for (size_t k = 0; k < m->nentities; k++) {
                const dp_entity *e = &m->entities[k];
                if (e->type != DP_ENT_PRIMARY && e->type != DP_ENT_UNIQUE && e->type != DP_ENT_NATURAL)
                    continue;
                const char *dn = spaced(dp_lex__scratch(lx), d->name);
                const char *en = spaced(dp_lex__scratch(lx), e->name);
                /* even when the dimension's name starts with the entity's:
                 * MetricFlow's entity__dimension says both */
                pd.source = "qualified name";
                if (dp_lex__add(lx, pd, dp_arena_join(dp_lex__scratch(lx), en, ' ', dn)))
                    return -1;
            }
            /* frequent values of categorical dimensions */
            const dp_column *c = d->column;
            /* a yes/no column named for what it says ("is_x", "has_x"): its
             * words ("x") are the value true */
            size_t pre = !strncmp(d->name, "is_", 3) ? 3 : !strncmp(d->name, "has_", 4) ? 4 : 0;
            /* also a 0/1 integer column so named (the profile found only 0
             * and 1): its words are the value 1 */
            const char *yes = dp_kg_flag_true(c);
            if (d->type == DP_DIM_CATEGORICAL && yes && pre && d->name[pre]) {
                dp_lex_entry pv = {
                    .kind = DP_LEX_VALUE, .model = m, .dim = d, .value = yes, .source = "yes/no column", .conf = 0.9};
                if (dp_lex__add(lx, pv, spaced(dp_lex__scratch(lx), d->name + pre)))
                    return -1;
            }
            if (d->type != DP_DIM_CATEGORICAL || !c || !c->prof.ntop)
                continue;
            if ((ncs && add_country_names(lx, m, d, cs, ncs, "world knowledge (country)")) ||
                (nss && add_country_names(lx, m, d, ss, nss, "world knowledge (state or province)")))
                return -1;
            for (size_t k = 0; k < c->prof.ntop; k++) {
                const char *v = c->prof.top_values[k];
                if (strlen(v) > 80)
                    continue;
                dp_lex_entry pv = {.kind = DP_LEX_VALUE, .model = m, .dim = d, .value = v, .source = "value", .conf = 0.95};
                pv.case_sensitive = is_code(v);
                if (dp_lex__add(lx, pv, v))
                    return -1;
                /* "small_business" also as written with spaces */
            }
        }
    }
    return 0;
}

/* A glossary term's name, synonyms and abbreviations as phrases for p's
 * target; abbreviations with source abbrev_source when given. */
static int add_term_phrases(dp_lexicon *lx, dp_lex_entry p, const dp_term *t, const char *abbrev_source)
{
    if (dp_lex__add(lx, p, t->name))
        return -1;
    for (size_t k = 0; k < t->nsynonyms; k++)
        if (dp_lex__add(lx, p, t->synonyms[k]))
            return -1;
    if (abbrev_source)
        p.source = abbrev_source;
    for (size_t k = 0; k < t->nabbreviations; k++)
        if (dp_lex__add(lx, p, t->abbreviations[k]))
            return -1;
    return 0;
}

/* A glossary term's value of dimension d as the column holds it: true and
 * false (yes/no, 1/0) as a yes/no column writes them, else as given. */
static const char *term_value(const dp_dimension *d, const char *v)
{
    const char *yes = dp_kg_flag_true(d->column);
    if (!yes)
        return v;
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1"))
        return yes;
    if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0"))
        return strcmp(yes, "1") ? "false" : "0";
    return v;
}

static int build_terms(dp_lexicon *lx, const dp_kg *kg)
{
    for (size_t i = 0; i < kg->nterms; i++) {
        const dp_term *t = &kg->terms[i];
        if (!t->maps_kind)
            continue;
        dp_lex_entry p = {.term = t, .source = "glossary", .conf = 1.0};
        if (dp_lex__renew_scratch(lx))
            return -1;
        if (!strcmp(t->maps_kind, "metric")) {
            p.kind = DP_LEX_METRIC;
            p.metric = dp_kg_metric(kg, t->maps_to);
            if (p.metric && add_term_phrases(lx, p, t, "abbreviation"))
                return -1;
            continue;
        }
        /* dimension (entity__dim or dim), entity, column (model.column) */
        const char *sep = strstr(t->maps_to, "__");
        const char *dot = strchr(t->maps_to, '.');
        if (!strcmp(t->maps_kind, "entity")) {
            /* the models it is the primary or unique key of (all of them to
             * check, before the graph's index is built) */
            size_t nh = 0;
            const dp_model *const *homes = dp_kg_entity_homes(kg, t->maps_to, &nh);
            if (!homes)
                nh = kg->nmodels;
            for (size_t h = 0; h < nh; h++) {
                const dp_model *mo = homes ? homes[h] : &kg->models[h];
                const dp_entity *e = dp_kg_model_entity(mo, t->maps_to);
                if (!e || (e->type != DP_ENT_PRIMARY && e->type != DP_ENT_UNIQUE))
                    continue;
                p.kind = DP_LEX_ENTITY;
                p.model = mo;
                p.entity = e;
                if (add_term_phrases(lx, p, t, NULL))
                    return -1;
            }
            continue;
        }
        const char *dim = !strcmp(t->maps_kind, "column") ? (dot ? dot + 1 : t->maps_to) : sep ? sep + 2 : t->maps_to;
        /* each model's first dimension named or computed as dim (the
         * models that have one, or all of them before the graph's index) */
        size_t nm = 0;
        const dp_model *const *ms = dp_kg_models_with_dim(kg, dim, &nm);
        if (!ms || !nm) { /* none in the index: a disabled one keeps the term, to be refused by name */
            ms = NULL;
            nm = kg->nmodels;
        }
        for (size_t k = 0; k < nm; k++) {
            const dp_model *mo = ms ? ms[k] : &kg->models[k];
            const dp_dimension *d = NULL;
            for (size_t j = 0; j < mo->ndims && !d; j++)
                if (!strcmp(mo->dims[j].name, dim) || !strcmp(mo->dims[j].expr, dim))
                    d = &mo->dims[j];
            if (!d)
                continue;
            if (dot && !strcmp(t->maps_kind, "column") &&
                (strlen(mo->name) != (size_t)(dot - t->maps_to) || strncmp(mo->name, t->maps_to, (size_t)(dot - t->maps_to))))
                continue;
            p.kind = DP_LEX_DIM;
            p.model = mo;
            p.dim = d;
            if (t->maps_value) { /* "non-residents": posted_to_room = false */
                p.kind = DP_LEX_VALUE;
                p.value = term_value(d, t->maps_value);
            }
            if (add_term_phrases(lx, p, t, NULL))
                return -1;
        }
    }
    return 0;
}

int dp_lex__build_phrases(dp_lexicon *lx, const dp_kg *kg)
{
    return build_metrics(lx, kg) || build_terms(lx, kg) || build_models(lx, kg);
}
