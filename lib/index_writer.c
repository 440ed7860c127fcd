/* The index writer: opening, putting and removing documents, committing. Every change
 * between two commits runs inside one Xapian transaction, so Xapian never commits on its
 * own in the middle of a document and a failure can discard everything uncommitted. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index_internal.h"
#include "textpack.h"
#include "zhsearch/schema.h"

char *ix_concat(const char *prefix, const char *name)
{
    size_t np = strlen(prefix), nn = strlen(name);
    char *s = malloc(np + nn + 1);
    if (s) {
        memcpy(s, prefix, np);
        memcpy(s + np, name, nn + 1);
    }
    return s;
}

zhs_status_t ix_set_meta(zhs_index_t *ix, const char *prefix, const char *name,
                         const char *value, size_t nbytes, zhs_error_t *err)
{
    char *key = ix_concat(prefix, name);
    if (!key)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    zhs_status_t st = strlen(key) > IX_MAX_KEY_BYTES
                          ? zhs_error_set(err, ZHS_ERR_BAD_ARG, "metadata key too long: %.40s…",
                                          key)
                          : zhs_wdb_set_metadata(ix->wdb, key, value, nbytes, err);
    free(key);
    return st;
}

/* *current: the index has this program's version (an older one it can update is set
 * to it at open). */
static zhs_status_t check_schema(zhs_index_t *ix, bool *current, zhs_error_t *err)
{
    char *v = NULL;
    zhs_status_t st = zhs_wdb_get_metadata(ix->wdb, ZHS_META_SCHEMA, &v, NULL, err);
    *current = v && atoi(v) == ZHS_SCHEMA_VERSION;
    if (st == ZHS_OK && v && (atoi(v) < ZHS_SCHEMA_OLDEST || atoi(v) > ZHS_SCHEMA_VERSION))
        st = zhs_error_set(err, ZHS_ERR_DB_CORRUPT,
                           "the index has schema version %s, this program writes %d: "
                           "rebuild it",
                           v, ZHS_SCHEMA_VERSION);
    free(v);
    return st;
}

zhs_status_t zhs_index_open(const char *path, unsigned mode, zhs_index_t **out,
                            zhs_error_t *err)
{
    if (!out)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_index_open: out is NULL");
    *out = NULL;
    if (!path || (mode != ZHS_INDEX_CREATE_OR_OPEN && mode != ZHS_INDEX_OVERWRITE))
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_index_open: bad path or mode");
    zhs_status_t st = zhs_analyzer_init(err);
    if (st != ZHS_OK)
        return st;
    zhs_index_t *ix = calloc(1, sizeof *ix);
    if (!ix || !(ix->rel = json_object()) || !(ix->children = json_object())) {
        zhs_index_close(ix);
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    }
    int wmode = mode == ZHS_INDEX_OVERWRITE ? ZHS_WDB_OVERWRITE : ZHS_WDB_CREATE_OR_OPEN;
    bool current = false;
    st = zhs_wdb_open(path, wmode, &ix->wdb, err);
    if (st == ZHS_OK)
        st = check_schema(ix, &current, err);
    if (st == ZHS_OK)
        st = ix_rel_load(ix, err);
    if (st == ZHS_OK)
        st = zhs_wdb_begin(ix->wdb, err);
    if (st == ZHS_OK && !current) {
        char v[16];
        int n = snprintf(v, sizeof v, "%d", ZHS_SCHEMA_VERSION);
        st = zhs_wdb_set_metadata(ix->wdb, ZHS_META_SCHEMA, v, (size_t)n, err);
    }
    if (st != ZHS_OK) {
        ix->poisoned = true;
        zhs_index_close(ix);
        return st;
    }
    *out = ix;
    return ZHS_OK;
}

void zhs_index_close(zhs_index_t *ix)
{
    if (!ix)
        return;
    if (ix->shard) {
        zhs_status_t st;
        ix_shard_drain(ix->shard, &st, NULL);
        ix->poisoned |= st != ZHS_OK;
        ix_shard_close(ix->shard, !ix->poisoned);
    }
    if (ix->wdb) {
        if (ix->poisoned || zhs_wdb_end(ix->wdb, NULL) != ZHS_OK)
            zhs_wdb_cancel(ix->wdb, NULL);
        zhs_wdb_close(ix->wdb);
    }
    json_decref(ix->rel);
    json_decref(ix->children);
    free(ix);
}

