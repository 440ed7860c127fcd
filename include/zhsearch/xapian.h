/* Xapian for C: opaque handles over libxapian, no exception ever crosses into C.
 *
 * Every fallible call returns a zhs_status_t and fills the optional zhs_error_t with
 * Xapian's message. Mapping: DatabaseNotFoundError/DatabaseOpeningError on a missing
 * path -> ZHS_ERR_DB_MISSING, DatabaseLockError -> ZHS_ERR_DB_LOCKED,
 * DatabaseModifiedError -> ZHS_ERR_DB_MODIFIED, DatabaseCorruptError/
 * DatabaseVersionError -> ZHS_ERR_DB_CORRUPT, InvalidArgumentError/
 * InvalidOperationError -> ZHS_ERR_BAD_ARG, DocNotFoundError -> ZHS_ERR_NOT_FOUND,
 * other Xapian errors -> ZHS_ERR_IO, std::bad_alloc -> ZHS_ERR_NOMEM, anything else ->
 * ZHS_ERR_INTERNAL. Messages read "<function>[(<path>)]: <Xapian type>: <message>".
 * Out-parameters are set to NULL/0 on failure.
 *
 * Terms are byte strings of 1..ZHS_MAX_TERM_BYTES bytes: NULL or empty -> ZHS_ERR_BAD_ARG
 * everywhere; longer ones are refused when writing and match nothing in lookups and
 * queries.
 *
 * Ownership: every `_new`/`_open` handle is freed by its `_free`/`_close` (NULL-safe).
 * Handles are not thread-safe: use one zhs_db_t per thread. An enquire and an mset keep
 * their own reference to the database, so they may outlive the zhs_db_t. */
#ifndef ZHSEARCH_XAPIAN_H
#define ZHSEARCH_XAPIAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zhsearch/status.h"

