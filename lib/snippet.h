/* Highlighting (internal to libzhsearch): where a query's terms and phrases occur in an
 * ORIGINAL text, the snippet window around the densest cluster of them, and HTML with
 * `<mark>` around every match and everything else escaped. */
#ifndef ZHS_LIB_SNIPPET_H
#define ZHS_LIB_SNIPPET_H

#include <stdbool.h>
#include <stddef.h>

#include "zhsearch/status.h"

/* A byte range [start, end) of the original text. */
typedef struct {
    size_t start;
    size_t end;
    size_t key;          /* index of the key that matched (before merging) */
} zhs_span_t;

/* What to highlight: match keys, each with the required part of the query it satisfies
 * (need: the keys of an OR, a word and its synonyms, share one; NULL: each key its
 * own). A key flagged near (NULL: none) is a relaxed word: it is marked by the units
 * (characters, words) of each of its near occurrences (zhs_near_word_next: in order
 * within near_window times its length), the ones the match found it by, so that a
 * 合作 far from 国际 is not, nor the second 创 of 创新创业服务支撑体系. */
typedef struct {
    const char *const *keys;
    size_t nkeys;
    const int *need;
    const bool *near;
    size_t near_window;
} zhs_marks_t;

/* Finds every occurrence of the match keys in text[0..nbytes) (original script;
 * normalized here, so a Simplified key finds Traditional text) with the same rules as
 * zhs_key_contains (a near key by its near occurrences' units).
 * With merge, overlapping and touching spans are joined (their key is that of the
 * first); without, every occurrence is reported. Spans are sorted by start. *spans:
 * caller frees with free() (NULL when none). */
zhs_status_t zhs_marks_find(const char *text, size_t nbytes, const zhs_marks_t *marks,
                            bool merge, zhs_span_t **spans, size_t *nspans, zhs_error_t *err);

/* The match key of text as zhs_match_key builds it, with for every key byte the
 * normalized byte range of the character it stands for (a separating space stands for
 * the gap). Exposed for the test that it agrees with zhs_match_key. */
typedef struct {
    char *key;
    size_t nbytes;
    size_t *nstart;
    size_t *nend;
} zhs_keyed_t;

zhs_status_t zhs_keyed_build(const char *norm, size_t nbytes, zhs_keyed_t *out,
                             zhs_error_t *err);
void zhs_keyed_release(zhs_keyed_t *k);

/* HTML of text[0..nbytes): the sorted, disjoint spans wrapped in <mark>...</mark>,
 * every other byte HTML-escaped (& < > " '). Caller frees *out with free(). */
zhs_status_t zhs_marks_html(const char *text, size_t nbytes, const zhs_span_t *spans,
                            size_t nspans, char **out, zhs_error_t *err);

/* A snippet of at most nchars characters of text: the window holding the most required
 * parts of the query, then the most distinct keys, then the most matches, with `…`
 * where the text is cut (never inside a character), matches marked, the rest escaped.
 * When no window holds every part the text has, two or three windows sharing the
 * length, as few as show every part (at least 20 characters each): the best one, then
 * the best one of the parts those before it lack, in text order. Without any match:
 * the beginning of the text. Caller frees *out with free(). */
zhs_status_t zhs_snippet_make(const char *text, size_t nbytes, const zhs_marks_t *marks,
                              unsigned nchars, char **out, zhs_error_t *err);

#endif
