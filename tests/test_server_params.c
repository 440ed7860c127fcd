/* The server's pure parts: query-string decoding, the search request built from the
 * parameters (limits, 413, empty query), command-line options, web paths, the access
 * log's target, error replies, the metrics text, and the listening socket's options. */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../server/listener.h"
#include "../server/log.h"
#include "../server/metrics.h"
#include "../server/options.h"
#include "../server/params.h"
#include "../server/reply.h"
#include "../server/web.h"
#include "cunit_run.h"

/* ------------------------------------------------------------ query strings */

static void query_string_is_split_and_decoded(void)
{
    srv_params_t p;
    srv_error_t e = {0};
    CU_ASSERT_EQUAL_FATAL(srv_params_parse("q=%E7%9F%A5+%E8%AF%86&dept=a&&dept=b%2Bc&x", &p, &e), 0);
    CU_ASSERT_EQUAL_FATAL(p.n, 4);
    ZHS_ASSERT_STR(p.v[0].name, "q");
    ZHS_ASSERT_STR(p.v[0].value, "知 识");
    ZHS_ASSERT_STR(p.v[1].name, "dept");
    ZHS_ASSERT_STR(p.v[1].value, "a");
    ZHS_ASSERT_STR(p.v[2].value, "b+c");
    ZHS_ASSERT_STR(p.v[3].name, "x");
    ZHS_ASSERT_STR(p.v[3].value, "");
    ZHS_ASSERT_STR(srv_params_get(&p, "dept"), "b+c");
    CU_ASSERT_PTR_NULL(srv_params_get(&p, "limit"));
    srv_params_release(&p);
}

static void raw_utf8_and_equals_in_value_are_kept(void)
{
    srv_params_t p;
    srv_error_t e = {0};
    CU_ASSERT_EQUAL_FATAL(srv_params_parse("q=税=a", &p, &e), 0);
    CU_ASSERT_EQUAL_FATAL(p.n, 1);
    ZHS_ASSERT_STR(p.v[0].value, "税=a");
    srv_params_release(&p);
    CU_ASSERT_EQUAL(srv_params_parse(NULL, &p, &e), 0);
    CU_ASSERT_EQUAL(p.n, 0);
    srv_params_release(&p);
}

static void expect_params_error(const char *query, int http, const char *code)
{
    srv_params_t p;
    srv_error_t e = {0};
    CU_ASSERT_EQUAL(srv_params_parse(query, &p, &e), -1);
    CU_ASSERT_EQUAL(p.n, 0);
    CU_ASSERT_EQUAL(e.http, http);
    ZHS_ASSERT_STR(e.code, code);
}

static void bad_percent_encoding_is_a_bad_parameter(void)
{
    expect_params_error("q=%zz", 400, "bad_parameter");
    expect_params_error("q=%E", 400, "bad_parameter");
    expect_params_error("q=abc%", 400, "bad_parameter");
    expect_params_error("a=1&q%G1=2", 400, "bad_parameter");
    expect_params_error("q=a%00b", 400, "bad_parameter");
}

static void bad_percent_encoding_message_names_parameter_and_byte(void)
{
    srv_params_t p;
    srv_error_t e = {0};
    srv_params_parse("limit=1&q=ab%2", &p, &e);
    ZHS_ASSERT_STR(e.message, "parameter q: bad percent-encoding at byte 2 (want %XX)");
}

static void invalid_utf8_is_bad_utf8(void)
{
    expect_params_error("q=%FF", 400, "bad_utf8");
    expect_params_error("q=%E7%9F", 400, "bad_utf8");          /* truncated 知 */
    expect_params_error("q=%C0%AF", 400, "bad_utf8");          /* overlong / */
    expect_params_error("q=%ED%A0%80", 400, "bad_utf8");       /* surrogate */
    expect_params_error("dept=ok&%FF=1", 400, "bad_utf8");     /* in a name */
    srv_params_t p;
    srv_error_t e = {0};
    srv_params_parse("q=a%E7%9F", &p, &e);
    ZHS_ASSERT_STR(e.message, "parameter q is not valid UTF-8 (decoded byte 1)");
}

