/* End to end over real HTTP: the real zhsearch-index builds an index of the seed corpus
 * in a scratch directory, the real zhsearch-server serves it on a free port, and every
 * answer is checked against the corpus text itself (grep-like expectations computed
 * here, independent of the library), plus errors, CORS, /doc, /health, /stats,
 * /metrics, the web page, new revisions, --rebuild swaps, a vanishing index, SIGHUP,
 * parallel clients during indexing, and SIGTERM. */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cunit_run.h"
#include "http_client.h"
#include "proc_util.h"

#define INDEXER ZHS_TEST_BUILDDIR "/indexer/zhsearch-index"
#define SERVER ZHS_TEST_BUILDDIR "/server/zhsearch-server"
#define CORPUS ZHS_TEST_SRCDIR "/corpus"
#define THESAURUS ZHS_TEST_SRCDIR "/thesaurus/zh-policy.txt"
#define CORS_ORIGIN "https://cors.example"

/* The seed files whose passages every query below must find exactly; other files
 * (000 repeats a part of 001) are only checked for containing the match. */
static const char *const four_files[] = {
    "001_fd8bcf01d029cd12.txt", "002_63669fec260b4861.txt",
    "003_a2da86337d7ff50c.txt", "004_943963b27e31b63c.txt",
};

static char *tmp;              /* scratch directory of this run */
static server_t search_srv;    /* serves an index of the seed corpus, --cors set */
static server_t live_srv;      /* serves the index the lifecycle tests change */

/* ------------------------------------------------------------ helpers */

/* Percent-encoded s; kept in a small ring so calls can sit inside one format. */
static const char *enc(const char *s)
{
    static char *ring[16];
    static unsigned next;
    unsigned i = next++ % 16;
    free(ring[i]);
    return ring[i] = http_encode(s);
}

