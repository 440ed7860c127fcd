/* Searching an index of the seed corpus built in a temporary directory: every
 * expectation is checked against the passages themselves (their stored text scanned
 * with the analyzer), so the counts are exact, not remembered numbers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/query.h"
#include "../lib/search_internal.h"
#include "../lib/textpack.h"
#include "cunit_run.h"
#include "doc_test_util.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/document.h"
#include "zhsearch/index.h"
#include "zhsearch/schema.h"
#include "zhsearch/search.h"
#include "zhsearch/xapian.h"

static char dbdir[] = "/tmp/zhs-test-search-XXXXXX";
static zhs_searcher_t *searcher;

/* ------------------------------------------------------------ the index and its truth */

/* One passage as stored, with its match key. */
typedef struct {
    char *doc;
    int line;
    char *key;
    char *text;
    json_t *data;
} passage_t;

static passage_t *passages;
static size_t npassages;

typedef struct {
    zhs_db_t *db;
} load_ctx_t;

/* The passage's text: its span ("offset", "nbytes") of its document's stored text
 * (schema.h); NULL when that is not there. */
static char *stored_text(zhs_db_t *db, const char *id, json_t *data)
{
    char key[256], *rec = NULL, *text = NULL;
    size_t nrec = 0, n = 0;
    snprintf(key, sizeof key, "%s%s", ZHS_META_TEXT, id);
    if (zhs_db_get_metadata(db, key, &rec, &nrec, NULL) != ZHS_OK || !rec ||
        zhs_text_unpack(rec, nrec, &text, &n, NULL) != ZHS_OK) {
        free(rec);
        return NULL;
    }
    free(rec);
    json_int_t offset = json_integer_value(json_object_get(data, "offset"));
    json_int_t len = json_integer_value(json_object_get(data, "nbytes"));
    char *out = offset >= 0 && len > 0 && (size_t)(offset + len) <= n
                    ? strndup(text + offset, (size_t)len)
                    : NULL;
    free(text);
    return out;
}

static int load_passage(void *vctx, zhs_docid_t docid)
{
    load_ctx_t *ctx = vctx;
    char *data = NULL;
    size_t n = 0;
    if (zhs_db_get_value(ctx->db, docid, ZHS_SLOT_DATA, &data, &n, NULL) != ZHS_OK)
        return 1;
    passage_t p = {0};
    json_error_t jerr;
    p.data = json_loadb(data, n, 0, &jerr);
    free(data);
    p.doc = strdup(json_string_value(json_object_get(p.data, "doc")));
    p.text = stored_text(ctx->db, p.doc, p.data);
    if (!p.text)
        return 1;
    p.line = (int)json_integer_value(json_object_get(p.data, "line_start"));
    zhs_normalized_t norm;
    if (zhs_normalize(p.text, strlen(p.text), 0, &norm, NULL) != ZHS_OK ||
        zhs_match_key(norm.text, norm.nbytes, &p.key, NULL) != ZHS_OK)
        return 1;
    zhs_normalized_release(&norm);
    passages = realloc(passages, (npassages + 1) * sizeof *passages);
    passages[npassages++] = p;
    return 0;
}

static int load_doc_key(void *vctx, const char *key, size_t n)
{
    char term[512];
    snprintf(term, sizeof term, "%s%.*s", ZHS_PREFIX_DOC, (int)(n - strlen(ZHS_META_DOC)),
             key + strlen(ZHS_META_DOC));
    load_ctx_t *ctx = vctx;
    return zhs_db_postings(ctx->db, term, strlen(term), load_passage, ctx, NULL) != ZHS_OK;
}

/* Reads every stored passage back through the plain Xapian binding. */
static int load_passages(void)
{
    load_ctx_t ctx = {0};
    if (zhs_db_open(dbdir, &ctx.db, NULL) != ZHS_OK)
        return 1;
    int rc = zhs_db_metadata_keys(ctx.db, ZHS_META_DOC, load_doc_key, &ctx, NULL) != ZHS_OK;
    zhs_db_close(ctx.db);
    return rc || npassages == 0;
}

static int suite_init(void)
{
    if (zhs_analyzer_init(NULL) != ZHS_OK || !mkdtemp(dbdir) || doc_test_index_corpus(dbdir, NULL) != 0 ||
        load_passages() != 0)
        return 1;
    const char *paths[] = {dbdir};
    return zhs_searcher_open(paths, 1, &searcher, NULL) != ZHS_OK;
}

static int suite_clean(void)
{
    zhs_searcher_close(searcher);
    for (size_t i = 0; i < npassages; i++) {
        free(passages[i].doc);
        free(passages[i].key);
        free(passages[i].text);
        json_decref(passages[i].data);
    }
    free(passages);
    zhs_test_remove_tree(dbdir);
    return 0;
}

/* ------------------------------------------------------------ running searches */

/* Runs a search with the given parameters (name, value, ..., NULL); fails the test on
 * an error. Caller frees with json_decref. */
static json_t *search_v(const char *const *params)
{
    zhs_search_request_t req;
    zhs_search_request_init(&req);
    zhs_error_t err = {0};
    for (size_t i = 0; params[i]; i += 2)
        CU_ASSERT_EQUAL_FATAL(zhs_search_request_set(&req, params[i], params[i + 1], &err),
                              ZHS_OK);
    json_t *res = NULL;
    zhs_status_t st = zhs_search(searcher, &req, &res, &err);
    if (st != ZHS_OK)
        fprintf(stderr, "search failed: %s\n", err.message);
    CU_ASSERT_EQUAL_FATAL(st, ZHS_OK);
    zhs_search_request_release(&req);
    return res;
}
#define SEARCH(...) search_v((const char *const[]){__VA_ARGS__, NULL})

/* A set of passages as "doc:line" strings, sorted. */
typedef struct {
    char **v;
    size_t n;
} pset_t;

static void pset_add(pset_t *s, const char *doc, int line)
{
    s->v = realloc(s->v, (s->n + 1) * sizeof *s->v);
    if (asprintf(&s->v[s->n], "%s:%d", doc, line) > 0)
        s->n++;
}

