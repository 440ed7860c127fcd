/* search_query: fts5_query's counterpart on zhsearch's side, in the same process as the
 * index: answers the queries of a pick_queries file as zhsearch-server's /search does
 * (the same parameters through srv_search_request_build, the reply written by
 * srv_json_write, the searcher's in-memory columns warmed first) but without HTTP, on
 * one thread for S seconds per class. bench_server.sh prints it next to FTS5's own
 * in-process figures: the searches compared without the HTTP floor (/health) that the
 * server's figures carry.
 *
 *   search_query --db DIR --queries FILE [--seconds S]
 *
 * Prints one line per class, as fts5_query does:
 *   search_query: class=C p50_ms=X p99_ms=Y qps=Q queries=N bytes=B
 * (B: the mean reply size). Exits 1 when a query fails. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench_util.h"
#include "json_writer.h"
#include "params.h"
#include "zhsearch/search.h"

typedef struct {
    char cls[16];
    char *query_string;       /* the url path's part after `?` */
} query_t;

static void usage(int status)
{
    fprintf(status ? stderr : stdout,
            "usage: search_query --db DIR --queries FILE [--seconds S]\n"
            "Answers a pick_queries file's queries in-process as /search does, S seconds\n"
            "(default 10) per class on one thread, and prints each class's p50, p99 and\n"
            "queries per second.\n");
    exit(status);
}

/* The queries of a pick_queries file (class in column 1, url path in column 7). */
static query_t *read_queries(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    query_t *v = NULL;
    size_t cap = 0, linecap = 0;
    char *line = NULL;
    bench_row_t row;
    *n = 0;
    while (bench_manifest_next(f, &line, &linecap, &row)) {
        const char *url = row.nfields >= 7 ? strchr(row.field[6], '?') : NULL;
        if (!url || strlen(row.field[0]) >= sizeof v->cls)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 256;
            v = realloc(v, cap * sizeof *v);
            if (!v)
                exit(1);
        }
        snprintf(v[*n].cls, sizeof v[*n].cls, "%s", row.field[0]);
        v[*n].query_string = strdup(url + 1);
        (*n)++;
    }
    free(line);
    fclose(f);
    return v;
}

/* Answers one query as the server would; the reply's size, or -1 on failure. */
static long answer(zhs_searcher_t *s, const char *query_string)
{
    srv_params_t params;
    srv_error_t e = {0};
    zhs_search_request_t req;
    zhs_error_t err = {0};
    json_t *res = NULL;
    char *bytes = NULL;
    size_t nbytes = 0;
    long size = -1;
    if (srv_params_parse(query_string, &params, &e) != 0) {
        fprintf(stderr, "search_query: %s: %s\n", query_string, e.message);
        return -1;
    }
    if (srv_search_request_build(&params, &req, &e) == 0 &&
        zhs_search(s, &req, &res, &err) == ZHS_OK && srv_json_write(res, &bytes, &nbytes, &e) == 0)
        size = (long)nbytes;
    if (size < 0)
        fprintf(stderr, "search_query: %s: %s\n", query_string,
                err.message[0] ? err.message : e.message);
    zhs_search_request_release(&req);
    srv_params_release(&params);
    free(bytes);
    json_decref(res);
    return size;
}

/* Runs the class's queries in turn for seconds (after one pass to warm up) and prints
 * its line. Returns 0, or 1 when a query failed. */
static int run_class(zhs_searcher_t *s, const query_t *q, size_t n, double seconds)
{
    for (size_t i = 0; i < n; i++)
        if (answer(s, q[i].query_string) < 0)
            return 1;
    size_t cap = 1024, runs = 0;
    double *lat = malloc(cap * sizeof *lat), bytes = 0;
    double start = bench_now(), deadline = start + seconds;
    for (size_t i = 0; lat && bench_now() < deadline; i = (i + 1) % n) {
        double t0 = bench_now();
        long size = answer(s, q[i].query_string);
        if (size < 0) {
            free(lat);
            return 1;
        }
        if (runs == cap) {
            double *more = realloc(lat, 2 * cap * sizeof *lat);
            if (!more)
                break;
            lat = more;
            cap *= 2;
        }
        lat[runs++] = bench_now() - t0;
        bytes += (double)size;
    }
    double elapsed = bench_now() - start;
    printf("search_query: class=%s p50_ms=%.3f p99_ms=%.3f qps=%.1f queries=%zu bytes=%.0f\n",
           q[0].cls, 1e3 * bench_percentile(lat, runs, 50), 1e3 * bench_percentile(lat, runs, 99),
           (double)runs / elapsed, runs, runs ? bytes / (double)runs : 0);
    fflush(stdout);
    free(lat);
    return 0;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *queries = NULL;
    double seconds = 10;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"queries", required_argument, NULL, 'q'},
                                         {"seconds", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        if (c == 'd')
            db = optarg;
        else if (c == 'q')
            queries = optarg;
        else if (c == 's')
            seconds = atof(optarg);
        else
            usage(c == 'h' ? 0 : 2);
    }
    if (!db || !queries || seconds <= 0)
        usage(2);
    size_t n;
    query_t *q = read_queries(queries, &n);
    zhs_searcher_t *s = NULL;
    zhs_error_t err = {0};
    if (zhs_searcher_open(&db, 1, &s, &err) != ZHS_OK) {
        fprintf(stderr, "search_query: %s: %s\n", db, err.message);
        return 1;
    }
    int rc = 0;
    /* A class is a run of lines of the file, as pick_queries writes them. */
    for (size_t first = 0, end; first < n && rc == 0; first = end) {
        for (end = first; end < n && strcmp(q[end].cls, q[first].cls) == 0; end++)
            ;
        rc = run_class(s, q + first, end - first, seconds);
    }
    zhs_searcher_close(s);
    for (size_t i = 0; i < n; i++)
        free(q[i].query_string);
    free(q);
    return rc;
}