zhs_status_t ix_check_usable(zhs_index_t *ix, zhs_error_t *err)
{
    if (!ix)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "no index writer");
    if (ix->poisoned)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG,
                             "an earlier write failed: close the index writer (uncommitted "
                             "changes are discarded)");
    return ZHS_OK;
}

/* Any failure after the first change poisons the writer: see index.h. */
zhs_status_t ix_poison_on_failure(zhs_index_t *ix, zhs_status_t st)
{
    if (st != ZHS_OK)
        ix->poisoned = true;
    return st;
}

zhs_status_t zhs_index_commit(zhs_index_t *ix, zhs_error_t *err)
{
    zhs_status_t st = ix_check_usable(ix, err);
    if (st != ZHS_OK)
        return st;
    st = ix_shard_commit(ix->shard, err);
    if (st == ZHS_OK)
        st = zhs_wdb_end(ix->wdb, err);
    if (st == ZHS_OK)
        st = zhs_wdb_begin(ix->wdb, err);
    return ix_poison_on_failure(ix, st);
}

/* Fills m with the inheritable fields of the parent's record that m lacks. */
static void inherit(ix_meta_t *m, json_t *parent, const char ***issuers)
{
    ix_meta_t pm;
    const char **pissuers = NULL;
    *issuers = NULL;
    if (ix_record_own_meta(parent, &pm, &pissuers, NULL) != ZHS_OK)
        return;
    if (!m->title && pm.title) {
        m->title = pm.title;
        m->inherited |= IX_INHERIT_TITLE;
    }
    if (!m->nissuers && pm.nissuers) {
        m->issuers = pissuers;
        m->nissuers = pm.nissuers;
        m->inherited |= IX_INHERIT_ISSUER;
        *issuers = pissuers;
    } else {
        free(pissuers);
    }
    if (!m->date && pm.date) {
        m->date = pm.date;
        m->inherited |= IX_INHERIT_DATE;
    }
    if (m->year <= 0 && pm.year > 0) {
        m->year = pm.year;
        m->inherited |= IX_INHERIT_YEAR;
    }
}

/* Re-links every document whose id is a key of ids (a JSON object). */
static zhs_status_t relink_all(zhs_index_t *ix, json_t *ids, zhs_index_put_info_t *info,
                               zhs_error_t *err)
{
    zhs_status_t st = ZHS_OK;
    const char *id;
    json_t *unused;
    json_object_foreach(ids, id, unused) {
        if (st == ZHS_OK)
            st = ix_fragment_relink(ix, id, info, err);
    }
    return st;
}

static zhs_status_t relink_affected(zhs_index_t *ix, const char *id,
                                    const ix_passage_t *ps, size_t n,
                                    zhs_index_put_info_t *info, zhs_error_t *err)
{
    json_t *affected = NULL;
    zhs_status_t st = ix_fragment_affected(ix, id, ps, n, &affected, err);
    if (st == ZHS_OK)
        st = relink_all(ix, affected, info, err);
    json_decref(affected);
    return st;
}

/* Deletes every passage of document id. */
static zhs_status_t delete_passages(zhs_index_t *ix, const char *id, zhs_error_t *err)
{
    char *term = ix_concat(ZHS_PREFIX_DOC, id);
    if (!term)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    zhs_status_t st = zhs_wdb_delete_by_term(ix->wdb, term, err);
    if (st == ZHS_OK)
        st = ix_shard_delete(ix->shard, id, term, err);
    free(term);
    return st;
}

/* The passage that carries the title terms of a document with a title of its own
 * (schema.h): its title line, else (a sidecar's title that no line says) its first
 * passage, *norm then the normalized title (release it with zhs_normalized_release).
 * doc->npassages (none) without a title or passages. */
