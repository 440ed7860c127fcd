/* fts5_query: the peer of zhsearch-server's /search. Answers the queries of a
 * pick_queries file from the FTS5 database fts5_index built, doing per query what a
 * zhsearch request does: the ten best passages by bm25 with a snippet(), and a count of
 * every match with year, section and department facets. Times each query class on N
 * threads (one connection each) for S seconds.
 *
 *   fts5_query --db FILE --queries FILE [--seconds S] [--threads N]
 *
 * FTS5's trigram tokenizer cannot use its index for terms under three characters, and
 * SQLite 3.40 answers `text LIKE '%评定%'` on such a table with no rows at all: those
 * terms become `instr(text, '评定') > 0`, a scan of every passage (what later SQLite
 * versions do for a short LIKE). Traditional queries are asked in both scripts
 * (`"知識產權" OR "知识产权"`), as FTS5 does not normalize.
 * Prints one line per class:
 *   fts5_query: class=C p50_ms=X p99_ms=Y qps=Q queries=N avg_total=T avg_expected=E */
#include "config.h"

#include <getopt.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "gen.h"

typedef struct {
    char cls[16];
    char q[128];
    char simplified[128];
    int year_lo, year_hi;     /* 0 when unfiltered */
    char dept[128];
    long expected;
} query_t;

typedef struct {
    const char *db_path;
    const query_t *queries;   /* the class's queries */
    size_t nqueries;
    size_t start;             /* this thread's first query */
    double deadline;
    double *latencies;        /* seconds, one per query run */
    size_t nruns, cap;
    long total_hits;
    int failed;
} worker_t;

/* ---------------------------------------------------------------- facets */

#define FACET_SLOTS 1024

typedef struct {
    char key[FACET_SLOTS][96];
    long count[FACET_SLOTS];
    int used;
} facet_t;

static void facet_add(facet_t *f, const char *key, size_t n)
{
    if (n >= sizeof f->key[0])
        n = sizeof f->key[0] - 1;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)key[i]) * 0x100000001b3ULL;
    size_t j = h & (FACET_SLOTS - 1);
    for (int probes = 0; probes < FACET_SLOTS; probes++, j = (j + 1) & (FACET_SLOTS - 1)) {
        if (!f->count[j]) {
            memcpy(f->key[j], key, n);
            f->key[j][n] = '\0';
            f->count[j] = 1;
            f->used++;
            return;
        }
        if (strncmp(f->key[j], key, n) == 0 && f->key[j][n] == '\0') {
            f->count[j]++;
            return;
        }
    }
}

/* The ten largest counts, as a response would list them; returns their sum so the
 * work cannot be optimized away. */
static long facet_top(const facet_t *f)
{
    long top[10] = {0}, sum = 0;
    for (size_t j = 0; j < FACET_SLOTS; j++) {
        long c = f->count[j];
        for (int k = 0; k < 10; k++) {
            if (c > top[k]) {
                long t = top[k];
                top[k] = c;
                c = t;
            }
        }
    }
    for (int k = 0; k < 10; k++)
        sum += top[k];
    return sum;
}

static void facet_clear(facet_t *f)
{
    if (f->used)
        memset(f->count, 0, sizeof f->count);
    f->used = 0;
}

/* ---------------------------------------------------------------- SQL */

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* Appends s as an FTS5 string: "s", any double quote dropped. */
static void fts5_string(gen_buf_t *out, const char *s)
{
    gen_buf_adds(out, "\"");
    for (; *s; s++)
        gen_buf_add(out, s, *s == '"' ? 0 : 1);
    gen_buf_adds(out, "\"");
}

/* Builds the WHERE clause and MATCH expression of q; *first_term gets the first term,
 * for a snippet when there is no MATCH. Returns whether a MATCH is used. */
