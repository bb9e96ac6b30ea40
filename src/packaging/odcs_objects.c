/* The schema objects of the ODCS contract: the product's table with its
 * properties (types, keys, lineage) and each source table the product or
 * its rules read. */
#include "packaging/odcs.h"
#include "packaging/odcs_int.h"
#include "util/buf.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *dp_odcs__str(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}
#define str dp_odcs__str

const char *dp_odcs__logical_type(const char *type)
{
    char up[64];
    size_t i = 0;
    for (; type[i] && i + 1 < sizeof(up); i++)
        up[i] = (char)toupper((unsigned char)type[i]);
    up[i] = 0;
    size_t len = strlen(up);
    if (len >= 2 && !strcmp(up + len - 2, "[]"))
        return "array";
    if (!strncmp(up, "STRUCT", 6) || !strncmp(up, "MAP", 3))
        return "object";
    if (!strcmp(up, "DATE"))
        return "date";
    if (!strncmp(up, "TIMESTAMP", 9) || !strcmp(up, "DATETIME"))
        return "timestamp";
    if (!strncmp(up, "TIME", 4))
        return "time";
    if (!strcmp(up, "BOOLEAN") || !strcmp(up, "BOOL"))
        return "boolean";
    static const char *ints[] = {"TINYINT",   "SMALLINT", "INTEGER", "INT",      "BIGINT", "HUGEINT", "UTINYINT",
                                 "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "INT2",   "INT4",    "INT8"};
    for (size_t k = 0; k < sizeof(ints) / sizeof(*ints); k++)
        if (!strcmp(up, ints[k]))
            return "integer";
    if (!strncmp(up, "DECIMAL", 7) || !strncmp(up, "NUMERIC", 7) || !strcmp(up, "DOUBLE") || !strcmp(up, "FLOAT") ||
        !strcmp(up, "REAL") || !strncmp(up, "DOUBLE PRECISION", 16))
        return "number";
    return "string";
}

int dp_odcs__stable_id(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return 0;
    return 1;
}

json_t *dp_packaging__column_sources(const json_t *spec, const char *column)
{
    json_t *out = json_array();
    const json_t *lin = json_object_get(spec, "lineage");
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(lin, "columns"), i, l) {
        if (!strcmp(str(l, "column"), column))
            json_array_extend(out, json_object_get(l, "sources"));
    }
    if (json_array_size(out))
        return out;
    const char *role = "";
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(spec, "data_model"), "columns"), i, c) {
        if (!strcmp(str(c, "name"), column))
            role = str(c, "role");
    }
    if (strcmp(role, "time"))
        return out;
    json_array_foreach(json_object_get(json_object_get(spec, "transformation"), "ctes"), i, c) {
        const char *ds = str(c, "dataset"), *td = str(c, "time_dimension");
        if (*ds && *td)
            json_array_append_new(out, json_sprintf("%s.%s", ds, td));
    }
    return out;
}

/* "dataset.column" -> "schema.table.column" through source_datasets. */
static json_t *qualify(const json_t *spec, json_t *sources)
{
    json_t *out = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(sources, i, s) {
        const char *v = json_string_value(s), *dot = strchr(v, '.');
        const char *table = NULL;
        size_t k;
        json_t *d;
        json_array_foreach(json_object_get(spec, "source_datasets"), k, d) {
            const char *n = str(d, "name");
            if (dot && strlen(n) == (size_t)(dot - v) && !strncmp(n, v, (size_t)(dot - v)))
                table = str(d, "table");
        }
        json_t *q = table ? json_sprintf("%s%s", table, dot) : json_string(v);
        int dup = 0;
        json_t *u;
        json_array_foreach(out, k, u)
            dup |= json_equal(u, q);
        if (dup)
            json_decref(q);
        else
            json_array_append_new(out, q);
    }
    return out;
}

/* A product column: its type is the design's (data_model.columns[].type,
 * the type the dbt contract enforces); a key column is required. */