static void pset_add_entry(pset_t *s, const char *entry)
{
    s->v = realloc(s->v, (s->n + 1) * sizeof *s->v);
    s->v[s->n++] = strdup(entry);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void pset_sort(pset_t *s)
{
    qsort(s->v, s->n, sizeof *s->v, str_cmp);
}

static void pset_free(pset_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static bool pset_equal(const pset_t *a, const pset_t *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return false;
    return true;
}

/* Every passage hit of q (group=passage, all pages), with extra parameters. */
static pset_t all_hits(const char *q, const char *name, const char *value)
{
    pset_t s = {0};
    for (unsigned offset = 0;; offset += 100) {
        char off[16];
        snprintf(off, sizeof off, "%u", offset);
        json_t *res = name ? SEARCH("q", q, "group", "passage", "limit", "100", "offset", off,
                                    "snippet", "0", name, value)
                           : SEARCH("q", q, "group", "passage", "limit", "100", "offset", off,
                                    "snippet", "0");
        json_t *hits = json_object_get(res, "hits");
        size_t i;
        json_t *h;
        json_array_foreach(hits, i, h)
            pset_add(&s, json_string_value(json_object_get(h, "doc")),
                     (int)json_integer_value(json_object_get(h, "line_start")));
        size_t n = json_array_size(hits);
        size_t total = (size_t)json_integer_value(json_object_get(res, "total"));
        json_decref(res);
        if (n < 100) {
            CU_ASSERT_EQUAL(s.n, total);
            break;
        }
    }
    pset_sort(&s);
    return s;
}

/* The passages whose match key satisfies pred. */
static pset_t truth(bool (*pred)(const passage_t *p, const void *arg), const void *arg)
{
    pset_t s = {0};
    for (size_t i = 0; i < npassages; i++)
        if (pred(&passages[i], arg))
            pset_add(&s, passages[i].doc, passages[i].line);
    pset_sort(&s);
    return s;
}

static bool contains_key(const passage_t *p, const void *arg)
{
    return zhs_key_contains(p->key, arg);
}

static size_t docs_in(const pset_t *s, const char *doc_prefix)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += strncmp(s->v[i], doc_prefix, strlen(doc_prefix)) == 0;
    return n;
}

/* ------------------------------------------------------------ tests */

static void traditional_and_simplified_queries_give_identical_hits(void)
{
    json_t *a = SEARCH("q", "知識產權", "group", "passage", "limit", "100");
    json_t *b = SEARCH("q", "知识产权", "group", "passage", "limit", "100");
    CU_ASSERT_TRUE(json_equal(json_object_get(a, "hits"), json_object_get(b, "hits")));
    CU_ASSERT_TRUE(json_equal(json_object_get(a, "total"), json_object_get(b, "total")));
    ZHS_ASSERT_STR(json_string_value(json_object_get(json_object_get(a, "query"), "normalized")),
                   "知识产权");
    pset_t hits = all_hits("知識產權", NULL, NULL), want = truth(contains_key, "知识产权");
    CU_ASSERT_TRUE(pset_equal(&hits, &want));
    CU_ASSERT_TRUE(docs_in(&hits, "001_") > 0);
    CU_ASSERT_TRUE(docs_in(&hits, "002_") > 0);
    CU_ASSERT_TRUE(docs_in(&hits, "004_") > 0);
    CU_ASSERT_TRUE(docs_in(&hits, "003_") > 0);
    /* The Traditional passages of 003 are shown in Traditional, marked. */
    size_t i, n003 = 0;
    json_t *h;
    json_array_foreach(json_object_get(a, "hits"), i, h) {
        if (strcmp(json_string_value(json_object_get(h, "doc")), "003_a2da86337d7ff50c") != 0)
            continue;
        n003++;
        const char *snip = json_string_value(json_object_get(h, "snippet"));
        CU_ASSERT_PTR_NOT_NULL(strstr(snip, "<mark>知識產權</mark>"));
        CU_ASSERT_PTR_NULL(strstr(snip, "知识产权"));
    }
    CU_ASSERT_EQUAL(n003, docs_in(&hits, "003_"));
    pset_free(&hits);
    pset_free(&want);
    json_decref(a);
    json_decref(b);
}

static void quoted_phrase_finds_exactly_the_passages_holding_it(void)
{
    pset_t hits = all_hits("\"科技金融\"", NULL, NULL), want = truth(contains_key, "科技金融");
    CU_ASSERT_TRUE(want.n > 0);
    CU_ASSERT_TRUE(pset_equal(&hits, &want));
    pset_free(&hits);
    pset_free(&want);
}

static void single_character_finds_every_passage_containing_it(void)
{
    pset_t hits = all_hits("税", NULL, NULL), want = truth(contains_key, "税"),
           trad = all_hits("稅", NULL, NULL);
    CU_ASSERT_TRUE(pset_equal(&hits, &want));
    CU_ASSERT_TRUE(pset_equal(&hits, &trad));
    /* 003 writes it 稅: those passages are found too. */
    CU_ASSERT_TRUE(docs_in(&hits, "003_") > 0);
    pset_free(&hits);
    pset_free(&want);
    pset_free(&trad);
}

/* Is the bigram-scattered form of the word there without the word? */
static bool scattered(const passage_t *p, const void *arg)
{
    const char *w = arg;   /* four Han characters, 3 bytes each */
    char bigram[7];
    for (int i = 0; i < 3; i++) {
        memcpy(bigram, w + 3 * i, 6);
        bigram[6] = '\0';
        if (!zhs_key_contains(p->key, bigram))
            return false;
    }
    return !zhs_key_contains(p->key, w);
}

/* The relaxed match without the word: its characters in order within 3 times its
 * length (the searcher's window). */
static bool near_only(const passage_t *p, const void *arg)
{
    return zhs_key_near(p->key, strlen(p->key), arg, 3) && !zhs_key_contains(p->key, arg);
}

/* Every hit of res is in want; the first `exact` ones in exact and flagged so, the rest
 * not in it and flagged exact:false. */
static void check_tiers(json_t *res, const pset_t *exact, const pset_t *want)
{
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(res, "hits"), i, h) {
        char entry[128];
        snprintf(entry, sizeof entry, "%s:%d", json_string_value(json_object_get(h, "doc")),
                 (int)json_integer_value(json_object_get(h, "line_start")));
        bool in_exact = false, in_want = false;
        for (size_t k = 0; k < exact->n; k++)
            in_exact = in_exact || strcmp(exact->v[k], entry) == 0;
        for (size_t k = 0; k < want->n; k++)
            in_want = in_want || strcmp(want->v[k], entry) == 0;
        CU_ASSERT_TRUE(in_want);
        CU_ASSERT_EQUAL(in_exact, i < exact->n);
        CU_ASSERT_EQUAL(json_is_true(json_object_get(h, "exact")), i < exact->n);
    }
}

/* Any near match (an exact one too), as the searcher relaxes a word. */
static bool near_match(const passage_t *p, const void *arg)
{
    return zhs_key_near(p->key, strlen(p->key), arg, 3);
}

/* A word of few exact passages (under 20) is followed by the passages holding its
 * characters close together in order, after every exact one; a common word by none. */
