/* The HTTP layer (libmicrohttpd) under the routes. */
#ifndef DP_SERVER_HTTP_H
#define DP_SERVER_HTTP_H
#include "server/server.h"
#include <sys/socket.h>

#define DP_SRV_CONNECTIONS 256 /* open connections at once; more wait in the kernel's backlog */

/* Starts listening on addr with a thread per connection, HTTPS when
 * cert_pem and key_pem (PEM text) are given; *port gets the bound port. The
 * daemon, or NULL. */
void *dp_srv_http_start(dp_srv *s, const struct sockaddr *addr, const char *cert_pem, const char *key_pem,
                        unsigned *port);
/* The MHD response reading an event stream (sse.c); it owns st from now
 * on (freed when the response is), NULL when it cannot be made. */
void *dp_srv_stream_response(struct dp_srv_stream *st);
/* Stops accepting new connections (the in-flight ones go on). */
void dp_srv_http_quiesce(void *daemon);
/* Closes every connection and joins their threads. */
void dp_srv_http_stop(void *daemon);

#endif
