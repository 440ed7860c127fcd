/* The query language parser: the tree of every construct, the lenient cases, and the
 * errors with their byte positions. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/query.h"
#include "cunit_run.h"
#include "zhsearch/analyzer.h"

/* The described tree of q, or "<null>" for an empty query, "<error>" on failure. */
static char *parsed(const char *q)
{
    zhs_qnode_t *root = NULL;
    zhs_error_t err = {0};
    if (zhs_qnode_parse(q, strlen(q), &root, &err) != ZHS_OK)
        return strdup("<error>");
    char *s = root ? zhs_qnode_describe(root) : strdup("<null>");
    zhs_qnode_free(root);
    return s;
}

static void check(const char *q, const char *expected, int line)
{
    char *s = parsed(q);
    zhs_test_assert_str(s, expected, line, __FILE__);
    free(s);
}
#define CHECK(q, expected) check((q), (expected), __LINE__)

static void check_error(const char *q, size_t offset, const char *message, int line)
{
    zhs_qnode_t *root = NULL;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_qnode_parse(q, strlen(q), &root, &err), ZHS_ERR_BAD_QUERY);
    CU_ASSERT_PTR_NULL(root);
    CU_ASSERT_EQUAL(err.status, ZHS_ERR_BAD_QUERY);
    CU_ASSERT_EQUAL(err.offset, offset);
    zhs_test_assert_str(err.message, message, line, __FILE__);
}
#define CHECK_ERROR(q, offset, message) check_error((q), (offset), (message), __LINE__)

static void check_unparse(const char *q, const char *expected, int line)
{
    zhs_qnode_t *root = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_qnode_parse(q, strlen(q), &root, NULL), ZHS_OK);
    char *s = zhs_qnode_unparse(root);
    zhs_test_assert_str(s, expected, line, __FILE__);
    free(s);
    zhs_qnode_free(root);
}
#define CHECK_UNPARSE(q, expected) check_unparse((q), (expected), __LINE__)

static void single_term_is_a_leaf(void)
{
    CHECK("知识产权", "知识产权");
    CHECK("  税 ", "税");
    CHECK("2016-2020年", "2016-2020年");
    CHECK("foo:bar", "foo:bar");
}

static void whitespace_separated_terms_are_anded(void)
{
    CHECK("人才 住房", "AND(人才, 住房)");
    CHECK("人才\xE3\x80\x80住房\t补贴", "AND(人才, 住房, 补贴)");
    CHECK("人才 AND 住房", "AND(人才, 住房)");
    CHECK("a or b", "AND(a, or, b)");
}

static void quotes_make_phrases(void)
{
    CHECK("\"科技 金融\"", "\"科技 金融\"");
    CHECK("\xE2\x80\x9C科技金融\xE2\x80\x9D 专利", "AND(\"科技金融\", 专利)");
    CHECK("专利\"科技金融\"", "AND(专利, \"科技金融\")");
}

static void or_binds_tighter_than_and(void)
{
    CHECK("人才 住房 OR 购房", "AND(人才, OR(住房, 购房))");
    CHECK("a OR b c OR d", "AND(OR(a, b), OR(c, d))");
    CHECK("a | b", "OR(a, b)");
    CHECK("a OR b OR c", "OR(a, b, c)");
}

static void minus_and_not_exclude(void)
{
    CHECK("税 -所得税", "AND(税, NOT(所得税))");
    CHECK("税 NOT 所得税", "AND(税, NOT(所得税))");
    CHECK("NOT 税", "NOT(税)");
    CHECK("-\"科技 金融\" 专利", "AND(NOT(\"科技 金融\"), 专利)");
    CHECK("-(a OR b) c", "AND(NOT(OR(a, b)), c)");
    CHECK("--a", "a");
    CHECK("a OR -b", "OR(a, NOT(b))");
}

static void parentheses_group_and_nest_flat(void)
{
    CHECK("(专利 OR 商标) 保护", "AND(OR(专利, 商标), 保护)");
    CHECK("a (b c)", "AND(a, b, c)");
    CHECK("a OR (b OR c)", "OR(a, b, c)");
    CHECK("(a b) OR c", "OR(AND(a, b), c)");
    CHECK("((a))", "a");
}

