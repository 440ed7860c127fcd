/* The JSON endpoints: /search, /doc/{id}, /stats, /health, /metrics. Each parses its
 * parameters, makes one library call through call_library (which retries once when
 * the index changed under it) and hands back the JSON. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "http.h"
#include "metrics.h"
#include "params.h"

typedef zhs_status_t (*library_fn)(zhs_searcher_t *s, void *ctx, json_t **out,
                                   zhs_error_t *err);

/* Runs fn on this thread's searcher and puts its JSON (or its failure) into out. A
 * ZHS_ERR_DB_MODIFIED (a new revision overwrote what the searcher was reading) reopens
 * the index and runs fn once more. */
static void call_library(srv_request_t *rq, library_fn fn, void *ctx, srv_reply_t *out)
{
    for (int attempt = 0;; attempt++) {
        srv_error_t e = {0};
        zhs_searcher_t *s = srv_index_searcher(rq->worker->index, &e);
        if (!s) {
            srv_reply_error(out, &e);
            return;
        }
        json_t *j = NULL;
        zhs_error_t zerr = {0};
        zhs_status_t st = fn(s, ctx, &j, &zerr);
        if (st == ZHS_OK) {
            srv_reply_json(out, 200, j);
            return;
        }
        if (st != ZHS_ERR_DB_MODIFIED || attempt > 0) {
            srv_reply_status(out, st, &zerr);
            return;
        }
        srv_index_reopen(rq->worker->index);
    }
}

/* ------------------------------------------------------------ /search */

static zhs_status_t do_search(zhs_searcher_t *s, void *ctx, json_t **out,
                              zhs_error_t *err)
{
    return zhs_search(s, ctx, out, err);
}

/* Answers from the worker's cache when the same query string was answered at the
 * index version now served. */
static bool reply_from_cache(srv_request_t *rq, uint64_t version, srv_reply_t *out)
{
    srv_error_t e = {0};
    if (!rq->worker->cache || !rq->query || !srv_index_searcher(rq->worker->index, &e))
        return false;
    size_t n = 0;
    const char *body = srv_cache_get(rq->worker->cache, version, rq->query, &n);
    srv_metrics_count_cache(body != NULL);
    if (body)
        srv_reply_bytes(out, 200, SRV_CTYPE_JSON, body, n);
    return body != NULL;
}

/* Keeps a successful answer, if the index did not move while it was computed. */
static void remember(srv_request_t *rq, uint64_t version, srv_reply_t *out)
{
    if (!rq->worker->cache || !rq->query || out->status != 200 || !out->body ||
        srv_index_version(rq->worker->index) != version)
        return;
    size_t n = evbuffer_get_length(out->body);
    const unsigned char *body = evbuffer_pullup(out->body, -1);
    if (body)
        srv_cache_put(rq->worker->cache, version, rq->query, (const char *)body, n);
}

void srv_handle_search(srv_request_t *rq, srv_reply_t *out)
{
    uint64_t version = srv_index_version(rq->worker->index);
    if (reply_from_cache(rq, version, out))
        return;
    srv_error_t e = {0};
    srv_params_t params;
    if (srv_params_parse(rq->query, &params, &e) != 0) {
        srv_reply_error(out, &e);
        return;
    }
    zhs_search_request_t req;
    if (srv_search_request_build(&params, &req, &e) != 0)
        srv_reply_error(out, &e);
    else
        call_library(rq, do_search, &req, out);
    remember(rq, version, out);
    zhs_search_request_release(&req);
    srv_params_release(&params);
}

/* ------------------------------------------------------------ /doc/{id} */

typedef struct {
    const char *id;
    const char *q;
} doc_call_t;

static zhs_status_t do_doc(zhs_searcher_t *s, void *ctx, json_t **out, zhs_error_t *err)
{
    const doc_call_t *c = ctx;
    return zhs_search_doc(s, c->id, c->q, out, err);
}

void srv_handle_doc(srv_request_t *rq, srv_reply_t *out)
{
    const char *raw = rq->path + strlen("/doc/");
    srv_error_t e = {0};
    if (!*raw) {
        srv_reply_fail(out, SRV_ERR_NOT_FOUND, "give a document id: /doc/ID");
        return;
    }
    doc_call_t call = {0};
    char *id = srv_uri_decode(raw, strlen(raw), false, "document id", &e);
    srv_params_t params = {0};
    if (!id || srv_params_parse(rq->query, &params, &e) != 0 ||
        srv_doc_params(&params, &call.q, &e) != 0) {
        srv_reply_error(out, &e);
    } else {
        call.id = id;
        call_library(rq, do_doc, &call, out);
    }
    srv_params_release(&params);
    free(id);
}

