/* dpgen command line, built on the public API only. */
#include "dpgen/dpgen.h"
#include "cli/escape.h"
#include "mcp/mcp.h"
#include "server/server.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { EXIT_USAGE = 2, EXIT_CLARIFY = 3 };

static const char *usage =
    "usage: dpgen generate [options] \"request\"   request -> data product spec\n"
    "       dpgen intent [options] \"request\"     structured intent as JSON\n"
    "       dpgen catalog list|search TEXT|show NAME|profile [options]\n"
    "       dpgen catalog learn PHRASE NAME | forget PHRASE [options]   learned synonyms\n"
    "       dpgen catalog check | list metrics|dimensions|entities|saved-queries | dimension-values NAME\n"
    "             [--format text|json]   problems (exit 1 if any), dbt-style listings, a dimension's values\n"
    "       dpgen runs [--limit N] [--state DIR]\n"
    "       dpgen demo [--scale N] [--out PATH] [--sql FILE]\n"
    "       dpgen serve [--listen HOST:PORT] [catalog options]   the REST API (dpgen serve --help)\n"
    "       dpgen mcp [catalog options]         the Model Context Protocol over stdio, for AI agents\n"
    "options: --db PATH --models PATH --glossary PATH --state DIR --format yaml|json|markdown\n"
    "         --out DIR --dialect duckdb|postgres --as-of YYYY-MM-DD --owner NAME --trace --no-record\n"
    "         --columns wide|asked (default wide: attributes and component measures too)\n"
    "         --openlineage-url URL (posts the run's OpenLineage event, the one --out writes)\n"
    "         --llm URL (an OpenAI-compatible model proposes readings of words the catalog lacks;\n"
    "           or DPGEN_LLM_URL; DPGEN_LLM_MODEL, DPGEN_LLM_API_KEY[_FILE], DPGEN_LLM_TIMEOUT)\n"
    "         --llm-draft (with --llm: the model also drafts the description and proposes checked rules;\n"
    "           or DPGEN_LLM_DRAFT=1)\n"
    "         --timeout SECONDS (the test run and quality checks together; default 30)\n"
    "         --memory-limit SIZE (DuckDB's, e.g. 2GB; the default)\n"
    "         --choose \"phrase=name\" (repeatable: answers a clarification; learned unless --no-record)\n"
    "         dbt: --manifest FILE (semantic_manifest.json) --schema NAME (target schema of ref()) --saved-query NAME\n"
    "with no --db/--models the built-in demo is used; after -- every argument is the request.\n";

typedef struct args {
    const char *cmd, *sub, *text, *text2; /* text2: NAME of catalog learn */
    const char *choose[16];
    size_t nchoose;
    const char *sql, *db, *models, *glossary, *state, *format, *out, *dialect, *as_of, *owner;
    const char *manifest, *schema, *saved_query;
    const char *columns, *openlineage_url, *llm;
    const char *timeout, *memory_limit; /* --timeout SECONDS, --memory-limit SIZE */
    long timeout_ms;
    double scale;
    int trace, no_record, limit, refresh;
    int llm_draft; /* --llm-draft */
} args;

/* A calendar date written YYYY-MM-DD (year 1 on): a malformed --as-of is
 * a usage error like any other malformed option value. */
static int is_date(const char *s)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int v[3] = {0, 0, 0};
    for (int i = 0, k = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return 0;
            k++;
        } else if (s[i] >= '0' && s[i] <= '9') {
            v[k] = v[k] * 10 + (s[i] - '0');
        } else {
            return 0;
        }
    }
    if (s[10])
        return 0;
    int y = v[0], m = v[1], d = v[2];
    int leap = m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] + leap;
}

/* --timeout: seconds, more than 0 and at most a day; --memory-limit: a
 * number and a unit DuckDB reads (2GB, 512MB, 1.5GiB). */
