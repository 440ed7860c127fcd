/* The server's response cache: hits and misses, versions, the byte bound and its
 * least-recently-used eviction. */
#include "config.h"

#include <string.h>

#include "../server/cache.h"
#include "cunit_run.h"

/* The body cached for key at version as a string, or NULL. */
static const char *get(srv_cache_t *c, uint64_t version, const char *key)
{
    size_t n = 0;
    const char *body = srv_cache_get(c, version, key, &n);
    static char copy[256];
    if (!body || n >= sizeof copy)
        return NULL;
    memcpy(copy, body, n);
    copy[n] = '\0';
    return copy;
}

static void put(srv_cache_t *c, uint64_t version, const char *key, const char *body)
{
    srv_cache_put(c, version, key, body, strlen(body));
}

static void a_stored_body_is_found_by_its_exact_key(void)
{
    srv_cache_t *c = srv_cache_new(1 << 20);
    CU_ASSERT_PTR_NULL(get(c, 1, "q=税"));
    put(c, 1, "q=税", "{\"total\":3}");
    put(c, 1, "q=税&limit=5", "{\"total\":3,\"limit\":5}");
    CU_ASSERT_STRING_EQUAL(get(c, 1, "q=税"), "{\"total\":3}");
    CU_ASSERT_STRING_EQUAL(get(c, 1, "q=税&limit=5"), "{\"total\":3,\"limit\":5}");
    CU_ASSERT_PTR_NULL(get(c, 1, "q=稅"));
    CU_ASSERT_PTR_NULL(get(c, 1, "q="));
    CU_ASSERT_EQUAL(srv_cache_entries(c), 2);
    put(c, 1, "q=税", "{\"total\":4}");
    CU_ASSERT_STRING_EQUAL(get(c, 1, "q=税"), "{\"total\":4}");
    CU_ASSERT_EQUAL(srv_cache_entries(c), 2);
    srv_cache_free(c);
}

static void another_version_empties_the_cache(void)
{
    srv_cache_t *c = srv_cache_new(1 << 20);
    put(c, 7, "q=a", "old");
    CU_ASSERT_PTR_NULL(get(c, 8, "q=a"));
    CU_ASSERT_EQUAL(srv_cache_entries(c), 0);
    CU_ASSERT_EQUAL(srv_cache_bytes(c), 0);
    /* Going back does not bring old answers back either. */
    CU_ASSERT_PTR_NULL(get(c, 7, "q=a"));
    put(c, 8, "q=a", "new");
    CU_ASSERT_PTR_NULL(get(c, 7, "q=a"));
    put(c, 8, "q=a", "new");
    CU_ASSERT_STRING_EQUAL(get(c, 8, "q=a"), "new");
    srv_cache_free(c);
}

static void the_least_recently_used_go_first_within_the_bound(void)
{
    char body[100];
    memset(body, 'x', sizeof body - 1);
    body[sizeof body - 1] = '\0';
    /* Room for a few entries of ~200 bytes (entry header, key, body). */
    srv_cache_t *c = srv_cache_new(8 * 200);
    put(c, 1, "q=1", body);
    size_t one = srv_cache_bytes(c);
    CU_ASSERT_TRUE(one > 100 && one < 200);
    size_t fit = 8 * 200 / one;
    for (size_t i = 2; i <= fit; i++) {
        char key[16];
        snprintf(key, sizeof key, "q=%zu", i);
        put(c, 1, key, body);
    }
    CU_ASSERT_EQUAL(srv_cache_entries(c), fit);
    CU_ASSERT_PTR_NOT_NULL(get(c, 1, "q=1"));     /* now the most recently used */
    put(c, 1, "q=new", body);
    CU_ASSERT_EQUAL(srv_cache_entries(c), fit);
    CU_ASSERT_TRUE(srv_cache_bytes(c) <= 8 * 200);
    CU_ASSERT_PTR_NOT_NULL(get(c, 1, "q=1"));
    CU_ASSERT_PTR_NULL(get(c, 1, "q=2"));         /* the least recently used */
    CU_ASSERT_PTR_NOT_NULL(get(c, 1, "q=3"));
    CU_ASSERT_PTR_NOT_NULL(get(c, 1, "q=new"));
    srv_cache_free(c);
}

static void a_body_over_an_eighth_of_the_bound_is_not_kept(void)
{
    char big[300];
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    srv_cache_t *c = srv_cache_new(2000);
    put(c, 1, "q=small", "s");
    put(c, 1, "q=big", big);
    CU_ASSERT_PTR_NULL(get(c, 1, "q=big"));
    CU_ASSERT_STRING_EQUAL(get(c, 1, "q=small"), "s");
    srv_cache_free(c);
}

static void many_entries_stay_reachable_as_the_table_grows(void)
{
    srv_cache_t *c = srv_cache_new(64 << 20);
    char key[32], body[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "q=%d", i);
        snprintf(body, sizeof body, "{\"n\":%d}", i);
        put(c, 3, key, body);
    }
    CU_ASSERT_EQUAL(srv_cache_entries(c), 5000);
    int found = 0;
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "q=%d", i);
        snprintf(body, sizeof body, "{\"n\":%d}", i);
        const char *got = get(c, 3, key);
        found += got && strcmp(got, body) == 0;
    }
    CU_ASSERT_EQUAL(found, 5000);
    srv_cache_put(c, 3, "q=empty", "", 0);
    size_t n = 99;
    CU_ASSERT_PTR_NOT_NULL(srv_cache_get(c, 3, "q=empty", &n));
    CU_ASSERT_EQUAL(n, 0);
    srv_cache_free(c);
    srv_cache_free(NULL);
}

static CU_TestInfo tests[] = {
    {"a stored body is found by its exact key", a_stored_body_is_found_by_its_exact_key},
    {"another version empties the cache", another_version_empties_the_cache},
    {"the least recently used go first within the bound",
     the_least_recently_used_go_first_within_the_bound},
    {"a body over an eighth of the bound is not kept",
     a_body_over_an_eighth_of_the_bound_is_not_kept},
    {"many entries stay reachable as the table grows",
     many_entries_stay_reachable_as_the_table_grows},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    CU_SuiteInfo suites[] = {
        {"server cache", NULL, NULL, NULL, NULL, tests},
        CU_SUITE_INFO_NULL,
    };
    return zhs_test_run(suites);
}