static void scattered_characters_rank_after_exact_matches(void)
{
    const char *words[] = {"产业发展", "企业发展", "创新体系"};
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        pset_t sc = truth(scattered, words[w]), want = truth(contains_key, words[w]);
        pset_t near = truth(near_only, words[w]);
        CU_ASSERT_TRUE(sc.n > 0);   /* the index alone would have matched these */
        CU_ASSERT_TRUE(want.n > 0);
        json_t *res = SEARCH("q", words[w], "group", "passage", "limit", "100", "snippet", "0");
        bool relaxed = json_is_true(json_object_get(json_object_get(res, "query"), "relaxed"));
        size_t expected = want.n >= 20 ? want.n : want.n + near.n;
        CU_ASSERT_EQUAL(relaxed, want.n < 20 && near.n > 0);
        CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")), (json_int_t)expected);
        CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "exact_total")),
                        (json_int_t)want.n);
        pset_t all = truth(near_match, words[w]);
        check_tiers(res, &want, &all);
        pset_free(&all);
        json_decref(res);
        pset_free(&sc);
        pset_free(&want);
        pset_free(&near);
    }
}

/* The words marked in a snippet, each <mark>…</mark> in turn into out (cap each). */
static size_t marked(const char *snippet, char out[][64], size_t cap)
{
    size_t n = 0;
    for (const char *p = snippet; n < cap && (p = strstr(p, "<mark>"));) {
        p += 6;
        const char *end = strstr(p, "</mark>");
        if (!end)
            break;
        snprintf(out[n++], 64, "%.*s", (int)(end - p), p);
        p = end;
    }
    return n;
}

/* Does the text within radius characters of snippet[at, end) hold word near (as the
 * searcher relaxes it, window 3)? snippet: its marks already stripped. */
static bool stands_near(const char *snippet, size_t at, size_t end, const char *word,
                        size_t radius)
{
    size_t n = strlen(snippet), from = at, to = end;
    for (size_t k = 0; k < radius && from > 0; k++)
        while (from > 0 && ((unsigned char)snippet[--from] & 0xC0) == 0x80)
            ;
    for (size_t k = 0; k < radius && to < n; k++)
        while (++to < n && ((unsigned char)snippet[to] & 0xC0) == 0x80)
            ;
    zhs_normalized_t norm;
    char *key = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_normalize(snippet + from, to - from, 0, &norm, NULL), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(zhs_match_key(norm.text, norm.nbytes, &key, NULL), ZHS_OK);
    bool near = zhs_key_near(key, strlen(key), word, 3);
    free(key);
    zhs_normalized_release(&norm);
    return near;
}

/* Every mark of a near hit's snippet (or document's HTML, up to 63 marks) stands near
 * the other characters of word: no piece is marked where it stands alone. */
static void check_near_marks(const char *snippet, const char *word)
{
    char *plain = malloc(strlen(snippet) + 1);
    size_t n = 0, starts[64], ends[64], nmarks = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(plain);
    for (const char *p = snippet; *p;) {
        if (strncmp(p, "<mark>", 6) == 0 && nmarks < 64) {
            starts[nmarks] = n;
            p += 6;
        } else if (strncmp(p, "</mark>", 7) == 0 && nmarks < 64) {
            ends[nmarks++] = n;
            p += 7;
        } else {
            plain[n++] = *p++;
        }
    }
    plain[n] = '\0';
    size_t chars = 0;
    for (const char *c = word; *c; c++)
        chars += ((unsigned char)*c & 0xC0) != 0x80;
    for (size_t k = 0; k < nmarks; k++)
        CU_ASSERT_TRUE(stands_near(plain, starts[k], ends[k], word, 3 * chars));
    CU_ASSERT_TRUE(nmarks > 0 && nmarks < 64);
    free(plain);
}

/* In a widened run the exact hits are marked as the exact run marks them, the word
 * whole; the near ones by the pieces that stand close, and only those. */
static void exact_hits_of_a_widened_run_mark_the_word_whole(void)
{
    json_t *res = SEARCH("q", "创新体系", "group", "passage", "limit", "100");
    CU_ASSERT_TRUE(json_is_true(json_object_get(json_object_get(res, "query"), "relaxed")));
    size_t i, exact = 0, near_pieces = 0;
    json_t *h;
    json_array_foreach(json_object_get(res, "hits"), i, h) {
        char marks[16][64];
        size_t n = marked(json_string_value(json_object_get(h, "snippet")), marks, 16);
        CU_ASSERT_TRUE(n > 0);
        bool is_exact = json_is_true(json_object_get(h, "exact"));
        for (size_t k = 0; k < n; k++) {
            bool whole = strcmp(marks[k], "创新体系") == 0 || strcmp(marks[k], "創新體系") == 0;
            if (is_exact)
                CU_ASSERT_TRUE(whole);
            near_pieces += !is_exact && !whole;
        }
        if (!is_exact)
            check_near_marks(json_string_value(json_object_get(h, "snippet")), "创新体系");
        exact += is_exact;
    }
    CU_ASSERT_EQUAL(exact, json_integer_value(json_object_get(res, "exact_total")));
    CU_ASSERT_TRUE(exact > 0 && near_pieces > 0);
    json_decref(res);
}

/* Every word of an AND query is marked in every hit's snippet (Traditional ones too):
 * where the words stand too far apart for one window, the snippet has a fragment for
 * each. */
static void snippets_show_every_word_of_the_query(void)
{
    const char *queries[][2] = {{"科技", "人才"}, {"创新", "港澳"}, {"知识产权", "金融"}};
    size_t split = 0;
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        char query[64];
        snprintf(query, sizeof query, "%s %s", queries[q][0], queries[q][1]);
        json_t *res = SEARCH("q", query, "group", "passage", "limit", "100");
        CU_ASSERT_TRUE(json_array_size(json_object_get(res, "hits")) > 5);
        size_t i;
        json_t *h;
        json_array_foreach(json_object_get(res, "hits"), i, h) {
            const char *snippet = json_string_value(json_object_get(h, "snippet"));
            char marks[32][64];
            size_t n = marked(snippet, marks, 32);
            for (size_t w = 0; w < 2; w++) {
                bool found = false;
                for (size_t k = 0; k < n && !found; k++) {
                    char *norm = NULL;
                    CU_ASSERT_EQUAL_FATAL(zhs_normalize_str(marks[k], &norm, NULL), ZHS_OK);
                    found = strstr(norm, queries[q][w]) != NULL;
                    free(norm);
                }
                CU_ASSERT_TRUE(found);
            }
            /* An ellipsis neither at the start nor at the end joins two fragments. */
            const char *end = snippet + strlen(snippet) - strlen("…");
            for (const char *e = snippet; (e = strstr(e, "…")) != NULL; e++)
                split += e != snippet && e != end;
        }
        json_decref(res);
    }
    CU_ASSERT_TRUE(split > 0);    /* some needed two fragments */
}