static zhs_status_t title_passage(const zhs_document_t *doc, const ix_meta_t *own,
                                  const ix_passage_t *ps, size_t *at, zhs_normalized_t *norm,
                                  zhs_error_t *err)
{
    memset(norm, 0, sizeof *norm);
    *at = doc->npassages;
    if (!own->title || !*own->title || !doc->npassages)
        return ZHS_OK;
    for (size_t i = 0; i < doc->npassages; i++)
        if (strcmp(ps[i].p->text, own->title) == 0) {
            *at = i;
            return ZHS_OK;
        }
    *at = 0;
    return zhs_normalize(own->title, strlen(own->title), 0, norm, err);
}

/* Writes the passages and records of doc once its passages are analyzed. */
static zhs_status_t write_doc(zhs_index_t *ix, const zhs_document_t *doc,
                              const ix_meta_t *own, ix_passage_t *ps, bool relink,
                              zhs_index_put_info_t *info, zhs_error_t *err)
{
    size_t title_at;
    zhs_normalized_t title_norm;
    zhs_status_t st = title_passage(doc, own, ps, &title_at, &title_norm, err);
    if (st != ZHS_OK)
        return st;
    st = delete_passages(ix, own->id, err);

    ix_meta_t m = *own;
    char *parent = NULL;
    json_t *prec = NULL;
    const char **pissuers = NULL;
    if (st == ZHS_OK && !own->title)
        st = ix_fragment_find_parent(ix, own->id, ps, doc->npassages, &parent, err);
    if (st == ZHS_OK && parent)
        st = ix_record_load(ix, parent, &prec, err);
    if (st == ZHS_OK && prec) {
        inherit(&m, prec, &pissuers);
        m.fragment_of = parent;
    }

    ix->doc_to_shard = ix_shard_wants(ix->shard);
    for (size_t i = 0; st == ZHS_OK && i < doc->npassages; i++) {
        if (ps[i].duplicate && m.fragment_of) {
            info->nduplicates++;
            continue;
        }
        const zhs_normalized_t *title =
            i != title_at ? NULL : title_norm.text ? &title_norm : &ps[i].norm;
        st = ix_passage_write(ix, &m, doc, &ps[i], title, err);
        info->npassages += st == ZHS_OK;
    }
    info->fragment = m.fragment_of != NULL;

    if (st == ZHS_OK) {
        char *rec = ix_record_dump(&m, doc, info->npassages), *packed = NULL;
        size_t npacked = 0;
        st = rec ? zhs_text_pack(rec, strlen(rec), &packed, &npacked, err)
                 : zhs_error_set(err, ZHS_ERR_NOMEM, "cannot build the record of %s", m.id);
        if (st == ZHS_OK)
            st = ix_set_meta(ix, ZHS_META_DOC, m.id, packed, npacked, err);
        free(packed);
        free(rec);
    }
    /* An empty text deletes the key (Xapian stores no empty metadata). */
    char *packed = NULL;
    size_t npacked = 0;
    if (st == ZHS_OK)
        st = zhs_text_pack(doc->text, doc->text_nbytes, &packed, &npacked, err);
    if (st == ZHS_OK)
        st = ix_set_meta(ix, ZHS_META_TEXT, m.id, packed, npacked, err);
    free(packed);
    if (st == ZHS_OK)
        st = ix_rel_set(ix, m.id, own->title != NULL, m.fragment_of,
                        ix_passage_bytes(doc), err);
    if (st == ZHS_OK && relink)
        st = relink_affected(ix, m.id, own->title ? ps : NULL, doc->npassages, info, err);
    free(pissuers);
    json_decref(prec);
    free(parent);
    zhs_normalized_release(&title_norm);
    return st;
}

zhs_status_t ix_put(zhs_index_t *ix, const zhs_document_t *doc, const ix_meta_t *own,
                    bool relink, zhs_index_put_info_t *info, zhs_error_t *err)
{
    memset(info, 0, sizeof *info);
    ix_passage_t *ps = calloc(doc->npassages ? doc->npassages : 1, sizeof *ps);
    if (!ps)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    zhs_status_t st = ZHS_OK;
    size_t done = 0;
    for (; st == ZHS_OK && done < doc->npassages; done++)
        st = ix_passage_analyze(&doc->passages[done], &ps[done], err);
    /* Nothing is changed before this point: a passage the analyzer refuses leaves the
     * index as it was. */
    if (st == ZHS_OK)
        st = ix_poison_on_failure(ix, write_doc(ix, doc, own, ps, relink, info, err));
    for (size_t i = 0; i < done; i++)
        ix_passage_release(&ps[i]);
    free(ps);
    return st;
}

