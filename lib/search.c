/* One search, end to end: parse and analyze q, compile it onto Xapian, weight up the
 * passages of the documents whose title matches, run it with the exact check as a
 * match decider, collapse to documents, count facets over all matches, and build the
 * response JSON (hits with metadata and snippets). When few passages match exactly,
 * a relaxed run adds after them the passages where the words' characters stand close
 * together, flagged in the response. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonstr.h"
#include "search_internal.h"
#include "snippet.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/schema.h"

/* ------------------------------------------------------------ the exact check */

typedef struct {
    zhs_searcher_t *s;
    const zhs_qnode_t *root;        /* the run's query */
    const zhs_qnode_t *exact_root;  /* the query as asked: tier 1 when it matches */
    bool widened;                   /* root is looser than exact_root (relaxed, or
                                       widened by synonyms) */
    bool need_filters;
    bool need_doc_record;
    size_t relax_window;
    zhs_status_t status;       /* first failure inside the decider */
    zhs_error_t err;
} decider_ctx_t;

/* Names of a JSON array of strings, or of objects with "name". At most max. */
static size_t json_names(json_t *arr, const char **out, size_t max)
{
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (n == max)
            break;
        const char *name = json_is_string(v) ? json_string_value(v)
                                             : json_string_value(json_object_get(v, "name"));
        if (name)
            out[n++] = name;
    }
    return n;
}

/* The match key of the passage text, or NULL with ctx->status set. */
static char *passage_key(decider_ctx_t *ctx, const char *text, size_t nbytes)
{
    zhs_normalized_t norm;
    char *key = NULL;
    zhs_status_t st = zhs_normalize(text, nbytes, 0, &norm, &ctx->err);
    if (st == ZHS_OK) {
        st = zhs_match_key(norm.text, norm.nbytes, &key, &ctx->err);
        zhs_normalized_release(&norm);
    }
    if (st != ZHS_OK)
        ctx->status = st;
    return key;
}

/* The passage's tier: 1 when it matches the query as asked, 2 when only the widened
 * run's (words' characters in order and close together, or synonyms), 0 when not at
 * all. */
static int tier_of(const decider_ctx_t *ctx, zhs_passage_view_t *view)
{
    /* An exact match is a widened one too (a word's characters side by side are in
     * order and close; a word stays in the OR of its synonyms; widened runs have no
     * NOT), and most of a widened run's candidates are neither: the wide check first
     * spares them the exact one. */
    if (ctx->widened) {
        view->relax_window = ctx->relax_window;
        if (!zhs_qnode_eval(ctx->root, view))
            return 0;
    }
    view->relax_window = 0;
    if (zhs_qnode_eval(ctx->exact_root, view))
        return 1;
    return ctx->widened ? 2 : 0;
}

static int decide(void *vctx, zhs_docid_t docid, const char *data, size_t nbytes)
{
    decider_ctx_t *ctx = vctx;
    (void)docid;
    if (ctx->status != ZHS_OK)
        return 0;
    /* Only the text when the data holds it (indexes before schema version 5), unless
     * filters are to be evaluated too: a full parse of the data costs more than the
     * rest of the check. */
    char *text = NULL;
    size_t text_nbytes = 0;
    json_t *j = NULL;
    if (ctx->need_filters ||
        !zhs_json_member_string(data, nbytes, "text", &text, &text_nbytes)) {
        json_error_t jerr;
        j = json_loadb(data, nbytes, 0, &jerr);
        zhs_status_t st = j ? zhs_searcher_passage_text(ctx->s, j, &text, &text_nbytes,
                                                        &ctx->err)
                            : zhs_error_set(&ctx->err, ZHS_ERR_DB_CORRUPT,
                                            "passage data is not JSON");
        if (st != ZHS_OK) {
            json_decref(j);
            ctx->status = st;
            return 0;
        }
    }
    char *key = passage_key(ctx, text, text_nbytes);
    const char *depts[64], *issuers[64];
    zhs_passage_view_t view = {.key = key, .depts = depts, .issuers = issuers};
    if (key && ctx->need_filters) {
        view.section = json_string_value(json_object_get(j, "section"));
        view.ndepts = json_names(json_object_get(j, "departments"), depts, 64);
    }
    if (key && ctx->need_doc_record) {
        json_t *rec = NULL;
        zhs_status_t st = zhs_searcher_doc_record(
            ctx->s, json_string_value(json_object_get(j, "doc")), &rec, &ctx->err);
        if (st != ZHS_OK)
            ctx->status = st;
        view.nissuers = json_names(json_object_get(rec, "issuer"), issuers, 64);
        view.year = (int)json_integer_value(json_object_get(rec, "year"));
    }
    int tier = ctx->status == ZHS_OK ? tier_of(ctx, &view) : 0;
    free(key);
    free(text);
    json_decref(j);
    return tier;
}

