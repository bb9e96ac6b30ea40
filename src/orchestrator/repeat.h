/* Repeats answered from the run store (repeat.c). */
#ifndef DP_ORCHESTRATOR_REPEAT_H
#define DP_ORCHESTRATOR_REPEAT_H
#include "dpgen/dpgen.h"
#include "state/state.h"

/* The key of a request (malloc'd text), or NULL with no state. */
char *dp_repeat__key(dp_catalog *cat, const char *request, const dp_generate_options *o);
/* 1 when a stored run answered key: its id, status and message (malloc'd
 * or NULL); 0 otherwise. */
int dp_repeat__find(dp_catalog *cat, const char *key, char run_id[64], char status[16], char **message);
/* Files run_id as the answer to the request's key as it stands after the
 * run's own writes; 0 or -1. */
int dp_repeat__store(dp_catalog *cat, const char *request, const dp_generate_options *o, const char *run_id);

#endif
