/* Text normalization: per character, NFKC + case folding + removal of default-ignorable
 * characters (utf8proc), then Traditional -> Simplified (OpenCC's t2s character table),
 * precomputed once into a code-point table so the hot loop is a decode and a lookup.
 *
 * Why per character: every normalized byte then comes from exactly one original
 * character, which is what the offset map (highlights on the original Traditional text)
 * needs, and the query side and the index side apply the very same function. The price:
 * NFKC's composition across characters (`e` + U+0301 -> `é`) does not happen; Chinese
 * policy text practically never carries decomposed sequences.
 *
 * Why UTF8PROC_IGNORE on top of NFKC + case folding: scraped web text carries BOMs,
 * zero-width spaces and soft hyphens inside words, and variation selectors after Han
 * characters; kept, they would split words and Han runs into different terms.
 *
 * Measured on the shared 2-core build machine (bench/bench_analyzer.c, one core, the
 * seed corpus repeated to 100 MB): building the table takes 40-46 ms, most of it in
 * OpenCC converting ~97k Han characters in one call (one call per character would take
 * about three times as long, ~1 us a call), the rest in utf8proc (~260k code points). Normalizing runs at ~700 MB/s,
 * ~540 MB/s with the offset map on passage-sized calls; normalizing + tokenizing at
 * ~255 MB/s. */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <opencc/opencc.h>
#include <utf8proc.h>

#include "zhsearch/analyzer.h"
#include "utf8.h"

/* Planes 0-3: every Han block, and every code point that NFKC or case folding changes.
 * Above them (planes 4-16) the only change is the removal of default-ignorable code
 * points (tags and variation selectors of plane 14), done without the table;
 * tests/test_analyzer.c checks that claim against utf8proc for every code point. */
#define TABLE_CPS 0x40000u

/* A table entry is the UTF-8 form of the one code point a character normalizes to
 * (padded with zeros), so the loop copies four bytes and advances by the lead byte's
 * length. A lead byte of 0xFF (never in UTF-8) marks anything else (several code points,
 * or none): the other three bytes are an offset into the pool, where a length byte is
 * followed by that many bytes. */
#define POOL_MARK 0xFFu
#define POOL_MAX_OFFSET 0xFFFFFFu

/* The longest normalization of one code point (U+FDFA: 18 code points, 33 bytes);
 * checked while building. */
#define MAX_CHAR_BYTES 80
#define MAX_CHAR_CPS (MAX_CHAR_BYTES / 4)

/* Free space the loop keeps beyond one output byte per remaining input byte: one
 * character's longest normalization, the four-byte copy and the terminating NUL. */
#define OUT_SLACK (MAX_CHAR_BYTES + 8)

/* OpenCC maps a few characters to characters it maps again (薴 -> 苧 -> 苎); following
 * such chains makes normalization idempotent, so re-normalizing normalized text (a
 * stored name used as a query) changes nothing. */
#define T2S_MAX_STEPS 4

#define NORM_OPTIONS \
    (UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STABLE | UTF8PROC_IGNORE)

static unsigned char norm_table[TABLE_CPS][4];
static unsigned char *norm_pool;
static size_t norm_pool_len, norm_pool_cap;
static pthread_once_t norm_once = PTHREAD_ONCE_INIT;
static zhs_error_t norm_init_err;   /* status ZHS_OK once the table is ready */

/* ---------------------------------------------------------------- building the table */

static bool is_surrogate(uint32_t cp)
{
    return cp >= 0xD800 && cp < 0xE000;
}

/* NFKC + case folding + ignorables of one code point, exactly as utf8proc_map does it
 * (decompose, then normalize/compose), but into a caller buffer: 260k calls to
 * utf8proc_map would spend more time in malloc/free than in Unicode. */
static utf8proc_ssize_t nfkc_casefold(uint32_t cp, utf8proc_int32_t *buf, utf8proc_ssize_t cap)
{
    unsigned char u[4];
    size_t n = utf8_encode(cp, u);
    utf8proc_ssize_t len = utf8proc_decompose_custom(u, (utf8proc_ssize_t)n, buf, cap,
                                                     NORM_OPTIONS, NULL, NULL);
    if (len < 0 || len > cap)
        return -1;
    return utf8proc_normalize_utf32(buf, len, NORM_OPTIONS);
}

