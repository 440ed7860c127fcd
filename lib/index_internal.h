/* Private to the index writer (lib/index_*.c): the writer handle, the document-level
 * metadata a put writes (own or inherited from a parent), and the helpers the files
 * share. */
#ifndef ZHS_LIB_INDEX_INTERNAL_H
#define ZHS_LIB_INDEX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "zhsearch/analyzer.h"
#include "zhsearch/document.h"
#include "zhsearch/index.h"
#include "zhsearch/xapian.h"

/* Longest term or metadata key written (Xapian refuses keys of about 245 bytes). */
#define IX_MAX_KEY_BYTES ZHS_MAX_TERM_BYTES
/* Longest document id: `Q<id>#<line>` and `XDOC<id>` must fit in a term. */
#define IX_MAX_ID_BYTES 200

/* Bits of ix_meta_t.inherited: the fields taken from the parent. */
enum {
    IX_INHERIT_TITLE = 1u << 0,
    IX_INHERIT_ISSUER = 1u << 1,
    IX_INHERIT_DATE = 1u << 2,
    IX_INHERIT_YEAR = 1u << 3,
};

/* Document-level metadata of one put: every string borrowed (from the document, a
 * parsed record, or the parent's record), valid for the duration of the put. */
typedef struct {
    const char *id;
    const char *file;
    const char *title;
    const char *const *issuers;
    size_t nissuers;
    const char *doc_number;
    const char *date;             /* YYYY-MM-DD or NULL */
    int year;                     /* 0 = unknown */
    const char *url;
    const char *encoding;         /* zhs_encoding_name() */
    const char *fragment_of;
    unsigned inherited;           /* IX_INHERIT_* */
} ix_meta_t;

/* One passage, analyzed once per put. */
typedef struct {
    const zhs_passage_t *p;
    zhs_normalized_t norm;
    char *key;                    /* match key of norm (ZHS_SLOT_KEY); owned */
    uint64_t hash;                /* XXH3-64 of the match key */
    bool duplicate;               /* held by the parent: not indexed */
} ix_passage_t;

typedef struct ix_shard ix_shard_t;

struct zhs_index {
    zhs_wdb_t *wdb;
    ix_shard_t *shard;            /* the second writer (zhs_index_add_shard) or NULL */
    bool doc_to_shard;            /* the document being put goes to the shard whole */
    bool poisoned;                /* a write failed: discard everything uncommitted */
    /* Document id -> {"t": has its own title, "f": parent id or null, "b": passage
     * bytes}, for every doc: record, pending ones included. */
    json_t *rel;
    /* Parent id -> {fragment id: true}. */
    json_t *children;
    size_t norphans;              /* untitled documents without a parent */
};

/* ---- lib/index_record.c: doc: records and the relation table */

/* The doc: record of meta + doc (outline, npassages) as compact JSON; caller frees. */
char *ix_record_dump(const ix_meta_t *m, const zhs_document_t *doc, size_t nindexed);
/* The bytes of all passage texts of doc (the `passage_bytes` of its record). */
size_t ix_passage_bytes(const zhs_document_t *doc);
/* Fills *m with the OWN metadata of a parsed record (inherited fields cleared); strings
 * and *issuers_out (caller frees the array with free()) borrow from rec. */
zhs_status_t ix_record_own_meta(json_t *rec, ix_meta_t *m, const char ***issuers_out,
                                zhs_error_t *err);
/* Reads and parses doc:<id>; *out NULL with ZHS_OK when absent. Caller json_decrefs. */
zhs_status_t ix_record_load(zhs_index_t *ix, const char *id, json_t **out,
                            zhs_error_t *err);
/* Fills the relation table from every doc: record. */
zhs_status_t ix_rel_load(zhs_index_t *ix, zhs_error_t *err);
/* Records (titled, parent, passage bytes) for id / forgets id, keeping children and
 * norphans right. */
zhs_status_t ix_rel_set(zhs_index_t *ix, const char *id, bool titled, const char *parent,
                        size_t passage_bytes, zhs_error_t *err);
void ix_rel_del(zhs_index_t *ix, const char *id);
bool ix_rel_titled(zhs_index_t *ix, const char *id);
bool ix_rel_orphan(zhs_index_t *ix, const char *id);
/* The passage bytes recorded for id (0 when unknown). */
size_t ix_rel_bytes(zhs_index_t *ix, const char *id);

