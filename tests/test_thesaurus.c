/* Synonyms: reading a thesaurus in Solr's format (pairs, normalization, errors with
 * their lines), widening a query tree with them, and storing them in an index. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/query.h"
#include "../lib/thesaurus.h"
#include "cunit_run.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/index.h"
#include "zhsearch/xapian.h"

static int init_analyzer(void)
{
    return zhs_analyzer_init(NULL) == ZHS_OK ? 0 : 1;
}

/* ------------------------------------------------------------ reading */

static zhs_status_t append_pair(void *ctx, const char *word_key, const char *synonym,
                                zhs_error_t *err)
{
    (void)err;
    char *pairs = ctx;
    size_t n = strlen(pairs);
    snprintf(pairs + n, 4096 - n, "%s%s>%s", n ? ";" : "", word_key, synonym);
    return ZHS_OK;
}

/* The pairs of text as `word>synonym;...`, or "<error: message>". */
static void check_pairs(const char *text, const char *expected, size_t entries, int line)
{
    static char pairs[4096];
    pairs[0] = '\0';
    zhs_error_t err = {0};
    size_t n = 99;
    if (zhs_thesaurus_parse(text, strlen(text), "t.txt", append_pair, pairs, &n, &err) !=
        ZHS_OK)
        snprintf(pairs, sizeof pairs, "<error: %s>", err.message);
    else
        CU_ASSERT_EQUAL(n, entries);
    zhs_test_assert_str(pairs, expected, line, __FILE__);
}
#define CHECK_PAIRS(text, expected, entries) check_pairs((text), (expected), (entries), __LINE__)

static void check_error(const char *text, zhs_status_t status, size_t offset,
                        const char *message, int line)
{
    char pairs[4096] = "";
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_thesaurus_parse(text, strlen(text), "t.txt", append_pair, pairs, NULL,
                                        &err),
                    status);
    CU_ASSERT_EQUAL(err.offset, offset);
    zhs_test_assert_str(err.message, message, line, __FILE__);
}
#define CHECK_ERROR(text, status, offset, message) \
    check_error((text), (status), (offset), (message), __LINE__)

static void equivalents_find_each_other(void)
{
    CHECK_PAIRS("孵化器, 众创空间, 加速器\n",
                "孵化器>众创空间;孵化器>加速器;众创空间>孵化器;众创空间>加速器;"
                "加速器>孵化器;加速器>众创空间",
                1);
}

static void one_way_lines_map_each_left_term(void)
{
    CHECK_PAIRS("减税 => 税收优惠, 免税", "减税>税收优惠;减税>免税", 1);
    CHECK_PAIRS("小微企业,中小企业=>中小微企业",
                "小微企业>中小微企业;中小企业>中小微企业", 1);
    /* A term on both sides is not its own synonym. */
    CHECK_PAIRS("专利 => 专利, 发明专利", "专利>发明专利", 1);
}

static void terms_are_normalized_as_queries_are(void)
{
    /* Traditional script, full-width comma and letters, Latin case. */
    CHECK_PAIRS("減稅 => 稅收優惠，ＡＩ 技术", "减税>税收优惠;减税>ai 技术", 1);
    /* A word is looked up by its match key (spaces folded); a synonym stays text. */
    CHECK_PAIRS("AI   技术, 人工智能", "ai 技术>人工智能;人工智能>ai   技术", 1);
}

static void comments_blank_lines_and_crlf_are_skipped(void)
{
    CHECK_PAIRS("# 税收\n\n   \r\n  # 缩进的注释\n减税 => 免税\r\n孵化器, 众创空间",
                "减税>免税;孵化器>众创空间;众创空间>孵化器", 2);
    CHECK_PAIRS("", "", 0);
}

static void malformed_lines_name_their_line(void)
{
    CHECK_ERROR("# ok\n减税\n", ZHS_ERR_BAD_ARG, 5,
                "t.txt:2: a list of equivalents needs two terms or more: '减税'");
    CHECK_ERROR("减税 => 免税,, 退税", ZHS_ERR_BAD_ARG, 0,
                "t.txt:1: empty term (two commas, or one at an end)");
    CHECK_ERROR("减税 =>", ZHS_ERR_BAD_ARG, 0,
                "t.txt:1: empty term (two commas, or one at an end)");
    CHECK_ERROR("a => b => c", ZHS_ERR_BAD_ARG, 0, "t.txt:1: more than one '=>'");
    CHECK_ERROR("减税, 。", ZHS_ERR_BAD_ARG, 0, "t.txt:1: nothing to search for in '。'");
    CHECK_ERROR("减税, 免税\n\xff\xfe, 退税\n", ZHS_ERR_BAD_UTF8, 15, "t.txt:2: not UTF-8");
}

