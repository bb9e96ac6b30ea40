/* Renderings of the spec: Markdown documentation and exported files. */
#ifndef DP_PACKAGING_RENDER_H
#define DP_PACKAGING_RENDER_H
#include <jansson.h>

/* malloc'd Markdown: purpose, grain, columns, metrics, sources, rules, SLA. */
char *dp_render_markdown(const json_t *spec);

#endif