/* ------------------------------------------------------------ /stats, /health */

/* The rejection of any query string on endpoints that take no parameter. */
static bool no_parameters(srv_request_t *rq, srv_reply_t *out)
{
    if (!rq->query || !*rq->query)
        return true;
    srv_reply_fail(out, SRV_ERR_BAD_PARAMETER, "%s takes no parameters", rq->path);
    return false;
}

/* Newest modification time of the --db paths (a commit rewrites files in the
 * database directory, a --rebuild swaps in a new one), as ISO 8601 UTC; "" if none. */
static void index_time(const srv_options_t *o, char *buf, size_t len)
{
    time_t newest = 0;
    for (size_t i = 0; i < o->ndbs; i++) {
        struct stat st;
        if (stat(o->dbs[i], &st) == 0 && st.st_mtime > newest)
            newest = st.st_mtime;
    }
    struct tm tm;
    buf[0] = '\0';
    if (newest && gmtime_r(&newest, &tm))
        strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static zhs_status_t do_stats(zhs_searcher_t *s, void *ctx, json_t **out, zhs_error_t *err)
{
    const srv_config_t *cfg = ctx;
    zhs_index_stats_t st;
    zhs_status_t rc = zhs_searcher_stats(s, &st, err);
    if (rc != ZHS_OK)
        return rc;
    char when[32];
    index_time(cfg->opts, when, sizeof when);
    json_t *dbs = json_array();
    for (size_t i = 0; dbs && i < cfg->opts->ndbs; i++)
        json_array_append_new(dbs, json_string(cfg->opts->dbs[i]));
    *out = json_pack("{s:I,s:I,s:I,s:I,s:I,s:s?,s:f,s:o,s:I}", "documents",
                     (json_int_t)st.documents, "passages", (json_int_t)st.passages,
                     "deleted_passages", (json_int_t)st.deleted, "synonym_words",
                     (json_int_t)st.synonym_words, "revision",
                     (json_int_t)st.revision, "index_time", when[0] ? when : NULL,
                     "uptime_s", srv_config_uptime(cfg), "db", dbs, "threads",
                     (json_int_t)cfg->opts->threads);
    return *out ? ZHS_OK : zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
}

void srv_handle_stats(srv_request_t *rq, srv_reply_t *out)
{
    if (no_parameters(rq, out))
        call_library(rq, do_stats, (void *)rq->worker->cfg, out);
}

static zhs_status_t do_health(zhs_searcher_t *s, void *ctx, json_t **out,
                              zhs_error_t *err)
{
    zhs_index_stats_t st;
    zhs_status_t rc = zhs_searcher_stats(s, &st, err);
    if (rc != ZHS_OK)
        return rc;
    *out = json_pack("{s:s,s:I,s:I}", "status", "ok", "revision", (json_int_t)st.revision,
                     "documents", (json_int_t)st.documents);
    return *out ? ZHS_OK : zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
}

void srv_handle_health(srv_request_t *rq, srv_reply_t *out)
{
    if (no_parameters(rq, out))
        call_library(rq, do_health, NULL, out);
}

/* ------------------------------------------------------------ /metrics */

void srv_handle_metrics(srv_request_t *rq, srv_reply_t *out)
{
    if (!no_parameters(rq, out))
        return;
    srv_error_t e = {0};
    zhs_searcher_t *s = srv_index_searcher(rq->worker->index, &e);
    zhs_index_stats_t st;
    bool up = s && zhs_searcher_stats(s, &st, NULL) == ZHS_OK;
    struct evbuffer *buf = evbuffer_new();
    if (!buf || srv_metrics_render(buf, srv_route_name, srv_nroutes, up ? &st : NULL,
                                   srv_config_uptime(rq->worker->cfg)) != 0) {
        if (buf)
            evbuffer_free(buf);
        srv_reply_fail(out, SRV_ERR_INTERNAL, "out of memory");
        return;
    }
    srv_reply_buffer(out, 200, SRV_CTYPE_PROMETHEUS, buf);
}
