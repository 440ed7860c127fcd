/* Highlighting: exact mark boundaries, escaping, cuts at window edges, merging, the
 * original script kept, the densest window chosen, and keys that agree with the
 * analyzer's match keys on the whole corpus. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/bytefind.h"
#include "../lib/query.h"
#include "../lib/snippet.h"
#include "../lib/utf8.h"
#include "cunit_run.h"
#include "zhsearch/analyzer.h"

static int init(void)
{
    return zhs_analyzer_init(NULL) == ZHS_OK ? 0 : 1;
}

/* The snippet of text for the given keys (a NULL-terminated list). */
static char *snip(const char *text, unsigned nchars, const char *const *keys)
{
    size_t nkeys = 0;
    while (keys[nkeys])
        nkeys++;
    char *out = NULL;
    zhs_error_t err = {0};
    zhs_marks_t marks = {keys, nkeys, NULL, NULL, 0};
    if (zhs_snippet_make(text, strlen(text), &marks, nchars, &out, &err) != ZHS_OK)
        return strdup(err.message);
    return out;
}

static void check(const char *text, unsigned nchars, const char *const *keys,
                  const char *expected, int line)
{
    char *s = snip(text, nchars, keys);
    zhs_test_assert_str(s, expected, line, __FILE__);
    free(s);
}
#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define CHECK(text, nchars, keys, expected) check((text), (nchars), (keys), (expected), __LINE__)

static void match_is_marked_exactly(void)
{
    CHECK("加强知识产权运用和保护", 120, KEYS("知识产权"), "加强<mark>知识产权</mark>运用和保护");
    CHECK("税收优惠,企业所得税减免", 120, KEYS("税"),
          "<mark>税</mark>收优惠,企业所得<mark>税</mark>减免");
}

static void html_is_escaped_around_marks(void)
{
    CHECK("<b>&知识产权\"'</b>", 120, KEYS("知识产权"),
          "&lt;b&gt;&amp;<mark>知识产权</mark>&quot;&#39;&lt;/b&gt;");
}

static void window_cuts_between_characters(void)
{
    /* 24 characters, the match at characters 10-11; 10 characters fit: the match sits
     * a third of the free room (2 characters) from the left edge. */
    CHECK("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯", 10, KEYS("甲乙"),
          "…九十<mark>甲乙</mark>丙丁戊己庚辛…");
    /* At the start and at the end: no ellipsis on that side. */
    CHECK("甲乙三四五六七八九十", 4, KEYS("甲乙"), "<mark>甲乙</mark>三四…");
    CHECK("一二三四五六七八甲乙", 4, KEYS("甲乙"), "…七八<mark>甲乙</mark>");
    /* Mixed widths: ASCII, 2-, 3- and 4-byte characters are counted as characters. */
    CHECK("aé中𠀀知识é中𠀀a", 5, KEYS("知识"), "…𠀀<mark>知识</mark>é中…");
}

static void match_longer_than_window_is_cut_inside_the_mark(void)
{
    CHECK("一二三四五六七八九十", 3, KEYS("三四五六七"), "…<mark>三四五</mark>…");
}

static void overlapping_and_adjacent_matches_merge(void)
{
    CHECK("加强知识产权保护工作", 120, KEYS("知识产权", "产权保护"),
          "加强<mark>知识产权保护</mark>工作");
    CHECK("知识产权", 120, KEYS("知识", "产权"), "<mark>知识产权</mark>");
    CHECK("专利专利", 120, KEYS("专利"), "<mark>专利专利</mark>");
}

static void traditional_text_is_shown_with_marks_from_a_simplified_key(void)
{
    CHECK("加強知識產權保護和運用", 120, KEYS("知识产权"), "加強<mark>知識產權</mark>保護和運用");
    CHECK("（一）拓展國際科技創新合作", 120, KEYS("国际科技"),
          "（一）拓展<mark>國際科技</mark>創新合作");
}

static void width_and_case_variants_are_marked_in_the_original(void)
{
    CHECK("２０１６年ICP备案", 120, KEYS("2016", "icp"),
          "<mark>２０１６</mark>年<mark>ICP</mark>备案");
}

static void words_match_only_whole_words(void)
{
    CHECK("ICP备案与IC卡", 120, KEYS("ic"), "ICP备案与<mark>IC</mark>卡");
    CHECK("工业4.0版", 120, KEYS("4"), "工业4.0版");
    CHECK("工业4.0版", 120, KEYS("4.0"), "工业<mark>4.0</mark>版");
}

static void phrase_key_spans_the_punctuation_between_runs(void)
{
    CHECK("文号:穗府〔2016〕13号", 120, KEYS("穗府 2016 13号"),
          "文号:<mark>穗府〔2016〕13号</mark>");
}

