/* SQL generators behind the transformation stage. The deterministic metric
 * compiler is one; a later LLM backend will be another, tried first with
 * the validation error of its previous attempt as feedback, the compiler
 * always last. Every candidate goes through the same checks. */
#ifndef DP_TRANSFORM_GENERATOR_H
#define DP_TRANSFORM_GENERATOR_H
#include "transform/compile.h"

typedef struct dp_sql_request {
    const dp_kg *kg;
    const dp_intent *intent;
    const dp_discovery *disc;
    const dp_design *design;
    dp_dialect dialect;
    dp_arena *a;
    const char *feedback; /* why the previous attempt failed; NULL at first */
    int attempt;          /* 1-based */
} dp_sql_request;

typedef struct dp_sql_generator {
    const char *name;
    int max_attempts;
    /* Fills out (arena-owned SQL, lineage) or returns a negative DP_ code. */
    int (*generate)(void *self, const dp_sql_request *req, dp_compiled *out, dp_error *err);
    void *self;
} dp_sql_generator;

/* The deterministic compiler as a generator (stateless, one attempt). */
const dp_sql_generator *dp_generator_compiler(void);

#endif
