/* Markdown documentation of a data product, from its spec. */
#include "packaging/render.h"
#include "util/buf.h"
#include <string.h>

static const char *s(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static void cell(dp_buf *b, const char *v)
{
    for (; *v; v++) {
        if (*v == '|')
            dp_buf_puts(b, "\\|");
        else if (*v == '\n')
            dp_buf_putc(b, ' ');
        else
            dp_buf_putc(b, *v);
    }
}

char *dp_render_markdown(const json_t *spec)
{
    dp_buf b;
    dp_buf_init(&b, 0);
    const json_t *md = json_object_get(spec, "metadata"), *bc = json_object_get(spec, "business_context");
    const json_t *dm = json_object_get(spec, "data_model"), *tx = json_object_get(spec, "transformation");
    const json_t *q = json_object_get(spec, "quality"), *sla = json_object_get(spec, "sla");
    dp_buf_printf(&b, "# %s\n\n%s\n\n", s(md, "name"), s(md, "description"));
    dp_buf_printf(&b, "- **Table:** `%s`\n- **Grain:** %s\n- **Owner:** %s\n- **Version:** %s\n\n", s(dm, "target_table"),
                  s(dm, "grain"), s(md, "owner"), s(md, "version"));
    dp_buf_printf(&b, "## Purpose\n\n> %s\n\n## Columns\n\n| column | type | role | description |\n|---|---|---|---|\n",
                  s(bc, "request"));
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(dm, "columns"), i, c) {
        dp_buf_printf(&b, "| `%s` | %s | %s | ", s(c, "name"), s(c, "type"), s(c, "role"));
        cell(&b, s(c, "description"));
        dp_buf_puts(&b, " |\n");
    }
    dp_buf_puts(&b, "\n## Metric definitions\n\n");
    json_array_foreach(json_object_get(bc, "metrics"), i, c) {
        dp_buf_printf(&b, "- **%s** (%s): %s  \n  `%s`\n", s(c, "name"), s(c, "type"), s(c, "definition"), s(c, "formula"));
    }
    dp_buf_puts(&b, "\n## Sources\n\n| dataset | table | rows | freshest |\n|---|---|---|---|\n");
    json_array_foreach(json_object_get(spec, "source_datasets"), i, c)
        dp_buf_printf(&b, "| %s | `%s` | %lld | %s |\n", s(c, "name"), s(c, "table"),
                      (long long)json_integer_value(json_object_get(c, "row_count")), s(c, "freshest"));
    const json_t *lin = json_object_get(spec, "lineage");
    dp_buf_printf(&b, "\n## Lineage\n\n```mermaid\n%s```\n", s(lin, "mermaid"));
    dp_buf_printf(&b, "\n## Transformation (%s)\n\n```sql\n%s\n```\n\nTest run: %lld rows in %.1f ms.\n", s(tx, "dialect"),
                  s(tx, "sql"), (long long)json_integer_value(json_object_get(json_object_get(tx, "test_run"), "rows")),
                  json_real_value(json_object_get(json_object_get(tx, "test_run"), "ms")));
    dp_buf_puts(&b, "\n## Quality rules\n\n| id | rule | severity | source | result |\n|---|---|---|---|---|\n");
    json_array_foreach(json_object_get(q, "rules"), i, c) {
        const json_t *res = json_object_get(c, "result");
        dp_buf_printf(&b, "| %s | ", s(c, "id"));
        cell(&b, s(c, "description"));
        dp_buf_printf(&b, " | %s | %s | %s", s(c, "severity"), s(c, "source"), s(res, "status"));
        if (json_integer_value(json_object_get(res, "failing_rows")))
            dp_buf_printf(&b, " (%lld rows)", (long long)json_integer_value(json_object_get(res, "failing_rows")));
        dp_buf_puts(&b, " |\n");
    }
    dp_buf_puts(&b, "\n## SLA\n\n");
    const char *k;
    json_object_foreach((json_t *)sla, k, c) {
        if (json_object_get(c, "target"))
            dp_buf_printf(&b, "- **%s:** %s (measured by %s)\n", k, s(c, "target"), s(c, "measured_by"));
    }
    return dp_buf_detach(&b);
}
