/* Request metrics for `GET /metrics`: counts by route and status, and a latency
 * histogram by route, kept in process-wide relaxed atomics (cheap, and every worker
 * thread adds to the same counters), rendered in the Prometheus text format. */
#ifndef ZHS_SERVER_METRICS_H
#define ZHS_SERVER_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include <event2/buffer.h>

#include "zhsearch/search.h"

/* Routes are numbered by the caller (the route table's index) and named at render time;
 * at most SRV_METRICS_MAX_ROUTES of them. */
#define SRV_METRICS_MAX_ROUTES 16

/* Records one request: route index, HTTP status, latency in seconds. Thread-safe. */
void srv_metrics_record(size_t route, int status, double seconds);

/* Counts one opening of an index (start, generation swap, SIGHUP). Thread-safe. */
void srv_metrics_count_open(void);

/* Counts one /search answered from a worker's response cache (hit) or by a search
 * (miss). Thread-safe. */
void srv_metrics_count_cache(bool hit);

/* Appends the Prometheus text to out: the counters, with route i labelled
 * route_name(i) for i < nroutes, and the index gauges from stats (omitted when NULL:
 * no index open). uptime in seconds. Returns 0, or -1 when out of memory. */
int srv_metrics_render(struct evbuffer *out, const char *(*route_name)(size_t),
                       size_t nroutes, const zhs_index_stats_t *stats, double uptime);

#endif