/* ------------------------------------------------------------ search requests */

static int build(const char *query, zhs_search_request_t *req, srv_params_t *p,
                 srv_error_t *e)
{
    memset(e, 0, sizeof *e);
    if (srv_params_parse(query, p, e) != 0)
        return -2;
    return srv_search_request_build(p, req, e);
}

static void expect_build_error(const char *query, int http, const char *code)
{
    zhs_search_request_t req;
    srv_params_t p;
    srv_error_t e;
    CU_ASSERT_EQUAL(build(query, &req, &p, &e), -1);
    CU_ASSERT_EQUAL(e.http, http);
    ZHS_ASSERT_STR(e.code, code);
    zhs_search_request_release(&req);
    srv_params_release(&p);
}

static void parameters_fill_the_request(void)
{
    zhs_search_request_t req;
    srv_params_t p;
    srv_error_t e;
    CU_ASSERT_EQUAL_FATAL(
        build("q=%E7%A8%8E&dept=%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80&dept=b&year=2016..2020"
              "&offset=20&limit=5&sort=date&group=passage&facets=issuer,year&snippet=0",
              &req, &p, &e), 0);
    ZHS_ASSERT_STR(req.q, "税");
    CU_ASSERT_EQUAL_FATAL(req.dept.n, 2);
    ZHS_ASSERT_STR(req.dept.v[0], "市科技局");
    ZHS_ASSERT_STR(req.dept.v[1], "b");
    CU_ASSERT_EQUAL_FATAL(req.year.n, 1);
    ZHS_ASSERT_STR(req.year.v[0], "2016..2020");
    CU_ASSERT_EQUAL(req.offset, 20);
    CU_ASSERT_EQUAL(req.limit, 5);
    CU_ASSERT_EQUAL(req.sort, ZHS_SORT_DATE);
    CU_ASSERT_EQUAL(req.group, ZHS_GROUP_PASSAGE);
    CU_ASSERT_EQUAL(req.facets, ZHS_FACET_ISSUER | ZHS_FACET_YEAR);
    CU_ASSERT_EQUAL(req.snippet_chars, 0);
    zhs_search_request_release(&req);
    srv_params_release(&p);
}

static void defaults_apply_when_only_q_is_given(void)
{
    zhs_search_request_t req;
    srv_params_t p;
    srv_error_t e;
    CU_ASSERT_EQUAL_FATAL(build("q=x", &req, &p, &e), 0);
    CU_ASSERT_EQUAL(req.offset, 0);
    CU_ASSERT_EQUAL(req.limit, ZHS_LIMIT_DEFAULT);
    CU_ASSERT_EQUAL(req.sort, ZHS_SORT_RELEVANCE);
    CU_ASSERT_EQUAL(req.group, ZHS_GROUP_DOC);
    CU_ASSERT_EQUAL(req.facets, ZHS_FACETS_DEFAULT);
    CU_ASSERT_EQUAL(req.snippet_chars, ZHS_SNIPPET_DEFAULT);
    zhs_search_request_release(&req);
    srv_params_release(&p);
}

static void query_over_1024_bytes_is_413(void)
{
    char query[1100] = "q=";
    memset(query + 2, 'a', 1024);
    query[2 + 1024] = '\0';
    zhs_search_request_t req;
    srv_params_t p;
    srv_error_t e;
    CU_ASSERT_EQUAL(build(query, &req, &p, &e), 0);     /* exactly 1024: fine */
    zhs_search_request_release(&req);
    srv_params_release(&p);
    strcat(query, "b");
    expect_build_error(query, 413, "query_too_long");
}

static void limit_over_100_or_not_a_number_is_400(void)
{
    expect_build_error("q=x&limit=101", 400, "bad_parameter");
    expect_build_error("q=x&limit=99999999999999999999999", 400, "bad_parameter");
    expect_build_error("q=x&limit=abc", 400, "bad_parameter");
    expect_build_error("q=x&limit=-1", 400, "bad_parameter");
    expect_build_error("q=x&limit=", 400, "bad_parameter");
    zhs_search_request_t req;
    srv_params_t p;
    srv_error_t e;
    CU_ASSERT_EQUAL(build("q=x&limit=100", &req, &p, &e), 0);
    CU_ASSERT_EQUAL(req.limit, 100);
    zhs_search_request_release(&req);
    srv_params_release(&p);
    CU_ASSERT_EQUAL(build("q=x&limit=0", &req, &p, &e), 0);
    CU_ASSERT_EQUAL(req.limit, 0);
    zhs_search_request_release(&req);
    srv_params_release(&p);
}

