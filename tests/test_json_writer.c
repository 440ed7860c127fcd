/* The reply writer against jansson's own json_dumps: the same bytes for every kind of
 * value, every escape and generated trees, and the same refusals (invalid UTF-8 stored
 * through the *_nocheck setters). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../server/json_writer.h"
#include "../server/reply.h"
#include "cunit_run.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(6) | JSON_ENCODE_ANY)

/* Writes j both ways and asserts the same text; j is released. */
static void same_as_jansson(json_t *j, int line)
{
    char *expected = json_dumps(j, DUMP_FLAGS);
    char *bytes = NULL;
    size_t n = 0;
    srv_error_t e = {0};
    CU_ASSERT_PTR_NOT_NULL_FATAL(expected);
    CU_ASSERT_EQUAL(srv_json_write(j, &bytes, &n, &e), 0);
    char *got = malloc(n + 1);
    memcpy(got, bytes ? bytes : "", n);
    got[n] = '\0';
    zhs_test_assert_str(got, expected, line, __FILE__);
    free(got);
    free(bytes);
    free(expected);
    json_decref(j);
}
#define SAME(j) same_as_jansson((j), __LINE__)

static void scalars_are_written_as_jansson_writes_them(void)
{
    SAME(json_true());
    SAME(json_false());
    SAME(json_null());
    const json_int_t ints[] = {0, 1, -1, 9, 10, 99, 100, 123456789, -987654321,
                               INT64_MAX, INT64_MIN, INT64_MIN + 1};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        SAME(json_integer(ints[i]));
    const double reals[] = {0.0,    -0.0,   1.0,     -1.0,   0.1,      20.1138, 3.0,
                            1e21,   1e-7,   1e100,   1e-100, 2.5e-5,   100000,  1e6,
                            123456789.0,    0.000123456789,  -7.25e-300, 1.7976931348623157e308,
                            4.9e-324, 12.3456789, 999999.5, 0.5, 1234.5678};
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
        SAME(json_real(reals[i]));
}

static void strings_keep_utf8_and_escape_what_json_requires(void)
{
    SAME(json_string(""));
    SAME(json_string("plain ascii / with slash and \x7f delete"));
    SAME(json_string("知识产权 知識產權 <mark>科技金融</mark>&amp;"));
    SAME(json_string("\"quoted\" back\\slash \b\f\n\r\t end"));
    SAME(json_string("four bytes: \xF0\x9F\x98\x80 \xF0\x90\x80\x80 \xF4\x8F\xBF\xBF"));
    SAME(json_string("edges: \xC2\x80 \xDF\xBF \xE0\xA0\x80 \xED\x9F\xBF \xEE\x80\x80 \xEF\xBF\xBF"));
    char controls[33];
    for (int c = 1; c < 32; c++)
        controls[c - 1] = (char)c;
    controls[31] = 'x';
    controls[32] = '\0';
    SAME(json_string(controls));
    SAME(json_stringn("nul\0inside", 10));
}

static void containers_keep_their_order_and_nesting(void)
{
    SAME(json_object());
    SAME(json_array());
    SAME(json_pack("[i,s,f,b,n,[],{}]", 1, "二", 2.5, 1));
    SAME(json_pack("{s:i,s:s,s:{s:[i,i,{s:s}]},s:o}", "z", 1, "a", "甲", "nested", "list", 1,
                   2, "key \"q\"", "v\n", "empty", json_object()));
    json_t *o = json_object();
    json_object_setn_new(o, "k\0ey", 4, json_string("nul in the key"));
    json_object_set_new(o, "部门", json_integer(12));
    SAME(o);
}

