/* HTTP dispatch: the ONE route table, method and size checks, CORS, and sending the
 * single reply of each request (with its metrics and access-log line). */
#ifndef ZHS_SERVER_HTTP_H
#define ZHS_SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <event2/http.h>

#include "reply.h"
#include "worker.h"

/* Longest request target (path + query) accepted; longer ones get 414. */
#define SRV_MAX_URI_BYTES 8192

typedef struct {
    struct evhttp_request *req;
    srv_worker_t *worker;
    const char *path;             /* as sent (percent-encoded); borrowed */
    const char *query;            /* as sent, or NULL; borrowed */
} srv_request_t;

/* A handler fills out exactly once (any srv_reply_* setter); the dispatcher sends it. */
typedef void (*srv_handler_fn)(srv_request_t *rq, srv_reply_t *out);

/* The evhttp generic callback; arg is the srv_worker_t. */
void srv_http_dispatch(struct evhttp_request *req, void *arg);

/* Number of routes, and the label of route i (in metrics). */
extern const size_t srv_nroutes;
const char *srv_route_name(size_t i);

/* Handlers (handlers_*.c, static.c). */
void srv_handle_search(srv_request_t *rq, srv_reply_t *out);
void srv_handle_doc(srv_request_t *rq, srv_reply_t *out);
void srv_handle_stats(srv_request_t *rq, srv_reply_t *out);
void srv_handle_health(srv_request_t *rq, srv_reply_t *out);
void srv_handle_metrics(srv_request_t *rq, srv_reply_t *out);
void srv_handle_web(srv_request_t *rq, srv_reply_t *out);

#endif
