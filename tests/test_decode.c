/* Encoding detection and decoding: UTF-8 kept as is, GB18030 and Big5 copies of seed
 * files decoded back to the same text, the more plausible reading chosen when both
 * legacy encodings accept the bytes, BOM and line ends tidied, a few damaged bytes read
 * as U+FFFD, undecodable bytes reported with their offset. */
#include "config.h"

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_run.h"
#include "doc_test_util.h"
#include "zhsearch/document.h"

/* Decodes raw and checks the result is expected (UTF-8) in encoding enc. */
static void assert_decodes_to(const char *raw, size_t n, const char *expected,
                              size_t expected_n, zhs_encoding_t expected_enc)
{
    char *out = NULL;
    size_t out_n = 0;
    zhs_encoding_t enc = (zhs_encoding_t)-1;
    zhs_error_t err = {0};
    zhs_damage_t damage = {1, 1};
    CU_ASSERT_EQUAL_FATAL(zhs_decode(raw, n, &out, &out_n, &enc, &damage, &err), ZHS_OK);
    CU_ASSERT_EQUAL(damage.nbytes, 0);
    CU_ASSERT_EQUAL(enc, expected_enc);
    CU_ASSERT_EQUAL(out_n, expected_n);
    CU_ASSERT_EQUAL(strlen(out), out_n);
    CU_ASSERT(out_n == expected_n && memcmp(out, expected, out_n) == 0);
    free(out);
}

static void utf8_seed_is_kept_byte_for_byte(void)
{
    size_t n;
    char *raw = doc_test_read_corpus("002_63669fec260b4861.txt", &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
    assert_decodes_to(raw, n, raw, n, ZHS_ENCODING_UTF8);
    free(raw);
}

static void gb18030_copy_decodes_to_the_utf8_seed(void)
{
    size_t n, gb_n;
    char *raw = doc_test_read_corpus("002_63669fec260b4861.txt", &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
    char *gb = doc_test_encode(raw, n, "GB18030", &gb_n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gb);
    assert_decodes_to(gb, gb_n, raw, n, ZHS_ENCODING_GB18030);
    free(gb);
    free(raw);
}

static void big5_copy_of_traditional_seed_is_read_as_big5_not_gb18030(void)
{
    size_t n, big5_n, as_gb_n;
    char *raw = doc_test_read_corpus("003_a2da86337d7ff50c.txt", &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
    char *big5 = doc_test_encode(raw, n, "BIG5", &big5_n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big5);
    /* GB18030 accepts these bytes too (as nonsense): the choice is by plausibility. */
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    char *in = big5, *buf = malloc(big5_n * 2), *op = buf;
    size_t inleft = big5_n, outleft = big5_n * 2;
    CU_ASSERT_NOT_EQUAL(iconv(cd, &in, &inleft, &op, &outleft), (size_t)-1);
    as_gb_n = (size_t)(op - buf);
    CU_ASSERT(as_gb_n != n || memcmp(buf, raw, n) != 0);
    iconv_close(cd);
    free(buf);
    assert_decodes_to(big5, big5_n, raw, n, ZHS_ENCODING_BIG5);
    free(big5);
    free(raw);
}

static void gb2312_text_that_big5_also_accepts_is_read_as_gb18030(void)
{
    static const char text[] = "自主创新是高新技术产业健康快速可持续发展的基础和强大推力";
    size_t gb_n;
    char *gb = doc_test_encode(text, strlen(text), "GB2312", &gb_n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gb);
    /* Precondition: Big5 decodes the same bytes without error. */
    iconv_t cd = iconv_open("UTF-8", "BIG5");
    char *in = gb, *buf = malloc(gb_n * 2 + 1), *op = buf;
    size_t inleft = gb_n, outleft = gb_n * 2;
    CU_ASSERT_NOT_EQUAL(iconv(cd, &in, &inleft, &op, &outleft), (size_t)-1);
    iconv_close(cd);
    free(buf);
    assert_decodes_to(gb, gb_n, text, strlen(text), ZHS_ENCODING_GB18030);
    free(gb);
}

static void bom_is_dropped_and_line_ends_become_lf(void)
{
    static const char raw[] = "\xEF\xBB\xBF一、总则\r\n第二行\r第三行\n";
    static const char want[] = "一、总则\n第二行\n第三行\n";
    assert_decodes_to(raw, sizeof raw - 1, want, sizeof want - 1, ZHS_ENCODING_UTF8);
}

static void crlf_in_gb18030_becomes_lf(void)
{
    static const char text[] = "第一行\r\n第二行";
    static const char want[] = "第一行\n第二行";
    size_t gb_n;
    char *gb = doc_test_encode(text, strlen(text), "GB18030", &gb_n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gb);
    assert_decodes_to(gb, gb_n, want, strlen(want), ZHS_ENCODING_GB18030);
    free(gb);
}

static void undecodable_bytes_fail_with_their_offset(void)
{
    /* 0xFF and 0x80 start no character in UTF-8, GB18030 or Big5. */
    static const char raw[] = "abc\n\xFF\x80\xFF\x80\x01\xFE";
    char *out = (char *)"untouched";
    size_t out_n = 0;
    zhs_encoding_t enc;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_decode(raw, sizeof raw - 1, &out, &out_n, &enc, NULL, &err),
                    ZHS_ERR_BAD_ENCODING);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(err.status, ZHS_ERR_BAD_ENCODING);
    CU_ASSERT_EQUAL(err.offset, 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "byte 4"));
}

static void offset_is_where_the_furthest_decoder_stopped(void)
{
    /* `创新` in GB18030, then `丂` (GBK 81 40, no Big5 character starts with 0x81),
     * then 0xFF: UTF-8 stops at byte 0, Big5 at byte 4, GB18030 at byte 6. */
    static const char text[] = "创新丂";
    size_t gb_n;
    char *gb = doc_test_encode(text, strlen(text), "GB18030", &gb_n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gb);
    CU_ASSERT_EQUAL_FATAL(gb_n, 6);
    CU_ASSERT_EQUAL((unsigned char)gb[4], 0x81);
    char raw[7];
    memcpy(raw, gb, 6);
    raw[6] = '\xFF';
    char *out;
    size_t out_n;
    zhs_encoding_t enc;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_decode(raw, sizeof raw, &out, &out_n, &enc, NULL, &err),
                    ZHS_ERR_BAD_ENCODING);
    CU_ASSERT_EQUAL(err.offset, 6);
    free(gb);
}

