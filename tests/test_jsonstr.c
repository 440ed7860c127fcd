/* Reading one string member of compact JSON: every escape, the member found only as a
 * key, and the refusals that send the caller to a full parse. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../lib/jsonstr.h"
#include "cunit_run.h"

static char *member(const char *json, const char *name)
{
    char *out = NULL;
    size_t n = 0;
    if (!zhs_json_member_string(json, strlen(json), name, &out, &n))
        return NULL;
    CU_ASSERT_EQUAL(n, strlen(out));
    return out;
}

static void check(const char *json, const char *name, const char *expected, int line)
{
    char *s = member(json, name);
    zhs_test_assert_str(s ? s : "<none>", expected, line, __FILE__);
    free(s);
}
#define CHECK(json, name, expected) check((json), (name), (expected), __LINE__)

static void plain_member_is_read(void)
{
    CHECK("{\"doc\":\"a\",\"text\":\"加强知识产权\",\"line_start\":3}", "text", "加强知识产权");
    CHECK("{\"text\":\"\"}", "text", "");
}

static void every_escape_is_decoded(void)
{
    CHECK("{\"text\":\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\"}", "text", "q\"b\\s/n\nt\tr\rb\bf\f");
    CHECK("{\"text\":\"\\u4e2d\\u00e9\\uD840\\uDC00!\"}", "text", "中é𠀀!");
}

static void name_inside_a_value_is_not_the_member(void)
{
    CHECK("{\"doc\":\"\\\"text\\\":\\\"x\",\"text\":\"right\"}", "text", "right");
    CHECK("{\"context\":\"no\",\"text\":\"yes\"}", "text", "yes");
}

static void unusable_members_are_refused(void)
{
    CHECK("{\"doc\":\"a\"}", "text", "<none>");
    CHECK("{\"text\":null}", "text", "<none>");
    CHECK("{\"text\":\"cut", "text", "<none>");
    CHECK("{\"text\":\"a\\u0000b\"}", "text", "<none>");
    CHECK("{\"text\":\"\\uDC00\"}", "text", "<none>");
    CHECK("{\"text\":\"\\uD800x\"}", "text", "<none>");
    CHECK("{\"text\":\"\\x\"}", "text", "<none>");
    CHECK("{\"text\":\"a\nb\"}", "text", "<none>");
}

static void agrees_with_jansson_on_its_own_output(void)
{
    const char *texts[] = {"普通文本", "引号\"与\\反斜杠/", "控制\x01\x1f字符\n\t", "𠀀补充平面"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        for (int ascii = 0; ascii < 2; ascii++) {
            json_t *o = json_pack("{s:s,s:s}", "doc", "x", "text", texts[i]);
            char *dump = json_dumps(o, JSON_COMPACT | (ascii ? JSON_ENSURE_ASCII : 0));
            char *s = member(dump, "text");
            ZHS_ASSERT_STR(s ? s : "<none>", texts[i]);
            free(s);
            free(dump);
            json_decref(o);
        }
    }
}

static CU_TestInfo jsonstr_tests[] = {
    {"plain member is read", plain_member_is_read},
    {"every escape is decoded", every_escape_is_decoded},
    {"name inside a value is not the member", name_inside_a_value_is_not_the_member},
    {"unusable members are refused", unusable_members_are_refused},
    {"agrees with jansson on its own output", agrees_with_jansson_on_its_own_output},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"jsonstr", NULL, NULL, NULL, NULL, jsonstr_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
