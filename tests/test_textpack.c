/* The stored form of document texts: deflated records in blocks, one line read alone,
 * single-stream and plain records of older versions, and records that do not inflate. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

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
    CU_ASSERT_EQUAL((unsigned char)rec[0], 0xFE);
    CU_ASSERT_EQUAL((unsigned char)rec[1], n & 0xFF);
    CU_ASSERT_EQUAL((unsigned char)rec[2], n >> 8);
    CU_ASSERT_EQUAL((unsigned char)rec[5], 1);    /* one block */
    CU_ASSERT_TRUE(nrec < n / 2);
    CU_ASSERT_EQUAL_FATAL(zhs_text_unpack(rec, nrec, &text, &ntext, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(ntext, n);
    CU_ASSERT_STRING_EQUAL(text, policy);
    free(rec);
    free(text);
}

/* Lines "第N行……\n" until the text passes n bytes. */
static char *numbered_lines(size_t n)
{
    char *text = malloc(n + 256);
    size_t len = 0;
    for (int i = 0; len < n; i++)
        len += (size_t)sprintf(text + len, "第%d行,推动企业技术创新和高新技术产业发展。\n", i);
    return text;
}

static void a_text_is_cut_in_blocks_at_line_ends(void)
{
    char *text = numbered_lines(20000), *rec = NULL, *back = NULL;
    size_t n = strlen(text), nrec = 0, nback = 0;
    CU_ASSERT_EQUAL_FATAL(zhs_text_pack(text, n, &rec, &nrec, NULL), ZHS_OK);
    CU_ASSERT_EQUAL((unsigned char)rec[0], 0xFE);
    unsigned nblocks = (unsigned char)rec[5];
    CU_ASSERT_TRUE(nblocks >= 8 && nblocks <= 10);
    /* Each block ends right after a line end at or past 2048 bytes into it. */
    const unsigned char *t = (const unsigned char *)rec + 9;
    size_t start = 0;
    for (unsigned i = 0; i < nblocks; i++) {
        size_t end = t[8 * i] | t[8 * i + 1] << 8 | t[8 * i + 2] << 16;
        CU_ASSERT_EQUAL(text[end - 1], '\n');
        if (i + 1 < nblocks)
            CU_ASSERT_TRUE(end - start >= 2048 && end - start < 2048 + 80);
        start = end;
    }
    CU_ASSERT_EQUAL(start, n);
    CU_ASSERT_EQUAL_FATAL(zhs_text_unpack(rec, nrec, &back, &nback, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(nback, n);
    CU_ASSERT_STRING_EQUAL(back, text);
    free(back);

    /* A line, in one block and across two, read alone. */
    const char *lines[] = {"第7行", "第150行", "第299行"};
    for (size_t k = 0; k < 3; k++) {
        const char *line = strstr(text, lines[k]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(line);
        size_t len = (size_t)(strchr(line, '\n') - line);
        char *got = NULL;
        CU_ASSERT_EQUAL_FATAL(
            zhs_text_unpack_range(rec, nrec, (size_t)(line - text), len, &got, NULL), ZHS_OK);
        CU_ASSERT_EQUAL(strlen(got), len);
        CU_ASSERT_EQUAL(strncmp(got, line, len), 0);
        free(got);
    }
    char *across = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_text_unpack_range(rec, nrec, 4000, 8000, &across, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(memcmp(across, text + 4000, 8000), 0);
    free(across);
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_text_unpack_range(rec, nrec, n - 5, 6, &across, &err),
                    ZHS_ERR_DB_CORRUPT);
    CU_ASSERT_STRING_EQUAL(err.message, "a range lies outside its text");
    free(rec);
    free(text);
}

static void a_single_stream_record_of_versions_2_to_4_is_read(void)
{
    size_t n = strlen(policy);
    unsigned char rec[2048] = {0xFF, n & 0xFF, n >> 8, 0, 0};
    uLongf packed = sizeof rec - 5;
    CU_ASSERT_EQUAL_FATAL(compress2(rec + 5, &packed, (const Bytef *)policy, n, 1), Z_OK);
    char *text = NULL, *range = NULL;
    size_t ntext = 0;
    CU_ASSERT_EQUAL_FATAL(zhs_text_unpack((char *)rec, 5 + packed, &text, &ntext, NULL),
                          ZHS_OK);
    CU_ASSERT_STRING_EQUAL(text, policy);
    CU_ASSERT_EQUAL_FATAL(zhs_text_unpack_range((char *)rec, 5 + packed, 6, 6, &range, NULL),
                          ZHS_OK);
    CU_ASSERT_STRING_EQUAL(range, "大力");
    free(text);
    free(range);
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
    rec[9] ^= 1;   /* the block's recorded end no longer matches the length */
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_text_unpack(rec, nrec, &text, &ntext, &err), ZHS_ERR_DB_CORRUPT);
    CU_ASSERT_STRING_EQUAL(err.message, "a stored text does not inflate");
    CU_ASSERT_PTR_NULL(text);
    free(rec);
}

static CU_TestInfo tests[] = {
    {"a long text is stored deflated and read back",
     a_long_text_is_stored_deflated_and_read_back},
    {"a text is cut in blocks at line ends", a_text_is_cut_in_blocks_at_line_ends},
    {"a single-stream record of versions 2 to 4 is read",
     a_single_stream_record_of_versions_2_to_4_is_read},
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
