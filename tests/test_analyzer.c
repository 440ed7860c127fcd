/* The analyzer: UTF-8 validation, normalization (with its offset map), tokenization
 * and match keys, on the cases that matter for Chinese policy text. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "cunit_run.h"
#include "zhsearch/analyzer.h"

/* The utf8proc options the normalizer documents (lib/normalize.c). */
#define NORM_OPTIONS \
    (UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STABLE | UTF8PROC_IGNORE)

static int init_suite(void)
{
    return zhs_analyzer_init(NULL) == ZHS_OK ? 0 : 1;
}

/* zhs_normalize_str, or "(error)" so a failure shows in the string comparison. */
static char *norm(const char *s)
{
    char *out = NULL;
    if (zhs_normalize_str(s, &out, NULL) != ZHS_OK)
        return strdup("(error)");
    return out;
}

/* Asserts that a newly allocated string equals expected, then frees it. */
#define ASSERT_FREED_STR(owned, expected)  \
    do {                                   \
        char *got_ = (owned);              \
        ZHS_ASSERT_STR(got_, expected);    \
        free(got_);                        \
    } while (0)

#define ASSERT_NORM(in, expected) ASSERT_FREED_STR(norm(in), expected)

static size_t encode(uint32_t cp, char *out)
{
    return (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out);
}

/* ---------------------------------------------------------------- UTF-8 validation */

/* Asserts that s[0..n) is rejected with the first bad sequence at byte `offset`, by
 * both zhs_utf8_validate and zhs_normalize (which must leave *out zeroed). */
static void assert_bad_utf8_at(const char *s, size_t n, size_t offset)
{
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_utf8_validate(s, n, &err), ZHS_ERR_BAD_UTF8);
    CU_ASSERT_EQUAL(err.status, ZHS_ERR_BAD_UTF8);
    CU_ASSERT_EQUAL(err.offset, offset);

    zhs_normalized_t out = {.text = (char *)"junk", .nbytes = 9};
    zhs_error_t err2 = {0};
    CU_ASSERT_EQUAL(zhs_normalize(s, n, ZHS_NORM_OFFSETS, &out, &err2), ZHS_ERR_BAD_UTF8);
    CU_ASSERT_EQUAL(err2.offset, offset);
    CU_ASSERT_PTR_NULL(out.text);
    CU_ASSERT_EQUAL(out.nbytes, 0);
    CU_ASSERT_PTR_NULL(out.src_start);
    CU_ASSERT_PTR_NULL(out.src_end);
}

#define BAD_AT(lit, offset) assert_bad_utf8_at(lit, sizeof lit - 1, offset)

static void valid_utf8_including_nul_and_edge_code_points_passes(void)
{
    static const char ok[] =
        "abc\0def"              /* NUL is valid */
        "\xC2\x80"              /* U+0080, smallest two-byte */
        "\xDF\xBF"              /* U+07FF */
        "\xE0\xA0\x80"          /* U+0800, smallest three-byte */
        "\xED\x9F\xBF"          /* U+D7FF, just below the surrogates */
        "\xEE\x80\x80"          /* U+E000, just above them */
        "\xEF\xBF\xBF"          /* U+FFFF */
        "\xF0\x90\x80\x80"      /* U+10000, smallest four-byte */
        "\xF4\x8F\xBF\xBF"      /* U+10FFFF, the last code point */
        "知识产权";
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_utf8_validate(ok, sizeof ok - 1, &err), ZHS_OK);
    CU_ASSERT_EQUAL(err.status, ZHS_OK);
    CU_ASSERT_EQUAL(zhs_utf8_validate("", 0, &err), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_utf8_validate(NULL, 0, &err), ZHS_OK);
}