static json_t *get_json(unsigned port, int *status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static json_t *get_json(unsigned port, int *status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *target = str_vprintf(fmt, ap);
    va_end(ap);
    json_t *j = target ? http_get_json(port, target, status) : NULL;
    free(target);
    return j;
}

static const char *jstr(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static long long jint(json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

/* Lines [a, b] (1-based) of a corpus file, joined, or NULL. Caller frees. */
static char *corpus_lines(const char *dir, const char *file, long a, long b)
{
    char *path = str_printf("%s/%s", dir, file);
    char *text = read_file(path, NULL);
    free(path);
    if (!text)
        return NULL;
    char *out = calloc(1, strlen(text) + 1);
    size_t len = 0;
    long line = 1;
    for (char *p = text; *p && line <= b; line++) {
        char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (line >= a) {
            memcpy(out + len, p, n);
            len += n;
        }
        p += n + (eol ? 1 : 0);
    }
    free(text);
    return out;
}

static bool contains_any(const char *text, const char *const *needles)
{
    for (; *needles; needles++)
        if (strstr(text, *needles))
            return true;
    return false;
}

static bool is_four(const char *file)
{
    for (size_t i = 0; i < 4; i++)
        if (strcmp(file, four_files[i]) == 0)
            return true;
    return false;
}

/* A sorted list of "file:line" keys. */
typedef struct {
    char **v;
    size_t n;
} keyset_t;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void keyset_add(keyset_t *s, char *key)
{
    s->v = realloc(s->v, (s->n + 1) * sizeof *s->v);
    s->v[s->n++] = key;
}

static void keyset_release(keyset_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

/* Lines of the four files containing any needle: what a passage search must find. */
static void grep_four(const char *const *needles, keyset_t *out)
{
    memset(out, 0, sizeof *out);
    for (size_t f = 0; f < 4; f++) {
        char *path = str_printf("%s/%s", CORPUS, four_files[f]);
        char *text = read_file(path, NULL);
        free(path);
        long line = 1;
        for (char *p = text; p && *p; line++) {
            char *eol = strchr(p, '\n');
            if (eol)
                *eol = '\0';
            if (contains_any(p, needles))
                keyset_add(out, str_printf("%s:%ld", four_files[f], line));
            p = eol ? eol + 1 : p + strlen(p);
        }
        free(text);
    }
    qsort(out->v, out->n, sizeof *out->v, cmp_str);
}

/* The passage hits of a group=passage result that lie in the four files; every other
 * hit must contain a needle in its lines of the corpus. */
static void hits_of_four(json_t *res, const char *const *needles, keyset_t *out)
{
    memset(out, 0, sizeof *out);
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(res, "hits"), i, hit) {
        const char *file = jstr(hit, "file");
        long a = (long)jint(hit, "line_start"), b = (long)jint(hit, "line_end");
        CU_ASSERT_PTR_NOT_NULL_FATAL(file);
        if (is_four(file)) {
            keyset_add(out, str_printf("%s:%ld", file, a));
            CU_ASSERT_EQUAL(a, b);
        } else {
            char *text = corpus_lines(CORPUS, file, a, b);
            CU_ASSERT_TRUE(text && contains_any(text, needles));
            free(text);
        }
    }
    qsort(out->v, out->n, sizeof *out->v, cmp_str);
}

static void assert_same_keys(const keyset_t *got, const keyset_t *want)
{
    bool same = got->n == want->n;
    for (size_t i = 0; same && i < got->n; i++)
        same = strcmp(got->v[i], want->v[i]) == 0;
    if (!same) {
        fprintf(stderr, "\ngot %zu hits:", got->n);
        for (size_t i = 0; i < got->n; i++)
            fprintf(stderr, " %s", got->v[i]);
        fprintf(stderr, "\nwant %zu:", want->n);
        for (size_t i = 0; i < want->n; i++)
            fprintf(stderr, " %s", want->v[i]);
        fprintf(stderr, "\n");
    }
    CU_ASSERT_TRUE(same);
}

/* The value of one metrics line ("name{labels} value"), 0 when absent. */
static unsigned long long metric(unsigned port, const char *series)
{
    http_response_t r;
    if (http_request(port, "GET", "/metrics", NULL, &r) != 0)
        return 0;
    unsigned long long v = 0;
    size_t n = strlen(series);
    for (const char *p = r.body; p && *p;) {
        if (strncmp(p, series, n) == 0 && p[n] == ' ')
            v = strtoull(p + n + 1, NULL, 10);
        const char *eol = strchr(p, '\n');
        p = eol ? eol + 1 : NULL;
    }
    http_response_release(&r);
    return v;
}

/* group=doc total for q on port (-1 on any failure). */
static long long total_for(unsigned port, const char *q)
{
    int status;
    json_t *res = get_json(port, &status, "/search?q=%s&facets=none", enc(q));
    long long t = res && status == 200 ? jint(res, "total") : -1;
    json_decref(res);
    return t;
}

/* Polls until total_for(q) == want (at most 60 s: the server looks every 100 ms per
 * request and every second when idle). The worker that answered has seen the change;
 * every other one sees it at its next request once its last look is 100 ms old, so
 * this waits 250 ms more before returning the last total. */
static long long wait_total(unsigned port, const char *q, long long want)
{
    long long t = -1;
    for (int i = 0; i < 600 && (t = total_for(port, q)) != want; i++)
        sleep_ms(100);
    sleep_ms(250);
    return t;
}

static int run_indexer(const char *db, const char *corpus, bool rebuild)
{
    char *log = str_printf("%s/indexer.log", tmp);
    char *argv[] = {INDEXER, "--db", (char *)db, "--synonyms", THESAURUS,
                    rebuild ? "--rebuild" : (char *)corpus, rebuild ? (char *)corpus : NULL,
                    NULL};
    int rc = proc_run(argv, log);
    free(log);
    return rc;
}

static int start_server(server_t *s, const char *db, const char *cors, int *exit_status)
{
    char *log = str_printf("%s/server.log", tmp);
    char *argv[] = {SERVER, "--db", (char *)db, "--listen", "127.0.0.1:0", "--threads", "2",
                    cors ? "--cors" : NULL, (char *)cors, NULL};
    int rc = server_start(s, argv, log, exit_status);
    free(log);
    return rc;
}

/* ------------------------------------------------------------ suite setup */

static int setup_search(void)
{
    const char *base = getenv("TMPDIR");
    char *t = str_printf("%s/zhs-e2e-XXXXXX", base && *base ? base : "/tmp");
    tmp = mkdtemp(t) ? t : (free(t), NULL);
    if (!tmp)
        return 1;
    char *db = str_printf("%s/index", tmp);
    char *web = str_printf("%s/web", tmp);
    char *page = str_printf("%s/web/index.html", tmp);
    char *js = str_printf("%s/web/app.js", tmp);
    int rc = mkdir(web, 0755) || write_file(page, "<title>zhsearch test page</title>\n") ||
             write_file(js, "console.log('zhsearch');\n");
    setenv("ZHSEARCH_WEB", web, 1);
    if (rc == 0 && run_indexer(db, CORPUS, false) != 0) {
        fprintf(stderr, "zhsearch-index failed: see %s/indexer.log\n", tmp);
        rc = 1;
    }
    if (rc == 0 && start_server(&search_srv, db, CORS_ORIGIN, NULL) != 0) {
        fprintf(stderr, "zhsearch-server did not start: see %s/server.log\n", tmp);
        rc = 1;
    }
    free(db);
    free(web);
    free(page);
    free(js);
    return rc;
}

static int teardown_search(void)
{
    int rc = server_stop(&search_srv, SIGTERM);
    return rc == 0 ? 0 : 1;
}

/* ------------------------------------------------------------ search results */

static const char *const ip_needles[] = {"知识产权", "知識產權", NULL};

static void traditional_and_simplified_queries_give_the_same_hits(void)
{
    int s1, s2;
    json_t *simp = get_json(search_srv.port, &s1, "/search?q=%s&group=passage&limit=100",
                            enc("知识产权"));
    json_t *trad = get_json(search_srv.port, &s2, "/search?q=%s&group=passage&limit=100",
                            enc("知識產權"));
    CU_ASSERT_EQUAL_FATAL(s1, 200);
    CU_ASSERT_EQUAL_FATAL(s2, 200);
    ZHS_ASSERT_STR(jstr(json_object_get(trad, "query"), "normalized"), "知识产权");
    ZHS_ASSERT_STR(jstr(json_object_get(trad, "query"), "q"), "知識產權");
    CU_ASSERT_EQUAL(jint(simp, "total"), jint(trad, "total"));
    CU_ASSERT_EQUAL(jint(simp, "total"), (long long)json_array_size(json_object_get(simp, "hits")));
    /* Same passages in the same order (scores may differ only by the query text). */
    json_t *hs = json_object_get(simp, "hits"), *ht = json_object_get(trad, "hits");
    CU_ASSERT_EQUAL_FATAL(json_array_size(hs), json_array_size(ht));
    for (size_t i = 0; i < json_array_size(hs); i++) {
        ZHS_ASSERT_STR(jstr(json_array_get(hs, i), "file"), jstr(json_array_get(ht, i), "file"));
        CU_ASSERT_EQUAL(jint(json_array_get(hs, i), "line_start"),
                        jint(json_array_get(ht, i), "line_start"));
    }
    keyset_t got, want;
    hits_of_four(simp, ip_needles, &got);
    grep_four(ip_needles, &want);
    assert_same_keys(&got, &want);
    size_t want003 = 0;
    for (size_t k = 0; k < want.n; k++)
        want003 += strncmp(want.v[k], "003_", 4) == 0;
    CU_ASSERT_EQUAL(want003, 3);
    keyset_release(&got);
    keyset_release(&want);
    /* 003 is in Traditional script: its snippets show the original characters. */
    size_t i, n003 = 0;
    json_t *hit;
    json_array_foreach(hs, i, hit) {
        if (strcmp(jstr(hit, "file"), "003_a2da86337d7ff50c.txt") != 0)
            continue;
        n003++;
        const char *snip = jstr(hit, "snippet");
        CU_ASSERT_TRUE(snip && strstr(snip, "<mark>知識產權</mark>"));
    }
    CU_ASSERT_EQUAL(n003, want003);
    json_decref(simp);
    json_decref(trad);
}

static void phrase_query_finds_only_the_exact_phrase(void)
{
    int status;
    json_t *res = get_json(search_srv.port, &status, "/search?q=%s&group=passage&limit=100",
                           enc("\"科技金融\""));
    CU_ASSERT_EQUAL_FATAL(status, 200);
    const char *const needles[] = {"科技金融", NULL};
    keyset_t got, want;
    hits_of_four(res, needles, &got);
    grep_four(needles, &want);
    CU_ASSERT_EQUAL(want.n, 11);      /* 8 lines of 002, 3 of 003 */
    assert_same_keys(&got, &want);
    keyset_release(&got);
    keyset_release(&want);
    json_decref(res);
}

/* 减税 is nowhere in the corpus: the shipped thesaurus finds what the texts say instead
 * (税收优惠 in 001 line 81, among others), flagged as not exact, marked. */
static void concept_query_finds_the_passages_of_its_synonyms(void)
{
    int status;
    json_t *res = get_json(search_srv.port, &status, "/search?q=%s&group=passage&limit=100",
                           enc("减税"));
    CU_ASSERT_EQUAL_FATAL(status, 200);
    json_t *query = json_object_get(res, "query");
    CU_ASSERT_TRUE(json_is_true(json_object_get(query, "relaxed")));
    bool lists_it = false;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(query, "synonyms"), i, v)
        lists_it = lists_it || strcmp(json_string_value(v), "税收优惠") == 0;
    CU_ASSERT_TRUE(lists_it);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "exact_total")), 0);
    CU_ASSERT_TRUE(json_array_size(json_object_get(res, "hits")) >= 5);
    bool found_81 = false;
    json_array_foreach(json_object_get(res, "hits"), i, v) {
        CU_ASSERT_TRUE(json_is_false(json_object_get(v, "exact")));
        CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_object_get(v, "snippet")), "<mark>"));
        found_81 = found_81 || (strcmp(json_string_value(json_object_get(v, "file")),
                                       "001_fd8bcf01d029cd12.txt") == 0 &&
                                json_integer_value(json_object_get(v, "line_start")) == 81);
    }
    CU_ASSERT_TRUE(found_81);
    json_decref(res);
}

static void single_character_finds_every_passage_with_it(void)
{
    int status;
    json_t *res = get_json(search_srv.port, &status, "/search?q=%s&group=passage&limit=100",
                           enc("税"));
    CU_ASSERT_EQUAL_FATAL(status, 200);
    const char *const needles[] = {"税", "稅", NULL};
    keyset_t got, want;
    hits_of_four(res, needles, &got);
    grep_four(needles, &want);
    assert_same_keys(&got, &want);
    keyset_release(&got);
    keyset_release(&want);
    json_decref(res);
}