static void offset_negative_or_past_the_window_is_400(void)
{
    expect_build_error("q=x&offset=-1", 400, "bad_parameter");
    expect_build_error("q=x&offset=9991", 400, "bad_parameter");      /* + limit 10 */
    expect_build_error("q=x&offset=99999999999999999999", 400, "bad_parameter");
    zhs_search_request_t req;
    srv_params_t p;
    srv_error_t e;
    CU_ASSERT_EQUAL(build("q=x&offset=9990", &req, &p, &e), 0);
    zhs_search_request_release(&req);
    srv_params_release(&p);
    CU_ASSERT_EQUAL(build("q=x&offset=9900&limit=100", &req, &p, &e), 0);
    zhs_search_request_release(&req);
    srv_params_release(&p);
    CU_ASSERT_EQUAL(build("q=x&offset=9901&limit=100", &req, &p, &e), -1);
    ZHS_ASSERT_STR(e.message, "offset + limit must be at most 10000 (got 9901 + 100)");
    zhs_search_request_release(&req);
    srv_params_release(&p);
}

static void unknown_values_and_names_are_400(void)
{
    expect_build_error("q=x&sort=up", 400, "bad_parameter");
    expect_build_error("q=x&group=file", 400, "bad_parameter");
    expect_build_error("q=x&facets=color", 400, "bad_parameter");
    expect_build_error("q=x&year=20x6", 400, "bad_parameter");
    expect_build_error("q=x&colour=red", 400, "bad_parameter");
}

static void empty_query_without_filter_is_400(void)
{
    expect_build_error("", 400, "empty_query");
    expect_build_error("q=", 400, "empty_query");
    expect_build_error("q=+%09+", 400, "empty_query");
    expect_build_error("q=%E3%80%80", 400, "empty_query");    /* ideographic space */
    expect_build_error("limit=5", 400, "empty_query");
    zhs_search_request_t req;
    srv_params_t p;
    srv_error_t e;
    CU_ASSERT_EQUAL(build("dept=%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80", &req, &p, &e), 0);
    zhs_search_request_release(&req);
    srv_params_release(&p);
    CU_ASSERT_EQUAL(build("q=&year=2016", &req, &p, &e), 0);
    zhs_search_request_release(&req);
    srv_params_release(&p);
}

static void doc_takes_only_q(void)
{
    srv_params_t p;
    srv_error_t e = {0};
    const char *q = "unset";
    srv_params_parse("", &p, &e);
    CU_ASSERT_EQUAL(srv_doc_params(&p, &q, &e), 0);
    CU_ASSERT_PTR_NULL(q);
    srv_params_release(&p);
    srv_params_parse("q=%E7%A8%8E", &p, &e);
    CU_ASSERT_EQUAL(srv_doc_params(&p, &q, &e), 0);
    ZHS_ASSERT_STR(q, "税");
    srv_params_release(&p);
    srv_params_parse("q=x&limit=3", &p, &e);
    CU_ASSERT_EQUAL(srv_doc_params(&p, &q, &e), -1);
    CU_ASSERT_EQUAL(e.http, 400);
    ZHS_ASSERT_STR(e.message, "unknown parameter 'limit' (GET /doc/ID takes only q)");
    srv_params_release(&p);
}

/* ------------------------------------------------------------ options */

static int parse_opts(srv_options_t *o, char *why, char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    return srv_options_parse(argc, argv, "/default/db", 4, o, why, 256);
}