/* Decodes raw (n bytes), which must be read as enc with damage {nbytes, first}, and
 * checks the text is expected. */
static void assert_damaged(const char *raw, size_t n, zhs_encoding_t want_enc,
                           const char *expected, size_t nbytes, size_t first)
{
    char *out = NULL;
    size_t out_n = 0;
    zhs_encoding_t enc = (zhs_encoding_t)-1;
    zhs_damage_t damage = {0};
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL_FATAL(zhs_decode(raw, n, &out, &out_n, &enc, &damage, &err), ZHS_OK);
    CU_ASSERT_EQUAL(enc, want_enc);
    CU_ASSERT_EQUAL(damage.nbytes, nbytes);
    CU_ASSERT_EQUAL(damage.first, first);
    ZHS_ASSERT_STR(out, expected);
    free(out);
}

/* A long line of Chinese text (540 bytes of UTF-8): room for a few damaged bytes. */
#define SENTENCE "加快建设国家创新型城市,推动科技企业孵化器、众创空间蓬勃发展,创新创业载体规模不断扩大。"
static const char long_line[] = SENTENCE SENTENCE SENTENCE SENTENCE SENTENCE SENTENCE;

static void a_stray_byte_in_utf8_is_read_as_a_replacement(void)
{
    /* 0xFF after the first 12 bytes (4 characters), and at the end a run of three: one
     * U+FFFD each. */
    char raw[sizeof long_line + 8], want[sizeof long_line + 16];
    size_t n = strlen(long_line);
    memcpy(raw, long_line, 12);
    raw[12] = '\xFF';
    memcpy(raw + 13, long_line + 12, n - 12);
    memcpy(raw + n + 1, "\x80\x80\xFE", 3);
    snprintf(want, sizeof want, "%.12s\xEF\xBF\xBD%s\xEF\xBF\xBD", long_line, long_line + 12);
    assert_damaged(raw, n + 4, ZHS_ENCODING_UTF8, want, 4, 12);
}

