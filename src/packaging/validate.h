/* Validation of documents dpgen writes: the spec against its published
 * JSON Schema (schemas/dpgen-spec-1.0.json, compiled into the library), and
 * YAML trees turned into JSON so exported YAML files can be checked against
 * the official ODCS and dbt schemas. */
#ifndef DP_PACKAGING_VALIDATE_H
#define DP_PACKAGING_VALIDATE_H
#include <jansson.h>
#include "doc/node.h"
#include "dpgen/dpgen.h"

/* Name of the spec schema in share/ (and schemas/). */
#define DP_SPEC_SCHEMA_NAME "dpgen-spec-1.0.json"

/* Converts a YAML tree to JSON the way a YAML 1.2 core-schema reader does:
 * plain true/false -> booleans, plain integers and floats -> numbers, plain
 * null, ~ and empty -> null; quoted scalars stay strings; map keys are
 * strings. *out is a new reference the caller owns. Returns 0, DP_ELIMIT
 * (nesting deeper than DP_YAML_MAX_DEPTH) or DP_ENOMEM. */
int dp_packaging__yaml_to_json(json_t **out, const dp_node *node, dp_error *err);

/* Reads a YAML file into JSON (dp_yaml_load_file, then the conversion
 * above). Errors name the file, line and column. */
int dp_packaging__yaml_file_to_json(json_t **out, const char *path, dp_error *err);

/* Validates a complete spec (with its execution section) against the
 * embedded dpgen-spec-1.0.json. The schema is compiled once per process
 * (pthread_once) and then shared read-only, so any thread may call this.
 * Returns 0, or DP_ERROR with "spec does not validate against
 * dpgen-spec-1.0.json: <JSON pointer>: <what failed>". */
int dp_packaging__spec_validate(const json_t *spec, dp_error *err);

#endif