/* ------------------------------------------------------------ widening a query */

/* A fixed thesaurus: 减税 -> 税收优惠, 免税; 孵化器 -> 众创空间, 孵化器 (itself, in
 * Traditional: dropped); 失败 fails. */
static zhs_status_t fixed_lookup(void *ctx, const char *key, zhs_synonym_add_fn add,
                                 void *add_ctx, zhs_error_t *err)
{
    (void)ctx;
    static const char *const table[][3] = {
        {"减税", "税收优惠", "免税"},
        {"孵化器", "众创空间", "孵化器"},
    };
    if (strcmp(key, "失败") == 0)
        return zhs_error_set(err, ZHS_ERR_IO, "lookup failed");
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(key, table[i][0]) == 0)
            for (size_t j = 1; j < 3; j++)
                if (add(add_ctx, table[i][j], strlen(table[i][j])))
                    return ZHS_OK;
    return ZHS_OK;
}

/* The widened tree of q described, "<none>" when nothing was added. */
static void check_expand(const char *q, const char *expected, int line)
{
    zhs_qnode_t *root = NULL, *wide = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_qnode_parse(q, strlen(q), &root, NULL), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(zhs_qnode_analyze(&root, NULL), ZHS_OK);
    char *before = zhs_qnode_describe(root);
    CU_ASSERT_EQUAL(zhs_qnode_expand(root, fixed_lookup, NULL, &wide, NULL), ZHS_OK);
    char *s = wide ? zhs_qnode_describe(wide) : strdup("<none>");
    zhs_test_assert_str(s, expected, line, __FILE__);
    /* The query as asked is left as it was. */
    char *after = zhs_qnode_describe(root);
    zhs_test_assert_str(after, before, line, __FILE__);
    free(s);
    free(before);
    free(after);
    zhs_qnode_free(wide);
    zhs_qnode_free(root);
}
#define CHECK_EXPAND(q, expected) check_expand((q), (expected), __LINE__)

static void words_become_the_or_of_their_synonyms(void)
{
    CHECK_EXPAND("減稅", "OR(减税, \"税收优惠\", \"免税\")");
    CHECK_EXPAND("人才 减税 year:2016",
                 "AND(人才, OR(减税, \"税收优惠\", \"免税\"), year:2016)");
    CHECK_EXPAND("孵化器 OR 人才", "OR(OR(孵化器, \"众创空间\"), 人才)");
}

static void phrases_and_excluded_words_are_kept_as_asked(void)
{
    CHECK_EXPAND("\"减税\"", "<none>");
    CHECK_EXPAND("人才", "<none>");
    CHECK_EXPAND("人才 -减税", "<none>");
    CHECK_EXPAND("孵化器 -减税", "AND(OR(孵化器, \"众创空间\"), NOT(减税))");
}

