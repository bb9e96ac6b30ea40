/* Files of an export: written whole, under the export folder. */
#include "util/fs.h"
#include "doc/emit.h"
#include "packaging/export_int.h"
#include "util/buf.h"
#include "util/error.h"
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *dp_export__str(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

int dp_export__mkdirp(const char *path, dp_error *err)
{
    if (dp_mkdirs(path, 0))
        return dp_error_set(err, DP_EINVALID, "%s: %s", path, strerror(errno));
    return 0;
}

int dp_export__write_file(const char *dir, const char *rel, const char *text, dp_error *err)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof(path), "%s/%s", dir, rel) >= (int)sizeof(path))
        return dp_error_set(err, DP_EINVALID, "%s/%s: path too long", dir, rel);
    char *slash = strrchr(path, '/');
    *slash = 0;
    int rc = dp_export__mkdirp(path, err);
    *slash = '/';
    if (rc)
        return rc;
    FILE *f = fopen(path, "wb");
    if (!f)
        return dp_error_set(err, DP_EINVALID, "%s: %s", path, strerror(errno));
    size_t n = strlen(text);
    int bad = fwrite(text, 1, n, f) != n;
    bad |= fclose(f) != 0;
    return bad ? dp_error_set(err, DP_EINVALID, "%s: write failed", path) : 0;
}

int dp_export__write_yaml(const char *dir, const char *rel, const json_t *v, dp_error *err)
{
    if (!v)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    dp_buf b;
    dp_buf_init(&b, 0);
    int rc = dp_yaml_emit(&b, v) ? dp_error_set(err, DP_ELIMIT, "%s: too large", rel)
                                 : dp_export__write_file(dir, rel, dp_buf_cstr(&b), err);
    dp_buf_dispose(&b);
    return rc;
}

int dp_export__write_json(const char *dir, const char *rel, const json_t *v, dp_error *err)
{
    char *s = v ? dp_json_dump(v) : NULL;
    int rc = s ? dp_export__write_file(dir, rel, s, err) : dp_error_set(err, DP_ENOMEM, "out of memory");
    free(s);
    return rc;
}

/* Comment text: one line, nothing Jinja would evaluate. */
void dp_export__comment(dp_buf *b, const char *s)
{
    for (; *s; s++)
        dp_buf_putc(b, *s == '\n' || *s == '\r' ? ' ' : *s == '{' ? '(' : *s == '}' ? ')' : *s);
}

/* Catalog text in a file dbt renders as Jinja (its YAML): each opening
 * delimiter becomes an expression printing it, so dbt shows the text as
 * written and evaluates none of it ("{{" -> "{{ '{{' }}"). */
static char *jinja_literal(const char *s)
{
    if (!strstr(s, "{{") && !strstr(s, "{%") && !strstr(s, "{#"))
        return NULL;
    dp_buf b;
    dp_buf_init(&b, 0);
    for (; *s; s++) {
        if (s[0] == '{' && (s[1] == '{' || s[1] == '%' || s[1] == '#')) {
            dp_buf_printf(&b, "{{ '{%c' }}", s[1]);
            s++;
        } else {
            dp_buf_putc(&b, *s);
        }
    }
    if (b.toobig) {
        dp_buf_dispose(&b);
        return NULL;
    }
    return dp_buf_detach(&b);
}

int dp_export__jinja_literal_tree(json_t *v)
{
    size_t i;
    const char *k;
    json_t *e;
    if (json_is_string(v)) {
        char *s = jinja_literal(json_string_value(v));
        int rc = s ? json_string_set(v, s) : 0;
        free(s);
        return rc;
    }
    if (json_is_array(v))
        json_array_foreach(v, i, e)
            if (dp_export__jinja_literal_tree(e))
                return -1;
    if (json_is_object(v))
        json_object_foreach(v, k, e)
            if (dp_export__jinja_literal_tree(e))
                return -1;
    return 0;
}
