/* The parsed query (internal to libzhsearch): an AST built by zhs_qnode_parse from the
 * query language documented in zhsearch/search.h, then analyzed (normalized text and
 * match key of every leaf) by zhs_qnode_analyze and evaluated exactly against a
 * passage by zhs_qnode_eval. */
#ifndef ZHS_LIB_QUERY_H
#define ZHS_LIB_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "zhsearch/status.h"

typedef enum {
    ZHS_QN_TERM = 0,    /* a word as typed, no quotes: `知识产权` (its runs adjacent) */
    ZHS_QN_PHRASE,      /* `"科技 金融"` */
    ZHS_QN_FILTER,      /* `dept:市科技局`, `year:2016..2020` */
    ZHS_QN_AND,
    ZHS_QN_OR,
    ZHS_QN_NOT,         /* exactly one child */
} zhs_qnode_kind_t;

typedef enum {
    ZHS_QF_DEPT = 0,
    ZHS_QF_ISSUER,
    ZHS_QF_SECTION,
    ZHS_QF_YEAR,
} zhs_qfield_t;

/* Year filter: years in [lo, hi]; 0 = open end. unknown = the `unknown` value. */
typedef struct {
    int lo;
    int hi;
    bool unknown;
} zhs_year_range_t;

typedef struct zhs_qnode zhs_qnode_t;
struct zhs_qnode {
    zhs_qnode_kind_t kind;
    size_t offset;           /* byte offset in the query where the node starts */
    char *text;              /* TERM/PHRASE: the text as typed (unquoted); FILTER: the
                                value as typed (NULL for a year filter) */
    zhs_qfield_t field;      /* FILTER */
    zhs_year_range_t years;  /* FILTER on ZHS_QF_YEAR */
    zhs_qnode_t **kids;      /* AND/OR: >= 2; NOT: 1 */
    size_t nkids;

    /* Filled by zhs_qnode_analyze (leaves only). */
    char *norm;              /* normalized text (TERM/PHRASE/FILTER value) */
    char *key;               /* TERM/PHRASE: match key of norm; "" when it holds no
                                searchable run (such leaves are dropped by analyze) */
    bool prefiltered;        /* FILTER already enforced by the index query: eval skips */
    bool synonym;            /* PHRASE added by zhs_qnode_expand for a word */
};

/* Parses q[0..nbytes). *out is the root, or NULL for a query with nothing in it (blank,
 * or only ignorable pieces such as a lone `-` or `()`). Caller frees with
 * zhs_qnode_free. Fails with ZHS_ERR_BAD_QUERY, err->offset the byte offset of the
 * problem. Does not validate UTF-8 (only ASCII bytes and whole UTF-8 sequences of
 * U+3000 and curly quotes are looked at). */
zhs_status_t zhs_qnode_parse(const char *q, size_t nbytes, zhs_qnode_t **out,
                             zhs_error_t *err);

void zhs_qnode_free(zhs_qnode_t *node);

/* Does node (may be NULL: no) or a node below it satisfy pred? */
bool zhs_qnode_any(const zhs_qnode_t *node, bool (*pred)(const zhs_qnode_t *));

/* A fixed-form description of the tree for tests and logs (`AND(知识产权, NOT(税))`,
 * `PHRASE(科技 金融)`, `dept:市科技局`, `year:2016..2020`); uses norm when analyzed.
 * Caller frees with free(); NULL on allocation failure. */
char *zhs_qnode_describe(const zhs_qnode_t *node);

/* The query written back in the query language, with normalized leaves (the
 * "normalized" member of responses). Caller frees with free(). */
char *zhs_qnode_unparse(const zhs_qnode_t *node);

/* Normalizes every leaf (norm, key), drops text leaves without any searchable run and
 * collapses the tree where that leaves an AND/OR with one child or none. *root may
 * become NULL (nothing left). ZHS_ERR_BAD_UTF8 from the analyzer. */
zhs_status_t zhs_qnode_analyze(zhs_qnode_t **root, zhs_error_t *err);

/* Synonyms, at most this many per word (a thesaurus line of more says little). */
#define ZHS_SYNONYMS_PER_WORD 16

/* Calls add(add_ctx, synonym, nbytes) with each synonym (normalized text) of the word
 * whose match key is key; add returns non-zero to stop. */