static int build_where(const query_t *q, gen_buf_t *where, gen_buf_t *match, char *first_term,
                       size_t first_len)
{
    char simp[128], orig[128];
    snprintf(simp, sizeof simp, "%s", q->simplified);
    snprintf(orig, sizeof orig, "%s", q->q);
    char *save_s = NULL, *save_o = NULL;
    char *ts = strtok_r(simp, " \"", &save_s), *to = strtok_r(orig, " \"", &save_o);
    where->len = match->len = 0;
    gen_buf_adds(where, "1");
    first_term[0] = '\0';
    for (; ts; ts = strtok_r(NULL, " \"", &save_s), to = to ? strtok_r(NULL, " \"", &save_o) : NULL) {
        int two = to && strcmp(to, ts) != 0;
        if (!first_term[0])
            snprintf(first_term, first_len, "%s", ts);
        if (utf8_chars(ts) >= 3) {
            gen_buf_adds(match, match->len ? " AND (" : "(");
            fts5_string(match, ts);
            if (two) {
                gen_buf_adds(match, " OR ");
                fts5_string(match, to);
            }
            gen_buf_adds(match, ")");
        } else {
            char *a = sqlite3_mprintf(" AND (instr(text, '%q') > 0", ts);
            gen_buf_adds(where, a);
            sqlite3_free(a);
            if (two) {
                a = sqlite3_mprintf(" OR instr(text, '%q') > 0", to);
                gen_buf_adds(where, a);
                sqlite3_free(a);
            }
            gen_buf_adds(where, ")");
        }
    }
    if (match->len)
        gen_buf_adds(where, " AND p MATCH ?1");
    if (q->year_lo)
        gen_buf_addf(where, " AND year BETWEEN %d AND %d", q->year_lo, q->year_hi);
    if (q->dept[0]) {
        char *a = sqlite3_mprintf(" AND instr('|' || depts || '|', '|%q|') > 0", q->dept);
        gen_buf_adds(where, a);
        sqlite3_free(a);
    }
    return match->len > 0;
}

/* Where the snippets' and facets' results go, so that computing them is not optimized
 * away. */
static volatile long sink;

/* One query as a zhsearch request would answer it; returns the number of matches, -1
 * on an SQLite error. */
static long run_query(sqlite3 *db, const query_t *q, facet_t *years, facet_t *sections,
                      facet_t *depts)
{
    gen_buf_t where = {0}, match = {0}, sql = {0};
    char first[128];
    int has_match = build_where(q, &where, &match, first, sizeof first);
    long total = -1, check = 0;
    sqlite3_stmt *st = NULL;

    if (has_match)
        gen_buf_addf(&sql, "SELECT doc, line, snippet(p, 0, '<mark>', '</mark>', '…', 24) FROM p "
                     "WHERE %s ORDER BY rank LIMIT 10", where.data);
    else
        gen_buf_addf(&sql, "SELECT doc, line, substr(text, max(1, instr(text, ?2) - 20), 60) "
                     "FROM p WHERE %s LIMIT 10", where.data);
    if (sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK)
        goto out;
    if (has_match)
        sqlite3_bind_text(st, 1, match.data, -1, SQLITE_STATIC);
    else
        sqlite3_bind_text(st, 2, first, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        check += sqlite3_column_bytes(st, 2);
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE)
        goto out;

    sql.len = 0;
    gen_buf_addf(&sql, "SELECT year, section, depts FROM p WHERE %s", where.data);
    if (sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK)
        goto out;
    if (has_match)
        sqlite3_bind_text(st, 1, match.data, -1, SQLITE_STATIC);
    facet_clear(years);
    facet_clear(sections);
    facet_clear(depts);
    long n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        n++;
        const char *y = (const char *)sqlite3_column_text(st, 0);
        const char *s = (const char *)sqlite3_column_text(st, 1);
        const char *d = (const char *)sqlite3_column_text(st, 2);
        facet_add(years, y ? y : "", y ? strlen(y) : 0);
        facet_add(sections, s ? s : "", s ? strlen(s) : 0);
        while (d && *d) {
            size_t len = strcspn(d, "|");
            facet_add(depts, d, len);
            d += len + (d[len] == '|');
        }
    }
    if (rc == SQLITE_DONE) {
        total = n;
        sink += check + facet_top(years) + facet_top(sections) + facet_top(depts);
    }
out:
    if (total < 0)
        fprintf(stderr, "fts5_query: %s: %s\n", q->q, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    gen_buf_release(&where);
    gen_buf_release(&match);
    gen_buf_release(&sql);
    return total;
}