static void window_chooses_the_densest_cluster(void)
{
    const char *text = "专利工作要点。一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                       "加强专利保护,专利运用。一二三四五六七八九十";
    /* Both keys together beat the lone early match. */
    CHECK(text, 16, KEYS("专利", "保护"), "…十加强<mark>专利保护</mark>,<mark>专利</mark>运用。一二三…");
    /* More matches of one key beat fewer. */
    CHECK(text, 12, KEYS("专利"), "…强<mark>专利</mark>保护,<mark>专利</mark>运用。一…");
}

/* The snippet of text for keys with the given parts of the query (need). */
static char *snip_needs(const char *text, unsigned nchars, const char *const *keys,
                        const int *need, size_t nkeys)
{
    zhs_marks_t marks = {keys, nkeys, need, NULL, 0};
    char *out = NULL;
    zhs_error_t err = {0};
    if (zhs_snippet_make(text, strlen(text), &marks, nchars, &out, &err) != ZHS_OK)
        return strdup(err.message);
    return out;
}

/* Required words too far apart for one window: a fragment around each, sharing the
 * length, in text order. Keys of one part (a word and its synonym) are not split
 * for, nor is a window too short to halve. */
static void words_too_far_apart_get_a_fragment_each(void)
{
    const char *text = "加强专利保护。一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                       "一二三四五六七八九十完善人才政策,一二三四五六七八九十";
    const char *keys[] = {"专利", "人才"};
    const int apart[] = {0, 1}, one_part[] = {0, 0};
    char *s = snip_needs(text, 40, keys, apart, 2);
    ZHS_ASSERT_STR(s, "加强<mark>专利</mark>保护。一二三四五六七八九十一二三…"
                      "七八九十完善<mark>人才</mark>政策,一二三四五六七八九…");
    free(s);
    s = snip_needs(text, 40, keys, one_part, 2);
    ZHS_ASSERT_STR(s, "加强<mark>专利</mark>保护。一二三四五六七八九十一二三四五六七八九十"
                      "一二三四五六七八九十一二三…");
    free(s);
    s = snip_needs(text, 30, keys, apart, 2);
    ZHS_ASSERT_STR(s, "加强<mark>专利</mark>保护。一二三四五六七八九十一二三四五六七八九十一二三…");
    free(s);
    /* Three words far apart: three fragments sharing the length. */
    const char *three = "加强专利保护。一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                        "完善人才政策,一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                        "落实税收优惠。一二三四五六七八九十";
    const char *keys3[] = {"专利", "人才", "税收"};
    const int parts3[] = {0, 1, 2};
    s = snip_needs(three, 60, keys3, parts3, 3);
    ZHS_ASSERT_STR(s, "加强<mark>专利</mark>保护。一二三四五六七八九十一二三…"
                      "七八九十完善<mark>人才</mark>政策,一二三四五六七八九…"
                      "七八九十落实<mark>税收</mark>优惠。一二三四五六七八九…");
    free(s);
    /* Short enough to show whole: nothing cut. */
    CHECK(text, 120, KEYS("专利", "人才"),
          "加强<mark>专利</mark>保护。一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
          "一二三四五六七八九十完善<mark>人才</mark>政策,一二三四五六七八九十");
}

static void without_a_match_the_beginning_is_shown(void)
{
    CHECK("一二三四五六七八九十", 4, KEYS("专利"), "一二三四…");
    CHECK("一二三", 4, KEYS("专利"), "一二三");
}

static void marks_html_covers_a_whole_text(void)
{
    const char *text = "第一行知识产权\n第二行<无>\n第三行知識產權";
    const char *keys[] = {"知识产权"};
    zhs_marks_t marks = {keys, 1, NULL, NULL, 0};
    zhs_span_t *spans = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(zhs_marks_find(text, strlen(text), &marks, true, &spans, &n, NULL),
                          ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_EQUAL(spans[0].start, 9);
    CU_ASSERT_EQUAL(spans[0].end, 21);
    char *html = NULL;
    CU_ASSERT_EQUAL(zhs_marks_html(text, strlen(text), spans, n, &html, NULL), ZHS_OK);
    ZHS_ASSERT_STR(html, "第一行<mark>知识产权</mark>\n第二行&lt;无&gt;\n第三行<mark>知識產權</mark>");
    free(html);
    free(spans);
}

/* The snippet of text marking the relaxed word (a near key), window 3. */
static void check_near(const char *text, const char *word, const char *expected)
{
    const bool near[] = {true};
    zhs_marks_t marks = {&word, 1, NULL, near, 3};
    char *out = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_snippet_make(text, strlen(text), &marks, 80, &out, NULL), ZHS_OK);
    ZHS_ASSERT_STR(out, expected);
    free(out);
}