typedef int (*zhs_synonym_add_fn)(void *add_ctx, const char *synonym, size_t nbytes);
typedef zhs_status_t (*zhs_synonym_lookup_fn)(void *ctx, const char *key,
                                              zhs_synonym_add_fn add, void *add_ctx,
                                              zhs_error_t *err);

/* A copy of the analyzed tree in which every word (TERM leaf, not under a NOT) that
 * has synonyms becomes the OR of itself and its synonyms, each an exact phrase
 * (synonym set): a search widened to what the thesaurus says the words also mean.
 * *out NULL (ZHS_OK) when no word has any. Caller frees with zhs_qnode_free. */
zhs_status_t zhs_qnode_expand(const zhs_qnode_t *root, zhs_synonym_lookup_fn lookup,
                              void *ctx, zhs_qnode_t **out, zhs_error_t *err);

/* The parts of a passage the exact evaluation looks at. */
typedef struct {
    const char *key;               /* match key of the normalized passage text */
    size_t key_len;                /* its bytes; 0: measured with strlen */
    const char *section;           /* normalized section facet value, or NULL */
    const char *const *depts;      /* canonical department names */
    size_t ndepts;
    const char *const *issuers;    /* canonical issuer names of the document */
    size_t nissuers;
    int year;                      /* 0 = unknown */
    size_t relax_window;           /* 0: text leaves must occur exactly; else relaxed:
                                      see zhs_key_near */
} zhs_passage_view_t;

/* Does the passage satisfy the analyzed tree (exactly, unless relax_window)?
 * Prefiltered filters count as true. */
bool zhs_qnode_eval(const zhs_qnode_t *node, const zhs_passage_view_t *p);

/* Relaxed matching: do all the characters (Han characters and words) of the match key
 * needle occur in the match key hay, in order, within a stretch of at most
 * window * (number of characters of needle) characters? */
bool zhs_key_near(const char *hay, size_t hay_len, const char *needle, size_t window);

/* The same with the needle split into its units once, for checking many passages:
 * a needle of more than ZHS_NEAR_MAX_UNITS units is checked by its first ones. */
#define ZHS_NEAR_MAX_UNITS 64
typedef struct {
    const char *s;     /* in the needle */
    size_t n;
    bool word;         /* a word (matches whole words only), else a Han character */
} zhs_key_unit_t;
typedef struct {
    zhs_key_unit_t units[ZHS_NEAR_MAX_UNITS];
    size_t nunits;
    size_t window;
} zhs_near_word_t;
/* needle is borrowed: it must outlive w. */
void zhs_near_word_init(zhs_near_word_t *w, const char *needle, size_t window);
bool zhs_near_word_in(const zhs_near_word_t *w, const char *hay, size_t hay_len);
/* The next near occurrence whose first unit starts at or after byte from of hay (the
 * shortest from there): true with unit_at[k] (unless NULL; room for w->nunits) the
 * offset in hay of the needle's unit k (w->units[k].n bytes), else false. */
bool zhs_near_word_next(const zhs_near_word_t *w, const char *hay, size_t hay_len, size_t from,
                        size_t *unit_at);

/* zhs_key_contains over hay[0..hay_len), a key whose length the caller knows. */
bool zhs_key_contains_n(const char *hay, size_t hay_len, const char *needle);

/* In a match key (Han runs, words, single spaces): is the character at s[i] (before
 * s + n) / the one ending at s[i] part of a word, i.e. neither a space nor Han? */
bool zhs_key_word_at(const char *s, size_t n, size_t i);
bool zhs_key_word_before(const char *s, size_t i);

/* Does a filter value match a canonical name (both normalized)? Equal, or equal after
 * adding the `市` prefix the value omitted. */
bool zhs_filter_name_matches(const char *value, const char *name);

/* Parses a year filter value (`2016`, `2016..2020`, `2016..`, `..2020`, `unknown`).
 * ZHS_ERR_BAD_QUERY with the offset within value on anything else (or lo > hi). */
zhs_status_t zhs_year_range_parse(const char *value, size_t nbytes, zhs_year_range_t *out,
                                  zhs_error_t *err);

bool zhs_year_range_contains(const zhs_year_range_t *r, int year);

#endif
