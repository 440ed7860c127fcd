/* Match keys: normalized text reduced to its runs (Han runs and words) so that phrase
 * occurrence is a substring test with word edges (see analyzer.h). The runs come from
 * zhs_tokenize itself, so keys and index terms can never disagree on what a run is. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bytefind.h"
#include "query.h"
#include "utf8.h"
#include "zhsearch/analyzer.h"

typedef struct {
    char *key;
    size_t nbytes;
    size_t prev_end;       /* end of the previous run's last character, in the text */
    bool any;
} key_builder_t;

/* Unigrams and words together cover every character of every run, in order; a gap
 * between one and the next means the text had something else there. */
static int key_add(void *ctx, const zhs_token_t *tok)
{
    key_builder_t *k = ctx;
    if (tok->kind == ZHS_TOKEN_BIGRAM)
        return 0;
    if (k->any && tok->start != k->prev_end)
        k->key[k->nbytes++] = ' ';
    memcpy(k->key + k->nbytes, tok->term, tok->nbytes);
    k->nbytes += tok->nbytes;
    k->prev_end = tok->start + tok->nbytes;
    k->any = true;
    return 0;
}

zhs_status_t zhs_match_key(const char *norm, size_t nbytes, char **out, zhs_error_t *err)
{
    if (!out)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_match_key: NULL output");
    *out = NULL;
    if (!norm && nbytes)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_match_key: NULL text of %zu bytes", nbytes);
    /* A key is never longer than its text: each space stands for at least one byte. */
    key_builder_t k = {.key = malloc(nbytes + 1)};
    if (!k.key)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "no memory for a %zu-byte match key", nbytes);
    zhs_tokenize(norm ? norm : "", nbytes, key_add, &k);
    k.key[k.nbytes] = '\0';
    *out = k.key;
    return ZHS_OK;
}

/* Is the character at p (before end) part of a word? In a key anything that is not a
 * space or Han belongs to a word, `.` included (a key keeps `.` only inside `4.0`). */
static bool key_word_char(const char *p, const char *end)
{
    uint32_t cp;
    if (p >= end || *p == ' ')
        return false;
    size_t len = utf8_decode((const unsigned char *)p, (size_t)(end - p), &cp);
    return !len || !zhs_is_han(cp);
}

/* The start of the character that ends just before p (p > start). */
static const char *char_before(const char *start, const char *p)
{
    do
        p--;
    while (p > start && ((unsigned char)*p & 0xC0) == 0x80);
    return p;
}

/* The end of the character at p for key_word_char: keys are NUL-terminated, and a
 * character is at most 4 bytes, so the haystack is never measured as a whole. */
static const char *char_end_bound(const char *p)
{
    return p + strnlen(p, 4);
}

bool zhs_key_contains(const char *haystack, const char *needle)
{
    return haystack && zhs_key_contains_n(haystack, strlen(haystack), needle);
}

bool zhs_key_contains_n(const char *haystack, size_t hay_len, const char *needle)
{
    if (!haystack || !needle)
        return false;
    size_t nn = strlen(needle);
    if (nn == 0)
        return true;
    const char *nend = needle + nn;
    bool word_first = key_word_char(needle, nend);
    bool word_last = key_word_char(char_before(needle, nend), nend);
    /* Matches are only at character starts: a UTF-8 lead byte never equals a
     * continuation byte. */
    const char *hend = haystack + hay_len;
    for (const char *p = haystack;
         (p = zhs_find_bytes(p, (size_t)(hend - p), needle, nn)) != NULL; p++) {
        if (word_first && p > haystack) {
            const char *before = char_before(haystack, p);
            if (key_word_char(before, char_end_bound(before)))
                continue;
        }
        if (word_last && key_word_char(p + nn, char_end_bound(p + nn)))
            continue;
        return true;
    }
    return false;
}