/* xorshift64: the same trees on every run. */
static uint64_t next(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

static json_t *random_string(uint64_t *state)
{
    static const char *const pieces[] = {"a", "Z", "9", " ", "\"", "\\", "/", "\n", "\x01",
                                         "\x1f", "\x7f", "税", "權", "é", "\xF0\x9F\x98\x80",
                                         "<mark>", "&", "、", "(", "\xEF\xBC\x88"};
    char text[256] = "";
    size_t n = next(state) % 12;
    for (size_t i = 0; i < n; i++)
        strcat(text, pieces[next(state) % (sizeof pieces / sizeof pieces[0])]);
    return json_string(text);
}

static json_t *random_value(uint64_t *state, int depth)
{
    switch (next(state) % (depth > 3 ? 6 : 8)) {
    case 0: return json_integer((json_int_t)(next(state) % 2000000) - 1000000);
    case 1: return json_real((double)(int64_t)(next(state) % 2000001 - 1000000) /
                             (double)(1 + next(state) % 10000));
    case 2: return random_string(state);
    case 3: return json_true();
    case 4: return json_false();
    case 5: return json_null();
    case 6: {
        json_t *a = json_array();
        for (size_t i = next(state) % 5; i > 0; i--)
            json_array_append_new(a, random_value(state, depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (size_t i = next(state) % 5; i > 0; i--) {
            json_t *key = random_string(state);
            json_object_set_new(o, json_string_value(key), random_value(state, depth + 1));
            json_decref(key);
        }
        return o;
    }
    }
}

static void generated_trees_are_written_as_jansson_writes_them(void)
{
    uint64_t state = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 2000; i++)
        SAME(random_value(&state, 0));
}

/* Asserts that both writers refuse the bytes, ours with a reason. */
static void refused(const char *bytes, size_t n, int line)
{
    json_t *j = json_pack("{s:[o]}", "hits", json_stringn_nocheck(bytes, n));
    char *dumped = json_dumps(j, DUMP_FLAGS);
    char *out = (char *)"untouched";
    size_t len = 1;
    srv_error_t e = {0};
    int got = srv_json_write(j, &out, &len, &e);
    CU_ASSERT_PTR_NULL(dumped);
    if (got != -1 || out != NULL || len != 0)
        CU_FAIL_FATAL("invalid UTF-8 was written");
    zhs_test_assert_str(e.message, "cannot write the reply: a string is not valid UTF-8", line,
                        __FILE__);
    CU_ASSERT_EQUAL(e.http, 500);
    free(dumped);
    json_decref(j);
}
#define REFUSED(s) refused((s), sizeof(s) - 1, __LINE__)

static void invalid_utf8_is_refused_as_jansson_refuses_it(void)
{
    REFUSED("\x80");                 /* a continuation byte alone */
    REFUSED("ab\xC0\x80");           /* overlong NUL */
    REFUSED("\xC1\xBF");             /* overlong */
    REFUSED("\xE0\x80\x80");         /* overlong three-byte form */
    REFUSED("\xED\xA0\x80");         /* a surrogate */
    REFUSED("\xF0\x80\x80\x80");     /* overlong four-byte form */
    REFUSED("\xF4\x90\x80\x80");     /* above U+10FFFF */
    REFUSED("\xF5\x80\x80\x80");
    REFUSED("\xFF");
    REFUSED("税\xE7\xA8");           /* cut inside a character */
    REFUSED("\xE7\x28\xA8");         /* a bad continuation */
}

static void a_reply_that_cannot_be_written_is_a_500_with_the_reason(void)
{
    srv_reply_t r;
    srv_reply_init(&r);
    srv_reply_json(&r, 200, json_pack("{s:o}", "title", json_string_nocheck("\xFF")));
    CU_ASSERT_EQUAL(r.status, 500);
    ZHS_ASSERT_STR(r.error_code, "internal");
    size_t n = evbuffer_get_length(r.body);
    char *body = calloc(1, n + 1);
    evbuffer_copyout(r.body, body, n);
    ZHS_ASSERT_STR(body, "{\"error\":{\"code\":\"internal\",\"message\":"
                         "\"cannot write the reply: a string is not valid UTF-8\"}}");
    free(body);
    srv_reply_release(&r);
}

static CU_TestInfo tests[] = {
    {"scalars are written as jansson writes them", scalars_are_written_as_jansson_writes_them},
    {"strings keep UTF-8 and escape what JSON requires",
     strings_keep_utf8_and_escape_what_json_requires},
    {"containers keep their order and nesting", containers_keep_their_order_and_nesting},
    {"generated trees are written as jansson writes them",
     generated_trees_are_written_as_jansson_writes_them},
    {"invalid UTF-8 is refused as jansson refuses it",
     invalid_utf8_is_refused_as_jansson_refuses_it},
    {"a reply that cannot be written is a 500 with the reason",
     a_reply_that_cannot_be_written_is_a_500_with_the_reason},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    CU_SuiteInfo suites[] = {
        {"json writer", NULL, NULL, NULL, NULL, tests},
        CU_SUITE_INFO_NULL,
    };
    return zhs_test_run(suites);
}