static void a_character_cut_at_the_end_is_read_as_a_replacement(void)
{
    /* Even in a short file: `第二行` cut after the first byte of 行. */
    static const char raw[] = "第一行\n第二\xE8\xA1";
    assert_damaged(raw, sizeof raw - 1, ZHS_ENCODING_UTF8, "第一行\n第二\xEF\xBF\xBD", 2,
                   sizeof raw - 3);
}

static void a_damaged_gb18030_file_is_read_as_gb18030(void)
{
    /* The first byte of 国 (after 加快建设, 8 bytes in GB18030) made 0xFF: the reading
     * stops being right there and finds its way back within a character or two. */
    size_t gb_n;
    char *gb = doc_test_encode(long_line, strlen(long_line), "GB18030", &gb_n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gb);
    gb[8] = '\xFF';
    char *out = NULL;
    size_t out_n = 0;
    zhs_encoding_t enc;
    zhs_damage_t damage = {0};
    CU_ASSERT_EQUAL_FATAL(zhs_decode(gb, gb_n, &out, &out_n, &enc, &damage, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(enc, ZHS_ENCODING_GB18030);
    CU_ASSERT_EQUAL(damage.first, 8);
    CU_ASSERT_TRUE(damage.nbytes >= 1 && damage.nbytes <= 2);
    CU_ASSERT_EQUAL(strncmp(out, "加快建设\xEF\xBF\xBD", strlen("加快建设") + 3), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, SENTENCE SENTENCE SENTENCE SENTENCE SENTENCE));
    free(out);
    free(gb);
}

static void nul_byte_is_not_text(void)
{
    static const char raw[] = "\xFF\xFE\x00\x4E";   /* UTF-16LE: BOM, U+4E00 */
    char *out;
    size_t out_n;
    zhs_encoding_t enc;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_decode(raw, 4, &out, &out_n, &enc, NULL, &err), ZHS_ERR_BAD_ENCODING);
    CU_ASSERT_EQUAL(err.offset, 2);
}

static void empty_input_is_empty_utf8(void)
{
    assert_decodes_to("", 0, "", 0, ZHS_ENCODING_UTF8);
}

static void encoding_names(void)
{
    ZHS_ASSERT_STR(zhs_encoding_name(ZHS_ENCODING_UTF8), "utf-8");
    ZHS_ASSERT_STR(zhs_encoding_name(ZHS_ENCODING_GB18030), "gb18030");
    ZHS_ASSERT_STR(zhs_encoding_name(ZHS_ENCODING_BIG5), "big5");
}

static CU_TestInfo decode_tests[] = {
    {"UTF-8 seed is kept byte for byte", utf8_seed_is_kept_byte_for_byte},
    {"GB18030 copy decodes to the UTF-8 seed", gb18030_copy_decodes_to_the_utf8_seed},
    {"Big5 copy of the Traditional seed is read as Big5, not GB18030",
     big5_copy_of_traditional_seed_is_read_as_big5_not_gb18030},
    {"GB2312 text that Big5 also accepts is read as GB18030",
     gb2312_text_that_big5_also_accepts_is_read_as_gb18030},
    {"BOM is dropped and line ends become LF", bom_is_dropped_and_line_ends_become_lf},
    {"CRLF in GB18030 becomes LF", crlf_in_gb18030_becomes_lf},
    {"undecodable bytes fail with their offset", undecodable_bytes_fail_with_their_offset},
    {"offset is where the furthest decoder stopped", offset_is_where_the_furthest_decoder_stopped},
    {"a stray byte in UTF-8 is read as a replacement",
     a_stray_byte_in_utf8_is_read_as_a_replacement},
    {"a character cut at the end is read as a replacement",
     a_character_cut_at_the_end_is_read_as_a_replacement},
    {"a damaged GB18030 file is read as GB18030", a_damaged_gb18030_file_is_read_as_gb18030},
    {"NUL byte is not text", nul_byte_is_not_text},
    {"empty input is empty UTF-8", empty_input_is_empty_utf8},
    {"encoding names", encoding_names},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"decode", NULL, NULL, NULL, NULL, decode_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
