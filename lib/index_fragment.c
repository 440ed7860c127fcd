/* Fragment links: finding the document an untitled document was cut from (through the
 * `XH` passage-hash terms, pending writes included), and re-indexing the documents
 * whose link changes when a document is put or removed. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "index_internal.h"
#include "textpack.h"
#include "zhsearch/schema.h"

/* A passage found in more passages than this is boilerplate: it decides nothing. */
#define MAX_COPIES 256

typedef struct {
    zhs_docid_t *v;
    size_t n, cap;
    bool too_many;
    bool nomem;
} docids_t;

static int collect_docid(void *ctx, zhs_docid_t docid)
{
    docids_t *d = ctx;
    if (d->n == MAX_COPIES) {
        d->too_many = true;
        return 1;
    }
    if (d->n == d->cap) {
        size_t ncap = d->cap ? d->cap * 2 : 16;
        zhs_docid_t *nv = realloc(d->v, ncap * sizeof *nv);
        if (!nv) {
            d->nomem = true;
            return 1;
        }
        d->v = nv;
        d->cap = ncap;
    }
    d->v[d->n++] = docid;
    return 0;
}

/* The ids of the documents holding a passage with this hash, as keys of a new JSON
 * object (*out; NULL when the passage is too common to tell anything). */
static zhs_status_t documents_with(zhs_index_t *ix, uint64_t hash, json_t **out,
                                   zhs_error_t *err)
{
    *out = NULL;
    char term[32];
    size_t nterm = ix_hash_term(hash, term);
    /* The passages are in the writer's database and, during a fresh build, its
     * shard's: the same search in each (docids are per database). */
    zhs_status_t st = ZHS_OK;
    zhs_wdb_t *wdbs[2] = {ix->wdb, ix_shard_drain(ix->shard, &st, err)};
    bool too_many = false;
    size_t seen = 0;          /* passages over both databases, against MAX_COPIES */
    json_t *found = NULL;
    if (st == ZHS_OK && !(found = json_object()))
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    for (size_t w = 0; st == ZHS_OK && !too_many && w < 2 && wdbs[w]; w++) {
        docids_t d = {.n = 0};
        st = zhs_wdb_postings(wdbs[w], term, nterm, collect_docid, &d, err);
        if (st == ZHS_OK && d.nomem)
            st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
        too_many = d.too_many || seen + d.n > MAX_COPIES;
        seen += d.n;
        for (size_t i = 0; st == ZHS_OK && !too_many && i < d.n; i++) {
            char *id = NULL;
            size_t n = 0;
            st = zhs_wdb_get_value(wdbs[w], d.v[i], ZHS_SLOT_DOC, &id, &n, err);
            if (st == ZHS_OK && json_object_setn_new(found, id, n, json_true()))
                st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
            free(id);
        }
        free(d.v);
    }
    if (st == ZHS_OK && !too_many)
        *out = found;
    else
        json_decref(found);
    return st;
}

/* Picks the titled document other than self covering the most bytes of the passages
 * (ties: the smallest id), if it covers at least half of them. Returns a new string
 * (caller frees) or NULL; *nomem tells an allocation failure from no parent. */
static char *best_parent(zhs_index_t *ix, const char *self, json_t *const *hits,
                         const ix_passage_t *ps, size_t n, bool *nomem)
{
    json_t *bytes = json_object();
    *nomem = !bytes;
    size_t total = 0;
    for (size_t i = 0; bytes && i < n; i++) {
        size_t len = strlen(ps[i].p->text);
        total += len;
        const char *id;
        json_t *unused;
        json_object_foreach(hits[i], id, unused) {
            if (!strcmp(id, self) || !ix_rel_titled(ix, id))
                continue;
            json_int_t b = json_integer_value(json_object_get(bytes, id));
            if (json_object_set_new(bytes, id, json_integer(b + (json_int_t)len)))
                *nomem = true;
        }
    }
    const char *best = NULL, *id;
    json_int_t best_bytes = 0;
    json_t *v;
    json_object_foreach(bytes, id, v) {
        json_int_t b = json_integer_value(v);
        if (b > best_bytes || (b == best_bytes && best && strcmp(id, best) < 0)) {
            best = id;
            best_bytes = b;
        }
    }
    char *out = NULL;
    if (!*nomem && best && (size_t)best_bytes * 2 >= total && !(out = strdup(best)))
        *nomem = true;
    json_decref(bytes);
    return out;
}