static zhs_status_t check_id(const char *id, zhs_error_t *err)
{
    if (!id || !*id)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "a document needs an id");
    if (strlen(id) > IX_MAX_ID_BYTES)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "document id longer than %d bytes: %.40s…",
                             IX_MAX_ID_BYTES, id);
    return ZHS_OK;
}

zhs_status_t zhs_index_put(zhs_index_t *ix, const zhs_document_t *doc,
                           zhs_index_put_info_t *info, zhs_error_t *err)
{
    zhs_status_t st = ix_check_usable(ix, err);
    if (st == ZHS_OK && !doc)
        st = zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_index_put: doc is NULL");
    if (st == ZHS_OK)
        st = check_id(doc->id, err);
    if (st != ZHS_OK)
        return st;
    ix_meta_t own = {
        .id = doc->id,
        .file = doc->file,
        .title = doc->title,
        .issuers = (const char *const *)doc->issuers,
        .nissuers = doc->nissuers,
        .doc_number = doc->doc_number,
        .date = doc->date,
        .year = doc->year,
        .url = doc->url,
        .encoding = zhs_encoding_name(doc->encoding),
    };
    zhs_index_put_info_t local;
    return ix_put(ix, doc, &own, true, info ? info : &local, err);
}

zhs_status_t zhs_index_remove(zhs_index_t *ix, const char *id, zhs_index_put_info_t *info,
                              zhs_error_t *err)
{
    zhs_status_t st = ix_check_usable(ix, err);
    if (st == ZHS_OK)
        st = check_id(id, err);
    if (st != ZHS_OK)
        return st;
    zhs_index_put_info_t local;
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    st = delete_passages(ix, id, err);
    if (st == ZHS_OK)
        st = ix_set_meta(ix, ZHS_META_DOC, id, "", 0, err);
    if (st == ZHS_OK)
        st = ix_set_meta(ix, ZHS_META_TEXT, id, "", 0, err);
    /* A copy: relinking a fragment takes it out of ix->children. */
    json_t *kids = json_copy(json_object_get(ix->children, id));
    ix_rel_del(ix, id);
    if (st == ZHS_OK)
        st = relink_all(ix, kids, info, err);
    json_decref(kids);
    return ix_poison_on_failure(ix, st);
}

/* The sum of count over the writer's database and its shard. */
static zhs_status_t sum_over_shard(zhs_index_t *ix,
                                   zhs_status_t (*count)(zhs_wdb_t *, uint64_t *, zhs_error_t *),
                                   uint64_t *out, zhs_error_t *err)
{
    uint64_t n = 0, nshard = 0;
    zhs_status_t st = count(ix->wdb, &n, err);
    zhs_wdb_t *shard = NULL;
    if (st == ZHS_OK)
        shard = ix_shard_drain(ix->shard, &st, err);
    if (st == ZHS_OK && shard)
        st = count(shard, &nshard, err);
    *out = st == ZHS_OK ? n + nshard : 0;
    return st;
}

zhs_status_t zhs_index_counts(zhs_index_t *ix, uint64_t *ndocs, uint64_t *npassages,
                              zhs_error_t *err)
{
    if (!ix || !ix->wdb)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "no index writer");
    if (ndocs)
        *ndocs = json_object_size(ix->rel);
    uint64_t n = 0;
    zhs_status_t st = sum_over_shard(ix, zhs_wdb_doccount, &n, err);
    if (npassages)
        *npassages = n;
    return st;
}

zhs_status_t zhs_index_deleted(zhs_index_t *ix, uint64_t *out, zhs_error_t *err)
{
    if (!ix || !ix->wdb || !out)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_index_deleted: no index writer or out");
    return sum_over_shard(ix, zhs_wdb_deleted, out, err);
}
