/* SQL identifiers. */
#ifndef DP_UTIL_IDENT_H
#define DP_UTIL_IDENT_H

/* Is s a plain identifier (a bare column reference)? */
int dp_is_identifier(const char *s);

#endif
