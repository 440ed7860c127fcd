/* Writing an index: the writer behind `zhsearch-index`, also what tests use to build
 * indexes. It writes exactly the schema of schema.h: one Xapian document per passage,
 * the `doc:`/`text:`/`file:` metadata, and the fragment links between documents.
 *
 * Atomicity: changes become visible to readers only at zhs_index_commit (or at
 * zhs_index_close). Each put/remove is all-or-nothing: after ANY failure of the writer
 * (other than ZHS_ERR_BAD_ARG on a refused document, which changes nothing), further
 * writes fail and closing discards everything since the last commit, so the database
 * keeps its last committed state.
 *
 * Fragments: a put document WITHOUT a title whose passages stand verbatim (same match
 * key) in another indexed document WITH a title, for at least half of its text, is a
 * fragment of that document: its record gets `fragment_of` and inherits the parent's
 * title (and issuer, date, year where it has none), its passages found in the parent
 * are not indexed again, its other passages are indexed with the inherited metadata.
 * Links are kept right whatever the order: putting or removing a titled document
 * re-links the untitled documents it concerns (re-parsed from their stored `text:`).
 *
 * Ownership: zhs_index_open returns a handle the caller frees with zhs_index_close.
 * Documents and strings passed in are borrowed for the duration of the call.
 * Thread safety: one handle per thread; one writer per database (Xapian's lock). */
#ifndef ZHSEARCH_INDEX_H
#define ZHSEARCH_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "zhsearch/document.h"
#include "zhsearch/xapian.h"
#include "zhsearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct zhs_index zhs_index_t;

enum {
    ZHS_INDEX_CREATE_OR_OPEN = 0,   /* open the database at path, creating it if absent */
    ZHS_INDEX_OVERWRITE = 1,        /* start from an empty database (the old content
                                       disappears at the first commit) */
};

/* Opens (or creates) the Xapian database at path for writing and initializes the
 * analyzer. Fails with ZHS_ERR_DB_LOCKED when another writer holds it,
 * ZHS_ERR_DB_CORRUPT when it is damaged or holds another schema version, ZHS_ERR_IO when
 * the directory cannot be created or written. Caller frees *out with zhs_index_close;
 * *out is NULL on failure. */
zhs_status_t zhs_index_open(const char *path, unsigned mode, zhs_index_t **out,
                            zhs_error_t *err);

/* Commits pending changes (unless a failure poisoned the handle: then they are
 * discarded) and releases the lock. NULL-tolerant. */
void zhs_index_close(zhs_index_t *ix);

/* Makes every change so far visible to readers, atomically. */
zhs_status_t zhs_index_commit(zhs_index_t *ix, zhs_error_t *err);

/* Replaces the index's synonym table (which searches widen rare words with) by the
 * thesaurus text[0..nbytes), in Solr's synonyms.txt format (`a, b, c` equivalent terms,
 * `a => b, c` one way, `#` comments); name is used in messages (`name:LINE: ...`). An
 * empty text empties the table. Nothing changes when the index was last given the same
 * text: *changed (may be NULL) tells. *nentries (may be NULL): the lines with synonyms.
 * A malformed thesaurus fails with ZHS_ERR_BAD_ARG or ZHS_ERR_BAD_UTF8 before any change. */
zhs_status_t zhs_index_set_thesaurus(zhs_index_t *ix, const char *text, size_t nbytes,
                                     const char *name, bool *changed, size_t *nentries,
                                     zhs_error_t *err);

/* What a put did. */
typedef struct {
    size_t npassages;     /* Xapian documents written for the document itself */
    size_t nduplicates;   /* passages left out because its parent holds them */
    size_t nrelinked;     /* other documents re-indexed because their link changed */
    size_t nrelinked_passages;   /* Xapian documents written for those */
    bool fragment;        /* the document was linked to a parent */
} zhs_index_put_info_t;

/* Adds doc, replacing every passage and record of a document with the same id. doc is
 * borrowed (not modified). info may be NULL. Fails with ZHS_ERR_BAD_ARG (nothing
 * changed) when the id is empty or too long for a Xapian term (over 200 bytes). */
