/* Between the parts of the JSON Schema validator: the compiled form that
 * jsonschema_compile.c builds and jsonschema.c validates against, and the
 * helpers one part uses from another (jsonschema_regex.c, jsonschema_uri.c). */
#ifndef DP_DOC_JSONSCHEMA_INT_H
#define DP_DOC_JSONSCHEMA_INT_H
#include <jansson.h>
#include <locale.h>
#include <regex.h>
#include <stddef.h>

#include "doc/jsonschema.h"
#include "util/arena.h"

#define MAX_DEPTH DP_JSONSCHEMA_MAX_DEPTH
#define MAX_URI 4096
#define PTR_CAP 512                /* bytes of a JSON pointer in a message */

/* ------------------------------------------------------------------------ */
/* Compiled form                                                            */

/* A translated pattern: optional leading lookaheads, then the body. */
typedef struct rx {
    regex_t body;
    int body_ok;
    regex_t body_c; /* the body in the C locale, for ASCII text (faster) */
    int body_c_ok;
    int anchored; /* "^" before the lookaheads: only position 0 can match */
    size_t nlook, nlook_ok;
    regex_t *look;
    int *look_neg;
    int *look_anch; /* compiled as "^(...)": tried at one position only */
} rx;

typedef struct ppat {
    const char *key;      /* the pattern (a patternProperties key) */
    const json_t *schema; /* its subschema */
    rx *re;
} ppat;

/* What compilation learned about one schema object. */
typedef struct snode {
    const json_t *schema;
    const json_t *ref; /* resolved $ref target */
    const char *ref_uri;
    const char *base;  /* base URI in effect (compile time) */
    const char *where; /* schema location, for compile errors */
    rx *pattern;
    ppat *pp;
    size_t npp;
    int uneval; /* has unevaluatedProperties/unevaluatedItems */
    unsigned kw; /* which groups of assertions its keywords ask for (JS_KW_*) */
} snode;

/* The keyword groups of a schema object, each checked by one function of
 * jsonschema.c: a group none of whose keywords it has is not looked up
 * (a keyword not known here asks for every group). */
#define JS_KW_GENERIC 1u /* type enum const */
#define JS_KW_NUMBER 2u  /* minimum maximum exclusiveMinimum exclusiveMaximum multipleOf */
#define JS_KW_STRING 4u  /* minLength maxLength pattern format */
#define JS_KW_ARRAY 8u   /* items prefixItems additionalItems contains min/maxContains min/maxItems uniqueItems */
#define JS_KW_OBJECT                                                                                                   \
    16u                   /* properties additionalProperties patternProperties required min/maxProperties              \
                             propertyNames dependencies dependentRequired dependentSchemas */
#define JS_KW_COMBINE 32u /* allOf anyOf oneOf not if then else */
#define JS_KW_ALL 63u
/* The groups a schema object's keywords ask for. */
unsigned dp_js__kw_groups(const json_t *node);

struct dp_jsonschema {
    json_t *root;
    json_t *resources;
    json_t *ids; /* absolute URI (with "#anchor" for anchors) -> schema node */
    dp_arena *arena;
    snode **slots; /* open addressing on the schema node's address */
    size_t nslots, nused;
    void **rxs; /* every pattern (rx *), for regfree */
    size_t nrx, caprx;
    locale_t loc;  /* UTF-8 LC_CTYPE for regcomp/regexec, or 0 */
    locale_t cloc; /* the C LC_CTYPE: an ASCII pattern on ASCII text, or 0 */
    int modern;   /* 1: 2019-09, 2: 2020-12 ($ref beside its siblings) */
    int formats;  /* 1: "format" is an assertion (dp_jsonschema__assert_formats) */
};

/* A JSON pointer built segment by segment, cut (with "...") when too long. */
typedef struct jptr {
    char s[PTR_CAP];
    size_t len;
} jptr;

/* ------------------------------------------------------------------------ */
/* Helpers used across files                                                */

/* jsonschema_compile.c */
/* The compiled node of a schema object, or NULL when it was not compiled. */
const snode *dp_js__slot_get(const dp_jsonschema *s, const json_t *node);
/* Appends p to an arena-grown array of pointers; 0 or -1. */
int dp_js__ptr_push(dp_arena *a, void ***items, size_t *n, size_t *cap, void *p);

/* jsonschema_regex.c */
int dp_js__is_hex(int c);
int dp_js__hex_val(int c);
int dp_js__is_alnum(int c);
/* Compiles an ECMA-262 pattern; on failure why says what is unsupported. */
int dp_js__rx_compile(dp_jsonschema *s, rx **out, const char *pat, size_t len, char *why,
                      size_t whysz);
/* 1 when the pattern matches somewhere in s[0..n), 0 when not, <0 on error. */
int dp_js__rx_match(const dp_jsonschema *s, const rx *r, const char *str, size_t n);

/* jsonschema_uri.c */
/* Resolves ref against base into out (cap bytes); -1 when too long. */
int dp_js__uri_resolve(const char *base, const char *ref, char *out, size_t cap);
/* Decodes %XX in place. */
void dp_js__pct_decode(char *s);

/* jsonschema_format.c */
/* 1 when s[0..n) has the format, 0 when not, -1 for a format not checked. */
int dp_js__format_check(const char *format, const char *s, size_t n);

/* jsonschema.c */
/* Appends a segment (escaped as a JSON pointer); returns the length to give
 * dp_js__jptr_pop to remove it again. */
size_t dp_js__jptr_push(jptr *p, const char *seg);
void dp_js__jptr_pop(jptr *p, size_t save);
/* Whether d is a finite whole number. */
int dp_js__is_integral(double d);
/* The JSON Schema type name of v ("integer" for integers, "number" for reals). */
const char *dp_js__type_name(const json_t *v);

#endif