/* ---------------------------------------------------------------- timing */

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA mmap_size=17179869184; PRAGMA cache_size=-131072;", NULL, NULL,
                     NULL) != SQLITE_OK) {
        fprintf(stderr, "fts5_query: %s: %s\n", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

static void *work(void *arg)
{
    worker_t *w = arg;
    sqlite3 *db = open_db(w->db_path);
    facet_t *facets = calloc(3, sizeof *facets);
    if (!db || !facets) {
        w->failed = 1;
        free(facets);
        return NULL;
    }
    for (size_t k = 0; bench_now() < w->deadline || k < w->nqueries; k++) {
        const query_t *q = &w->queries[(w->start + k) % w->nqueries];
        double t0 = bench_now();
        long hits = run_query(db, q, &facets[0], &facets[1], &facets[2]);
        double dt = bench_now() - t0;
        if (hits < 0) {
            w->failed = 1;
            break;
        }
        if (w->nruns == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 1024;
            w->latencies = gen_xrealloc(w->latencies, w->cap * sizeof *w->latencies);
        }
        w->latencies[w->nruns++] = dt;
        w->total_hits += hits;
    }
    free(facets);
    sqlite3_close(db);
    return NULL;
}

static int run_class(const char *db_path, const query_t *queries, size_t n, double seconds,
                     int threads)
{
    worker_t *w = calloc((size_t)threads, sizeof *w);
    pthread_t *tid = calloc((size_t)threads, sizeof *tid);
    if (!w || !tid)
        return -1;
    double t0 = bench_now();
    for (int i = 0; i < threads; i++) {
        w[i] = (worker_t){.db_path = db_path, .queries = queries, .nqueries = n,
                          .start = (size_t)i * n / (size_t)threads, .deadline = t0 + seconds};
        pthread_create(&tid[i], NULL, work, &w[i]);
    }
    size_t runs = 0;
    long hits = 0;
    int failed = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(tid[i], NULL);
        runs += w[i].nruns;
        hits += w[i].total_hits;
        failed |= w[i].failed;
    }
    double wall = bench_now() - t0;
    double *all = gen_xrealloc(NULL, (runs ? runs : 1) * sizeof *all);
    size_t k = 0;
    for (int i = 0; i < threads; i++) {
        memcpy(all + k, w[i].latencies, w[i].nruns * sizeof *all);
        k += w[i].nruns;
        free(w[i].latencies);
    }
    long expected = 0;
    for (size_t i = 0; i < n; i++)
        expected += queries[i].expected;
    printf("fts5_query: class=%s p50_ms=%.3f p99_ms=%.3f qps=%.1f queries=%zu avg_total=%.1f "
           "avg_expected=%.1f%s\n", queries[0].cls, bench_percentile(all, runs, 50) * 1e3,
           bench_percentile(all, runs, 99) * 1e3, runs / wall, runs, runs ? (double)hits / runs : 0.0,
           (double)expected / n, failed ? " FAILED" : "");
    fflush(stdout);
    free(all);
    free(w);
    free(tid);
    return failed ? -1 : 0;
}

static size_t load_queries(const char *path, query_t **out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char *line = NULL;
    size_t cap = 0, n = 0, qcap = 0;
    bench_row_t row;
    query_t *qs = NULL;
    while (bench_manifest_next(f, &line, &cap, &row)) {
        if (row.nfields < 7)
            continue;
        if (n == qcap) {
            qcap = qcap ? qcap * 2 : 64;
            qs = gen_xrealloc(qs, qcap * sizeof *qs);
        }
        query_t *q = &qs[n++];
        memset(q, 0, sizeof *q);
        snprintf(q->cls, sizeof q->cls, "%s", row.field[0]);
        snprintf(q->q, sizeof q->q, "%s", row.field[1]);
        snprintf(q->simplified, sizeof q->simplified, "%s", row.field[2]);
        if (row.field[3][0] && sscanf(row.field[3], "%d..%d", &q->year_lo, &q->year_hi) == 1)
            q->year_hi = q->year_lo;
        snprintf(q->dept, sizeof q->dept, "%s", row.field[4]);
        q->expected = atol(row.field[5]);
    }
    free(line);
    fclose(f);
    *out = qs;
    return n;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'}, {"queries", required_argument, NULL, 'q'},
        {"seconds", required_argument, NULL, 's'}, {"threads", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *queries_path = NULL;
    double seconds = 10;
    int threads = 2, opt;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'q': queries_path = optarg; break;
        case 's': seconds = atof(optarg); break;
        case 't': threads = atoi(optarg); break;
        default: db = NULL; optind = argc;
        }
    }
    if (!db || !queries_path || threads < 1 || optind != argc) {
        fprintf(stderr, "usage: fts5_query --db FILE --queries FILE [--seconds S] [--threads N]\n");
        return 2;
    }
    query_t *qs = NULL;
    size_t n = load_queries(queries_path, &qs);
    if (!n) {
        fprintf(stderr, "fts5_query: no queries in %s\n", queries_path);
        return 2;
    }
    /* Warm the page cache with one pass over every query. */
    sqlite3 *warm = open_db(db);
    facet_t *facets = calloc(3, sizeof *facets);
    if (!warm || !facets)
        return 2;
    for (size_t i = 0; i < n; i++)
        run_query(warm, &qs[i], &facets[0], &facets[1], &facets[2]);
    sqlite3_close(warm);
    free(facets);

    int rc = 0;
    for (size_t i = 0; i < n;) {          /* classes are contiguous in the file */
        size_t j = i;
        while (j < n && strcmp(qs[j].cls, qs[i].cls) == 0)
            j++;
        if (run_class(db, qs + i, j - i, seconds, threads) != 0)
            rc = 1;
        i = j;
    }
    free(qs);
    return rc;
}
