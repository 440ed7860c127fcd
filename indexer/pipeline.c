/* Reading, hashing, decoding and parsing files in a second thread, a few files ahead of
 * the writer, so that parsing overlaps with the Xapian writes. Jobs finish in order. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "indexer.h"

/* How many parsed documents may wait for the writer (bounds memory). */
#define AHEAD 8

struct pipeline {
    job_t *jobs;
    size_t n;
    size_t produced;      /* jobs[0..produced) are finished */
    size_t consumed;      /* jobs[0..consumed) were handed out */
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
};

void job_run(job_t *job)
{
    char *raw = NULL, *sidecar = NULL;
    size_t nraw = 0;
    zhs_error_clear(&job->err);
    job->doc = NULL;
    job->outcome = JOB_FAILED;
    if (source_read(job->src, &raw, &nraw, &sidecar, &job->hash, &job->err) != ZHS_OK)
        return;
    job->nbytes = nraw;
    if (job->known && job->hash == job->known_hash)
        job->outcome = JOB_SAME;
    else if (source_parse(job->src, raw, nraw, sidecar, &job->doc, &job->err) == ZHS_OK)
        job->outcome = JOB_PARSED;
    free(raw);
    free(sidecar);
}

static void *produce(void *arg)
{
    pipeline_t *p = arg;
    for (size_t i = 0; i < p->n; i++) {
        pthread_mutex_lock(&p->mu);
        while (!p->stop && i - p->consumed >= AHEAD)
            pthread_cond_wait(&p->cv, &p->mu);
        bool stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        job_run(&p->jobs[i]);
        pthread_mutex_lock(&p->mu);
        p->produced = i + 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    return NULL;
}

zhs_status_t pipeline_start(job_t *jobs, size_t n, pipeline_t **out, zhs_error_t *err)
{
    pipeline_t *p = calloc(1, sizeof *p);
    if (!p)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    p->jobs = jobs;
    p->n = n;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (pthread_create(&p->thread, NULL, produce, p) != 0) {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->cv);
        free(p);
        return zhs_error_set(err, ZHS_ERR_INTERNAL, "cannot start the parse thread");
    }
    *out = p;
    return ZHS_OK;
}

job_t *pipeline_next(pipeline_t *p)
{
    pthread_mutex_lock(&p->mu);
    job_t *job = NULL;
    if (p->consumed < p->n) {
        while (p->produced <= p->consumed)
            pthread_cond_wait(&p->cv, &p->mu);
        job = &p->jobs[p->consumed++];
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return job;
}

void pipeline_stop(pipeline_t *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    for (size_t i = p->consumed; i < p->produced; i++) {
        zhs_document_free(p->jobs[i].doc);
        p->jobs[i].doc = NULL;
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}
