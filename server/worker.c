/* Worker threads: one event loop each over the shared listening socket, a periodic
 * tick (index freshness while idle, drain progress while stopping), and the graceful
 * stop: stop accepting, answer what already arrived with `Connection: close`, wait
 * until every reply being written has gone out, then leave the loop.
 *
 * Every worker accepts on a dup of ONE listening socket rather than on its own
 * SO_REUSEPORT socket: an idle worker takes the next connection even while another is
 * busy with a long search (the kernel hashes SO_REUSEPORT connections to a socket
 * regardless), and a stop closes one socket instead of dropping the connections
 * queued on one of several. Measured with wrk (2 threads, 32 connections, 2 workers on
 * a busy 2-core machine), the two did not differ beyond the noise: /health keep-alive
 * 65k-84k vs 65k-67k requests/s, new connection each 31k-36k vs 24k-31k, /search?q=税
 * 2.1k-5.2k vs 4.3k-5.0k. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "log.h"
#include "worker.h"

/* After the stop, requests already on open connections still get answered for this
 * long; an unfinished reply delays the exit at most MAX_DRAIN_MS. */
#define GRACE_MS 100
#define MAX_DRAIN_MS 10000
#define TICK_MS 1000
#define DRAIN_TICK_MS 10

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double srv_config_uptime(const srv_config_t *cfg)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - cfg->started.tv_sec) +
           (double)(now.tv_nsec - cfg->started.tv_nsec) / 1e9;
}

/* ------------------------------------------------------------ replies in flight */

static void pending_remove(srv_worker_t *w, struct evhttp_connection *evcon)
{
    for (size_t i = 0; i < w->npending; i++)
        if (w->pending[i] == evcon) {
            w->pending[i] = w->pending[--w->npending];
            return;
        }
}

static void on_reply_complete(struct evhttp_request *req, void *arg)
{
    pending_remove(arg, evhttp_request_get_connection(req));
}

/* A connection closed (also mid-reply, when the client went away). */
static void on_connection_close(struct evhttp_connection *evcon, void *arg)
{
    pending_remove(arg, evcon);
}

void srv_worker_reply_begin(srv_worker_t *w, struct evhttp_request *req)
{
    struct evhttp_connection *evcon = evhttp_request_get_connection(req);
    if (!evcon)
        return;
    if (w->npending == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 16;
        struct evhttp_connection **p = realloc(w->pending, cap * sizeof *p);
        if (!p)
            return;    /* not tracked: the drain may end before this reply is out */
        w->pending = p;
        w->cap = cap;
    }
    w->pending[w->npending++] = evcon;
    evhttp_request_set_on_complete_cb(req, on_reply_complete, w);
    evhttp_connection_set_closecb(evcon, on_connection_close, w);
}

/* ------------------------------------------------------------ the loop */

static void maybe_finish(srv_worker_t *w)
{
    long long waited = monotonic_ms() - w->stop_ms;
    if ((w->npending == 0 && waited >= GRACE_MS) || waited >= MAX_DRAIN_MS) {
        if (w->npending)
            srv_log("worker %u: %zu replies still unsent after %d ms, closing", w->id,
                    w->npending, MAX_DRAIN_MS);
        event_base_loopexit(w->base, NULL);
    }
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    srv_worker_t *w = arg;
    if (w->stopping)
        maybe_finish(w);
    else
        srv_index_refresh(w->index);
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
    srv_worker_t *w = arg;
    if (w->stopping)
        return;
    w->stopping = true;
    w->stop_ms = monotonic_ms();
    if (w->bound)
        evhttp_del_accept_socket(w->http, w->bound);    /* closes our dup of the fd */
    w->bound = NULL;
    struct timeval tv = {0, DRAIN_TICK_MS * 1000};
    event_del(w->tick_ev);
    event_add(w->tick_ev, &tv);
}

static void *run(void *arg)
{
    srv_worker_t *w = arg;
    srv_index_refresh(w->index);
    event_base_dispatch(w->base);
    return NULL;
}

int srv_worker_init(srv_worker_t *w, unsigned id, const srv_config_t *cfg, int listen_fd)
{
    memset(w, 0, sizeof *w);
    w->id = id;
    w->cfg = cfg;
    if (!(w->base = event_base_new()) || !(w->http = evhttp_new(w->base)) ||
        !(w->index = srv_index_new(cfg->opts->dbs, cfg->opts->ndbs, id)) ||
        !(w->stop_ev = event_new(w->base, -1, 0, on_stop, w)) ||
        !(w->tick_ev = event_new(w->base, -1, EV_PERSIST, on_tick, w))) {
        srv_log("worker %u: out of memory", id);
        return -1;
    }
    size_t cache_bytes = (cfg->opts->cache_mb << 20) / cfg->opts->threads;
    if (cache_bytes && !(w->cache = srv_cache_new(cache_bytes))) {
        srv_log("worker %u: out of memory", id);
        return -1;
    }
    /* Every method reaches the dispatcher, which answers 405 with Allow itself. */
    evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                            EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                            EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
                                            EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
    /* Room for a request target just over SRV_MAX_URI_BYTES, so that the dispatcher
     * (not libevent) answers an over-long one with its JSON 414. */
    evhttp_set_max_headers_size(w->http, 4 * SRV_MAX_URI_BYTES);
    evhttp_set_max_body_size(w->http, 64 * 1024);
    evhttp_set_timeout(w->http, 30);
    evhttp_set_gencb(w->http, srv_http_dispatch, w);
    int fd = fcntl(listen_fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0 || !(w->bound = evhttp_accept_socket_with_handle(w->http, fd))) {
        if (fd >= 0)
            close(fd);
        srv_log("worker %u: cannot accept on the listening socket", id);
        return -1;
    }
    struct timeval tv = {TICK_MS / 1000, (TICK_MS % 1000) * 1000};
    event_add(w->tick_ev, &tv);
    return 0;
}

int srv_worker_start(srv_worker_t *w)
{
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        srv_log("worker %u: cannot start a thread", w->id);
        return -1;
    }
    w->started = true;
    return 0;
}

void srv_worker_stop(srv_worker_t *w)
{
    if (w->stop_ev)
        event_active(w->stop_ev, EV_TIMEOUT, 0);
}

void srv_worker_release(srv_worker_t *w)
{
    if (!w)
        return;
    if (w->started)
        pthread_join(w->thread, NULL);
    if (w->http)
        evhttp_free(w->http);       /* closes the connections still open */
    if (w->stop_ev)
        event_free(w->stop_ev);
    if (w->tick_ev)
        event_free(w->tick_ev);
    if (w->base)
        event_base_free(w->base);
    srv_index_free(w->index);
    srv_cache_free(w->cache);
    free(w->pending);
    memset(w, 0, sizeof *w);
}
