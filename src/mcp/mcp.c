/* `dpgen mcp`: the Model Context Protocol over stdio (JSON-RPC 2.0, one
 * message per line), so an AI agent gets governed, validated data product
 * specs from the catalog instead of writing SQL itself. Tools:
 * generate_data_product, search_catalog, describe_dataset, list_metrics;
 * each is one call of the public library (no stage logic here). */
#include "mcp/mcp.h"
#include "server/options.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MCP_LINE_MAX (1024 * 1024) /* bytes of one message; longer is a parse error */

/* Protocol versions this server speaks, newest first: a client asking for
 * one of them gets it; any other request gets the newest. */
static const char *const versions[] = {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};

typedef struct mcp {
    dp_catalog *cat; /* NULL when it did not open: tools answer with the reason */
    char open_error[1024];
    FILE *out;
    dp_llm *llm; /* --llm / DPGEN_LLM_URL; NULL: none */
} mcp;

static void send_msg(mcp *m, json_t *msg)
{
    char *text = json_dumps(msg, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text) {
        fputs(text, m->out);
        fputc('\n', m->out);
        fflush(m->out);
    }
    free(text);
    json_decref(msg);
}

static void send_result(mcp *m, json_t *id, json_t *result)
{
    send_msg(m, json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id", id, "result", result));
}

static void send_error(mcp *m, json_t *id, int code, const char *message)
{
    send_msg(m, json_pack("{s:s,s:O,s:{s:i,s:s}}", "jsonrpc", "2.0", "id", id ? id : json_null(), "error", "code", code,
                          "message", message));
}

/* One tool: name, title, description and its input schema (properties
 * stolen; required: a NULL-ended list). */
static json_t *tool(const char *name, const char *title, const char *desc, json_t *props, const char *const *required)
{
    json_t *req = json_array();
    for (size_t i = 0; required && required[i]; i++)
        json_array_append_new(req, json_string(required[i]));
    return json_pack("{s:s,s:s,s:s,s:{s:s,s:o,s:o,s:b}}", "name", name, "title", title, "description", desc,
                     "inputSchema", "type", "object", "properties", props, "required", req, "additionalProperties", 0);
}

static json_t *tool_list(void)
{
    static const char *const req_request[] = {"request", NULL}, *const req_query[] = {"query", NULL},
                             *const req_name[] = {"name", NULL};
    json_t *tools = json_array();
    json_array_append_new(
        tools,
        tool("generate_data_product", "Generate a data product",
             "Turns a business request in English into a data product specification built from the governed "
             "catalog: intent, source datasets, target table, transformation SQL that was run read-only on the "
             "data, quality rules that were checked, SLA and lineage. When the catalog cannot place every word the "
             "answer is a clarification (status clarify) naming the words and the candidates: ask the user, then "
             "call again with choose [\"phrase=name\"].",
             json_pack(
                 "{s:{s:s,s:s},s:{s:s,s:[s,s]},s:{s:s,s:s},s:{s:s,s:[s,s]},s:{s:s,s:{s:s},s:s},s:{s:s,s:s}}", "request",
                 "type", "string", "description", "The business request, e.g. measures, grouping and period.",
                 "dialect", "type", "string", "enum", "duckdb", "postgres", "as_of", "type", "string", "description",
                 "YYYY-MM-DD: the day relative periods count from (default today).", "columns", "type", "string",
                 "enum", "wide", "asked", "choose", "type", "array", "items", "type", "string", "description",
                 "Answers to a clarification, each \"phrase=name\".", "llm_draft", "type", "boolean", "description",
                 "With a language model configured (dpgen mcp --llm): it drafts the description and "
                 "suggests rules, each checked and run like dpgen's own, marked proposed_by llm."),
             req_request));
    json_array_append_new(tools, tool("search_catalog", "Search the catalog",
                                      "Catalog objects (metrics, dimensions, datasets, glossary terms) ranked by "
                                      "how well they match the text.",
                                      json_pack("{s:{s:s},s:{s:s,s:i,s:i}}", "query", "type", "string", "limit", "type",
                                                "integer", "minimum", 1, "maximum", 100),
                                      req_query));
    json_array_append_new(tools, tool("describe_dataset", "Describe a dataset",
                                      "One dataset of the catalog: its table, description, columns and profile "
                                      "(rows, nulls, freshness).",
                                      json_pack("{s:{s:s}}", "name", "type", "string"), req_name));
    json_array_append_new(tools, tool("list_metrics", "List the metrics",
                                      "Every metric of the catalog with its type, label and status (and why when "
                                      "it is disabled).",
                                      json_object(), NULL));
    return json_pack("{s:o}", "tools", tools);
}

/* A tool's answer: text for the model and the same as structured content
 * when the call succeeded; isError with the message otherwise. */
static json_t *tool_result(json_t *structured, const char *text, int is_error)
{
    json_t *r = json_pack("{s:[{s:s,s:s}],s:b}", "content", "type", "text", "text", text, "isError", is_error);
    if (structured && !is_error)
        json_object_set(r, "structuredContent", structured);
    json_decref(structured);
    return r;
}

static json_t *tool_error(const char *fmt, const char *arg)
{
    char msg[1400];
    snprintf(msg, sizeof(msg), fmt, arg);
    return tool_result(NULL, msg, 1);
}

/* A library JSON document (malloc'd, freed here) as the tool's answer,
 * with the catalog's paths shown relative to its root. */
static json_t *doc_result(mcp *m, char *out)
{
    dp_error ignore = {0};
    dp_catalog_shown_paths(&out, m->cat, &ignore);
    json_t *doc = out ? json_loads(out, 0, NULL) : NULL;
    json_t *r = doc ? tool_result(json_is_object(doc) ? json_incref(doc) : json_pack("{s:O}", "items", doc), out, 0)
                    : tool_error("%s", "the catalog's answer is not JSON");
    json_decref(doc);
    free(out);
    return r;
}

static json_t *lib_error(mcp *m, const dp_error *err)
{
    char *msg = strdup(err->message);
    dp_error ignore = {0};
    dp_catalog_shown_paths(&msg, m->cat, &ignore);
    json_t *r = tool_error("%s", msg ? msg : "failed");
    free(msg);
    return r;
}

static json_t *generate(mcp *m, json_t *args)
{
    const char *request = json_string_value(json_object_get(args, "request"));
    json_t *choose = json_object_get(args, "choose");
    const char *chosen[16];
    if (!request || !*request)
        return tool_error("%s", "request is a non-empty string");
    if (strlen(request) > DP_REQUEST_MAX_BYTES)
        return tool_error("%s", "request is longer than 4000 bytes");
    dp_generate_options go = DP_GENERATE_OPTIONS_INIT;
    go.dialect = json_string_value(json_object_get(args, "dialect"));
    go.as_of = json_string_value(json_object_get(args, "as_of"));
    go.columns = json_string_value(json_object_get(args, "columns"));
    go.llm = m->llm;
    json_t *draft = json_object_get(args, "llm_draft");
    if (draft && !json_is_boolean(draft))
        return tool_error("%s", "llm_draft is true or false");
    if (json_is_true(draft) && !m->llm)
        return tool_error("%s", "llm_draft needs a language model: start dpgen mcp with --llm URL");
    go.llm_draft = json_is_true(draft);
    if (choose) {
        size_t i;
        json_t *c;
        if (!json_is_array(choose) || json_array_size(choose) > 16)
            return tool_error("%s", "choose is a list of at most 16 \"phrase=name\"");
        json_array_foreach(choose, i, c) {
            if (!json_is_string(c))
                return tool_error("%s", "choose holds strings \"phrase=name\"");
            chosen[i] = json_string_value(c);
        }
        go.choose = chosen;
        go.nchoose = json_array_size(choose);
    }
    dp_result *res = NULL;
    dp_error err = {0};
    int rc = dp_generate(&res, m->cat, request, &go, &err);
    json_t *r;
    if (!rc) {
        json_t *spec = json_loads(dp_result_spec(res, DP_FORMAT_JSON), 0, NULL);
        json_t *st = json_pack("{s:s,s:o*}", "status", "ok", "data_product_spec", spec);
        r = tool_result(st, dp_result_spec(res, DP_FORMAT_YAML), 0);
    } else if (rc == DP_ECLARIFY && res && dp_result_clarification_json(res)) {
        json_t *c = json_loads(dp_result_clarification_json(res), 0, NULL);
        json_t *st = json_pack("{s:s,s:O*}", "status", "clarify", "clarification", json_object_get(c, "clarification"));
        const char *q = json_string_value(json_object_get(json_object_get(c, "clarification"), "question"));
        r = tool_result(st, q ? q : err.message, 0);
        json_decref(c);
    } else {
        r = lib_error(m, &err);
    }
    dp_result_free(res);
    return r;
}

static json_t *call_tool(mcp *m, const char *name, json_t *args)
{
    if (!m->cat)
        return tool_error("the catalog did not open: %s", m->open_error);
    dp_error err = {0};
    char *out = NULL;
    int rc;
    if (!strcmp(name, "generate_data_product"))
        return generate(m, args);
    if (!strcmp(name, "search_catalog")) {
        const char *q = json_string_value(json_object_get(args, "query"));
        json_int_t k =
            json_is_integer(json_object_get(args, "limit")) ? json_integer_value(json_object_get(args, "limit")) : 10;
        if (!q || !*q || k < 1 || k > 100)
            return tool_error("%s", "query is a non-empty string, limit 1..100");
        rc = dp_catalog_search(&out, m->cat, q, (int)k, &err);
    } else if (!strcmp(name, "describe_dataset")) {
        const char *n = json_string_value(json_object_get(args, "name"));
        if (!n)
            return tool_error("%s", "name is the dataset's name (search_catalog finds it)");
        rc = dp_catalog_show(&out, m->cat, n, &err);
        json_t *doc = !rc && out ? json_loads(out, 0, NULL) : NULL;
        int is_dataset = doc && json_object_get(doc, "dataset");
        json_decref(doc);
        if (!rc && !is_dataset) {
            free(out);
            return tool_error("'%.200s' is a metric, not a dataset", n);
        }
    } else if (!strcmp(name, "list_metrics")) {
        rc = dp_catalog_list_kind(&out, m->cat, "metrics", DP_FORMAT_JSON, &err);
    } else {
        return NULL; /* unknown tool: a protocol error */
    }
    return rc ? (free(out), lib_error(m, &err)) : doc_result(m, out);
}

static const char *negotiate(json_t *params)
{
    const char *asked = json_string_value(json_object_get(params, "protocolVersion"));
    for (size_t i = 0; asked && i < sizeof(versions) / sizeof(*versions); i++)
        if (!strcmp(asked, versions[i]))
            return versions[i];
    return versions[0];
}

/* One message; requests get exactly one response, notifications none. */
static void handle(mcp *m, const char *line)
{
    json_error_t je;
    json_t *msg = json_loads(line, JSON_REJECT_DUPLICATES, &je);
    if (!msg) {
        send_error(m, NULL, -32700, "parse error: not JSON");
        return;
    }
    json_t *id = json_object_get(msg, "id");
    const char *method = json_string_value(json_object_get(msg, "method"));
    json_t *params = json_object_get(msg, "params");
    int is_request = id && (json_is_string(id) || json_is_integer(id));
    if (!json_is_object(msg) || !method ||
        strcmp(json_string_value(json_object_get(msg, "jsonrpc")) ? json_string_value(json_object_get(msg, "jsonrpc"))
                                                                  : "",
               "2.0") ||
        (id && !is_request)) {
        if (!json_is_object(msg) || !json_object_get(msg, "result")) /* a response to us: nothing to do */
            send_error(m, is_request ? id : NULL, -32600, "invalid request: a JSON-RPC 2.0 object with a method");
        json_decref(msg);
        return;
    }
    if (!is_request) { /* notifications (notifications/initialized, cancelled): no answer */
        json_decref(msg);
        return;
    }
    if (!strcmp(method, "initialize")) {
        send_result(m, id,
                    json_pack("{s:s,s:{s:{s:b}},s:{s:s,s:s,s:s},s:s}", "protocolVersion", negotiate(params),
                              "capabilities", "tools", "listChanged", 0, "serverInfo", "name", "dpgen", "title",
                              "dpgen data product generator", "version", dp_version(), "instructions",
                              "Use generate_data_product to turn a business request into a validated data product "
                              "spec (SQL tested on the data, quality rules checked); use search_catalog, "
                              "list_metrics and describe_dataset to learn the catalog's words first. A clarification "
                              "is an answer: ask the user and call again with choose."));
    } else if (!strcmp(method, "ping")) {
        send_result(m, id, json_object());
    } else if (!strcmp(method, "tools/list")) {
        send_result(m, id, tool_list());
    } else if (!strcmp(method, "tools/call")) {
        const char *name = json_string_value(json_object_get(params, "name"));
        json_t *args = json_object_get(params, "arguments");
        if (!name || (args && !json_is_object(args))) {
            send_error(m, id, -32602, "invalid params: tools/call takes {name, arguments: {...}}");
        } else {
            json_t *r = call_tool(m, name, args ? args : json_object());
            if (r)
                send_result(m, id, r);
            else
                send_error(m, id, -32602, "unknown tool (tools/list names them)");
        }
    } else {
        send_error(m, id, -32601, "method not found");
    }
    json_decref(msg);
}

/* Reads one line (without its newline) into buf; 1 a line, 0 end of input,
 * -1 a line longer than cap (read to its end and dropped). */
static int read_line(FILE *in, char *buf, size_t cap)
{
    size_t n = 0;
    int c, too_long = 0;
    while ((c = getc(in)) != EOF && c != '\n') {
        if (n + 1 < cap)
            buf[n++] = (char)c;
        else
            too_long = 1;
    }
    buf[n] = 0;
    if (c == EOF && !n && !too_long)
        return 0;
    return too_long ? -1 : 1;
}

static const char *usage =
    "usage: dpgen mcp [--db PATH --models PATH] [--glossary PATH] [--state DIR] [--manifest FILE]"
    " [--schema NAME] [--llm URL]\n"
    "  the Model Context Protocol over stdio (JSON-RPC 2.0, one message per line)\n";

int dp_mcp_main(int argc, char **argv)
{
    dp_catalog_options co = DP_CATALOG_OPTIONS_INIT;
    co.engine_recycle_runs = 2048; /* a long-lived process, as the server */
    const char *llm_url = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && !strcmp(argv[i], "--llm")) {
            llm_url = argv[++i];
            continue;
        }
        if (i + 1 >= argc || !dp_srv_catalog_option(&co, argv[i], argv[i + 1])) {
            fprintf(stderr, "dpgen mcp: unknown option %s\n%s", argv[i], usage);
            return 2;
        }
        i++;
    }
    const char *why = dp_srv_catalog_options_check(&co);
    if (why) {
        fprintf(stderr, "dpgen mcp: %s\n", why);
        return 2;
    }
    mcp m = {.out = stdout};
    dp_error err = {0};
    /* a language model only when asked (--llm or DPGEN_LLM_URL) */
    if (dp_llm_open_env(&m.llm, llm_url, &err)) {
        fprintf(stderr, "dpgen mcp: --llm: %s\n", err.message);
        return 2;
    }
    if (dp_catalog_open(&m.cat, &co, &err)) {
        m.cat = NULL;
        snprintf(m.open_error, sizeof(m.open_error), "%s", err.message);
        fprintf(stderr, "dpgen mcp: %s\n", err.message);
    }
    char *line = malloc(MCP_LINE_MAX);
    if (!line)
        return 1;
    int r;
    while ((r = read_line(stdin, line, MCP_LINE_MAX)) != 0) {
        if (r < 0)
            send_error(&m, NULL, -32700, "parse error: a message longer than 1 MiB");
        else if (line[strspn(line, " \t\r")])
            handle(&m, line);
    }
    free(line);
    dp_catalog_free(m.cat);
    dp_llm_free(m.llm);
    return 0;
}