/* The exact check from the passage's match key (ZHS_SLOT_KEY, NUL-terminated) instead
 * of its data: used when no filter needs the data. */
static int decide_key(void *vctx, zhs_docid_t docid, const char *key, size_t nbytes)
{
    decider_ctx_t *ctx = vctx;
    (void)docid;
    zhs_passage_view_t view = {.key = key, .key_len = nbytes};
    return ctx->status == ZHS_OK ? tier_of(ctx, &view) : 0;
}

/* ------------------------------------------------------------ response pieces */

static const struct {
    unsigned bit;
    const char *name;
    unsigned slot;
    bool multi;
} facet_table[] = {
    {ZHS_FACET_DEPARTMENT, "department", ZHS_SLOT_DEPTS, true},
    {ZHS_FACET_YEAR, "year", ZHS_SLOT_YEAR, false},
    {ZHS_FACET_SECTION, "section", ZHS_SLOT_SECTION, false},
    {ZHS_FACET_ISSUER, "issuer", ZHS_SLOT_ISSUERS, true},
};
#define NFACETS (sizeof facet_table / sizeof facet_table[0])

typedef struct {
    json_t *values;
    unsigned limit;     /* 0: no limit */
} facet_list_t;

/* Appends a value to the list; stops at the limit. */
static int facet_value(void *ctx, const char *value, size_t nbytes, uint64_t count)
{
    facet_list_t *list = ctx;
    if (nbytes == 0)
        return 0;   /* passages without a value (no section, no department) */
    /* Built directly: json_pack would parse its format for each of possibly hundreds
     * of values. Not checked as UTF-8 here: the indexer stored them as such, and
     * whatever writes the reply out (json_dumps, the server's writer) checks again. */
    json_t *o = json_object();
    if (!o || json_object_set_new_nocheck(o, "value", json_stringn_nocheck(value, nbytes)) ||
        json_object_set_new_nocheck(o, "count", json_integer((json_int_t)count))) {
        json_decref(o);
        return 1;
    }
    return json_array_append_new(list->values, o) != 0 ||
           json_array_size(list->values) == list->limit;
}

/* Member key of obj (a new reference: hits share the values of the cached records and
 * of the passage data, which nothing changes), or JSON null. */
static json_t *member(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return v ? json_incref(v) : json_null();
}

/* An object of the n members names[i] = values[i] in order, taking the values (every one
 * released if it fails): NULL when memory ran out. Built member by member, since
 * json_pack parses its format again for every hit (a tenth of a rare word's search). */