#ifdef __cplusplus
extern "C" {
/* For C++ callers: no function of this header throws. */
#define ZHS_NOEXCEPT noexcept
#else
#define ZHS_NOEXCEPT
#endif

typedef uint32_t zhs_docid_t;

typedef struct zhs_db zhs_db_t;             /* read-only, possibly several combined */
typedef struct zhs_wdb zhs_wdb_t;           /* writable */
typedef struct zhs_xdoc zhs_xdoc_t;         /* a document being built for writing */
typedef struct zhs_query zhs_query_t;       /* an immutable query tree */
typedef struct zhs_enquire zhs_enquire_t;   /* one search session over a zhs_db_t */
typedef struct zhs_mset zhs_mset_t;         /* one page of results */

/* Calls fn(ctx, bytes, nbytes) for each item; return non-zero to stop. Borrowed bytes,
 * valid only during the call. */
typedef int (*zhs_bytes_fn)(void *ctx, const char *bytes, size_t nbytes);
typedef int (*zhs_docid_fn)(void *ctx, zhs_docid_t docid);

/* ------------------------------------------------------------ read-only database */

/* Opens the database at path (a directory or a stub database file). */
zhs_status_t zhs_db_open(const char *path, zhs_db_t **out, zhs_error_t *err) ZHS_NOEXCEPT;
/* Adds the shard at path: later searches see all shards as one index (enquires created
 * before the call do not see the new shard). Combined docids interleave the shards:
 * docid d of shard i (0-based, of n) is (d - 1) * n + i + 1. */
zhs_status_t zhs_db_add(zhs_db_t *db, const char *path, zhs_error_t *err) ZHS_NOEXCEPT;
void zhs_db_close(zhs_db_t *db) ZHS_NOEXCEPT;
/* Moves to the newest committed revision; *changed (may be NULL) tells whether it
 * moved (true may also mean "might have moved"). Enquires over db see it too. */
zhs_status_t zhs_db_reopen(zhs_db_t *db, bool *changed, zhs_error_t *err) ZHS_NOEXCEPT;
/* Revision of the first shard (0 for a combined db that cannot tell). */
zhs_status_t zhs_db_revision(zhs_db_t *db, uint64_t *out, zhs_error_t *err) ZHS_NOEXCEPT;
/* Documents, not counting deleted ones. */
zhs_status_t zhs_db_doccount(zhs_db_t *db, uint64_t *out, zhs_error_t *err) ZHS_NOEXCEPT;
/* Documents deleted but still stored: an index without termlists keeps them, skipped by
 * every lookup and search, until it is rebuilt (see schema.h, `zhs:deleted`). */
zhs_status_t zhs_db_deleted(zhs_db_t *db, uint64_t *out, zhs_error_t *err) ZHS_NOEXCEPT;
/* Number of documents indexed by term. */
zhs_status_t zhs_db_termfreq(zhs_db_t *db, const char *term, size_t nbytes,
                             uint64_t *out, zhs_error_t *err) ZHS_NOEXCEPT;
/* The sum of the termfreqs of every term starting with prefix: an upper bound of the
 * documents zhs_query_prefix(prefix) matches, read from the term list alone. */
zhs_status_t zhs_db_prefix_freq(zhs_db_t *db, const char *prefix, size_t nbytes,
                                uint64_t *out, zhs_error_t *err) ZHS_NOEXCEPT;
/* Metadata value for key; *out is a new string (caller frees with free()), or NULL
 * with ZHS_OK when the key is absent. */
zhs_status_t zhs_db_get_metadata(zhs_db_t *db, const char *key, char **out,
                                 size_t *out_nbytes, zhs_error_t *err) ZHS_NOEXCEPT;
/* Calls fn for each metadata key starting with prefix (the whole key), in byte order;
 * prefix NULL or "" lists every key. */
zhs_status_t zhs_db_metadata_keys(zhs_db_t *db, const char *prefix, zhs_bytes_fn fn,
                                  void *ctx, zhs_error_t *err) ZHS_NOEXCEPT;
/* Calls fn for each document indexed by term, in docid order. */
zhs_status_t zhs_db_postings(zhs_db_t *db, const char *term, size_t nbytes,
                             zhs_docid_fn fn, void *ctx, zhs_error_t *err) ZHS_NOEXCEPT;
/* Document data / a value of a document; *out new (free()), NUL-terminated, value
 * empty -> "". Unknown docid -> ZHS_ERR_NOT_FOUND, docid 0 -> ZHS_ERR_BAD_ARG. */
zhs_status_t zhs_db_get_data(zhs_db_t *db, zhs_docid_t docid, char **out,
                             size_t *out_nbytes, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_db_get_value(zhs_db_t *db, zhs_docid_t docid, unsigned slot,
                              char **out, size_t *out_nbytes,
                              zhs_error_t *err) ZHS_NOEXCEPT;

/* Searches read the values they sort, group, count facets on or check candidates with
 * from in-memory columns of the slots, built on first use for each revision and shared
 * by every handle open at it. These build a column now (multi as in zhs_facet_spec_t;
 * keys: the slot of zhs_enquire_set_decider_value), so that no search waits for it.
 * No-op over several shards. */
zhs_status_t zhs_db_warm_column(zhs_db_t *db, unsigned slot, bool multi,
                                zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_db_warm_keys(zhs_db_t *db, unsigned slot, zhs_error_t *err) ZHS_NOEXCEPT;

/* Writes a compacted copy of the database at src (nobody may be writing it) into the
 * new directory dst (created; it must not hold a database). Document ids are
 * renumbered to close the gaps deletions left. */
zhs_status_t zhs_db_compact(const char *src, const char *dst, zhs_error_t *err) ZHS_NOEXCEPT;
/* The same for several databases merged into one at dst (docids renumbered in order;
 * metadata: the first source's value of each key). */
zhs_status_t zhs_db_compact_many(const char *const *srcs, size_t nsrcs, const char *dst,
                                 zhs_error_t *err) ZHS_NOEXCEPT;

/* ------------------------------------------------------------ writable database */

enum {
    ZHS_WDB_CREATE_OR_OPEN = 0,
    ZHS_WDB_CREATE = 1,          /* fail if it exists (ZHS_ERR_IO) */
    ZHS_WDB_OVERWRITE = 2,       /* create, or empty an existing one */
};

zhs_status_t zhs_wdb_open(const char *path, int mode, zhs_wdb_t **out,
                          zhs_error_t *err) ZHS_NOEXCEPT;
/* Closes, committing pending changes unless a transaction is open (then discarded).
 * A failure here is lost: call zhs_wdb_commit first where it matters. */
void zhs_wdb_close(zhs_wdb_t *wdb) ZHS_NOEXCEPT;
/* Adds doc, replacing every document indexed by the unique id term (a C string; the
 * replaced document's docid is reused). doc must hold idterm itself (add it with
 * zhs_xdoc_add_boolean), else ZHS_ERR_BAD_ARG: it could never be replaced again.
 * out_docid may be NULL. */
zhs_status_t zhs_wdb_replace(zhs_wdb_t *wdb, const char *idterm, const zhs_xdoc_t *doc,
                             zhs_docid_t *out_docid, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_wdb_add(zhs_wdb_t *wdb, const zhs_xdoc_t *doc, zhs_docid_t *out_docid,
                         zhs_error_t *err) ZHS_NOEXCEPT;
/* Deletes every document indexed by term (no error when there is none). */
zhs_status_t zhs_wdb_delete_by_term(zhs_wdb_t *wdb, const char *term,
                                    zhs_error_t *err) ZHS_NOEXCEPT;
/* Metadata; an empty value (value may then be NULL) deletes the key. A writer's own
 * reads (get_metadata, metadata_keys, termfreq) see its uncommitted changes. */
zhs_status_t zhs_wdb_set_metadata(zhs_wdb_t *wdb, const char *key, const char *value,
                                  size_t nbytes, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_wdb_get_metadata(zhs_wdb_t *wdb, const char *key, char **out,
                                  size_t *out_nbytes, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_wdb_metadata_keys(zhs_wdb_t *wdb, const char *prefix, zhs_bytes_fn fn,
                                   void *ctx, zhs_error_t *err) ZHS_NOEXCEPT;
/* The synonym table: zhs_db_synonyms / zhs_wdb_synonyms call fn with each synonym of
 * term (none: fn is not called); synonym_words counts the terms that have synonyms;
 * add_synonym records one more (both at most ZHS_MAX_TERM_BYTES); clear_synonyms
 * empties the table. */
zhs_status_t zhs_db_synonyms(zhs_db_t *db, const char *term, size_t nbytes, zhs_bytes_fn fn,
                             void *ctx, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_db_synonym_words(zhs_db_t *db, uint64_t *out, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_wdb_synonyms(zhs_wdb_t *wdb, const char *term, size_t nbytes,
                              zhs_bytes_fn fn, void *ctx, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_wdb_add_synonym(zhs_wdb_t *wdb, const char *term, size_t nbytes,
                                 const char *synonym, size_t syn_nbytes,
                                 zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_wdb_clear_synonyms(zhs_wdb_t *wdb, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_wdb_termfreq(zhs_wdb_t *wdb, const char *term, size_t nbytes,
                              uint64_t *out, zhs_error_t *err) ZHS_NOEXCEPT;
/* Reads that see the writer's own pending (uncommitted) changes, as db_doccount,
 * db_postings and db_get_value do on a reader (the index writer uses them to find
 * verbatim copies of passages in documents of the same batch). */
zhs_status_t zhs_wdb_doccount(zhs_wdb_t *wdb, uint64_t *out, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_wdb_deleted(zhs_wdb_t *wdb, uint64_t *out, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_wdb_postings(zhs_wdb_t *wdb, const char *term, size_t nbytes,
                              zhs_docid_fn fn, void *ctx, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_wdb_get_value(zhs_wdb_t *wdb, zhs_docid_t docid, unsigned slot,
                               char **out, size_t *out_nbytes,
                               zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_wdb_commit(zhs_wdb_t *wdb, zhs_error_t *err) ZHS_NOEXCEPT;
/* Transactions: begin (flushed = commit at the end), commit, cancel. zhs_wdb_commit
 * inside a transaction, or end/cancel outside one -> ZHS_ERR_BAD_ARG. */
zhs_status_t zhs_wdb_begin(zhs_wdb_t *wdb, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_wdb_end(zhs_wdb_t *wdb, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_wdb_cancel(zhs_wdb_t *wdb, zhs_error_t *err) ZHS_NOEXCEPT;

/* ------------------------------------------------------------ documents to write */

zhs_status_t zhs_xdoc_new(zhs_xdoc_t **out, zhs_error_t *err) ZHS_NOEXCEPT;
void zhs_xdoc_free(zhs_xdoc_t *doc) ZHS_NOEXCEPT;
/* A term without position; wdf_inc is added to its within-document frequency. Terms
 * longer than ZHS_MAX_TERM_BYTES are refused with ZHS_ERR_BAD_ARG. */
#define ZHS_MAX_TERM_BYTES 240
zhs_status_t zhs_xdoc_add_term(zhs_xdoc_t *doc, const char *term, size_t nbytes,
                               unsigned wdf_inc, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_xdoc_add_posting(zhs_xdoc_t *doc, const char *term, size_t nbytes,
                                  uint32_t pos, unsigned wdf_inc,
                                  zhs_error_t *err) ZHS_NOEXCEPT;
/* A boolean (filter) term: wdf 0, no positions, no weight. */
zhs_status_t zhs_xdoc_add_boolean(zhs_xdoc_t *doc, const char *term, size_t nbytes,
                                  zhs_error_t *err) ZHS_NOEXCEPT;
/* An empty value removes the slot's value. */
zhs_status_t zhs_xdoc_set_value(zhs_xdoc_t *doc, unsigned slot, const char *bytes,
                                size_t nbytes, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_xdoc_set_data(zhs_xdoc_t *doc, const char *bytes, size_t nbytes,
                               zhs_error_t *err) ZHS_NOEXCEPT;

/* ------------------------------------------------------------ queries */

typedef enum {
    ZHS_QOP_AND = 0,
    ZHS_QOP_OR,
    ZHS_QOP_AND_NOT,      /* first AND NOT (any of the rest) */
    ZHS_QOP_AND_MAYBE,    /* first, weighted up by the rest when they match */
    ZHS_QOP_FILTER,       /* first, restricted to the rest, which add no weight */
    ZHS_QOP_SYNONYM,
} zhs_qop_t;

/* Each constructor returns a new query (caller frees with zhs_query_free) or NULL with
 * err set (ZHS_ERR_NOMEM / ZHS_ERR_BAD_ARG). Combining never takes ownership of its
 * arguments: Xapian queries are reference counted, so free them as usual. */
zhs_query_t *zhs_query_term(const char *term, size_t nbytes, unsigned wqf,
                            zhs_error_t *err) ZHS_NOEXCEPT;
/* Every term that starts with prefix (1..ZHS_MAX_TERM_BYTES bytes), as one synonym: a
 * document matches when it holds any of them and is weighted as if they were one term. */
zhs_query_t *zhs_query_prefix(const char *prefix, size_t nbytes,
                              zhs_error_t *err) ZHS_NOEXCEPT;
/* The passages of db holding every one of n >= 1 characters (each a string of
 * nbytes[i] bytes, or NUL-terminated when nbytes is NULL), without weight: matches what
 * the AND of zhs_query_prefix(chars[i]) matches, from lists of the characters'
 * passages made on first use at each revision and held in memory beside the columns
 * (see zhs_db_warm_column), so that later searches skip walking the characters' terms.
 * For searches on db only (it holds no reference to db). Where db has no columns
 * (several shards) it is that AND of zhs_query_prefix, scaled to no weight:
 * zhs_db_has_char_lists tells which.
 *
 * filter (may be NULL) narrows the passages, where their match keys are in memory (the
 * column of ZHS_SLOT_KEY, zhs_db_warm_keys), to those whose key filter->keep keeps: it
 * must hold for every passage the caller wants, since the others are left out before
 * the match. The keys are read in one pass over the candidates, fetched from memory a
 * few passages ahead, instead of one by one by a decider as the matcher meets them. A
 * passage without a key in the column is kept. filter->ctx is passed to keep during
 * the call only; keep may be NULL (no narrowing). filter->matched is set to the number
 * of passages the query matches, deleted ones included, or to UINT64_MAX where db has
 * no character lists. */
typedef struct {
    bool (*keep)(void *ctx, const char *key, size_t nbytes);
    void *ctx;
    uint64_t matched;     /* out */
} zhs_key_filter_t;
zhs_query_t *zhs_query_chars(zhs_db_t *db, const char *const *chars, const size_t *nbytes,
                             size_t n, zhs_key_filter_t *filter,
                             zhs_error_t *err) ZHS_NOEXCEPT;
bool zhs_db_has_char_lists(zhs_db_t *db) ZHS_NOEXCEPT;
/* The passages of db holding the character ch (nbytes bytes), weighted as BM25 with
 * k1, b and min_normlen (zhs_enquire_set_bm25, k2 = 0, k3 = 1) weighs a term, with the
 * character's occurrences in the passage as its wdf: what zhs_query_prefix(ch) matches
 * and nearly how it weighs (the synonym estimates the frequency; this counts it), read
 * from the list zhs_query_chars uses instead of the posting lists of every term ch
 * begins (thousands for 的: 250 ms a search). zhs_query_prefix(ch) where db has no
 * character lists. */
zhs_query_t *zhs_query_char_weighted(zhs_db_t *db, const char *ch, size_t nbytes, double k1,
                                     double b, double min_normlen,
                                     zhs_error_t *err) ZHS_NOEXCEPT;
/* The n >= 1 terms in order within window positions (0 = n), checked against positions
 * stored with zhs_xdoc_add_posting (terms without positions never match). nbytes may be
 * NULL for NUL-terminated terms. */
zhs_query_t *zhs_query_phrase(const char *const *terms, const size_t *nbytes, size_t n,
                              unsigned window, zhs_error_t *err) ZHS_NOEXCEPT;
/* n >= 1 subqueries. */
zhs_query_t *zhs_query_combine(zhs_qop_t op, zhs_query_t *const *subs, size_t n,
                               zhs_error_t *err) ZHS_NOEXCEPT;
/* Documents whose value in slot lies in [lo, hi] (string comparison; NULL = open).
 * Documents without a value in slot never match, except when both ends are open (then
 * every document matches). */
zhs_query_t *zhs_query_value_range(unsigned slot, const char *lo, const char *hi,
                                   zhs_error_t *err) ZHS_NOEXCEPT;
/* Weights by group, for the second part of ZHS_QOP_AND_MAYBE: a document whose value in
 * slot equals the value of one of the n given documents of db (docids[i]) weighs
 * weights[i] (finite, >= 0; the largest of the given documents sharing its value);
 * every other document adds nothing (n may be 0). The searcher's title boost: each
 * passage of a document weighs how well the document's title passage matched. Where
 * db has columns (zhs_db_has_char_lists) the groups come from slot's column (made as
 * zhs_db_warm_column(slot, false) makes it) and a candidate costs two array reads;
 * else from Xapian's value streams (a B-tree lookup per candidate). For searches on db
 * at its current revision only. */
zhs_query_t *zhs_query_value_weights(zhs_db_t *db, unsigned slot, const zhs_docid_t *docids,
                                     const double *weights, size_t n,
                                     zhs_error_t *err) ZHS_NOEXCEPT;
/* Multiplies q's weights by factor >= 0. */
zhs_query_t *zhs_query_scale(const zhs_query_t *q, double factor,
                             zhs_error_t *err) ZHS_NOEXCEPT;
zhs_query_t *zhs_query_match_all(zhs_error_t *err) ZHS_NOEXCEPT;
/* Xapian's description of the query, for logs and tests; caller frees with free().
 * NULL when q is NULL or memory runs out. */
char *zhs_query_describe(const zhs_query_t *q) ZHS_NOEXCEPT;
void zhs_query_free(zhs_query_t *q) ZHS_NOEXCEPT;

/* ------------------------------------------------------------ searching */

/* Per-candidate check during matching: return 0 to reject the document, or its tier
 * to keep it (1, 2, ...: pages ranked from the in-memory columns, see
 * zhs_db_warm_column, put every tier-1 match before tier 2 and so on, whatever the
 * weights; Xapian's own ranking over several shards goes by weight alone). data is the
 * document's data (borrowed, valid during the call). docid is 0 when the database
 * combines several shards (Xapian passes shard-local documents without their shard).
 * Used to verify adjacency of multi-character words, so that totals and facet counts
 * are exact. */
typedef int (*zhs_decider_fn)(void *ctx, zhs_docid_t docid, const char *data,
                              size_t nbytes);

/* What facet counts see (Xapian 1.4 matcher, checked in its source): each candidate
 * goes through the decider first, then the facet spies, then collapsing. So documents
 * the decider rejects are neither counted nor collapsed; documents that collapsing
 * removes ARE counted (count per group with unit_slot = the collapse slot). Counts are
 * exact over all matches only when check_at_least covers the database (UINT32_MAX);
 * with less, the matcher may stop early and counts cover the candidates it saw. */

/* Facet counting over ALL matches (not just the page). values in slot are split on
 * ZHS_VALUE_SEP when multi is true (a value repeated within one document counts once;
 * empty values are not counted). When unit_slot >= 0, each distinct
 * (value of unit_slot, facet value) pair counts once (e.g. documents, not passages);
 * unit_slot < 0 makes every matching document its own unit. */
typedef struct {
    unsigned slot;
    bool multi;
    int unit_slot;
} zhs_facet_spec_t;

/* Calls fn(ctx, value, nbytes, count) for each facet value, most frequent first,
 * ties by value. */
typedef int (*zhs_facet_fn)(void *ctx, const char *value, size_t nbytes, uint64_t count);

/* Default weighting: BM25 with k1 1, k2 0, k3 1, b 0.5, min_normlen 0.5; relevance
 * order; no collapsing, decider or facets. */
zhs_status_t zhs_enquire_new(zhs_db_t *db, zhs_enquire_t **out,
                             zhs_error_t *err) ZHS_NOEXCEPT;
void zhs_enquire_free(zhs_enquire_t *enq) ZHS_NOEXCEPT;
/* The query is copied (the caller keeps and frees its handle). */
zhs_status_t zhs_enquire_set_query(zhs_enquire_t *enq, const zhs_query_t *q,
                                   zhs_error_t *err) ZHS_NOEXCEPT;
/* k1, k2, k3, min_normlen >= 0 and 0 <= b <= 1, else ZHS_ERR_BAD_ARG. */
zhs_status_t zhs_enquire_set_bm25(zhs_enquire_t *enq, double k1, double k2, double k3,
                                  double b, double min_normlen,
                                  zhs_error_t *err) ZHS_NOEXCEPT;
/* Sort by value (string order) then relevance; reverse = descending. Documents without
 * a value come last in either direction. slot < 0 returns to relevance order. */
zhs_status_t zhs_enquire_set_sort_by_value(zhs_enquire_t *enq, int slot, bool reverse,
                                           zhs_error_t *err) ZHS_NOEXCEPT;
/* At most max (>= 1) results per distinct value of slot; slot < 0 turns collapsing off.
 * Match counts then count the results left after collapsing. */
zhs_status_t zhs_enquire_set_collapse(zhs_enquire_t *enq, int slot, unsigned max,
                                      zhs_error_t *err) ZHS_NOEXCEPT;
/* fn may be NULL to remove. ctx is borrowed, valid until the next get_mset returns. */
zhs_status_t zhs_enquire_set_decider(zhs_enquire_t *enq, zhs_decider_fn fn, void *ctx,
                                     zhs_error_t *err) ZHS_NOEXCEPT;
/* The data the decider's fn sees: the value of slot where a candidate has one, else its
 * document data (the default, slot < 0). */
zhs_status_t zhs_enquire_set_decider_data(zhs_enquire_t *enq, int slot,
                                          zhs_error_t *err) ZHS_NOEXCEPT;
/* Lets the decider look at a value instead of the data: a candidate with a non-empty
 * value in slot goes to value_fn (same ctx, the value as data without the NUL it may end
 * in, NUL-terminated after nbytes), one without to the decider's fn with its data. Reading a value is much cheaper than the (compressed)
 * data. slot < 0 or value_fn NULL turns it off. */
zhs_status_t zhs_enquire_set_decider_value(zhs_enquire_t *enq, int slot,
                                           zhs_decider_fn value_fn,
                                           zhs_error_t *err) ZHS_NOEXCEPT;
/* Registers a facet; returns its index (0, 1, ... in order; out_index may be NULL). */
zhs_status_t zhs_enquire_add_facet(zhs_enquire_t *enq, const zhs_facet_spec_t *spec,
                                   unsigned *out_index, zhs_error_t *err) ZHS_NOEXCEPT;
/* Runs the search. check_at_least: how many matches to evaluate at least (exact totals
 * and facets need the whole database: pass UINT32_MAX). Caller frees *out with
 * zhs_mset_free. Facet counts are reset and recomputed by each call (and left empty
 * when it fails). first past the end gives an empty page with the totals. */
zhs_status_t zhs_enquire_get_mset(zhs_enquire_t *enq, unsigned first, unsigned max,
                                  unsigned check_at_least, zhs_mset_t **out,
                                  zhs_error_t *err) ZHS_NOEXCEPT;
/* The documents that matched in the last get_mset before any collapsing (all of them
 * when check_at_least covered the database). */
uint64_t zhs_enquire_matches_seen(const zhs_enquire_t *enq) ZHS_NOEXCEPT;
/* Facet counts of the last get_mset (none before the first); index out of range ->
 * ZHS_ERR_BAD_ARG. */
zhs_status_t zhs_enquire_facet_counts(zhs_enquire_t *enq, unsigned index, zhs_facet_fn fn,
                                      void *ctx, zhs_error_t *err) ZHS_NOEXCEPT;
/* Number of distinct unit_slot values seen by facet `index` in the last get_mset (the
 * exact number of matching documents when unit_slot is the document slot). */
zhs_status_t zhs_enquire_facet_units(zhs_enquire_t *enq, unsigned index, uint64_t *out,
                                     zhs_error_t *err) ZHS_NOEXCEPT;

typedef struct {
    zhs_docid_t docid;
    unsigned rank;             /* 0-based over the whole result list */
    double weight;
    uint32_t collapse_count;   /* documents collapsed into this one (group=doc `more`) */
    int tier;                  /* the decider's tier (1 without a decider); 0 when
                                  Xapian ranked the page (over several shards) */
} zhs_mset_item_t;

void zhs_mset_free(zhs_mset_t *mset) ZHS_NOEXCEPT;
size_t zhs_mset_size(const zhs_mset_t *mset) ZHS_NOEXCEPT;
/* Estimates of the whole match count (exact when check_at_least covered everything). */
uint64_t zhs_mset_matches_estimated(const zhs_mset_t *mset) ZHS_NOEXCEPT;
uint64_t zhs_mset_matches_lower(const zhs_mset_t *mset) ZHS_NOEXCEPT;
uint64_t zhs_mset_matches_upper(const zhs_mset_t *mset) ZHS_NOEXCEPT;
zhs_status_t zhs_mset_item(const zhs_mset_t *mset, size_t i, zhs_mset_item_t *out,
                           zhs_error_t *err) ZHS_NOEXCEPT;
/* Data / a value of item i; *out new (free()). i >= zhs_mset_size -> ZHS_ERR_BAD_ARG. */
zhs_status_t zhs_mset_item_data(const zhs_mset_t *mset, size_t i, char **out,
                                size_t *out_nbytes, zhs_error_t *err) ZHS_NOEXCEPT;
zhs_status_t zhs_mset_item_value(const zhs_mset_t *mset, size_t i, unsigned slot,
                                 char **out, size_t *out_nbytes,
                                 zhs_error_t *err) ZHS_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif
