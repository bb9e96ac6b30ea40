/* dbt's docs blocks ({% docs name %} ... {% enddocs %} in .md files), which
 * {{ doc('name') }} in a description renders, as dbt does. */
#include "catalog/dbt_project.h"
#include "catalog/load.h"
#include "util/error.h"
#include "util/fs.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DOC_FILE (4u << 20) /* one .md file */
#define MAX_DOCS 20000

static const char *skip_ws(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    return s;
}

/* "{%- docs name -%}" at s: the name's bounds and the tag's end, else 0. */
static int docs_tag(const char *s, const char *word, const char **name, size_t *nlen, const char **end)
{
    if (s[0] != '{' || s[1] != '%')
        return 0;
    const char *q = skip_ws(s + 2 + (s[2] == '-'));
    size_t wl = strlen(word);
    if (strncmp(q, word, wl) || !(isspace((unsigned char)q[wl]) || q[wl] == '-' || q[wl] == '%'))
        return 0;
    q = skip_ws(q + wl);
    const char *n0 = q;
    while (isalnum((unsigned char)*q) || *q == '_')
        q++;
    *name = n0;
    *nlen = (size_t)(q - n0);
    const char *close = strstr(q, "%}");
    if (!close)
        return 0;
    *end = close + 2;
    return 1;
}

static int add_blocks(dp_dbt_project *p, dp_arena *a, const char *text, size_t *cap, dp_error *err)
{
    for (const char *s = strstr(text, "{%"); s; s = strstr(s + 2, "{%")) {
        const char *name, *body;
        size_t nlen;
        if (!docs_tag(s, "docs", &name, &nlen, &body) || !nlen)
            continue;
        const char *e = body, *en, *after;
        size_t el;
        while ((e = strstr(e, "{%")) && !docs_tag(e, "enddocs", &en, &el, &after))
            e += 2;
        if (!e)
            break;
        const char *b = skip_ws(body);
        const char *z = e;
        while (z > b && isspace((unsigned char)z[-1]))
            z--;
        dp_jinja_var d = {dp_arena_strndup(a, name, nlen), dp_arena_strndup(a, b, (size_t)(z - b))};
        if (p->ndocs >= MAX_DOCS)
            return 0;
        if (!d.name || !d.value || DP_VEC_PUSH(a, p->docs, p->ndocs, *cap, d))
            return dp_error_set(err, DP_ENOMEM, "out of memory");
        s = after - 2;
    }
    return 0;
}

int dp_dbt_docs_read(dp_dbt_project *p, dp_arena *a, dp_error *err)
{
    size_t cap = 0;
    const char *extra = dp_arena_printf(a, "%s/docs", p->dir);
    for (size_t i = 0; i <= p->nmodel_paths; i++) {
        const char *dir = i < p->nmodel_paths ? p->model_paths[i] : extra;
        struct stat st;
        if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        const char **files;
        size_t n;
        int rc = dp_list_files_ext(&files, &n, a, dir, ".md", err);
        if (rc)
            return rc;
        for (size_t k = 0; k < n; k++) {
            char *text = NULL;
            size_t len = 0;
            /* a file that cannot be read only leaves its docs unrendered */
            if (dp_fs_read_file(files[k], MAX_DOC_FILE, &text, &len) == 0) {
                rc = add_blocks(p, a, text, &cap, err);
                free(text);
                if (rc)
                    return rc;
            }
        }
    }
    return 0;
}
