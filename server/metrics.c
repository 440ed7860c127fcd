/* The counters behind `GET /metrics` and their Prometheus rendering. */
#include "config.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdint.h>

#include "metrics.h"

/* Statuses the server answers with; anything else is counted as "other". */
static const int statuses[] = {200, 204, 400, 404, 405, 413, 414, 500, 503};
#define NSTATUSES (sizeof statuses / sizeof statuses[0])

/* Upper bounds of the latency buckets, in seconds (+Inf is implied). */
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                0.05,   0.1,   0.25,   0.5,   1,    2.5};
#define NBOUNDS (sizeof bounds / sizeof bounds[0])

static _Atomic uint64_t requests[SRV_METRICS_MAX_ROUTES][NSTATUSES + 1];
/* Per bucket, NOT cumulative (one increment per request); summed when rendered. */
static _Atomic uint64_t buckets[SRV_METRICS_MAX_ROUTES][NBOUNDS + 1];
static _Atomic uint64_t sum_us[SRV_METRICS_MAX_ROUTES];
static _Atomic uint64_t opens;
static _Atomic uint64_t cache_lookups[2];    /* [0] misses, [1] hits */

static size_t status_index(int status)
{
    for (size_t i = 0; i < NSTATUSES; i++)
        if (statuses[i] == status)
            return i;
    return NSTATUSES;
}

void srv_metrics_record(size_t route, int status, double seconds)
{
    if (route >= SRV_METRICS_MAX_ROUTES)
        return;
    size_t b = 0;
    while (b < NBOUNDS && seconds > bounds[b])
        b++;
    atomic_fetch_add_explicit(&requests[route][status_index(status)], 1,
                              memory_order_relaxed);
    atomic_fetch_add_explicit(&buckets[route][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&sum_us[route], (uint64_t)(seconds * 1e6 + 0.5),
                              memory_order_relaxed);
}

void srv_metrics_count_open(void)
{
    atomic_fetch_add_explicit(&opens, 1, memory_order_relaxed);
}

void srv_metrics_count_cache(bool hit)
{
    atomic_fetch_add_explicit(&cache_lookups[hit], 1, memory_order_relaxed);
}

static uint64_t load(_Atomic uint64_t *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

static int render_requests(struct evbuffer *out, const char *(*name)(size_t), size_t n)
{
    int rc = evbuffer_add_printf(out,
        "# HELP zhsearch_http_requests_total HTTP requests answered, by route and status.\n"
        "# TYPE zhsearch_http_requests_total counter\n");
    for (size_t r = 0; r < n && rc >= 0; r++)
        for (size_t s = 0; s <= NSTATUSES && rc >= 0; s++) {
            uint64_t v = load(&requests[r][s]);
            if (!v)
                continue;
            char code[16];
            if (s < NSTATUSES)
                snprintf(code, sizeof code, "%d", statuses[s]);
            else
                snprintf(code, sizeof code, "other");
            rc = evbuffer_add_printf(out,
                "zhsearch_http_requests_total{route=\"%s\",status=\"%s\"} %" PRIu64 "\n",
                name(r), code, v);
        }
    return rc < 0 ? -1 : 0;
}

static int render_latency(struct evbuffer *out, const char *(*name)(size_t), size_t n)
{
    int rc = evbuffer_add_printf(out,
        "# HELP zhsearch_http_request_duration_seconds Time to handle a request.\n"
        "# TYPE zhsearch_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r < n && rc >= 0; r++) {
        uint64_t cum = 0;
        for (size_t b = 0; b <= NBOUNDS && rc >= 0; b++) {
            cum += load(&buckets[r][b]);
            if (b < NBOUNDS)
                rc = evbuffer_add_printf(out,
                    "zhsearch_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %"
                    PRIu64 "\n", name(r), bounds[b], cum);
            else
                rc = evbuffer_add_printf(out,
                    "zhsearch_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %"
                    PRIu64 "\n", name(r), cum);
        }
        if (rc >= 0)
            rc = evbuffer_add_printf(out,
                "zhsearch_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                "zhsearch_http_request_duration_seconds_count{route=\"%s\"} %" PRIu64 "\n",
                name(r), (double)load(&sum_us[r]) / 1e6, name(r), cum);
    }
    return rc < 0 ? -1 : 0;
}

static int render_index(struct evbuffer *out, const zhs_index_stats_t *stats,
                        double uptime)
{
    int rc = evbuffer_add_printf(out,
        "# HELP zhsearch_index_opens_total Times a worker opened the index (start, new "
        "generation, SIGHUP).\n"
        "# TYPE zhsearch_index_opens_total counter\n"
        "zhsearch_index_opens_total %" PRIu64 "\n"
        "# HELP zhsearch_index_up Whether the index is open (1) or unavailable (0).\n"
        "# TYPE zhsearch_index_up gauge\n"
        "zhsearch_index_up %d\n"
        "# HELP zhsearch_search_cache_lookups_total Searches looked up in the response "
        "cache, by result.\n"
        "# TYPE zhsearch_search_cache_lookups_total counter\n"
        "zhsearch_search_cache_lookups_total{result=\"hit\"} %" PRIu64 "\n"
        "zhsearch_search_cache_lookups_total{result=\"miss\"} %" PRIu64 "\n"
        "# HELP zhsearch_uptime_seconds Seconds since the server started.\n"
        "# TYPE zhsearch_uptime_seconds gauge\n"
        "zhsearch_uptime_seconds %.3f\n",
        load(&opens), stats ? 1 : 0, load(&cache_lookups[1]), load(&cache_lookups[0]),
        uptime);
    if (rc >= 0 && stats)
        rc = evbuffer_add_printf(out,
            "# HELP zhsearch_index_revision Revision of the index being served.\n"
            "# TYPE zhsearch_index_revision gauge\n"
            "zhsearch_index_revision %" PRIu64 "\n"
            "# HELP zhsearch_index_documents Source documents in the index.\n"
            "# TYPE zhsearch_index_documents gauge\n"
            "zhsearch_index_documents %" PRIu64 "\n"
            "# HELP zhsearch_index_passages Passages in the index.\n"
            "# TYPE zhsearch_index_passages gauge\n"
            "zhsearch_index_passages %" PRIu64 "\n"
            "# HELP zhsearch_index_deleted_passages Deleted passages the index keeps until "
            "a rebuild.\n"
            "# TYPE zhsearch_index_deleted_passages gauge\n"
            "zhsearch_index_deleted_passages %" PRIu64 "\n",
            stats->revision, stats->documents, stats->passages, stats->deleted);
    return rc < 0 ? -1 : 0;
}

int srv_metrics_render(struct evbuffer *out, const char *(*route_name)(size_t),
                       size_t nroutes, const zhs_index_stats_t *stats, double uptime)
{
    if (nroutes > SRV_METRICS_MAX_ROUTES)
        nroutes = SRV_METRICS_MAX_ROUTES;
    if (render_requests(out, route_name, nroutes) ||
        render_latency(out, route_name, nroutes) ||
        render_index(out, stats, uptime))
        return -1;
    return 0;
}