static void invalid_utf8_reports_offset_of_first_bad_sequence(void)
{
    BAD_AT("ab\xC0\xAF" "cd", 2);                 /* overlong '/' */
    BAD_AT("\xE0\x80\xAF", 0);                    /* overlong three-byte '/' */
    BAD_AT("\xF0\x8F\xBF\xBF", 0);                /* overlong four-byte U+FFFF */
    BAD_AT("知识\xE4\xB8", 6);                     /* three-byte sequence cut by the end */
    BAD_AT("\xE4\xB8" "a知", 0);                   /* ... and by an ASCII byte */
    BAD_AT("x\xED\xA0\x80", 1);                   /* surrogate U+D800 */
    BAD_AT("知\xF4\x90\x80\x80", 3);               /* U+110000, above the last code point */
    BAD_AT("\xF5\x80\x80\x80", 0);                /* lead byte that cannot occur */
    BAD_AT("abc\x80", 3);                         /* stray continuation byte */
    BAD_AT("0123456789abcdef\xBF" "x", 16);       /* after the eight-byte ASCII skip */
    BAD_AT("产权\xFF", 6);
}

/* ---------------------------------------------------------------- normalization */

static void traditional_and_simplified_normalize_alike(void)
{
    ASSERT_NORM("知識產權", "知识产权");
    ASSERT_NORM("知识产权", "知识产权");
    ASSERT_NORM("財政局", "财政局");
    ASSERT_NORM("廣州市人民政府辦公廳", "广州市人民政府办公厅");
}

static void full_width_forms_fold_to_ascii(void)
{
    ASSERT_NORM("２０１６", "2016");
    ASSERT_NORM("ＩＣＰ", "icp");
    ASSERT_NORM("（一）", "(一)");
    ASSERT_NORM("粤ＩＣＰ备１２３４５号", "粤icp备12345号");
    ASSERT_NORM("\xE3\x80\x80", " ");             /* U+3000 ideographic space */
}

static void latin_case_folds(void)
{
    ASSERT_NORM("ICP Web 4.0", "icp web 4.0");
    ASSERT_NORM("Straße", "strasse");
}

static void one_character_may_normalize_to_several(void)
{
    ASSERT_NORM("㈠", "(一)");
    ASSERT_NORM("第㈡条", "第(二)条");
    ASSERT_NORM("①", "1");
}

static void invisible_characters_are_removed(void)
{
    ASSERT_NORM("知\xE2\x80\x8B识", "知识");          /* zero-width space */
    ASSERT_NORM("\xEF\xBB\xBF" "通知", "通知");       /* byte order mark */
    ASSERT_NORM("葛\xF3\xA0\x84\x80", "葛");          /* variation selector U+E0100 */
    ASSERT_NORM("co\xC2\xAD" "op", "coop");          /* soft hyphen */
}