static void options_have_defaults(void)
{
    srv_options_t o;
    char why[256];
    char *argv[] = {"zhsearch-server", NULL};
    CU_ASSERT_EQUAL_FATAL(parse_opts(&o, why, argv), 0);
    CU_ASSERT_EQUAL_FATAL(o.ndbs, 1);
    ZHS_ASSERT_STR(o.dbs[0], "/default/db");
    ZHS_ASSERT_STR(o.listen, "127.0.0.1:8080");
    CU_ASSERT_EQUAL(o.threads, 4);
    CU_ASSERT_EQUAL(o.cache_mb, 128);
    ZHS_ASSERT_STR(o.cors, "*");
    CU_ASSERT_FALSE(o.help);
    srv_options_release(&o);
}

static void options_are_parsed(void)
{
    srv_options_t o;
    char why[256];
    char *argv[] = {"zhsearch-server", "--db", "a", "--db=b", "--listen", "[::1]:0",
                    "--threads", "3", "--cors", "https://x.example", "--cache-mb", "0",
                    NULL};
    CU_ASSERT_EQUAL_FATAL(parse_opts(&o, why, argv), 0);
    CU_ASSERT_EQUAL_FATAL(o.ndbs, 2);
    ZHS_ASSERT_STR(o.dbs[0], "a");
    ZHS_ASSERT_STR(o.dbs[1], "b");
    CU_ASSERT_EQUAL(o.addr.ss_family, AF_INET6);
    CU_ASSERT_EQUAL(((struct sockaddr_in6 *)&o.addr)->sin6_port, 0);
    CU_ASSERT_EQUAL(o.threads, 3);
    CU_ASSERT_EQUAL(o.cache_mb, 0);
    ZHS_ASSERT_STR(o.cors, "https://x.example");
    srv_options_release(&o);
}

static void bad_options_are_refused_with_a_reason(void)
{
    srv_options_t o;
    char why[256];
    char *threads0[] = {"s", "--threads", "0", NULL};
    CU_ASSERT_EQUAL(parse_opts(&o, why, threads0), -1);
    ZHS_ASSERT_STR(why, "--threads wants a number from 1 to 256, not '0'");
    char *cache[] = {"s", "--cache-mb", "-1", NULL};
    CU_ASSERT_EQUAL(parse_opts(&o, why, cache), -1);
    ZHS_ASSERT_STR(why, "--cache-mb wants a number from 0 to 65536, not '-1'");
    char *noport[] = {"s", "--listen", "127.0.0.1", NULL};
    CU_ASSERT_EQUAL(parse_opts(&o, why, noport), -1);
    ZHS_ASSERT_STR(why, "--listen wants ADDR:PORT (127.0.0.1:8080, [::1]:8080), not "
                        "'127.0.0.1'");
    char *name[] = {"s", "--listen", "localhost:80", NULL};
    CU_ASSERT_EQUAL(parse_opts(&o, why, name), -1);
    char *bigport[] = {"s", "--listen", "127.0.0.1:65536", NULL};
    CU_ASSERT_EQUAL(parse_opts(&o, why, bigport), -1);
    char *v6nobracket[] = {"s", "--listen", "::1:80", NULL};
    CU_ASSERT_EQUAL(parse_opts(&o, why, v6nobracket), -1);
    char *unknown[] = {"s", "--port", "1", NULL};
    CU_ASSERT_EQUAL(parse_opts(&o, why, unknown), -1);
    ZHS_ASSERT_STR(why, "unknown option '--port'");
    char *missing[] = {"s", "--db", NULL};
    CU_ASSERT_EQUAL(parse_opts(&o, why, missing), -1);
    ZHS_ASSERT_STR(why, "--db needs a value");
    char *extra[] = {"s", "corpus/", NULL};
    CU_ASSERT_EQUAL(parse_opts(&o, why, extra), -1);
    ZHS_ASSERT_STR(why, "unexpected argument 'corpus/'");
}

static void port_0_and_ipv4_are_parsed(void)
{
    srv_options_t o;
    char why[256];
    char *argv[] = {"s", "--listen", "0.0.0.0:0", NULL};
    CU_ASSERT_EQUAL_FATAL(parse_opts(&o, why, argv), 0);
    const struct sockaddr_in *a = (const struct sockaddr_in *)&o.addr;
    CU_ASSERT_EQUAL(a->sin_family, AF_INET);
    CU_ASSERT_EQUAL(a->sin_port, 0);
    CU_ASSERT_EQUAL(a->sin_addr.s_addr, htonl(INADDR_ANY));
    CU_ASSERT_EQUAL(o.addrlen, (int)sizeof *a);
    srv_options_release(&o);
}

