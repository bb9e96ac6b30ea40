/* Unit tests: parsed YAML kept in the state (doc/yaml_cache.c). A kept tree
 * reads back equal to the parser's (kinds, texts, keys, positions, plain,
 * braces, the file that names it) for every file of the YAML fuzz corpus
 * and of test catalogs; shared anchors stay shared; an edit is a miss; a
 * damaged entry (any byte changed, cut short) is a miss, never a crash or
 * another tree; the loader of many files keeps and then reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "doc/node.h"
#include "doc/yaml_cache.h"
#include "util/error.h"
#include "testutil.h"

/* Deep equality; the file compared by name. */
static int same(const dp_node *a, const dp_node *b, int depth)
{
    if (depth > 2000)
        return 0;
    if (a->kind != b->kind || a->line != b->line || a->col != b->col || !a->plain != !b->plain ||
        !a->braces != !b->braces || a->n != b->n || strcmp(a->file, b->file))
        return 0;
    if (a->kind == DP_NODE_SCALAR)
        return !strcmp(a->value, b->value);
    for (size_t k = 0; k < a->n; k++)
        if ((a->kind == DP_NODE_MAP && strcmp(a->keys[k], b->keys[k])) || !same(a->items[k], b->items[k], depth + 1))
            return 0;
    return 1;
}

typedef struct corpus {
    const char *dir;
    size_t parsed, kept, equal;
} corpus;

static void roundtrip(const char *name, unsigned char *data, size_t len, void *payload)
{
    corpus *c = payload;
    dp_arena *a = dp_arena_new(1 << 16), *b = dp_arena_new(1 << 16);
    dp_node *parsed = NULL, *read = NULL;
    dp_error err = {0};
    dp_yaml_cache_key k;
    dp_yaml_cache_key_of((const char *)data, len, &k);
    if (a && b && dp_yaml_parse(&parsed, a, name, (const char *)data, len, &err) == 0) {
        c->parsed++;
        if (dp_yaml_cache_put(c->dir, &k, parsed) != 0)
            fprintf(stderr, "%s: not kept\n", name);
        else {
            c->kept++;
            if (dp_yaml_cache_get(c->dir, &k, name, b, &read) == 0 && same(parsed, read, 0))
                c->equal++;
            else
                fprintf(stderr, "%s: not read back equal\n", name);
        }
    }
    dp_arena_free(a);
    dp_arena_free(b);
}

static void every_corpus_file_reads_back_equal(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-ycache-XXXXXX", src[600];
    assert_non_null(mkdtemp(dir));
    corpus c = {dir, 0, 0, 0};
    const char *corpora[] = {"fuzz/corpus/yaml",   "tests/data/hr",           "tests/data/logistics",
                             "tests/data/fitness", "tests/data/typed_fields", "tests/data/mfspec_scd",
                             "tests/data/limits",  "tests/data/broken"};
    for (size_t i = 0; i < sizeof(corpora) / sizeof(corpora[0]); i++) {
        snprintf(src, sizeof(src), "%s/%s", tu_source_dir(), corpora[i]);
        tu_corpus_each(src, roundtrip, &c, NULL);
    }
    fprintf(stderr, "%zu parsed, %zu kept, %zu read back equal\n", c.parsed, c.kept, c.equal);
    assert_true(c.parsed >= 20);
    assert_int_equal(c.kept, c.parsed);
    assert_int_equal(c.equal, c.kept);
    tu_rm_tree(dir);
}

static const char *ANCHORED = "base: &b\n  type: categorical\n  expr: \"{{ x }}\"\n"
                              "dims:\n  - *b\n  - *b\n  - <<: *b\n    name: 'quoted'\n  - ~\n";

/* Anchors stay shared (written once), and a file of the same content under
 * another name reads back naming that file. */
static void anchors_stay_shared(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-ycache-XXXXXX";
    assert_non_null(mkdtemp(dir));
    dp_arena *a = dp_arena_new(1 << 12);
    dp_node *t = NULL, *r = NULL;
    dp_error err = {0};
    assert_int_equal(dp_yaml_parse(&t, a, "one.yml", ANCHORED, strlen(ANCHORED), &err), 0);
    dp_yaml_cache_key k;
    dp_yaml_cache_key_of(ANCHORED, strlen(ANCHORED), &k);
    assert_int_equal(dp_yaml_cache_put(dir, &k, t), 0);
    assert_int_equal(dp_yaml_cache_get(dir, &k, "two.yml", a, &r), 0);
    const dp_node *dims = dp_node_get(r, "dims");
    assert_non_null(dims);
    assert_int_equal(dims->n, 4);
    assert_ptr_equal(dims->items[0], dims->items[1]); /* one node, as the parser made it */
    assert_ptr_equal(dims->items[0], dp_node_get(r, "base"));
    assert_string_equal(dims->items[0]->file, "two.yml");
    assert_string_equal(dp_node_str(dims->items[0], "expr"), "{{ x }}");
    assert_true(dims->items[0]->braces);
    assert_string_equal(dp_node_str(dims->items[2], "type"), "categorical"); /* through the merge key */
    assert_true(dp_node_is_null(dims->items[3]));
    /* one byte more is other content: a miss */
    char *edited = malloc(strlen(ANCHORED) + 2);
    snprintf(edited, strlen(ANCHORED) + 2, "%s ", ANCHORED);
    dp_yaml_cache_key_of(edited, strlen(edited), &k);
    assert_int_equal(dp_yaml_cache_get(dir, &k, "one.yml", a, &r), -1);
    edited[strlen(ANCHORED)] = 0;
    edited[5] = 'X'; /* same length, one byte changed */
    dp_yaml_cache_key_of(edited, strlen(edited), &k);
    assert_int_equal(dp_yaml_cache_get(dir, &k, "one.yml", a, &r), -1);
    free(edited);
    dp_arena_free(a);
    tu_rm_tree(dir);
}