static long long facet_count(json_t *res, const char *facet, const char *value)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(json_object_get(res, "facets"), facet), i, f)
        if (strcmp(jstr(f, "value"), value) == 0)
            return jint(f, "count");
    return 0;
}

static long long facet_sum(json_t *res, const char *facet)
{
    long long sum = 0;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(json_object_get(res, "facets"), facet), i, f)
        sum += jint(f, "count");
    return sum;
}

static bool has_department(json_t *hit, const char *name)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(hit, "departments"), i, d)
        if (strcmp(jstr(d, "name"), name) == 0)
            return true;
    return false;
}

static void department_filter_inline_and_parameter_agree_with_the_facet(void)
{
    int s1, s2, s3;
    json_t *inl = get_json(search_srv.port, &s1, "/search?q=%s&group=passage&limit=100",
                           enc("dept:市科技局"));
    json_t *par = get_json(search_srv.port, &s2, "/search?dept=%s&group=passage&limit=100",
                           enc("市科技局"));
    /* Every passage (all years, known or not), counted by department. */
    json_t *all = get_json(search_srv.port, &s3,
                           "/search?year=..2100&year=unknown&group=passage&limit=0"
                           "&facets=department");
    CU_ASSERT_EQUAL_FATAL(s1, 200);
    CU_ASSERT_EQUAL_FATAL(s2, 200);
    CU_ASSERT_EQUAL_FATAL(s3, 200);
    long long total = jint(par, "total");
    CU_ASSERT_TRUE(total > 0);
    CU_ASSERT_EQUAL(total, (long long)json_array_size(json_object_get(par, "hits")));
    CU_ASSERT_EQUAL(jint(inl, "total"), total);
    CU_ASSERT_TRUE(json_equal(json_object_get(inl, "hits"), json_object_get(par, "hits")));
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(par, "hits"), i, hit)
        CU_ASSERT_TRUE(has_department(hit, "市科技局"));
    CU_ASSERT_EQUAL(facet_count(par, "department", "市科技局"), total);
    CU_ASSERT_EQUAL(facet_count(all, "department", "市科技局"), total);
    json_decref(inl);
    json_decref(par);
    json_decref(all);
}

/* For each value of facet name in res (a group=passage search for 创新), filtering on
 * that value finds exactly its count. */
static void assert_filter_counts(json_t *res, const char *name)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(json_object_get(res, "facets"), name), i, f) {
        int status;
        json_t *one = get_json(search_srv.port, &status,
                               "/search?q=%s&group=passage&limit=0&%s=%s", enc("创新"),
                               name, enc(jstr(f, "value")));
        CU_ASSERT_EQUAL(status, 200);
        CU_ASSERT_EQUAL(jint(one, "total"), jint(f, "count"));
        json_decref(one);
    }
}

static void year_and_section_facets_sum_consistently(void)
{
    int status;
    json_t *doc = get_json(search_srv.port, &status, "/search?q=%s&limit=0", enc("创新"));
    CU_ASSERT_EQUAL_FATAL(status, 200);
    CU_ASSERT_TRUE(jint(doc, "total") >= 4);
    CU_ASSERT_EQUAL(facet_sum(doc, "year"), jint(doc, "total"));
    json_t *pas = get_json(search_srv.port, &status, "/search?q=%s&group=passage&limit=0",
                           enc("创新"));
    CU_ASSERT_EQUAL_FATAL(status, 200);
    long long total = jint(pas, "total");
    CU_ASSERT_TRUE(total > jint(doc, "total"));
    CU_ASSERT_EQUAL(facet_sum(pas, "year"), total);
    CU_ASSERT_TRUE(facet_sum(pas, "section") > 0 && facet_sum(pas, "section") <= total);
    /* Filtering on a facet value gives exactly its count. */
    assert_filter_counts(pas, "year");
    assert_filter_counts(pas, "section");
    json_decref(doc);
    json_decref(pas);
}

/* The first n values of a facet, as "value=count,..." (to compare lists). */
static char *facet_head(json_t *res, const char *facet, size_t n)
{
    char *out = str_printf("%s", "");
    json_t *values = json_object_get(json_object_get(res, "facets"), facet);
    for (size_t i = 0; i < n && i < json_array_size(values); i++) {
        json_t *v = json_array_get(values, i);
        char *next = str_printf("%s%s=%lld,", out, jstr(v, "value"), jint(v, "count"));
        free(out);
        out = next;
    }
    return out;
}

static void facet_limit_keeps_the_most_frequent_values(void)
{
    int s1, s2;
    json_t *all = get_json(search_srv.port, &s1, "/search?q=%s&group=passage&facet_limit=0",
                           enc("创新"));
    json_t *two = get_json(search_srv.port, &s2, "/search?q=%s&group=passage&facet_limit=2",
                           enc("创新"));
    CU_ASSERT_EQUAL_FATAL(s1 + s2, 400);
    static const char *const facets[] = {"department", "year", "section"};
    for (size_t f = 0; f < 3; f++) {
        json_t *full = json_object_get(json_object_get(all, "facets"), facets[f]);
        json_t *cut = json_object_get(json_object_get(two, "facets"), facets[f]);
        CU_ASSERT_TRUE(json_array_size(full) > 2);
        CU_ASSERT_EQUAL(json_array_size(cut), 2);
        char *a = facet_head(all, facets[f], 2), *b = facet_head(two, facets[f], 2);
        ZHS_ASSERT_STR(b, a);
        free(a);
        free(b);
        /* Most frequent first. */
        CU_ASSERT_TRUE(jint(json_array_get(full, 0), "count") >=
                       jint(json_array_get(full, json_array_size(full) - 1), "count"));
    }
    CU_ASSERT_EQUAL(jint(two, "total"), jint(all, "total"));
    json_decref(all);
    json_decref(two);
    int status;
    json_t *bad = get_json(search_srv.port, &status, "/search?q=x&facet_limit=-1");
    CU_ASSERT_EQUAL(status, 400);
    ZHS_ASSERT_STR(jstr(json_object_get(bad, "error"), "code"), "bad_parameter");
    json_decref(bad);
}

static void pages_are_disjoint_and_continue_each_other(void)
{
    int s1, s2, s3;
    json_t *p1 = get_json(search_srv.port, &s1, "/search?q=%s&group=passage&limit=5", enc("创新"));
    json_t *p2 = get_json(search_srv.port, &s2, "/search?q=%s&group=passage&limit=5&offset=5",
                          enc("创新"));
    json_t *both = get_json(search_srv.port, &s3, "/search?q=%s&group=passage&limit=10",
                            enc("创新"));
    CU_ASSERT_EQUAL_FATAL(s1 + s2 + s3, 600);
    json_t *h1 = json_object_get(p1, "hits"), *h2 = json_object_get(p2, "hits"),
           *hb = json_object_get(both, "hits");
    CU_ASSERT_EQUAL_FATAL(json_array_size(h1), 5);
    CU_ASSERT_EQUAL_FATAL(json_array_size(h2), 5);
    CU_ASSERT_EQUAL_FATAL(json_array_size(hb), 10);
    for (size_t i = 0; i < 5; i++) {
        CU_ASSERT_TRUE(json_equal(json_array_get(h1, i), json_array_get(hb, i)));
        CU_ASSERT_TRUE(json_equal(json_array_get(h2, i), json_array_get(hb, i + 5)));
        for (size_t j = 0; j < 5; j++)
            CU_ASSERT_FALSE(
                strcmp(jstr(json_array_get(h1, i), "file"), jstr(json_array_get(h2, j), "file")) == 0 &&
                jint(json_array_get(h1, i), "line_start") == jint(json_array_get(h2, j), "line_start"));
    }
    CU_ASSERT_EQUAL(jint(p1, "total"), jint(p2, "total"));
    json_decref(p1);
    json_decref(p2);
    json_decref(both);
}