static void inline_filters(void)
{
    CHECK("dept:市科技局", "dept:市科技局");
    CHECK("year:2016..2020 专利", "AND(year:2016..2020, 专利)");
    CHECK("year:2016", "year:2016");
    CHECK("year:2016..", "year:2016..");
    CHECK("year:..2020", "year:..2020");
    CHECK("year:unknown", "year:unknown");
    CHECK("YEAR:2016-2020", "year:2016..2020");
    CHECK("dept:\"市 科技局\" 专利", "AND(dept:\"市 科技局\", 专利)");
    CHECK("section\xEF\xBC\x9A主要任务", "section:主要任务");
    CHECK("issuer:广州市人民政府 OR dept:市财政局", "OR(issuer:广州市人民政府, dept:市财政局)");
    CHECK("-dept:市科技局", "NOT(dept:市科技局)");
}

static void lenient_cases_are_accepted(void)
{
    CHECK("\"科技金融", "\"科技金融\"");
    CHECK("专利 \"科技 金融", "AND(专利, \"科技 金融\")");
    CHECK("专利 - 商标", "AND(专利, 商标)");
    CHECK("专利 -", "专利");
    CHECK("专利 -)", "专利");
    CHECK("专利)", "专利");
    CHECK("专利) 商标", "AND(专利, 商标)");
    CHECK("(专利 OR 商标", "OR(专利, 商标)");
    CHECK("专利 () 商标", "AND(专利, 商标)");
    CHECK("a OR \"\"", "a");
}

static void empty_queries_give_no_tree(void)
{
    CHECK("", "<null>");
    CHECK("   ", "<null>");
    CHECK("()", "<null>");
    CHECK("\"\"", "<null>");
    CHECK("-", "<null>");
    CHECK(")", "<null>");
}

static void errors_give_the_position(void)
{
    CHECK_ERROR("OR 专利", 0, "OR needs a term on its left (at byte 0)");
    CHECK_ERROR("专利 OR", 7, "OR needs a term on its right (at byte 7)");
    CHECK_ERROR("专利 OR OR 商标", 7, "OR needs a term on its right (at byte 7)");
    CHECK_ERROR("(a OR) b", 3, "OR needs a term on its right (at byte 3)");
    CHECK_ERROR("专利 NOT", 7, "NOT needs a term after it (at byte 7)");
    CHECK_ERROR("AND a", 0, "AND needs a term on its left (at byte 0)");
    CHECK_ERROR("a AND", 2, "AND needs a term on its right (at byte 2)");
    CHECK_ERROR("dept:", 0, "filter needs a value (at byte 0)");
    CHECK_ERROR("a dept:\"\"", 2, "filter needs a value (at byte 2)");
    CHECK_ERROR("专利 year:20x6", 12,
                "year must be YYYY, YYYY..YYYY or unknown (at byte 12)");
    CHECK_ERROR("year:2016..20", 11,
                "year must be YYYY, YYYY..YYYY or unknown (at byte 11)");
    CHECK_ERROR("year:2020..2016", 11, "year range 2020..2016 is empty (at byte 11)");
    CHECK_ERROR("year:..", 7, "year must be YYYY, YYYY..YYYY or unknown (at byte 7)");
}

static void overlong_query_is_refused(void)
{
    char q[1026];
    memset(q, 'a', sizeof q - 1);
    q[sizeof q - 1] = '\0';
    CHECK_ERROR(q, 1024, "query longer than 1024 bytes");
    q[1024] = '\0';
    char *s = parsed(q);
    CU_ASSERT_EQUAL(strlen(s), 1024);
    free(s);
}

static void unparse_writes_the_query_language_back(void)
{
    CHECK_UNPARSE("人才 住房 OR 购房", "人才 住房 OR 购房");
    CHECK_UNPARSE("(a b) OR c", "(a b) OR c");
    CHECK_UNPARSE("-(a OR b)  NOT \"科技 金融\"", "-(a OR b) -\"科技 金融\"");
    CHECK_UNPARSE("dept:\"市 科技局\" YEAR:2016-2020", "dept:\"市 科技局\" year:2016..2020");
}

static void year_ranges_contain_years(void)
{
    zhs_year_range_t r;
    CU_ASSERT_EQUAL(zhs_year_range_parse("2016..2020", 10, &r, NULL), ZHS_OK);
    CU_ASSERT_FALSE(zhs_year_range_contains(&r, 2015));
    CU_ASSERT_TRUE(zhs_year_range_contains(&r, 2016));
    CU_ASSERT_TRUE(zhs_year_range_contains(&r, 2020));
    CU_ASSERT_FALSE(zhs_year_range_contains(&r, 2021));
    CU_ASSERT_FALSE(zhs_year_range_contains(&r, 0));
    CU_ASSERT_EQUAL(zhs_year_range_parse("unknown", 7, &r, NULL), ZHS_OK);
    CU_ASSERT_TRUE(zhs_year_range_contains(&r, 0));
    CU_ASSERT_FALSE(zhs_year_range_contains(&r, 2016));
    CU_ASSERT_EQUAL(zhs_year_range_parse("..2009", 6, &r, NULL), ZHS_OK);
    CU_ASSERT_TRUE(zhs_year_range_contains(&r, 1990));
    CU_ASSERT_FALSE(zhs_year_range_contains(&r, 2010));
}