/* The Han characters worth asking OpenCC about: assigned, and possible NFKC output
 * (compatibility ideographs decompose to unified ones, which are asked instead). */
static bool t2s_candidate(uint32_t cp)
{
    if (!zhs_is_han(cp))
        return false;
    const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
    return p->category != UTF8PROC_CATEGORY_CN && p->decomp_seqindex == UINT16_MAX;
}

/* Fills t2s[cp] (zero: unchanged) from OpenCC's t2s conversion. All candidates go
 * through ONE opencc_convert_utf8 call, one per line: OpenCC's per-call cost dominates
 * otherwise, and the newline keeps its phrase table from matching across characters,
 * so what comes back is its character table. A result is kept only when it is exactly
 * one character. */
static zhs_status_t build_t2s(uint32_t *t2s, zhs_error_t *err)
{
    opencc_t cc = opencc_open(ZHS_OPENCC_DATA_DIR "/t2s.json");
    if (cc == (opencc_t)-1)
        return zhs_error_set(err, ZHS_ERR_IO, "cannot load OpenCC %s: %s",
                             ZHS_OPENCC_DATA_DIR "/t2s.json", opencc_error());
    zhs_status_t st = ZHS_OK;
    char *in = malloc((size_t)TABLE_CPS * 5 + 1), *out = NULL;
    size_t n = 0;
    if (!in) {
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "no memory for the OpenCC input");
        goto done;
    }
    for (uint32_t cp = 0; cp < TABLE_CPS; cp++)
        if (t2s_candidate(cp)) {
            n += utf8_encode(cp, (unsigned char *)in + n);
            in[n++] = '\n';
        }
    in[n] = '\0';
    out = opencc_convert_utf8(cc, in, n);
    if (!out) {
        st = zhs_error_set(err, ZHS_ERR_INTERNAL, "OpenCC conversion failed: %s", opencc_error());
        goto done;
    }
    const char *p = out;
    for (uint32_t cp = 0; cp < TABLE_CPS; cp++) {
        if (!t2s_candidate(cp))
            continue;
        const char *eol = strchr(p, '\n');
        if (!eol) {
            st = zhs_error_set(err, ZHS_ERR_INTERNAL, "OpenCC output ends early at U+%04X", cp);
            goto done;
        }
        uint32_t to;
        size_t len = utf8_decode((const unsigned char *)p, (size_t)(eol - p), &to);
        if (len && len == (size_t)(eol - p) && to != cp)
            t2s[cp] = to;
        p = eol + 1;
    }
done:
    if (out)
        opencc_convert_utf8_free(out);
    free(in);
    opencc_close(cc);
    return st;
}

static uint32_t t2s_resolve(const uint32_t *t2s, uint32_t cp)
{
    for (int k = 0; k < T2S_MAX_STEPS && cp < TABLE_CPS && t2s[cp]; k++)
        cp = t2s[cp];
    return cp;
}

static zhs_status_t pool_add(const unsigned char *bytes, size_t n, size_t *offset,
                             zhs_error_t *err)
{
    if (norm_pool_len + n + 1 > norm_pool_cap) {
        size_t cap = norm_pool_cap ? norm_pool_cap * 2 : 16384;
        unsigned char *p = realloc(norm_pool, cap);
        if (!p)
            return zhs_error_set(err, ZHS_ERR_NOMEM, "no memory for the normalization pool");
        norm_pool = p;
        norm_pool_cap = cap;
    }
    if (norm_pool_len > POOL_MAX_OFFSET)
        return zhs_error_set(err, ZHS_ERR_INTERNAL, "normalization pool over 16 MiB");
    *offset = norm_pool_len;
    norm_pool[norm_pool_len++] = (unsigned char)n;
    memcpy(norm_pool + norm_pool_len, bytes, n);
    norm_pool_len += n;
    return ZHS_OK;
}

