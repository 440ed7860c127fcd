/* A worker thread: its own event_base, evhttp and index view, accepting on the shared
 * listening socket; and its graceful stop (stop accepting, finish the replies being
 * sent, then exit). */
#ifndef ZHS_SERVER_WORKER_H
#define ZHS_SERVER_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include <event2/event.h>
#include <event2/http.h>

#include "cache.h"
#include "index.h"
#include "options.h"

/* Read-only after start, shared by every worker. */
typedef struct {
    const srv_options_t *opts;
    const char *webdir;           /* directory of the search page, NULL when none */
    struct timespec started;      /* CLOCK_MONOTONIC at start, for uptime */
} srv_config_t;

typedef struct {
    unsigned id;
    const srv_config_t *cfg;
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    srv_index_t *index;
    srv_cache_t *cache;           /* /search answers; NULL with --cache-mb 0 */
    struct event *stop_ev;        /* activated from another thread by srv_worker_stop */
    struct event *tick_ev;        /* periodic: index freshness, drain progress */
    bool stopping;
    long long stop_ms;            /* monotonic time the stop began */
    /* Connections with a reply being written (libevent handles one request at a time
     * per connection, so a connection appears at most once). */
    struct evhttp_connection **pending;
    size_t npending, cap;
    pthread_t thread;
    bool started;
} srv_worker_t;

/* Sets up w to serve on a dup of listen_fd. Returns 0, or -1 after logging why
 * (release w with srv_worker_release either way). */
int srv_worker_init(srv_worker_t *w, unsigned id, const srv_config_t *cfg,
                    int listen_fd);

/* Starts the thread. Returns 0 or -1. */
int srv_worker_start(srv_worker_t *w);

/* Asks the worker to stop accepting, drain and leave its loop. Thread-safe. */
void srv_worker_stop(srv_worker_t *w);

/* Joins the thread (if started) and frees everything. NULL-tolerant. */
void srv_worker_release(srv_worker_t *w);

/* Uptime in seconds. */
double srv_config_uptime(const srv_config_t *cfg);

/* Called by the dispatcher: a reply is about to be sent on evcon / a reply on evcon
 * finished or its connection closed. */
void srv_worker_reply_begin(srv_worker_t *w, struct evhttp_request *req);

#endif
