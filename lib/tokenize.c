/* Tokenization of normalized text: Han runs into unigrams + overlapping bigrams, runs of
 * letters and digits into words, with the positions that let phrase adjacency be
 * checked (see analyzer.h). Terms point into the caller's text; nothing is copied. */
#include "config.h"

#include <utf8proc.h>

#include "zhsearch/analyzer.h"
#include "utf8.h"

typedef enum { CH_END, CH_SEP, CH_HAN, CH_WORD, CH_DOT } ch_class_t;

/* One decoded character of the text. */
typedef struct {
    size_t start, nbytes;
    uint32_t cp;
    ch_class_t cls;
} ch_t;

/* Letters, marks and digits of any script make words, so `café`, Cyrillic or Hangul
 * words stay whole; everything else (punctuation, symbols, spaces, controls) only
 * separates. Only ASCII `.` can sit inside a word, between two digits (`4.0`). */
static ch_class_t classify(uint32_t cp)
{
    if (cp < 0x80) {
        if ((cp | 0x20) - 'a' < 26 || cp - '0' < 10)
            return CH_WORD;
        return cp == '.' ? CH_DOT : CH_SEP;
    }
    if (zhs_is_han(cp))
        return CH_HAN;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return CH_WORD;
    default:
        return CH_SEP;
    }
}

/* The character at byte i. Bytes that do not decode (the text is supposed to be
 * normalized, hence valid) separate, one at a time. */
static ch_t char_at(const unsigned char *s, size_t n, size_t i)
{
    ch_t c = {.start = i, .nbytes = 0, .cp = 0, .cls = CH_END};
    if (i >= n)
        return c;
    c.nbytes = utf8_decode(s + i, n - i, &c.cp);
    if (!c.nbytes) {
        c.nbytes = 1;
        c.cls = CH_SEP;
        return c;
    }
    c.cls = classify(c.cp);
    return c;
}

static bool is_digit(const ch_t *c)
{
    return c->cp - '0' < 10;
}

static int emit(zhs_token_fn fn, void *ctx, const char *norm, size_t start, size_t nbytes,
                zhs_token_kind_t kind, uint32_t pos)
{
    zhs_token_t t = {.term = norm + start, .nbytes = nbytes, .kind = kind, .pos = pos,
                     .start = start};
    return fn(ctx, &t);
}

/* Emits the run of Han characters starting with *c and leaves *c on the character after
 * it. Returns non-zero when the callback asked to stop. */
static int han_run(const char *norm, size_t n, ch_t *c, uint32_t *pos, zhs_token_fn fn, void *ctx)
{
    const unsigned char *s = (const unsigned char *)norm;
    for (;;) {
        ch_t next = char_at(s, n, c->start + c->nbytes);
        if (emit(fn, ctx, norm, c->start, c->nbytes, ZHS_TOKEN_UNIGRAM, *pos))
            return 1;
        if (next.cls == CH_HAN
            && emit(fn, ctx, norm, c->start, c->nbytes + next.nbytes, ZHS_TOKEN_BIGRAM, *pos))
            return 1;
        ++*pos;
        *c = next;
        if (next.cls != CH_HAN)
            return 0;
    }
}

/* Emits the word starting with *c and leaves *c on the character after it. */
static int word_run(const char *norm, size_t n, ch_t *c, uint32_t *pos, zhs_token_fn fn, void *ctx)
{
    const unsigned char *s = (const unsigned char *)norm;
    size_t start = c->start;
    ch_t last = *c;
    for (;;) {
        ch_t next = char_at(s, n, last.start + last.nbytes);
        if (next.cls == CH_WORD) {
            last = next;
            continue;
        }
        if (next.cls == CH_DOT && is_digit(&last)) {
            ch_t after = char_at(s, n, next.start + next.nbytes);
            if (after.cls == CH_WORD && is_digit(&after)) {
                last = after;
                continue;
            }
        }
        *c = next;
        break;
    }
    return emit(fn, ctx, norm, start, last.start + last.nbytes - start, ZHS_TOKEN_WORD, (*pos)++);
}

void zhs_tokenize(const char *norm, size_t nbytes, zhs_token_fn fn, void *ctx)
{
    if (!fn || !norm)
        return;
    const unsigned char *s = (const unsigned char *)norm;
    uint32_t pos = 0;
    ch_t c = char_at(s, nbytes, 0);
    while (c.cls != CH_END) {
        int stop = 0;
        if (c.cls == CH_HAN)
            stop = han_run(norm, nbytes, &c, &pos, fn, ctx);
        else if (c.cls == CH_WORD)
            stop = word_run(norm, nbytes, &c, &pos, fn, ctx);
        else
            c = char_at(s, nbytes, c.start + c.nbytes);
        if (stop)
            return;
    }
}
