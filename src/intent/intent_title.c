/* The request's own name for the product: the noun phrase before a word
 * naming the deliverable ("a weekly x y report" names "weekly x y"), else
 * the title before a colon. English grammar only: determiners, verbs of
 * asking and nouns of deliverables; the modeling stage names the table
 * after it. */
#include "intent/intent_int.h"
#include <ctype.h>
#include <string.h>

#define TITLE_MAX_WORDS 6 /* a longer run is a clause, not a name */

/* Nouns that name the deliverable itself; "product", "mart" and "set" also
 * after "data". */
static const char *const deliverables[] = {
    "report",   "reports",  "table",   "tables",    "dashboard",   "dashboards", "view",      "views",
    "dataset",  "datasets", "summary", "summaries", "scorecard",   "scorecards", "overview",  "overviews",
    "mart",     "marts",    "extract", "extracts",  "snapshot",    "snapshots",  "breakdown", "breakdowns",
    "analysis", "analyses", "chart",   "charts",    "tracker",     "trackers",   "digest",    "digests",
    "rollup",   "rollups",  "cube",    "cubes",     "spreadsheet", "scoreboard", NULL};
/* Where a name phrase starts: determiners, pronouns, verbs of asking. */
static const char *const boundaries[] = {
    "a",        "an",        "the",     "this",    "that",    "these",    "those",  "my",    "our",
    "your",     "their",     "its",     "some",    "any",     "me",       "us",     "i",     "we",
    "you",      "it",        "please",  "kindly",  "also",    "just",     "create", "build", "make",
    "generate", "produce",   "give",    "show",    "get",     "need",     "needs",  "want",  "wants",
    "prepare",  "design",    "provide", "deliver", "compile", "assemble", "set",    "put",   "like",
    "would",    "could",     "can",     "should",  "must",    "will",     "let",    "help",  "draft",
    "develop",  "construct", "write",   "add",     "publish", "is",       "are",    "be",    "have",
    "has",      "what",      "which",   "how",     "where",   "whats",    "new",    NULL};
/* A phrase holding one of these is a clause ("x by y report"), no name. */
static const char *const joiners[] = {
    "by",   "per",   "for",     "of",     "in",     "on",     "at",      "to",   "from",   "with", "without", "across",
    "over", "under", "between", "within", "during", "since",  "until",   "vs",   "versus", "and",  "or",      "but",
    "than", "as",    "into",    "about",  "after",  "before", "through", "when", "while",  "who",  "whose",   NULL};
/* How the deliverable looks, not what it is about, and generic nouns that
 * name no subject ("a full kpi table"): trimmed from the phrase's ends. */
static const char *const trimmed[] = {
    "full",    "complete", "detailed", "simple",     "quick",   "basic",   "comprehensive", "single",      "entire",
    "whole",   "final",    "standard", "brief",      "short",   "updated", "metrics",       "metric",      "kpi",
    "kpis",    "data",     "stats",    "statistics", "numbers", "figures", "info",          "information", "results",
    "details", "level",    "high",     NULL};
static const char *const periods[] = {"daily", "weekly", "monthly", "quarterly", "yearly", "annual", NULL};

/* A word of the catalog ("views" as a metric) is no deliverable noun. */
static int deliverable(const parser *p, size_t i)
{
    if (p->t[i].punct || p->used[i] == U_MATCH)
        return 0;
    if (dp_int__in_list(p->t[i].low, deliverables))
        return 1;
    return i > 0 && !strcmp(p->t[i - 1].low, "data") &&
           (!strcmp(p->t[i].low, "product") || !strcmp(p->t[i].low, "products") || !strcmp(p->t[i].low, "set"));
}

static int has_letter(const char *w)
{
    for (; *w; w++)
        if (isalpha((unsigned char)*w))
            return 1;
    return 0;
}

/* Trims [*s, *e); 1 when a word naming a subject is left, or the phrase
 * is a number ("a 360 view of x"). */
static int trim(const parser *p, size_t *s, size_t *e)
{
    while (*s < *e && dp_int__in_list(p->t[*s].low, trimmed))
        (*s)++;
    while (*e > *s && dp_int__in_list(p->t[*e - 1].low, trimmed))
        (*e)--;
    int content = 0, numbers = *e > *s;
    for (size_t i = *s; i < *e; i++) {
        content |= has_letter(p->t[i].low) && !dp_int__in_list(p->t[i].low, periods);
        numbers &= p->t[i].is_num;
    }
    return content || numbers;
}

/* The words before the deliverable noun at i: [*s, *e), 1 when they are a
 * name. */