/* A document that is a near hit of a word it does not hold marks the word's near
 * occurrences in /doc, as its snippet does, and says so; one holding the word marks
 * only the word. */
static void documents_of_near_hits_mark_the_near_word(void)
{
    json_t *res = SEARCH("q", "创新体系", "group", "passage", "limit", "100", "snippet", "0");
    const char *near_doc = NULL, *exact_doc = NULL;
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(res, "hits"), i, h) {
        const char *id = json_string_value(json_object_get(h, "doc"));
        if (json_is_true(json_object_get(h, "exact")))
            exact_doc = id;
    }
    json_array_foreach(json_object_get(res, "hits"), i, h) {
        const char *id = json_string_value(json_object_get(h, "doc"));
        bool has_exact = false;
        size_t k;
        json_t *e;
        json_array_foreach(json_object_get(res, "hits"), k, e)
            has_exact = has_exact || (json_is_true(json_object_get(e, "exact")) &&
                                      strcmp(json_string_value(json_object_get(e, "doc")), id) == 0);
        if (!has_exact)
            near_doc = id;
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(near_doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(exact_doc);
    json_t *doc = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_search_doc(searcher, near_doc, "创新体系", &doc, NULL), ZHS_OK);
    CU_ASSERT_TRUE(json_is_true(json_object_get(json_object_get(doc, "query"), "relaxed")));
    CU_ASSERT_TRUE(json_integer_value(json_object_get(doc, "matches")) > 0);
    check_near_marks(json_string_value(json_object_get(doc, "html")), "创新体系");
    json_decref(doc);
    CU_ASSERT_EQUAL_FATAL(zhs_search_doc(searcher, exact_doc, "创新体系", &doc, NULL), ZHS_OK);
    CU_ASSERT_PTR_NULL(json_object_get(json_object_get(doc, "query"), "relaxed"));
    char marks[64][64];
    size_t n = marked(json_string_value(json_object_get(doc, "html")), marks, 64);
    CU_ASSERT_TRUE(n > 0);
    for (size_t k = 0; k < n; k++)
        CU_ASSERT_TRUE(strcmp(marks[k], "创新体系") == 0 || strcmp(marks[k], "創新體系") == 0);
    json_decref(doc);
    /* Quoted, the word is never relaxed: no marks at all. */
    CU_ASSERT_EQUAL_FATAL(zhs_search_doc(searcher, near_doc, "\"创新体系\"", &doc, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(doc, "matches")), 0);
    json_decref(doc);
    json_decref(res);
}

/* Past 16 characters of words a query is not relaxed (it would AND every character),
 * nor with near=false. */
static void long_queries_never_relax(void)
{
    /* 001 has 积极开展国际科技交流与合作。发挥社团作用: without 与 and the full stop
     * nothing matches exactly; 12 characters relax, 17 do not. */
    json_t *res = SEARCH("q", "积极开展国际科技交流合作", "group", "passage");
    CU_ASSERT_TRUE(json_is_true(json_object_get(json_object_get(res, "query"), "relaxed")));
    CU_ASSERT_TRUE(json_integer_value(json_object_get(res, "total")) > 0);
    json_decref(res);
    res = SEARCH("q", "积极开展国际科技交流合作", "group", "passage", "near", "false");
    CU_ASSERT_FALSE(json_is_true(json_object_get(json_object_get(res, "query"), "relaxed")));
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")), 0);
    json_decref(res);
        res = SEARCH("q", "积极开展国际科技交流合作发挥社团作用", "group", "passage");
    CU_ASSERT_FALSE(json_is_true(json_object_get(json_object_get(res, "query"), "relaxed")));
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")), 0);
    json_decref(res);
}

/* A document number finds its document, however its brackets are written: 002 states
 * its number only on a label line (文 号: …), whose number is a passage. */
static void document_number_finds_its_document(void)
{
    const char *spellings[] = {"穗府〔2016〕13号", "穗府[2016]13号", "穗府（2016）13號"};
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        json_t *res = SEARCH("q", spellings[i], "group", "passage");
        CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")), 1);
        json_t *hit = json_array_get(json_object_get(res, "hits"), 0);
        ZHS_ASSERT_STR(json_string_value(json_object_get(hit, "doc")), "002_63669fec260b4861");
        CU_ASSERT_EQUAL(json_integer_value(json_object_get(hit, "line_start")), 7);
        ZHS_ASSERT_STR(json_string_value(json_object_get(hit, "snippet")),
                       "<mark>穗府〔2016〕13号</mark>");
        ZHS_ASSERT_STR(json_string_value(json_object_get(hit, "doc_number")), "穗府〔2016〕13号");
        json_decref(res);
    }
}

/* Quoted, the same words match exactly, however few their passages. */
static void quoted_words_never_relax(void)
{
    const char *words[] = {"\"创新体系\"", "\"国际科技合作\""};
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        char bare[64];
        snprintf(bare, sizeof bare, "%.*s", (int)strlen(words[w]) - 2, words[w] + 1);
        pset_t hits = all_hits(words[w], NULL, NULL), want = truth(contains_key, bare);
        CU_ASSERT_TRUE(want.n > 0 && want.n < 20);
        CU_ASSERT_TRUE(pset_equal(&hits, &want));
        pset_free(&hits);
        pset_free(&want);
    }
}

static bool has_dept(const passage_t *p, const void *arg)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(p->data, "departments"), i, d)
        if (strcmp(json_string_value(json_object_get(d, "name")), arg) == 0)
            return true;
    return false;
}

/* The count of value in facet name of a response, 0 when absent. */
static json_int_t facet_count(json_t *res, const char *name, const char *value)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(json_object_get(res, "facets"), name), i, v)
        if (strcmp(json_string_value(json_object_get(v, "value")), value) == 0)
            return json_integer_value(json_object_get(v, "count"));
    return 0;
}

static json_int_t facet_sum(json_t *res, const char *name)
{
    size_t i;
    json_t *v;
    json_int_t sum = 0;
    json_array_foreach(json_object_get(json_object_get(res, "facets"), name), i, v)
        sum += json_integer_value(json_object_get(v, "count"));
    return sum;
}

static size_t distinct_docs(const pset_t *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) {
        size_t len = strcspn(s->v[i], ":");
        n += i == 0 || strncmp(s->v[i], s->v[i - 1], len) != 0 || s->v[i - 1][len] != ':';
    }
    return n;
}