/* ------------------------------------------------------------ errors */

static void expect_error(const char *method, const char *target, int status, const char *code)
{
    http_response_t r;
    CU_ASSERT_EQUAL_FATAL(http_request(search_srv.port, method, target, NULL, &r), 0);
    char ct[80];
    if (r.status != status)
        fprintf(stderr, "\n%s %.80s: got %d, want %d\n", method, target, r.status, status);
    CU_ASSERT_EQUAL(r.status, status);
    ZHS_ASSERT_STR(http_header(&r, "Content-Type", ct, sizeof ct),
                   "application/json; charset=utf-8");
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    json_t *err = json_object_get(j, "error");
    ZHS_ASSERT_STR(jstr(err, "code"), code);
    CU_ASSERT_TRUE(jstr(err, "message") && *jstr(err, "message"));
    json_decref(j);
    http_response_release(&r);
}

static void every_bad_request_gets_its_status_and_code(void)
{
    static const struct {
        const char *target;
        int status;
        const char *code;
    } cases[] = {
        {"/search", 400, "empty_query"},
        {"/search?q=", 400, "empty_query"},
        {"/search?q=+++", 400, "empty_query"},
        {"/search?q=%FF%FE", 400, "bad_utf8"},
        {"/search?q=%E7%9F", 400, "bad_utf8"},
        {"/search?q=x&dept=%C0%AF", 400, "bad_utf8"},
        {"/search?q=%zz", 400, "bad_parameter"},
        {"/search?q=abc%", 400, "bad_parameter"},
        {"/search?q=a%00b", 400, "bad_parameter"},
        {"/search?q=x&limit=101", 400, "bad_parameter"},
        {"/search?q=x&limit=ten", 400, "bad_parameter"},
        {"/search?q=x&offset=-1", 400, "bad_parameter"},
        {"/search?q=x&offset=20000", 400, "bad_parameter"},
        {"/search?q=x&offset=99999999999999999999999", 400, "bad_parameter"},
        {"/search?q=x&sort=up", 400, "bad_parameter"},
        {"/search?q=x&group=file", 400, "bad_parameter"},
        {"/search?q=x&facets=colour", 400, "bad_parameter"},
        {"/search?q=x&year=20x6", 400, "bad_parameter"},
        {"/search?q=x&unknown=1", 400, "bad_parameter"},
        {"/search?q=dept%3A", 400, "bad_query"},
        {"/search?q=year%3A20x6", 400, "bad_query"},
        {"/doc/no_such_document", 404, "not_found"},
        {"/doc/", 404, "not_found"},
        {"/doc/002_63669fec260b4861?limit=1", 400, "bad_parameter"},
        {"/doc/%FF", 400, "bad_utf8"},
        {"/no/such/path", 404, "not_found"},
        {"/search/", 404, "not_found"},
        {"/health?x=1", 400, "bad_parameter"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_error("GET", cases[i].target, cases[i].status, cases[i].code);
}

static void query_over_1024_bytes_is_413_and_long_uri_414(void)
{
    /* 342 x 知 = 1026 bytes of q. */
    char *q = malloc(342 * 3 + 1);
    for (int i = 0; i < 342; i++)
        memcpy(q + 3 * i, "知", 3);
    q[342 * 3] = '\0';
    char *target = str_printf("/search?q=%s", enc(q));
    expect_error("GET", target, 413, "query_too_long");
    free(target);
    q[341 * 3] = '\0';       /* 1023 bytes: fine */
    target = str_printf("/search?q=%s", enc(q));
    http_response_t r;
    CU_ASSERT_EQUAL(http_request(search_srv.port, "GET", target, NULL, &r), 0);
    CU_ASSERT_EQUAL(r.status, 200);
    http_response_release(&r);
    free(target);
    free(q);
    char *longq = malloc(9001);
    memset(longq, 'a', 9000);
    longq[9000] = '\0';
    target = str_printf("/search?q=x&pad=%s", longq);
    expect_error("GET", target, 414, "uri_too_long");
    free(target);
    free(longq);
}

static void wrong_method_is_405_with_allow(void)
{
    expect_error("POST", "/search?q=x", 405, "method_not_allowed");
    expect_error("DELETE", "/doc/002_63669fec260b4861", 405, "method_not_allowed");
    http_response_t r;
    char allow[64];
    CU_ASSERT_EQUAL_FATAL(http_request(search_srv.port, "PUT", "/health", NULL, &r), 0);
    CU_ASSERT_EQUAL(r.status, 405);
    ZHS_ASSERT_STR(http_header(&r, "Allow", allow, sizeof allow), "GET, HEAD, OPTIONS");
    http_response_release(&r);
}

/* Random requests (paths, methods, parameters with junk, bad percent-encoding, raw
 * UTF-8 and invalid bytes) each get a status of the contract and, for an error, its
 * JSON; the server is healthy after them. Seeded: a failure repeats. */
static void random_requests_get_a_status_of_the_contract(void)
{
    static const char *const paths[] = {
        "/search", "/search", "/search", "/doc/001_fd8bcf01d029cd12", "/doc/", "/doc/%2e%2e",
        "/stats", "/health", "/metrics", "/nope", "//search", "/search%00", "/doc/%FF"};
    static const char *const pieces[] = {
        "q=", "q=", "知识产权", "%E7%9F%A5", "%", "%G1", "%00", "%FF", "%E7%9F", "&", "=",
        "dept=", "year=", "2016..2020", "limit=", "101", "-1", "offset=", "99999999999",
        "sort=", "date", "group=", "passage", "facets=", "department", "snippet=", "near=",
        "false", "+", "%20", "%22", "(", ")", "OR", "NOT", "-", "dept:", "市科技局", "税",
        "%2B", ";", "..", "year%3A", "%3A", "\xff", "\xe4\xb8"};
    static const char *const methods[] = {"GET", "GET", "GET", "HEAD", "POST", "OPTIONS"};
    static const int allowed[] = {200, 204, 400, 404, 405, 413, 414};
    unsigned seed = 20261208;
    for (int round = 0; round < 500; round++) {
        char target[2048];
        size_t n = (size_t)snprintf(target, sizeof target, "%s",
                                    paths[(unsigned)rand_r(&seed) % (sizeof paths / sizeof *paths)]);
        if (rand_r(&seed) % 5) {
            target[n++] = '?';
            for (int k = rand_r(&seed) % 12; k > 0; k--) {
                const char *p = pieces[(unsigned)rand_r(&seed) % (sizeof pieces / sizeof *pieces)];
                if (n + strlen(p) + 1 < sizeof target)
                    n += (size_t)snprintf(target + n, sizeof target - n, "%s", p);
            }
            target[n] = '\0';
        }
        const char *method = methods[(unsigned)rand_r(&seed) % (sizeof methods / sizeof *methods)];
        http_response_t r;
        CU_ASSERT_EQUAL_FATAL(http_request(search_srv.port, method, target, NULL, &r), 0);
        bool known = false;
        for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
            known = known || r.status == allowed[i];
        if (!known)
            fprintf(stderr, "\n%s %s: status %d\n", method, target, r.status);
        CU_ASSERT_TRUE(known);
        bool api = strncmp(target, "/search", 7) == 0 || strncmp(target, "/doc/", 5) == 0;
        if (r.status >= 400 && api && strcmp(method, "HEAD") != 0) {
            json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
            json_t *err = json_object_get(j, "error");
            CU_ASSERT_TRUE(jstr(err, "code") && jstr(err, "message") && *jstr(err, "message"));
            json_decref(j);
        }
        http_response_release(&r);
    }
    int status;
    json_decref(get_json(search_srv.port, &status, "/health"));
    CU_ASSERT_EQUAL(status, 200);
}

static void cors_headers_and_preflight(void)
{
    http_response_t r;
    char v[128];
    CU_ASSERT_EQUAL_FATAL(http_request(search_srv.port, "OPTIONS", "/search?q=x",
                                       "Origin: https://cors.example\r\n"
                                       "Access-Control-Request-Method: GET\r\n"
                                       "Access-Control-Request-Headers: X-Requested-With\r\n",
                                       &r), 0);
    CU_ASSERT_EQUAL(r.status, 204);
    CU_ASSERT_EQUAL(r.body_len, 0);
    ZHS_ASSERT_STR(http_header(&r, "Access-Control-Allow-Origin", v, sizeof v), CORS_ORIGIN);
    ZHS_ASSERT_STR(http_header(&r, "Access-Control-Allow-Methods", v, sizeof v),
                   "GET, HEAD, OPTIONS");
    ZHS_ASSERT_STR(http_header(&r, "Access-Control-Allow-Headers", v, sizeof v),
                   "X-Requested-With");
    ZHS_ASSERT_STR(http_header(&r, "Vary", v, sizeof v), "Origin");
    ZHS_ASSERT_STR(http_header(&r, "Access-Control-Max-Age", v, sizeof v), "86400");
    http_response_release(&r);
    /* Plain responses, errors included, carry the origin too. */
    CU_ASSERT_EQUAL_FATAL(http_request(search_srv.port, "GET", "/search", NULL, &r), 0);
    CU_ASSERT_EQUAL(r.status, 400);
    ZHS_ASSERT_STR(http_header(&r, "Access-Control-Allow-Origin", v, sizeof v), CORS_ORIGIN);
    http_response_release(&r);
}

/* ------------------------------------------------------------ other endpoints */

static int count_occurrences(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void doc_returns_the_text_and_marks_every_match(void)
{
    int status;
    const char *id = "002_63669fec260b4861";
    char *path = str_printf("%s/%s.txt", CORPUS, id);
    char *text = read_file(path, NULL);
    free(path);
    json_t *plain = get_json(search_srv.port, &status, "/doc/%s", id);
    CU_ASSERT_EQUAL_FATAL(status, 200);
    ZHS_ASSERT_STR(jstr(plain, "doc"), id);
    ZHS_ASSERT_STR(jstr(plain, "file"), "002_63669fec260b4861.txt");
    ZHS_ASSERT_STR(jstr(plain, "text"), text);
    CU_ASSERT_PTR_NULL(json_object_get(plain, "html"));
    json_t *marked = get_json(search_srv.port, &status, "/doc/%s?q=%s", id, enc("知識產權"));
    CU_ASSERT_EQUAL_FATAL(status, 200);
    int n = count_occurrences(text, "知识产权");
    CU_ASSERT_EQUAL(n, 30);
    CU_ASSERT_EQUAL(jint(marked, "matches"), n);
    const char *html = jstr(marked, "html");
    CU_ASSERT_PTR_NOT_NULL_FATAL(html);
    CU_ASSERT_EQUAL(count_occurrences(html, "<mark>知识产权</mark>"), n);
    keyset_t want;
    const char *const needles[] = {"知识产权", NULL};
    grep_four(needles, &want);
    size_t k = 0;
    for (size_t i = 0; i < want.n; i++)
        k += strncmp(want.v[i], "002_", 4) == 0;
    json_t *lines = json_object_get(marked, "match_lines");
    CU_ASSERT_EQUAL(json_array_size(lines), k);
    for (size_t i = 0; i < json_array_size(lines); i++) {
        char *l = corpus_lines(CORPUS, "002_63669fec260b4861.txt",
                               (long)json_integer_value(json_array_get(lines, i)),
                               (long)json_integer_value(json_array_get(lines, i)));
        CU_ASSERT_TRUE(l && strstr(l, "知识产权"));
        free(l);
    }
    keyset_release(&want);
    json_decref(plain);
    json_decref(marked);
    free(text);
}

static void health_and_stats_describe_the_index(void)
{
    int status;
    json_t *h = get_json(search_srv.port, &status, "/health");
    CU_ASSERT_EQUAL(status, 200);
    ZHS_ASSERT_STR(jstr(h, "status"), "ok");
    json_t *s = get_json(search_srv.port, &status, "/stats");
    CU_ASSERT_EQUAL_FATAL(status, 200);
    CU_ASSERT_EQUAL(jint(s, "documents"), 5);
    CU_ASSERT_TRUE(jint(s, "passages") > 100);
    CU_ASSERT_EQUAL(jint(s, "deleted_passages"), 0);
    CU_ASSERT_TRUE(jint(s, "synonym_words") > 100);   /* the shipped thesaurus */
    CU_ASSERT_TRUE(jint(s, "revision") >= 1);
    CU_ASSERT_EQUAL(jint(s, "revision"), jint(h, "revision"));
    CU_ASSERT_EQUAL(jint(s, "threads"), 2);
    CU_ASSERT_TRUE(json_real_value(json_object_get(s, "uptime_s")) > 0);
    CU_ASSERT_PTR_NOT_NULL(jstr(s, "index_time"));
    json_decref(h);
    json_decref(s);
}

static void metrics_count_requests_and_show_the_revision(void)
{
    const char *ok = "zhsearch_http_requests_total{route=\"/health\",status=\"200\"}";
    const char *count = "zhsearch_http_request_duration_seconds_count{route=\"/health\"}";
    unsigned long long ok0 = metric(search_srv.port, ok), n0 = metric(search_srv.port, count);
    for (int i = 0; i < 3; i++) {
        int status;
        json_decref(get_json(search_srv.port, &status, "/health"));
    }
    CU_ASSERT_EQUAL(metric(search_srv.port, ok), ok0 + 3);
    CU_ASSERT_EQUAL(metric(search_srv.port, count), n0 + 3);
    int status;
    json_t *s = get_json(search_srv.port, &status, "/stats");
    CU_ASSERT_EQUAL(metric(search_srv.port, "zhsearch_index_revision"),
                    (unsigned long long)jint(s, "revision"));
    CU_ASSERT_EQUAL(metric(search_srv.port, "zhsearch_index_up"), 1);
    json_decref(s);
    http_response_t r;
    char ct[80];
    http_request(search_srv.port, "GET", "/metrics", NULL, &r);
    ZHS_ASSERT_STR(http_header(&r, "Content-Type", ct, sizeof ct),
                   "text/plain; version=0.0.4; charset=utf-8");
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "# TYPE zhsearch_http_request_duration_seconds histogram\n"));
    http_response_release(&r);
}

static void web_page_and_files_are_served(void)
{
    http_response_t r;
    char v[80];
    CU_ASSERT_EQUAL_FATAL(http_request(search_srv.port, "GET", "/", NULL, &r), 0);
    CU_ASSERT_EQUAL(r.status, 200);
    ZHS_ASSERT_STR(r.body, "<title>zhsearch test page</title>\n");
    ZHS_ASSERT_STR(http_header(&r, "Content-Type", v, sizeof v), "text/html; charset=utf-8");
    http_response_release(&r);
    CU_ASSERT_EQUAL_FATAL(http_request(search_srv.port, "GET", "/app.js", NULL, &r), 0);
    CU_ASSERT_EQUAL(r.status, 200);
    ZHS_ASSERT_STR(r.body, "console.log('zhsearch');\n");
    ZHS_ASSERT_STR(http_header(&r, "Content-Type", v, sizeof v), "text/javascript; charset=utf-8");
    http_response_release(&r);
    /* HEAD: the length of the page, no body: the next reply on the connection starts
     * right after the headers. */
    int fd = http_connect(search_srv.port);
    CU_ASSERT_EQUAL_FATAL(http_exchange(fd, "HEAD", "/", NULL, &r), 0);
    CU_ASSERT_EQUAL(r.status, 200);
    ZHS_ASSERT_STR(http_header(&r, "Content-Length", v, sizeof v), "34");
    CU_ASSERT_EQUAL(r.body_len, 0);
    http_response_release(&r);
    CU_ASSERT_EQUAL(http_exchange(fd, "GET", "/health", NULL, &r), 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(r.body[0], '{');
    http_response_release(&r);
    close(fd);
    expect_error("GET", "/missing.js", 404, "not_found");
    expect_error("GET", "/../web/app.js", 404, "not_found");
    expect_error("GET", "/%2E%2E/web/app.js", 404, "not_found");
}

static void keep_alive_serves_several_requests_on_one_connection(void)
{
    int fd = http_connect(search_srv.port);
    CU_ASSERT_TRUE_FATAL(fd >= 0);
    for (int i = 0; i < 3; i++) {
        http_response_t r;
        CU_ASSERT_EQUAL(http_exchange(fd, "GET", "/health", NULL, &r), 0);
        CU_ASSERT_EQUAL(r.status, 200);
        http_response_release(&r);
    }
    close(fd);
}

static void repeated_search_is_answered_from_the_cache(void)
{
    const char *hits = "zhsearch_search_cache_lookups_total{result=\"hit\"}";
    const char *misses = "zhsearch_search_cache_lookups_total{result=\"miss\"}";
    unsigned long long hits0 = metric(search_srv.port, hits);
    unsigned long long misses0 = metric(search_srv.port, misses);
    char *target = str_printf("/search?q=%s&limit=7", enc("科技创新 -金融"));
    /* One connection: one worker, one cache. */
    int fd = http_connect(search_srv.port);
    CU_ASSERT_TRUE_FATAL(fd >= 0);
    http_response_t first, again, bad;
    CU_ASSERT_EQUAL(http_exchange(fd, "GET", target, NULL, &first), 0);
    CU_ASSERT_EQUAL(http_exchange(fd, "GET", target, NULL, &again), 0);
    CU_ASSERT_EQUAL(first.status, 200);
    CU_ASSERT_EQUAL(again.status, 200);
    CU_ASSERT_EQUAL_FATAL(again.body_len, first.body_len);
    CU_ASSERT_EQUAL(memcmp(again.body, first.body, first.body_len), 0);
    char ctype[64];
    ZHS_ASSERT_STR(http_header(&again, "Content-Type", ctype, sizeof ctype),
                   "application/json; charset=utf-8");
    /* A refused request is never kept: it misses each time. */
    for (int i = 0; i < 2; i++) {
        CU_ASSERT_EQUAL(http_exchange(fd, "GET", "/search?q=x&limit=101", NULL, &bad), 0);
        CU_ASSERT_EQUAL(bad.status, 400);
        http_response_release(&bad);
    }
    close(fd);
    CU_ASSERT_EQUAL(metric(search_srv.port, hits), hits0 + 1);
    CU_ASSERT_EQUAL(metric(search_srv.port, misses), misses0 + 3);
    http_response_release(&first);
    http_response_release(&again);
    free(target);
}

/* ------------------------------------------------------------ lifecycle */

static char *live_db, *live_corpus;

static const char extra_doc[] =
    "广州市测试文件关于蜂鸟计划的通知\n\n发布时间:2021/03/04\n\n一、总则\n\n"
    "本文件用于检验蜂鸟计划在服务运行中被检索到。(本部分工作由市科技局牵头)\n";
static const char extra_doc_renamed[] =
    "广州市测试文件关于雨燕计划的通知\n\n发布时间:2021/03/04\n\n一、总则\n\n"
    "本文件用于检验雨燕计划在服务运行中被检索到。(本部分工作由市科技局牵头)\n";
static const char concurrent_doc[] =
    "广州市测试文件关于麒麟星云计划的通知\n\n一、总则\n\n"
    "麒麟星云计划在并发检索期间加入索引。\n";

static int setup_lifecycle(void)
{
    live_db = str_printf("%s/live", tmp);
    live_corpus = str_printf("%s/live-corpus", tmp);
    if (copy_files(CORPUS, live_corpus) != 0 || run_indexer(live_db, live_corpus, false) != 0)
        return 1;
    return start_server(&live_srv, live_db, NULL, NULL) == 0 ? 0 : 1;
}

static int teardown_lifecycle(void)
{
    if (live_srv.pid > 0)
        server_stop(&live_srv, SIGKILL);
    if (tmp && !getenv("ZHS_KEEP_TMP"))
        zhs_test_remove_tree(tmp);
    return 0;
}

static void missing_index_at_start_exits_2_and_says_how_to_build_it(void)
{
    char *db = str_printf("%s/no-such-index", tmp);
    server_t s;
    int status = 0;
    CU_ASSERT_EQUAL(start_server(&s, db, NULL, &status), -1);
    CU_ASSERT_EQUAL(status, 2);
    char *logpath = str_printf("%s/server.log", tmp);
    char *log = read_file(logpath, NULL);
    char *hint = str_printf("zhsearch-index --db %s corpus/", db);
    CU_ASSERT_TRUE(log && strstr(log, hint));
    free(hint);
    free(log);
    free(logpath);
    free(db);
}

static void several_db_are_searched_as_one_index(void)
{
    /* Shard a: 001 and 002; shard b: 003 and 004. */
    char *dir[2], *db[2];
    for (int k = 0; k < 2; k++) {
        dir[k] = str_printf("%s/shard-corpus-%d", tmp, k);
        db[k] = str_printf("%s/shard-%d", tmp, k);
        CU_ASSERT_EQUAL_FATAL(mkdir(dir[k], 0755), 0);
        for (int f = 2 * k; f < 2 * k + 2; f++) {
            char *from = str_printf("%s/%s", CORPUS, four_files[f]);
            char *to = str_printf("%s/%s", dir[k], four_files[f]);
            char *text = read_file(from, NULL);
            CU_ASSERT_EQUAL(write_file(to, text), 0);
            free(text);
            free(from);
            free(to);
        }
        CU_ASSERT_EQUAL_FATAL(run_indexer(db[k], dir[k], false), 0);
    }
    char *log = str_printf("%s/server.log", tmp);
    char *argv[] = {SERVER, "--db", db[0], "--db", db[1], "--listen", "127.0.0.1:0",
                    "--threads", "1", NULL};
    /* This one also has a web directory without the page. */
    char *web = getenv("ZHSEARCH_WEB") ? strdup(getenv("ZHSEARCH_WEB")) : NULL;
    char *empty = str_printf("%s/empty-web", tmp);
    CU_ASSERT_EQUAL(mkdir(empty, 0755), 0);
    setenv("ZHSEARCH_WEB", empty, 1);
    server_t s;
    int started = server_start(&s, argv, log, NULL);
    if (web)
        setenv("ZHSEARCH_WEB", web, 1);
    free(web);
    free(empty);
    CU_ASSERT_EQUAL_FATAL(started, 0);
    http_response_t page;
    CU_ASSERT_EQUAL(http_request(s.port, "GET", "/", NULL, &page), 0);
    CU_ASSERT_EQUAL(page.status, 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(page.body, "The search page is not installed"));
    http_response_release(&page);
    int status;
    json_t *st = get_json(s.port, &status, "/stats");
    CU_ASSERT_EQUAL(jint(st, "documents"), 4);
    json_decref(st);
    json_t *res = get_json(s.port, &status, "/search?q=%s&group=passage&limit=100",
                           enc("知识产权"));
    CU_ASSERT_EQUAL(status, 200);
    keyset_t got, want;
    hits_of_four(res, ip_needles, &got);
    grep_four(ip_needles, &want);
    assert_same_keys(&got, &want);
    keyset_release(&got);
    keyset_release(&want);
    json_decref(res);
    json_t *doc = get_json(s.port, &status, "/doc/003_a2da86337d7ff50c");
    CU_ASSERT_EQUAL(status, 200);
    json_decref(doc);
    CU_ASSERT_EQUAL(server_stop(&s, SIGTERM), 0);
    for (int k = 0; k < 2; k++) {
        free(dir[k]);
        free(db[k]);
    }
    free(log);
}

static void default_cors_origin_is_star(void)
{
    http_response_t r;
    char v[16];
    CU_ASSERT_EQUAL_FATAL(http_request(live_srv.port, "GET", "/health", NULL, &r), 0);
    ZHS_ASSERT_STR(http_header(&r, "Access-Control-Allow-Origin", v, sizeof v), "*");
    CU_ASSERT_PTR_NULL(http_header(&r, "Vary", v, sizeof v));
    http_response_release(&r);
}

static void new_revision_is_picked_up_without_restart(void)
{
    CU_ASSERT_EQUAL(total_for(live_srv.port, "蜂鸟计划"), 0);
    char *path = str_printf("%s/900_extra.txt", live_corpus);
    CU_ASSERT_EQUAL_FATAL(write_file(path, extra_doc), 0);
    free(path);
    CU_ASSERT_EQUAL_FATAL(run_indexer(live_db, live_corpus, false), 0);
    CU_ASSERT_EQUAL(wait_total(live_srv.port, "蜂鸟计划", 1), 1);
    int status;
    json_t *s = get_json(live_srv.port, &status, "/stats");
    CU_ASSERT_EQUAL(jint(s, "documents"), 6);
    json_decref(s);
}

/* /stats of the live server: passages and deleted_passages. */
static void live_passages(long long *passages, long long *deleted)
{
    int status;
    json_t *s = get_json(live_srv.port, &status, "/stats");
    CU_ASSERT_EQUAL(status, 200);
    *passages = jint(s, "passages");
    *deleted = jint(s, "deleted_passages");
    json_decref(s);
}

/* Asks q `times` times (the workers take turns unpredictably) and checks that every
 * answer's first hit shows snippet. */
static void assert_first_snippet(const char *q, const char *snippet, int times)
{
    for (int i = 0; i < times; i++) {
        int status;
        json_t *res = get_json(live_srv.port, &status, "/search?q=%s&facets=none", enc(q));
        CU_ASSERT_EQUAL(status, 200);
        ZHS_ASSERT_STR(jstr(json_array_get(json_object_get(res, "hits"), 0), "snippet"),
                       snippet);
        json_decref(res);
    }
}

static void updated_document_replaces_its_passages_in_a_running_server(void)
{
    long long passages0, deleted0, passages1, deleted1;
    live_passages(&passages0, &deleted0);
    /* Each worker has read the texts of these passages; the new ones stand at the
     * same places of the same document: no worker may show an old text. */
    assert_first_snippet("蜂鸟计划", "广州市测试文件关于<mark>蜂鸟计划</mark>的通知", 6);
    /* The same lines, another plan's name: the old passages are deleted (kept as
     * tombstones until a rebuild), the new ones found. */
    char *path = str_printf("%s/900_extra.txt", live_corpus);
    CU_ASSERT_EQUAL_FATAL(write_file(path, extra_doc_renamed), 0);
    free(path);
    CU_ASSERT_EQUAL_FATAL(run_indexer(live_db, live_corpus, false), 0);
    CU_ASSERT_EQUAL(wait_total(live_srv.port, "雨燕计划", 1), 1);
    CU_ASSERT_EQUAL(total_for(live_srv.port, "蜂鸟计划"), 0);
    assert_first_snippet("雨燕计划", "广州市测试文件关于<mark>雨燕计划</mark>的通知", 6);
    live_passages(&passages1, &deleted1);
    CU_ASSERT_EQUAL(passages1, passages0);
    /* Title, heading and sentence. */
    CU_ASSERT_EQUAL(deleted1, deleted0 + 3);
}

static void rebuild_swap_is_picked_up_without_restart(void)
{
    char *path = str_printf("%s/900_extra.txt", live_corpus);
    CU_ASSERT_EQUAL(unlink(path), 0);
    free(path);
    CU_ASSERT_EQUAL_FATAL(run_indexer(live_db, live_corpus, true), 0);
    CU_ASSERT_EQUAL(wait_total(live_srv.port, "雨燕计划", 0), 0);
    int status;
    json_t *s = get_json(live_srv.port, &status, "/stats");
    CU_ASSERT_EQUAL(status, 200);
    CU_ASSERT_EQUAL(jint(s, "documents"), 5);
    CU_ASSERT_EQUAL(jint(s, "deleted_passages"), 0);
    json_decref(s);
}

static void sighup_reopens_the_index_in_every_thread(void)
{
    const char *opens = "zhsearch_index_opens_total";
    unsigned long long before = metric(live_srv.port, opens);
    CU_ASSERT_EQUAL_FATAL(kill(live_srv.pid, SIGHUP), 0);
    unsigned long long after = before;
    /* Each of the 2 workers reopens at its next request or tick (every second). */
    for (int i = 0; i < 300 && (after = metric(live_srv.port, opens)) < before + 2; i++)
        sleep_ms(100);
    CU_ASSERT_EQUAL(after, before + 2);
    int status;
    json_decref(get_json(live_srv.port, &status, "/health"));
    CU_ASSERT_EQUAL(status, 200);
}

typedef struct {
    unsigned port;
    int id;
    int failures;
} client_t;

static void *client_run(void *arg)
{
    client_t *c = arg;
    static const char *const queries[] = {"%E5%88%9B%E6%96%B0", "%E7%A8%8E",
                                          "dept%3A%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80",
                                          "%E7%9F%A5%E8%AF%86%E4%BA%A7%E6%9D%83"};
    int fd = c->id % 2 ? http_connect(c->port) : -1;    /* half use keep-alive */
    for (int i = 0; i < 200; i++) {
        char target[160];
        snprintf(target, sizeof target, "/search?q=%s&group=%s&offset=%d",
                 queries[(i + c->id) % 4], i % 2 ? "doc" : "passage", i % 3);
        http_response_t r;
        int rc = fd >= 0 ? http_exchange(fd, "GET", target, NULL, &r)
                         : http_request(c->port, "GET", target, NULL, &r);
        json_t *j = rc == 0 ? json_loadb(r.body, r.body_len, 0, NULL) : NULL;
        if (rc != 0 || r.status != 200 || !json_is_integer(json_object_get(j, "total"))) {
            if (c->failures++ < 3)
                fprintf(stderr, "\nclient %d request %d: rc %d status %d %.200s\n", c->id, i,
                        rc, r.status, r.body ? r.body : "");
        }
        json_decref(j);
        http_response_release(&r);
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

/* 8 clients x 200 searches while the indexer adds a document, then rebuilds. */
static void parallel_clients_see_no_failure_while_indexing(void)
{
    enum { NCLIENTS = 8 };
    pthread_t th[NCLIENTS];
    client_t cl[NCLIENTS];
    for (int i = 0; i < NCLIENTS; i++) {
        cl[i] = (client_t){.port = live_srv.port, .id = i};
        CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, client_run, &cl[i]), 0);
    }
    char *path = str_printf("%s/901_concurrent.txt", live_corpus);
    CU_ASSERT_EQUAL(write_file(path, concurrent_doc), 0);
    free(path);
    CU_ASSERT_EQUAL(run_indexer(live_db, live_corpus, false), 0);
    CU_ASSERT_EQUAL(run_indexer(live_db, live_corpus, true), 0);    /* and a swap */
    int failures = 0;
    for (int i = 0; i < NCLIENTS; i++) {
        pthread_join(th[i], NULL);
        failures += cl[i].failures;
    }
    CU_ASSERT_EQUAL(failures, 0);
    CU_ASSERT_EQUAL(wait_total(live_srv.port, "麒麟星云", 1), 1);
}

static void vanished_index_gives_503_and_recovers(void)
{
    char *away = str_printf("%s/live.away", tmp);
    CU_ASSERT_EQUAL_FATAL(rename(live_db, away), 0);
    int status = 0;
    for (int i = 0; i < 300; i++) {
        json_decref(get_json(live_srv.port, &status, "/health"));
        if (status == 503)
            break;
        sleep_ms(100);
    }
    CU_ASSERT_EQUAL(status, 503);
    /* One worker saw it; any other looks again at its next request once its last look
     * is SRV_REFRESH_MS (100 ms) old. */
    sleep_ms(250);
    json_t *h = get_json(live_srv.port, &status, "/health");
    CU_ASSERT_EQUAL(status, 503);
    ZHS_ASSERT_STR(jstr(json_object_get(h, "error"), "code"), "index_unavailable");
    json_decref(h);
    json_t *s = get_json(live_srv.port, &status, "/search?q=%s", enc("创新"));
    CU_ASSERT_EQUAL(status, 503);
    ZHS_ASSERT_STR(jstr(json_object_get(s, "error"), "code"), "index_unavailable");
    json_decref(s);
    CU_ASSERT_EQUAL(metric(live_srv.port, "zhsearch_index_up"), 0);
    CU_ASSERT_EQUAL_FATAL(rename(away, live_db), 0);
    for (int i = 0; i < 300; i++) {
        json_decref(get_json(live_srv.port, &status, "/health"));
        if (status == 200)
            break;
        sleep_ms(100);
    }
    CU_ASSERT_EQUAL(status, 200);
    CU_ASSERT_EQUAL(wait_total(live_srv.port, "麒麟星云", 1), 1);
    free(away);
}

static void sigterm_finishes_and_exits_0(void)
{
    int fd = http_connect(live_srv.port);
    CU_ASSERT_TRUE_FATAL(fd >= 0);
    http_response_t r;
    CU_ASSERT_EQUAL(http_exchange(fd, "GET", "/health", NULL, &r), 0);
    CU_ASSERT_EQUAL(r.status, 200);
    http_response_release(&r);
    CU_ASSERT_EQUAL(server_stop(&live_srv, SIGTERM), 0);
    close(fd);
    CU_ASSERT_EQUAL(http_connect(live_srv.port), -1);
}

static CU_TestInfo search_tests[] = {
    {"Traditional and Simplified queries give the same hits",
     traditional_and_simplified_queries_give_the_same_hits},
    {"phrase query finds only the exact phrase", phrase_query_finds_only_the_exact_phrase},
    {"concept query finds the passages of its synonyms",
     concept_query_finds_the_passages_of_its_synonyms},
    {"single character finds every passage with it",
     single_character_finds_every_passage_with_it},
    {"department filter, inline and parameter, agrees with the facet",
     department_filter_inline_and_parameter_agree_with_the_facet},
    {"year and section facets sum consistently", year_and_section_facets_sum_consistently},
    {"facet_limit keeps the most frequent values", facet_limit_keeps_the_most_frequent_values},
    {"pages are disjoint and continue each other", pages_are_disjoint_and_continue_each_other},
    {"every bad request gets its status and code", every_bad_request_gets_its_status_and_code},
    {"query over 1024 bytes is 413, long URI 414", query_over_1024_bytes_is_413_and_long_uri_414},
    {"wrong method is 405 with Allow", wrong_method_is_405_with_allow},
    {"random requests get a status of the contract",
     random_requests_get_a_status_of_the_contract},
    {"CORS headers and preflight", cors_headers_and_preflight},
    {"/doc returns the text and marks every match", doc_returns_the_text_and_marks_every_match},
    {"/health and /stats describe the index", health_and_stats_describe_the_index},
    {"/metrics counts requests and shows the revision",
     metrics_count_requests_and_show_the_revision},
    {"web page and files are served", web_page_and_files_are_served},
    {"keep-alive serves several requests on one connection",
     keep_alive_serves_several_requests_on_one_connection},
    {"repeated search is answered from the cache",
     repeated_search_is_answered_from_the_cache},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo lifecycle_tests[] = {
    {"missing index at start exits 2 and says how to build it",
     missing_index_at_start_exits_2_and_says_how_to_build_it},
    {"several --db are searched as one index (and / without the page)",
     several_db_are_searched_as_one_index},
    {"default CORS origin is *", default_cors_origin_is_star},
    {"new revision is picked up without restart", new_revision_is_picked_up_without_restart},
    {"updated document replaces its passages in a running server",
     updated_document_replaces_its_passages_in_a_running_server},
    {"--rebuild swap is picked up without restart", rebuild_swap_is_picked_up_without_restart},
    {"SIGHUP reopens the index in every thread", sighup_reopens_the_index_in_every_thread},
    {"parallel clients see no failure while indexing",
     parallel_clients_see_no_failure_while_indexing},
    {"vanished index gives 503 and recovers", vanished_index_gives_503_and_recovers},
    {"SIGTERM finishes and exits 0", sigterm_finishes_and_exits_0},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"search over HTTP", setup_search, teardown_search, NULL, NULL, search_tests},
    {"index lifecycle", setup_lifecycle, teardown_lifecycle, NULL, NULL, lifecycle_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
