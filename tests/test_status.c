/* The error convention: names for every status, first message wins, NULL-tolerance. */
#include "config.h"

#include <string.h>

#include "cunit_run.h"
#include "zhsearch/status.h"

static void every_status_has_a_distinct_name(void)
{
    for (int a = 0; a < ZHS_STATUS_LAST; a++) {
        CU_ASSERT_STRING_NOT_EQUAL(zhs_status_str((zhs_status_t)a), "unknown status");
        for (int b = a + 1; b < ZHS_STATUS_LAST; b++)
            CU_ASSERT_STRING_NOT_EQUAL(zhs_status_str((zhs_status_t)a),
                                       zhs_status_str((zhs_status_t)b));
    }
    ZHS_ASSERT_STR(zhs_status_str(ZHS_STATUS_LAST), "unknown status");
    ZHS_ASSERT_STR(zhs_status_str((zhs_status_t)-1), "unknown status");
}

static void first_message_wins(void)
{
    zhs_error_t err;
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_error_set_at(&err, ZHS_ERR_BAD_UTF8, 7, "byte %d", 7), ZHS_ERR_BAD_UTF8);
    CU_ASSERT_EQUAL(zhs_error_set(&err, ZHS_ERR_IO, "later"), ZHS_ERR_IO);
    CU_ASSERT_EQUAL(err.status, ZHS_ERR_BAD_UTF8);
    CU_ASSERT_EQUAL(err.offset, 7);
    ZHS_ASSERT_STR(err.message, "byte 7");
}

static void null_error_is_allowed(void)
{
    CU_ASSERT_EQUAL(zhs_error_set(NULL, ZHS_ERR_NOMEM, "x"), ZHS_ERR_NOMEM);
    zhs_error_clear(NULL);
}

static void long_message_is_truncated_not_overflowed(void)
{
    zhs_error_t err = {0};
    char big[1000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    zhs_error_set(&err, ZHS_ERR_IO, "%s", big);
    CU_ASSERT_EQUAL(strlen(err.message), sizeof err.message - 1);
}

static CU_TestInfo status_tests[] = {
    {"every status has a distinct name", every_status_has_a_distinct_name},
    {"first message wins", first_message_wins},
    {"NULL error is allowed", null_error_is_allowed},
    {"long message is truncated, not overflowed", long_message_is_truncated_not_overflowed},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"status", NULL, NULL, NULL, NULL, status_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