static void synonym_leaves_are_marked_and_analyzed(void)
{
    zhs_qnode_t *root = NULL, *wide = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_qnode_parse("减税", 6, &root, NULL), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(zhs_qnode_analyze(&root, NULL), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(zhs_qnode_expand(root, fixed_lookup, NULL, &wide, NULL), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(wide->nkids, 3);
    CU_ASSERT_FALSE(wide->kids[0]->synonym);
    CU_ASSERT_EQUAL(wide->kids[0]->kind, ZHS_QN_TERM);
    CU_ASSERT_TRUE(wide->kids[1]->synonym);
    CU_ASSERT_EQUAL(wide->kids[1]->kind, ZHS_QN_PHRASE);
    ZHS_ASSERT_STR(wide->kids[1]->key, "税收优惠");
    zhs_passage_view_t exact = {.key = "落实税收优惠政策"}, none = {.key = "税收政策"};
    CU_ASSERT_TRUE(zhs_qnode_eval(wide, &exact));
    CU_ASSERT_FALSE(zhs_qnode_eval(wide, &none));
    CU_ASSERT_FALSE(zhs_qnode_eval(root, &exact));
    zhs_qnode_free(wide);
    zhs_qnode_free(root);
}

static void a_failed_lookup_is_returned(void)
{
    zhs_qnode_t *root = NULL, *wide = NULL;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL_FATAL(zhs_qnode_parse("人才 失败", strlen("人才 失败"), &root, NULL), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(zhs_qnode_analyze(&root, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_qnode_expand(root, fixed_lookup, NULL, &wide, &err), ZHS_ERR_IO);
    CU_ASSERT_PTR_NULL(wide);
    ZHS_ASSERT_STR(err.message, "lookup failed");
    zhs_qnode_free(root);
}

/* ------------------------------------------------------------ in an index */

static int collect_synonym(void *ctx, const char *bytes, size_t nbytes)
{
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 512 - n, "%s%.*s", n ? "," : "", (int)nbytes, bytes);
    return 0;
}

/* The synonyms of word in the committed index at dir. */
static void check_stored(const char *dir, const char *word, const char *expected, int line)
{
    zhs_db_t *db = NULL;
    char out[512] = "";
    CU_ASSERT_EQUAL_FATAL(zhs_db_open(dir, &db, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_db_synonyms(db, word, strlen(word), collect_synonym, out, NULL), ZHS_OK);
    zhs_test_assert_str(out, expected, line, __FILE__);
    zhs_db_close(db);
}
#define CHECK_STORED(dir, word, expected) check_stored((dir), (word), (expected), __LINE__)

/* How many words have synonyms in the committed index at dir. */
static uint64_t synonym_words(const char *dir)
{
    zhs_db_t *db = NULL;
    uint64_t n = UINT64_MAX;
    CU_ASSERT_EQUAL_FATAL(zhs_db_open(dir, &db, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_db_synonym_words(db, &n, NULL), ZHS_OK);
    zhs_db_close(db);
    return n;
}

static void set_and_commit(const char *dir, const char *text, zhs_status_t want_status,
                           bool want_changed)
{
    zhs_index_t *ix = NULL;
    bool changed = !want_changed;
    CU_ASSERT_EQUAL_FATAL(zhs_index_open(dir, ZHS_INDEX_CREATE_OR_OPEN, &ix, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(
        zhs_index_set_thesaurus(ix, text, strlen(text), "t.txt", &changed, NULL, NULL),
        want_status);
    CU_ASSERT_EQUAL(changed, want_changed);
    /* A refused thesaurus leaves the writer usable. */
    CU_ASSERT_EQUAL(zhs_index_commit(ix, NULL), ZHS_OK);
    zhs_index_close(ix);
}

static void the_index_keeps_the_thesaurus_it_was_given(void)
{
    char dir[] = "/tmp/zhs-test-thesaurus-XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    set_and_commit(dir, "减税 => 税收优惠, 免税\n孵化器, 众创空间", ZHS_OK, true);
    CHECK_STORED(dir, "减税", "免税,税收优惠");
    CHECK_STORED(dir, "众创空间", "孵化器");
    CHECK_STORED(dir, "税收优惠", "");
    CU_ASSERT_EQUAL(synonym_words(dir), 3);   /* 减税, 孵化器, 众创空间 */
    /* The same text again changes nothing; a bad one is refused and changes nothing. */
    set_and_commit(dir, "减税 => 税收优惠, 免税\n孵化器, 众创空间", ZHS_OK, false);
    set_and_commit(dir, "减税 => 退税\n孵化器", ZHS_ERR_BAD_ARG, false);
    CHECK_STORED(dir, "减税", "免税,税收优惠");
    /* Another text replaces the whole table; an empty one empties it. */
    set_and_commit(dir, "减税 => 退税", ZHS_OK, true);
    CHECK_STORED(dir, "减税", "退税");
    CHECK_STORED(dir, "孵化器", "");
    CU_ASSERT_EQUAL(synonym_words(dir), 1);
    set_and_commit(dir, "", ZHS_OK, true);
    CHECK_STORED(dir, "减税", "");
    CU_ASSERT_EQUAL(synonym_words(dir), 0);
    zhs_test_remove_tree(dir);
}

static CU_TestInfo reading_tests[] = {
    {"equivalents find each other", equivalents_find_each_other},
    {"one-way lines map each left term", one_way_lines_map_each_left_term},
    {"terms are normalized as queries are", terms_are_normalized_as_queries_are},
    {"comments, blank lines and CRLF are skipped", comments_blank_lines_and_crlf_are_skipped},
    {"malformed lines name their line", malformed_lines_name_their_line},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo expand_tests[] = {
    {"words become the OR of their synonyms", words_become_the_or_of_their_synonyms},
    {"phrases and excluded words are kept as asked",
     phrases_and_excluded_words_are_kept_as_asked},
    {"synonym leaves are marked and analyzed", synonym_leaves_are_marked_and_analyzed},
    {"a failed lookup is returned", a_failed_lookup_is_returned},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo index_tests[] = {
    {"the index keeps the thesaurus it was given", the_index_keeps_the_thesaurus_it_was_given},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"thesaurus", init_analyzer, NULL, NULL, NULL, reading_tests},
    {"query_expand", init_analyzer, NULL, NULL, NULL, expand_tests},
    {"index_thesaurus", init_analyzer, NULL, NULL, NULL, index_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