zhs_status_t ix_fragment_find_parent(zhs_index_t *ix, const char *self, ix_passage_t *ps,
                                     size_t n, char **parent, zhs_error_t *err)
{
    *parent = NULL;
    if (n == 0)
        return ZHS_OK;
    json_t **hits = calloc(n, sizeof *hits);
    if (!hits)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    zhs_status_t st = ZHS_OK;
    for (size_t i = 0; st == ZHS_OK && i < n; i++)
        st = documents_with(ix, ps[i].hash, &hits[i], err);
    bool nomem = false;
    if (st == ZHS_OK)
        *parent = best_parent(ix, self, hits, ps, n, &nomem);
    if (nomem)
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; *parent && i < n; i++)
        ps[i].duplicate = json_object_get(hits[i], *parent) != NULL;
    for (size_t i = 0; i < n; i++)
        json_decref(hits[i]);
    free(hits);
    return st;
}

/* Adds to out the untitled parentless documents that share with ps[0..n) at least half
 * of their passage bytes: only those can become fragments of id (others are left
 * alone, however many passages they share). */
static zhs_status_t add_orphans(zhs_index_t *ix, const char *id, const ix_passage_t *ps,
                                size_t n, json_t *out, zhs_error_t *err)
{
    json_t *shared = json_object();   /* orphan id -> {hash: bytes} */
    if (!shared)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    zhs_status_t st = ZHS_OK;
    for (size_t i = 0; st == ZHS_OK && i < n; i++) {
        json_t *docs = NULL;
        st = documents_with(ix, ps[i].hash, &docs, err);
        char hash[32];
        ix_hash_term(ps[i].hash, hash);
        const char *other;
        json_t *unused;
        json_object_foreach(docs, other, unused) {
            if (!strcmp(other, id) || !ix_rel_orphan(ix, other))
                continue;
            json_t *hashes = json_object_get(shared, other);
            if (!hashes)
                json_object_set_new(shared, other, hashes = json_object());
            json_object_set_new(hashes, hash, json_integer((json_int_t)strlen(ps[i].p->text)));
        }
        json_decref(docs);
    }
    const char *other;
    json_t *hashes;
    json_object_foreach(shared, other, hashes) {
        json_int_t bytes = 0;
        const char *h;
        json_t *b;
        json_object_foreach(hashes, h, b)
            bytes += json_integer_value(b);
        if (st == ZHS_OK && (size_t)bytes * 2 >= ix_rel_bytes(ix, other) &&
            json_object_set_new(out, other, json_true()))
            st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    }
    json_decref(shared);
    return st;
}

