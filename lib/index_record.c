/* The `doc:<id>` records (JSON, see schema.h) and the writer's in-memory relation table
 * built from them: which documents have a title of their own and which are fragments
 * of which. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "index_internal.h"
#include "textpack.h"
#include "zhsearch/schema.h"

static const struct {
    unsigned bit;
    const char *name;
} inherit_names[] = {
    {IX_INHERIT_TITLE, "title"},
    {IX_INHERIT_ISSUER, "issuer"},
    {IX_INHERIT_DATE, "date"},
    {IX_INHERIT_YEAR, "year"},
};
#define NINHERIT (sizeof inherit_names / sizeof inherit_names[0])

static json_t *outline_json(const zhs_document_t *doc)
{
    json_t *outline = json_array();
    for (size_t i = 0; outline && i < doc->nsections; i++) {
        const zhs_section_t *s = &doc->sections[i];
        if (json_array_append_new(outline,
                                  json_pack("{s:s, s:s, s:i, s:I, s:I}", "heading", s->heading,
                                            "name", s->name, "level", s->level, "line_start",
                                            (json_int_t)s->line_start, "line_end",
                                            (json_int_t)s->line_end)))
            json_decref(outline), outline = NULL;
    }
    return outline;
}

static json_t *string_array(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, json_string(v[i])))
            json_decref(a), a = NULL;
    return a;
}

size_t ix_passage_bytes(const zhs_document_t *doc)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->npassages; i++)
        n += strlen(doc->passages[i].text);
    return n;
}

char *ix_record_dump(const ix_meta_t *m, const zhs_document_t *doc, size_t nindexed)
{
    json_t *inherited = json_array();
    for (size_t i = 0; inherited && i < NINHERIT; i++)
        if ((m->inherited & inherit_names[i].bit) &&
            json_array_append_new(inherited, json_string(inherit_names[i].name)))
            json_decref(inherited), inherited = NULL;
    json_t *issuers = string_array(m->issuers, m->nissuers);
    json_t *outline = outline_json(doc);
    json_t *year = m->year > 0 ? json_integer(m->year) : json_null();
    if (!inherited || !issuers || !outline || !year) {
        json_decref(inherited);
        json_decref(issuers);
        json_decref(outline);
        json_decref(year);
        return NULL;
    }
    json_t *rec = json_pack("{s:s, s:s?, s:s?, s:o, s:s?, s:s?, s:o, s:s?, s:s?, s:s, "
                            "s:I, s:I, s:I, s:o, s:o}",
                            "id", m->id, "file", m->file, "title", m->title, "issuer", issuers,
                            "doc_number", m->doc_number, "date", m->date, "year", year,
                            "url", m->url, "fragment_of", m->fragment_of, "encoding",
                            m->encoding, "npassages", (json_int_t)doc->npassages,
                            "indexed", (json_int_t)nindexed, "passage_bytes",
                            (json_int_t)ix_passage_bytes(doc), "inherited", inherited,
                            "outline", outline);
    if (!rec)
        return NULL;
    char *s = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(rec);
    return s;
}

static const char *str_member(json_t *rec, const char *key)
{
    return json_string_value(json_object_get(rec, key));
}

zhs_status_t ix_record_own_meta(json_t *rec, ix_meta_t *m, const char ***issuers_out,
                                zhs_error_t *err)
{
    memset(m, 0, sizeof *m);
    *issuers_out = NULL;
    unsigned inherited = 0;
    json_t *names = json_object_get(rec, "inherited");
    for (size_t i = 0; i < json_array_size(names); i++) {
        const char *name = json_string_value(json_array_get(names, i));
        for (size_t k = 0; name && k < NINHERIT; k++)
            if (!strcmp(name, inherit_names[k].name))
                inherited |= inherit_names[k].bit;
    }
    m->id = str_member(rec, "id");
    if (!m->id)
        return zhs_error_set(err, ZHS_ERR_DB_CORRUPT, "a doc: record has no id");
    m->file = str_member(rec, "file");
    m->title = inherited & IX_INHERIT_TITLE ? NULL : str_member(rec, "title");
    m->doc_number = str_member(rec, "doc_number");
    m->date = inherited & IX_INHERIT_DATE ? NULL : str_member(rec, "date");
    m->year = inherited & IX_INHERIT_YEAR ? 0 : (int)json_integer_value(json_object_get(rec, "year"));
    m->url = str_member(rec, "url");
    m->encoding = str_member(rec, "encoding");
    json_t *issuers = json_object_get(rec, "issuer");
    if (!(inherited & IX_INHERIT_ISSUER) && json_array_size(issuers)) {
        const char **v = calloc(json_array_size(issuers), sizeof *v);
        if (!v)
            return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < json_array_size(issuers); i++)
            if ((v[m->nissuers] = json_string_value(json_array_get(issuers, i))))
                m->nissuers++;
        m->issuers = v;
        *issuers_out = v;
    }
    return ZHS_OK;
}

static zhs_status_t load_json(zhs_index_t *ix, const char *key, json_t **out,
                              zhs_error_t *err)
{
    *out = NULL;
    char *s = NULL;
    size_t n = 0;
    zhs_status_t st = zhs_wdb_get_metadata(ix->wdb, key, &s, &n, err);
    if (st != ZHS_OK || !s)
        return st;
    st = zhs_json_unpack(s, n, out, err);
    free(s);
    return st;
}

zhs_status_t ix_record_load(zhs_index_t *ix, const char *id, json_t **out, zhs_error_t *err)
{
    char *key = ix_concat(ZHS_META_DOC, id);
    if (!key)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    zhs_status_t st = load_json(ix, key, out, err);
    free(key);
    return st;
}

static int collect_key(void *ctx, const char *bytes, size_t nbytes)
{
    return json_array_append_new(ctx, json_stringn(bytes, nbytes)) != 0;
}

zhs_status_t ix_rel_load(zhs_index_t *ix, zhs_error_t *err)
{
    json_t *keys = json_array();
    if (!keys)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    zhs_status_t st = zhs_wdb_metadata_keys(ix->wdb, ZHS_META_DOC, collect_key, keys, err);
    for (size_t i = 0; st == ZHS_OK && i < json_array_size(keys); i++) {
        json_t *rec = NULL;
        st = load_json(ix, json_string_value(json_array_get(keys, i)), &rec, err);
        if (st != ZHS_OK || !rec)
            continue;
        ix_meta_t own;
        const char **issuers = NULL;
        st = ix_record_own_meta(rec, &own, &issuers, err);
        if (st == ZHS_OK)
            st = ix_rel_set(ix, own.id, own.title != NULL, str_member(rec, "fragment_of"),
                            (size_t)json_integer_value(json_object_get(rec, "passage_bytes")),
                            err);
        free(issuers);
        json_decref(rec);
    }
    json_decref(keys);
    return st;
}

static bool is_orphan(json_t *entry)
{
    return entry && !json_is_true(json_object_get(entry, "t")) &&
           json_is_null(json_object_get(entry, "f"));
}

void ix_rel_del(zhs_index_t *ix, const char *id)
{
    json_t *entry = json_object_get(ix->rel, id);
    if (!entry)
        return;
    if (is_orphan(entry))
        ix->norphans--;
    const char *parent = json_string_value(json_object_get(entry, "f"));
    if (parent) {
        json_t *kids = json_object_get(ix->children, parent);
        json_object_del(kids, id);
        if (kids && json_object_size(kids) == 0)
            json_object_del(ix->children, parent);
    }
    json_object_del(ix->rel, id);
}

zhs_status_t ix_rel_set(zhs_index_t *ix, const char *id, bool titled, const char *parent,
                        size_t passage_bytes, zhs_error_t *err)
{
    ix_rel_del(ix, id);
    json_t *entry = json_pack("{s:b, s:s?, s:I}", "t", titled, "f", parent, "b",
                              (json_int_t)passage_bytes);
    if (!entry || json_object_set_new(ix->rel, id, entry))
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    if (is_orphan(entry))
        ix->norphans++;
    if (parent) {
        json_t *kids = json_object_get(ix->children, parent);
        if (!kids && (!(kids = json_object()) ||
                      json_object_set_new(ix->children, parent, kids)))
            return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
        if (json_object_set_new(kids, id, json_true()))
            return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    }
    return ZHS_OK;
}

bool ix_rel_titled(zhs_index_t *ix, const char *id)
{
    return json_is_true(json_object_get(json_object_get(ix->rel, id), "t"));
}

bool ix_rel_orphan(zhs_index_t *ix, const char *id)
{
    return is_orphan(json_object_get(ix->rel, id));
}

size_t ix_rel_bytes(zhs_index_t *ix, const char *id)
{
    return (size_t)json_integer_value(json_object_get(json_object_get(ix->rel, id), "b"));
}

zhs_status_t zhs_index_read_record(zhs_db_t *db, const char *id, json_t **out,
                                   zhs_error_t *err)
{
    *out = NULL;
    char *key = ix_concat(ZHS_META_DOC, id), *v = NULL;
    size_t n = 0;
    if (!key)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory");
    zhs_status_t st = zhs_db_get_metadata(db, key, &v, &n, err);
    free(key);
    if (st == ZHS_OK && v)
        st = zhs_json_unpack(v, n, out, err);
    free(v);
    if (st == ZHS_OK && *out && !json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        st = zhs_error_set(err, ZHS_ERR_DB_CORRUPT, "the record of %s is not a JSON object",
                           id);
    }
    return st;
}
