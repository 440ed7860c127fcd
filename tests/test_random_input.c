/* Random input never breaks the searcher or the document parser. Seeded random queries
 * (the query language's pieces, Traditional and full-width forms, invalid UTF-8,
 * overlong input) with random parameters go through zhs_search and zhs_search_doc over
 * the seed corpus, and randomly damaged seed documents through zhs_document_parse. Each
 * call must give a well-formed answer or fail with a status and a message; the
 * sanitizer build (scripts/test.sh) also turns memory and undefined-behaviour errors
 * into failures. The seed is fixed, so a failure repeats; RANDOM_INPUT_SEED=N runs
 * another sequence. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cunit_run.h"
#include "doc_test_util.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/document.h"
#include "zhsearch/search.h"

static char dbdir[] = "/tmp/zhs-test-random-XXXXXX";
static zhs_searcher_t *searcher;
static unsigned seed = 20261208;

static int suite_init(void)
{
    const char *env = getenv("RANDOM_INPUT_SEED");
    if (env)
        seed = (unsigned)strtoul(env, NULL, 10);
    const char *paths[] = {dbdir};
    return zhs_analyzer_init(NULL) != ZHS_OK || !mkdtemp(dbdir) ||
           doc_test_index_corpus(dbdir, NULL) != 0 ||
           zhs_searcher_open(paths, 1, &searcher, NULL) != ZHS_OK;
}

static int suite_clean(void)
{
    zhs_searcher_close(searcher);
    zhs_test_remove_tree(dbdir);
    return 0;
}

static unsigned pick(unsigned n)
{
    return (unsigned)rand_r(&seed) % n;
}

/* ------------------------------------------------------------ random queries */

/* What queries are made of: words of the corpus in both scripts and full width, the
 * operators and filters, punctuation, and bytes that are not UTF-8. */
static const char *const pieces[] = {
    "知识产权", "知識產權", "科技", "创新", "税", "人才", "住房", "孵化器", "减税",
    "国际科技合作", "市科技局", "高新技术产业发展", "的", "年", "2020年", "专利", "区块链",
    "ＡＢＣ", "ｄｅｐｔ：", "AI", "4.0", "x", "123", "\"", "\"", "(", ")", " OR ", " or ",
    " NOT ", "-", "+", "dept:", "issuer:", "section:", "year:", "year:2016",
    "year:2016..2020", "year:..", "year:9999999999999", "dept:\"", ":", "..", " ", " ",
    "　", "\t", "。", "，", "、", "《", "》", "（", "）", "“", "”", "*", "?", "\\",
    "&amp;", "<mark>", "</b>", "%", "😀", "e\xcc\x81", "\xe2\x80\x8b", "\xef\xbb\xbf",
    "\xff", "\xc3", "\xe4\xb8", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf",
};
#define NPIECES (sizeof pieces / sizeof pieces[0])

/* A query of up to max_pieces pieces; now and then one longer than any query may be. */
static void random_query(char *q, size_t cap, unsigned max_pieces)
{
    size_t n = 0;
    unsigned count = pick(max_pieces + 1);
    if (pick(50) == 0)
        count = 600;    /* past ZHS_QUERY_MAX_BYTES */
    for (unsigned i = 0; i < count; i++) {
        const char *p = pieces[pick(NPIECES)];
        size_t len = strlen(p);
        if (n + len + 1 > cap)
            break;
        memcpy(q + n, p, len);
        n += len;
    }
    q[n] = '\0';
}

static const char *const params[][6] = {
    {"group", "doc", "passage", "none", "", NULL},
    {"sort", "relevance", "date", "date_asc", "up", NULL},
    {"offset", "0", "10", "95", "-1", "99999999999999999999"},
    {"limit", "0", "1", "20", "100", "101"},
    {"facets", "department,year", "section,issuer", "", "color", NULL},
    {"facet_limit", "0", "3", "x", NULL, NULL},
    {"snippet", "0", "1", "40", "100000", "-5"},
    {"near", "true", "false", "maybe", NULL, NULL},
    {"year", "2016", "2016..2020", "20x6", "..", NULL},
    {"dept", "市科技局", "市財政局", "", NULL, NULL},
    {"section", "保障措施", "", NULL, NULL, NULL},
};
#define NPARAMS (sizeof params / sizeof params[0])