static void department_filter_and_its_facet_count_agree(void)
{
    pset_t want = truth(has_dept, "市科技局");
    pset_t param = all_hits("", "dept", "市科技局"), inline_ = all_hits("dept:市科技局", NULL, NULL),
           bare = all_hits("dept:科技局", NULL, NULL);
    CU_ASSERT_TRUE(want.n > 0);
    CU_ASSERT_TRUE(pset_equal(&param, &want));
    CU_ASSERT_TRUE(pset_equal(&inline_, &want));
    CU_ASSERT_TRUE(pset_equal(&bare, &want));
    json_t *res = SEARCH("dept", "市科技局", "group", "passage");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")), (json_int_t)want.n);
    CU_ASSERT_EQUAL(facet_count(res, "department", "市科技局"), (json_int_t)want.n);
    json_decref(res);
    res = SEARCH("dept", "市科技局", "group", "doc");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")),
                    (json_int_t)distinct_docs(&want));
    CU_ASSERT_EQUAL(facet_count(res, "department", "市科技局"), (json_int_t)distinct_docs(&want));
    json_decref(res);
    pset_free(&want);
    pset_free(&param);
    pset_free(&inline_);
    pset_free(&bare);
}

static bool has_section(const passage_t *p, const void *arg)
{
    (void)arg;
    return json_is_string(json_object_get(p->data, "section")) &&
           zhs_key_contains(p->key, "发展");
}

static void year_and_section_facets_add_up_to_the_total(void)
{
    json_t *res = SEARCH("q", "发展", "group", "passage", "facets", "year,section,issuer");
    json_int_t total = json_integer_value(json_object_get(res, "total"));
    pset_t want = truth(contains_key, "发展"), sec = truth(has_section, NULL);
    CU_ASSERT_EQUAL(total, (json_int_t)want.n);
    /* Every passage has exactly one year value (`unknown` included). */
    CU_ASSERT_EQUAL(facet_sum(res, "year"), total);
    CU_ASSERT_EQUAL(facet_sum(res, "section"), (json_int_t)sec.n);
    CU_ASSERT_PTR_NOT_NULL(json_object_get(json_object_get(res, "facets"), "issuer"));
    CU_ASSERT_PTR_NULL(json_object_get(json_object_get(res, "facets"), "department"));
    json_decref(res);
    /* With a year filter the facet shows only that year, with the same count. */
    res = SEARCH("q", "发展", "group", "passage", "year", "2016");
    CU_ASSERT_EQUAL(facet_count(res, "year", "2016"), json_integer_value(json_object_get(res, "total")));
    CU_ASSERT_EQUAL(facet_sum(res, "year"), json_integer_value(json_object_get(res, "total")));
    json_decref(res);
    pset_free(&want);
    pset_free(&sec);
}

static void year_ranges_and_unknown_filter_years(void)
{
    json_t *all = SEARCH("q", "创新", "group", "passage", "facets", "year");
    json_int_t y2009 = facet_count(all, "year", "2009"), y2016 = facet_count(all, "year", "2016"),
               y2017 = facet_count(all, "year", "2017"), unk = facet_count(all, "year", "unknown");
    CU_ASSERT_TRUE(y2009 > 0 && y2016 > 0 && y2017 > 0 && unk > 0);
    json_t *r = SEARCH("q", "创新 year:2016..2017", "group", "passage");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(r, "total")), y2016 + y2017);
    json_decref(r);
    r = SEARCH("q", "创新", "year", "..2016", "year", "unknown", "group", "passage");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(r, "total")), y2009 + y2016 + unk);
    json_decref(r);
    json_decref(all);
}

static void pages_are_disjoint_and_in_order(void)
{
    json_t *whole = SEARCH("q", "创新", "group", "passage", "limit", "30", "snippet", "0");
    json_t *hits = json_object_get(whole, "hits");
    CU_ASSERT_EQUAL_FATAL(json_array_size(hits), 30);
    for (int page = 0; page < 3; page++) {
        char off[8];
        snprintf(off, sizeof off, "%d", page * 10);
        json_t *p = SEARCH("q", "创新", "group", "passage", "limit", "10", "offset", off,
                           "snippet", "0");
        json_t *ph = json_object_get(p, "hits");
        CU_ASSERT_EQUAL(json_array_size(ph), 10);
        for (size_t i = 0; i < json_array_size(ph); i++)
            CU_ASSERT_TRUE(json_equal(json_array_get(ph, i), json_array_get(hits, page * 10 + i)));
        json_decref(p);
    }
    pset_t s = {0};
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h)
        pset_add(&s, json_string_value(json_object_get(h, "doc")),
                 (int)json_integer_value(json_object_get(h, "line_start")));
    pset_sort(&s);
    for (i = 1; i < s.n; i++)
        CU_ASSERT_STRING_NOT_EQUAL(s.v[i], s.v[i - 1]);
    pset_free(&s);
    json_decref(whole);
}

static void sort_by_date_orders_documents(void)
{
    const char *sorts[] = {"date", "date_asc"};
    for (int k = 0; k < 2; k++) {
        json_t *res = SEARCH("q", "创新", "sort", sorts[k], "limit", "100");
        const char *prev = NULL;
        bool seen_null = false;
        size_t i, ndated = 0;
        json_t *h;
        json_array_foreach(json_object_get(res, "hits"), i, h) {
            const char *date = json_string_value(json_object_get(h, "date"));
            if (!date) {
                seen_null = true;
                continue;
            }
            ndated++;
            /* unknown dates last, newest or oldest first */
            CU_ASSERT_FALSE(seen_null);
            if (prev)
                CU_ASSERT_TRUE(k == 0 ? strcmp(prev, date) >= 0 : strcmp(prev, date) <= 0);
            prev = date;
        }
        CU_ASSERT_TRUE(ndated >= 3);
        CU_ASSERT_TRUE(seen_null);
        json_decref(res);
    }
}

static void group_doc_counts_the_other_passages_in_more(void)
{
    pset_t hits = all_hits("知识产权", NULL, NULL);
    json_t *res = SEARCH("q", "知识产权", "limit", "100");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")),
                    (json_int_t)distinct_docs(&hits));
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(res, "hits"), i, h) {
        char prefix[256];
        snprintf(prefix, sizeof prefix, "%s:", json_string_value(json_object_get(h, "doc")));
        CU_ASSERT_EQUAL(json_integer_value(json_object_get(h, "more")) + 1,
                        (json_int_t)docs_in(&hits, prefix));
    }
    CU_ASSERT_EQUAL(json_array_size(json_object_get(res, "hits")), distinct_docs(&hits));
    json_decref(res);
    pset_free(&hits);
}

static bool tax_not_income_tax(const passage_t *p, const void *arg)
{
    (void)arg;
    return zhs_key_contains(p->key, "税") && !zhs_key_contains(p->key, "所得税");
}

static bool patent_or_trademark(const passage_t *p, const void *arg)
{
    (void)arg;
    return zhs_key_contains(p->key, "专利") || zhs_key_contains(p->key, "商标");
}

