/* The dispatcher: route table, checks every request passes before its handler, CORS,
 * and the one place a reply is sent (with metrics and the access-log line). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>

#include "http.h"
#include "log.h"
#include "metrics.h"

#define ALLOWED_METHODS "GET, HEAD, OPTIONS"

/* The route table. A path ending in '/' is a prefix; the first match wins, and "/"
 * catches every path no other route claims (files of the search page, else 404). */
static const struct {
    const char *path;
    const char *label;        /* route label in metrics */
    bool uses_index;          /* bring the index up to date before the handler */
    srv_handler_fn fn;
} routes[] = {
    {"/search", "/search", true, srv_handle_search},
    {"/doc/", "/doc", true, srv_handle_doc},
    {"/stats", "/stats", true, srv_handle_stats},
    {"/health", "/health", true, srv_handle_health},
    {"/metrics", "/metrics", true, srv_handle_metrics},
    {"/", "web", false, srv_handle_web},
};

const size_t srv_nroutes = sizeof routes / sizeof routes[0];

const char *srv_route_name(size_t i)
{
    return i < srv_nroutes ? routes[i].label : "unknown";
}

static size_t find_route(const char *path)
{
    for (size_t i = 0; i < srv_nroutes; i++) {
        size_t n = strlen(routes[i].path);
        bool prefix = routes[i].path[n - 1] == '/';
        if (prefix ? strncmp(path, routes[i].path, n) == 0
                   : strcmp(path, routes[i].path) == 0)
            return i;
    }
    return srv_nroutes - 1;
}

static const char *method_name(enum evhttp_cmd_type m)
{
    switch (m) {
    case EVHTTP_REQ_GET: return "GET";
    case EVHTTP_REQ_POST: return "POST";
    case EVHTTP_REQ_HEAD: return "HEAD";
    case EVHTTP_REQ_PUT: return "PUT";
    case EVHTTP_REQ_DELETE: return "DELETE";
    case EVHTTP_REQ_OPTIONS: return "OPTIONS";
    case EVHTTP_REQ_TRACE: return "TRACE";
    case EVHTTP_REQ_CONNECT: return "CONNECT";
    case EVHTTP_REQ_PATCH: return "PATCH";
    }
    return "?";
}

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* CORS for every reply, plus the preflight answer's own headers. */
static void add_cors(srv_request_t *rq, struct evkeyvalq *h, bool preflight)
{
    const char *origin = rq->worker->cfg->opts->cors;
    evhttp_add_header(h, "Access-Control-Allow-Origin", origin);
    if (strcmp(origin, "*") != 0)
        evhttp_add_header(h, "Vary", "Origin");
    if (!preflight)
        return;
    evhttp_add_header(h, "Access-Control-Allow-Methods", ALLOWED_METHODS);
    const char *asked = evhttp_find_header(evhttp_request_get_input_headers(rq->req),
                                           "Access-Control-Request-Headers");
    /* Nothing here depends on request headers, so whatever was asked is allowed. */
    if (!asked || evhttp_add_header(h, "Access-Control-Allow-Headers", asked) != 0)
        evhttp_add_header(h, "Access-Control-Allow-Headers", "Content-Type");
    evhttp_add_header(h, "Access-Control-Max-Age", "86400");
}

static void send_reply(srv_request_t *rq, srv_reply_t *out, bool preflight)
{
    struct evkeyvalq *h = evhttp_request_get_output_headers(rq->req);
    /* libevent 2.1 would write a HEAD reply's body too: send the length alone. */
    if (evhttp_request_get_command(rq->req) == EVHTTP_REQ_HEAD) {
        char len[32];
        snprintf(len, sizeof len, "%zu", out->body ? evbuffer_get_length(out->body) : 0);
        evhttp_add_header(h, "Content-Length", len);
        if (out->body)
            evbuffer_free(out->body);
        out->body = NULL;
    }
    if (out->content_type)
        evhttp_add_header(h, "Content-Type", out->content_type);
    if (out->allow)
        evhttp_add_header(h, "Allow", out->allow);
    add_cors(rq, h, preflight);
    if (rq->worker->stopping)
        evhttp_add_header(h, "Connection", "close");
    srv_worker_reply_begin(rq->worker, rq->req);
    evhttp_send_reply(rq->req, out->status, NULL, out->body);
}

/* Fills out for rq, running the route's handler when the request passes the checks
 * every route shares. */
static void handle(srv_request_t *rq, size_t route, enum evhttp_cmd_type method,
                   srv_reply_t *out)
{
    if (strlen(evhttp_request_get_uri(rq->req)) > SRV_MAX_URI_BYTES) {
        srv_reply_fail(out, SRV_ERR_URI_TOO_LONG, "the request target is over %d bytes",
                       SRV_MAX_URI_BYTES);
    } else if (method == EVHTTP_REQ_OPTIONS) {
        out->status = 204;
        out->allow = ALLOWED_METHODS;
    } else if (method != EVHTTP_REQ_GET && method != EVHTTP_REQ_HEAD) {
        srv_reply_fail(out, SRV_ERR_METHOD, "%s is not allowed here; use GET",
                       method_name(method));
        out->allow = ALLOWED_METHODS;
    } else {
        if (routes[route].uses_index)
            srv_index_refresh(rq->worker->index);
        routes[route].fn(rq, out);
        if (!out->status)
            srv_reply_fail(out, SRV_ERR_INTERNAL, "the handler gave no reply");
    }
}

void srv_http_dispatch(struct evhttp_request *req, void *arg)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
    srv_request_t rq = {
        .req = req,
        .worker = arg,
        .path = path && *path ? path : "/",
        .query = uri ? evhttp_uri_get_query(uri) : NULL,
    };
    enum evhttp_cmd_type method = evhttp_request_get_command(req);
    size_t route = find_route(rq.path);
    srv_reply_t out;
    srv_reply_init(&out);
    handle(&rq, route, method, &out);
    send_reply(&rq, &out, method == EVHTTP_REQ_OPTIONS);
    double ms = elapsed_ms(&t0);
    srv_metrics_record(route, out.status, ms / 1e3);
    srv_log_access(method_name(method), evhttp_request_get_uri(req), out.status, ms);
    srv_reply_release(&out);
}
