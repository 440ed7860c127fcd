/* Inside the searcher (internal to libzhsearch): the searcher's state shared by
 * searcher.c, search.c and search_doc.c, the ranking parameters, and the compiler from a
 * parsed query to a Xapian query (search_compile.c). */
#ifndef ZHS_LIB_SEARCH_INTERNAL_H
#define ZHS_LIB_SEARCH_INTERNAL_H

#include <jansson.h>

#include "query.h"
#include "snippet.h"
#include "zhsearch/search.h"
#include "zhsearch/xapian.h"

/* Ranking knobs; the defaults are the values tuned on the judged queries (see
 * bench/eval_run.c, which can override them). */
typedef struct {
    double k1;             /* BM25 term-frequency saturation */
    double b;              /* BM25 passage-length normalization */
    double min_normlen;
    double title_weight;   /* scale of the title boost: a passage gains this times its
                              document's title passage's weight for the title query */
    unsigned relax_window; /* relaxed matches: a word's characters in order within
                              this many times its length; 0 = none */
    unsigned relax_below;  /* ... added when fewer passages than this match exactly */
    /* ... and when the words' characters bound the passages a relaxed run meets by no
     * more than this: past it the run walks much of the index (8 of the commonest
     * characters: 300 ms over 385,000 passages) for passages that hold them by
     * chance. At 50,000, words of three or four common characters (年以来, 大不相同)
     * took 10 to 20 ms for near matches like 年…以来; at 20,000 they are not relaxed,
     * and 20 words in under 20 passages average 2.1 ms instead of 5.5 (nDCG@10
     * unchanged). */
    uint64_t relax_max_candidates;
} zhs_rank_params_t;

extern const zhs_rank_params_t zhs_rank_defaults;

/* The last few documents' texts read for their passages (lib/search_text.c): a page's
 * hits, or candidates of the exact check without columns, come a few from each; and
 * the texts of the passages last shown, inflated (a relaxed run shows again the exact
 * run's hits, and searches often share hits). */
#define ZHS_TEXT_CACHE_SLOTS 8
#define ZHS_PASSAGE_CACHE_MAX 4096
typedef struct {
    struct {
        char *id;
        char *record;      /* the `text:` record, as stored */
        size_t nbytes;
    } slot[ZHS_TEXT_CACHE_SLOTS];
    unsigned next;         /* the slot the next miss replaces */
    json_t *passages;      /* "<doc id>#<offset>" -> text; NULL until first used */
} zhs_text_cache_t;

struct zhs_searcher {
    zhs_db_t *db;          /* every shard as one index: what searches run on */
    /* Each shard alone, when there are several: Xapian reads metadata (document
     * records and texts) from the first database of a combination only. */
    zhs_db_t **shards;
    size_t nshards;
    uint64_t revision;
    uint64_t moves;        /* times a refresh found another revision */
    json_t *docs;          /* cache id -> `doc:` record, for the current revision */
    json_t *char_freqs;    /* cache character -> zhs_searcher_char_freq, likewise */
    zhs_text_cache_t texts;   /* likewise */
    json_t *passage_data;  /* likewise, docid -> a shown passage's parsed data (at most
                              ZHS_PASSAGE_CACHE_MAX; NULL until first used) */
    uint64_t ndocs;        /* cached count of `doc:` records, valid when ndocs_known */
    bool ndocs_known;
    zhs_rank_params_t rank;
};

/* The `doc:` record of id: borrowed, valid until the next refresh; *rec NULL (ZHS_OK)
 * when there is no such document. */
zhs_status_t zhs_searcher_doc_record(zhs_searcher_t *s, const char *id, json_t **rec,
                                     zhs_error_t *err);

/* The original text of a passage from its data (parsed JSON): its "text", or the span
 * "offset"/"nbytes" of its document's stored text ("doc"). *out new, NUL-terminated
 * (caller frees with free()); ZHS_ERR_DB_CORRUPT when the data says neither or the
 * span is not in the text. */
zhs_status_t zhs_searcher_passage_text(zhs_searcher_t *s, json_t *data, char **out,
                                       size_t *nbytes, zhs_error_t *err);
/* Forgets the cached texts (a new revision, or closing). */
void zhs_text_cache_clear(zhs_text_cache_t *c);

/* How many postings the terms that character ch[0..nbytes) begins have (its bigrams and
 * its run-final unigram): an upper bound of the passages holding it. Walking a common
 * character's thousands of terms takes milliseconds, so each is counted once per
 * revision. */