static CU_TestInfo parse_tests[] = {
    {"single term is a leaf", single_term_is_a_leaf},
    {"whitespace-separated terms are ANDed", whitespace_separated_terms_are_anded},
    {"quotes make phrases", quotes_make_phrases},
    {"OR binds tighter than AND", or_binds_tighter_than_and},
    {"minus and NOT exclude", minus_and_not_exclude},
    {"parentheses group, nesting flattens", parentheses_group_and_nest_flat},
    {"inline filters", inline_filters},
    {"lenient cases are accepted", lenient_cases_are_accepted},
    {"empty queries give no tree", empty_queries_give_no_tree},
    {"errors give the position", errors_give_the_position},
    {"overlong query is refused", overlong_query_is_refused},
    {"unparse writes the query language back", unparse_writes_the_query_language_back},
    {"year ranges contain years", year_ranges_contain_years},
    CU_TEST_INFO_NULL,
};


/* ------------------------------------------------------------ analysis and evaluation */

static int init_analyzer(void)
{
    return zhs_analyzer_init(NULL) == ZHS_OK ? 0 : 1;
}

static zhs_qnode_t *analyzed(const char *q)
{
    zhs_qnode_t *root = NULL;
    CU_ASSERT_EQUAL(zhs_qnode_parse(q, strlen(q), &root, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_qnode_analyze(&root, NULL), ZHS_OK);
    return root;
}

static void analysis_normalizes_leaves_and_drops_empty_ones(void)
{
    zhs_qnode_t *root = analyzed("知識產權 、 （ＩＣＰ） OR ！ dept:財政局");
    char *s = zhs_qnode_describe(root);
    ZHS_ASSERT_STR(s, "AND(知识产权, (icp), dept:财政局)");
    free(s);
    ZHS_ASSERT_STR(root->kids[1]->key, "icp");
    s = zhs_qnode_unparse(root);
    ZHS_ASSERT_STR(s, "知识产权 \"(icp)\" dept:财政局");
    free(s);
    zhs_qnode_free(root);
    CU_ASSERT_PTR_NULL(analyzed("、 ！"));
}

/* Evaluates q against a passage with the given text (normalized here). */
static bool eval_on(const char *q, const char *text, const zhs_passage_view_t *base)
{
    zhs_qnode_t *root = analyzed(q);
    zhs_normalized_t norm;
    CU_ASSERT_EQUAL_FATAL(zhs_normalize(text, strlen(text), 0, &norm, NULL), ZHS_OK);
    char *key = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_match_key(norm.text, norm.nbytes, &key, NULL), ZHS_OK);
    zhs_passage_view_t view = *base;
    view.key = key;
    bool r = zhs_qnode_eval(root, &view);
    free(key);
    zhs_normalized_release(&norm);
    zhs_qnode_free(root);
    return r;
}

static void evaluation_is_exact(void)
{
    const char *depts[] = {"市科技局", "市财政局"}, *issuers[] = {"广州市人民政府"};
    zhs_passage_view_t v = {.section = "主要任务及分工", .depts = depts, .ndepts = 2,
                            .issuers = issuers, .nissuers = 1, .year = 2016};
    const char *text = "加强知識產權保护,落实税收优惠。";
    CU_ASSERT_TRUE(eval_on("知识产权", text, &v));
    CU_ASSERT_FALSE(eval_on("知识权", text, &v));
    /* In a phrase, a space stands for punctuation or space between runs. */
    CU_ASSERT_TRUE(eval_on("\"保护 落实税收\" OR 专利", text, &v));
    CU_ASSERT_FALSE(eval_on("\"产权 保护\"", text, &v));
    CU_ASSERT_TRUE(eval_on("\"产权保护\"", text, &v));
    CU_ASSERT_FALSE(eval_on("税 -优惠", text, &v));
    CU_ASSERT_TRUE(eval_on("税 -(优惠 专利)", text, &v));
    CU_ASSERT_TRUE(eval_on("dept:科技局 year:2015..2016 section:主要任务及分工", text, &v));
    CU_ASSERT_FALSE(eval_on("dept:市经贸委", text, &v));
    CU_ASSERT_TRUE(eval_on("issuer:广州市人民政府 year:2016", text, &v));
    CU_ASSERT_FALSE(eval_on("year:unknown", text, &v));
}