/* ---- lib/index_passage.c: one Xapian document per passage */

/* Normalizes p->text and hashes its match key into *out (release with
 * ix_passage_release). */
zhs_status_t ix_passage_analyze(const zhs_passage_t *p, ix_passage_t *out,
                                zhs_error_t *err);
void ix_passage_release(ix_passage_t *ps);
/* Adds the Xapian document of one passage; title (may be NULL): the normalized title
 * whose terms it carries as title terms (the document's title passage, schema.h). */
zhs_status_t ix_passage_write(zhs_index_t *ix, const ix_meta_t *m,
                              const zhs_document_t *doc, const ix_passage_t *ps,
                              const zhs_normalized_t *title, zhs_error_t *err);
/* `XH<hex>` into buf (at least 19 bytes); returns its length. */
size_t ix_hash_term(uint64_t hash, char *buf);

/* ---- lib/index_fragment.c: fragment links */

/* For an untitled document: finds the titled document holding at least half of the
 * passages' text verbatim, marks the passages it holds as duplicates and returns its id
 * (caller frees with free()), or NULL. */
zhs_status_t ix_fragment_find_parent(zhs_index_t *ix, const char *self,
                                     ix_passage_t *ps, size_t n, char **parent,
                                     zhs_error_t *err);
/* Ids of the documents whose link may change because id was put or removed: its
 * fragments, and (when ps is given) untitled parentless documents sharing a passage
 * with it. A new JSON object of ids; caller json_decrefs. */
zhs_status_t ix_fragment_affected(zhs_index_t *ix, const char *id, const ix_passage_t *ps,
                                  size_t n, json_t **out, zhs_error_t *err);
/* Re-indexes the stored document id from its doc:/text: records. */
zhs_status_t ix_fragment_relink(zhs_index_t *ix, const char *id, zhs_index_put_info_t *info,
                                zhs_error_t *err);

/* ---- lib/index_shard.c: the second writer thread of a fresh build */

/* Should the next document go to the shard (s not NULL, its queue at most half full)? */
bool ix_shard_wants(ix_shard_t *s);
/* Hands *xdoc (a passage of document id) to the shard's thread, waiting while its
 * queue is full; *xdoc becomes NULL (the thread frees it). Returns the thread's first
 * failure, if any. */
zhs_status_t ix_shard_hand(ix_shard_t *s, const char *id, zhs_xdoc_t **xdoc,
                           zhs_error_t *err);
/* Waits until the thread has written everything handed to it; returns the shard's
 * database (borrowed: the caller's thread may use it until the next offer), or NULL
 * when s is NULL. *st: the thread's first failure, if any. */
zhs_wdb_t *ix_shard_drain(ix_shard_t *s, zhs_status_t *st, zhs_error_t *err);
/* Deletes the passages of id (term: its XDOC term) from the shard, if it holds any. */
zhs_status_t ix_shard_delete(ix_shard_t *s, const char *id, const char *term,
                             zhs_error_t *err);
/* Drains and commits the shard (NULL: nothing to do). */
zhs_status_t ix_shard_commit(ix_shard_t *s, zhs_error_t *err);
/* Stops the thread and closes the shard's database, committing it when commit is true
 * and nothing failed (else its uncommitted passages are discarded). NULL-tolerant. */
void ix_shard_close(ix_shard_t *s, bool commit);

/* ---- lib/index_writer.c */

/* The put behind zhs_index_put and relinking: doc's passages with own metadata m. */
zhs_status_t ix_put(zhs_index_t *ix, const zhs_document_t *doc, const ix_meta_t *own,
                    bool relink, zhs_index_put_info_t *info, zhs_error_t *err);
/* ZHS_OK when ix can still write (not NULL, no earlier failure). */
zhs_status_t ix_check_usable(zhs_index_t *ix, zhs_error_t *err);
/* Returns st, poisoning ix when it is a failure (see index.h). */
zhs_status_t ix_poison_on_failure(zhs_index_t *ix, zhs_status_t st);
/* Sets a metadata key made of prefix + name; refuses keys that are too long. */
zhs_status_t ix_set_meta(zhs_index_t *ix, const char *prefix, const char *name,
                         const char *value, size_t nbytes, zhs_error_t *err);
/* A new string prefix + name (NULL on allocation failure). */
char *ix_concat(const char *prefix, const char *name);

#endif