json_t *dp_odcs__product_property(const json_t *spec, const json_t *col, const json_t *pks)
{
    const char *name = str(col, "name"), *type = str(col, "type");
    json_t *p = json_object();
    if (dp_odcs__stable_id(name))
        json_object_set_new(p, "id", json_string(name));
    json_object_set_new(p, "name", json_string(name));
    json_object_set_new(p, "physicalName", json_string(name));
    json_object_set_new(p, "logicalType", json_string(dp_odcs__logical_type(type)));
    json_object_set_new(p, "physicalType", json_string(type));
    if (*str(col, "description"))
        json_object_set_new(p, "description", json_string(str(col, "description")));
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(json_object_get(spec, "business_context"), "metrics"), i, m) {
        if (!strcmp(str(m, "name"), name) && *str(m, "label"))
            json_object_set_new(p, "businessName", json_string(str(m, "label")));
    }
    int pk = json_is_true(json_object_get(col, "primary_key"));
    json_object_set_new(p, "primaryKey", json_boolean(pk));
    if (pk) {
        json_t *k;
        json_array_foreach(pks, i, k) {
            if (!strcmp(json_string_value(k), name))
                json_object_set_new(p, "primaryKeyPosition", json_integer((json_int_t)i + 1));
        }
    }
    int required = pk;
    json_t *c;
    json_array_foreach(json_object_get(col, "constraints"), i, c)
        required |= !strcmp(json_string_value(c), "not_null");
    json_object_set_new(p, "required", json_boolean(required));
    json_object_set_new(p, "unique", json_boolean(pk && json_array_size(pks) == 1));
    json_t *src = dp_packaging__column_sources(spec, name);
    json_t *objs = qualify(spec, src);
    json_decref(src);
    if (json_array_size(objs))
        json_object_set_new(p, "transformSourceObjects", objs);
    else
        json_decref(objs);
    if (*str(col, "expression"))
        json_object_set_new(p, "transformLogic", json_string(str(col, "expression")));
    json_object_set_new(p, "tags", json_pack("[s]", str(col, "role")));
    return p;
}

/* The source dataset of a table ("schema.table"), NULL if none. */
const json_t *dp_odcs__dataset_of_table(const json_t *spec, const char *table)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(spec, "source_datasets"), i, d) {
        if (!strcmp(str(d, "table"), table))
            return d;
    }
    return NULL;
}

/* A source table as a schema object: its columns as the profile saw them
 * (all of them: the local server keeps only the columns the contract
 * lists, and the rules may read any). */
json_t *dp_odcs__source_object(const json_t *spec, const char *name, const char *table)
{
    const json_t *ds = dp_odcs__dataset_of_table(spec, table);
    json_t *o = json_object();
    if (dp_odcs__stable_id(name))
        json_object_set_new(o, "id", json_string(name));
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "physicalName", json_string(name));
    json_object_set_new(o, "physicalType", json_string("table"));
    json_object_set_new(o, "logicalType", json_string("object"));
    json_object_set_new(o, "description",
                        ds && *str(ds, "description")
                            ? json_sprintf("Source %s (dataset %s): %s", table, str(ds, "name"), str(ds, "description"))
                            : json_sprintf("Source %s, read by the product or its quality rules", table));
    json_object_set_new(o, "tags", json_pack("[s]", "source"));
    json_t *props = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(ds ? json_object_get(ds, "schema") : NULL, i, c) {
        const char *cn = str(c, "name"), *ct = str(c, "type");
        json_t *p = json_object();
        if (dp_odcs__stable_id(cn))
            json_object_set_new(p, "id", json_sprintf("%s_%s", name, cn));
        json_object_set_new(p, "name", json_string(cn));
        json_object_set_new(p, "physicalName", json_string(cn));
        json_object_set_new(p, "logicalType", json_string(dp_odcs__logical_type(ct)));
        json_object_set_new(p, "physicalType", json_string(ct));
        json_array_append_new(props, p);
    }
    if (json_array_size(props))
        json_object_set_new(o, "properties", props);
    else
        json_decref(props);
    return o;
}

/* Adds "schema.table" under its bare name, or schema_table when another
 * schema's table has that name. */
static void add_table(json_t *map, const char *qual)
{
    size_t n;
    const char *k;
    json_t *v;
    json_object_foreach(map, k, v) {
        if (!strcmp(json_string_value(v), qual))
            return;
    }
    const char *dot = strchr(qual, '.');
    const char *bare = dot ? dot + 1 : qual;
    if (!json_object_get(map, bare)) {
        json_object_set_new(map, bare, json_string(qual));
        return;
    }
    char alt[600];
    snprintf(alt, sizeof(alt), "%s", qual);
    for (n = 0; alt[n]; n++)
        if (alt[n] == '.')
            alt[n] = '_';
    if (!json_object_get(map, alt))
        json_object_set_new(map, alt, json_string(qual));
}

json_t *dp_packaging__odcs_tables(const json_t *spec)
{
    const char *target = str(json_object_get(spec, "data_model"), "target_table");
    const char *dot = strchr(target, '.');
    json_t *map = json_object(), *tables = json_array();
    if (!map || !tables)
        goto nomem;
    json_object_set_new(map, dot ? dot + 1 : target, json_string(target));
    size_t i, k;
    json_t *x, *t;
    json_array_foreach(json_object_get(spec, "source_datasets"), i, x) {
        if (*str(x, "table"))
            add_table(map, str(x, "table"));
    }
    json_array_foreach(json_object_get(json_object_get(spec, "quality"), "rules"), i, x) {
        dp_sql_target st = {.temp = target, .result = target, .tables = tables};
        char *sql = dp_packaging__sql_retarget(str(x, "sql"), &st);
        if (!sql)
            goto nomem;
        free(sql);
    }
    json_array_foreach(tables, k, t)
        add_table(map, json_string_value(t));
    json_decref(tables);
    return map;
nomem:
    json_decref(map);
    json_decref(tables);
    return NULL;
}