static void boolean_operators_are_exact(void)
{
    pset_t hits = all_hits("税 -所得税", NULL, NULL), want = truth(tax_not_income_tax, NULL);
    pset_t all = truth(contains_key, "税");
    CU_ASSERT_TRUE(want.n > 0 && want.n < all.n);
    CU_ASSERT_TRUE(pset_equal(&hits, &want));
    pset_free(&hits);
    pset_free(&want);
    pset_free(&all);
    hits = all_hits("专利 OR 商标", NULL, NULL);
    want = truth(patent_or_trademark, NULL);
    CU_ASSERT_TRUE(pset_equal(&hits, &want));
    pset_free(&hits);
    pset_free(&want);
}

static void hit_carries_the_document_metadata(void)
{
    json_t *res = SEARCH("q", "\"请径向市科技创新委员会反映\"", "group", "passage");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")), 1);
    json_t *h = json_array_get(json_object_get(res, "hits"), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    ZHS_ASSERT_STR(json_string_value(json_object_get(h, "doc")), "002_63669fec260b4861");
    ZHS_ASSERT_STR(json_string_value(json_object_get(h, "file")), "002_63669fec260b4861.txt");
    ZHS_ASSERT_STR(json_string_value(json_object_get(h, "doc_number")), "穗府〔2016〕13号");
    ZHS_ASSERT_STR(json_string_value(json_object_get(h, "date")), "2016-08-12");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(h, "year")), 2016);
    ZHS_ASSERT_STR(json_string_value(json_array_get(json_object_get(h, "issuer"), 0)),
                   "广州市人民政府");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(h, "line_start")), 17);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(h, "line_end")), 17);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(h, "more")), 0);
    CU_ASSERT_TRUE(json_is_array(json_object_get(h, "departments")));
    CU_ASSERT_TRUE(json_is_number(json_object_get(h, "score")));
    CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_object_get(h, "snippet")),
                                  "<mark>请径向市科技创新委员会反映</mark>。"));
    json_decref(res);
}

static void bad_queries_are_refused_with_the_position(void)
{
    zhs_search_request_t req;
    zhs_search_request_init(&req);
    zhs_error_t err = {0};
    json_t *res = NULL;
    req.q = "专利 OR";
    CU_ASSERT_EQUAL(zhs_search(searcher, &req, &res, &err), ZHS_ERR_BAD_QUERY);
    CU_ASSERT_EQUAL(err.offset, 7);
    CU_ASSERT_PTR_NULL(res);
    zhs_error_clear(&err);
    req.q = "专\xff";
    CU_ASSERT_EQUAL(zhs_search(searcher, &req, &res, &err), ZHS_ERR_BAD_UTF8);
    CU_ASSERT_EQUAL(err.offset, 3);
    const char *nothing[] = {"(", "。", "\"\"", "- ()"};
    for (size_t i = 0; i < sizeof nothing / sizeof *nothing; i++) {
        zhs_error_clear(&err);
        req.q = nothing[i];
        CU_ASSERT_EQUAL(zhs_search(searcher, &req, &res, &err), ZHS_ERR_BAD_QUERY);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "no words to search for"));
    }
    /* With a filter, punctuation alone is no error: the filter is the query. */
    zhs_error_clear(&err);
    req.q = "(";
    zhs_strlist_add(&req.year, "2016", NULL);
    CU_ASSERT_EQUAL(zhs_search(searcher, &req, &res, &err), ZHS_OK);
    json_decref(res);
    zhs_search_request_release(&req);
}

static void query_without_match_gives_no_hits(void)
{
    json_t *res = SEARCH("q", "区块链");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")), 0);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(res, "hits")), 0);
    json_decref(res);
}

static void document_is_returned_with_every_match_marked(void)
{
    json_t *doc = NULL;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL_FATAL(zhs_search_doc(searcher, "003_a2da86337d7ff50c", "知识产权", &doc, &err),
                          ZHS_OK);
    const char *text = json_string_value(json_object_get(doc, "text"));
    const char *html = json_string_value(json_object_get(doc, "html"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(html);
    size_t occurrences = 0, marks = 0;
    for (const char *p = text; (p = strstr(p, "知識產權")); p++)
        occurrences++;
    for (const char *p = html; (p = strstr(p, "<mark>知識產權</mark>")); p++)
        marks++;
    CU_ASSERT_TRUE(occurrences > 0);
    CU_ASSERT_EQUAL(marks, occurrences);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(doc, "matches")), (json_int_t)occurrences);
    /* match_lines: exactly the lines holding the word. */
    size_t line = 1, k = 0;
    json_t *lines = json_object_get(doc, "match_lines");
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char *l = strndup(p, len);
        if (strstr(l, "知識產權")) {
            CU_ASSERT_EQUAL(json_integer_value(json_array_get(lines, k)), (json_int_t)line);
            k++;
        }
        free(l);
        line++;
        p += len + (eol != NULL);
    }
    CU_ASSERT_EQUAL(json_array_size(lines), k);
    CU_ASSERT_TRUE(json_is_array(json_object_get(doc, "outline")));
    json_decref(doc);

    doc = NULL;
    CU_ASSERT_EQUAL(zhs_search_doc(searcher, "002_63669fec260b4861", NULL, &doc, &err), ZHS_OK);
    ZHS_ASSERT_STR(json_string_value(json_object_get(doc, "doc_number")), "穗府〔2016〕13号");
    CU_ASSERT_PTR_NULL(json_object_get(doc, "html"));
    CU_ASSERT_TRUE(json_array_size(json_object_get(doc, "outline")) > 0);
    json_decref(doc);
    /* A blank q, ideographic spaces too, asks for no marks, as /search counts it. */
    doc = NULL;
    CU_ASSERT_EQUAL(zhs_search_doc(searcher, "002_63669fec260b4861", " \u3000 ", &doc, &err),
                    ZHS_OK);
    CU_ASSERT_PTR_NULL(json_object_get(doc, "html"));
    CU_ASSERT_PTR_NULL(json_object_get(doc, "matches"));
    json_decref(doc);
}

static void missing_document_and_index_are_reported(void)
{
    json_t *doc = NULL;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_search_doc(searcher, "no_such_doc", NULL, &doc, &err), ZHS_ERR_NOT_FOUND);
    ZHS_ASSERT_STR(err.message, "no document with id \"no_such_doc\"");
    CU_ASSERT_PTR_NULL(doc);
    zhs_searcher_t *s = NULL;
    const char *paths[] = {"/nonexistent/zhsearch-index"};
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_searcher_open(paths, 1, &s, &err), ZHS_ERR_DB_MISSING);
    CU_ASSERT_PTR_NULL(s);
}