static json_t *object_of(const char *const *names, json_t **values, size_t n)
{
    json_t *obj = json_object();
    bool ok = obj != NULL;
    for (size_t i = 0; i < n; i++) {
        if (!ok || !values[i]) {
            json_decref(values[i]);
            ok = false;
            continue;
        }
        ok = json_object_set_new_nocheck(obj, names[i], values[i]) == 0;
    }
    if (!ok) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

static json_t *issuers_of(json_t *rec)
{
    json_t *v = json_object_get(rec, "issuer");
    if (json_is_array(v))
        return json_incref(v);
    json_t *a = json_array();
    if (json_is_string(v))
        json_array_append(a, v);
    return a;
}

typedef struct {
    const zhs_compiled_t *compiled;
    const zhs_compiled_t *exact;   /* a widened run's exact run, whose keys mark its
                                      exact hits (NULL: compiled's mark every hit) */
    unsigned snippet_chars;
    zhs_group_t group;
    bool widened;          /* a widened run: hits may match only approximately */
} hit_opts_t;

/* Does the hit match the query exactly? Every hit of an exact run does; in a widened
 * run the decider's tier tells (unknown, null, when Xapian ranked the page). */
static json_t *exactness(const hit_opts_t *o, const zhs_mset_item_t *item)
{
    if (!o->widened || item->tier == 1)
        return json_true();
    return item->tier == 2 ? json_false() : json_null();
}

/* The parsed data of the page's passage i (a new reference), kept by the searcher for
 * the revision: a relaxed run shows the exact run's hits again, and searches share
 * hits. */
static zhs_status_t passage_data(zhs_searcher_t *s, const zhs_mset_t *mset, size_t i,
                                 zhs_docid_t docid, json_t **out, zhs_error_t *err)
{
    char key[24];
    snprintf(key, sizeof key, "%u", (unsigned)docid);
    json_t *known = s->passage_data ? json_object_get(s->passage_data, key) : NULL;
    if (known) {
        *out = json_incref(known);
        return ZHS_OK;
    }
    char *data = NULL;
    size_t nbytes = 0;
    zhs_status_t st = zhs_mset_item_value(mset, i, ZHS_SLOT_DATA, &data, &nbytes, err);
    if (st == ZHS_OK && nbytes == 0) {    /* indexes before schema version 6 */
        free(data);
        st = zhs_mset_item_data(mset, i, &data, &nbytes, err);
    }
    if (st != ZHS_OK)
        return st;
    json_error_t jerr;
    *out = json_loadb(data, nbytes, 0, &jerr);
    free(data);
    if (!*out)
        return zhs_error_set(err, ZHS_ERR_DB_CORRUPT, "passage data is not JSON: %s",
                             jerr.text);
    /* All forgotten when full; a failure to keep one costs reading it again. */
    if (!s->passage_data)
        s->passage_data = json_object();
    if (s->passage_data && json_object_size(s->passage_data) >= ZHS_PASSAGE_CACHE_MAX)
        json_object_clear(s->passage_data);
    if (s->passage_data)
        json_object_set(s->passage_data, key, *out);
    return ZHS_OK;
}

static zhs_status_t build_hit(zhs_searcher_t *s, const zhs_mset_t *mset, size_t i,
                              const hit_opts_t *o, json_t **out, zhs_error_t *err)
{
    zhs_mset_item_t item;
    json_t *p = NULL;
    *out = NULL;
    zhs_status_t st = zhs_mset_item(mset, i, &item, err);
    if (st == ZHS_OK)
        st = passage_data(s, mset, i, item.docid, &p, err);
    if (st != ZHS_OK)
        return st;
    const char *id = json_string_value(json_object_get(p, "doc"));
    if (!id) {
        json_decref(p);
        return zhs_error_set(err, ZHS_ERR_DB_CORRUPT, "passage data is not the schema's JSON");
    }
    json_t *rec = NULL;
    if ((st = zhs_searcher_doc_record(s, id, &rec, err)) != ZHS_OK) {
        json_decref(p);
        return st;
    }
    json_t *deps = json_object_get(p, "departments");
    static const char *const names[] = {
        "doc",         "title",       "issuer",     "doc_number", "date",  "year",
        "url",         "section",     "subsection", "departments", "file", "line_start",
        "line_end",    "score",       "more",       "exact"};
    json_t *values[] = {
        member(p, "doc"), member(rec, "title"), issuers_of(rec), member(rec, "doc_number"),
        member(rec, "date"), member(rec, "year"), member(rec, "url"), member(p, "section"),
        member(p, "subsection"), json_is_array(deps) ? json_incref(deps) : json_array(),
        member(rec, "file"), member(p, "line_start"),
        member(p, json_object_get(p, "line_end") ? "line_end" : "line_start"),
        json_real(round(item.weight * 10000.0) / 10000.0),
        json_integer((json_int_t)(o->group == ZHS_GROUP_DOC ? item.collapse_count : 0)),
        exactness(o, &item)};
    json_t *hit = object_of(names, values, sizeof values / sizeof values[0]);
    if (hit && o->snippet_chars) {
        char *text = NULL, *snippet = NULL;
        size_t text_nbytes = 0;
        /* An exact hit of a widened run is marked as the exact run marks it: its words
         * whole, not near characters or synonyms (国际 … 合作 apart from 国际科技合作). */
        zhs_marks_t marks =
            zhs_compiled_marks(o->exact && item.tier == 1 ? o->exact : o->compiled);
        st = zhs_searcher_passage_text(s, p, &text, &text_nbytes, err);
        if (st == ZHS_OK)
            st = zhs_snippet_make(text, text_nbytes, &marks, o->snippet_chars, &snippet, err);
        /* Cut from the passage text on character boundaries (and checked on output). */
        if (st == ZHS_OK)
            json_object_set_new(hit, "snippet", json_string_nocheck(snippet));
        free(snippet);
        free(text);
    }
    json_decref(p);
    if (!hit && st == ZHS_OK)
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory building a hit");
    if (st != ZHS_OK) {
        json_decref(hit);
        return st;
    }
    *out = hit;
    return ZHS_OK;
}

zhs_status_t zhs_search_warm(zhs_searcher_t *s, zhs_error_t *err)
{
    zhs_status_t st = zhs_db_warm_keys(s->db, ZHS_SLOT_KEY, err);
    if (st == ZHS_OK)
        st = zhs_db_warm_column(s->db, ZHS_SLOT_DOC, false, err);
    if (st == ZHS_OK)
        st = zhs_db_warm_column(s->db, ZHS_SLOT_DATE, false, err);
    for (size_t f = 0; f < NFACETS && st == ZHS_OK; f++)
        st = zhs_db_warm_column(s->db, facet_table[f].slot, facet_table[f].multi, err);
    return st;
}

/* ------------------------------------------------------------ the title boost */

/* A title query that could match more titles than this (its terms' counts say so
 * before any match: a word in most titles, 关于, 通知) says little about any one
 * document, and walking thousands of titles for it cost more than the search (关于
 * 2.8 -> 5.2 ms over 385,000 passages): it boosts nothing. */
#define TITLE_BOOST_MAX_DOCS 1000

/* The title boost, when the compiled query has a title query: the title passages it
 * matches (deleted ones left out, as in every match) weighted as a search weights
 * passages, then *out = c->query AND_MAYBE every passage of their documents weighted
 * title_weight times its document's title weight. *out NULL (ZHS_OK) when there is no
 * boost; caller frees it. */
static zhs_status_t title_boosted(zhs_searcher_t *s, const zhs_compiled_t *c,
                                  zhs_query_t **out, zhs_error_t *err)
{
    *out = NULL;
    if (!c->title)
        return ZHS_OK;
    const zhs_rank_params_t *r = &s->rank;
    zhs_enquire_t *enq = NULL;
    zhs_mset_t *mset = NULL;
    zhs_status_t st = zhs_enquire_new(s->db, &enq, err);
    if (st == ZHS_OK)
        st = zhs_enquire_set_query(enq, c->title, err);
    if (st == ZHS_OK)
        st = zhs_enquire_set_bm25(enq, r->k1, 0.0, 1.0, r->b, r->min_normlen, err);
    /* A page of none: Xapian's bounds from the terms' counts alone. */
    if (st == ZHS_OK)
        st = zhs_enquire_get_mset(enq, 0, 0, 0, &mset, err);
    bool few = st == ZHS_OK && zhs_mset_matches_upper(mset) <= TITLE_BOOST_MAX_DOCS;
    zhs_mset_free(mset);
    mset = NULL;
    if (few)
        st = zhs_enquire_get_mset(enq, 0, TITLE_BOOST_MAX_DOCS, 0, &mset, err);
    size_t n = zhs_mset_size(mset);
    zhs_docid_t *docids = n ? calloc(n, sizeof *docids) : NULL;
    double *weights = n ? calloc(n, sizeof *weights) : NULL;
    if (st == ZHS_OK && n && (!docids || !weights))
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory weighing titles");
    for (size_t i = 0; i < n && st == ZHS_OK; i++) {
        zhs_mset_item_t item;
        st = zhs_mset_item(mset, i, &item, err);
        docids[i] = item.docid;
        weights[i] = r->title_weight * item.weight;
    }
    zhs_query_t *boost = st == ZHS_OK && n ? zhs_query_value_weights(
                                                 s->db, ZHS_SLOT_DOC, docids, weights, n, err)
                                           : NULL;
    if (st == ZHS_OK && n && !boost)
        st = err && err->status ? err->status : ZHS_ERR_NOMEM;
    if (boost) {
        zhs_query_t *pair[2] = {c->query, boost};
        if (!(*out = zhs_query_combine(ZHS_QOP_AND_MAYBE, pair, 2, err)))
            st = err && err->status ? err->status : ZHS_ERR_NOMEM;
    }
    zhs_query_free(boost);
    free(docids);
    free(weights);
    zhs_mset_free(mset);
    zhs_enquire_free(enq);
    return st;
}

/* ------------------------------------------------------------ running */

/* One run of the search (exact or relaxed) as matched: kept until the response is built
 * from it, or dropped when the search shows the other run (building hits and facets
 * for a run nobody sees was half of a rare word's exact run). */
typedef struct {
    zhs_compiled_t compiled;
    decider_ctx_t dctx;        /* read by the enquire's decider during the match */
    zhs_enquire_t *enq;
    zhs_mset_t *mset;
    unsigned facet_index[NFACETS], doc_index;
    uint64_t passages;         /* matching passages, whatever the grouping */
} run_t;

static void run_release(run_t *r)
{
    zhs_mset_free(r->mset);
    zhs_enquire_free(r->enq);
    zhs_compiled_release(&r->compiled);
    memset(r, 0, sizeof *r);
}

static zhs_status_t configure(zhs_searcher_t *s, zhs_enquire_t *enq,
                              const zhs_search_request_t *req, const zhs_compiled_t *c,
                              decider_ctx_t *dctx, unsigned facet_index[NFACETS],
                              unsigned *doc_index, zhs_error_t *err)
{
    const zhs_rank_params_t *r = &s->rank;
    zhs_query_t *boosted = NULL;
    zhs_status_t st = title_boosted(s, c, &boosted, err);
    if (st == ZHS_OK)
        st = zhs_enquire_set_query(enq, boosted ? boosted : c->query, err);
    zhs_query_free(boosted);
    if (st == ZHS_OK)
        st = zhs_enquire_set_bm25(enq, r->k1, 0.0, 1.0, r->b, r->min_normlen, err);
    if (st == ZHS_OK && req->sort != ZHS_SORT_RELEVANCE)
        st = zhs_enquire_set_sort_by_value(enq, ZHS_SLOT_DATE, req->sort == ZHS_SORT_DATE,
                                           err);
    if (st == ZHS_OK && req->group == ZHS_GROUP_DOC)
        st = zhs_enquire_set_collapse(enq, ZHS_SLOT_DOC, 1, err);
    if (st == ZHS_OK && c->need_decider)
        st = zhs_enquire_set_decider(enq, decide, dctx, err);
    if (st == ZHS_OK && c->need_decider)
        st = zhs_enquire_set_decider_data(enq, ZHS_SLOT_DATA, err);
    if (st == ZHS_OK && c->need_decider && !c->need_filters && !c->need_doc_record)
        st = zhs_enquire_set_decider_value(enq, ZHS_SLOT_KEY, decide_key, err);
    int unit = req->group == ZHS_GROUP_DOC ? ZHS_SLOT_DOC : -1;
    for (size_t f = 0; f < NFACETS && st == ZHS_OK; f++) {
        if (!(req->facets & facet_table[f].bit))
            continue;
        zhs_facet_spec_t spec = {facet_table[f].slot, facet_table[f].multi, unit};
        st = zhs_enquire_add_facet(enq, &spec, &facet_index[f], err);
    }
    if (st == ZHS_OK && req->group == ZHS_GROUP_DOC) {
        /* Counts the matching documents exactly (the total with group=doc). */
        zhs_facet_spec_t spec = {ZHS_SLOT_DOC, false, ZHS_SLOT_DOC};
        st = zhs_enquire_add_facet(enq, &spec, doc_index, err);
    }
    return st;
}

/* The run's total: its matching passages, or their documents with group=doc. */
static zhs_status_t run_total(const zhs_search_request_t *req, run_t *r, uint64_t *total,
                              zhs_error_t *err)
{
    *total = zhs_mset_matches_estimated(r->mset);
    return req->group == ZHS_GROUP_DOC
               ? zhs_enquire_facet_units(r->enq, r->doc_index, total, err)
               : ZHS_OK;
}

/* The page's hits and the facet counts of run r, appended to hits and set in facets
 * (NULL when none are asked for). exact: the exact run when r is the widened one, else
 * NULL. */
static zhs_status_t collect(zhs_searcher_t *s, const zhs_search_request_t *req, run_t *r,
                            const run_t *exact, json_t *hits, json_t *facets,
                            zhs_error_t *err)
{
    zhs_status_t st = ZHS_OK;
    hit_opts_t o = {&r->compiled, exact ? &exact->compiled : NULL, req->snippet_chars,
                    req->group, r->dctx.widened};
    size_t n = zhs_mset_size(r->mset);
    for (size_t i = 0; i < n && st == ZHS_OK; i++) {
        json_t *hit;
        st = build_hit(s, r->mset, i, &o, &hit, err);
        if (st == ZHS_OK && json_array_append_new(hits, hit) != 0)
            st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory building hits");
    }
    for (size_t f = 0; f < NFACETS && st == ZHS_OK && facets; f++) {
        if (!(req->facets & facet_table[f].bit))
            continue;
        json_t *values = json_array();
        if (!values || json_object_set_new(facets, facet_table[f].name, values) != 0)
            return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory building facets");
        facet_list_t list = {values, req->facet_limit};
        st = zhs_enquire_facet_counts(r->enq, r->facet_index[f], facet_value, &list, err);
    }
    return st;
}

/* Compiles root (relaxed or exact) over the current revision into r, which the caller
 * releases whatever the outcome. exact_root: the query as asked, when root is a
 * widened form of it (synonyms added), else root. */
static zhs_status_t run_compile(zhs_searcher_t *s, const zhs_search_request_t *req,
                                zhs_qnode_t *root, const zhs_qnode_t *exact_root, bool relaxed,
                                run_t *r, zhs_error_t *err)
{
    zhs_compiled_t *c = &r->compiled;
    r->dctx = (decider_ctx_t){.s = s,
                              .root = root,
                              .exact_root = exact_root,
                              .widened = relaxed || root != exact_root,
                              .relax_window = relaxed ? s->rank.relax_window : 0};
    zhs_status_t st = zhs_compile(root, req, &s->rank, s, relaxed, c, err);
    r->dctx.need_filters = c->need_filters;
    r->dctx.need_doc_record = c->need_doc_record;
    return st;
}

/* Matches r's compiled query over the current revision. */
static zhs_status_t run_match(zhs_searcher_t *s, const zhs_search_request_t *req, run_t *r,
                              zhs_error_t *err)
{
    zhs_compiled_t *c = &r->compiled;
    zhs_status_t st = zhs_enquire_new(s->db, &r->enq, err);
    if (st == ZHS_OK)
        st = configure(s, r->enq, req, c, &r->dctx, r->facet_index, &r->doc_index, err);
    if (st == ZHS_OK)
        st = zhs_enquire_get_mset(r->enq, req->offset, req->limit, UINT32_MAX, &r->mset, err);
    if (st == ZHS_OK && r->dctx.status != ZHS_OK)
        st = zhs_error_set(err, r->dctx.status, "%s", r->dctx.err.message);
    if (st == ZHS_OK)
        r->passages = zhs_enquire_matches_seen(r->enq);
    return st;
}

static bool is_text(const zhs_qnode_t *n)
{
    return n->kind == ZHS_QN_TERM || n->kind == ZHS_QN_PHRASE;
}

/* A word or a phrase with a searchable key, or an inline filter. */
static bool is_word_or_filter(const zhs_qnode_t *n)
{
    return n->kind == ZHS_QN_FILTER || (is_text(n) && n->key && n->key[0]);
}

static bool is_not(const zhs_qnode_t *n)
{
    return n->kind == ZHS_QN_NOT;
}

/* Characters of the words (unquoted terms) under n: what a relaxed run loosens. */
static size_t word_chars(const zhs_qnode_t *n)
{
    size_t count = 0;
    if (n->kind == ZHS_QN_TERM && n->key)
        for (const char *p = n->key; *p; p++)
            count += ((unsigned char)*p & 0xC0) != 0x80;
    for (size_t i = 0; i < n->nkids; i++)
        count += word_chars(n->kids[i]);
    return count;
}

/* A relaxed run checks every character of the words: past a few words' worth it costs much
 * (a 260-character query: 1.5 -> 200 ms) and finds text, not the words, anyway. */
#define RELAX_MAX_CHARS 16

/* The fewest passages any character of text can be in (UINT64_MAX for none). */
static zhs_status_t rarest_char(zhs_searcher_t *s, const char *text, uint64_t *min,
                                zhs_error_t *err)
{
    *min = UINT64_MAX;
    zhs_status_t st = ZHS_OK;
    for (const char *p = text; *p && st == ZHS_OK;) {
        size_t len = 1;
        while (((unsigned char)p[len] & 0xC0) == 0x80)
            len++;
        uint64_t freq = 0;
        if (*p != ' ' && (st = zhs_searcher_char_freq(s, p, len, &freq, err)) == ZHS_OK &&
            freq < *min)
            *min = freq;
        p += len;
    }
    return st;
}

/* An upper bound of the passages a relaxed run of n meets: a text leaf's rarest
 * character, the least of an AND, the sum of an OR; none (UINT64_MAX) for a filter. A
 * synonym counts for none: it is matched exactly, by its bigrams, and the word it
 * stands beside bounds the near matches. */
static zhs_status_t relaxed_bound(zhs_searcher_t *s, const zhs_qnode_t *n, uint64_t *bound,
                                  zhs_error_t *err)
{
    if (n->synonym || (is_text(n) && !n->key))
        return *bound = 0, ZHS_OK;
    if (is_text(n))
        return rarest_char(s, n->key, bound, err);
    bool any = n->kind == ZHS_QN_OR;
    *bound = any ? 0 : UINT64_MAX;
    zhs_status_t st = ZHS_OK;
    for (size_t i = 0; i < n->nkids && st == ZHS_OK; i++) {
        uint64_t kid = 0;
        st = relaxed_bound(s, n->kids[i], &kid, err);
        if (any)
            *bound = kid > UINT64_MAX - *bound ? UINT64_MAX : *bound + kid;
        else if (kid < *bound)
            *bound = kid;
    }
    return st;
}

bool zhs_search_relaxable(zhs_searcher_t *s, const zhs_qnode_t *root)
{
    /* Counting characters first is deliberate: the bound looks each character up in
     * the index (milliseconds the first time for a common one), so a long query is
     * turned away before any lookup. */
    size_t chars = root ? word_chars(root) : 0;
    if (chars == 0 || chars > RELAX_MAX_CHARS || zhs_qnode_any(root, is_not))
        return false;
    uint64_t bound = UINT64_MAX;
    return relaxed_bound(s, root, &bound, NULL) == ZHS_OK &&
           bound <= s->rank.relax_max_candidates;
}

static bool request_has_filters(const zhs_search_request_t *req)
{
    return req->dept.n || req->issuer.n || req->section.n || req->year.n;
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
    return round(ms * 1000.0) / 1000.0;
}

static zhs_status_t parse_request(const zhs_search_request_t *req, zhs_qnode_t **root,
                                  zhs_error_t *err)
{
    *root = NULL;
    if (req->limit > ZHS_LIMIT_MAX)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "limit must be at most %d", ZHS_LIMIT_MAX);
    const char *q = req->q ? req->q : "";
    size_t n = strlen(q);
    if (n > ZHS_QUERY_MAX_BYTES)
        return zhs_error_set_at(err, ZHS_ERR_BAD_QUERY, ZHS_QUERY_MAX_BYTES,
                                "query longer than %d bytes", ZHS_QUERY_MAX_BYTES);
    zhs_status_t st = zhs_utf8_validate(q, n, err);
    if (st == ZHS_OK)
        st = zhs_qnode_parse(q, n, root, err);
    if (st == ZHS_OK)
        st = zhs_qnode_analyze(root, err);
    /* `(` or `。` alone would otherwise run as "everything": a query must name something. */
    if (st == ZHS_OK && !zhs_qnode_any(*root, is_word_or_filter) && !request_has_filters(req) &&
        !zhs_query_is_blank(q))
        st = zhs_error_set(err, ZHS_ERR_BAD_QUERY,
                           "the query has no words to search for: \"%.60s\"", q);
    if (st != ZHS_OK) {
        zhs_qnode_free(*root);
        *root = NULL;
    }
    return st;
}

