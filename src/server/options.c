/* Catalog options of `dpgen serve` and `dpgen mcp` (options.h). */
#include "server/options.h"
#include <stddef.h>
#include <string.h>

int dp_srv_catalog_option(dp_catalog_options *co, const char *opt, const char *val)
{
    static const struct {
        const char *name;
        size_t off;
    } opts[] = {
        {"--db", offsetof(dp_catalog_options, db_path)},
        {"--models", offsetof(dp_catalog_options, models_path)},
        {"--glossary", offsetof(dp_catalog_options, glossary_path)},
        {"--state", offsetof(dp_catalog_options, state_dir)},
        {"--manifest", offsetof(dp_catalog_options, manifest_path)},
        {"--schema", offsetof(dp_catalog_options, schema)},
    };
    for (size_t i = 0; i < sizeof(opts) / sizeof(*opts); i++)
        if (!strcmp(opt, opts[i].name)) {
            *(const char **)((char *)co + opts[i].off) = val;
            return 1;
        }
    return 0;
}

const char *dp_srv_catalog_options_check(const dp_catalog_options *co)
{
    if (!co->db_path != !co->models_path && !co->manifest_path)
        return "give both --db and --models (or neither, for the demo)";
    return NULL;
}