static void stats_count_documents_and_passages(void)
{
    zhs_index_stats_t st;
    bool changed = true;
    CU_ASSERT_EQUAL(zhs_searcher_refresh(searcher, &changed, NULL), ZHS_OK);
    CU_ASSERT_FALSE(changed);
    CU_ASSERT_EQUAL(zhs_searcher_stats(searcher, &st, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(st.documents, 5);
    CU_ASSERT_EQUAL(st.passages, npassages);
    CU_ASSERT_TRUE(st.revision > 0);
}

static bool not_000(const char *entry)
{
    return strncmp(entry, "000_", 4) != 0;
}

static void shards_are_searched_as_one_index(void)
{
    char top[] = "/tmp/zhs-test-shards-XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(top));
    char a[4200], b[4200];
    snprintf(a, sizeof a, "%s/a", top);
    snprintf(b, sizeof b, "%s/b", top);
    const char *pa[] = {"001_", "002_", NULL}, *pb[] = {"003_", "004_", NULL};
    CU_ASSERT_EQUAL_FATAL(doc_test_index_corpus(a, pa), 0);
    CU_ASSERT_EQUAL_FATAL(doc_test_index_corpus(b, pb), 0);
    zhs_searcher_t *whole = searcher, *sharded = NULL;
    const char *paths[] = {a, b};
    CU_ASSERT_EQUAL_FATAL(zhs_searcher_open(paths, 2, &sharded, NULL), ZHS_OK);

    pset_t want = truth(contains_key, "知识产权"), kept = {0};
    for (size_t i = 0; i < want.n; i++)
        if (not_000(want.v[i]))
            pset_add_entry(&kept, want.v[i]);
    searcher = sharded;
    pset_t hits = all_hits("知识产权", NULL, NULL);
    json_t *res = SEARCH("q", "知识产权", "limit", "100");
    searcher = whole;
    CU_ASSERT_TRUE(pset_equal(&hits, &kept));
    /* Every hit found its document record in its own shard. */
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(res, "hits"), i, h)
        CU_ASSERT_TRUE(json_is_string(json_object_get(h, "file")));
    CU_ASSERT_EQUAL(json_array_size(json_object_get(res, "hits")), 4);
    json_decref(res);

    zhs_index_stats_t st;
    CU_ASSERT_EQUAL(zhs_searcher_stats(sharded, &st, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(st.documents, 4);
    json_t *doc = NULL;
    CU_ASSERT_EQUAL(zhs_search_doc(sharded, "004_943963b27e31b63c", "知识产权", &doc, NULL),
                    ZHS_OK);
    CU_ASSERT_TRUE(json_integer_value(json_object_get(doc, "matches")) > 0);
    json_decref(doc);
    zhs_searcher_close(sharded);
    pset_free(&want);
    pset_free(&kept);
    pset_free(&hits);
    zhs_test_remove_tree(top);
}

/* A near match of word (as the searcher relaxes it), or a passage holding synonym. */
typedef struct {
    const char *word;
    const char *const *synonyms;
} widened_t;

static bool holds_a_synonym(const passage_t *p, const widened_t *w)
{
    for (size_t i = 0; w->synonyms[i]; i++)
        if (zhs_key_contains(p->key, w->synonyms[i]))
            return true;
    return false;
}

static bool widened_match(const passage_t *p, const void *arg)
{
    const widened_t *w = arg;
    return zhs_key_near(p->key, strlen(p->key), w->word, 3) || holds_a_synonym(p, w);
}

/* The key holds the word or one of its synonyms as they are. */
static bool holds_word_or_synonym(const passage_t *p, const void *arg)
{
    const widened_t *w = arg;
    return zhs_key_contains(p->key, w->word) || holds_a_synonym(p, w);
}

/* The fewest passages a character of the word's (3-byte characters) can be in. */
static uint64_t rarest_char_bound(const char *word)
{
    uint64_t bound = UINT64_MAX;
    for (const char *c = word; *c; c += 3) {
        uint64_t freq = UINT64_MAX;
        CU_ASSERT_EQUAL(zhs_searcher_char_freq(searcher, c, 3, &freq, NULL), ZHS_OK);
        if (freq < bound)
            bound = freq;
    }
    return bound;
}

/* With a thesaurus in the index, a word of few exact passages also finds its synonyms'
 * passages, after its own, and a common word stays as asked. */
static void rare_words_are_widened_by_their_synonyms(void)
{
    char dir[] = "/tmp/zhs-test-synonyms-XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    CU_ASSERT_EQUAL_FATAL(doc_test_index_corpus(dir, NULL), 0);
    static const char thesaurus[] = "减税 => 税收优惠, 所得税\n"
                                    "退税 => 税收优惠\n"
                                    "创新体系 => 创新网络\n"
                                    "孵化器, 众创空间\n"
                                    "知识产权 => 版权\n";
    zhs_index_t *ix = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_index_open(dir, ZHS_INDEX_CREATE_OR_OPEN, &ix, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_index_set_thesaurus(ix, thesaurus, strlen(thesaurus), "t.txt", NULL,
                                            NULL, NULL),
                    ZHS_OK);
    CU_ASSERT_EQUAL(zhs_index_commit(ix, NULL), ZHS_OK);
    zhs_index_close(ix);
    zhs_searcher_t *plain = searcher;
    const char *paths[] = {dir};
    CU_ASSERT_EQUAL_FATAL(zhs_searcher_open(paths, 1, &searcher, NULL), ZHS_OK);

    /* 减税 occurs nowhere: every hit holds a synonym, the Traditional ones marked. */
    static const char *const tax[] = {"税收优惠", "所得税", NULL};
    widened_t tax_wide = {"减税", tax};
    pset_t none = {0}, want = truth(widened_match, &tax_wide);
    CU_ASSERT_TRUE(want.n > 3);
    json_t *res = SEARCH("q", "減稅", "group", "passage", "limit", "100");
    json_t *query = json_object_get(res, "query");
    CU_ASSERT_TRUE(json_is_true(json_object_get(query, "relaxed")));
    json_t *added = json_pack("[s,s]", "所得税", "税收优惠");
    CU_ASSERT_TRUE(json_equal(json_object_get(query, "synonyms"), added));
    json_decref(added);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")), (json_int_t)want.n);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "exact_total")), 0);
    check_tiers(res, &none, &want);
    size_t i, marked_trad = 0;
    json_t *h;
    json_array_foreach(json_object_get(res, "hits"), i, h) {
        const char *snip = json_string_value(json_object_get(h, "snippet"));
        CU_ASSERT_TRUE(strstr(snip, "<mark>税收优惠</mark>") || strstr(snip, "<mark>所得税</mark>") ||
                       strstr(snip, "<mark>稅收優惠</mark>") || strstr(snip, "<mark>所得稅</mark>"));
        marked_trad += strstr(snip, "<mark>稅收優惠</mark>") != NULL;
    }
    CU_ASSERT_TRUE(marked_trad > 0);
    json_decref(res);
    pset_free(&want);

    /* 孵化器: its own passages first, then 众创空间's (and its near matches). */
    static const char *const incubator[] = {"众创空间", NULL};
    widened_t inc_wide = {"孵化器", incubator};
    pset_t exact = truth(contains_key, "孵化器");
    want = truth(widened_match, &inc_wide);
    CU_ASSERT_TRUE(exact.n > 0 && exact.n < 20 && want.n > exact.n);
    res = SEARCH("q", "孵化器", "group", "passage", "limit", "100");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")), (json_int_t)want.n);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "exact_total")), (json_int_t)exact.n);
    check_tiers(res, &exact, &want);
    json_decref(res);
    /* Not for near=false, nor quoted, nor for a word of 20 passages or more. */
    res = SEARCH("q", "孵化器", "group", "passage", "limit", "100", "near", "false");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")), (json_int_t)exact.n);
    CU_ASSERT_PTR_NULL(json_object_get(json_object_get(res, "query"), "synonyms"));
    json_decref(res);
    res = SEARCH("q", "\"孵化器\"", "group", "passage", "limit", "100");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")), (json_int_t)exact.n);
    json_decref(res);
    /* The synonyms count for nothing in the bound of what a relaxed run meets: at the
     * word's own bound its near matches stay; below it only the synonyms widen it. */
    static const char *const system[] = {"创新网络", NULL};
    widened_t sys_wide = {"创新体系", system};
    pset_t sys_exact = truth(contains_key, "创新体系"), sys_want = truth(widened_match, &sys_wide);
    pset_t as_is = truth(holds_word_or_synonym, &sys_wide);
    CU_ASSERT_TRUE(sys_exact.n < as_is.n && as_is.n < sys_want.n);
    uint64_t bound = rarest_char_bound("创新体系");
    for (int below = 0; below <= 1; below++) {
        searcher->rank.relax_max_candidates = bound - (uint64_t)below;
        res = SEARCH("q", "创新体系", "group", "passage", "limit", "100");
        CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")),
                        (json_int_t)(below ? as_is.n : sys_want.n));
        check_tiers(res, &sys_exact, below ? &as_is : &sys_want);
        json_decref(res);
    }
    searcher->rank.relax_max_candidates = zhs_rank_defaults.relax_max_candidates;
    pset_free(&sys_exact);
    pset_free(&sys_want);
    pset_free(&as_is);
    pset_free(&exact);
    pset_free(&want);

    /* Two words sharing a synonym list it once. */
    res = SEARCH("q", "减税 退税", "group", "passage", "limit", "1");
    added = json_pack("[s,s]", "所得税", "税收优惠");
    CU_ASSERT_TRUE(json_equal(json_object_get(json_object_get(res, "query"), "synonyms"), added));
    json_decref(added);
    json_decref(res);
    exact = truth(contains_key, "知识产权");
    CU_ASSERT_TRUE(exact.n >= 20);
    res = SEARCH("q", "知识产权", "group", "passage", "limit", "1");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")), (json_int_t)exact.n);
    CU_ASSERT_FALSE(json_is_true(json_object_get(json_object_get(res, "query"), "relaxed")));
    json_decref(res);
    pset_free(&exact);

    /* A document without the word marks its synonyms; one with it, only the word. */
    json_t *doc = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_search_doc(searcher, "001_fd8bcf01d029cd12", "减税", &doc, NULL),
                          ZHS_OK);
    CU_ASSERT_TRUE(json_integer_value(json_object_get(doc, "matches")) > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_object_get(doc, "html")),
                                  "<mark>税收优惠</mark>"));
    CU_ASSERT_EQUAL(json_array_size(json_object_get(json_object_get(doc, "query"), "synonyms")), 2);
    json_decref(doc);
    CU_ASSERT_EQUAL_FATAL(zhs_search_doc(searcher, "002_63669fec260b4861", "孵化器", &doc, NULL),
                          ZHS_OK);
    CU_ASSERT_PTR_NULL(strstr(json_string_value(json_object_get(doc, "html")),
                              "<mark>众创空间</mark>"));
    CU_ASSERT_PTR_NULL(json_object_get(json_object_get(doc, "query"), "synonyms"));
    json_decref(doc);

    zhs_searcher_close(searcher);
    searcher = plain;
    zhs_test_remove_tree(dir);
}

