/* Search requests from HTTP parameters: defaults, every parameter, clamping, and the
 * errors that name the parameter; statuses mapped to HTTP. */
#include "config.h"

#include <string.h>

#include "cunit_run.h"
#include "zhsearch/search.h"

static void defaults_follow_the_api(void)
{
    zhs_search_request_t req;
    zhs_search_request_init(&req);
    CU_ASSERT_PTR_NULL(req.q);
    CU_ASSERT_EQUAL(req.offset, 0);
    CU_ASSERT_EQUAL(req.limit, 10);
    CU_ASSERT_EQUAL(req.sort, ZHS_SORT_RELEVANCE);
    CU_ASSERT_EQUAL(req.group, ZHS_GROUP_DOC);
    CU_ASSERT_EQUAL(req.facets, ZHS_FACET_DEPARTMENT | ZHS_FACET_YEAR | ZHS_FACET_SECTION);
    CU_ASSERT_EQUAL(req.snippet_chars, 120);
    CU_ASSERT_EQUAL(req.facet_limit, 100);
    CU_ASSERT_EQUAL(req.dept.n, 0);
    zhs_search_request_release(&req);
}

static void parameters_are_applied_by_name(void)
{
    zhs_search_request_t req;
    zhs_search_request_init(&req);
    const char *p[][2] = {
        {"q", "知识产权"}, {"dept", "市科技局"}, {"dept", "市财政局"}, {"issuer", "广州市人民政府"},
        {"section", "主要任务及分工"}, {"year", "2016..2020"}, {"year", "unknown"},
        {"offset", "20"}, {"limit", "5"}, {"sort", "date_asc"}, {"group", "passage"},
        {"facets", "issuer,year"}, {"snippet", "0"}, {"near", "false"}, {"facet_limit", "0"},
    };
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        CU_ASSERT_EQUAL(zhs_search_request_set(&req, p[i][0], p[i][1], NULL), ZHS_OK);
    ZHS_ASSERT_STR(req.q, "知识产权");
    CU_ASSERT_EQUAL_FATAL(req.dept.n, 2);
    ZHS_ASSERT_STR(req.dept.v[0], "市科技局");
    ZHS_ASSERT_STR(req.dept.v[1], "市财政局");
    CU_ASSERT_EQUAL(req.issuer.n, 1);
    CU_ASSERT_EQUAL(req.section.n, 1);
    CU_ASSERT_EQUAL(req.year.n, 2);
    CU_ASSERT_EQUAL(req.offset, 20);
    CU_ASSERT_EQUAL(req.limit, 5);
    CU_ASSERT_EQUAL(req.sort, ZHS_SORT_DATE_ASC);
    CU_ASSERT_EQUAL(req.group, ZHS_GROUP_PASSAGE);
    CU_ASSERT_EQUAL(req.facets, ZHS_FACET_ISSUER | ZHS_FACET_YEAR);
    CU_ASSERT_EQUAL(req.snippet_chars, 0);
    CU_ASSERT_EQUAL(req.facet_limit, 0);
    CU_ASSERT_TRUE(req.exact_only);
    CU_ASSERT_EQUAL(zhs_search_request_set(&req, "near", "true", NULL), ZHS_OK);
    CU_ASSERT_FALSE(req.exact_only);
    CU_ASSERT_EQUAL(zhs_search_request_set(&req, "facets", "none", NULL), ZHS_OK);
    CU_ASSERT_EQUAL(req.facets, 0);
    zhs_search_request_release(&req);
    CU_ASSERT_EQUAL(req.dept.n, 0);
    CU_ASSERT_PTR_NULL(req.dept.v);
}

static void large_limit_and_snippet_are_clamped(void)
{
    zhs_search_request_t req;
    zhs_search_request_init(&req);
    CU_ASSERT_EQUAL(zhs_search_request_set(&req, "limit", "1000", NULL), ZHS_OK);
    CU_ASSERT_EQUAL(req.limit, ZHS_LIMIT_MAX);
    CU_ASSERT_EQUAL(zhs_search_request_set(&req, "snippet", "99999999999999999999", NULL),
                    ZHS_OK);
    CU_ASSERT_EQUAL(req.snippet_chars, ZHS_SNIPPET_MAX);
    zhs_search_request_release(&req);
}

static void bad_values_name_the_parameter(void)
{
    const char *cases[][3] = {
        {"limit", "x", "limit must be a number, not \"x\""},
        {"offset", "-1", "offset must be a number, not \"-1\""},
        {"sort", "up", "sort must be relevance, date or date_asc, not \"up\""},
        {"group", "file", "group must be doc or passage, not \"file\""},
        {"near", "no", "near must be true or false, not \"no\""},
        {"facets", "year,color",
         "facets: unknown facet \"color\" (department, year, section, issuer or none)"},
        {"year", "20x6", "year: year must be YYYY, YYYY..YYYY or unknown, not \"20x6\""},
        {"colour", "red", "unknown parameter \"colour\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zhs_search_request_t req;
        zhs_error_t err = {0};
        zhs_search_request_init(&req);
        CU_ASSERT_EQUAL(zhs_search_request_set(&req, cases[i][0], cases[i][1], &err),
                        ZHS_ERR_BAD_ARG);
        ZHS_ASSERT_STR(err.message, cases[i][2]);
        zhs_search_request_release(&req);
    }
}

static void statuses_map_to_http(void)
{
    CU_ASSERT_EQUAL(zhs_status_http(ZHS_OK), 200);
    CU_ASSERT_EQUAL(zhs_status_http(ZHS_ERR_BAD_QUERY), 400);
    CU_ASSERT_EQUAL(zhs_status_http(ZHS_ERR_BAD_ARG), 400);
    CU_ASSERT_EQUAL(zhs_status_http(ZHS_ERR_BAD_UTF8), 400);
    CU_ASSERT_EQUAL(zhs_status_http(ZHS_ERR_NOT_FOUND), 404);
    CU_ASSERT_EQUAL(zhs_status_http(ZHS_ERR_DB_MISSING), 503);
    CU_ASSERT_EQUAL(zhs_status_http(ZHS_ERR_DB_MODIFIED), 503);
    CU_ASSERT_EQUAL(zhs_status_http(ZHS_ERR_NOMEM), 500);
    ZHS_ASSERT_STR(zhs_status_code(ZHS_ERR_BAD_QUERY), "bad_query");
    ZHS_ASSERT_STR(zhs_status_code(ZHS_ERR_NOT_FOUND), "not_found");
    ZHS_ASSERT_STR(zhs_status_code(ZHS_ERR_DB_MISSING), "index_unavailable");
    ZHS_ASSERT_STR(zhs_status_code(ZHS_ERR_IO), "internal");
}

static CU_TestInfo request_tests[] = {
    {"defaults follow the API", defaults_follow_the_api},
    {"parameters are applied by name", parameters_are_applied_by_name},
    {"large limit and snippet are clamped", large_limit_and_snippet_are_clamped},
    {"bad values name the parameter", bad_values_name_the_parameter},
    {"statuses map to HTTP", statuses_map_to_http},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"search_request", NULL, NULL, NULL, NULL, request_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
