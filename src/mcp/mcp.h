/* dpgen mcp: the Model Context Protocol tool interface (stdio). */
#ifndef DP_MCP_MCP_H
#define DP_MCP_MCP_H
#include "dpgen/dpgen.h"

/* `dpgen mcp ARGS`: serves stdin/stdout until end of input; the exit code. */
int dp_mcp_main(int argc, char **argv);

#endif