static CU_TestInfo search_tests[] = {
    {"Traditional and Simplified queries give identical hits",
     traditional_and_simplified_queries_give_identical_hits},
    {"quoted phrase finds exactly the passages holding it",
     quoted_phrase_finds_exactly_the_passages_holding_it},
    {"single character finds every passage containing it",
     single_character_finds_every_passage_containing_it},
    {"scattered characters rank after exact matches",
     scattered_characters_rank_after_exact_matches},
    {"exact hits of a widened run mark the word whole",
     exact_hits_of_a_widened_run_mark_the_word_whole},
    {"documents of near hits mark the near word", documents_of_near_hits_mark_the_near_word},
    {"snippets show every word of the query", snippets_show_every_word_of_the_query},
    {"quoted words never relax", quoted_words_never_relax},
    {"document number finds its document", document_number_finds_its_document},
    {"rare words are widened by their synonyms", rare_words_are_widened_by_their_synonyms},
    {"long queries never relax", long_queries_never_relax},
    {"department filter and its facet count agree",
     department_filter_and_its_facet_count_agree},
    {"year and section facets add up to the total", year_and_section_facets_add_up_to_the_total},
    {"year ranges and unknown filter years", year_ranges_and_unknown_filter_years},
    {"pages are disjoint and in order", pages_are_disjoint_and_in_order},
    {"sort by date orders documents", sort_by_date_orders_documents},
    {"group=doc counts the other passages in more", group_doc_counts_the_other_passages_in_more},
    {"boolean operators are exact", boolean_operators_are_exact},
    {"hit carries the document metadata", hit_carries_the_document_metadata},
    {"bad queries are refused with the position", bad_queries_are_refused_with_the_position},
    {"query without match gives no hits", query_without_match_gives_no_hits},
    {"document is returned with every match marked",
     document_is_returned_with_every_match_marked},
    {"missing document and index are reported", missing_document_and_index_are_reported},
    {"stats count documents and passages", stats_count_documents_and_passages},
    {"shards are searched as one index", shards_are_searched_as_one_index},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"search", suite_init, suite_clean, NULL, NULL, search_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