/* The response's "query": as asked, and how the run shown widened it (relaxed: by
 * near matches or synonyms; synonyms: the terms added, when any). */
static json_t *query_json(const zhs_search_request_t *req, const zhs_qnode_t *root,
                          const run_t *shown)
{
    char *normalized = root ? zhs_qnode_unparse(root) : strdup("");
    json_t *j = json_pack("{s:s,s:s?,s:b}", "q", req->q ? req->q : "", "normalized",
                          normalized, "relaxed", shown->dctx.widened);
    free(normalized);
    if (j && shown->dctx.root != shown->dctx.exact_root)
        zhs_synonyms_json(shown->dctx.root, j);
    return j;
}

/* The widened run, when the exact one found few passages: the words' near matches
 * (relaxed) and their synonyms, where the query allows each. Leaves r empty (no
 * enquire) when neither applies. *wide: the synonym-widened tree (caller frees). */
static zhs_status_t run_widened(zhs_searcher_t *s, const zhs_search_request_t *req,
                                zhs_qnode_t *root, const run_t *exact, zhs_qnode_t **wide,
                                run_t *r, zhs_error_t *err)
{
    *wide = NULL;
    if (req->exact_only || exact->passages >= s->rank.relax_below)
        return ZHS_OK;
    /* Not under a NOT, as near matches: zhs_search_relaxable() refuses those. */
    zhs_status_t st = zhs_qnode_any(root, is_not) ? ZHS_OK
                                             : zhs_qnode_expand(root, zhs_searcher_synonyms, s, wide,
                                                                err);
    zhs_qnode_t *tree = *wide ? *wide : root;
    bool relaxed = st == ZHS_OK && s->rank.relax_window > 0 && zhs_search_relaxable(s, tree);
    if (st != ZHS_OK || (!relaxed && !*wide))
        return st;
    st = run_compile(s, req, tree, root, relaxed, r, err);
    /* Where the compiled query says it can match no more passages than the exact run
     * did (most rare words: their only near passages are the exact ones), the widened
     * run would show the same: it is not matched. */
    if (st == ZHS_OK && r->compiled.matches_at_most > exact->passages)
        st = run_match(s, req, r, err);
    return st;
}

