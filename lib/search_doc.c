/* One document for `GET /doc/{id}`: its record, full original text and outline, and
 * with a query the whole text as HTML with every match of the query marked. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "search_internal.h"
#include "snippet.h"
#include "textpack.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/schema.h"

static const char *const record_fields[] = {
    "file", "title", "issuer", "doc_number", "date", "year", "url", "fragment_of",
    "encoding",
};

/* 1-based line numbers holding a span, ascending, without repeats. */
static json_t *match_lines(const char *text, const zhs_span_t *spans, size_t nspans)
{
    json_t *lines = json_array();
    size_t line = 1, at = 0, last = 0;
    for (size_t i = 0; i < nspans && lines; i++) {
        for (; at < spans[i].start; at++)
            line += text[at] == '\n';
        size_t first = line, end_line = line;
        for (size_t k = spans[i].start; k < spans[i].end; k++)
            end_line += text[k] == '\n';
        for (size_t l = first > last ? first : last + 1; l <= end_line; l++)
            json_array_append_new(lines, json_integer((json_int_t)l));
        if (end_line > last)
            last = end_line;
    }
    return lines;
}

/* The spans of text matching root's text leaves (relaxed: a word by the characters of
 * its near occurrences, as a relaxed search marks them). */
static zhs_status_t find_marks(const zhs_searcher_t *s, const zhs_qnode_t *root, bool relaxed,
                               const char *text, size_t nbytes, zhs_span_t **spans,
                               size_t *nspans, zhs_error_t *err)
{
    zhs_compiled_t c;
    zhs_status_t st = zhs_compile_marks(root, &s->rank, relaxed, &c, err);
    zhs_marks_t marks = zhs_compiled_marks(&c);
    if (st == ZHS_OK)
        st = zhs_marks_find(text, nbytes, &marks, true, spans, nspans, err);
    zhs_compiled_release(&c);
    return st;
}

/* Marks q's matches in text; where the document holds none, its words' synonyms and
 * their near occurrences (as a search shows such a document among the widened hits),
 * then listed in "query" (and "relaxed": true for near ones). */
static zhs_status_t add_marks(zhs_searcher_t *s, json_t *out, const char *q, const char *text,
                              size_t nbytes, zhs_error_t *err)
{
    size_t qlen = strlen(q);
    if (qlen > ZHS_QUERY_MAX_BYTES)
        return zhs_error_set_at(err, ZHS_ERR_BAD_QUERY, ZHS_QUERY_MAX_BYTES,
                                "query longer than %d bytes", ZHS_QUERY_MAX_BYTES);
    zhs_qnode_t *root = NULL, *wide = NULL;
    zhs_span_t *spans = NULL;
    size_t nspans = 0;
    char *html = NULL, *normalized = NULL;
    zhs_status_t st = zhs_utf8_validate(q, qlen, err);
    if (st == ZHS_OK)
        st = zhs_qnode_parse(q, qlen, &root, err);
    if (st == ZHS_OK)
        st = zhs_qnode_analyze(&root, err);
    if (st == ZHS_OK)
        st = find_marks(s, root, false, text, nbytes, &spans, &nspans, err);
    if (st == ZHS_OK && nspans == 0)
        st = zhs_qnode_expand(root, zhs_searcher_synonyms, s, &wide, err);
    bool relaxed = st == ZHS_OK && nspans == 0 && s->rank.relax_window > 0 &&
                   zhs_search_relaxable(s, wide ? wide : root);
    if (st == ZHS_OK && (wide || relaxed)) {
        free(spans);
        spans = NULL;
        st = find_marks(s, wide ? wide : root, relaxed, text, nbytes, &spans, &nspans, err);
    }
    if (st == ZHS_OK)
        st = zhs_marks_html(text, nbytes, spans, nspans, &html, err);
    if (st == ZHS_OK && !(normalized = root ? zhs_qnode_unparse(root) : strdup("")))
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory marking a document");
    json_t *query = st == ZHS_OK ? json_pack("{s:s,s:s}", "q", q, "normalized", normalized)
                                 : NULL;
    if (query && wide && nspans)
        zhs_synonyms_json(wide, query);
    if (query && relaxed && nspans)
        json_object_set_new(query, "relaxed", json_true());
    if (st == ZHS_OK &&
        (json_object_set_new(out, "query", query) != 0 ||
         json_object_set_new(out, "matches", json_integer((json_int_t)nspans)) != 0 ||
         json_object_set_new(out, "match_lines", match_lines(text, spans, nspans)) != 0 ||
         json_object_set_new(out, "html", json_string(html)) != 0))
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory marking a document");
    free(normalized);
    free(html);
    free(spans);
    zhs_qnode_free(wide);
    zhs_qnode_free(root);
    return st;
}

zhs_status_t zhs_search_doc(zhs_searcher_t *s, const char *id, const char *q,
                            json_t **out, zhs_error_t *err)
{
    *out = NULL;
    if (!s || !id)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "searcher or document id is NULL");
    json_t *rec = NULL;
    zhs_status_t st = zhs_searcher_doc_record(s, id, &rec, err);
    if (st == ZHS_ERR_DB_MODIFIED && zhs_searcher_reopen(s, NULL) == ZHS_OK)
        st = zhs_searcher_doc_record(s, id, &rec, err);
    if (st != ZHS_OK)
        return st;
    if (!rec)
        return zhs_error_set(err, ZHS_ERR_NOT_FOUND, "no document with id \"%s\"", id);
    char *text = NULL, *rec_text = NULL;
    size_t nbytes = 0, nrec = 0;
    st = zhs_searcher_metadata_of(s, ZHS_META_TEXT, id, &rec_text, &nrec, err);
    if (st == ZHS_OK && rec_text)
        st = zhs_text_unpack(rec_text, nrec, &text, &nbytes, err);
    free(rec_text);
    if (st != ZHS_OK)
        return st;
    json_t *doc = json_pack("{s:s}", "doc", id);
    for (size_t i = 0; doc && i < sizeof record_fields / sizeof record_fields[0]; i++) {
        json_t *v = json_object_get(rec, record_fields[i]);
        json_object_set_new(doc, record_fields[i], v ? json_deep_copy(v) : json_null());
    }
    json_t *outline = json_object_get(rec, "outline"), *np = json_object_get(rec, "npassages");
    if (doc &&
        (json_object_set_new(doc, "passages", np ? json_deep_copy(np) : json_integer(0)) != 0 ||
         json_object_set_new(doc, "outline",
                             json_is_array(outline) ? json_deep_copy(outline) : json_array()) != 0 ||
         json_object_set_new(doc, "text", json_stringn(text ? text : "", nbytes)) != 0))
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory building a document");
    if (!doc)
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory building a document");
    /* Blank as /search counts it (an ideographic space too): no marks asked for. */
    if (st == ZHS_OK && !zhs_query_is_blank(q))
        st = add_marks(s, doc, q, text ? text : "", text ? nbytes : 0, err);
    free(text);
    if (st != ZHS_OK) {
        json_decref(doc);
        return st;
    }
    *out = doc;
    return ZHS_OK;
}
