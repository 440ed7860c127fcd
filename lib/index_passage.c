/* One Xapian document per passage, exactly as schema.h describes it: content terms from
 * the analyzer (no positions), the title terms on the document's title passage, the
 * boolean filter terms, the value slots and the JSON data. The passage's text is stored
 * once, in its document's `text:` record: the data and a value slot say where it stands
 * there. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "index_internal.h"
#include "zhsearch/schema.h"

typedef struct {
    zhs_xdoc_t *xdoc;
    const char *prefix;     /* of every term: "" (content) or ZHS_PREFIX_TITLE */
    zhs_status_t status;
    zhs_error_t *err;
    zhs_token_t unigram;    /* held until we know whether a bigram starts with it */
    bool have_unigram;
} term_sink_t;

/* Appends bytes to a malloc()ed buffer growing by doubling. */
static bool buf_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t ncap = *cap ? *cap : 256;
        while (ncap < *len + n + 1)
            ncap *= 2;
        char *nb = realloc(*buf, ncap);
        if (!nb)
            return false;
        *buf = nb;
        *cap = ncap;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return true;
}

static int add_term(term_sink_t *sink, const zhs_token_t *tok)
{
    /* Xapian's own TermGenerator drops over-long terms too: they cannot be searched. */
    size_t plen = strlen(sink->prefix);
    if (tok->nbytes + plen > ZHS_MAX_TERM_BYTES - 1)
        return 0;
    if (!plen) {
        sink->status = zhs_xdoc_add_term(sink->xdoc, tok->term, tok->nbytes, 1, sink->err);
        return sink->status != ZHS_OK;
    }
    char term[ZHS_MAX_TERM_BYTES];
    memcpy(term, sink->prefix, plen);
    memcpy(term + plen, tok->term, tok->nbytes);
    sink->status = zhs_xdoc_add_term(sink->xdoc, term, plen + tok->nbytes, 1, sink->err);
    return sink->status != ZHS_OK;
}

static int flush_unigram(term_sink_t *sink)
{
    bool have = sink->have_unigram;
    sink->have_unigram = false;
    return have ? add_term(sink, &sink->unigram) : 0;
}

/* A Han character is indexed by the bigram it starts, or by its unigram when it ends
 * its run (see schema.h): the tokenizer emits a unigram right before the bigram that
 * starts with it, if any. */
static int add_token(void *ctx, const zhs_token_t *tok)
{
    term_sink_t *sink = ctx;
    if (tok->kind == ZHS_TOKEN_BIGRAM) {
        sink->have_unigram = false;
        return add_term(sink, tok);
    }
    if (flush_unigram(sink))
        return 1;
    if (tok->kind == ZHS_TOKEN_UNIGRAM) {
        sink->unigram = *tok;
        sink->have_unigram = true;
        return 0;
    }
    return add_term(sink, tok);
}

zhs_status_t ix_passage_analyze(const zhs_passage_t *p, ix_passage_t *out, zhs_error_t *err)
{
    memset(out, 0, sizeof *out);
    out->p = p;
    zhs_status_t st = zhs_normalize(p->text, strlen(p->text), 0, &out->norm, err);
    if (st != ZHS_OK)
        return st;
    char *key = NULL;
    st = zhs_match_key(out->norm.text, out->norm.nbytes, &key, err);
    if (st != ZHS_OK) {
        zhs_normalized_release(&out->norm);
        return st;
    }
    out->hash = XXH3_64bits(key, strlen(key));
    out->key = key;
    return ZHS_OK;
}

void ix_passage_release(ix_passage_t *ps)
{
    if (!ps)
        return;
    zhs_normalized_release(&ps->norm);
    free(ps->key);
    ps->key = NULL;
}

size_t ix_hash_term(uint64_t hash, char *buf)
{
    return (size_t)sprintf(buf, ZHS_PREFIX_HASH "%016" PRIx64, hash);
}

/* A boolean term prefix + value; values too long for a term are left out (they could
 * not be searched for anyway). */
static zhs_status_t add_filter(zhs_xdoc_t *xdoc, const char *prefix, const char *value,
                               bool normalize, zhs_error_t *err)
{
    char *norm = NULL;
    if (normalize) {
        zhs_status_t st = zhs_normalize_str(value, &norm, err);
        if (st != ZHS_OK)
            return st;
        value = norm;
    }
    char term[ZHS_MAX_TERM_BYTES + 1];
    size_t np = strlen(prefix), nv = strlen(value);
    zhs_status_t st = ZHS_OK;
    if (nv > 0 && np + nv <= ZHS_MAX_TERM_BYTES) {
        memcpy(term, prefix, np);
        memcpy(term + np, value, nv);
        st = zhs_xdoc_add_boolean(xdoc, term, np + nv, err);
    }
    free(norm);
    return st;
}

static zhs_status_t set_value_str(zhs_xdoc_t *xdoc, unsigned slot, const char *s,
                                  zhs_error_t *err)
{
    if (!s || !*s)
        return ZHS_OK;
    return zhs_xdoc_set_value(xdoc, slot, s, strlen(s), err);
}