/* The response over the current revision: the exact run, and when it finds few passages
 * the widened one, which keeps them first (tier 1) and adds after them the passages
 * where the words' characters stand close together or their synonyms occur; hits and
 * facets are built from the run shown. */
static zhs_status_t search_once(zhs_searcher_t *s, const zhs_search_request_t *req,
                                zhs_qnode_t *root, json_t **out, zhs_error_t *err)
{
    run_t exact = {0}, wide = {0};
    run_t *shown = &exact;
    zhs_qnode_t *wide_root = NULL;
    zhs_status_t st = run_compile(s, req, root, root, false, &exact, err);
    if (st == ZHS_OK)
        st = run_match(s, req, &exact, err);
    if (st == ZHS_OK)
        st = run_widened(s, req, root, &exact, &wide_root, &wide, err);
    if (st == ZHS_OK && wide.mset && wide.passages > exact.passages)
        shown = &wide;
    uint64_t total = 0, exact_total = 0;
    if (st == ZHS_OK)
        st = run_total(req, shown, &total, err);
    if (st == ZHS_OK && shown == &exact)
        exact_total = total;
    else if (st == ZHS_OK)
        st = run_total(req, &exact, &exact_total, err);
    json_t *hits = json_array(), *facets = req->facets ? json_object() : NULL;
    if (st == ZHS_OK && (!hits || (req->facets && !facets)))
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory running a search");
    if (st == ZHS_OK)
        st = collect(s, req, shown, shown == &exact ? NULL : &exact, hits, facets, err);
    if (st == ZHS_OK) {
        *out = json_pack("{s:o,s:I,s:I,s:I,s:I,s:f,s:O}", "query",
                         query_json(req, root, shown), "total", (json_int_t)total,
                         "exact_total", (json_int_t)exact_total, "offset",
                         (json_int_t)req->offset, "limit", (json_int_t)req->limit, "took_ms",
                         0.0, "hits", hits);
        if (*out && facets)
            json_object_set(*out, "facets", facets);
        if (!*out)
            st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory building the response");
    }
    json_decref(hits);
    json_decref(facets);
    run_release(&exact);
    run_release(&wide);
    zhs_qnode_free(wide_root);
    return st;
}

zhs_status_t zhs_search(zhs_searcher_t *s, const zhs_search_request_t *req, json_t **out,
                        zhs_error_t *err)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    *out = NULL;
    if (!s || !req)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "searcher or request is NULL");
    zhs_qnode_t *root;
    zhs_status_t st = parse_request(req, &root, err);
    if (st != ZHS_OK)
        return st;
    /* A new revision overwrote what the search was reading: once more on the newest. */
    for (int attempt = 0;; attempt++) {
        zhs_error_t local = {0};
        st = search_once(s, req, root, out, &local);
        if (st == ZHS_ERR_DB_MODIFIED && attempt == 0 &&
            zhs_searcher_reopen(s, &local) == ZHS_OK)
            continue;
        if (st != ZHS_OK)
            zhs_error_set(err, st, "%s", local.message);
        break;
    }
    if (st == ZHS_OK)
        json_object_set_new(*out, "took_ms", json_real(ms_since(&t0)));
    zhs_qnode_free(root);
    return st;
}
