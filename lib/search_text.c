/* Passages' original texts at query time. Since schema version 5 a passage's text is
 * stored once, in its document's `text:` record, and its data says where (schema.h):
 * snippets and the exact check without columns inflate the record's block that holds
 * it, the records last read kept in a small cache. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_internal.h"
#include "textpack.h"
#include "zhsearch/schema.h"

void zhs_text_cache_clear(zhs_text_cache_t *c)
{
    for (unsigned i = 0; i < ZHS_TEXT_CACHE_SLOTS; i++) {
        free(c->slot[i].id);
        free(c->slot[i].record);
    }
    json_decref(c->passages);
    memset(c, 0, sizeof *c);
}

/* The `text:` record of document id: borrowed from the cache, valid until its next
 * miss. */
static zhs_status_t text_record(zhs_searcher_t *s, const char *id, const char **rec,
                                size_t *nbytes, zhs_error_t *err)
{
    zhs_text_cache_t *c = &s->texts;
    for (unsigned i = 0; i < ZHS_TEXT_CACHE_SLOTS; i++)
        if (c->slot[i].id && strcmp(c->slot[i].id, id) == 0) {
            *rec = c->slot[i].record;
            *nbytes = c->slot[i].nbytes;
            return ZHS_OK;
        }
    char *stored = NULL;
    size_t n = 0;
    zhs_status_t st = zhs_searcher_metadata_of(s, ZHS_META_TEXT, id, &stored, &n, err);
    if (st == ZHS_OK && !stored)
        st = zhs_error_set(err, ZHS_ERR_DB_CORRUPT, "the index has no text for document %s",
                           id);
    char *id_copy = st == ZHS_OK ? strdup(id) : NULL;
    if (st == ZHS_OK && !id_copy)
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory caching a document text");
    if (st != ZHS_OK) {
        free(stored);
        return st;
    }
    unsigned i = c->next;
    c->next = (c->next + 1) % ZHS_TEXT_CACHE_SLOTS;
    free(c->slot[i].id);
    free(c->slot[i].record);
    c->slot[i].id = id_copy;
    c->slot[i].record = stored;
    c->slot[i].nbytes = n;
    *rec = stored;
    *nbytes = n;
    return ZHS_OK;
}

static zhs_status_t copy_text(const char *text, size_t n, char **out, size_t *nbytes,
                              zhs_error_t *err)
{
    *out = malloc(n + 1);
    if (!*out)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory copying a passage text");
    memcpy(*out, text, n);
    (*out)[n] = '\0';
    *nbytes = n;
    return ZHS_OK;
}

/* Keeps a passage's text; all are forgotten when the cache is full (a failure to keep
 * one only costs inflating it again). */
static void remember(zhs_text_cache_t *c, const char *key, const char *text, size_t n)
{
    if (!c->passages && !(c->passages = json_object()))
        return;
    if (json_object_size(c->passages) >= ZHS_PASSAGE_CACHE_MAX)
        json_object_clear(c->passages);
    json_object_set_new(c->passages, key, json_stringn(text, n));
}

zhs_status_t zhs_searcher_passage_text(zhs_searcher_t *s, json_t *data, char **out,
                                       size_t *nbytes, zhs_error_t *err)
{
    *out = NULL;
    *nbytes = 0;
    json_t *own = json_object_get(data, "text");
    if (json_is_string(own))
        return copy_text(json_string_value(own), json_string_length(own), out, nbytes, err);
    const char *id = json_string_value(json_object_get(data, "doc"));
    json_t *offset = json_object_get(data, "offset"), *len = json_object_get(data, "nbytes");
    if (!id || !json_is_integer(offset) || !json_is_integer(len) ||
        json_integer_value(offset) < 0 || json_integer_value(len) < 0)
        return zhs_error_set(err, ZHS_ERR_DB_CORRUPT, "passage data is not the schema's JSON");
    /* Document ids are short (file name stems): a longer one is not cached. */
    char key[256];
    bool keyed = (size_t)snprintf(key, sizeof key, "%s#%lld", id,
                                  (long long)json_integer_value(offset)) < sizeof key;
    json_t *known = keyed && s->texts.passages ? json_object_get(s->texts.passages, key)
                                               : NULL;
    if (known)
        return copy_text(json_string_value(known), json_string_length(known), out, nbytes,
                         err);
    const char *rec = NULL;
    size_t nrec = 0;
    zhs_status_t st = text_record(s, id, &rec, &nrec, err);
    size_t l = (size_t)json_integer_value(len);
    if (st == ZHS_OK)
        st = zhs_text_unpack_range(rec, nrec, (size_t)json_integer_value(offset), l, out, err);
    if (st != ZHS_OK)
        return st;
    *nbytes = l;
    if (keyed)
        remember(&s->texts, key, *out, l);
    return ZHS_OK;
}
