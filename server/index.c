/* Per-thread index freshness: generation swaps (the --db symlink retargeted), new
 * revisions committed in place, SIGHUP, and an index that disappears and comes back. */
#include "config.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "index.h"
#include "log.h"
#include "metrics.h"

/* Bumped by SIGHUP; each index compares it with the value it last saw. */
static atomic_uint reopen_generation;

typedef struct {
    dev_t dev;
    ino_t ino;
} file_id_t;

struct srv_index {
    char *const *paths;         /* as given (borrowed) */
    size_t npaths;
    unsigned worker;
    zhs_searcher_t *searcher;   /* NULL while unavailable */
    file_id_t *ids;             /* what each path resolved to when searcher was opened */
    file_id_t *now_ids;         /* scratch for the latest stat */
    long long last_check_ms;    /* monotonic; -1 = never */
    unsigned seen_generation;
    uint64_t opens;             /* searchers opened so far */
    zhs_status_t down_status;   /* why it is unavailable */
    char down_message[1024];
};

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void srv_index_request_reopen(void)
{
    atomic_fetch_add_explicit(&reopen_generation, 1, memory_order_relaxed);
}

srv_index_t *srv_index_new(char *const *paths, size_t npaths, unsigned worker)
{
    srv_index_t *ix = calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    ix->ids = calloc(npaths ? npaths : 1, sizeof *ix->ids);
    ix->now_ids = calloc(npaths ? npaths : 1, sizeof *ix->now_ids);
    if (!ix->ids || !ix->now_ids) {
        srv_index_free(ix);
        return NULL;
    }
    ix->paths = paths;
    ix->npaths = npaths;
    ix->worker = worker;
    ix->last_check_ms = -1;
    ix->seen_generation = atomic_load(&reopen_generation);
    ix->down_status = ZHS_ERR_DB_MISSING;
    snprintf(ix->down_message, sizeof ix->down_message, "the index is not open yet");
    return ix;
}

void srv_index_free(srv_index_t *ix)
{
    if (!ix)
        return;
    zhs_searcher_close(ix->searcher);
    free(ix->ids);
    free(ix->now_ids);
    free(ix);
}

static void go_down(srv_index_t *ix, zhs_status_t status, const char *path,
                    const char *why)
{
    if (ix->searcher)
        srv_log("worker %u: index at %s unavailable: %s", ix->worker, path, why);
    zhs_searcher_close(ix->searcher);
    ix->searcher = NULL;
    ix->down_status = status;
    snprintf(ix->down_message, sizeof ix->down_message,
             "no index at %.300s (build it with: zhsearch-index --db %.300s corpus/): %.200s",
             path, path, why);
}

/* Resolves every path (following the --db symlink to its generation) into real[] and
 * its identity into now_ids. On a missing one returns its index, else -1. The caller
 * frees real[0..npaths) (NULL entries allowed). */
static long resolve_paths(srv_index_t *ix, char **real)
{
    for (size_t i = 0; i < ix->npaths; i++) {
        struct stat st;
        if (!(real[i] = realpath(ix->paths[i], NULL)) || stat(real[i], &st) != 0)
            return (long)i;
        ix->now_ids[i].dev = st.st_dev;
        ix->now_ids[i].ino = st.st_ino;
    }
    return -1;
}

static bool ids_changed(const srv_index_t *ix)
{
    for (size_t i = 0; i < ix->npaths; i++)
        if (ix->ids[i].dev != ix->now_ids[i].dev || ix->ids[i].ino != ix->now_ids[i].ino)
            return true;
    return false;
}

/* Opens a new searcher over the resolved paths (so that it stays on one generation
 * even if the symlink moves while Xapian opens its files); the old one is closed only
 * once the new one is open, so a failed open keeps serving. */
static void open_fresh(srv_index_t *ix, char **real)
{
    zhs_searcher_t *s = NULL;
    zhs_error_t zerr = {0};
    zhs_status_t st = zhs_searcher_open((const char *const *)real, ix->npaths, &s, &zerr);
    if (st != ZHS_OK) {
        if (!ix->searcher)
            go_down(ix, st, ix->paths[0], zerr.message[0] ? zerr.message
                                                          : zhs_status_str(st));
        return;
    }
    zhs_index_stats_t stats = {0};
    zhs_searcher_stats(s, &stats, NULL);
    srv_log("worker %u: opened %s -> %s (%llu documents, revision %llu)", ix->worker,
            ix->paths[0], real[0], (unsigned long long)stats.documents,
            (unsigned long long)stats.revision);
    zhs_searcher_close(ix->searcher);
    ix->searcher = s;
    ix->opens++;
    memcpy(ix->ids, ix->now_ids, ix->npaths * sizeof *ix->ids);
    srv_metrics_count_open();
}

static void check(srv_index_t *ix, bool force)
{
    ix->last_check_ms = monotonic_ms();
    char **real = calloc(ix->npaths, sizeof *real);
    if (!real)
        return;     /* out of memory: keep what we have, try again later */
    long missing = resolve_paths(ix, real);
    if (missing >= 0) {
        go_down(ix, ZHS_ERR_DB_MISSING, ix->paths[missing], "no such file or directory");
    } else if (force || !ix->searcher || ids_changed(ix)) {
        open_fresh(ix, real);
    } else {
        zhs_error_t zerr = {0};
        if (zhs_searcher_refresh(ix->searcher, NULL, &zerr) != ZHS_OK)
            open_fresh(ix, real);
    }
    for (size_t i = 0; i < ix->npaths; i++)
        free(real[i]);
    free(real);
}

void srv_index_refresh(srv_index_t *ix)
{
    unsigned gen = atomic_load_explicit(&reopen_generation, memory_order_relaxed);
    bool force = gen != ix->seen_generation;
    if (!force && ix->last_check_ms >= 0 &&
        monotonic_ms() - ix->last_check_ms < SRV_REFRESH_MS)
        return;
    ix->seen_generation = gen;
    check(ix, force);
}

void srv_index_reopen(srv_index_t *ix)
{
    check(ix, true);
}

zhs_searcher_t *srv_index_searcher(srv_index_t *ix, srv_error_t *e)
{
    if (!ix->searcher) {
        zhs_error_t zerr = {0};
        zhs_error_set(&zerr, ix->down_status, "%s", ix->down_message);
        srv_error_from_status(e, ix->down_status, &zerr);
    }
    return ix->searcher;
}

uint64_t srv_index_version(const srv_index_t *ix)
{
    uint64_t moves = ix->searcher ? zhs_searcher_moves(ix->searcher) : 0;
    return ix->opens << 32 ^ moves;
}