static bool near(const char *hay, const char *needle, size_t window)
{
    return zhs_key_near(hay, strlen(hay), needle, window);
}

static void relaxed_matching_needs_the_characters_close_in_order(void)
{
    CU_ASSERT_TRUE(near("对企业减免所得税", "减税", 3));
    CU_ASSERT_FALSE(near("对企业减免所得税", "减税", 2));
    CU_ASSERT_FALSE(near("税收减免", "减税", 3));
    CU_ASSERT_TRUE(near("减免 税收", "减税", 2));
    CU_ASSERT_FALSE(near("产业链 区块", "区块链", 3));
    CU_ASSERT_TRUE(near("icp 备案", "icp备", 2));
    CU_ASSERT_FALSE(near("icpx 备案", "icp备", 2));
}

/* Random keys of the units 甲 乙 丙 ab c (words apart from words by a space, as in a
 * match key) and needles of one to three of them, checked against the definition of a
 * near match over the units themselves: from some occurrence of the needle's first
 * unit, all of its units in order within window * (needle units) units. */
#define NEAR_UNITS 5
static const char *const near_unit[NEAR_UNITS] = {"甲", "乙", "丙", "ab", "c"};

static bool is_word_unit(int u)
{
    return u >= 3;
}

/* Writes the units as a key into out; spaces go between two words and, at random,
 * elsewhere. */
static void key_of_units(const int *units, size_t n, unsigned *seed, char *out)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        bool space = i > 0 && ((is_word_unit(units[i - 1]) && is_word_unit(units[i])) ||
                               rand_r(seed) % 4 == 0);
        if (space)
            strcat(out, " ");
        strcat(out, near_unit[units[i]]);
    }
}

static bool near_by_definition(const int *hay, size_t n, const int *needle, size_t m,
                               size_t window)
{
    for (size_t i = 0; i < n; i++) {
        if (hay[i] != needle[0])
            continue;
        size_t k = 1;
        for (size_t j = i + 1; j < n && j < i + window * m && k < m; j++)
            k += hay[j] == needle[k];
        if (k == m)
            return true;
    }
    return false;
}

static void relaxed_matching_agrees_with_its_definition(void)
{
    unsigned seed = 7;
    int mismatches = 0;
    for (int round = 0; round < 20000; round++) {
        int hay[24], needle[3];
        size_t n = (size_t)(rand_r(&seed) % 24), m = 1 + (size_t)(rand_r(&seed) % 3);
        size_t window = 1 + (size_t)(rand_r(&seed) % 3);
        for (size_t i = 0; i < n; i++)
            hay[i] = rand_r(&seed) % NEAR_UNITS;
        for (size_t i = 0; i < m; i++)
            needle[i] = rand_r(&seed) % NEAR_UNITS;
        char hay_key[24 * 4 + 1], needle_key[3 * 4 + 1];
        key_of_units(hay, n, &seed, hay_key);
        key_of_units(needle, m, &seed, needle_key);
        bool want = near_by_definition(hay, n, needle, m, window);
        if (zhs_key_near(hay_key, strlen(hay_key), needle_key, window) != want &&
            mismatches++ < 3)
            fprintf(stderr, "near(\"%s\", \"%s\", %zu) should be %d\n", hay_key,
                    needle_key, window, want);
    }
    CU_ASSERT_EQUAL(mismatches, 0);
}

static void filter_names_match_with_or_without_the_city_prefix(void)
{
    CU_ASSERT_TRUE(zhs_filter_name_matches("市科技局", "市科技局"));
    CU_ASSERT_TRUE(zhs_filter_name_matches("科技局", "市科技局"));
    CU_ASSERT_FALSE(zhs_filter_name_matches("市科技局", "科技局"));
    CU_ASSERT_FALSE(zhs_filter_name_matches("科技", "市科技局"));
}

static CU_TestInfo eval_tests[] = {
    {"analysis normalizes leaves and drops empty ones",
     analysis_normalizes_leaves_and_drops_empty_ones},
    {"evaluation is exact", evaluation_is_exact},
    {"relaxed matching needs the characters close, in order",
     relaxed_matching_needs_the_characters_close_in_order},
    {"relaxed matching agrees with its definition",
     relaxed_matching_agrees_with_its_definition},
    {"filter names match with or without the city prefix",
     filter_names_match_with_or_without_the_city_prefix},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"query_parse", NULL, NULL, NULL, NULL, parse_tests},
    {"query_eval", init_analyzer, NULL, NULL, NULL, eval_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
