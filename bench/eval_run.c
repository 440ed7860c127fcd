/* Runs the judged queries of a relevance-judgment file against an index and prints a
 * run (one JSON line per query: {"id", "hits": [{"file", "line_start", "line_end"}]})
 * for the project's scorer; or, with --q, prints the whole response of one query.
 * Ranking knobs can be overridden to tune them.
 *
 *   eval_run --db DIR [--k1 X] [--b X] [--title X] [--relax N] [--relax-below N] [--relax-max N] QRELS.jsonl > RUN.jsonl
 *   eval_run --db DIR [...] --q QUERY [--group doc|passage] [--limit N] [--repeat N]
 *
 * --repeat N runs the query N more times and prints the mean took_ms on stderr. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../lib/search_internal.h"

static void usage(void)
{
    fprintf(stderr, "usage: eval_run --db DIR [--k1 X] [--b X] [--title X] [--relax N] [--relax-below N] "
                    "[--relax-max N] (QRELS.jsonl | --q QUERY [--group doc|passage] [--limit N] [--repeat N])\n");
    exit(2);
}

static json_t *search(zhs_searcher_t *s, const char *q, const char *group, const char *limit,
                      bool full)
{
    zhs_search_request_t req;
    zhs_error_t err = {0};
    zhs_search_request_init(&req);
    json_t *res = NULL;
    if (zhs_search_request_set(&req, "q", q, &err) != ZHS_OK ||
        zhs_search_request_set(&req, "group", group, &err) != ZHS_OK ||
        zhs_search_request_set(&req, "limit", limit, &err) != ZHS_OK ||
        (!full && zhs_search_request_set(&req, "facets", "none", &err) != ZHS_OK) ||
        (!full && zhs_search_request_set(&req, "snippet", "0", &err) != ZHS_OK) ||
        zhs_search(s, &req, &res, &err) != ZHS_OK)
        fprintf(stderr, "eval_run: %s: %s\n", q, err.message);
    zhs_search_request_release(&req);
    return res;
}

static int run_qrels(zhs_searcher_t *s, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    while (getline(&line, &cap, f) > 0) {
        json_error_t jerr;
        json_t *j = json_loads(line, 0, &jerr);
        const char *id = json_string_value(json_object_get(j, "id"));
        const char *q = json_string_value(json_object_get(j, "query"));
        if (!id || !q) {
            json_decref(j);
            continue;
        }
        json_t *res = search(s, q, "passage", "20", false);
        json_t *hits = json_array();
        size_t i;
        json_t *h;
        json_array_foreach(json_object_get(res, "hits"), i, h)
            json_array_append_new(hits, json_pack("{s:O,s:O,s:O}", "file",
                                                  json_object_get(h, "file"), "line_start",
                                                  json_object_get(h, "line_start"), "line_end",
                                                  json_object_get(h, "line_end")));
        json_t *out = json_pack("{s:s,s:o}", "id", id, "hits", hits);
        char *text = json_dumps(out, JSON_COMPACT | JSON_ENSURE_ASCII);
        puts(text);
        free(text);
        rc |= res == NULL;
        json_decref(out);
        json_decref(res);
        json_decref(j);
    }
    free(line);
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *q = NULL, *group = "passage", *limit = "20", *qrels = NULL;
    int repeat = 0;
    zhs_rank_params_t rank = zhs_rank_defaults;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool opt = a[0] == '-' && a[1] == '-';
        if (opt && !v)
            usage();
        if (strcmp(a, "--db") == 0)
            db = v;
        else if (strcmp(a, "--q") == 0)
            q = v;
        else if (strcmp(a, "--group") == 0)
            group = v;
        else if (strcmp(a, "--limit") == 0)
            limit = v;
        else if (strcmp(a, "--repeat") == 0)
            repeat = atoi(v);
        else if (strcmp(a, "--k1") == 0)
            rank.k1 = atof(v);
        else if (strcmp(a, "--b") == 0)
            rank.b = atof(v);
        else if (strcmp(a, "--title") == 0)
            rank.title_weight = atof(v);
        else if (strcmp(a, "--relax") == 0)
            rank.relax_window = (unsigned)atoi(v);
        else if (strcmp(a, "--relax-below") == 0)
            rank.relax_below = (unsigned)atoi(v);
        else if (strcmp(a, "--relax-max") == 0)
            rank.relax_max_candidates = strtoull(v, NULL, 10);
        else if (!opt) {
            qrels = a;
            continue;
        } else
            usage();
        i++;
    }
    if (!db || (!q && !qrels))
        usage();
    zhs_searcher_t *s = NULL;
    zhs_error_t err = {0};
    if (zhs_searcher_open(&db, 1, &s, &err) != ZHS_OK) {
        fprintf(stderr, "eval_run: %s: %s\n", db, err.message);
        return 1;
    }
    s->rank = rank;
    int rc = 0;
    if (q) {
        json_t *res = search(s, q, group, limit, true);
        rc = res == NULL;
        if (res)
            json_dumpf(res, stdout, JSON_INDENT(1));
        putchar('\n');
        json_decref(res);
        double sum = 0;
        for (int i = 0; i < repeat; i++) {
            res = search(s, q, group, limit, true);
            sum += json_real_value(json_object_get(res, "took_ms"));
            json_decref(res);
        }
        if (repeat > 0)
            fprintf(stderr, "%s: mean took_ms %.3f over %d runs\n", q, sum / repeat, repeat);
    } else {
        rc = run_qrels(s, qrels);
    }
    zhs_searcher_close(s);
    return rc;
}