/* The one entry of dir (its path into out). */
static void only_entry(const char *dir, char *out, size_t n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    out[0] = 0;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.')
            snprintf(out, n, "%s/%s", dir, e->d_name);
    if (d)
        closedir(d);
}

static void write_bytes(const char *path, const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
}

/* Every byte of an entry changed in turn, and the entry cut at every
 * length: each read is a miss (the header checks, the body's hash), never
 * a crash (ASan) or a tree other than the parser's. */
static void damaged_entries_are_misses(void **state)
{
    (void)state;
    char dir[] = "/tmp/dp-ycache-XXXXXX", entry[700];
    assert_non_null(mkdtemp(dir));
    dp_arena *a = dp_arena_new(1 << 12);
    dp_node *t = NULL, *r = NULL;
    dp_error err = {0};
    size_t len = strlen(ANCHORED);
    assert_int_equal(dp_yaml_parse(&t, a, "f.yml", ANCHORED, len, &err), 0);
    dp_yaml_cache_key k;
    dp_yaml_cache_key_of(ANCHORED, len, &k);
    assert_int_equal(dp_yaml_cache_put(dir, &k, t), 0);
    only_entry(dir, entry, sizeof(entry));
    size_t n = 0;
    unsigned char *good = (unsigned char *)tu_read_text(entry, &n);
    assert_non_null(good);
    assert_true(n > 100);
    unsigned char *bad = malloc(n);
    size_t misses = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(bad, good, n);
        bad[i] ^= 0x5a;
        write_bytes(entry, bad, n);
        dp_arena *b = dp_arena_new(1 << 12);
        misses += dp_yaml_cache_get(dir, &k, "f.yml", b, &r) == -1;
        dp_arena_free(b);
    }
    assert_int_equal(misses, n);
    for (size_t cut = 0; cut < n; cut += 7) {
        write_bytes(entry, good, cut);
        dp_arena *b = dp_arena_new(1 << 12);
        assert_int_equal(dp_yaml_cache_get(dir, &k, "f.yml", b, &r), -1);
        dp_arena_free(b);
    }
    write_bytes(entry, good, n); /* whole again: read */
    assert_int_equal(dp_yaml_cache_get(dir, &k, "f.yml", a, &r), 0);
    assert_true(same(t, r, 0));
    free(good);
    free(bad);
    dp_arena_free(a);
    tu_rm_tree(dir);
}

typedef struct seen {
    size_t n;
    char names[4][64];
} seen;

static int record(void *ctx, size_t i, const dp_node *tree)
{
    seen *s = ctx;
    const char *v = dp_node_str(tree, "name");
    snprintf(s->names[i], sizeof(s->names[i]), "%s", v ? v : "?");
    s->n++;
    return 0;
}

/* The loader of many files keeps each tree and reads it back on the next
 * load; a file edited between loads is parsed again. */
static void load_files_keeps_and_reads(void **state)
{
    (void)state;
    char top[] = "/tmp/dp-ycache-XXXXXX", cache[300], paths[4][300], entry[700];
    assert_non_null(mkdtemp(top));
    snprintf(cache, sizeof(cache), "%s/cache/yaml", top);
    const char *files[4];
    for (int i = 0; i < 4; i++) {
        snprintf(paths[i], sizeof(paths[i]), "%s/f%d.yml", top, i);
        char text[64];
        snprintf(text, sizeof(text), "name: file%d\n", i);
        write_bytes(paths[i], (const unsigned char *)text, strlen(text));
        files[i] = paths[i];
    }
    dp_error err = {0};
    seen s = {0};
    assert_int_equal(dp_yaml_load_files(files, 4, 2, cache, record, &s, &err), 0);
    assert_string_equal(s.names[3], "file3");
    DIR *d = opendir(cache);
    size_t entries = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        entries += e->d_name[0] != '.';
    if (d)
        closedir(d);
    assert_int_equal(entries, 4);
    /* an entry changed by hand: the next load must not read it (the body's hash) */
    dp_yaml_cache_key k;
    dp_yaml_cache_key_of("name: file0\n", 12, &k);
    snprintf(entry, sizeof(entry), "%s/%016llx%016llx.yt", cache, (unsigned long long)k.h1, (unsigned long long)k.h2);
    size_t n = 0;
    char *bytes = tu_read_text(entry, &n);
    assert_non_null(bytes);
    char *at = memmem(bytes, n, "file0", 5);
    assert_non_null(at);
    at[4] = '9';
    write_bytes(entry, (unsigned char *)bytes, n);
    free(bytes);
    write_bytes(paths[2], (const unsigned char *)"name: edited\n", 13);
    memset(&s, 0, sizeof(s));
    assert_int_equal(dp_yaml_load_files(files, 4, 2, cache, record, &s, &err), 0);
    assert_string_equal(s.names[0], "file0");
    assert_string_equal(s.names[1], "file1");
    assert_string_equal(s.names[2], "edited");
    tu_rm_tree(top);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_corpus_file_reads_back_equal),
        cmocka_unit_test(anchors_stay_shared),
        cmocka_unit_test(damaged_entries_are_misses),
        cmocka_unit_test(load_files_keeps_and_reads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