static int check_limits(args *a)
{
    if (a->timeout) {
        char *end;
        double v = strtod(a->timeout, &end);
        if (end == a->timeout || *end || !(v > 0 && v <= 86400)) {
            fprintf(stderr, "dpgen: --timeout is a number of seconds above 0 and at most 86400, not '%s'\n",
                    DP_SAFE(a->timeout));
            return -1;
        }
        a->timeout_ms = v * 1000 < 1 ? 1 : (long)(v * 1000);
    }
    if (a->memory_limit) {
        static const char *units[] = {"B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"};
        const char *p = a->memory_limit;
        size_t digits = strspn(p, "0123456789");
        p += digits;
        if (digits && *p == '.') {
            size_t frac = strspn(p + 1, "0123456789");
            p += frac ? frac + 1 : 0;
        }
        int ok = 0;
        for (size_t i = 0; digits && i < sizeof(units) / sizeof(*units); i++)
            ok |= !strcasecmp(p, units[i]);
        if (!ok) {
            fprintf(stderr, "dpgen: --memory-limit is a size like 2GB or 512MB, not '%s'\n", DP_SAFE(a->memory_limit));
            return -1;
        }
    }
    if (a->as_of && !is_date(a->as_of)) {
        fprintf(stderr, "dpgen: --as-of is a date YYYY-MM-DD, not '%s'\n", DP_SAFE(a->as_of));
        return -1;
    }
    return 0;
}

static int parse(args *a, int argc, char **argv)
{
    memset(a, 0, sizeof(*a));
    a->scale = 1.0;
    a->limit = 20;
    if (argc < 2)
        return -1;
    a->cmd = argv[1];
    int options = 1; /* until "--": after it every argument is text ("-- DROP TABLE") */
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        const char **slot = NULL;
        if (options && !strcmp(s, "--")) {
            options = 0;
            continue;
        }
        if (!options) {
            if (!strcmp(a->cmd, "catalog") && !a->sub)
                a->sub = s;
            else if (!a->text)
                a->text = s;
            else if (!strcmp(a->cmd, "catalog") && !a->text2)
                a->text2 = s;
            else {
                fprintf(stderr, "dpgen: unexpected argument '%s' (quote the request)\n", DP_SAFE(s));
                return -1;
            }
            continue;
        }
        if (!strcmp(s, "--db")) slot = &a->db;
        else if (!strcmp(s, "--models")) slot = &a->models;
        else if (!strcmp(s, "--glossary")) slot = &a->glossary;
        else if (!strcmp(s, "--state")) slot = &a->state;
        else if (!strcmp(s, "--format")) slot = &a->format;
        else if (!strcmp(s, "--out")) slot = &a->out;
        else if (!strcmp(s, "--dialect")) slot = &a->dialect;
        else if (!strcmp(s, "--as-of")) slot = &a->as_of;
        else if (!strcmp(s, "--owner")) slot = &a->owner;
        else if (!strcmp(s, "--sql")) slot = &a->sql;
        else if (!strcmp(s, "--manifest")) slot = &a->manifest;
        else if (!strcmp(s, "--schema")) slot = &a->schema;
        else if (!strcmp(s, "--saved-query")) slot = &a->saved_query;
        else if (!strcmp(s, "--columns")) slot = &a->columns;
        else if (!strcmp(s, "--openlineage-url")) slot = &a->openlineage_url;
        else if (!strcmp(s, "--llm"))
            slot = &a->llm;
        else if (!strcmp(s, "--timeout")) slot = &a->timeout;
        else if (!strcmp(s, "--memory-limit")) slot = &a->memory_limit;
        else if (!strcmp(s, "--choose")) {
            if (i + 1 >= argc || a->nchoose == sizeof(a->choose) / sizeof(*a->choose)) {
                fprintf(stderr, "dpgen: --choose needs \"phrase=name\" (at most 16)\n");
                return -1;
            }
            a->choose[a->nchoose++] = argv[++i];
            continue;
        }
        else if (!strcmp(s, "--trace")) { a->trace = 1; continue; }
        else if (!strcmp(s, "--no-record")) { a->no_record = 1; continue; }
        else if (!strcmp(s, "--llm-draft")) { a->llm_draft = 1; continue; }
        else if (!strcmp(s, "--refresh")) { a->refresh = 1; continue; }
        else if (!strcmp(s, "--scale") || !strcmp(s, "--limit")) {
            if (i + 1 >= argc)
                return -1;
            char *end;
            double v = strtod(argv[++i], &end);
            if (*end || v <= 0)
                return -1;
            if (s[2] == 's') a->scale = v; else a->limit = (int)v;
            continue;
        } else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            return -1;
        } else if (s[0] == '-' && s[1] == '-') {
            fprintf(stderr, "dpgen: unknown option %s\n", DP_SAFE(s));
            return -1;
        } else if ((!strcmp(a->cmd, "catalog")) && !a->sub) {
            a->sub = s;
            continue;
        } else if (!a->text) {
            a->text = s;
            continue;
        } else if (!strcmp(a->cmd, "catalog") && !a->text2) {
            a->text2 = s;
            continue;
        } else {
            fprintf(stderr, "dpgen: unexpected argument '%s' (quote the request)\n", DP_SAFE(s));
            return -1;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "dpgen: %s needs a value\n", DP_SAFE(s));
            return -1;
        }
        *slot = argv[++i];
    }
    return check_limits(a);
}