static void near_pieces_are_marked_only_where_the_word_is_near(void)
{
    /* The first 合作 is no part of 国际科技…合作. */
    check_near("合作共赢。积极开展国际科技交流与合作。", "国际科技合作",
               "合作共赢。积极开展<mark>国际科技</mark>交流与<mark>合作</mark>。");
    /* Two 国际 and two 合作: only the first of each makes the word near. */
    check_near("国际交流、科技合作,国际合作", "国际科技合作",
               "<mark>国际</mark>交流、<mark>科技合作</mark>,国际合作");
    /* The characters the match found: a two-character word apart, and not the second
     * 创 of 创新创业. */
    check_near("实施生产性服务业发展", "产业", "实施生<mark>产</mark>性服务<mark>业</mark>发展");
    check_near("完善创新创业服务支撑体系。", "创新体系",
               "完善<mark>创新</mark>创业服务支撑<mark>体系</mark>。");
    /* Out of order: no near occurrence, nothing marked. */
    check_near("国际合作,科技创新", "国际科技合作", "国际合作,科技创新");
    /* Too far apart (over 3 times the word's 6 characters): nothing marked. */
    check_near("国际科技交流,一二三四五六七八九十甲乙,合作", "国际科技合作",
               "国际科技交流,一二三四五六七八九十甲乙,合作");
    /* Traditional text, and a key not near marked wherever it stands. */
    const char *with_other[] = {"国际科技合作", "平台"};
    const bool near[] = {true, false};
    zhs_marks_t marks = {with_other, 2, NULL, near, 3};
    char *out = NULL;
    const char *text = "平臺合作。國際科技與港澳合作平臺";
    CU_ASSERT_EQUAL_FATAL(zhs_snippet_make(text, strlen(text), &marks, 80, &out, NULL), ZHS_OK);
    ZHS_ASSERT_STR(out, "<mark>平臺</mark>合作。<mark>國際科技</mark>與港澳<mark>合作平臺</mark>");
    free(out);
}

static void bad_utf8_is_refused(void)
{
    const char *keys[] = {"专利"};
    zhs_marks_t marks = {keys, 1, NULL, NULL, 0};
    char *out = NULL;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_snippet_make("专\xff利", 7, &marks, 10, &out, &err), ZHS_ERR_BAD_UTF8);
    CU_ASSERT_PTR_NULL(out);
}

/* Calls fn on every line of every corpus file. */
static void for_each_corpus_line(void (*fn)(const char *line, size_t n))
{
    DIR *d = opendir(ZHS_TEST_SRCDIR "/corpus");
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".txt"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/corpus/%s", ZHS_TEST_SRCDIR, e->d_name);
        FILE *f = fopen(path, "r");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        while ((len = getline(&line, &cap, f)) > 0)
            fn(line, (size_t)len);
        free(line);
        fclose(f);
    }
    closedir(d);
}

static size_t nlines_checked;

