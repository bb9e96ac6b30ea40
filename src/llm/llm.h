/* The one interface the stages use to ask a language model (client.c):
 * a chat completion whose answer must be JSON of a given schema. The
 * model only proposes; the caller checks every answer against the catalog
 * and the data. Calls are bounded (time, tries) and counted per run. */
#ifndef DP_LLM_LLM_H
#define DP_LLM_LLM_H
#include "dpgen/dpgen.h"
#include <jansson.h>

struct dp_llm {
    char *url;   /* .../chat/completions */
    char *shown; /* the URL as messages show it (no credentials, no query) */
    char *model;
    char *key; /* NULL: none */
    long timeout_ms;
    int retries, max_calls;
    long max_tokens;
};

/* A run's use of the model: what is left of its budget, and one entry per
 * call for the spec's record ({purpose, model, ms, prompt_tokens,
 * completion_tokens, outcome, detail}). */
typedef struct dp_llm_usage {
    int calls;
    long tokens;
    json_t *log; /* array, owned */
} dp_llm_usage;

typedef struct dp_llm_call {
    const char *purpose; /* "intent", ... */
    const char *system, *user;
    const char *schema_name;
    json_t *schema;    /* the answer's JSON Schema (borrowed) */
    long time_left_ms; /* the run's; 0: only the call's own timeout */
    /* out */
    json_t *answer; /* the parsed JSON answer (owned by the caller) */
    long prompt_tokens, completion_tokens;
    int structured; /* 1: the server took response_format json_schema */
} dp_llm_call;

/* Asks: retries 429, 5xx and timeouts (with backoff, Retry-After heeded)
 * within the budget; a server that refuses response_format is asked again
 * with the schema in the prompt and its free JSON validated the same way.
 * Appends the call to u->log. 0 with call->answer set, or DP_ELIMIT (budget
 * or time), DP_EENGINE (unreachable, HTTP error, not JSON), DP_EINVALID
 * (an answer not of the schema's shape). */
int dp_llm__chat(const dp_llm *c, dp_llm_usage *u, dp_llm_call *call, dp_error *err);
/* Sets the outcome of the log's last entry (accepted, rejected: why). */
void dp_llm__outcome(dp_llm_usage *u, const char *outcome, const char *detail);
/* 1 when value has the shape of schema (the subset dpgen writes: object,
 * array, string with enum, required, additionalProperties false). */
int dp_llm__valid(json_t *schema, json_t *value, char *why, size_t n);

#endif