static void help_is_recognized(void)
{
    srv_options_t o;
    char why[256];
    char *argv[] = {"s", "--help", NULL};
    CU_ASSERT_EQUAL_FATAL(parse_opts(&o, why, argv), 0);
    CU_ASSERT_TRUE(o.help);
    srv_options_release(&o);
}

/* ------------------------------------------------------------ web, log */

static void web_paths_stay_inside_the_directory(void)
{
    CU_ASSERT_TRUE(srv_web_path_ok("/app.js"));
    CU_ASSERT_TRUE(srv_web_path_ok("/img/logo.svg"));
    CU_ASSERT_FALSE(srv_web_path_ok("/"));
    CU_ASSERT_FALSE(srv_web_path_ok("/../etc/passwd"));
    CU_ASSERT_FALSE(srv_web_path_ok("/a/../../b"));
    CU_ASSERT_FALSE(srv_web_path_ok("/.git/config"));
    CU_ASSERT_FALSE(srv_web_path_ok("/a//b"));
    CU_ASSERT_FALSE(srv_web_path_ok("/dir/"));
    CU_ASSERT_FALSE(srv_web_path_ok("/a\\b"));
    CU_ASSERT_FALSE(srv_web_path_ok("app.js"));
}

static void web_content_types_follow_the_extension(void)
{
    ZHS_ASSERT_STR(srv_web_content_type("/index.html"), "text/html; charset=utf-8");
    ZHS_ASSERT_STR(srv_web_content_type("/a.js"), "text/javascript; charset=utf-8");
    ZHS_ASSERT_STR(srv_web_content_type("/a.css"), "text/css; charset=utf-8");
    ZHS_ASSERT_STR(srv_web_content_type("/x.v1/README"), "application/octet-stream");
}

static void access_log_shows_the_target_decoded_and_escaped(void)
{
    char out[64];
    srv_log_format_target("/search?q=%E7%9F%A5%E8%AF%86&limit=5", out, sizeof out);
    ZHS_ASSERT_STR(out, "/search?q=知识&limit=5");
    srv_log_format_target("/search?q=a%0Ab", out, sizeof out);
    ZHS_ASSERT_STR(out, "/search?q=a\\x0ab");
    srv_log_format_target("/search?q=%FF", out, sizeof out);      /* not UTF-8: raw */
    ZHS_ASSERT_STR(out, "/search?q=%FF");
    srv_log_format_target("/知识产权", out, 9);                      /* whole chars */
    ZHS_ASSERT_STR(out, "/知识");
}

/* ------------------------------------------------------------ replies, metrics */

static char *body_of(srv_reply_t *r)
{
    size_t n = evbuffer_get_length(r->body);
    char *s = malloc(n + 1);
    evbuffer_copyout(r->body, s, n);
    s[n] = '\0';
    return s;
}

static void error_reply_has_the_contract_shape(void)
{
    srv_reply_t r;
    srv_reply_init(&r);
    srv_reply_fail(&r, SRV_ERR_METHOD, "POST is not allowed");
    CU_ASSERT_EQUAL(r.status, 405);
    ZHS_ASSERT_STR(r.content_type, "application/json; charset=utf-8");
    ZHS_ASSERT_STR(r.error_code, "method_not_allowed");
    char *body = body_of(&r);
    ZHS_ASSERT_STR(body,
                   "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"POST is not allowed\"}}");
    free(body);
    srv_reply_release(&r);
}

