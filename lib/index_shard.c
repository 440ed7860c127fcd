/* The second writer of a fresh build: a thread adding passages to a second database
 * (the shard) while the caller's thread analyzes documents and writes its own share, so
 * that both cores run Xapian's inverter and B-tree writes. Whatever must see every
 * passage (fragment look-ups, deletes, counts, commits) first drains the shard: waits
 * until the thread has written everything handed to it, then reads or changes the
 * shard's database from the caller's thread. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "index_internal.h"

/* Passages waiting for the shard's thread. A document goes to the shard whole when
 * the queue is at most half full as it starts, else the caller's thread writes it:
 * the split follows the threads' speeds, and a document's passages stay together
 * (consecutive document ids after the merge, which searches read in order). */
#define QUEUE_MAX 256

struct ix_shard {
    zhs_wdb_t *wdb;
    json_t *ids;                  /* ids of the documents with passages in the shard */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    zhs_xdoc_t *queue[QUEUE_MAX]; /* a ring: queue[(head + i) % QUEUE_MAX], i < len */
    size_t head, len;
    bool busy;                    /* the thread is writing a passage it took */
    bool stop;
    zhs_status_t status;          /* the thread's first failure */
    zhs_error_t err;
};

static void *shard_main(void *arg)
{
    ix_shard_t *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->stop && s->len == 0)
            pthread_cond_wait(&s->cv, &s->mu);
        if (s->len == 0)
            break;
        zhs_xdoc_t *x = s->queue[s->head];
        s->head = (s->head + 1) % QUEUE_MAX;
        s->len--;
        s->busy = true;
        bool ok = s->status == ZHS_OK;
        pthread_mutex_unlock(&s->mu);
        zhs_error_t err = {0};
        zhs_status_t st = ok ? zhs_wdb_add(s->wdb, x, NULL, &err) : ZHS_OK;
        zhs_xdoc_free(x);
        pthread_mutex_lock(&s->mu);
        s->busy = false;
        if (st != ZHS_OK && s->status == ZHS_OK) {
            s->status = st;
            s->err = err;
        }
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

zhs_status_t zhs_index_add_shard(zhs_index_t *ix, const char *path, zhs_error_t *err)
{
    if (!ix || !path || ix->shard || ix->poisoned)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG,
                             "zhs_index_add_shard: no usable writer, no path, or a shard "
                             "already");
    ix_shard_t *s = calloc(1, sizeof *s);
    if (!s || !(s->ids = json_object())) {
        free(s);
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    }
    /* In a transaction between commits, like the caller's database (index_writer.c). */
    zhs_status_t st = zhs_wdb_open(path, ZHS_WDB_OVERWRITE, &s->wdb, err);
    if (st == ZHS_OK)
        st = zhs_wdb_begin(s->wdb, err);
    if (st != ZHS_OK) {
        zhs_wdb_close(s->wdb);
        json_decref(s->ids);
        free(s);
        return st;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->thread, NULL, shard_main, s) != 0) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        zhs_wdb_close(s->wdb);
        json_decref(s->ids);
        free(s);
        return zhs_error_set(err, ZHS_ERR_INTERNAL, "cannot start the shard's thread");
    }
    ix->shard = s;
    return ZHS_OK;
}

/* The thread's first failure, copied to err. Call with s->mu held. */
static zhs_status_t shard_status(ix_shard_t *s, zhs_error_t *err)
{
    if (s->status != ZHS_OK && err)
        zhs_error_set(err, s->status, "%s", s->err.message);
    return s->status;
}

bool ix_shard_wants(ix_shard_t *s)
{
    if (!s)
        return false;
    pthread_mutex_lock(&s->mu);
    bool wants = s->status == ZHS_OK && s->len <= QUEUE_MAX / 2;
    pthread_mutex_unlock(&s->mu);
    return wants;
}

zhs_status_t ix_shard_hand(ix_shard_t *s, const char *id, zhs_xdoc_t **xdoc, zhs_error_t *err)
{
    pthread_mutex_lock(&s->mu);
    while (s->status == ZHS_OK && s->len == QUEUE_MAX)
        pthread_cond_wait(&s->cv, &s->mu);
    zhs_status_t st = shard_status(s, err);
    if (st == ZHS_OK) {
        s->queue[(s->head + s->len) % QUEUE_MAX] = *xdoc;
        s->len++;
        *xdoc = NULL;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    if (st == ZHS_OK && !json_object_get(s->ids, id) &&
        json_object_set_new(s->ids, id, json_true()))
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    return st;
}

zhs_wdb_t *ix_shard_drain(ix_shard_t *s, zhs_status_t *st, zhs_error_t *err)
{
    *st = ZHS_OK;
    if (!s)
        return NULL;
    pthread_mutex_lock(&s->mu);
    while (s->len > 0 || s->busy)
        pthread_cond_wait(&s->cv, &s->mu);
    *st = shard_status(s, err);
    pthread_mutex_unlock(&s->mu);
    return s->wdb;
}

zhs_status_t ix_shard_delete(ix_shard_t *s, const char *id, const char *term,
                             zhs_error_t *err)
{
    if (!s || !json_object_get(s->ids, id))
        return ZHS_OK;
    zhs_status_t st;
    zhs_wdb_t *wdb = ix_shard_drain(s, &st, err);
    if (st == ZHS_OK)
        st = zhs_wdb_delete_by_term(wdb, term, err);
    if (st == ZHS_OK)
        json_object_del(s->ids, id);
    return st;
}

zhs_status_t ix_shard_commit(ix_shard_t *s, zhs_error_t *err)
{
    zhs_status_t st;
    zhs_wdb_t *wdb = ix_shard_drain(s, &st, err);
    if (wdb && st == ZHS_OK)
        st = zhs_wdb_end(wdb, err);
    if (wdb && st == ZHS_OK)
        st = zhs_wdb_begin(wdb, err);
    return st;
}

void ix_shard_close(ix_shard_t *s, bool commit)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    /* Closing cancels the open transaction unless it was committed. */
    if (commit && s->status == ZHS_OK)
        zhs_wdb_end(s->wdb, NULL);
    zhs_wdb_close(s->wdb);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    json_decref(s->ids);
    free(s);
}