/* Normalizes code point cp into its table entry (and the pool when needed). */
static zhs_status_t build_entry(uint32_t cp, const uint32_t *t2s, zhs_error_t *err)
{
    utf8proc_int32_t cps[MAX_CHAR_CPS];
    unsigned char bytes[MAX_CHAR_BYTES];
    size_t nbytes = 0;
    utf8proc_ssize_t ncps = nfkc_casefold(cp, cps, MAX_CHAR_CPS);
    if (ncps < 0)
        return zhs_error_set(err, ZHS_ERR_INTERNAL, "utf8proc cannot normalize U+%04X", cp);
    for (utf8proc_ssize_t k = 0; k < ncps; k++) {
        uint32_t c = (uint32_t)cps[k];
        if (zhs_is_han(c))
            c = t2s_resolve(t2s, c);
        nbytes += utf8_encode(c, bytes + nbytes);
    }
    if (ncps == 1) {
        memcpy(norm_table[cp], bytes, nbytes);
        return ZHS_OK;
    }
    size_t offset = 0;
    zhs_status_t st = pool_add(bytes, nbytes, &offset, err);
    if (st != ZHS_OK)
        return st;
    norm_table[cp][0] = POOL_MARK;
    norm_table[cp][1] = (unsigned char)(offset >> 16);
    norm_table[cp][2] = (unsigned char)(offset >> 8);
    norm_table[cp][3] = (unsigned char)offset;
    return ZHS_OK;
}

static zhs_status_t build_table(zhs_error_t *err)
{
    uint32_t *t2s = calloc(TABLE_CPS, sizeof *t2s);
    if (!t2s)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "no memory for the t2s table");
    zhs_status_t st = build_t2s(t2s, err);
    for (uint32_t cp = 0; cp < TABLE_CPS && st == ZHS_OK; cp++)
        if (!is_surrogate(cp))
            st = build_entry(cp, t2s, err);
    free(t2s);
    /* The loop's ASCII path copies norm_table[c][0] as the whole result. */
    for (unsigned c = 0; c < 0x80 && st == ZHS_OK; c++)
        if (norm_table[c][0] >= 0x80 || norm_table[c][1] != 0)
            st = zhs_error_set(err, ZHS_ERR_INTERNAL, "ASCII 0x%02X does not normalize to ASCII", c);
    if (st != ZHS_OK) {
        free(norm_pool);
        norm_pool = NULL;
        norm_pool_len = norm_pool_cap = 0;
    }
    return st;
}

static void build_once(void)
{
    build_table(&norm_init_err);
}

zhs_status_t zhs_analyzer_init(zhs_error_t *err)
{
    if (pthread_once(&norm_once, build_once) != 0)
        return zhs_error_set(err, ZHS_ERR_INTERNAL, "pthread_once failed");
    if (norm_init_err.status != ZHS_OK)
        return zhs_error_set(err, norm_init_err.status, "%s", norm_init_err.message);
    return ZHS_OK;
}

/* ---------------------------------------------------------------- the hot loop */

typedef struct {
    char *text;
    uint32_t *start, *end;
    size_t cap;
} outbuf_t;

static bool outbuf_reserve(outbuf_t *b, size_t need, bool offsets)
{
    if (need <= b->cap)
        return true;
    size_t cap = b->cap * 2 > need ? b->cap * 2 : need;
    if (cap > SIZE_MAX / sizeof(uint32_t))
        return false;
    char *t = realloc(b->text, cap);
    if (!t)
        return false;
    b->text = t;
    if (offsets) {
        uint32_t *s = realloc(b->start, cap * sizeof *s);
        if (!s)
            return false;
        b->start = s;
        uint32_t *e = realloc(b->end, cap * sizeof *e);
        if (!e)
            return false;
        b->end = e;
    }
    b->cap = cap;
    return true;
}