static void check_keyed_line(const char *line, size_t n)
{
    zhs_normalized_t norm;
    if (zhs_normalize(line, n, 0, &norm, NULL) != ZHS_OK)
        return;   /* not UTF-8: the indexer decodes such files first */
    char *key = NULL;
    zhs_keyed_t k;
    CU_ASSERT_EQUAL(zhs_match_key(norm.text, norm.nbytes, &key, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_keyed_build(norm.text, norm.nbytes, &k, NULL), ZHS_OK);
    CU_ASSERT_STRING_EQUAL(k.key, key);
    for (size_t i = 0; i < k.nbytes; i++)
        CU_ASSERT_TRUE(k.nstart[i] <= k.nend[i] && k.nend[i] <= norm.nbytes);
    nlines_checked++;
    free(key);
    zhs_keyed_release(&k);
    zhs_normalized_release(&norm);
}

static void keyed_text_agrees_with_match_keys_on_the_corpus(void)
{
    nlines_checked = 0;
    for_each_corpus_line(check_keyed_line);
    CU_ASSERT_TRUE(nlines_checked > 500);
}

static size_t nkeys_compared;

/* Spans of the key in text, alone (a key of Han characters only is found in the
 * normalized text directly) and next to a word key that matches nothing (which makes
 * every key go through the keyed text): the same. */
static void check_han_key_spans(const char *text, size_t n, const char *key)
{
    const char *alone[] = {key}, *with_word[] = {key, "zzqxv"};
    zhs_span_t *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    zhs_marks_t marks_alone = {alone, 1, NULL, NULL, 0},
                marks_with_word = {with_word, 2, NULL, NULL, 0};
    CU_ASSERT_EQUAL(zhs_marks_find(text, n, &marks_alone, false, &a, &na, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_marks_find(text, n, &marks_with_word, false, &b, &nb, NULL), ZHS_OK);
    CU_ASSERT_TRUE(na > 0);
    CU_ASSERT_EQUAL(na, nb);
    for (size_t i = 0; i < na && i < nb; i++) {
        CU_ASSERT_EQUAL(a[i].start, b[i].start);
        CU_ASSERT_EQUAL(a[i].end, b[i].end);
    }
    free(a);
    free(b);
    nkeys_compared++;
}

/* Keys of two and three Han characters taken from every seventh character of the
 * line's normalized text (Traditional lines too: the spans are in the original). */
static void check_han_keys_of_line(const char *line, size_t n)
{
    zhs_normalized_t norm;
    if (zhs_normalize(line, n, 0, &norm, NULL) != ZHS_OK)
        return;
    size_t starts[256], nch = 0;
    for (size_t i = 0; i < norm.nbytes && nch < 256; i += utf8_lead_len((unsigned char)norm.text[i]))
        starts[nch++] = i;
    for (size_t c = 0; c + 3 < nch; c += 7)
        for (size_t len = 2; len <= 3; len++) {
            char key[16];
            size_t nbytes = starts[c + len] - starts[c];
            bool han = nbytes == 3 * len && nbytes < sizeof key;
            for (size_t k = 0; k < len && han; k++) {
                uint32_t cp;
                han = utf8_decode((const unsigned char *)norm.text + starts[c + k], 3, &cp) == 3 &&
                      zhs_is_han(cp);
            }
            if (!han)
                continue;
            memcpy(key, norm.text + starts[c], nbytes);
            key[nbytes] = '\0';
            check_han_key_spans(line, n, key);
        }
    zhs_normalized_release(&norm);
}

static void han_keys_are_found_as_through_the_keyed_text(void)
{
    nkeys_compared = 0;
    for_each_corpus_line(check_han_keys_of_line);
    CU_ASSERT_TRUE(nkeys_compared > 1000);
}

/* The search compares 16 or 32 starts at a time: every needle length and place, across
 * block edges and at the very end, agrees with memmem, and a near miss is no match. */
static void byte_search_agrees_with_memmem(void)
{
    char hay[160];
    for (size_t i = 0; i < sizeof hay; i++)
        hay[i] = (char)('a' + (i * 7 + i / 13) % 26);
    size_t bad = 0;
    for (size_t n = 0; n <= sizeof hay; n++)
        for (size_t at = 0; at < sizeof hay; at++)
            for (size_t m = 0; m <= 20 && at + m <= sizeof hay; m++) {
                const char *needle = hay + at;
                bad += zhs_find_bytes(hay, n, needle, m) != memmem(hay, n, needle, m);
            }
    CU_ASSERT_EQUAL(bad, 0);
    const char *key = "科技金融服务 金融科技";
    CU_ASSERT_PTR_EQUAL(zhs_find_bytes(key, strlen(key), "金融科", strlen("金融科")),
                        strstr(key, "金融科"));
    CU_ASSERT_PTR_NULL(zhs_find_bytes(key, strlen(key), "服务科", strlen("服务科")));
    CU_ASSERT_PTR_NULL(zhs_find_bytes(key, strlen(key) - 1, "金融科技", strlen("金融科技")));
}

static CU_TestInfo snippet_tests[] = {
    {"byte search agrees with memmem", byte_search_agrees_with_memmem},
    {"match is marked exactly", match_is_marked_exactly},
    {"HTML is escaped around marks", html_is_escaped_around_marks},
    {"window cuts between characters", window_cuts_between_characters},
    {"match longer than the window is cut inside the mark",
     match_longer_than_window_is_cut_inside_the_mark},
    {"overlapping and adjacent matches merge", overlapping_and_adjacent_matches_merge},
    {"Traditional text is shown with marks from a Simplified key",
     traditional_text_is_shown_with_marks_from_a_simplified_key},
    {"width and case variants are marked in the original",
     width_and_case_variants_are_marked_in_the_original},
    {"words match only whole words", words_match_only_whole_words},
    {"phrase key spans the punctuation between runs",
     phrase_key_spans_the_punctuation_between_runs},
    {"window chooses the densest cluster", window_chooses_the_densest_cluster},
    {"without a match the beginning is shown", without_a_match_the_beginning_is_shown},
    {"words too far apart get a fragment each", words_too_far_apart_get_a_fragment_each},
    {"marks_html covers a whole text", marks_html_covers_a_whole_text},
    {"bad UTF-8 is refused", bad_utf8_is_refused},
    {"near pieces are marked only where the word is near",
     near_pieces_are_marked_only_where_the_word_is_near},
    {"keyed text agrees with match keys on the corpus",
     keyed_text_agrees_with_match_keys_on_the_corpus},
    {"Han keys are found as through the keyed text",
     han_keys_are_found_as_through_the_keyed_text},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"snippet", init, NULL, NULL, NULL, snippet_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