zhs_status_t zhs_searcher_char_freq(zhs_searcher_t *s, const char *ch, size_t nbytes,
                                    uint64_t *out, zhs_error_t *err);

/* The metadata value of key from the first shard that has it; *out NULL (ZHS_OK) when
 * none has. Caller frees *out with free(). */
zhs_status_t zhs_searcher_metadata(zhs_searcher_t *s, const char *key, char **out,
                                   size_t *out_nbytes, zhs_error_t *err);
/* The same for the key prefix + id (a document's `doc:` or `text:` record). */
zhs_status_t zhs_searcher_metadata_of(zhs_searcher_t *s, const char *prefix, const char *id,
                                      char **out, size_t *out_nbytes, zhs_error_t *err);

/* Builds the in-memory columns searches read for the current revision (see
 * zhs_db_warm_column), so that the first search after an index change does not. */
zhs_status_t zhs_search_warm(zhs_searcher_t *s, zhs_error_t *err);

/* A zhs_synonym_lookup_fn over the index of the searcher (passed as ctx). */
zhs_status_t zhs_searcher_synonyms(void *searcher, const char *key, zhs_synonym_add_fn add,
                                   void *add_ctx, zhs_error_t *err);

/* Sets query's "synonyms" to the synonyms zhs_qnode_expand added in the tree wide (left
 * out when memory runs short: the list only informs). */
void zhs_synonyms_json(const zhs_qnode_t *wide, json_t *query);

/* Would a search of the analyzed tree root (widened by synonyms or not) relax its words
 * to near matches, were its exact passages few: a short enough tree of words without a
 * NOT, whose characters' lists are small enough to check? */
bool zhs_search_relaxable(zhs_searcher_t *s, const zhs_qnode_t *root);

/* Reopens to the newest revision (dropping caches when it moved). */
zhs_status_t zhs_searcher_reopen(zhs_searcher_t *s, zhs_error_t *err);

/* ------------------------------------------------------------ compiling */

typedef struct {
    zhs_query_t *query;        /* what Xapian runs: a superset of the exact matches
                                  (equal when need_decider is false); owned */
    bool need_decider;         /* some part needs the exact check of zhs_qnode_eval */
    bool need_filters;         /* the exact check evaluates filters (not all of them
                                  are enforced by the query itself) */
    bool need_doc_record;      /* ... among them issuer or year filters, which need the
                                  document's record */
    zhs_query_t *title;        /* the title query: the OR over the positive text
                                  leaves of the AND of their title (`S`) terms, matched
                                  on its own for the title boost (search.c); NULL when
                                  there is none (relaxed runs, title_weight 0); owned */
    const char **keys;         /* match keys of the positive text leaves (borrowed from
                                  the tree), for snippets; owned array */
    size_t nkeys;
    int *need;                 /* for each key, the required part of the query it
                                  satisfies (an OR's keys share it); owned */
    bool *near;                /* for each key, a relaxed word (see zhs_marks_t); owned */
    size_t near_window;        /* the window of the near keys (zhs_rank_params_t) */
    uint64_t matches_at_most;  /* a bound of the passages query matches, known for a
                                  relaxed run of one word (its near passages, before
                                  filters and deletions); UINT64_MAX otherwise */
} zhs_compiled_t;

/* Compiles the analyzed tree root (may be NULL: match everything) with the request's
 * filters. Marks the filters the query enforces exactly as prefiltered. s (may be NULL
 * when not relaxed): the searcher whose index the query runs on, whose character lists
 * then serve one-character words. relaxed: each word (unquoted text leaf) is replaced
 * by the AND of its rarest characters in s's index (the decider then checks all of
 * them and their proximity). A tree widened by synonyms (zhs_qnode_expand) always
 * needs the decider. */
zhs_status_t zhs_compile(zhs_qnode_t *root, const zhs_search_request_t *req,
                         const zhs_rank_params_t *rank, zhs_searcher_t *s, bool relaxed,
                         zhs_compiled_t *out, zhs_error_t *err);
void zhs_compiled_release(zhs_compiled_t *c);

/* Only the highlighting of zhs_compile (its keys, no query): for marking a
 * whole document. */
zhs_status_t zhs_compile_marks(const zhs_qnode_t *root, const zhs_rank_params_t *rank,
                               bool relaxed, zhs_compiled_t *out, zhs_error_t *err);

/* What c's hits are highlighted with (borrowing c's keys and groups). */
zhs_marks_t zhs_compiled_marks(const zhs_compiled_t *c);

#endif