zhs_status_t zhs_index_put(zhs_index_t *ix, const zhs_document_t *doc,
                           zhs_index_put_info_t *info, zhs_error_t *err);

/* Removes the document id (its passages, `doc:` and `text:` records) and re-links its
 * fragments. ZHS_OK when there is no such document. info (may be NULL) counts the
 * re-linking. */
zhs_status_t zhs_index_remove(zhs_index_t *ix, const char *id, zhs_index_put_info_t *info,
                              zhs_error_t *err);

/* Fresh builds on two cores: from now on, passages may be written by a second thread
 * into a second database created (empty) at path, whenever that thread has room for
 * them, so that both cores write. The index is then the writer's database and the
 * shard TOGETHER (merge them with zhs_db_compact_many; the metadata is all in the
 * writer's): meant for a build nobody reads before it is compacted. Commits commit
 * both, one after the other (not atomically together); fragment look-ups, removals and
 * counts see both. Fails with ZHS_ERR_BAD_ARG when the writer already has a shard. */
zhs_status_t zhs_index_add_shard(zhs_index_t *ix, const char *path, zhs_error_t *err);

/* For previews (`zhsearch-index --explain`) into a scratch index ix: when doc is
 * untitled, copies into ix the titled documents of src (another index, read-only) that
 * hold passages of doc verbatim (their stored text re-parsed, their own metadata as
 * recorded), so that putting doc into ix then links it as a run over src would. */
zhs_status_t zhs_index_copy_parents(zhs_index_t *ix, zhs_db_t *src, const zhs_document_t *doc,
                                    zhs_error_t *err);

/* Number of documents (doc: records) and passages (Xapian documents) as the writer sees
 * them, pending changes included. */
zhs_status_t zhs_index_counts(zhs_index_t *ix, uint64_t *ndocs, uint64_t *npassages,
                              zhs_error_t *err);

/* Passages deleted (replaced or removed) but still stored, pending changes included:
 * the index keeps them, unseen, until it is rebuilt (see zhs_db_deleted). */
zhs_status_t zhs_index_deleted(zhs_index_t *ix, uint64_t *out, zhs_error_t *err);

/* The `doc:` record of document id in db (schema.h; stored packed): *out a new JSON
 * object (caller frees with json_decref), NULL with ZHS_OK when there is none,
 * ZHS_ERR_DB_CORRUPT when it does not read as one. */
zhs_status_t zhs_index_read_record(zhs_db_t *db, const char *id, json_t **out,
                                   zhs_error_t *err);

/* ------------------------------------------------------------ source file states */

/* The state of one indexed source file, for incremental indexing (`file:` metadata).
 * Strings are borrowed: from the caller when setting, valid during the callback when
 * listing. */
typedef struct {
    const char *path;           /* as the indexer names it (absolute) */
    const char *id;             /* the document id it was indexed as */
    uint64_t size;
    int64_t mtime_ns;           /* modification time, nanoseconds since the epoch */
    uint64_t hash;              /* 64-bit hash of the file bytes and sidecar bytes */
    int64_t sidecar_size;       /* -1 when there is no sidecar */
    int64_t sidecar_mtime_ns;
} zhs_file_state_t;

/* Records (replaces) the state of st->path. */
zhs_status_t zhs_index_set_file(zhs_index_t *ix, const zhs_file_state_t *st,
                                zhs_error_t *err);

/* Forgets the state of path (no error when there is none). */
zhs_status_t zhs_index_remove_file(zhs_index_t *ix, const char *path, zhs_error_t *err);

/* Calls fn for each recorded file state, in key order; return non-zero to stop. */
typedef int (*zhs_file_state_fn)(void *ctx, const zhs_file_state_t *st);
zhs_status_t zhs_index_files(zhs_index_t *ix, zhs_file_state_fn fn, void *ctx,
                             zhs_error_t *err);

#ifdef __cplusplus
}
#endif

#endif