static int open_catalog(dp_catalog **cat, const args *a, dp_error *err)
{
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.db_path = a->db;
    co.models_path = a->models;
    co.glossary_path = a->glossary;
    co.state_dir = a->state;
    co.refresh_profile = a->refresh;
    co.manifest_path = a->manifest;
    co.schema = a->schema;
    co.timeout_ms = a->timeout_ms; /* profiling has its own budget of the same size */
    co.memory_limit = a->memory_limit;
    /* catalog commands mostly read what the load built: the database opens
     * only if one of them runs a statement (a warm check opens none) */
    co.defer_db = !strcmp(a->cmd, "catalog");
    /* and the lexicon and the vector index are built only by the commands
     * that read words (search, learn): a check or a listing never needs them */
    co.defer_indexes = !strcmp(a->cmd, "catalog");
    return dp_catalog_open(cat, &co, err);
}

static int fail(const dp_error *err, int rc)
{
    fprintf(stderr, "dpgen: %s\n", DP_SAFE(err->message));
    if (rc == DP_ECLARIFY)
        return EXIT_CLARIFY;
    if (rc == DP_EINVALID && 0)
        return EXIT_USAGE;
    return 1;
}

static int cmd_generate(const args *a, int intent_only)
{
    dp_error err = {0};
    dp_catalog *cat = NULL;
    dp_result *res = NULL;
    dp_llm *llm = NULL;
    int code = 0;
    if (!a->saved_query && (!a->text || !*a->text || strspn(a->text, " \t\r\n") == strlen(a->text))) {
        fputs("dpgen: empty request\n", stderr);
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (a->saved_query && a->text && a->text[strspn(a->text, " \t\r\n")]) {
        fputs("dpgen: give a request or --saved-query NAME, not both\n", stderr);
        return EXIT_USAGE;
    }
    dp_format fmt = DP_FORMAT_YAML;
    if (a->format) {
        if (!strcmp(a->format, "json")) fmt = DP_FORMAT_JSON;
        else if (!strcmp(a->format, "markdown") || !strcmp(a->format, "md")) fmt = DP_FORMAT_MARKDOWN;
        else if (strcmp(a->format, "yaml")) {
            fprintf(stderr, "dpgen: unknown format '%s' (yaml, json, markdown)\n", DP_SAFE(a->format));
            return EXIT_USAGE;
        }
    }
    if (a->dialect && strcmp(a->dialect, "duckdb") && strcmp(a->dialect, "postgres") &&
        strcmp(a->dialect, "postgresql")) {
        fprintf(stderr, "dpgen: unknown dialect '%s' (duckdb, postgres)\n", DP_SAFE(a->dialect));
        return EXIT_USAGE;
    }
    int rc = open_catalog(&cat, a, &err);
    if (rc)
        return fail(&err, rc);
    /* an answer naming nothing of the catalog is a usage error: say so
     * before running anything */
    for (size_t i = 0; i < a->nchoose; i++)
        if ((rc = dp_catalog_check_choice(cat, a->choose[i], &err))) {
            fprintf(stderr, "dpgen: --choose \"%s\": %s\n", DP_SAFE(a->choose[i]), DP_SAFE(err.message));
            dp_catalog_free(cat);
            return rc == DP_ENOMEM ? 1 : EXIT_USAGE;
        }
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.choose = a->choose;
    go.nchoose = a->nchoose;
    go.dialect = a->dialect;
    go.as_of = a->as_of;
    go.owner = a->owner;
    go.intent_only = intent_only;
    go.record = !a->no_record;
    go.saved_query = a->saved_query;
    go.timeout_ms = a->timeout_ms;
    go.memory_limit = a->memory_limit;
    if (a->columns && strcmp(a->columns, "wide") && strcmp(a->columns, "asked")) {
        fprintf(stderr, "dpgen: --columns is wide or asked, not '%s'\n", DP_SAFE(a->columns));
        code = EXIT_USAGE;
        goto done;
    }
    go.columns = a->columns;
    if (a->openlineage_url && strncmp(a->openlineage_url, "http://", 7) && strncmp(a->openlineage_url, "https://", 8)) {
        fprintf(stderr, "dpgen: --openlineage-url takes an http:// or https:// URL, not '%s'\n",
                DP_SAFE(a->openlineage_url));
        code = EXIT_USAGE;
        goto done;
    }
    /* a language model only when asked (--llm or DPGEN_LLM_URL): no network otherwise */
    if ((rc = dp_llm_open_env(&llm, a->llm, &err))) {
        fprintf(stderr, "dpgen: --llm: %s\n", DP_SAFE(err.message));
        code = EXIT_USAGE;
        goto done;
    }
    go.llm = llm;
    /* drafts only when asked, and only from a configured model */
    const char *draft_env = getenv("DPGEN_LLM_DRAFT");
    go.llm_draft = a->llm_draft || (draft_env && !strcmp(draft_env, "1"));
    if (a->llm_draft && !llm) {
        fputs("dpgen: --llm-draft needs a model (--llm URL or DPGEN_LLM_URL)\n", stderr);
        code = EXIT_USAGE;
        goto done;
    }
    rc = dp_generate(&res, cat, a->text, &go, &err);
    if (rc == DP_ENOTFOUND && a->saved_query) { /* a name the catalog lacks: usage */
        fprintf(stderr, "dpgen: --saved-query: %s\n", DP_SAFE(err.message));
        code = EXIT_USAGE;
        goto done;
    }
    if (intent_only) {
        if (dp_result_intent_json(res))
            printf("%s\n", dp_result_intent_json(res));
        if (rc)
            code = fail(&err, rc);
        goto done;
    }
    if (a->trace && dp_result_trace_json(res))
        fprintf(stderr, "%s\n", dp_result_trace_json(res));
    /* a refusal is a result too: with --format json, what to answer */
    if (rc == DP_ECLARIFY && fmt == DP_FORMAT_JSON && dp_result_clarification_json(res))
        printf("%s\n", dp_result_clarification_json(res));
    /* a question says what else was tried: a language model's readings that failed the checks */
    for (size_t i = 0; rc == DP_ECLARIFY && llm && i < dp_result_warning_count(res); i++)
        fprintf(stderr, "dpgen: warning: %s\n", DP_SAFE(dp_result_warning(res, i)));
    if (rc) {
        code = fail(&err, rc);
        goto done;
    }
    /* an empty or partial answer exits 0 with its spec, and says so */
    for (size_t i = 0; i < dp_result_warning_count(res); i++)
        fprintf(stderr, "dpgen: warning: %s\n", DP_SAFE(dp_result_warning(res, i)));
    if (a->out) {
        if ((rc = dp_result_export(res, a->out, &err))) {
            code = fail(&err, rc);
            goto done;
        }
        fprintf(stderr, "dpgen: wrote the spec and exports to %s\n", a->out);
    }
    /* after the files: a lineage server that refuses loses nothing written */
    if (a->openlineage_url) {
        if ((rc = dp_result_openlineage_post(res, a->openlineage_url, &err))) {
            fprintf(stderr, "dpgen: --openlineage-url: %s\n", err.message);
            if (a->out)
                fprintf(stderr, "dpgen: the exports in %s are complete; only the post failed\n", a->out);
            code = 1;
            goto done;
        }
        fprintf(stderr, "dpgen: sent the OpenLineage run event to the lineage server\n");
    }
    fputs(dp_result_spec(res, fmt), stdout);
    if (fmt == DP_FORMAT_JSON)
        fputc('\n', stdout);
done:
    dp_result_free(res);
    dp_llm_free(llm);
    dp_catalog_free(cat);
    return code;
}

/* catalog check | list KIND | dimension-values NAME: text unless --format
 * json; check exits 1 when the catalog has problems (for CI). -1: not one
 * of these. */
static int cmd_catalog_dbt(const args *a, dp_catalog *cat)
{
    int check = !strcmp(a->sub, "check"), values = !strcmp(a->sub, "dimension-values");
    int kinds = !strcmp(a->sub, "list") && a->text;
    if (!check && !values && !kinds)
        return -1;
    if (a->format && strcmp(a->format, "json") && strcmp(a->format, "text")) {
        fprintf(stderr, "dpgen: catalog %s: unknown format '%s' (text, json)\n", a->sub, DP_SAFE(a->format));
        return EXIT_USAGE;
    }
    dp_format fmt = a->format && !strcmp(a->format, "json") ? DP_FORMAT_JSON : DP_FORMAT_YAML; /* YAML: text */
    dp_error err = {0};
    char *out = NULL;
    size_t nproblems = 0;
    if (values && !a->text) {
        fprintf(stderr, "dpgen: catalog dimension-values needs NAME (entity__dim or model.dim)\n");
        return EXIT_USAGE;
    }
    int rc = check ? dp_catalog_check(&out, cat, fmt, &nproblems, &err)
             : values ? dp_catalog_dimension_values(&out, cat, a->text, fmt, &err)
                      : dp_catalog_list_kind(&out, cat, a->text, fmt, &err);
    if (rc) {
        /* a name or kind the catalog does not have is the user's to fix */
        if (rc == DP_ENOTFOUND || rc == DP_EINVALID) {
            fprintf(stderr, "dpgen: %s\n", DP_SAFE(err.message));
            return EXIT_USAGE;
        }
        return fail(&err, rc);
    }
    fputs(out, stdout);
    if (fmt == DP_FORMAT_JSON)
        fputc('\n', stdout);
    free(out);
    return nproblems ? 1 : 0;
}

static int cmd_catalog(const args *a)
{
    dp_error err = {0};
    dp_catalog *cat = NULL;
    char *out = NULL;
    int rc;
    if (!a->sub) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    args b = *a;
    if (!strcmp(a->sub, "profile"))
        b.refresh = 1;
    if ((rc = open_catalog(&cat, &b, &err)))
        return fail(&err, rc);
    int dbt = cmd_catalog_dbt(a, cat);
    if (dbt >= 0) {
        dp_catalog_free(cat);
        return dbt;
    }
    if (!strcmp(a->sub, "list"))
        rc = dp_catalog_list(&out, cat, &err);
    else if (!strcmp(a->sub, "search"))
        rc = a->text ? dp_catalog_search(&out, cat, a->text, 10, &err) : (err.code = DP_EINVALID, snprintf(err.message, sizeof(err.message), "search needs text"), DP_EINVALID);
    else if (!strcmp(a->sub, "show"))
        rc = a->text ? dp_catalog_show(&out, cat, a->text, &err) : (snprintf(err.message, sizeof(err.message), "show needs a name"), DP_EINVALID);
    else if (!strcmp(a->sub, "profile"))
        rc = dp_catalog_list(&out, cat, &err);
    else if (!strcmp(a->sub, "learn") || !strcmp(a->sub, "forget")) {
        int learn = a->sub[0] == 'l';
        if (!a->text || (learn && !a->text2)) {
            fprintf(stderr, "dpgen: catalog %s\n%s", learn ? "learn needs PHRASE NAME" : "forget needs PHRASE", usage);
            dp_catalog_free(cat);
            return EXIT_USAGE;
        }
        rc = learn ? dp_catalog_learn(cat, a->text, a->text2, &err) : dp_catalog_forget(cat, a->text, &err);
        if (!rc)
            fprintf(stderr, learn ? "dpgen: learned '%s' as %s for this catalog\n" : "dpgen: forgot '%s'%s\n",
                    DP_SAFE(a->text), learn ? DP_SAFE(a->text2) : "");
        /* a name or phrase the catalog does not have is the user's to fix */
        int code = rc == DP_ENOTFOUND || rc == DP_EINVALID
                       ? (fprintf(stderr, "dpgen: %s\n", DP_SAFE(err.message)), EXIT_USAGE)
                   : rc ? fail(&err, rc)
                        : 0;
        dp_catalog_free(cat);
        return code;
    }
    else {
        fprintf(stderr, "dpgen: unknown catalog command '%s'\n%s", DP_SAFE(a->sub), usage);
        dp_catalog_free(cat);
        return EXIT_USAGE;
    }
    int code = rc ? fail(&err, rc) : 0;
    if (!rc)
        printf("%s\n", out);
    free(out);
    dp_catalog_free(cat);
    return code;
}

int main(int argc, char **argv)
{
    args a;
    if (argc >= 2 && !strcmp(argv[1], "serve"))
        return dp_serve_main(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "mcp"))
        return dp_mcp_main(argc - 1, argv + 1);
    if (parse(&a, argc, argv)) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(a.cmd, "generate"))
        return cmd_generate(&a, 0);
    if (!strcmp(a.cmd, "intent"))
        return cmd_generate(&a, 1);
    if (!strcmp(a.cmd, "catalog"))
        return cmd_catalog(&a);
    if (!strcmp(a.cmd, "demo")) {
        dp_error err = {0};
        const char *path = a.out ? a.out : dp_demo_db_path();
        if (a.sql) {
            if (!a.out) {
                fputs("dpgen: demo --sql FILE needs --out PATH\n", stderr);
                return EXIT_USAGE;
            }
            int rc = dp_db_build(a.out, a.sql, a.scale, &err);
            if (rc)
                return fail(&err, rc);
            fprintf(stderr, "dpgen: database built at %s from %s\n", a.out, a.sql);
            return 0;
        }
        FILE *f = fopen(path, "rb");
        if (f && !a.out && a.scale == 1.0) {
            fclose(f);
            fprintf(stderr, "dpgen: demo database ready at %s\n", path);
            return 0;
        }
        if (f)
            fclose(f);
        int rc = dp_demo_build(path, a.scale, &err);
        if (rc)
            return fail(&err, rc);
        fprintf(stderr, "dpgen: demo database built at %s (scale %g)\n", path, a.scale);
        return 0;
    }
    if (!strcmp(a.cmd, "runs")) {
        dp_error err = {0};
        char *out = NULL;
        int rc = dp_runs_list(&out, a.state, a.limit, &err);
        if (rc)
            return fail(&err, rc);
        printf("%s\n", out);
        free(out);
        return 0;
    }
    if (!strcmp(a.cmd, "version") || !strcmp(a.cmd, "--version")) {
        printf("dpgen %s\n", dp_version());
        return 0;
    }
    fprintf(stderr, "dpgen: unknown command '%s'\n%s", DP_SAFE(a.cmd), usage);
    return EXIT_USAGE;
}
