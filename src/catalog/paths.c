/* The catalog root and the rewrites that keep machine paths out of what
 * dpgen writes: a spec read on another machine names the catalog's files
 * as the project does ("models/marts/x.yml:12"). */
#include "catalog/paths.h"
#include "catalog/catalog.h"
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *real(dp_arena *a, const char *p)
{
    char buf[PATH_MAX];
    if (!p || !*p || !realpath(p, buf))
        return NULL;
    return dp_arena_strdup(a, buf);
}

static int is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder holding p (arena copy); "." when p has no slash. */
static char *parent(dp_arena *a, const char *p)
{
    const char *s = strrchr(p, '/');
    if (!s)
        return dp_arena_strdup(a, ".");
    return s == p ? dp_arena_strdup(a, "/") : dp_arena_strndup(a, p, (size_t)(s - p));
}

static const char *base(const char *p)
{
    size_t l = strlen(p);
    while (l > 1 && p[l - 1] == '/')
        l--;
    const char *s = p + l;
    while (s > p && s[-1] != '/')
        s--;
    return s;
}

/* -1 when an allocation before it failed (from or to NULL) */
static int add_map(dp_kg *kg, const char *from, const char *to)
{
    if (!from || !to)
        return -1;
    if (strlen(from) < 2 || !strcmp(from, to))
        return 0;
    for (size_t i = 0; i < kg->npath_maps; i++)
        if (!strcmp(kg->path_from[i], from))
            return 0;
    if (kg->npath_maps >= sizeof(kg->path_from) / sizeof(*kg->path_from))
        return 0; /* the root's rewrite comes first: the rest is a nicety */
    kg->path_from[kg->npath_maps] = from;
    kg->path_to[kg->npath_maps++] = to;
    return 0;
}

/* abs (a real path) as shown: relative to the root, else its file name. */
static const char *shown_abs(const dp_kg *kg, const char *abs, dp_arena *a)
{
    size_t rl = kg->path_root ? strlen(kg->path_root) : 0;
    if (rl && !strncmp(abs, kg->path_root, rl) && (abs[rl] == '/' || !abs[rl])) {
        const char *rel = abs + rl + (abs[rl] == '/');
        if (!*rel) {
            size_t sl = strlen(kg->path_shown);
            return sl ? dp_arena_strndup(a, kg->path_shown, sl - 1) : ".";
        }
        return dp_arena_printf(a, "%s%s", kg->path_shown, rel);
    }
    return dp_arena_strdup(a, base(abs));
}

/* given (as the user wrote it) and its real path, both shown as to; a
 * folder also as a prefix. */
static int map_given(dp_kg *kg, const char *given, const char *env)
{
    dp_arena *a = kg->arena;
    if (!given || !*given)
        return 0;
    char *abs = real(a, given);
    if (!abs)
        return 0; /* gone since it was read: shown by its file name */
    const char *to = env ? env : shown_abs(kg, abs, a);
    size_t gl = strlen(given);
    while (gl > 1 && given[gl - 1] == '/')
        gl--;
    const char *g = dp_arena_strndup(a, given, gl);
    if (!g || !to)
        return -1;
    int bad = 0;
    if (is_dir(abs)) {
        const char *to_dir = !strcmp(to, ".") ? "" : dp_arena_printf(a, "%s/", to);
        bad |= add_map(kg, dp_arena_printf(a, "%s/", g), to_dir);
        bad |= add_map(kg, dp_arena_printf(a, "%s/", abs), to_dir);
    }
    bad |= add_map(kg, g, to);
    bad |= add_map(kg, abs, to);
    return bad;
}

int dp_kg__set_root(dp_kg *kg, int demo, dp_error *err)
{
    dp_arena *a = kg->arena;
    const char *given = kg->models_path ? kg->models_path : kg->manifest_path;
    kg->path_root = NULL;
    kg->path_shown = "";
    kg->path_root_kind = "the folder of the catalog";
    const char *env = demo ? getenv("DPGEN_DEMO_CATALOG") : NULL;
    int bad = 0;
    if (demo && env && *env) {
        kg->path_root = real(a, env);
        kg->path_shown = "$DPGEN_DEMO_CATALOG/";
        kg->path_root_kind = "$DPGEN_DEMO_CATALOG, the demo catalog's folder";
    } else if (demo) {
        kg->path_root = real(a, DP_SOURCE_DIR);
        kg->path_root_kind = "dpgen's source tree (the built-in demo)";
    } else if (given) {
        char *start = real(a, is_dir(given) ? given : parent(a, given));
        kg->path_root = start;
        kg->path_root_kind =
            kg->models_path && is_dir(given) ? "the --models folder" : "the folder of the catalog file";
        /* inside a dbt project, its root: paths read as dbt's own
         * ("models/marts/x.yml") */
        char *up = start;
        for (int k = 0; up && k < 4; k++) {
            char *probe = dp_arena_printf(a, "%s/dbt_project.yml", up);
            struct stat st;
            if (probe && stat(probe, &st) == 0) {
                kg->path_root = up;
                kg->path_root_kind = "the dbt project root (dbt_project.yml)";
                break;
            }
            if (!strcmp(up, "/"))
                break;
            up = parent(a, up);
        }
    }
    if (kg->path_root) {
        if (strcmp(kg->path_root, "/"))
            bad |= add_map(kg, dp_arena_printf(a, "%s/", kg->path_root), kg->path_shown);
        else
            kg->path_root = NULL; /* "/" as the root would show every path */
    }
    const char *db_env = demo && getenv("DPGEN_DEMO_DB") && *getenv("DPGEN_DEMO_DB") ? "$DPGEN_DEMO_DB" : NULL;
    bad |= map_given(kg, kg->models_path, NULL);
    bad |= map_given(kg, kg->manifest_path, NULL);
    bad |= map_given(kg, kg->glossary_path, NULL);
    bad |= map_given(kg, kg->db_path, db_env);
    if (bad) /* a path left as it is would reach the spec */
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    return 0;
}

