/* The title boost on a small index of made-up documents: two documents say the same
 * passage (equal evidence, so equal BM25 weight with b 0), and only the title of the
 * one indexed second names the query; where the boost is on, that document's passage
 * ranks first, and a title passage deleted by an update gives no boost. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/search_internal.h"
#include "cunit_run.h"
#include "zhsearch/document.h"
#include "zhsearch/index.h"
#include "zhsearch/search.h"

static char dbdir[] = "/tmp/zhs-test-search-title-XXXXXX";
static zhs_searcher_t *searcher;

#define BODY "推进科技创新平台建设,强化企业主体地位。"
#define QUERY "科技创新"
static const char first_text[] = "广州市人民政府关于印发节能降耗工作方案的通知\n"
                                 "各区人民政府,市政府各部门:\n" BODY "\n";
static const char second_text[] = "广州市人民政府关于加快科技创新发展的意见\n"
                                  "各区人民政府,市政府各部门:\n" BODY "\n";
/* The second document again, its title no longer naming the query. */
static const char second_retitled[] = "广州市人民政府关于加快节能工作的意见\n"
                                      "各区人民政府,市政府各部门:\n" BODY "\n";

/* Puts the documents (file name, text) given in order into the index and commits. */
static int put(const char *const *docs, size_t n)
{
    zhs_index_t *ix = NULL;
    zhs_error_t err = {0};
    zhs_status_t st = zhs_index_open(dbdir, ZHS_INDEX_CREATE_OR_OPEN, &ix, &err);
    for (size_t i = 0; st == ZHS_OK && i < n; i++) {
        zhs_document_t *doc = NULL;
        st = zhs_document_parse(docs[2 * i], docs[2 * i + 1], strlen(docs[2 * i + 1]), &doc,
                                &err);
        if (st == ZHS_OK && !doc->title)
            st = zhs_error_set(&err, ZHS_ERR_INTERNAL, "%s has no title", docs[2 * i]);
        if (st == ZHS_OK)
            st = zhs_index_put(ix, doc, NULL, &err);
        zhs_document_free(doc);
    }
    if (st == ZHS_OK)
        st = zhs_index_commit(ix, &err);
    zhs_index_close(ix);
    if (st != ZHS_OK)
        fprintf(stderr, "indexing: %s\n", err.message);
    return st != ZHS_OK;
}

static int suite_init(void)
{
    const char *docs[] = {"first.txt", first_text, "second.txt", second_text};
    if (!mkdtemp(dbdir) || put(docs, 2) != 0)
        return 1;
    const char *paths[] = {dbdir};
    return zhs_searcher_open(paths, 1, &searcher, NULL) != ZHS_OK;
}

static int suite_clean(void)
{
    zhs_searcher_close(searcher);
    zhs_test_remove_tree(dbdir);
    return 0;
}

/* The rank (0-based) and score of the passage doc:line among the hits of QUERY (exact
 * matches only), *rank -1 when it is not there. */
typedef struct {
    int rank;
    double score;
} placing_t;

static void place(const char *doc, int line, json_t *res, placing_t *out)
{
    out->rank = -1;
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(res, "hits"), i, h)
        if (strcmp(json_string_value(json_object_get(h, "doc")), doc) == 0 &&
            json_integer_value(json_object_get(h, "line_start")) == line) {
            out->rank = (int)i;
            out->score = json_real_value(json_object_get(h, "score"));
        }
}

/* The passages matching QUERY exactly (no near matches). Caller json_decrefs. */
static json_t *search_query(void)
{
    zhs_search_request_t req;
    zhs_search_request_init(&req);
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_search_request_set(&req, "q", QUERY, &err), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_search_request_set(&req, "group", "passage", &err), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_search_request_set(&req, "near", "false", &err), ZHS_OK);
    json_t *res = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_search(searcher, &req, &res, &err), ZHS_OK);
    zhs_search_request_release(&req);
    return res;
}

/* Where the body passages (line 3) of both documents rank among the total hits. */
static void rank_bodies(placing_t *first, placing_t *second, json_int_t total)
{
    json_t *res = search_query();
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(res, "total")), total);
    place("first", 3, res, first);
    place("second", 3, res, second);
    CU_ASSERT_NOT_EQUAL(first->rank, -1);
    CU_ASSERT_NOT_EQUAL(second->rank, -1);
    json_decref(res);
}

static void equal_passages_rank_in_index_order_without_the_boost(void)
{
    placing_t a, b;
    searcher->rank.title_weight = 0;
    rank_bodies(&a, &b, 3);    /* both bodies and the second document's title line */
    searcher->rank.title_weight = zhs_rank_defaults.title_weight;
    CU_ASSERT_TRUE(a.rank < b.rank);
    CU_ASSERT_DOUBLE_EQUAL(a.score, b.score, 1e-9);
}

static void the_passage_of_the_document_whose_title_matches_ranks_first(void)
{
    CU_ASSERT_TRUE_FATAL(searcher->rank.title_weight > 0);
    placing_t a, b;
    rank_bodies(&a, &b, 3);
    CU_ASSERT_TRUE(b.rank < a.rank);
    CU_ASSERT_TRUE(b.score > a.score);
}