/* Sets a multi-valued slot: name(i, ctx) for i < n joined by ZHS_VALUE_SEP. */
static zhs_status_t set_value_list(zhs_xdoc_t *xdoc, unsigned slot, size_t n,
                                   const char *(*name)(const void *ctx, size_t i),
                                   const void *ctx, zhs_error_t *err)
{
    if (n == 0)
        return ZHS_OK;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    const char sep[1] = {ZHS_VALUE_SEP};
    for (size_t i = 0; i < n; i++) {
        const char *s = name(ctx, i);
        if ((i && !buf_append(&buf, &len, &cap, sep, 1)) ||
            !buf_append(&buf, &len, &cap, s, strlen(s))) {
            free(buf);
            return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory for slot %u", slot);
        }
    }
    zhs_status_t st = zhs_xdoc_set_value(xdoc, slot, buf, len, err);
    free(buf);
    return st;
}

static const char *dept_name(const void *ctx, size_t i)
{
    return ((const zhs_passage_t *)ctx)->departments[i].name;
}

static const char *issuer_name(const void *ctx, size_t i)
{
    return ((const ix_meta_t *)ctx)->issuers[i];
}

static const char *section_name(const zhs_document_t *doc, int i)
{
    return i >= 0 && (size_t)i < doc->nsections ? doc->sections[i].name : NULL;
}

/* Does the passage's text stand at its offset in the document's text? (Documents
 * built by hand may not say where; their passages keep their text in the data.) */
static bool text_in_document(const zhs_document_t *doc, const zhs_passage_t *p)
{
    size_t n = strlen(p->text);
    return doc->text && p->offset <= doc->text_nbytes && n <= doc->text_nbytes - p->offset &&
           memcmp(doc->text + p->offset, p->text, n) == 0;
}

/* Sets key to v (a new reference, taken) unless v is NULL; false when out of memory. */
static bool set_unless_null(json_t *obj, const char *key, json_t *v)
{
    return !v || json_object_set_new(obj, key, v) == 0;
}

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : NULL;
}

/* The passage data: compact JSON of the passage (caller frees), members that say
 * nothing left out (schema.h). */
static char *passage_data(const ix_meta_t *m, const zhs_document_t *doc,
                          const zhs_passage_t *p)
{
    json_t *data = json_pack("{s:s, s:I}", "doc", m->id, "line_start",
                             (json_int_t)p->line_start);
    bool ok = data != NULL;
    if (ok && p->line_end != p->line_start)
        ok = set_unless_null(data, "line_end", json_integer((json_int_t)p->line_end));
    if (ok)
        ok = set_unless_null(data, "section", string_or_null(section_name(doc, p->section)));
    if (ok)
        ok = set_unless_null(data, "subsection",
                             string_or_null(section_name(doc, p->subsection)));
    json_t *depts = ok && p->ndepartments ? json_array() : NULL;
    for (size_t i = 0; depts && i < p->ndepartments; i++)
        if (json_array_append_new(depts, json_pack("{s:s, s:s}", "name",
                                                   p->departments[i].name, "role",
                                                   zhs_role_name(p->departments[i].role))))
            json_decref(depts), depts = NULL;
    if (ok && p->ndepartments)
        ok = depts && json_object_set_new(data, "departments", depts) == 0;
    if (!ok) {
        json_decref(data);
        return NULL;
    }
    bool in_doc = text_in_document(doc, p);
    if ((in_doc && (json_object_set_new(data, "offset", json_integer((json_int_t)p->offset)) ||
                    json_object_set_new(data, "nbytes",
                                        json_integer((json_int_t)strlen(p->text))))) ||
        (!in_doc && json_object_set_new(data, "text", json_string(p->text)))) {
        json_decref(data);
        return NULL;
    }
    char *s = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(data);
    return s;
}

/* The analyzer's terms of a normalized text, each with prefix. */
static zhs_status_t add_text_terms(zhs_xdoc_t *xdoc, const char *prefix,
                                   const zhs_normalized_t *norm, zhs_error_t *err)
{
    term_sink_t sink = {.xdoc = xdoc, .prefix = prefix, .status = ZHS_OK, .err = err};
    zhs_tokenize(norm->text, norm->nbytes, add_token, &sink);
    if (sink.status == ZHS_OK)
        flush_unigram(&sink);
    return sink.status;
}