static void library_statuses_map_to_http(void)
{
    srv_reply_t r;
    srv_reply_init(&r);
    zhs_error_t zerr = {0};
    zhs_error_set(&zerr, ZHS_ERR_DB_MISSING, "gone");
    srv_reply_status(&r, ZHS_ERR_DB_MISSING, &zerr);
    CU_ASSERT_EQUAL(r.status, 503);
    char *body = body_of(&r);
    ZHS_ASSERT_STR(body, "{\"error\":{\"code\":\"index_unavailable\",\"message\":\"gone\"}}");
    free(body);
    srv_reply_status(&r, ZHS_ERR_BAD_QUERY, NULL);
    CU_ASSERT_EQUAL(r.status, 400);
    ZHS_ASSERT_STR(r.error_code, "bad_query");
    srv_reply_release(&r);
}

static void message_cut_inside_a_character_is_trimmed(void)
{
    srv_error_t e = {0};
    char msg[300];
    memset(msg, 'a', sizeof msg);
    memcpy(msg + 254, "知", 3);       /* bytes 254..256: cut after 255 */
    msg[sizeof msg - 1] = '\0';
    srv_error_set(&e, SRV_ERR_BAD_PARAMETER, "%s", msg);
    srv_reply_t r;
    srv_reply_init(&r);
    srv_reply_error(&r, &e);
    CU_ASSERT_EQUAL(r.status, 400);
    char *body = body_of(&r);
    CU_ASSERT_PTR_NOT_NULL(strstr(body, "aaaa\"}}"));
    CU_ASSERT_EQUAL(strlen(body), strlen("{\"error\":{\"code\":\"bad_parameter\",\"message\":\"\"}}") + 254);
    free(body);
    srv_reply_release(&r);
}

static const char *route_name(size_t i)
{
    static const char *const names[] = {"/search", "/doc"};
    return names[i];
}

static void metrics_count_by_route_and_status_with_a_histogram(void)
{
    srv_metrics_record(0, 200, 0.0007);
    srv_metrics_record(0, 200, 0.0002);
    srv_metrics_record(1, 404, 0.3);
    srv_metrics_record(1, 418, 0.3);
    srv_metrics_count_open();
    zhs_index_stats_t st = {.revision = 7, .documents = 5, .passages = 900, .deleted = 12};
    struct evbuffer *buf = evbuffer_new();
    CU_ASSERT_EQUAL_FATAL(srv_metrics_render(buf, route_name, 2, &st, 1.5), 0);
    srv_reply_t r = {.body = buf};
    char *text = body_of(&r);
    const char *expect[] = {
        "zhsearch_http_requests_total{route=\"/search\",status=\"200\"} 2\n",
        "zhsearch_http_requests_total{route=\"/doc\",status=\"404\"} 1\n",
        "zhsearch_http_requests_total{route=\"/doc\",status=\"other\"} 1\n",
        "zhsearch_http_request_duration_seconds_bucket{route=\"/search\",le=\"0.0005\"} 1\n",
        "zhsearch_http_request_duration_seconds_bucket{route=\"/search\",le=\"0.001\"} 2\n",
        "zhsearch_http_request_duration_seconds_bucket{route=\"/doc\",le=\"0.25\"} 0\n",
        "zhsearch_http_request_duration_seconds_bucket{route=\"/doc\",le=\"0.5\"} 2\n",
        "zhsearch_http_request_duration_seconds_bucket{route=\"/doc\",le=\"+Inf\"} 2\n",
        "zhsearch_http_request_duration_seconds_sum{route=\"/search\"} 0.000900\n",
        "zhsearch_http_request_duration_seconds_count{route=\"/search\"} 2\n",
        "zhsearch_index_opens_total 1\n",
        "zhsearch_index_up 1\n",
        "zhsearch_index_revision 7\n",
        "zhsearch_index_documents 5\n",
        "zhsearch_index_passages 900\n",
        "zhsearch_index_deleted_passages 12\n",
        "zhsearch_uptime_seconds 1.500\n",
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
        if (!strstr(text, expect[i])) {
            fprintf(stderr, "\nmissing: %s", expect[i]);
            CU_FAIL("metrics line missing");
        }
    CU_ASSERT_PTR_NULL(strstr(text, "status=\"500\""));    /* zero counts omitted */
    free(text);
    evbuffer_drain(buf, evbuffer_get_length(buf));
    CU_ASSERT_EQUAL(srv_metrics_render(buf, route_name, 2, NULL, 0), 0);
    r.body = buf;
    text = body_of(&r);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "zhsearch_index_up 0\n"));
    CU_ASSERT_PTR_NULL(strstr(text, "zhsearch_index_revision"));
    free(text);
    evbuffer_free(buf);
}

