/* The Chinese analyzer: the ONE piece of code that turns text into index terms, used by
 * the indexer on passages and by the server on queries, so the two never disagree.
 *
 * Pipeline: validate UTF-8 -> normalize each character (NFKC width folding, Traditional
 * to Simplified by OpenCC's character table, Latin case folding), keeping for every
 * normalized byte the byte span of the original character it came from -> tokenize the
 * normalized text into CJK bigrams + unigrams and Latin/digit words.
 *
 * Thread safety: after zhs_analyzer_init() succeeds, every function here may be called
 * from any number of threads at once (the tables are read-only). */
#ifndef ZHSEARCH_ANALYZER_H
#define ZHSEARCH_ANALYZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zhsearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Builds the process-wide normalization tables (once; later calls return ZHS_OK at
 * once). Call before any other function of this header. Fails with ZHS_ERR_IO when
 * OpenCC's data cannot be loaded. Thread-safe. */
zhs_status_t zhs_analyzer_init(zhs_error_t *err);

/* ZHS_OK if s[0..nbytes) is valid UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF, no truncated sequence); else ZHS_ERR_BAD_UTF8 with err->offset the
 * byte offset of the first bad sequence. NUL bytes are valid. */
zhs_status_t zhs_utf8_validate(const char *s, size_t nbytes, zhs_error_t *err);

/* Is code point cp a Han ideograph (any CJK Unified Ideographs block, Extensions A and
 * later, compatibility ideographs, plus U+3007 〇)? */
bool zhs_is_han(uint32_t cp);

/* Normalized text. text is NUL-terminated. When asked for (ZHS_NORM_OFFSETS), for each
 * normalized byte i, [src_start[i], src_end[i]) is the byte span in the ORIGINAL text of
 * the character that produced it; a normalized range [a, b) therefore comes from the
 * original bytes [src_start[a], src_end[b - 1]). Release with zhs_normalized_release. */
typedef struct {
    char *text;
    size_t nbytes;
    uint32_t *src_start;   /* NULL unless ZHS_NORM_OFFSETS */
    uint32_t *src_end;     /* NULL unless ZHS_NORM_OFFSETS */
} zhs_normalized_t;

enum {
    ZHS_NORM_OFFSETS = 1u << 0,   /* fill src_start/src_end */
};

/* Validates and normalizes text[0..nbytes) into *out (which the caller provides;
 * contents owned by the caller afterwards, free with zhs_normalized_release). On
 * failure *out is zeroed and nothing needs releasing. Inputs over 4 GiB are refused. */
zhs_status_t zhs_normalize(const char *text, size_t nbytes, unsigned flags,
                           zhs_normalized_t *out, zhs_error_t *err);

/* Frees the contents of n (not n itself) and zeroes it. NULL-tolerant. */
void zhs_normalized_release(zhs_normalized_t *n);

/* Convenience: the normalized form of a NUL-terminated string as a new string, caller
 * frees with free(). For names and facet values (`財政局` -> `财政局`, `（一）` -> `(一)`). */
zhs_status_t zhs_normalize_str(const char *text, char **out, zhs_error_t *err);

typedef enum {
    ZHS_TOKEN_WORD = 0,      /* a run of Latin letters/digits: `icp`, `2016`, `4.0` */
    ZHS_TOKEN_UNIGRAM,       /* one Han character */
    ZHS_TOKEN_BIGRAM,        /* two adjacent Han characters of one run */
} zhs_token_kind_t;

/* One token. term points INTO the normalized text (borrowed, not NUL-terminated).
 * pos counts tokens' starting characters: a unigram and the bigram starting at the same
 * character share a position; a run's bigrams are pos, pos+1, ...; a word takes one
 * position. Positions increase across runs, so adjacency can be checked. */
typedef struct {
    const char *term;
    size_t nbytes;
    zhs_token_kind_t kind;
    uint32_t pos;
    size_t start;            /* byte offset of the term in the normalized text */
} zhs_token_t;

/* Called once per token in text order; return non-zero to stop early. */
typedef int (*zhs_token_fn)(void *ctx, const zhs_token_t *tok);

/* Tokenizes ALREADY NORMALIZED text: each maximal run of Han characters gives its
 * unigrams and overlapping bigrams (`知识产权` -> 知 知识 识 识产 产 产权 权); runs of
 * letters and digits give words (a `.` between digits stays inside: `4.0`); everything
 * else separates. A run of one Han character gives just its unigram. */
void zhs_tokenize(const char *norm, size_t nbytes, zhs_token_fn fn, void *ctx);

/* The match key of normalized text: its runs (Han runs and words) in order, with one
 * space where the text had anything else between two runs, and nothing where a Han run
 * directly touches a word (`穗府〔2016〕13号` -> `穗府 2016 13号`). A phrase occurs in
 * a passage exactly when its key occurs in the passage's key (see zhs_key_contains).
 * Caller frees with free(). */
zhs_status_t zhs_match_key(const char *norm, size_t nbytes, char **out, zhs_error_t *err);

/* Does the key `needle` occur in the key `haystack`, with a word at either edge of the
 * needle matching only a whole word of the haystack (`ic` is not found in `icp`)?
 * Both are match keys (NUL-terminated). */
bool zhs_key_contains(const char *haystack, const char *needle);

#ifdef __cplusplus
}
#endif

#endif
