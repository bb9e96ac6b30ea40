/* JSON Schema validation over jansson values: draft-07, plus the 2019-09 and
 * 2020-12 keywords dpgen's schemas use (ODCS 3.1, dbt).
 *
 * Supported: type, enum, const, properties, required, additionalProperties,
 * patternProperties, propertyNames, min/maxProperties, dependencies,
 * dependentRequired, dependentSchemas, items (schema or array),
 * additionalItems, prefixItems, contains, min/maxContains, min/maxItems,
 * uniqueItems, minimum, maximum, exclusiveMinimum/Maximum (number form, and
 * the draft-04 boolean form), multipleOf, min/maxLength (code points),
 * pattern, allOf, anyOf, oneOf, not, if/then/else, unevaluatedProperties,
 * unevaluatedItems, $ref (JSON pointers, $id/$anchor names, other documents
 * given as resources), $id, $anchor, $defs/definitions, boolean schemas.
 * "format" and the content keywords are annotations (always pass) unless
 * dp_jsonschema__assert_formats turns "format" into an assertion; other
 * unknown keywords are ignored. A root "$schema" naming 2019-09 or 2020-12
 * makes $ref apply beside its sibling keywords; otherwise (draft-07) $ref
 * replaces them.
 *
 * Not supported, reported when the schema is compiled (never silently
 * passed): $recursiveRef and $dynamicRef, $ref to documents that were not
 * given (nothing is fetched), and regular expressions that cannot be
 * translated.
 *
 * Patterns are ECMA-262 regular expressions translated to POSIX EREs
 * (regcomp, run in a UTF-8 locale when one exists so "." and quantifiers
 * count code points). Translated: literals, ".", classes with ranges and
 * negation, \d \D \w \W \s \S (ASCII \d and \w as in ECMA-262), \n \t \r \f
 * \v \xHH \uHHHH \u{H..} \cX, groups (?:...) and (?<name>...), greedy and
 * lazy quantifiers (laziness does not change whether a string matches),
 * anchors, alternation, and lookaheads (?=...) (?!...) at the very start
 * of the pattern (optionally after "^") followed by a body without
 * top-level "|". Reported as untranslatable: lookbehind, lookahead
 * elsewhere, backreferences, \b \B, \p{...}, \0, ranges of more than 1024
 * non-ASCII code points, repetition counts above 1000. Line terminators
 * other than \n \r U+2028 U+2029 are not special to "."; \s is the
 * ECMA-262 white space set only in a UTF-8 locale (else ASCII).
 *
 * A compiled schema is read-only: any number of threads may validate
 * against it at once. */
#ifndef DP_DOC_JSONSCHEMA_H
#define DP_DOC_JSONSCHEMA_H
#include <jansson.h>
#include <stddef.h>

#include "dpgen/dpgen.h"

typedef struct dp_jsonschema dp_jsonschema;

/* Schema evaluation depth (nested subschemas and $ref hops) beyond which
 * validation stops with DP_ELIMIT: a guard against recursive schemas and
 * hostile instances, not a limit real documents reach. */
#define DP_JSONSCHEMA_MAX_DEPTH 128

/* Compiles a schema document: resolves every $ref, translates every
 * pattern. Keeps a reference to schema (released by dp_jsonschema_free), so
 * the caller may drop its own. Returns 0, DP_EINVALID (bad or unsupported
 * schema, message names the schema location), DP_ELIMIT or DP_ENOMEM. */
int dp_jsonschema_new(dp_jsonschema **out, json_t *schema, dp_error *err);

/* As dp_jsonschema_new, with other documents $ref may name: resources is a
 * JSON object from absolute URI (e.g. "http://json-schema.org/draft-07/
 * schema") to schema document, or NULL. A reference to it is kept too. */
int dp_jsonschema__new_with(dp_jsonschema **out, json_t *schema, json_t *resources,
                            dp_error *err);

void dp_jsonschema_free(dp_jsonschema *s);

/* Makes "format" an assertion for date-time, date, time (RFC 3339), uri
 * (an absolute RFC 3986 URI) and uuid; other formats stay annotations. Call
 * before the schema is shared between threads. */
void dp_jsonschema__assert_formats(dp_jsonschema *s, int on);

/* Validates instance. Returns 0 when valid; DP_EINVALID when not, with
 * err->message "<JSON pointer>: <what failed>" for the first failure (the
 * root is written "(root)"), e.g. "/columns/2/type: expected string, got
 * integer". When errors_out is a JSON array, up to max_errors such messages
 * are appended to it. DP_ELIMIT when the evaluation gets deeper than
 * DP_JSONSCHEMA_MAX_DEPTH, DP_ENOMEM on allocation failure. */
int dp_jsonschema_validate(const dp_jsonschema *s, const json_t *instance, json_t *errors_out,
                           size_t max_errors, dp_error *err);

#endif