zhs_status_t ix_fragment_affected(zhs_index_t *ix, const char *id, const ix_passage_t *ps,
                                  size_t n, json_t **out, zhs_error_t *err)
{
    *out = json_object();
    if (!*out)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    json_t *kids = json_object_get(ix->children, id);
    zhs_status_t st = ZHS_OK;
    if (kids && json_object_update(*out, kids))
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    if (st == ZHS_OK && ps && ix->norphans)
        st = add_orphans(ix, id, ps, n, *out, err);
    if (st != ZHS_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return st;
}

/* Puts again the stored document id (its record rec and its packed `text:` record):
 * its text re-parsed, its own metadata as recorded. */
static zhs_status_t put_stored(zhs_index_t *ix, const char *id, json_t *rec, const char *packed,
                               size_t npacked, zhs_index_put_info_t *info, zhs_error_t *err)
{
    ix_meta_t own;
    const char **issuers = NULL;
    char *text = NULL;
    size_t ntext = 0;
    zhs_document_t *doc = NULL;
    zhs_status_t st = ix_record_own_meta(rec, &own, &issuers, err);
    if (st == ZHS_OK && packed)
        st = zhs_text_unpack(packed, npacked, &text, &ntext, err);
    /* The stored text is the decoded file: parsing it again gives the same passages.
     * An empty text is stored as no key at all. */
    if (st == ZHS_OK)
        st = zhs_document_parse(own.file ? own.file : id, text ? text : "", ntext, &doc, err);
    zhs_index_put_info_t sub;
    if (st == ZHS_OK)
        st = ix_put(ix, doc, &own, false, &sub, err);
    if (st == ZHS_OK && info) {
        info->nrelinked++;
        info->nrelinked_passages += sub.npassages;
    }
    zhs_document_free(doc);
    free(text);
    free(issuers);
    return st;
}

zhs_status_t ix_fragment_relink(zhs_index_t *ix, const char *id, zhs_index_put_info_t *info,
                                zhs_error_t *err)
{
    json_t *rec = NULL;
    zhs_status_t st = ix_record_load(ix, id, &rec, err);
    if (st != ZHS_OK || !rec)
        return st;
    char *key = ix_concat(ZHS_META_TEXT, id), *packed = NULL;
    size_t npacked = 0;
    if (!key)
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    if (st == ZHS_OK)
        st = zhs_wdb_get_metadata(ix->wdb, key, &packed, &npacked, err);
    if (st == ZHS_OK)
        st = put_stored(ix, id, rec, packed, npacked, info, err);
    free(packed);
    free(key);
    json_decref(rec);
    return st;
}

/* The ids of the titled documents of src holding a passage of ps verbatim (keys of
 * out). */
static zhs_status_t parents_in(zhs_db_t *src, const ix_passage_t *ps, size_t n, json_t *out,
                               zhs_error_t *err)
{
    zhs_status_t st = ZHS_OK;
    for (size_t i = 0; st == ZHS_OK && i < n; i++) {
        char term[32];
        size_t nterm = ix_hash_term(ps[i].hash, term);
        docids_t d = {.n = 0};
        st = zhs_db_postings(src, term, nterm, collect_docid, &d, err);
        if (st == ZHS_OK && d.nomem)
            st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
        for (size_t k = 0; st == ZHS_OK && !d.too_many && k < d.n; k++) {
            char *id = NULL;
            size_t nid = 0;
            st = zhs_db_get_value(src, d.v[k], ZHS_SLOT_DOC, &id, &nid, err);
            if (st == ZHS_OK && id && json_object_setn_new(out, id, nid, json_true()))
                st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
            free(id);
        }
        free(d.v);
    }
    return st;
}

/* Reads the metadata value key + id of src (*out NULL when absent; caller frees). */
static zhs_status_t src_meta(zhs_db_t *src, const char *key, const char *id, char **out,
                             size_t *nout, zhs_error_t *err)
{
    char *k = ix_concat(key, id);
    if (!k)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    zhs_status_t st = zhs_db_get_metadata(src, k, out, nout, err);
    free(k);
    return st;
}

zhs_status_t zhs_index_copy_parents(zhs_index_t *ix, zhs_db_t *src, const zhs_document_t *doc,
                                    zhs_error_t *err)
{
    if (!ix || !src || !doc)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_index_copy_parents: NULL argument");
    if (doc->title || doc->npassages == 0)
        return ZHS_OK;
    ix_passage_t *ps = calloc(doc->npassages, sizeof *ps);
    json_t *ids = json_object();
    zhs_status_t st = ps && ids ? ZHS_OK : zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (; st == ZHS_OK && n < doc->npassages; n++)
        st = ix_passage_analyze(&doc->passages[n], &ps[n], err);
    if (st == ZHS_OK)
        st = parents_in(src, ps, n, ids, err);
    const char *id;
    json_t *unused;
    json_object_foreach(ids, id, unused) {
        if (st != ZHS_OK)
            break;
        if (!strcmp(id, doc->id) || json_object_get(ix->rel, id))
            continue;
        char *packed = NULL;
        size_t npacked = 0;
        json_t *rec = NULL;
        st = zhs_index_read_record(src, id, &rec, err);
        if (st == ZHS_OK && rec &&
            json_is_string(json_object_get(rec, "title")) &&
            !json_array_size(json_object_get(rec, "inherited")))
            st = src_meta(src, ZHS_META_TEXT, id, &packed, &npacked, err);
        if (st == ZHS_OK && packed)
            st = put_stored(ix, id, rec, packed, npacked, NULL, err);
        json_decref(rec);
        free(packed);
    }
    for (size_t i = 0; i < n; i++)
        ix_passage_release(&ps[i]);
    free(ps);
    json_decref(ids);
    return st;
}