static int before_noun(const parser *p, size_t i, size_t *s, size_t *e)
{
    size_t end = i;
    if (!dp_int__in_list(p->t[i].low, deliverables))
        end = i - 1; /* "data product" */
    size_t b = end;
    while (b > 0 && !p->t[b - 1].punct && !dp_int__in_list(p->t[b - 1].low, boundaries)) {
        if (dp_int__in_list(p->t[b - 1].low, joiners) || deliverable(p, b - 1) || end - b >= TITLE_MAX_WORDS)
            return 0;
        b--;
    }
    *s = b;
    *e = end;
    return b < end && trim(p, s, e);
}

/* "X y per z: a, b" names the product X y. */
static int before_colon(const parser *p, size_t *s, size_t *e)
{
    size_t colon = p->n;
    for (size_t i = 1; i + 1 < p->n && colon == p->n; i++)
        if (p->t[i].punct == ':' && !p->t[i + 1].is_num)
            colon = i;
    if (colon == p->n)
        return 0;
    size_t b = 0;
    while (b < colon && dp_int__in_list(p->t[b].low, boundaries))
        b++;
    size_t end = b;
    while (end < colon && !p->t[end].punct && !dp_int__in_list(p->t[end].low, joiners) &&
           !dp_int__in_list(p->t[end].low, boundaries) && !deliverable(p, end) && end - b < TITLE_MAX_WORDS)
        end++;
    *s = b;
    *e = end;
    if (b == end || !trim(p, s, e))
        return 0;
    for (size_t i = *s; i < *e; i++) /* "2025: ..." is a period, no title */
        if (has_letter(p->t[i].low))
            return 1;
    return 0;
}

/* A word as it goes into a name: lowercase, the possessive "'s" dropped. */
static const char *name_word(parser *p, size_t i)
{
    const char *raw = p->t[i].raw, *low = p->t[i].low;
    size_t l = strlen(low), rl = strlen(raw);
    if (rl >= 2 && raw[rl - 2] == '\'' && (raw[rl - 1] == 's' || raw[rl - 1] == 'S') && l > 1)
        return dp_arena_strndup(p->a, low, l - 1);
    return low;
}

/* Appends word and a blank to name (cap bytes) when both fit. */
static void append(char *name, size_t cap, size_t *off, const char *word)
{
    size_t l = strlen(word);
    if (*off + l + 2 > cap)
        return;
    memcpy(name + *off, word, l);
    *off += l;
    name[(*off)++] = ' ';
    name[*off] = 0;
}

void dp_int__find_title(parser *p)
{
    size_t s = 0, e = 0, noun = p->n;
    int found = 0;
    for (size_t i = 1; i < p->n && !found; i++)
        if (deliverable(p, i) && !deliverable(p, i - 1) && before_noun(p, i, &s, &e))
            found = 1, noun = i;
    if (!found && !before_colon(p, &s, &e))
        return;
    /* a free number in the name ("x 360 table") is no key, rank or amount:
     * read as part of the name, when nothing of the catalog follows it
     * ("5 items report" stays asked about) */
    int numbers = 1;
    for (size_t i = s; i < e; i++) {
        numbers &= p->t[i].is_num;
        if (p->t[i].is_num && p->used[i] == U_FREE && (i + 1 == e || p->used[i + 1] == U_FREE))
            dp_int__mark(p, i, 1, U_NOISE);
    }
    char name[256] = "";
    size_t off = 0;
    /* a name that is a number takes the words after the noun ("a 360 view
     * of x": x 360); one that starts with a number puts it last */
    size_t lead = s;
    while (lead < e && p->t[lead].is_num)
        lead++;
    if (numbers && noun + 2 < p->n && dp_int__in_list(p->t[noun + 1].low, joiners))
        for (size_t j = noun + 2; j < p->n && j < noun + 5 && !p->t[j].punct &&
                                  !dp_int__in_list(p->t[j].low, joiners) && !dp_int__in_list(p->t[j].low, boundaries);
             j++)
            append(name, sizeof(name), &off, name_word(p, j));
    if (numbers && !off && noun < p->n)
        append(name, sizeof(name), &off, p->t[noun].low);
    for (size_t j = lead; j < e; j++)
        append(name, sizeof(name), &off, name_word(p, j));
    for (size_t j = s; j < lead; j++)
        append(name, sizeof(name), &off, name_word(p, j));
    if (off)
        name[off - 1] = 0; /* the last blank */
    p->in->title = dp_arena_strdup(p->a, name);
    p->in->title_text = dp_int__span_text(p, s, (noun < p->n ? noun + 1 : e) - s);
}