static void ascii_text_keeps_its_bytes_and_nul(void)
{
    zhs_normalized_t n;
    CU_ASSERT_EQUAL_FATAL(zhs_normalize("a\0B.", 4, 0, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(n.nbytes, 4);
    CU_ASSERT_EQUAL(memcmp(n.text, "a\0b.", 5), 0);   /* and NUL-terminated */
    CU_ASSERT_PTR_NULL(n.src_start);
    CU_ASSERT_PTR_NULL(n.src_end);
    zhs_normalized_release(&n);
    CU_ASSERT_PTR_NULL(n.text);
    zhs_normalized_release(NULL);
}

static void empty_text_normalizes_to_empty_string(void)
{
    zhs_normalized_t n;
    CU_ASSERT_EQUAL_FATAL(zhs_normalize("", 0, ZHS_NORM_OFFSETS, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(n.nbytes, 0);
    ZHS_ASSERT_STR(n.text, "");
    zhs_normalized_release(&n);
    ASSERT_NORM("", "");
}

static void bad_arguments_are_refused(void)
{
    zhs_normalized_t n;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_normalize(NULL, 3, 0, &n, &err), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_normalize("abc", 3, 1u << 7, &n, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_PTR_NULL(n.text);
    CU_ASSERT_EQUAL(zhs_normalize("abc", 3, 0, NULL, NULL), ZHS_ERR_BAD_ARG);
    char *s = (char *)"x";
    CU_ASSERT_EQUAL(zhs_normalize_str(NULL, &s, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(zhs_normalize_str("x", NULL, NULL), ZHS_ERR_BAD_ARG);
}

static void init_twice_is_ok(void)
{
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_analyzer_init(&err), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_analyzer_init(&err), ZHS_OK);
    CU_ASSERT_EQUAL(err.status, ZHS_OK);
}

/* ---------------------------------------------------------------- the offset map */

/* The original bytes that the normalized range [a, b) came from, as a new string. */
static char *original_of(const zhs_normalized_t *n, const char *orig, size_t a, size_t b)
{
    size_t from = n->src_start[a], to = n->src_end[b - 1];
    char *s = malloc(to - from + 1);
    memcpy(s, orig + from, to - from);
    s[to - from] = '\0';
    return s;
}

/* Finds `needle` in the normalized text and returns the original bytes it came from. */
static char *original_of_found(const zhs_normalized_t *n, const char *orig, const char *needle)
{
    const char *hit = strstr(n->text, needle);
    if (!hit)
        return strdup("(not found)");
    size_t a = (size_t)(hit - n->text);
    return original_of(n, orig, a, a + strlen(needle));
}

/* Each case: an original text, its normalized form, then pairs of a piece of the
 * normalized text and the original bytes it must map back to. */
static const struct {
    const char *orig, *normalized, *pieces[12];
} offset_cases[] = {
    {"加強與珠三角", "加强与珠三角",
     {"珠三角", "珠三角", "与", "與", "强与珠", "強與珠", "加强与珠三角", "加強與珠三角"}},
    {"见ＩＣＰ備，第㈠条", "见icp备,第(一)条",
     {"icp", "ＩＣＰ", "c", "Ｃ", "备,", "備，",
      "一", "㈠",                        /* every byte of (一) comes from ㈠ */
      "(一)条", "㈠条"}},
    {"a\xE2\x80\x8B" "b知", "ab知", {"b知", "b知", "ab", "a\xE2\x80\x8B" "b"}},
};

static void offset_map_returns_original_bytes(void)
{
    for (size_t c = 0; c < sizeof offset_cases / sizeof offset_cases[0]; c++) {
        const char *orig = offset_cases[c].orig;
        zhs_normalized_t n;
        CU_ASSERT_EQUAL_FATAL(zhs_normalize(orig, strlen(orig), ZHS_NORM_OFFSETS, &n, NULL), ZHS_OK);
        ZHS_ASSERT_STR(n.text, offset_cases[c].normalized);
        for (const char *const *p = offset_cases[c].pieces; *p; p += 2) {
            char *got = original_of_found(&n, orig, p[0]);
            ZHS_ASSERT_STR(got, p[1]);
            free(got);
        }
        zhs_normalized_release(&n);
    }
}

/* ---------------------------------------------------------------- Han beyond the BMP */

static void extension_b_and_compatibility_ideographs_are_han(void)
{
    CU_ASSERT_TRUE(zhs_is_han(0x20BB7));     /* 𠮷, Extension B */
    CU_ASSERT_TRUE(zhs_is_han(0x3400));      /* Extension A */
    CU_ASSERT_TRUE(zhs_is_han(0x4E00));
    CU_ASSERT_TRUE(zhs_is_han(0x9FA5));
    CU_ASSERT_TRUE(zhs_is_han(0xF900));      /* compatibility ideograph */
    CU_ASSERT_TRUE(zhs_is_han(0x2F800));     /* compatibility supplement */
    CU_ASSERT_TRUE(zhs_is_han(0x31350));     /* Extension H */
    CU_ASSERT_TRUE(zhs_is_han(0x3007));      /* 〇 */
    CU_ASSERT_FALSE(zhs_is_han('a'));
    CU_ASSERT_FALSE(zhs_is_han(0x3001));     /* 、 */
    CU_ASSERT_FALSE(zhs_is_han(0x3014));     /* 〔 */
    CU_ASSERT_FALSE(zhs_is_han(0xFF08));     /* （ */
    CU_ASSERT_FALSE(zhs_is_han(0x2F00));     /* ⼀ Kangxi radical: NFKC turns it into 一 */
    CU_ASSERT_FALSE(zhs_is_han(0x40000));
}

static void compatibility_ideographs_fold_to_unified_ones(void)
{
    ASSERT_NORM("\xEF\xA4\x80", "岂");            /* U+F900 -> U+8C48 豈 -> 岂 */
    ASSERT_NORM("\xF0\xAF\xA0\x80", "丽");        /* U+2F800 -> U+4E3D 丽 */
    ASSERT_NORM("\xE2\xBC\x80", "一");            /* U+2F00 Kangxi radical one */
    ASSERT_NORM("𠮷野家", "𠮷野家");              /* Extension B passes through */
}

/* ---------------------------------------------------------------- whole-table checks */

/* Every code point except the surrogates, each followed by nothing: the whole code
 * space as one valid UTF-8 text. *offsets gets each code point's byte offset. */
static char *all_code_points(size_t *nbytes, size_t **offsets, uint32_t *ncps)
{
    char *s = malloc(0x110000 * 4 + 1);
    size_t *off = malloc(0x110000 * sizeof *off), n = 0;
    uint32_t k = 0;
    for (uint32_t cp = 0; cp < 0x110000; cp++) {
        if (cp >= 0xD800 && cp < 0xE000)
            continue;
        off[k++] = n;
        n += encode(cp, s + n);
    }
    s[n] = '\0';
    *nbytes = n;
    *offsets = off;
    *ncps = k;
    return s;
}

static bool contains_han(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                (utf8proc_ssize_t)(n - i), &cp);
        if (len <= 0)
            return true;
        if (zhs_is_han((uint32_t)cp))
            return true;
        i += (size_t)len;
    }
    return false;
}

/* Outside Han, the table must hold exactly what utf8proc_map gives for each code point
 * (planes 4-16 are not in the table at all, so this also checks that claim); the
 * offset map must attribute every output byte to the code point that produced it. */
static void every_non_han_code_point_normalizes_as_utf8proc_map(void)
{
    size_t nbytes, *off;
    uint32_t ncps;
    char *all = all_code_points(&nbytes, &off, &ncps);
    zhs_normalized_t n;
    CU_ASSERT_EQUAL_FATAL(zhs_normalize(all, nbytes, ZHS_NORM_OFFSETS, &n, NULL), ZHS_OK);
    size_t o = 0, mismatches = 0, han_results = 0;
    for (uint32_t k = 0; k < ncps; k++) {
        size_t from = o;
        while (o < n.nbytes && n.src_start[o] == off[k]) {
            if (n.src_end[o] != (k + 1 < ncps ? off[k + 1] : nbytes))
                mismatches++;
            o++;
        }
        utf8proc_uint8_t *want = NULL;
        utf8proc_ssize_t wlen = utf8proc_map((const utf8proc_uint8_t *)all + off[k],
                                             (utf8proc_ssize_t)((k + 1 < ncps ? off[k + 1] : nbytes) - off[k]),
                                             &want, NORM_OPTIONS);
        if (wlen < 0) {
            mismatches++;
        } else if (contains_han((const char *)want, (size_t)wlen)) {
            han_results++;
        } else if ((size_t)wlen != o - from || memcmp(want, n.text + from, o - from) != 0) {
            if (mismatches < 5)
                fprintf(stderr, "\nat byte %zu: got \"%.*s\", utf8proc \"%s\"\n", off[k],
                        (int)(o - from), n.text + from, want);
            mismatches++;
        }
        free(want);
    }
    CU_ASSERT_EQUAL(o, n.nbytes);
    CU_ASSERT_EQUAL(mismatches, 0);
    /* URO, Ext A, B..H, compatibility, Kangxi radicals, ㈠-like: a sanity floor. */
    CU_ASSERT_TRUE(han_results > 90000);
    zhs_normalized_release(&n);
    free(all);
    free(off);
}

/* Normalizing normalized text changes nothing (stored names are re-used as queries). */
static void normalization_is_idempotent_on_every_code_point(void)
{
    size_t nbytes, *off;
    uint32_t ncps;
    char *all = all_code_points(&nbytes, &off, &ncps);
    zhs_normalized_t once, twice;
    CU_ASSERT_EQUAL_FATAL(zhs_normalize(all, nbytes, 0, &once, NULL), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(zhs_normalize(once.text, once.nbytes, 0, &twice, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(once.nbytes, twice.nbytes);
    CU_ASSERT_TRUE(once.nbytes == twice.nbytes && memcmp(once.text, twice.text, once.nbytes) == 0);
    zhs_normalized_release(&once);
    zhs_normalized_release(&twice);
    free(all);
    free(off);
}

/* ---------------------------------------------------------------- tokenization */

typedef struct {
    char buf[2048];
    size_t len, count, stop_after;
    size_t starts[16];
    bool bad_term;
    const char *norm;
} collect_t;

static const char *kind_name(zhs_token_kind_t kind)
{
    return kind == ZHS_TOKEN_WORD ? "W" : kind == ZHS_TOKEN_UNIGRAM ? "U" : "B";
}

/* Appends "term:KINDpos" (space-separated) and checks that term points into the text. */
static int collect(void *ctx, const zhs_token_t *t)
{
    collect_t *c = ctx;
    if (t->term != c->norm + t->start)
        c->bad_term = true;
    if (c->count < sizeof c->starts / sizeof c->starts[0])
        c->starts[c->count] = t->start;
    c->len += (size_t)snprintf(c->buf + c->len, sizeof c->buf - c->len, "%s%.*s:%s%u",
                               c->count ? " " : "", (int)t->nbytes, t->term,
                               kind_name(t->kind), (unsigned)t->pos);
    c->count++;
    return c->stop_after && c->count >= c->stop_after;
}

/* Normalizes s and tokenizes it: the token list as one string, "(error)" on failure. */
static char *tokens_of(const char *s)
{
    zhs_normalized_t n;
    if (zhs_normalize(s, strlen(s), 0, &n, NULL) != ZHS_OK)
        return strdup("(error)");
    collect_t c = {.norm = n.text};
    zhs_tokenize(n.text, n.nbytes, collect, &c);
    zhs_normalized_release(&n);
    return strdup(c.bad_term ? "(term outside the text)" : c.buf);
}

#define ASSERT_TOKENS(in, expected) ASSERT_FREED_STR(tokens_of(in), expected)

static void han_run_gives_unigrams_and_overlapping_bigrams(void)
{
    ASSERT_TOKENS("知识产权", "知:U0 知识:B0 识:U1 识产:B1 产:U2 产权:B2 权:U3");
}

static void traditional_and_simplified_give_identical_tokens(void)
{
    ASSERT_TOKENS("知識產權", "知:U0 知识:B0 识:U1 识产:B1 产:U2 产权:B2 权:U3");
}

static void full_width_text_gives_ascii_words(void)
{
    ASSERT_TOKENS("２０１６", "2016:W0");
    ASSERT_TOKENS("2016", "2016:W0");
    ASSERT_TOKENS("ＩＣＰ", "icp:W0");
    ASSERT_TOKENS("（一）", "一:U0");
}

static void positions_continue_across_script_changes(void)
{
    ASSERT_TOKENS("穗府〔2016〕13号", "穗:U0 穗府:B0 府:U1 2016:W2 13:W3 号:U4");
    ASSERT_TOKENS("粤ICP备12345号-1",
                  "粤:U0 icp:W1 备:U2 12345:W3 号:U4 1:W5");
}

static void one_character_run_gives_only_its_unigram(void)
{
    ASSERT_TOKENS("的", "的:U0");
    ASSERT_TOKENS("a的b", "a:W0 的:U1 b:W2");
    ASSERT_TOKENS("一、二", "一:U0 二:U1");
}

static void dot_stays_inside_a_word_only_between_digits(void)
{
    ASSERT_TOKENS("工业4.0时代", "工:U0 工业:B0 业:U1 4.0:W2 时:U3 时代:B3 代:U4");
    ASSERT_TOKENS("v1.2.3", "v1.2.3:W0");
    ASSERT_TOKENS("4.x", "4:W0 x:W1");
    ASSERT_TOKENS("2016.", "2016:W0");
    ASSERT_TOKENS(".5", "5:W0");
    ASSERT_TOKENS("a.b", "a:W0 b:W1");
    ASSERT_TOKENS("第a.1条", "第:U0 a:W1 1:W2 条:U3");
}

static void letters_of_other_scripts_make_words(void)
{
    ASSERT_TOKENS("Café RÉSUMÉ", "café:W0 résumé:W1");
    ASSERT_TOKENS("Москва", "москва:W0");
}

static void empty_or_punctuation_only_text_gives_no_token(void)
{
    ASSERT_TOKENS("", "");
    ASSERT_TOKENS("，。、（）《》 \t\n", "");
    collect_t c = {.norm = ""};
    zhs_tokenize(NULL, 5, collect, &c);
    zhs_tokenize("abc", 3, NULL, NULL);
    CU_ASSERT_EQUAL(c.count, 0);
}

static void extension_b_and_compatibility_ideographs_are_searchable(void)
{
    ASSERT_TOKENS("𠮷野家", "𠮷:U0 𠮷野:B0 野:U1 野家:B1 家:U2");
    ASSERT_TOKENS("\xEF\xA4\x80", "岂:U0");          /* U+F900, compatibility form of 豈 */
    ASSERT_TOKENS("豈", "岂:U0");
}

static void tokens_carry_byte_offsets_into_the_text(void)
{
    collect_t c = {.norm = "ab 知识,x"};
    zhs_tokenize(c.norm, strlen(c.norm), collect, &c);
    CU_ASSERT_FALSE(c.bad_term);
    ZHS_ASSERT_STR(c.buf, "ab:W0 知:U1 知识:B1 识:U2 x:W3");
    CU_ASSERT_EQUAL(c.count, 5);
    size_t want[] = {0, 3, 3, 6, 10};
    for (size_t k = 0; k < 5; k++)
        CU_ASSERT_EQUAL(c.starts[k], want[k]);
}

static void callback_can_stop_tokenization(void)
{
    collect_t c = {.norm = "知识产权", .stop_after = 3};
    zhs_tokenize(c.norm, strlen(c.norm), collect, &c);
    CU_ASSERT_EQUAL(c.count, 3);
    ZHS_ASSERT_STR(c.buf, "知:U0 知识:B0 识:U1");
    collect_t w = {.norm = "a b c", .stop_after = 1};
    zhs_tokenize(w.norm, strlen(w.norm), collect, &w);
    ZHS_ASSERT_STR(w.buf, "a:W0");
}

/* ---------------------------------------------------------------- match keys */

/* The match key of s after normalization, "(error)" on failure. */
static char *key_of(const char *s)
{
    char *n = norm(s), *key = NULL;
    if (zhs_match_key(n, strlen(n), &key, NULL) != ZHS_OK)
        key = strdup("(error)");
    free(n);
    return key;
}

#define ASSERT_KEY(in, expected) ASSERT_FREED_STR(key_of(in), expected)

static void match_key_joins_runs_with_one_space(void)
{
    ASSERT_KEY("穗府〔2016〕13号", "穗府 2016 13号");
    ASSERT_KEY("  知識產權，  ", "知识产权");
    ASSERT_KEY("粤ＩＣＰ备12345号-1", "粤icp备12345号 1");
    ASSERT_KEY("工业4.0，时代", "工业4.0 时代");
    ASSERT_KEY("a, b;;\tc", "a b c");
    ASSERT_KEY("（一）加强", "一 加强");
    ASSERT_KEY("", "");
    ASSERT_KEY("。。", "");
}

static void match_key_refuses_null_arguments(void)
{
    char *key = (char *)"x";
    CU_ASSERT_EQUAL(zhs_match_key(NULL, 3, &key, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_PTR_NULL(key);
    CU_ASSERT_EQUAL(zhs_match_key("a", 1, NULL, NULL), ZHS_ERR_BAD_ARG);
}

/* Each case: haystack key, needle key, expected. */
static const struct {
    const char *haystack, *needle;
    bool found;
} contains_cases[] = {
    {"穗府 2016 13号", "2016", true},
    {"穗府 2016 13号", "府 2016", true},
    {"穗府 2016 13号", "2016 13号", true},
    {"穗府 2016 13号", "穗府 2016 13号", true},
    {"穗府 2016 13号", "号", true},
    {"穗府 2016 13号", "13号", true},
    {"穗府 2016 13号", "", true},
    {"穗府 2016 13号", "201", false},          /* part of a word */
    {"穗府 2016 13号", "016", false},
    {"穗府 2016 13号", "3号", false},
    {"穗府 2016 13号", "府2016", false},       /* the text had something between */
    {"穗府 2016 13号", "穗府 2016 13号 x", false},
    {"粤icp备12345号", "icp", true},            /* a Han neighbour is a word edge */
    {"粤icp备12345号", "粤icp备", true},
    {"粤icp备12345号", "ic", false},
    {"粤icp备12345号", "cp", false},
    {"icpx icp", "icp", true},                  /* a later occurrence has whole-word edges */
    {"icpx icpy", "icp", false},
    {"工业4.0 时代", "4.0", true},
    {"工业4.0 时代", "4", false},
    {"工业4.0 时代", "0 时代", false},
    {"工业4.0 时代", "业4.0", true},
    {"café", "caf", false},
    {"知识产权", "识产", true},                 /* Han has no word edges */
    {"", "a", false},
};

static void key_contains_respects_word_edges(void)
{
    for (size_t k = 0; k < sizeof contains_cases / sizeof contains_cases[0]; k++) {
        bool got = zhs_key_contains(contains_cases[k].haystack, contains_cases[k].needle);
        if (got != contains_cases[k].found)
            fprintf(stderr, "\nzhs_key_contains(\"%s\", \"%s\") gave %d\n",
                    contains_cases[k].haystack, contains_cases[k].needle, got);
        CU_ASSERT_EQUAL(got, contains_cases[k].found);
    }
    CU_ASSERT_FALSE(zhs_key_contains(NULL, "a"));
    CU_ASSERT_FALSE(zhs_key_contains("a", NULL));
}

/* A phrase typed in another script or width still occurs in the passage's key. */
static void phrase_key_occurs_in_passage_key_across_forms(void)
{
    char *passage = key_of("廣州市知識產權局：穗府〔2016〕13號文件，ICP備案。");
    char *phrase = key_of("知识产权局");
    char *number = key_of("２０１６〕１３号");
    char *icp = key_of("icp备案");
    char *split = key_of("知识 产权");
    CU_ASSERT_TRUE(zhs_key_contains(passage, phrase));
    CU_ASSERT_TRUE(zhs_key_contains(passage, number));
    CU_ASSERT_TRUE(zhs_key_contains(passage, icp));
    CU_ASSERT_FALSE(zhs_key_contains(passage, split));
    free(passage);
    free(phrase);
    free(number);
    free(icp);
    free(split);
}

/* ---------------------------------------------------------------- threads */

#define THREADS 4

static const char thread_text[] = "廣州市知識產權局：穗府〔2016〕13號，ＩＣＰ備案；加強與珠三角合作。";

/* Normalizes and keys thread_text many times; returns the key (or NULL on a mismatch). */
static void *normalize_repeatedly(void *arg)
{
    (void)arg;
    char *first = NULL;
    for (int round = 0; round < 200; round++) {
        char *key = key_of(thread_text);
        if (!first) {
            first = key;
            continue;
        }
        bool same = strcmp(first, key) == 0;
        free(key);
        if (!same) {
            free(first);
            return NULL;
        }
    }
    return first;
}

static void threads_normalize_and_key_alike(void)
{
    pthread_t t[THREADS];
    for (int k = 0; k < THREADS; k++)
        CU_ASSERT_EQUAL_FATAL(pthread_create(&t[k], NULL, normalize_repeatedly, NULL), 0);
    for (int k = 0; k < THREADS; k++) {
        void *key = NULL;
        pthread_join(t[k], &key);
        ZHS_ASSERT_STR(key, "广州市知识产权局 穗府 2016 13号 icp备案 加强与珠三角合作");
        free(key);
    }
}

static CU_TestInfo analyzer_tests[] = {
    {"valid UTF-8 including NUL and edge code points passes", valid_utf8_including_nul_and_edge_code_points_passes},
    {"invalid UTF-8 reports offset of first bad sequence", invalid_utf8_reports_offset_of_first_bad_sequence},
    {"Traditional and Simplified normalize alike", traditional_and_simplified_normalize_alike},
    {"full-width forms fold to ASCII", full_width_forms_fold_to_ascii},
    {"Latin case folds", latin_case_folds},
    {"one character may normalize to several", one_character_may_normalize_to_several},
    {"invisible characters are removed", invisible_characters_are_removed},
    {"ASCII text keeps its bytes and NUL", ascii_text_keeps_its_bytes_and_nul},
    {"empty text normalizes to empty string", empty_text_normalizes_to_empty_string},
    {"bad arguments are refused", bad_arguments_are_refused},
    {"init twice is OK", init_twice_is_ok},
    {"offset map returns original bytes", offset_map_returns_original_bytes},
    {"Extension B and compatibility ideographs are Han", extension_b_and_compatibility_ideographs_are_han},
    {"compatibility ideographs fold to unified ones", compatibility_ideographs_fold_to_unified_ones},
    {"every non-Han code point normalizes as utf8proc_map", every_non_han_code_point_normalizes_as_utf8proc_map},
    {"normalization is idempotent on every code point", normalization_is_idempotent_on_every_code_point},
    {"Han run gives unigrams and overlapping bigrams", han_run_gives_unigrams_and_overlapping_bigrams},
    {"Traditional and Simplified give identical tokens", traditional_and_simplified_give_identical_tokens},
    {"full-width text gives ASCII words", full_width_text_gives_ascii_words},
    {"positions continue across script changes", positions_continue_across_script_changes},
    {"one-character run gives only its unigram", one_character_run_gives_only_its_unigram},
    {"dot stays inside a word only between digits", dot_stays_inside_a_word_only_between_digits},
    {"letters of other scripts make words", letters_of_other_scripts_make_words},
    {"empty or punctuation-only text gives no token", empty_or_punctuation_only_text_gives_no_token},
    {"Extension B and compatibility ideographs are searchable", extension_b_and_compatibility_ideographs_are_searchable},
    {"tokens carry byte offsets into the text", tokens_carry_byte_offsets_into_the_text},
    {"callback can stop tokenization", callback_can_stop_tokenization},
    {"match key joins runs with one space", match_key_joins_runs_with_one_space},
    {"match key refuses NULL arguments", match_key_refuses_null_arguments},
    {"key contains respects word edges", key_contains_respects_word_edges},
    {"phrase key occurs in passage key across forms", phrase_key_occurs_in_passage_key_across_forms},
    {"threads normalize and key alike", threads_normalize_and_key_alike},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"analyzer", init_suite, NULL, NULL, NULL, analyzer_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
