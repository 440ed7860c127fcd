/* The stored form of document texts: deflated records, plain (version 1) records, and
 * records that do not inflate. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/textpack.h"
#include "cunit_run.h"

static const char policy[] =
    "一、大力推动企业技术创新,强化企业在推动自主创新和发展高新技术产业中的主体地位。\n"
    "(一)大力推动企业技术创新,强化企业在推动自主创新和发展高新技术产业中的主体地位。\n"
    "(二)大力推动企业技术创新,强化企业在推动自主创新和发展高新技术产业中的主体地位。\n";

static void a_long_text_is_stored_deflated_and_read_back(void)
{
    char *rec = NULL, *text = NULL;
    size_t nrec = 0, ntext = 0;
    size_t n = strlen(policy);
    CU_ASSERT_EQUAL_FATAL(zhs_text_pack(policy, n, &rec, &nrec, NULL), ZHS_OK);
    CU_ASSERT_EQUAL((unsigned char)rec[0], 0xFF);
    CU_ASSERT_EQUAL((unsigned char)rec[1], n & 0xFF);
    CU_ASSERT_EQUAL((unsigned char)rec[2], n >> 8);
    CU_ASSERT_TRUE(nrec < n / 2);
    CU_ASSERT_EQUAL_FATAL(zhs_text_unpack(rec, nrec, &text, &ntext, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(ntext, n);
    CU_ASSERT_STRING_EQUAL(text, policy);
    free(rec);
    free(text);
}

static void a_short_text_is_stored_as_it_is(void)
{
    char *rec = NULL, *text = NULL;
    size_t nrec = 0, ntext = 0;
    CU_ASSERT_EQUAL_FATAL(zhs_text_pack("决定", 6, &rec, &nrec, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(nrec, 6);
    CU_ASSERT_STRING_EQUAL(rec, "决定");
    CU_ASSERT_EQUAL_FATAL(zhs_text_unpack(rec, nrec, &text, &ntext, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(ntext, 6);
    CU_ASSERT_STRING_EQUAL(text, "决定");
    free(rec);
    free(text);
}

static void a_plain_version_1_record_reads_as_itself(void)
{
    char *text = NULL;
    size_t ntext = 0;
    CU_ASSERT_EQUAL_FATAL(zhs_text_unpack(policy, strlen(policy), &text, &ntext, NULL),
                          ZHS_OK);
    CU_ASSERT_EQUAL(ntext, strlen(policy));
    CU_ASSERT_STRING_EQUAL(text, policy);
    free(text);
}

static void a_damaged_record_is_a_corrupt_index(void)
{
    char *rec = NULL, *text = NULL;
    size_t nrec = 0, ntext = 0;
    CU_ASSERT_EQUAL_FATAL(zhs_text_pack(policy, strlen(policy), &rec, &nrec, NULL), ZHS_OK);
    rec[1] ^= 1;   /* the recorded length no longer matches */
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_text_unpack(rec, nrec, &text, &ntext, &err), ZHS_ERR_DB_CORRUPT);
    CU_ASSERT_STRING_EQUAL(err.message, "a stored text does not inflate");
    CU_ASSERT_PTR_NULL(text);
    free(rec);
}

static CU_TestInfo tests[] = {
    {"a long text is stored deflated and read back",
     a_long_text_is_stored_deflated_and_read_back},
    {"a short text is stored as it is", a_short_text_is_stored_as_it_is},
    {"a plain version 1 record reads as itself", a_plain_version_1_record_reads_as_itself},
    {"a damaged record is a corrupt index", a_damaged_record_is_a_corrupt_index},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    CU_SuiteInfo suites[] = {
        {"textpack", NULL, NULL, NULL, NULL, tests},
        CU_SUITE_INFO_NULL,
    };
    return zhs_test_run(suites);
}