static void a_title_passage_deleted_by_an_update_gives_no_boost(void)
{
    const char *docs[] = {"second.txt", second_retitled};
    CU_ASSERT_EQUAL_FATAL(put(docs, 1), 0);
    bool changed = false;
    CU_ASSERT_EQUAL_FATAL(zhs_searcher_refresh(searcher, &changed, NULL), ZHS_OK);
    CU_ASSERT_TRUE(changed);
    /* The old passages of the second document are tombstones, still in the postings of
     * their terms (its old title passage's title terms among them). */
    zhs_index_stats_t st;
    CU_ASSERT_EQUAL(zhs_searcher_stats(searcher, &st, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(st.deleted, 3);
    CU_ASSERT_EQUAL(st.passages, 6);
    placing_t a, b;
    rank_bodies(&a, &b, 2);
    CU_ASSERT_EQUAL(a.rank, 0);
    CU_ASSERT_EQUAL(b.rank, 1);
    CU_ASSERT_DOUBLE_EQUAL(a.score, b.score, 1e-9);
}

/* Both third and fourth documents' titles name the query; the fifth's does not. Putting
 * the third again leaves its old passages (deleted, still stored) before the fourth's
 * and its new ones after: the fourth keeps its boost all the same. */
static void a_document_updated_around_another_leaves_it_its_boost(void)
{
    const char *docs[] = {"third.txt", second_text, "fifth.txt", first_text,
                          "fourth.txt", second_text, "third.txt", second_text};
    CU_ASSERT_EQUAL_FATAL(put(docs, 4), 0);
    CU_ASSERT_EQUAL_FATAL(zhs_searcher_refresh(searcher, NULL, NULL), ZHS_OK);
    json_t *res = search_query();
    placing_t fourth, fifth, third;
    place("fourth", 3, res, &fourth);
    place("fifth", 3, res, &fifth);
    place("third", 3, res, &third);
    json_decref(res);
    CU_ASSERT_TRUE(fourth.rank >= 0 && fourth.rank < fifth.rank);
    CU_ASSERT_DOUBLE_EQUAL(fourth.score, third.score, 1e-9);
    CU_ASSERT_TRUE(fourth.score > fifth.score);
}

/* A thousand and one more documents whose titles name the query: a title query that
 * could match that many titles boosts nothing, so the passages tie again (the fourth
 * document's body no longer outweighs the first's) and the first document's body,
 * indexed first, ranks first. */
/* Does the compiled query of q have a title query? */
static bool has_title_query(const char *q)
{
    zhs_qnode_t *root = NULL;
    zhs_compiled_t c;
    CU_ASSERT_EQUAL_FATAL(zhs_qnode_parse(q, strlen(q), &root, NULL), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(zhs_qnode_analyze(&root, NULL), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(zhs_compile(root, NULL, &searcher->rank, searcher, false, &c, NULL),
                          ZHS_OK);
    bool has = c.title != NULL;
    zhs_compiled_release(&c);
    zhs_qnode_free(root);
    return has;
}

static void a_word_in_no_title_is_not_matched_against_titles(void)
{
    CU_ASSERT_TRUE(has_title_query(QUERY));
    /* 企业主体 is in the bodies only: no title holds its bigram 业主. */
    CU_ASSERT_FALSE(has_title_query("企业主体"));
    CU_ASSERT_TRUE(has_title_query("企业主体 OR " QUERY));
    CU_ASSERT_FALSE(has_title_query("企业主体 OR 主体地位"));
}

static void a_title_word_of_over_a_thousand_titles_boosts_nothing(void)
{
    enum { N = 1001 };
    static char names[N][32];
    static const char *docs[2 * N];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "many%04d.txt", i);
        docs[2 * i] = names[i];
        docs[2 * i + 1] = second_text;
    }
    CU_ASSERT_EQUAL_FATAL(put(docs, N), 0);
    CU_ASSERT_EQUAL_FATAL(zhs_searcher_refresh(searcher, NULL, NULL), ZHS_OK);
    json_t *res = search_query();
    placing_t first, fourth;
    place("first", 3, res, &first);
    place("fourth", 3, res, &fourth);
    json_decref(res);
    CU_ASSERT_EQUAL(first.rank, 0);
    CU_ASSERT_TRUE_FATAL(fourth.rank > 0);
    CU_ASSERT_DOUBLE_EQUAL(fourth.score, first.score, 1e-9);
}

static CU_TestInfo title_tests[] = {
    {"equal passages rank in index order without the boost",
     equal_passages_rank_in_index_order_without_the_boost},
    {"the passage of the document whose title matches ranks first",
     the_passage_of_the_document_whose_title_matches_ranks_first},
    {"a title passage deleted by an update gives no boost",
     a_title_passage_deleted_by_an_update_gives_no_boost},
    {"a document updated around another leaves it its boost",
     a_document_updated_around_another_leaves_it_its_boost},
    {"a word in no title is not matched against titles",
     a_word_in_no_title_is_not_matched_against_titles},
    {"a title word of over a thousand titles boosts nothing",
     a_title_word_of_over_a_thousand_titles_boosts_nothing},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"title boost", suite_init, suite_clean, NULL, NULL, title_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