static zhs_status_t add_terms(zhs_xdoc_t *xdoc, const ix_meta_t *m,
                              const zhs_document_t *doc, const ix_passage_t *ps,
                              const zhs_normalized_t *title, zhs_error_t *err)
{
    const zhs_passage_t *p = ps->p;
    zhs_status_t st = add_text_terms(xdoc, "", &ps->norm, err);
    if (st == ZHS_OK && title)
        st = add_text_terms(xdoc, ZHS_PREFIX_TITLE, title, err);
    /* The passage's unique id term: a passage is never indexed twice, whatever path
     * puts it (deletes and replacements go by XDOC, a whole document at a time). */
    char idterm[ZHS_MAX_TERM_BYTES + 1];
    int idn = snprintf(idterm, sizeof idterm, ZHS_PREFIX_ID "%s#%u", m->id, p->line_start);
    if (st == ZHS_OK && idn > 0 && (size_t)idn < sizeof idterm)
        st = zhs_xdoc_add_boolean(xdoc, idterm, (size_t)idn, err);
    if (st == ZHS_OK)
        st = add_filter(xdoc, ZHS_PREFIX_DOC, m->id, false, err);
    for (size_t i = 0; st == ZHS_OK && i < p->ndepartments; i++)
        st = add_filter(xdoc, ZHS_PREFIX_DEPT, p->departments[i].name, true, err);
    for (size_t i = 0; st == ZHS_OK && i < m->nissuers; i++)
        st = add_filter(xdoc, ZHS_PREFIX_ISSUER, m->issuers[i], true, err);
    const char *sec = section_name(doc, p->section);
    if (st == ZHS_OK && sec)
        st = add_filter(xdoc, ZHS_PREFIX_SECTION, sec, true, err);
    char term[ZHS_MAX_TERM_BYTES + 1];
    int n;
    if (m->year > 0)
        n = snprintf(term, sizeof term, ZHS_PREFIX_YEAR "%d", m->year);
    else
        n = snprintf(term, sizeof term, ZHS_PREFIX_YEAR "%s", ZHS_YEAR_UNKNOWN);
    if (st == ZHS_OK)
        st = zhs_xdoc_add_boolean(xdoc, term, (size_t)n, err);
    n = (int)ix_hash_term(ps->hash, term);
    if (st == ZHS_OK)
        st = zhs_xdoc_add_boolean(xdoc, term, (size_t)n, err);
    return st;
}

static zhs_status_t add_values(zhs_xdoc_t *xdoc, const ix_meta_t *m,
                               const zhs_document_t *doc, const ix_passage_t *ps,
                               zhs_error_t *err)
{
    const zhs_passage_t *p = ps->p;
    char buf[32];
    zhs_status_t st = ZHS_OK;
    if (m->date) {
        size_t n = 0;
        for (const char *c = m->date; *c && n < sizeof buf - 1; c++)
            if (*c != '-')
                buf[n++] = *c;
        buf[n] = '\0';
        st = set_value_str(xdoc, ZHS_SLOT_DATE, buf, err);
    }
    if (m->year > 0)
        snprintf(buf, sizeof buf, "%d", m->year);
    else
        snprintf(buf, sizeof buf, "%s", ZHS_YEAR_UNKNOWN);
    if (st == ZHS_OK)
        st = set_value_str(xdoc, ZHS_SLOT_YEAR, buf, err);
    if (st == ZHS_OK)
        st = set_value_str(xdoc, ZHS_SLOT_DOC, m->id, err);
    if (st == ZHS_OK)
        st = set_value_list(xdoc, ZHS_SLOT_DEPTS, p->ndepartments, dept_name, p, err);
    if (st == ZHS_OK)
        st = set_value_str(xdoc, ZHS_SLOT_SECTION, section_name(doc, p->section), err);
    if (st == ZHS_OK)
        st = set_value_list(xdoc, ZHS_SLOT_ISSUERS, m->nissuers, issuer_name, m, err);
    if (st == ZHS_OK && text_in_document(doc, p)) {
        snprintf(buf, sizeof buf, "%zu,%zu", p->offset, strlen(p->text));
        st = set_value_str(xdoc, ZHS_SLOT_SPAN, buf, err);
    }
    return st;
}

zhs_status_t ix_passage_write(zhs_index_t *ix, const ix_meta_t *m,
                              const zhs_document_t *doc, const ix_passage_t *ps,
                              const zhs_normalized_t *title, zhs_error_t *err)
{
    zhs_xdoc_t *xdoc = NULL;
    zhs_status_t st = zhs_xdoc_new(&xdoc, err);
    if (st == ZHS_OK)
        st = add_terms(xdoc, m, doc, ps, title, err);
    if (st == ZHS_OK)
        st = add_values(xdoc, m, doc, ps, err);
    if (st == ZHS_OK) {
        char *data = passage_data(m, doc, ps->p);
        st = data ? zhs_xdoc_set_value(xdoc, ZHS_SLOT_DATA, data, strlen(data), err)
                  : zhs_error_set(err, ZHS_ERR_NOMEM, "cannot build the data of %s line %u",
                                  m->id, ps->p->line_start);
        free(data);
    }
    if (st == ZHS_OK && ix->doc_to_shard)
        st = ix_shard_hand(ix->shard, m->id, &xdoc, err);
    else if (st == ZHS_OK)
        st = zhs_wdb_add(ix->wdb, xdoc, NULL, err);
    zhs_xdoc_free(xdoc);
    return st;
}