/* Normalizes s[0..n) into b, validating as it decodes. Invariant at the top of the
 * loop: b->cap - o >= (n - i) + OUT_SLACK, so ASCII (one byte in, one byte out) never
 * checks for space and a non-ASCII character checks once, after it is written.
 * Inlined twice, with and without offsets, so the common case carries no offset code. */
static inline zhs_status_t normalize_into(const unsigned char *s, size_t n, bool offsets,
                                          outbuf_t *b, size_t *out_len, zhs_error_t *err)
{
    size_t i = 0, o = 0;
    if (!outbuf_reserve(b, n + OUT_SLACK, offsets))
        return zhs_error_set(err, ZHS_ERR_NOMEM, "no memory for %zu normalized bytes", n);
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            b->text[o] = (char)norm_table[c][0];
            if (offsets) {
                b->start[o] = (uint32_t)i;
                b->end[o] = (uint32_t)i + 1;
            }
            o++;
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp), k;
        if (!len)
            return zhs_error_set_at(err, ZHS_ERR_BAD_UTF8, i,
                                    "invalid UTF-8 sequence at byte %zu", i);
        if (cp < TABLE_CPS && norm_table[cp][0] != POOL_MARK) {
            k = utf8_lead_len(norm_table[cp][0]);
            memcpy(b->text + o, norm_table[cp], 4);
        } else {
            const unsigned char *from = s + i;
            k = len;
            if (cp < TABLE_CPS) {
                const unsigned char *e = norm_table[cp];
                from = norm_pool + ((size_t)e[1] << 16 | (size_t)e[2] << 8 | e[3]);
                k = *from++;
            } else if (utf8proc_get_property((utf8proc_int32_t)cp)->ignorable) {
                k = 0;
            }
            memcpy(b->text + o, from, k);
        }
        if (offsets)
            for (size_t j = 0; j < k; j++) {
                b->start[o + j] = (uint32_t)i;
                b->end[o + j] = (uint32_t)(i + len);
            }
        o += k;
        i += len;
        if (b->cap - o < (n - i) + OUT_SLACK && !outbuf_reserve(b, o + (n - i) + OUT_SLACK, offsets))
            return zhs_error_set(err, ZHS_ERR_NOMEM, "no memory for normalized text");
    }
    b->text[o] = '\0';
    *out_len = o;
    return ZHS_OK;
}

zhs_status_t zhs_normalize(const char *text, size_t nbytes, unsigned flags,
                           zhs_normalized_t *out, zhs_error_t *err)
{
    if (!out)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_normalize: NULL output");
    memset(out, 0, sizeof *out);
    if (!text && nbytes)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_normalize: NULL text of %zu bytes", nbytes);
    if (nbytes > UINT32_MAX)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_normalize: %zu bytes is over 4 GiB", nbytes);
    if (flags & ~(unsigned)ZHS_NORM_OFFSETS)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_normalize: unknown flags 0x%x", flags);
    zhs_status_t st = zhs_analyzer_init(err);
    if (st != ZHS_OK)
        return st;
    outbuf_t b = {0};
    size_t len = 0;
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    if (flags & ZHS_NORM_OFFSETS)
        st = normalize_into(s, nbytes, true, &b, &len, err);
    else
        st = normalize_into(s, nbytes, false, &b, &len, err);
    if (st != ZHS_OK) {
        free(b.text);
        free(b.start);
        free(b.end);
        return st;
    }
    out->text = b.text;
    out->nbytes = len;
    out->src_start = b.start;
    out->src_end = b.end;
    return ZHS_OK;
}

void zhs_normalized_release(zhs_normalized_t *n)
{
    if (!n)
        return;
    free(n->text);
    free(n->src_start);
    free(n->src_end);
    memset(n, 0, sizeof *n);
}

zhs_status_t zhs_normalize_str(const char *text, char **out, zhs_error_t *err)
{
    if (!out)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_normalize_str: NULL output");
    *out = NULL;
    if (!text)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_normalize_str: NULL text");
    zhs_normalized_t n;
    zhs_status_t st = zhs_normalize(text, strlen(text), 0, &n, err);
    if (st == ZHS_OK)
        *out = n.text;
    return st;
}