/* Do the snippet's or document's <mark> tags pair up, without nesting? */
static bool marks_pair(const char *html)
{
    bool open = false;
    for (const char *p = html; (p = strchr(p, '<')); p++) {
        if (strncmp(p, "<mark>", 6) == 0) {
            if (open)
                return false;
            open = true;
        } else if (strncmp(p, "</mark>", 7) == 0) {
            if (!open)
                return false;
            open = false;
        } else {
            return false;    /* every other < is escaped */
        }
    }
    return !open;
}

static bool valid_html(const char *html)
{
    return html && zhs_utf8_validate(html, strlen(html), NULL) == ZHS_OK && marks_pair(html);
}

/* A failure must say what failed: a request error for the request, never the index. */
static void check_refusal(zhs_status_t st, const zhs_error_t *err, const char *what)
{
    bool request_error = st == ZHS_ERR_BAD_QUERY || st == ZHS_ERR_BAD_UTF8 ||
                         st == ZHS_ERR_BAD_ARG || st == ZHS_ERR_NOT_FOUND;
    if (!request_error || !err->message[0])
        fprintf(stderr, "%s: status %d \"%s\"\n", what, (int)st, err->message);
    CU_ASSERT_TRUE(request_error);
    CU_ASSERT_TRUE(err->message[0] != '\0');
}

static void check_response(const json_t *res, const zhs_search_request_t *req)
{
    json_t *hits = json_object_get(res, "hits");
    CU_ASSERT_TRUE_FATAL(json_is_array(hits));
    CU_ASSERT_TRUE(json_array_size(hits) <= req->limit);
    json_int_t total = json_integer_value(json_object_get(res, "total"));
    json_int_t exact = json_integer_value(json_object_get(res, "exact_total"));
    CU_ASSERT_TRUE(exact >= 0 && total >= exact);
    CU_ASSERT_TRUE((json_int_t)(req->offset + json_array_size(hits)) <= total ||
                   json_array_size(hits) == 0);
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h) {
        json_t *snippet = json_object_get(h, "snippet");
        if (snippet)
            CU_ASSERT_TRUE(valid_html(json_string_value(snippet)));
        CU_ASSERT_TRUE(json_integer_value(json_object_get(h, "line_start")) >= 1);
    }
    json_t *facets = json_object_get(res, "facets");
    CU_ASSERT_TRUE(!facets || json_is_object(facets));
}

static void random_queries_get_an_answer_or_a_clear_error(void)
{
    char q[4096];
    unsigned answered = 0, refused = 0;
    for (int round = 0; round < 3000; round++) {
        random_query(q, sizeof q, 8);
        zhs_search_request_t req;
        zhs_search_request_init(&req);
        zhs_error_t err = {0};
        zhs_status_t st = zhs_search_request_set(&req, "q", q, &err);
        for (unsigned k = pick(4); k > 0 && st == ZHS_OK; k--) {
            const char *const *p = params[pick(NPARAMS)];
            unsigned nvalues = 0;
            while (nvalues < 5 && p[nvalues + 1])
                nvalues++;
            st = zhs_search_request_set(&req, p[0], p[1 + pick(nvalues)], &err);
        }
        json_t *res = NULL;
        if (st == ZHS_OK)
            st = zhs_search(searcher, &req, &res, &err);
        if (st == ZHS_OK) {
            check_response(res, &req);
            answered++;
        } else {
            check_refusal(st, &err, q);
            CU_ASSERT_PTR_NULL(res);
            refused++;
        }
        json_decref(res);
        zhs_search_request_release(&req);
    }
    /* The mix has both: most queries search, the broken ones are refused. */
    CU_ASSERT_TRUE(answered > 1000);
    CU_ASSERT_TRUE(refused > 100);
}

static void random_document_queries_mark_valid_html(void)
{
    static const char *const ids[] = {"001_fd8bcf01d029cd12", "003_a2da86337d7ff50c",
                                      "000_ce5235c9c363ba6f", "no_such_document"};
    char q[4096];
    for (int round = 0; round < 400; round++) {
        random_query(q, sizeof q, 5);
        const char *id = ids[pick(4)];
        json_t *doc = NULL;
        zhs_error_t err = {0};
        zhs_status_t st = zhs_search_doc(searcher, id, q, &doc, &err);
        if (st == ZHS_OK && json_object_get(doc, "html")) {
            CU_ASSERT_FALSE(zhs_query_is_blank(q));
            CU_ASSERT_TRUE(valid_html(json_string_value(json_object_get(doc, "html"))));
            CU_ASSERT_TRUE(json_is_array(json_object_get(doc, "match_lines")));
        } else if (st == ZHS_OK) {
            CU_ASSERT_TRUE(zhs_query_is_blank(q));    /* no q, no marks */
        } else {
            check_refusal(st, &err, q);
        }
        json_decref(doc);
    }
}