static CU_TestInfo params_tests[] = {
    {"query string is split and decoded", query_string_is_split_and_decoded},
    {"raw UTF-8 and '=' in a value are kept", raw_utf8_and_equals_in_value_are_kept},
    {"bad percent-encoding is a bad parameter", bad_percent_encoding_is_a_bad_parameter},
    {"bad percent-encoding message names parameter and byte",
     bad_percent_encoding_message_names_parameter_and_byte},
    {"invalid UTF-8 is bad_utf8", invalid_utf8_is_bad_utf8},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo request_tests[] = {
    {"parameters fill the request", parameters_fill_the_request},
    {"defaults apply when only q is given", defaults_apply_when_only_q_is_given},
    {"query over 1024 bytes is 413", query_over_1024_bytes_is_413},
    {"limit over 100 or not a number is 400", limit_over_100_or_not_a_number_is_400},
    {"offset negative or past the window is 400", offset_negative_or_past_the_window_is_400},
    {"unknown values and names are 400", unknown_values_and_names_are_400},
    {"empty query without filter is 400", empty_query_without_filter_is_400},
    {"/doc takes only q", doc_takes_only_q},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo options_tests[] = {
    {"options have defaults", options_have_defaults},
    {"options are parsed", options_are_parsed},
    {"bad options are refused with a reason", bad_options_are_refused_with_a_reason},
    {"port 0 and IPv4 are parsed", port_0_and_ipv4_are_parsed},
    {"--help is recognized", help_is_recognized},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo misc_tests[] = {
    {"web paths stay inside the directory", web_paths_stay_inside_the_directory},
    {"web content types follow the extension", web_content_types_follow_the_extension},
    {"access log shows the target decoded and escaped",
     access_log_shows_the_target_decoded_and_escaped},
    {"error reply has the contract shape", error_reply_has_the_contract_shape},
    {"library statuses map to HTTP", library_statuses_map_to_http},
    {"message cut inside a character is trimmed", message_cut_inside_a_character_is_trimmed},
    {"metrics count by route and status, with a histogram",
     metrics_count_by_route_and_status_with_a_histogram},
    CU_TEST_INFO_NULL,
};

/* ------------------------------------------------------------ listening socket */

static int nodelay_of(int fd)
{
    int v = -1;
    socklen_t n = sizeof v;
    return getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &n) == 0 ? v : -1;
}

static void accepted_connections_have_tcp_nodelay(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int lfd = srv_listener_open((const struct sockaddr *)&a, sizeof a);
    CU_ASSERT_FATAL(lfd >= 0);
    socklen_t len = sizeof a;
    CU_ASSERT_EQUAL_FATAL(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
    int cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CU_ASSERT_FATAL(cfd >= 0);
    CU_ASSERT_EQUAL_FATAL(connect(cfd, (struct sockaddr *)&a, sizeof a), 0);
    struct pollfd p = {.fd = lfd, .events = POLLIN};
    CU_ASSERT_EQUAL_FATAL(poll(&p, 1, 10000), 1);
    int afd = accept(lfd, NULL, NULL);
    CU_ASSERT_FATAL(afd >= 0);
    CU_ASSERT_EQUAL(nodelay_of(afd), 1);
    CU_ASSERT_EQUAL(nodelay_of(cfd), 0);    /* a socket of our own has it off */
    close(afd);
    close(cfd);
    close(lfd);
}

static CU_TestInfo listener_tests[] = {
    {"accepted connections have TCP_NODELAY", accepted_connections_have_tcp_nodelay},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"query strings", NULL, NULL, NULL, NULL, params_tests},
    {"search requests", NULL, NULL, NULL, NULL, request_tests},
    {"options", NULL, NULL, NULL, NULL, options_tests},
    {"web, log, replies, metrics", NULL, NULL, NULL, NULL, misc_tests},
    {"listening socket", NULL, NULL, NULL, NULL, listener_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
