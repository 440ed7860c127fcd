/* --explain: what would be indexed, as JSON. Fragment links and what a fragment
 * inherits from its parent are decided by the index itself (lib/index_fragment.c), so
 * the explained documents, and the documents of the --db index they may be fragments
 * of, are indexed into a scratch index that is thrown away: the links printed are the
 * ones a run over the same files would make. */
#include "config.h"

#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "indexer.h"
#include "zhsearch/schema.h"
#include "zhsearch/xapian.h"

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Copies into ix the documents of the index at db (when there is one) that the
 * untitled docs could be fragments of. */
static zhs_status_t copy_parents(zhs_index_t *ix, const char *db, zhs_document_t *const *docs,
                                 size_t n, zhs_error_t *err)
{
    zhs_db_t *src = NULL;
    if (!db || layout_absent(db) || zhs_db_open(db, &src, NULL) != ZHS_OK)
        return ZHS_OK;    /* no index yet: nothing to link to */
    zhs_status_t st = ZHS_OK;
    for (size_t i = 0; i < n && st == ZHS_OK; i++)
        st = zhs_index_copy_parents(ix, src, docs[i], err);
    zhs_db_close(src);
    return st;
}

/* Indexes docs into index (titled documents first, as a run does, so that a fragment
 * finds its parent whatever the order of the files), after the parents they may have
 * in the index at db. */
static zhs_status_t index_all(const char *index, const char *db, zhs_document_t *const *docs,
                              size_t n, zhs_error_t *err)
{
    zhs_index_t *ix = NULL;
    zhs_status_t st = zhs_index_open(index, ZHS_INDEX_OVERWRITE, &ix, err);
    if (st == ZHS_OK)
        st = copy_parents(ix, db, docs, n, err);
    for (int titled = 1; titled >= 0 && st == ZHS_OK; titled--)
        for (size_t i = 0; i < n && st == ZHS_OK; i++)
            if ((docs[i]->title != NULL) == titled)
                st = zhs_index_put(ix, docs[i], NULL, err);
    if (st == ZHS_OK)
        st = zhs_index_commit(ix, err);
    zhs_index_close(ix);
    return st;
}

/* The `doc:` records of docs in the index at path, by id, into out. */
static zhs_status_t read_records(const char *index, zhs_document_t *const *docs, size_t n,
                                 json_t *out, zhs_error_t *err)
{
    zhs_db_t *db = NULL;
    zhs_status_t st = zhs_db_open(index, &db, err);
    for (size_t i = 0; i < n && st == ZHS_OK; i++) {
        json_t *rec = NULL;
        st = zhs_index_read_record(db, docs[i]->id, &rec, err);
        if (rec)
            json_object_set_new(out, docs[i]->id, rec);
    }
    zhs_db_close(db);
    return st;
}

zhs_status_t explain_records(const char *db, zhs_document_t *const *docs, size_t n,
                             json_t **out, zhs_error_t *err)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = xprintf("%s/zhsearch-explain-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    *out = json_object();
    if (!*out)
        die_nomem();
    zhs_status_t st = ZHS_OK;
    if (!mkdtemp(dir)) {
        st = zhs_error_set(err, ZHS_ERR_IO, "cannot create a scratch directory in %s",
                           tmp && *tmp ? tmp : "/tmp");
    } else {
        char *index = path_join(dir, "index");
        st = index_all(index, db, docs, n, err);
        if (st == ZHS_OK)
            st = read_records(index, docs, n, *out, err);
        free(index);
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    free(dir);
    if (st != ZHS_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return st;
}

char *explain_document(const zhs_document_t *doc, json_t *rec)
{
    char *own = zhs_document_to_json(doc);
    json_t *j = own ? json_loads(own, 0, NULL) : NULL;
    free(own);
    if (!j)
        die_nomem();
    json_t *parent = json_object_get(rec, "fragment_of");
    json_t *inherited = json_object_get(rec, "inherited");
    if (json_is_string(parent))
        json_object_set(j, "fragment_of", parent);
    /* The fields the index took from the parent, under their record names. */
    size_t i;
    json_t *name;
    json_array_foreach(inherited, i, name) {
        const char *field = json_string_value(name);
        json_t *value = field ? json_object_get(rec, field) : NULL;
        if (value)
            json_object_set(j, field, value);
    }
    json_object_set_new(j, "inherited", json_is_array(inherited) ? json_incref(inherited)
                                                                 : json_array());
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!s)
        die_nomem();
    return s;
}