/* ------------------------------------------------------------ damaged documents */

/* One random change to buf (n bytes, room for cap): bytes flipped, cut, repeated or
 * inserted (GBK and Big5 byte pairs, NULs, line breaks, stray UTF-8), or the end cut. */
static size_t damage(char *buf, size_t n, size_t cap)
{
    static const char *const inserts[] = {"\xb9\xfa", "\xa4\xa4", "\0", "\r\n", "\n\n\n",
                                          "\xe4\xb8", "\xef\xbb\xbf", "(本部分工作由",
                                          "一、", "(一)", "1.", "文 号:", "发布时间:"};
    size_t at = n ? pick((unsigned)n) : 0;
    switch (pick(5)) {
    case 0:
        if (n)
            buf[at] = (char)pick(256);
        return n;
    case 1: {
        size_t len = pick(64);
        if (at + len > n)
            len = n - at;
        memmove(buf + at, buf + at + len, n - at - len);
        return n - len;
    }
    case 2: {
        size_t len = pick(200);
        if (at + len > n)
            len = n - at;
        if (n + len > cap)
            return n;
        memmove(buf + at + len, buf + at, n - at);
        return n + len;    /* the span at..at+len now appears twice */
    }
    case 3: {
        const char *ins = inserts[pick(sizeof inserts / sizeof inserts[0])];
        size_t len = ins[0] ? strlen(ins) : 1;
        if (n + len > cap)
            return n;
        memmove(buf + at + len, buf + at, n - at);
        memcpy(buf + at, ins, len);
        return n + len;
    }
    default:
        return at;
    }
}

static void check_document(const zhs_document_t *doc, size_t nbytes)
{
    char *j = zhs_document_to_json(doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    json_error_t jerr;
    json_t *parsed = json_loads(j, 0, &jerr);
    CU_ASSERT_PTR_NOT_NULL(parsed);
    json_decref(parsed);
    free(j);
    for (size_t i = 0; i < doc->npassages; i++) {
        const zhs_passage_t *p = &doc->passages[i];
        CU_ASSERT_TRUE(p->line_start >= 1 && p->line_start <= p->line_end);
        CU_ASSERT_TRUE(p->line_end <= nbytes + 1);    /* no more lines than bytes */
        CU_ASSERT_EQUAL(zhs_utf8_validate(p->text, strlen(p->text), NULL), ZHS_OK);
    }
}

static void damaged_documents_parse_or_fail_clearly(void)
{
    static const char *const names[] = {"000_ce5235c9c363ba6f.txt", "001_fd8bcf01d029cd12.txt",
                                        "002_63669fec260b4861.txt", "003_a2da86337d7ff50c.txt",
                                        "004_943963b27e31b63c.txt"};
    unsigned parsed = 0;
    for (size_t f = 0; f < sizeof names / sizeof names[0]; f++) {
        size_t n0 = 0;
        char *orig = doc_test_read_corpus(names[f], &n0);
        CU_ASSERT_PTR_NOT_NULL_FATAL(orig);
        size_t cap = 2 * n0 + 4096;
        char *buf = malloc(cap);
        CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
        for (int round = 0; round < 60; round++) {
            memcpy(buf, orig, n0);
            size_t n = n0;
            for (unsigned k = 1 + pick(12); k > 0; k--)
                n = damage(buf, n, cap);
            zhs_document_t *doc = NULL;
            zhs_error_t err = {0};
            zhs_status_t st = zhs_document_parse(names[f], buf, n, &doc, &err);
            if (st == ZHS_OK) {
                CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
                check_document(doc, n);
                parsed++;
            } else {
                CU_ASSERT_PTR_NULL(doc);
                CU_ASSERT_TRUE(err.message[0] != '\0');
            }
            zhs_document_free(doc);
        }
        free(buf);
        free(orig);
    }
    CU_ASSERT_TRUE(parsed > 100);
}

static CU_TestInfo tests[] = {
    {"random queries get an answer or a clear error",
     random_queries_get_an_answer_or_a_clear_error},
    {"random document queries mark valid HTML", random_document_queries_mark_valid_html},
    {"damaged documents parse or fail clearly", damaged_documents_parse_or_fail_clearly},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"random_input", suite_init, suite_clean, NULL, NULL, tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