/* Characters of a path: a match must not start or end inside one. */
static int path_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("_.-/~$", c);
}

const char *dp_kg_shown_text(const dp_kg *kg, const char *text, dp_arena *a)
{
    if (!text || !kg->npath_maps)
        return text;
    /* most texts (the spec's strings, walked one by one) hold no path: a
     * match needs one of the paths somewhere, which strstr finds fast */
    int any = 0;
    for (size_t k = 0; k < kg->npath_maps && !any; k++)
        any = strstr(text, kg->path_from[k]) != NULL;
    if (!any)
        return text;
    size_t n = strlen(text), cap = n + 1, off = 0;
    char *out = NULL;
    for (size_t i = 0; i < n;) {
        size_t best = kg->npath_maps, blen = 0;
        if (i == 0 || !path_char(text[i - 1]))
            for (size_t k = 0; k < kg->npath_maps; k++) {
                size_t l = strlen(kg->path_from[k]);
                if (l <= blen || strncmp(text + i, kg->path_from[k], l))
                    continue;
                if (kg->path_from[k][l - 1] != '/' && text[i + l] && path_char(text[i + l]) && text[i + l] != '.')
                    continue;
                if (kg->path_from[k][l - 1] != '/' && text[i + l] == '.' && text[i + l + 1] &&
                    path_char(text[i + l + 1]))
                    continue; /* "x.yml" is not "x" */
                best = k;
                blen = l;
            }
        if (best == kg->npath_maps) {
            if (out)
                out[off++] = text[i];
            i++;
            continue;
        }
        if (!out) {
            cap = n * 2 + 64;
            if (!(out = dp_arena_alloc(a, cap)))
                return text;
            memcpy(out, text, i);
            off = i;
        }
        size_t tl = strlen(kg->path_to[best]);
        if (off + tl + (n - i) + 1 > cap)
            return text; /* cannot grow past twice the text: leave it */
        memcpy(out + off, kg->path_to[best], tl);
        off += tl;
        i += blen;
    }
    if (!out)
        return text;
    out[off] = 0;
    return out;
}

const char *dp_kg_shown_path(const dp_kg *kg, const char *path, dp_arena *a)
{
    if (!path)
        return NULL;
    const char *s = dp_kg_shown_text(kg, path, a);
    if (s && !*s) /* the root itself, written with a slash */
        return ".";
    if (s && s[0] == '/') { /* the root itself, or outside every known folder */
        char *abs = real(a, s);
        return abs ? shown_abs(kg, abs, a) : dp_arena_strdup(a, base(s));
    }
    return s;
}

void dp_kg_shown_json(const dp_kg *kg, json_t *tree, dp_arena *a)
{
    if (!tree || !kg->npath_maps)
        return;
    if (json_is_string(tree)) {
        const char *v = json_string_value(tree), *s = dp_kg_shown_text(kg, v, a);
        if (s && s != v)
            json_string_set(tree, s);
    } else if (json_is_array(tree)) {
        size_t i;
        json_t *x;
        json_array_foreach(tree, i, x)
            dp_kg_shown_json(kg, x, a);
    } else if (json_is_object(tree)) {
        const char *k;
        json_t *x;
        json_object_foreach(tree, k, x)
            dp_kg_shown_json(kg, x, a);
    }
}

/* Every other absolute path of two or more parts (a spill file of the
 * engine's, the state's folder) as its last part: text from a (or text
 * itself when it has none). */
static const char *hide_abs(const char *text, dp_arena *a)
{
    size_t n = strlen(text), off = 0;
    char *out = NULL;
    for (size_t i = 0; i < n;) {
        size_t end = i, slashes = 0, last = i;
        if (text[i] == '/' && (i == 0 || !path_char(text[i - 1])))
            for (; end < n && path_char(text[end]); end++)
                if (text[end] == '/' && end + 1 < n && path_char(text[end + 1]) && text[end + 1] != '/') {
                    slashes++;
                    last = end + 1;
                }
        if (slashes < 2) {
            if (out)
                out[off++] = text[i];
            i++;
            continue;
        }
        if (!out) {
            if (!(out = dp_arena_alloc(a, n + 1)))
                return text;
            memcpy(out, text, i);
            off = i;
        }
        size_t tail = end - last; /* the last part, trailing slashes aside */
        while (tail && text[last + tail - 1] == '/')
            tail--;
        memcpy(out + off, text + last, tail);
        off += tail;
        i = end;
    }
    if (!out)
        return text;
    out[off] = 0;
    return out;
}

int dp_catalog_shown_paths(char **text, dp_catalog *cat, dp_error *err)
{
    if (!text || !*text || !cat)
        return 0;
    dp_arena *a = dp_arena_new(4096);
    if (!a)
        return dp_error_set(err, DP_ENOMEM, "out of memory");
    int rc = 0;
    const char *shown = hide_abs(dp_kg_shown_text(&cat->kg, *text, a), a);
    if (shown != *text) {
        char *copy = strdup(shown);
        if (copy) {
            free(*text);
            *text = copy;
        } else {
            rc = dp_error_set(err, DP_ENOMEM, "out of memory");
        }
    }
    dp_arena_free(a);
    return rc;
}
