/* The Xapian binding: every call of include/zhsearch/xapian.h on temporary databases
 * (writing, reading, shards, reopening, queries, ranking, sorting, collapsing, deciders,
 * facets, result pages) and its error paths. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cunit_run.h"
#include "zhsearch/schema.h"
#include "zhsearch/xapian.h"

/* ------------------------------------------------------------ fixtures and helpers */

static char tmp_root[4096];

static int make_tmp_root(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmp_root, sizeof tmp_root, "%s/zhs-test-xapian-XXXXXX",
             base && *base ? base : "/tmp");
    return mkdtemp(tmp_root) ? 0 : -1;
}

static int remove_tmp_root(void)
{
    return zhs_test_remove_tree(tmp_root);
}

#define DB_PATH(var, name) \
    char var[4200];        \
    snprintf(var, sizeof var, "%s/%s", tmp_root, name)

/* One test document: space-separated terms (wdf 1, no positions), an id term (added as
 * a boolean term), data, and values for slots 0..7 (NULL = none). */
typedef struct {
    const char *id;
    const char *terms;
    const char *data;
    const char *values[8];
} doc_spec;

/* The builders return a status rather than assert, so that a suite's init can use
 * them too (CUnit assertions work only inside tests); a failure reads as the first
 * failing status. */
static zhs_status_t fill_doc(zhs_xdoc_t *doc, const doc_spec *spec)
{
    zhs_error_t err = {0};
    char terms[512];
    snprintf(terms, sizeof terms, "%s", spec->terms ? spec->terms : "");
    for (char *save = NULL, *t = strtok_r(terms, " ", &save); t; t = strtok_r(NULL, " ", &save))
        zhs_xdoc_add_term(doc, t, strlen(t), 1, &err);
    if (spec->id)
        zhs_xdoc_add_boolean(doc, spec->id, strlen(spec->id), &err);
    if (spec->data)
        zhs_xdoc_set_data(doc, spec->data, strlen(spec->data), &err);
    for (unsigned slot = 0; slot < 8; slot++)
        if (spec->values[slot])
            zhs_xdoc_set_value(doc, slot, spec->values[slot], strlen(spec->values[slot]),
                               &err);
    return err.status;
}

static zhs_xdoc_t *build_doc(const doc_spec *spec)
{
    zhs_xdoc_t *doc = NULL;
    if (zhs_xdoc_new(&doc, NULL) != ZHS_OK || fill_doc(doc, spec) != ZHS_OK) {
        zhs_xdoc_free(doc);
        return NULL;
    }
    return doc;
}

/* Writes spec by its id term; returns the docid, 0 on failure. */
static zhs_docid_t write_doc(zhs_wdb_t *wdb, const doc_spec *spec)
{
    zhs_xdoc_t *doc = build_doc(spec);
    zhs_docid_t docid = 0;
    if (doc && zhs_wdb_replace(wdb, spec->id, doc, &docid, NULL) != ZHS_OK)
        docid = 0;
    zhs_xdoc_free(doc);
    return docid;
}

/* (Re)creates the database at path holding specs, with docids 1..n. */
static zhs_status_t write_db(const char *path, const doc_spec *specs, size_t n)
{
    zhs_wdb_t *wdb = NULL;
    zhs_error_t err = {0};
    if (zhs_wdb_open(path, ZHS_WDB_OVERWRITE, &wdb, &err) != ZHS_OK)
        return err.status;
    for (size_t i = 0; i < n; i++)
        if (write_doc(wdb, &specs[i]) != i + 1)
            zhs_error_set(&err, ZHS_ERR_INTERNAL, "document %zu got another docid", i);
    zhs_wdb_commit(wdb, &err);
    zhs_wdb_close(wdb);
    return err.status;
}

static zhs_wdb_t *open_wdb(const char *path, int mode)
{
    zhs_wdb_t *wdb = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_wdb_open(path, mode, &wdb, NULL), ZHS_OK);
    return wdb;
}

static zhs_db_t *open_db(const char *path)
{
    zhs_db_t *db = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_db_open(path, &db, NULL), ZHS_OK);
    return db;
}

/* write_db, then opens it for reading. */
static zhs_db_t *written_db(const char *path, const doc_spec *specs, size_t n)
{
    CU_ASSERT_EQUAL_FATAL(write_db(path, specs, n), ZHS_OK);
    return open_db(path);
}

static uint64_t doccount(zhs_db_t *db)
{
    uint64_t n = 99;
    CU_ASSERT_EQUAL(zhs_db_doccount(db, &n, NULL), ZHS_OK);
    return n;
}

static uint64_t termfreq(zhs_db_t *db, const char *term)
{
    uint64_t n = 99;
    CU_ASSERT_EQUAL(zhs_db_termfreq(db, term, strlen(term), &n, NULL), ZHS_OK);
    return n;
}

/* Appends to a fixed buffer, comma-separated: results read as one exact string. */
typedef struct {
    char text[1024];
    int calls;
    int stop_after;   /* callbacks return non-zero after this many calls (0 = never) */
} sink;

static void sink_add(sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sink_add(sink *s, const char *fmt, ...)
{
    size_t len = strlen(s->text);
    if (len && len < sizeof s->text - 1)
        s->text[len++] = ',';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->text + len, sizeof s->text - len, fmt, ap);
    va_end(ap);
    s->calls++;
}

static int sink_bytes(void *ctx, const char *bytes, size_t nbytes)
{
    sink *s = ctx;
    sink_add(s, "%.*s", (int)nbytes, bytes);
    return s->stop_after && s->calls >= s->stop_after;
}

static int sink_docid(void *ctx, zhs_docid_t docid)
{
    sink *s = ctx;
    sink_add(s, "%u", docid);
    return s->stop_after && s->calls >= s->stop_after;
}

static int sink_facet(void *ctx, const char *value, size_t nbytes, uint64_t count)
{
    sink *s = ctx;
    sink_add(s, "%.*s=%llu", (int)nbytes, value, (unsigned long long)count);
    return s->stop_after && s->calls >= s->stop_after;
}

static void assert_data(zhs_db_t *db, zhs_docid_t docid, const char *expected)
{
    char *data = NULL;
    size_t n = 99;
    CU_ASSERT_EQUAL(zhs_db_get_data(db, docid, &data, &n, NULL), ZHS_OK);
    ZHS_ASSERT_STR(data, expected);
    CU_ASSERT_EQUAL(n, strlen(expected));
    free(data);
}

static void assert_value(zhs_db_t *db, zhs_docid_t docid, unsigned slot, const char *expected)
{
    char *value = NULL;
    size_t n = 99;
    CU_ASSERT_EQUAL(zhs_db_get_value(db, docid, slot, &value, &n, NULL), ZHS_OK);
    ZHS_ASSERT_STR(value, expected);
    CU_ASSERT_EQUAL(n, strlen(expected));
    free(value);
}

static zhs_query_t *term(const char *t)
{
    zhs_query_t *q = zhs_query_term(t, strlen(t), 1, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    return q;
}

static zhs_query_t *combine2(zhs_qop_t op, zhs_query_t *a, zhs_query_t *b)
{
    zhs_query_t *subs[] = {a, b};
    zhs_query_t *q = zhs_query_combine(op, subs, 2, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    return q;
}

static void assert_describe(const zhs_query_t *q, const char *expected)
{
    char *d = zhs_query_describe(q);
    ZHS_ASSERT_STR(d, expected);
    free(d);
}

/* Runs q on enq (all matches checked) and returns the page; the caller frees it. */
static zhs_mset_t *run(zhs_enquire_t *enq, const zhs_query_t *q, unsigned first,
                       unsigned max)
{
    zhs_mset_t *mset = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_set_query(enq, q, NULL), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_get_mset(enq, first, max, UINT32_MAX, &mset, NULL),
                          ZHS_OK);
    return mset;
}

/* "docid,docid,..." of a page, in rank order. */
static void page_docids(const zhs_mset_t *mset, char *out, size_t outsize)
{
    sink s = {0};
    for (size_t i = 0; i < zhs_mset_size(mset); i++) {
        zhs_mset_item_t item;
        CU_ASSERT_EQUAL(zhs_mset_item(mset, i, &item, NULL), ZHS_OK);
        sink_add(&s, "%u", item.docid);
    }
    snprintf(out, outsize, "%s", s.text);
}

/* Runs q and compares the docids of the whole result list, and the exact total. */
static void assert_matches(zhs_enquire_t *enq, const zhs_query_t *q, const char *expected,
                           uint64_t total)
{
    zhs_mset_t *mset = run(enq, q, 0, 100);
    char got[1024];
    page_docids(mset, got, sizeof got);
    ZHS_ASSERT_STR(got, expected);
    CU_ASSERT_EQUAL(zhs_mset_matches_estimated(mset), total);
    CU_ASSERT_EQUAL(zhs_mset_matches_lower(mset), total);
    CU_ASSERT_EQUAL(zhs_mset_matches_upper(mset), total);
    zhs_mset_free(mset);
}

/* assert_matches, then frees q (which must not be NULL). */
static void consume_matches(zhs_enquire_t *e, zhs_query_t *q, const char *expected,
                            uint64_t total)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    assert_matches(e, q, expected, total);
    zhs_query_free(q);
}

static double weight_of(const zhs_mset_t *mset, zhs_docid_t docid)
{
    for (size_t i = 0; i < zhs_mset_size(mset); i++) {
        zhs_mset_item_t item;
        CU_ASSERT_EQUAL(zhs_mset_item(mset, i, &item, NULL), ZHS_OK);
        if (item.docid == docid)
            return item.weight;
    }
    CU_FAIL("docid not in the page");
    return -1;
}

/* Registers a facet; returns its index. */
static unsigned add_facet(zhs_enquire_t *e, unsigned slot, bool multi, int unit_slot)
{
    const zhs_facet_spec_t spec = {slot, multi, unit_slot};
    unsigned index = 99;
    CU_ASSERT_EQUAL(zhs_enquire_add_facet(e, &spec, &index, NULL), ZHS_OK);
    return index;
}

static void assert_facets(zhs_enquire_t *enq, unsigned index, const char *expected,
                          uint64_t units)
{
    sink s = {0};
    uint64_t n = 99;
    CU_ASSERT_EQUAL(zhs_enquire_facet_counts(enq, index, sink_facet, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, expected);
    CU_ASSERT_EQUAL(zhs_enquire_facet_units(enq, index, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(n, units);
}

typedef struct {
    const char *reject;       /* documents whose data contains this are rejected */
    zhs_db_t *db;             /* to check that data is the document's own; NULL: the
                                 docid must be 0 (combined shards) */
    int calls;
    int wrong_data;
} decider_ctx;

static int reject_marked(void *ctx, zhs_docid_t docid, const char *data, size_t nbytes)
{
    decider_ctx *d = ctx;
    d->calls++;
    char *own = NULL;
    size_t own_n = 0;
    if (!d->db ? docid != 0
               : zhs_db_get_data(d->db, docid, &own, &own_n, NULL) != ZHS_OK ||
                     own_n != nbytes || memcmp(own, data, nbytes) != 0)
        d->wrong_data++;
    free(own);
    char copy[256];
    snprintf(copy, sizeof copy, "%.*s", (int)nbytes, data);
    return strstr(copy, d->reject) == NULL;
}

/* ------------------------------------------------------------ the search fixture */

#define SEP "\x1f"
#define FIN "财政部"
#define EDU "教育部"
#define SCI "科技部"

/* Six passages of three documents. Slots as in schema.h; LINE holds a unique sort key
 * in an order unlike docid order, SLOT_ORDER one in docid order (so that result lists
 * read in docid order whatever the weights). */
#define SLOT_ORDER 7
#define SLOT_LINE 6
static const doc_spec corpus[] = {
    {"Qd1#1", "a b", "d1 one",
     {[SLOT_ORDER] = "1", [ZHS_SLOT_YEAR] = "2016", [ZHS_SLOT_DOC] = "d1",
      [ZHS_SLOT_DEPTS] = FIN SEP EDU, [SLOT_LINE] = "05"}},
    {"Qd1#2", "a c", "d1 two reject",
     {[SLOT_ORDER] = "2", [ZHS_SLOT_YEAR] = "2016", [ZHS_SLOT_DOC] = "d1",
      [ZHS_SLOT_DEPTS] = FIN, [SLOT_LINE] = "03"}},
    {"Qd2#1", "a", "d2 one",
     {[SLOT_ORDER] = "3", [ZHS_SLOT_YEAR] = "2018", [ZHS_SLOT_DOC] = "d2",
      [ZHS_SLOT_DEPTS] = EDU, [SLOT_LINE] = "01"}},
    {"Qd2#2", "b c", "d2 two",
     {[SLOT_ORDER] = "4", [ZHS_SLOT_YEAR] = "2018", [ZHS_SLOT_DOC] = "d2",
      [ZHS_SLOT_DEPTS] = FIN SEP EDU SEP FIN, [SLOT_LINE] = "06"}},
    {"Qd3#1", "a b c", "d3 one",
     {[SLOT_ORDER] = "5", [ZHS_SLOT_YEAR] = "2020", [ZHS_SLOT_DOC] = "d3",
      [SLOT_LINE] = "02"}},
    {"Qd3#2", "c", "d3 two",
     {[SLOT_ORDER] = "6", [ZHS_SLOT_YEAR] = "2020", [ZHS_SLOT_DOC] = "d3",
      [ZHS_SLOT_DEPTS] = SCI, [SLOT_LINE] = "04"}},
};
#define NCORPUS (sizeof corpus / sizeof corpus[0])

static zhs_db_t *corpus_db;
static zhs_enquire_t *enq;

static int search_init(void)
{
    if (make_tmp_root() != 0)
        return -1;
    DB_PATH(path, "corpus");
    if (write_db(path, corpus, NCORPUS) != ZHS_OK)
        return -1;
    return zhs_db_open(path, &corpus_db, NULL) == ZHS_OK ? 0 : -1;
}

static int search_cleanup(void)
{
    zhs_enquire_free(enq);
    zhs_db_close(corpus_db);
    return remove_tmp_root();
}

/* Every search test starts from a fresh enquire. */
static void fresh_enquire(void)
{
    zhs_enquire_free(enq);
    enq = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(corpus_db, &enq, NULL), ZHS_OK);
}

static int write_init(void)
{
    return make_tmp_root();
}

static int write_cleanup(void)
{
    return remove_tmp_root();
}

/* ------------------------------------------------------------ writing and reading */

static void written_document_reads_back_exactly(void)
{
    DB_PATH(path, "readback");
    zhs_wdb_t *wdb = NULL;
    zhs_xdoc_t *doc = NULL;
    wdb = open_wdb(path, ZHS_WDB_CREATE);
    CU_ASSERT_EQUAL_FATAL(zhs_xdoc_new(&doc, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_xdoc_add_term(doc, "apple", 5, 2, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_xdoc_add_posting(doc, "pear", 4, 1, 1, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_xdoc_add_boolean(doc, "Qx", 2, NULL), ZHS_OK);
    /* Embedded NUL bytes survive: lengths, not strlen, count. */
    CU_ASSERT_EQUAL(zhs_xdoc_set_value(doc, 3, "v\0w", 3, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_xdoc_set_data(doc, "{\"k\":1}", 7, NULL), ZHS_OK);
    zhs_docid_t docid = 0;
    CU_ASSERT_EQUAL(zhs_wdb_add(wdb, doc, &docid, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(docid, 1);
    CU_ASSERT_EQUAL(zhs_wdb_add(wdb, doc, &docid, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(docid, 2);
    CU_ASSERT_EQUAL(zhs_wdb_commit(wdb, NULL), ZHS_OK);
    zhs_xdoc_free(doc);
    zhs_wdb_close(wdb);

    zhs_db_t *db = open_db(path);
    CU_ASSERT_EQUAL(doccount(db), 2);
    CU_ASSERT_EQUAL(termfreq(db, "apple"), 2);
    CU_ASSERT_EQUAL(termfreq(db, "pear"), 2);
    CU_ASSERT_EQUAL(termfreq(db, "Qx"), 2);
    CU_ASSERT_EQUAL(termfreq(db, "absent"), 0);
    assert_data(db, 1, "{\"k\":1}");
    char *value = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(zhs_db_get_value(db, 2, 3, &value, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(memcmp(value, "v\0w", 4), 0);
    free(value);
    assert_value(db, 2, 4, "");
    sink s = {0};
    CU_ASSERT_EQUAL(zhs_db_postings(db, "apple", 5, sink_docid, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, "1,2");
    zhs_db_close(db);
}

static void replace_by_id_term_keeps_one_document(void)
{
    DB_PATH(path, "replace");
    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE_OR_OPEN);
    doc_spec a1 = {"Qa", "old", "first", {0}}, b = {"Qb", "b", "bee", {0}};
    doc_spec a2 = {"Qa", "new", "second", {0}};
    CU_ASSERT_EQUAL(write_doc(wdb, &a1), 1);
    CU_ASSERT_EQUAL(write_doc(wdb, &b), 2);
    /* The replaced document is deleted (a tombstone) and the new one added. */
    CU_ASSERT_EQUAL(write_doc(wdb, &a2), 3);
    CU_ASSERT_EQUAL(zhs_wdb_commit(wdb, NULL), ZHS_OK);

    /* A document without its id term could never be replaced again: refused. */
    doc_spec no_id = {NULL, "x", "x", {0}};
    zhs_xdoc_t *doc = build_doc(&no_id);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    zhs_error_t err = {0};
    zhs_docid_t docid = 7;
    CU_ASSERT_EQUAL(zhs_wdb_replace(wdb, "Qc", doc, &docid, &err), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(docid, 0);
    ZHS_ASSERT_STR(err.message, "zhs_wdb_replace: InvalidArgumentError: document lacks its "
                                "id term Qc (add it with zhs_xdoc_add_boolean)");
    zhs_xdoc_free(doc);
    zhs_wdb_close(wdb);

    zhs_db_t *db = open_db(path);
    CU_ASSERT_EQUAL(doccount(db), 2);
    CU_ASSERT_EQUAL(termfreq(db, "old"), 0);
    CU_ASSERT_EQUAL(termfreq(db, "new"), 1);
    assert_data(db, 3, "second");
    char *data = NULL;
    CU_ASSERT_EQUAL(zhs_db_get_data(db, 1, &data, NULL, NULL), ZHS_ERR_NOT_FOUND);
    zhs_db_close(db);
}

static void delete_by_term_removes_every_indexed_document(void)
{
    DB_PATH(path, "delete");
    static const doc_spec specs[] = {
        {"Q1", "XDOCd1 t", "1", {0}}, {"Q2", "XDOCd1 t", "2", {0}}, {"Q3", "XDOCd2 t", "3", {0}},
    };
    CU_ASSERT_EQUAL_FATAL(write_db(path, specs, 3), ZHS_OK);
    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE_OR_OPEN);
    CU_ASSERT_EQUAL(zhs_wdb_delete_by_term(wdb, "XDOCd1", NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_delete_by_term(wdb, "XDOCnone", NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_commit(wdb, NULL), ZHS_OK);
    zhs_wdb_close(wdb);

    zhs_db_t *db = open_db(path);
    CU_ASSERT_EQUAL(doccount(db), 1);
    CU_ASSERT_EQUAL(termfreq(db, "t"), 1);
    sink s = {0};
    CU_ASSERT_EQUAL(zhs_db_postings(db, "t", 1, sink_docid, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, "3");
    zhs_error_t err = {0};
    char *data = (char *)"untouched";
    size_t n = 5;
    CU_ASSERT_EQUAL(zhs_db_get_data(db, 1, &data, &n, &err), ZHS_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(data);
    CU_ASSERT_EQUAL(n, 0);
    ZHS_ASSERT_STR(err.message, "zhs_db_get_data: DocNotFoundError: Document 1 not found");
    zhs_db_close(db);
}

static void metadata_set_get_delete_and_list_by_prefix(void)
{
    DB_PATH(path, "meta");
    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE);
    CU_ASSERT_EQUAL(zhs_wdb_set_metadata(wdb, "doc:2", "two", 3, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_set_metadata(wdb, "doc:1", "one", 3, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_set_metadata(wdb, "doc:3", "three", 5, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_set_metadata(wdb, "file:a", "{}", 2, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_set_metadata(wdb, "doc:3", "", 0, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_set_metadata(wdb, "file:b", NULL, 0, NULL), ZHS_OK);

    /* The writer sees its own uncommitted changes. */
    char *value = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(zhs_wdb_get_metadata(wdb, "doc:1", &value, &n, NULL), ZHS_OK);
    ZHS_ASSERT_STR(value, "one");
    CU_ASSERT_EQUAL(n, 3);
    free(value);
    CU_ASSERT_EQUAL(zhs_wdb_get_metadata(wdb, "doc:3", &value, &n, NULL), ZHS_OK);
    CU_ASSERT_PTR_NULL(value);
    CU_ASSERT_EQUAL(n, 0);
    sink s = {0};
    CU_ASSERT_EQUAL(zhs_wdb_metadata_keys(wdb, "doc:", sink_bytes, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, "doc:1,doc:2");
    CU_ASSERT_EQUAL(zhs_wdb_commit(wdb, NULL), ZHS_OK);
    zhs_wdb_close(wdb);

    zhs_db_t *db = open_db(path);
    CU_ASSERT_EQUAL(zhs_db_get_metadata(db, "doc:2", &value, &n, NULL), ZHS_OK);
    ZHS_ASSERT_STR(value, "two");
    CU_ASSERT_EQUAL(n, 3);
    free(value);
    value = (char *)"untouched";
    CU_ASSERT_EQUAL(zhs_db_get_metadata(db, "doc:9", &value, NULL, NULL), ZHS_OK);
    CU_ASSERT_PTR_NULL(value);
    memset(&s, 0, sizeof s);
    CU_ASSERT_EQUAL(zhs_db_metadata_keys(db, NULL, sink_bytes, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, "doc:1,doc:2,file:a");
    memset(&s, 0, sizeof s);
    s.stop_after = 2;
    CU_ASSERT_EQUAL(zhs_db_metadata_keys(db, "", sink_bytes, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, "doc:1,doc:2");
    memset(&s, 0, sizeof s);
    CU_ASSERT_EQUAL(zhs_db_metadata_keys(db, "zzz", sink_bytes, &s, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(s.calls, 0);
    zhs_db_close(db);
}

static void writer_reads_its_uncommitted_documents(void)
{
    DB_PATH(path, "wreads");
    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE);
    doc_spec d1 = {"Q1", "t u", "", {[2] = "doc-a"}}, d2 = {"Q2", "t", "", {[2] = "doc-b"}};
    doc_spec d3 = {"Q3", "u", "", {0}};
    CU_ASSERT_EQUAL(write_doc(wdb, &d1), 1);
    CU_ASSERT_EQUAL(write_doc(wdb, &d2), 2);
    CU_ASSERT_EQUAL(write_doc(wdb, &d3), 3);
    CU_ASSERT_EQUAL(zhs_wdb_delete_by_term(wdb, "Q3", NULL), ZHS_OK);
    uint64_t n = 99;
    CU_ASSERT_EQUAL(zhs_wdb_doccount(wdb, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(zhs_wdb_termfreq(wdb, "t", 1, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(zhs_wdb_termfreq(wdb, "u", 1, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(n, 1);
    sink s = {0};
    CU_ASSERT_EQUAL(zhs_wdb_postings(wdb, "t", 1, sink_docid, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, "1,2");
    memset(&s, 0, sizeof s);
    s.stop_after = 1;
    CU_ASSERT_EQUAL(zhs_wdb_postings(wdb, "t", 1, sink_docid, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, "1");
    char *value = NULL;
    size_t nv = 0;
    CU_ASSERT_EQUAL(zhs_wdb_get_value(wdb, 2, 2, &value, &nv, NULL), ZHS_OK);
    ZHS_ASSERT_STR(value, "doc-b");
    CU_ASSERT_EQUAL(nv, 5);
    free(value);
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_wdb_get_value(wdb, 3, 2, &value, &nv, &err), ZHS_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(value);
    ZHS_ASSERT_STR(err.message, "zhs_wdb_get_value: DocNotFoundError: Document 3 not found");
    CU_ASSERT_EQUAL(zhs_wdb_postings(wdb, "", 0, sink_docid, &s, NULL), ZHS_ERR_BAD_ARG);
    zhs_wdb_close(wdb);
}

static void cancelled_transaction_is_discarded_ended_one_is_committed(void)
{
    DB_PATH(path, "txn");
    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE);
    doc_spec d1 = {"Q1", "t", "", {0}}, d2 = {"Q2", "t", "", {0}}, d3 = {"Q3", "t", "", {0}};

    CU_ASSERT_EQUAL(zhs_wdb_begin(wdb, NULL), ZHS_OK);
    CU_ASSERT_NOT_EQUAL(write_doc(wdb, &d1), 0);
    CU_ASSERT_EQUAL(zhs_wdb_set_metadata(wdb, "k", "v", 1, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_cancel(wdb, NULL), ZHS_OK);
    uint64_t n = 99;
    CU_ASSERT_EQUAL(zhs_wdb_termfreq(wdb, "t", 1, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(n, 0);

    /* A commit inside a transaction, or ending one never begun, is a caller error. */
    CU_ASSERT_EQUAL(zhs_wdb_begin(wdb, NULL), ZHS_OK);
    CU_ASSERT_NOT_EQUAL(write_doc(wdb, &d2), 0);
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_wdb_commit(wdb, &err), ZHS_ERR_BAD_ARG);
    ZHS_ASSERT_STR(err.message,
                   "zhs_wdb_commit: InvalidOperationError: Can't commit during a transaction");
    CU_ASSERT_EQUAL(zhs_wdb_end(wdb, NULL), ZHS_OK);
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_wdb_end(wdb, &err), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_cancel(wdb, NULL), ZHS_ERR_BAD_ARG);

    /* The ended transaction is on disk without any commit call. */
    zhs_db_t *db = open_db(path);
    CU_ASSERT_EQUAL(doccount(db), 1);
    CU_ASSERT_EQUAL(termfreq(db, "Q1"), 0);
    CU_ASSERT_EQUAL(termfreq(db, "Q2"), 1);
    char *value = (char *)"untouched";
    CU_ASSERT_EQUAL(zhs_db_get_metadata(db, "k", &value, NULL, NULL), ZHS_OK);
    CU_ASSERT_PTR_NULL(value);

    /* Closing with a transaction open discards it. */
    CU_ASSERT_EQUAL(zhs_wdb_begin(wdb, NULL), ZHS_OK);
    CU_ASSERT_NOT_EQUAL(write_doc(wdb, &d3), 0);
    zhs_wdb_close(wdb);
    bool changed = true;
    CU_ASSERT_EQUAL(zhs_db_reopen(db, &changed, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(doccount(db), 1);
    CU_ASSERT_EQUAL(termfreq(db, "Q3"), 0);
    zhs_db_close(db);
}

static void close_commits_pending_changes(void)
{
    DB_PATH(path, "closecommit");
    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE);
    doc_spec d1 = {"Q1", "t", "kept", {0}};
    CU_ASSERT_NOT_EQUAL(write_doc(wdb, &d1), 0);
    zhs_wdb_close(wdb);
    zhs_db_t *db = open_db(path);
    CU_ASSERT_EQUAL(doccount(db), 1);
    assert_data(db, 1, "kept");
    zhs_db_close(db);
}

static void overwrite_empties_an_existing_database(void)
{
    DB_PATH(path, "overwrite");
    static const doc_spec specs[] = {{"Q1", "t", "", {0}}, {"Q2", "t", "", {0}}};
    CU_ASSERT_EQUAL_FATAL(write_db(path, specs, 2), ZHS_OK);
    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_OVERWRITE);
    zhs_wdb_close(wdb);
    zhs_db_t *db = open_db(path);
    CU_ASSERT_EQUAL(doccount(db), 0);
    zhs_db_close(db);
}

static void reopen_sees_a_new_commit(void)
{
    DB_PATH(path, "reopen");
    static const doc_spec specs[] = {{"Q1", "t", "", {0}}};
    zhs_db_t *db = written_db(path, specs, 1);
    uint64_t rev0 = 0, rev1 = 0;
    CU_ASSERT_EQUAL(zhs_db_revision(db, &rev0, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(rev0, 1);

    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE_OR_OPEN);
    doc_spec d2 = {"Q2", "t", "", {0}};
    CU_ASSERT_NOT_EQUAL(write_doc(wdb, &d2), 0);
    CU_ASSERT_EQUAL(zhs_wdb_commit(wdb, NULL), ZHS_OK);

    /* Until it reopens, a reader keeps its revision. */
    CU_ASSERT_EQUAL(doccount(db), 1);
    bool changed = false;
    CU_ASSERT_EQUAL(zhs_db_reopen(db, &changed, NULL), ZHS_OK);
    CU_ASSERT_TRUE(changed);
    CU_ASSERT_EQUAL(zhs_db_revision(db, &rev1, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(rev1, rev0 + 1);
    CU_ASSERT_EQUAL(doccount(db), 2);
    CU_ASSERT_EQUAL(zhs_db_reopen(db, &changed, NULL), ZHS_OK);
    CU_ASSERT_FALSE(changed);
    CU_ASSERT_EQUAL(zhs_db_reopen(db, NULL, NULL), ZHS_OK);
    zhs_wdb_close(wdb);
    zhs_db_close(db);
}

/* Facet values are read from columns of the revision searched: after a reopen onto a
 * new revision, new and earlier enquires count the new values. */
static void facets_follow_a_reopen(void)
{
    DB_PATH(path, "reopen-facets");
    static const doc_spec specs[] = {{"Q1", "t", "", {[3] = "a" SEP "b"}},
                                     {"Q2", "t", "", {[3] = "b"}}};
    zhs_db_t *db = written_db(path, specs, 2);
    zhs_enquire_t *old = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &old, NULL), ZHS_OK);
    unsigned fo = add_facet(old, 3, true, -1);
    zhs_query_t *t = term("t");
    zhs_mset_free(run(old, t, 0, 10));
    assert_facets(old, fo, "b=2,a=1", 2);

    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE_OR_OPEN);
    doc_spec d3 = {"Q3", "t", "", {[3] = "c" SEP "a"}};
    doc_spec d1 = {"Q1", "t", "", {[3] = "c"}};
    CU_ASSERT_NOT_EQUAL(write_doc(wdb, &d3), 0);
    CU_ASSERT_NOT_EQUAL(write_doc(wdb, &d1), 0);
    CU_ASSERT_EQUAL(zhs_wdb_commit(wdb, NULL), ZHS_OK);
    bool changed = false;
    CU_ASSERT_EQUAL(zhs_db_reopen(db, &changed, NULL), ZHS_OK);
    CU_ASSERT_TRUE(changed);
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    unsigned f = add_facet(e, 3, true, -1);
    zhs_mset_free(run(e, t, 0, 10));
    assert_facets(e, f, "c=2,a=1,b=1", 3);
    zhs_mset_free(run(old, t, 0, 10));
    assert_facets(old, fo, "c=2,a=1,b=1", 3);
    zhs_enquire_free(e);
    zhs_enquire_free(old);
    zhs_query_free(t);
    zhs_wdb_close(wdb);
    zhs_db_close(db);
}

/* term c AND_MAYBE the value weights of the given documents, on db: the page (all). */
static zhs_mset_t *run_weighted(zhs_enquire_t *e, zhs_db_t *db, const zhs_docid_t *docids,
                                const double *weights, size_t n)
{
    zhs_query_t *c = term("c"), *w = zhs_query_value_weights(db, ZHS_SLOT_DOC, docids,
                                                             weights, n, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    zhs_query_t *q = combine2(ZHS_QOP_AND_MAYBE, c, w);
    zhs_mset_t *m = run(e, q, 0, 100);
    zhs_query_free(q);
    zhs_query_free(w);
    zhs_query_free(c);
    return m;
}

static void value_weights_weigh_every_document_of_a_given_ones_group(void)
{
    fresh_enquire();
    zhs_query_t *c = term("c");
    zhs_mset_t *plain = run(enq, c, 0, 100);
    zhs_query_free(c);
    /* c: 2 (d1), 4 (d2), 5 and 6 (d3). Given 1 (d1) and 6 (d3); 2 shares 1's group. */
    static const zhs_docid_t given[] = {1, 6, 2};
    static const double weights[] = {2.0, 0.5, 1.5};
    zhs_mset_t *m = run_weighted(enq, corpus_db, given, weights, 3);
    CU_ASSERT_EQUAL(zhs_mset_matches_estimated(m), 4);
    CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 2), weight_of(plain, 2) + 2.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 4), weight_of(plain, 4), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 5), weight_of(plain, 5) + 0.5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 6), weight_of(plain, 6) + 0.5, 1e-9);
    zhs_mset_free(m);
    /* None given: the weights of c alone. */
    m = run_weighted(enq, corpus_db, NULL, NULL, 0);
    CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 2), weight_of(plain, 2), 1e-12);
    zhs_mset_free(m);
    zhs_mset_free(plain);

    /* Over two shards (no columns: Xapian's value streams) the same: the corpus twice,
     * docid d of the second copy at 2d. */
    DB_PATH(path, "corpus");
    zhs_db_t *both = open_db(path);
    CU_ASSERT_EQUAL_FATAL(zhs_db_add(both, path, NULL), ZHS_OK);
    CU_ASSERT_FALSE(zhs_db_has_char_lists(both));
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(both, &e, NULL), ZHS_OK);
    c = term("c");
    plain = run(e, c, 0, 100);
    zhs_query_free(c);
    static const zhs_docid_t given2[] = {1, 12};    /* d1, and d3 of the second copy */
    m = run_weighted(e, both, given2, weights, 2);
    CU_ASSERT_EQUAL(zhs_mset_matches_estimated(m), 8);
    for (zhs_docid_t copy = 0; copy < 2; copy++) {
        CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 3 + copy), weight_of(plain, 3 + copy) + 2.0, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 7 + copy), weight_of(plain, 7 + copy), 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 11 + copy), weight_of(plain, 11 + copy) + 0.5,
                               1e-9);
    }
    zhs_mset_free(m);
    zhs_mset_free(plain);
    zhs_enquire_free(e);
    zhs_db_close(both);

    zhs_error_t err = {0};
    static const double bad[] = {-1.0};
    CU_ASSERT_PTR_NULL(zhs_query_value_weights(corpus_db, ZHS_SLOT_DOC, given, bad, 1, &err));
    CU_ASSERT_EQUAL(err.status, ZHS_ERR_BAD_ARG);
    CU_ASSERT_PTR_NULL(zhs_query_value_weights(corpus_db, ZHS_SLOT_DOC, NULL, weights, 1, NULL));
}

static void combined_shards_count_and_search_as_one(void)
{
    DB_PATH(p1, "shard1");
    DB_PATH(p2, "shard2");
    static const doc_spec s1[] = {{"Q1", "a x", "s1 d1", {[2] = "k1"}},
                                  {"Q2", "b", "s1 d2", {[2] = "k2"}}};
    static const doc_spec s2[] = {{"Q3", "a", "s2 d1", {[2] = "k3"}},
                                  {"Q4", "a x", "s2 d2", {[2] = "k4"}},
                                  {"Q5", "c", "s2 d3", {[2] = "k5"}}};
    CU_ASSERT_EQUAL_FATAL(write_db(p1, s1, 2), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(write_db(p2, s2, 3), ZHS_OK);
    /* A second commit on shard 2, so the two revisions differ. */
    zhs_wdb_t *wdb = open_wdb(p2, ZHS_WDB_CREATE_OR_OPEN);
    CU_ASSERT_EQUAL(zhs_wdb_set_metadata(wdb, "m", "v", 1, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_commit(wdb, NULL), ZHS_OK);
    zhs_wdb_close(wdb);

    zhs_db_t *db = open_db(p1);
    CU_ASSERT_EQUAL(zhs_db_add(db, p2, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(doccount(db), 5);
    CU_ASSERT_EQUAL(termfreq(db, "a"), 3);
    CU_ASSERT_EQUAL(termfreq(db, "x"), 2);
    uint64_t rev = 0;
    CU_ASSERT_EQUAL(zhs_db_revision(db, &rev, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(rev, 1);

    /* Combined docids interleave the shards: shard i's docid d is (d-1)*2 + i + 1. */
    sink s = {0};
    CU_ASSERT_EQUAL(zhs_db_postings(db, "a", 1, sink_docid, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, "1,2,4");
    assert_data(db, 1, "s1 d1");
    assert_data(db, 2, "s2 d1");
    assert_data(db, 3, "s1 d2");
    assert_data(db, 6, "s2 d3");
    assert_value(db, 4, 2, "k4");

    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    zhs_query_t *q = term("a");
    CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(e, 2, false, NULL), ZHS_OK);
    assert_matches(e, q, "1,2,4", 3);
    zhs_mset_t *mset = run(e, q, 0, 10);
    char *data = NULL;
    CU_ASSERT_EQUAL(zhs_mset_item_data(mset, 2, &data, NULL, NULL), ZHS_OK);
    ZHS_ASSERT_STR(data, "s2 d2");
    free(data);
    zhs_mset_free(mset);
    /* Facets over shards read each shard's values (no columns). */
    unsigned f = add_facet(e, 2, false, 2);
    zhs_mset_free(run(e, q, 0, 10));
    assert_facets(e, f, "k1=1,k3=1,k4=1", 3);
    /* The decider gets the data of the right shard, and docid 0. */
    decider_ctx d = {"s2 d2", NULL, 0, 0};
    CU_ASSERT_EQUAL(zhs_enquire_set_decider(e, reject_marked, &d, NULL), ZHS_OK);
    assert_matches(e, q, "1,2", 2);
    CU_ASSERT_EQUAL(d.calls, 3);
    CU_ASSERT_EQUAL(d.wrong_data, 0);
    zhs_query_free(q);
    zhs_enquire_free(e);
    zhs_db_close(db);
}

/* ------------------------------------------------------------ tombstones */

/* Deletes every document indexed by term in the database at path, and commits. */
static void delete_committed(const char *path, const char *term)
{
    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE_OR_OPEN);
    CU_ASSERT_EQUAL(zhs_wdb_delete_by_term(wdb, term, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_commit(wdb, NULL), ZHS_OK);
    zhs_wdb_close(wdb);
}

static void deleted_documents_stay_out_of_lookups_and_searches(void)
{
    DB_PATH(path, "tomb");
    static const doc_spec specs[] = {{"Q1", "t a", "one", {[3] = "x"}},
                                     {"Q2", "t", "two", {[3] = "y"}},
                                     {"Q3", "t a", "three", {[3] = "y"}}};
    zhs_db_t *db = written_db(path, specs, 3);
    delete_committed(path, "Q2");
    bool changed = false;
    CU_ASSERT_EQUAL(zhs_db_reopen(db, &changed, NULL), ZHS_OK);
    CU_ASSERT_TRUE(changed);
    CU_ASSERT_EQUAL(doccount(db), 2);
    CU_ASSERT_EQUAL(termfreq(db, "t"), 2);
    CU_ASSERT_EQUAL(termfreq(db, "Q2"), 0);
    sink s = {0};
    CU_ASSERT_EQUAL(zhs_db_postings(db, "t", 1, sink_docid, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, "1,3");
    char *data = NULL;
    CU_ASSERT_EQUAL(zhs_db_get_data(db, 2, &data, NULL, NULL), ZHS_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(zhs_db_get_value(db, 2, 3, &data, NULL, NULL), ZHS_ERR_NOT_FOUND);

    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    unsigned f = add_facet(e, 3, false, -1);
    zhs_query_t *t = term("t");
    assert_matches(e, t, "1,3", 2);
    assert_facets(e, f, "x=1,y=1", 2);

    /* A later writer keeps the earlier tombstones and adds its own; the enquire
     * follows the reader to the new revision. */
    delete_committed(path, "Q1");
    CU_ASSERT_EQUAL(zhs_db_reopen(db, &changed, NULL), ZHS_OK);
    assert_matches(e, t, "3", 1);
    assert_facets(e, f, "y=1", 1);
    CU_ASSERT_EQUAL(doccount(db), 1);
    char *stored = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(zhs_db_get_metadata(db, ZHS_META_DELETED, &stored, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(n, 2);   /* docids 1 and 2: gaps 1, 1 */
    CU_ASSERT_EQUAL(memcmp(stored, "\x01\x01", 2), 0);
    free(stored);
    zhs_query_free(t);
    zhs_enquire_free(e);
    zhs_db_close(db);
}

static void cancelled_deletions_are_forgotten(void)
{
    DB_PATH(path, "tomb-cancel");
    static const doc_spec specs[] = {{"Q1", "t", "", {0}}, {"Q2", "t", "", {0}}};
    CU_ASSERT_EQUAL_FATAL(write_db(path, specs, 2), ZHS_OK);
    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE_OR_OPEN);
    CU_ASSERT_EQUAL(zhs_wdb_begin(wdb, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_delete_by_term(wdb, "Q1", NULL), ZHS_OK);
    uint64_t n = 99;
    CU_ASSERT_EQUAL(zhs_wdb_doccount(wdb, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(zhs_wdb_cancel(wdb, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_doccount(wdb, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(n, 2);
    /* Nothing of the cancelled deletion reaches the next commit. */
    CU_ASSERT_EQUAL(zhs_wdb_begin(wdb, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_delete_by_term(wdb, "Q2", NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_end(wdb, NULL), ZHS_OK);
    zhs_wdb_close(wdb);
    zhs_db_t *db = open_db(path);
    sink s = {0};
    CU_ASSERT_EQUAL(zhs_db_postings(db, "t", 1, sink_docid, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, "1");
    zhs_db_close(db);
}

static void compaction_renumbers_each_sources_tombstones(void)
{
    DB_PATH(p1, "tomb-src1");
    DB_PATH(p2, "tomb-src2");
    DB_PATH(merged, "tomb-merged");
    static const doc_spec s1[] = {{"Q1", "t", "a1", {0}}, {"Q2", "t", "a2", {0}},
                                  {"Q3", "t", "a3", {0}}};
    static const doc_spec s2[] = {{"Q4", "t", "b1", {0}}, {"Q5", "t", "b2", {0}}};
    CU_ASSERT_EQUAL_FATAL(write_db(p1, s1, 3), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(write_db(p2, s2, 2), ZHS_OK);
    delete_committed(p1, "Q2");
    delete_committed(p2, "Q4");
    const char *srcs[] = {p1, p2};
    CU_ASSERT_EQUAL_FATAL(zhs_db_compact_many(srcs, 2, merged, NULL), ZHS_OK);
    zhs_db_t *db = open_db(merged);
    CU_ASSERT_EQUAL(doccount(db), 3);
    sink s = {0};
    CU_ASSERT_EQUAL(zhs_db_postings(db, "t", 1, sink_docid, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, "1,3,5");
    assert_data(db, 3, "a3");
    assert_data(db, 5, "b2");
    zhs_db_close(db);
}

static void combined_shards_skip_each_shards_deleted(void)
{
    DB_PATH(p1, "tomb-shard1");
    DB_PATH(p2, "tomb-shard2");
    static const doc_spec s1[] = {{"Q1", "a", "s1 d1", {0}}, {"Q2", "a", "s1 d2", {0}}};
    static const doc_spec s2[] = {{"Q3", "a", "s2 d1", {0}}, {"Q4", "a", "s2 d2", {0}}};
    CU_ASSERT_EQUAL_FATAL(write_db(p1, s1, 2), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(write_db(p2, s2, 2), ZHS_OK);
    delete_committed(p2, "Q3");
    zhs_db_t *db = open_db(p1);
    CU_ASSERT_EQUAL(zhs_db_add(db, p2, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(doccount(db), 3);
    /* Shard 2's docid 1 is combined docid 2. */
    sink s = {0};
    CU_ASSERT_EQUAL(zhs_db_postings(db, "a", 1, sink_docid, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, "1,3,4");
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    zhs_query_t *q = term("a");
    assert_matches(e, q, "1,3,4", 3);
    zhs_query_free(q);
    zhs_enquire_free(e);
    zhs_db_close(db);
}

/* ------------------------------------------------------------ errors */

static void missing_database_reports_its_path(void)
{
    DB_PATH(path, "no-such-db");
    zhs_error_t err = {0};
    zhs_db_t *db = (zhs_db_t *)&err;
    CU_ASSERT_EQUAL(zhs_db_open(path, &db, &err), ZHS_ERR_DB_MISSING);
    CU_ASSERT_PTR_NULL(db);
    CU_ASSERT_EQUAL(err.status, ZHS_ERR_DB_MISSING);
    char expected[9000];
    snprintf(expected, sizeof expected,
             "zhs_db_open(%s): DatabaseNotFoundError: Couldn't stat '%s' "
             "(No such file or directory)", path, path);
    ZHS_ASSERT_STR(err.message, expected);

    /* Adding a missing shard fails the same way and leaves the db as it was. */
    DB_PATH(good, "good");
    static const doc_spec one[] = {{"Q1", "t", "", {0}}};
    CU_ASSERT_EQUAL_FATAL(write_db(good, one, 1), ZHS_OK);
    db = open_db(good);
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_db_add(db, path, &err), ZHS_ERR_DB_MISSING);
    CU_ASSERT_EQUAL(doccount(db), 1);
    zhs_db_close(db);

    /* An existing directory without a database is missing too. */
    DB_PATH(empty, "empty-dir");
    CU_ASSERT_EQUAL_FATAL(mkdir(empty, 0700), 0);
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_db_open(empty, &db, &err), ZHS_ERR_DB_MISSING);
    snprintf(expected, sizeof expected,
             "zhs_db_open(%s): DatabaseNotFoundError: Couldn't detect type of database", empty);
    ZHS_ASSERT_STR(err.message, expected);

    /* An unreadable stub file exists, so it is an I/O error, not a missing index. */
    DB_PATH(stub, "bad-stub");
    FILE *f = fopen(stub, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("no such backend\n", f);
    fclose(f);
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_db_open(stub, &db, &err), ZHS_ERR_IO);
}

static void second_writer_is_locked_out(void)
{
    DB_PATH(path, "locked");
    zhs_wdb_t *first = NULL, *second = (zhs_wdb_t *)&first;
    CU_ASSERT_EQUAL_FATAL(zhs_wdb_open(path, ZHS_WDB_CREATE, &first, NULL), ZHS_OK);
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_wdb_open(path, ZHS_WDB_CREATE_OR_OPEN, &second, &err),
                    ZHS_ERR_DB_LOCKED);
    CU_ASSERT_PTR_NULL(second);
    char expected[9000];
    snprintf(expected, sizeof expected,
             "zhs_wdb_open(%s): DatabaseLockError: Unable to get write lock on %s: "
             "already locked", path, path);
    ZHS_ASSERT_STR(err.message, expected);
    /* Readers are not blocked by the writer. */
    zhs_db_t *db = open_db(path);
    zhs_db_close(db);
    zhs_wdb_close(first);
    /* Once the first writer is gone the lock is free. */
    CU_ASSERT_EQUAL(zhs_wdb_open(path, ZHS_WDB_CREATE_OR_OPEN, &second, NULL), ZHS_OK);
    zhs_wdb_close(second);
}

static void create_mode_refuses_an_existing_database(void)
{
    DB_PATH(path, "exists");
    static const doc_spec one[] = {{"Q1", "t", "", {0}}};
    CU_ASSERT_EQUAL_FATAL(write_db(path, one, 1), ZHS_OK);
    zhs_wdb_t *wdb = NULL;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_wdb_open(path, ZHS_WDB_CREATE, &wdb, &err), ZHS_ERR_IO);
    CU_ASSERT_PTR_NULL(wdb);
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_wdb_open(path, 3, &wdb, &err), ZHS_ERR_BAD_ARG);
    char expected[9000];
    snprintf(expected, sizeof expected,
             "zhs_wdb_open(%s): InvalidArgumentError: unknown open mode 3", path);
    ZHS_ASSERT_STR(err.message, expected);
}

static void terms_must_be_one_to_max_bytes(void)
{
    zhs_xdoc_t *doc = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_xdoc_new(&doc, NULL), ZHS_OK);
    char big[ZHS_MAX_TERM_BYTES + 1];
    memset(big, 'x', sizeof big);
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_xdoc_add_term(doc, big, ZHS_MAX_TERM_BYTES, 1, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_xdoc_add_term(doc, big, sizeof big, 1, &err), ZHS_ERR_BAD_ARG);
    ZHS_ASSERT_STR(err.message, "zhs_xdoc_add_term: InvalidArgumentError: term of 241 bytes "
                                "is longer than ZHS_MAX_TERM_BYTES (240)");
    CU_ASSERT_EQUAL(zhs_xdoc_add_posting(doc, big, sizeof big, 1, 1, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_xdoc_add_boolean(doc, big, sizeof big, NULL), ZHS_ERR_BAD_ARG);
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_xdoc_add_term(doc, NULL, 3, 1, &err), ZHS_ERR_BAD_ARG);
    ZHS_ASSERT_STR(err.message, "zhs_xdoc_add_term: InvalidArgumentError: term is NULL");
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_xdoc_add_boolean(doc, "x", 0, &err), ZHS_ERR_BAD_ARG);
    ZHS_ASSERT_STR(err.message, "zhs_xdoc_add_boolean: InvalidArgumentError: term is empty");
    CU_ASSERT_EQUAL(zhs_xdoc_set_value(doc, 0xffffffffu, "v", 1, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_xdoc_set_value(doc, 1, NULL, 1, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_xdoc_set_data(doc, NULL, 1, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_xdoc_set_data(doc, NULL, 0, NULL), ZHS_OK);

    /* A lookup of an overlong term is no error: no document can hold it. */
    DB_PATH(path, "longterm");
    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE);
    CU_ASSERT_EQUAL(zhs_xdoc_add_boolean(doc, "Q1", 2, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_wdb_replace(wdb, "Q1", doc, NULL, NULL), ZHS_OK);
    uint64_t n = 99;
    CU_ASSERT_EQUAL(zhs_wdb_termfreq(wdb, big, ZHS_MAX_TERM_BYTES, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(zhs_wdb_termfreq(wdb, big, sizeof big, &n, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(zhs_wdb_termfreq(wdb, "", 0, &n, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_replace(wdb, "", doc, NULL, NULL), ZHS_ERR_BAD_ARG);
    char longid[ZHS_MAX_TERM_BYTES + 2];
    memset(longid, 'Q', ZHS_MAX_TERM_BYTES + 1);
    longid[ZHS_MAX_TERM_BYTES + 1] = '\0';
    CU_ASSERT_EQUAL(zhs_wdb_replace(wdb, longid, doc, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_delete_by_term(wdb, "", NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_commit(wdb, NULL), ZHS_OK);
    zhs_wdb_close(wdb);
    zhs_xdoc_free(doc);
}

static void null_arguments_are_refused_and_null_handles_freed(void)
{
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_db_open(NULL, NULL, &err), ZHS_ERR_BAD_ARG);
    ZHS_ASSERT_STR(err.message, "zhs_db_open: InvalidArgumentError: out is NULL");
    zhs_db_t *db = NULL;
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_db_open(NULL, &db, &err), ZHS_ERR_BAD_ARG);
    ZHS_ASSERT_STR(err.message, "zhs_db_open: InvalidArgumentError: path is NULL");
    uint64_t n = 0;
    char *s = NULL;
    CU_ASSERT_EQUAL(zhs_db_add(NULL, "x", NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_reopen(NULL, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_revision(NULL, &n, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_doccount(NULL, &n, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_termfreq(NULL, "t", 1, &n, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_get_metadata(NULL, "k", &s, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_metadata_keys(NULL, "k", sink_bytes, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_postings(NULL, "t", 1, sink_docid, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_get_data(NULL, 1, &s, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_get_value(NULL, 1, 0, &s, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_open("x", 0, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_replace(NULL, "Q", NULL, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_add(NULL, NULL, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_delete_by_term(NULL, "Q", NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_set_metadata(NULL, "k", "v", 1, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_get_metadata(NULL, "k", &s, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_metadata_keys(NULL, "k", sink_bytes, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_termfreq(NULL, "t", 1, &n, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_doccount(NULL, &n, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_postings(NULL, "t", 1, sink_docid, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_get_value(NULL, 1, 0, &s, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_commit(NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_begin(NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_end(NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_wdb_cancel(NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_xdoc_new(NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_xdoc_add_term(NULL, "t", 1, 1, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_new(NULL, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_set_query(NULL, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_set_bm25(NULL, 1, 0, 1, 0.5, 0.5, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(NULL, 0, false, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_set_collapse(NULL, 0, 1, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_set_decider(NULL, NULL, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_add_facet(NULL, NULL, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_get_mset(NULL, 0, 1, 1, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_facet_counts(NULL, 0, sink_facet, NULL, NULL),
                    ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_facet_units(NULL, 0, &n, NULL), ZHS_ERR_BAD_ARG);
    zhs_mset_item_t item;
    CU_ASSERT_EQUAL(zhs_mset_item(NULL, 0, &item, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_mset_item_data(NULL, 0, &s, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_mset_item_value(NULL, 0, 0, &s, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_mset_size(NULL), 0);
    CU_ASSERT_EQUAL(zhs_mset_matches_estimated(NULL), 0);
    CU_ASSERT_EQUAL(zhs_mset_matches_lower(NULL), 0);
    CU_ASSERT_EQUAL(zhs_mset_matches_upper(NULL), 0);
    CU_ASSERT_PTR_NULL(zhs_query_term(NULL, 1, 1, NULL));
    CU_ASSERT_PTR_NULL(zhs_query_scale(NULL, 1, NULL));
    CU_ASSERT_PTR_NULL(zhs_query_describe(NULL));
    /* Destructors accept NULL. */
    zhs_db_close(NULL);
    zhs_wdb_close(NULL);
    zhs_xdoc_free(NULL);
    zhs_query_free(NULL);
    zhs_enquire_free(NULL);
    zhs_mset_free(NULL);
}

static void unknown_docid_is_not_found_docid_zero_is_bad(void)
{
    DB_PATH(path, "docids");
    static const doc_spec one[] = {{"Q1", "t", "x", {0}}};
    zhs_db_t *db = written_db(path, one, 1);
    char *s = NULL;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_db_get_value(db, 42, 0, &s, NULL, &err), ZHS_ERR_NOT_FOUND);
    CU_ASSERT_PTR_NULL(s);
    ZHS_ASSERT_STR(err.message, "zhs_db_get_value: DocNotFoundError: Document 42 not found");
    CU_ASSERT_EQUAL(zhs_db_get_data(db, 0, &s, NULL, NULL), ZHS_ERR_BAD_ARG);
    /* NULL error records are accepted on every failure path. */
    CU_ASSERT_EQUAL(zhs_db_get_data(db, 42, &s, NULL, NULL), ZHS_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(zhs_db_get_metadata(db, "", &s, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_get_metadata(db, "k", NULL, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_metadata_keys(db, "", NULL, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_postings(db, "", 0, sink_docid, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_postings(db, "t", 1, NULL, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_db_get_value(db, 1, 0xffffffffu, &s, NULL, NULL), ZHS_ERR_BAD_ARG);
    zhs_db_t *none = (zhs_db_t *)&err;
    CU_ASSERT_EQUAL(zhs_db_open("", &none, NULL), ZHS_ERR_DB_MISSING);
    CU_ASSERT_PTR_NULL(none);
    /* The first message wins. */
    zhs_error_clear(&err);
    CU_ASSERT_EQUAL(zhs_db_get_data(db, 42, &s, NULL, &err), ZHS_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(zhs_db_get_data(db, 0, &s, NULL, &err), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(err.status, ZHS_ERR_NOT_FOUND);
    ZHS_ASSERT_STR(err.message, "zhs_db_get_data: DocNotFoundError: Document 42 not found");
    zhs_db_close(db);
}

/* ------------------------------------------------------------ queries */

static void queries_describe_themselves(void)
{
    zhs_query_t *a = term("a"), *b = term("b"), *c = term("c");
    assert_describe(a, "Query(a)");
    zhs_query_t *subs[] = {a, b, c};
    zhs_query_t *q = zhs_query_combine(ZHS_QOP_AND_NOT, subs, 3, NULL);
    assert_describe(q, "Query((a AND_NOT b AND_NOT c))");
    zhs_query_free(q);
    q = zhs_query_combine(ZHS_QOP_SYNONYM, subs, 2, NULL);
    assert_describe(q, "Query((a SYNONYM b))");
    /* The combination keeps its own references: freeing a part changes nothing. */
    zhs_query_free(a);
    assert_describe(q, "Query((a SYNONYM b))");
    zhs_query_t *scaled = zhs_query_scale(q, 2.5, NULL);
    zhs_query_free(q);
    assert_describe(scaled, "Query(2.5 * (a SYNONYM b))");
    zhs_query_free(scaled);
    q = zhs_query_value_range(1, "2017", "2020", NULL);
    assert_describe(q, "Query(VALUE_RANGE 1 2017 2020)");
    zhs_query_free(q);
    q = zhs_query_match_all(NULL);
    assert_describe(q, "Query(<alldocuments>)");
    zhs_query_free(q);
    const char *words[] = {"x", "yy"};
    size_t lens[] = {1, 2};
    q = zhs_query_phrase(words, lens, 2, 3, NULL);
    assert_describe(q, "Query((x PHRASE 3 yy))");
    zhs_query_free(q);
    q = zhs_query_phrase(words, NULL, 2, 0, NULL);
    assert_describe(q, "Query((x PHRASE 2 yy))");
    zhs_query_free(q);
    zhs_query_free(b);
    zhs_query_free(c);
}

static void bad_query_arguments_are_refused(void)
{
    zhs_error_t err = {0};
    zhs_query_t *a = term("a");
    zhs_query_t *subs[] = {a, NULL};
    CU_ASSERT_PTR_NULL(zhs_query_combine(ZHS_QOP_AND, subs, 2, &err));
    ZHS_ASSERT_STR(err.message, "zhs_query_combine: InvalidArgumentError: subs[i] is NULL");
    CU_ASSERT_PTR_NULL(zhs_query_combine(ZHS_QOP_AND, subs, 0, NULL));
    zhs_error_clear(&err);
    CU_ASSERT_PTR_NULL(zhs_query_combine((zhs_qop_t)99, subs, 1, &err));
    ZHS_ASSERT_STR(err.message,
                   "zhs_query_combine: InvalidArgumentError: unknown query operator 99");
    zhs_error_clear(&err);
    CU_ASSERT_PTR_NULL(zhs_query_scale(a, -1, &err));
    CU_ASSERT_EQUAL(err.status, ZHS_ERR_BAD_ARG);
    CU_ASSERT_PTR_NULL(zhs_query_term("", 0, 1, NULL));
    const char *words[] = {"x", NULL};
    CU_ASSERT_PTR_NULL(zhs_query_phrase(words, NULL, 2, 0, NULL));
    CU_ASSERT_PTR_NULL(zhs_query_phrase(words, NULL, 0, 0, NULL));
    CU_ASSERT_PTR_NULL(zhs_query_phrase(NULL, NULL, 1, 0, NULL));
    CU_ASSERT_PTR_NULL(zhs_query_value_range(0xffffffffu, "a", "b", NULL));
    zhs_query_free(a);
}

static void boolean_operators_match_exactly(void)
{
    fresh_enquire();
    zhs_query_t *a = term("a"), *b = term("b"), *c = term("c");
    CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(enq, SLOT_ORDER, false, NULL), ZHS_OK);
    assert_matches(enq, a, "1,2,3,5", 4);
    consume_matches(enq, combine2(ZHS_QOP_AND, a, b), "1,5", 2);
    consume_matches(enq, combine2(ZHS_QOP_OR, a, b), "1,2,3,4,5", 5);
    consume_matches(enq, combine2(ZHS_QOP_AND_NOT, a, b), "2,3", 2);
    consume_matches(enq, combine2(ZHS_QOP_FILTER, a, b), "1,5", 2);
    consume_matches(enq, combine2(ZHS_QOP_AND_MAYBE, a, b), "1,2,3,5", 4);
    consume_matches(enq, combine2(ZHS_QOP_SYNONYM, b, c), "1,2,4,5,6", 5);
    consume_matches(enq, zhs_query_match_all(NULL), "1,2,3,4,5,6", 6);
    consume_matches(enq, term("Qd2#2"), "4", 1);
    consume_matches(enq, term("nowhere"), "", 0);
    zhs_query_free(a);
    zhs_query_free(b);
    zhs_query_free(c);
}

static void value_ranges_compare_strings_with_open_ends(void)
{
    static const struct {
        unsigned slot;
        const char *lo, *hi, *expected;
        uint64_t total;
    } cases[] = {
        {ZHS_SLOT_YEAR, "2017", "2020", "3,4,5,6", 4},
        {ZHS_SLOT_YEAR, "2018", NULL, "3,4,5,6", 4},
        {ZHS_SLOT_YEAR, NULL, "2018", "1,2,3,4", 4},
        {ZHS_SLOT_YEAR, "2019", "2017", "", 0},
        /* d3#1 has no department: it never lies in a range... */
        {ZHS_SLOT_DEPTS, NULL, "\xff", "1,2,3,4,6", 5},
        /* ...unless both ends are open. */
        {ZHS_SLOT_DEPTS, NULL, NULL, "1,2,3,4,5,6", 6},
    };
    fresh_enquire();
    CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(enq, SLOT_ORDER, false, NULL), ZHS_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        consume_matches(enq, zhs_query_value_range(cases[i].slot, cases[i].lo, cases[i].hi, NULL),
                        cases[i].expected, cases[i].total);
}

static void filter_and_scale_shape_weights(void)
{
    fresh_enquire();
    zhs_query_t *a = term("a"), *b = term("b");
    zhs_mset_t *plain = run(enq, a, 0, 10);
    double wa1 = weight_of(plain, 1), wa5 = weight_of(plain, 5);
    CU_ASSERT_TRUE(wa1 > 0);

    /* FILTER: b restricts but adds nothing. */
    zhs_query_t *q = combine2(ZHS_QOP_FILTER, a, b);
    zhs_mset_t *m = run(enq, q, 0, 10);
    CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 1), wa1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 5), wa5, 1e-12);
    zhs_mset_free(m);
    zhs_query_free(q);

    /* AND_MAYBE: b adds its weight where it matches, and only there. */
    q = combine2(ZHS_QOP_AND_MAYBE, a, b);
    m = run(enq, q, 0, 10);
    CU_ASSERT_TRUE(weight_of(m, 1) > wa1 + 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 2), weight_of(plain, 2), 1e-12);
    zhs_mset_free(m);
    zhs_query_free(q);

    q = zhs_query_scale(a, 3, NULL);
    m = run(enq, q, 0, 10);
    CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 1), 3 * wa1, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 5), 3 * wa5, 1e-9);
    zhs_mset_free(m);
    zhs_query_free(q);

    /* A boolean term (wdf 0) and match-all carry no weight. */
    q = term("Qd1#1");
    m = run(enq, q, 0, 10);
    CU_ASSERT_EQUAL(weight_of(m, 1), 0.0);
    zhs_mset_free(m);
    zhs_query_free(q);
    q = zhs_query_match_all(NULL);
    m = run(enq, q, 0, 10);
    CU_ASSERT_EQUAL(weight_of(m, 6), 0.0);
    zhs_mset_free(m);
    zhs_query_free(q);

    zhs_mset_free(plain);
    zhs_query_free(a);
    zhs_query_free(b);
}

static void wdf_raises_the_weight(void)
{
    DB_PATH(path, "wdf");
    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE);
    /* Same length (4), different wdf of x. */
    for (unsigned i = 0; i < 2; i++) {
        zhs_xdoc_t *doc = NULL;
        CU_ASSERT_EQUAL_FATAL(zhs_xdoc_new(&doc, NULL), ZHS_OK);
        CU_ASSERT_EQUAL(zhs_xdoc_add_term(doc, "x", 1, i ? 3 : 1, NULL), ZHS_OK);
        CU_ASSERT_EQUAL(zhs_xdoc_add_term(doc, "pad", 3, i ? 1 : 3, NULL), ZHS_OK);
        CU_ASSERT_EQUAL(zhs_wdb_add(wdb, doc, NULL, NULL), ZHS_OK);
        zhs_xdoc_free(doc);
    }
    zhs_wdb_close(wdb);
    zhs_db_t *db = open_db(path);
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    zhs_query_t *x = term("x");
    zhs_mset_t *m = run(e, x, 0, 10);
    char got[64];
    page_docids(m, got, sizeof got);
    ZHS_ASSERT_STR(got, "2,1");
    CU_ASSERT_TRUE(weight_of(m, 2) > weight_of(m, 1) + 1e-9);
    zhs_mset_free(m);
    zhs_query_free(x);
    zhs_enquire_free(e);
    zhs_db_close(db);
}

static void prefix_query_is_every_term_it_starts(void)
{
    /* doc 1: 知识; doc 2: 知 (a run's last character); doc 3: 识别; doc 4: 知识 twice. */
    static const doc_spec docs[] = {
        {"Qp1", "知识", NULL, {0}}, {"Qp2", "知", NULL, {0}},
        {"Qp3", "识别", NULL, {0}}, {"Qp4", "知识 知识", NULL, {0}},
    };
    DB_PATH(path, "prefix");
    CU_ASSERT_EQUAL_FATAL(write_db(path, docs, 4), ZHS_OK);
    zhs_db_t *db = open_db(path);
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    /* One synonym: doc 4's two occurrences outweigh one; docs 1 and 2 tie. */
    const struct {
        const char *prefix, *docids;
        uint64_t total;
    } cases[] = {{"知", "4,1,2", 3}, {"识", "3", 1}, {"产", "", 0}};
    for (size_t i = 0; i < 3; i++) {
        zhs_query_t *q = zhs_query_prefix(cases[i].prefix, strlen(cases[i].prefix), NULL);
        assert_matches(e, q, cases[i].docids, cases[i].total);
        zhs_query_free(q);
    }
    zhs_error_t err = {0};
    CU_ASSERT_PTR_NULL(zhs_query_prefix("", 0, &err));
    CU_ASSERT_EQUAL(err.status, ZHS_ERR_BAD_ARG);
    zhs_enquire_free(e);
    zhs_db_close(db);
}

/* The passages a query of the characters (one or two) matches and their weights, as
 * "docid:weight,...". */
static void char_matches(zhs_enquire_t *e, zhs_db_t *db, const char *ch, const char *ch2,
                         char *out, size_t outsize)
{
    const char *chars[] = {ch, ch2};
    zhs_query_t *q = zhs_query_chars(db, chars, NULL, ch2 ? 2 : 1, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    zhs_mset_t *m = run(e, q, 0, 100);
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < zhs_mset_size(m); i++) {
        zhs_mset_item_t item;
        CU_ASSERT_EQUAL(zhs_mset_item(m, i, &item, NULL), ZHS_OK);
        used += (size_t)snprintf(out + used, outsize - used, "%s%u:%g", i ? "," : "",
                                 (unsigned)item.docid, item.weight);
    }
    zhs_mset_free(m);
    zhs_query_free(q);
}

static void chars_query_matches_their_terms_from_memory_without_weight(void)
{
    /* As the indexer writes them (bigrams and each run's last character): doc 1 知识;
     * doc 2 知; doc 3 识别; doc 4 知识 twice; doc 5 知道, deleted below. */
    static const doc_spec docs[] = {
        {"Qc1", "知识 识", NULL, {0}},       {"Qc2", "知", NULL, {0}},
        {"Qc3", "识别 别", NULL, {0}},       {"Qc4", "知识 知识 识", NULL, {0}},
        {"Qc5", "知道 道", NULL, {0}},
    };
    DB_PATH(path, "chars");
    CU_ASSERT_EQUAL_FATAL(write_db(path, docs, 5), ZHS_OK);
    delete_committed(path, "Qc5");
    zhs_db_t *db = open_db(path);
    CU_ASSERT_TRUE(zhs_db_has_char_lists(db));
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    char got[256];
    /* Twice: made, then read from memory; the deleted passage is left out. */
    for (int pass = 0; pass < 2; pass++) {
        char_matches(e, db, "知", NULL, got, sizeof got);
        ZHS_ASSERT_STR(got, "1:0,2:0,4:0");
    }
    char_matches(e, db, "识", NULL, got, sizeof got);
    ZHS_ASSERT_STR(got, "1:0,3:0,4:0");
    char_matches(e, db, "产", NULL, got, sizeof got);
    ZHS_ASSERT_STR(got, "");
    /* Both characters: the lists' intersection. */
    char_matches(e, db, "识", "知", got, sizeof got);
    ZHS_ASSERT_STR(got, "1:0,4:0");
    char_matches(e, db, "知", "产", got, sizeof got);
    ZHS_ASSERT_STR(got, "");
    const char *zhi[] = {"知"};
    const size_t three[] = {3};
    zhs_query_t *q = zhs_query_chars(db, zhi, three, 1, NULL, NULL);
    char *d = zhs_query_describe(q);
    CU_ASSERT_PTR_NOT_NULL(d ? strstr(d, "DocidListSource(4)") : NULL);
    free(d);
    zhs_query_free(q);
    /* Over two shards: the terms are walked, to the same passages. */
    DB_PATH(other, "chars2");
    static const doc_spec more[] = {{"Qc6", "知识 识", NULL, {0}}};
    CU_ASSERT_EQUAL_FATAL(write_db(other, more, 1), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_db_add(db, other, NULL), ZHS_OK);
    CU_ASSERT_FALSE(zhs_db_has_char_lists(db));
    zhs_enquire_free(e);
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    char_matches(e, db, "知", NULL, got, sizeof got);
    ZHS_ASSERT_STR(got, "1:0,2:0,3:0,7:0");
    char_matches(e, db, "知", "识", got, sizeof got);
    ZHS_ASSERT_STR(got, "1:0,2:0,7:0");
    zhs_key_filter_t unknown = {NULL, NULL, 0};
    const char *zhi_shi[] = {"知", "识"};
    zhs_query_free(zhs_query_chars(db, zhi_shi, NULL, 2, &unknown, NULL));
    CU_ASSERT_EQUAL(unknown.matched, UINT64_MAX);
    zhs_error_t err = {0};
    const char *empty[] = {""};
    CU_ASSERT_PTR_NULL(zhs_query_chars(db, empty, NULL, 1, NULL, &err));
    CU_ASSERT_EQUAL(err.status, ZHS_ERR_BAD_ARG);
    CU_ASSERT_PTR_NULL(zhs_query_chars(db, zhi, NULL, 0, NULL, NULL));
    CU_ASSERT_PTR_NULL(zhs_query_chars(NULL, zhi, NULL, 1, NULL, NULL));
    CU_ASSERT_FALSE(zhs_db_has_char_lists(NULL));
    zhs_enquire_free(e);
    zhs_db_close(db);
}

/* The passages the lists of 知 and of 识 match at db's current revision. */
static void assert_zhi_shi(zhs_db_t *db, const char *zhi, const char *shi)
{
    zhs_enquire_t *e = NULL;
    char got[256];
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    char_matches(e, db, "知", NULL, got, sizeof got);
    ZHS_ASSERT_STR(got, zhi);
    char_matches(e, db, "识", NULL, got, sizeof got);
    ZHS_ASSERT_STR(got, shi);
    zhs_enquire_free(e);
}

/* A new revision of the same database extends the character lists made for the last
 * one by its new documents (replaced and added ones), and a commit that only deletes
 * keeps them: the same passages as lists made from scratch. */
static void char_lists_follow_new_revisions(void)
{
    static const doc_spec docs[] = {
        {"Qr1", "知识 识", NULL, {0}}, {"Qr2", "知", NULL, {0}}, {"Qr3", "识别 别", NULL, {0}}};
    DB_PATH(path, "chars-revisions");
    CU_ASSERT_EQUAL_FATAL(write_db(path, docs, 3), ZHS_OK);
    zhs_db_t *db = open_db(path);
    assert_zhi_shi(db, "1:0,2:0", "1:0,3:0");

    /* Revision 2: a new passage (docid 4) and Qr2 replaced (deleted, then docid 5). */
    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE_OR_OPEN);
    static const doc_spec more[] = {{"Qr4", "知识 知识 识", NULL, {0}}, {"Qr2", "知道 道", NULL, {0}}};
    CU_ASSERT_EQUAL(write_doc(wdb, &more[0]), 4);
    CU_ASSERT_EQUAL(write_doc(wdb, &more[1]), 5);
    CU_ASSERT_EQUAL(zhs_wdb_commit(wdb, NULL), ZHS_OK);
    zhs_wdb_close(wdb);
    CU_ASSERT_EQUAL(zhs_db_reopen(db, NULL, NULL), ZHS_OK);
    assert_zhi_shi(db, "1:0,4:0,5:0", "1:0,3:0,4:0");
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    char got[256];
    char_matches(e, db, "识", "知", got, sizeof got);
    ZHS_ASSERT_STR(got, "1:0,4:0");
    char_matches(e, db, "道", NULL, got, sizeof got);
    ZHS_ASSERT_STR(got, "5:0");
    zhs_enquire_free(e);
    const char *zhi[] = {"知"};
    zhs_query_t *q = zhs_query_chars(db, zhi, NULL, 1, NULL, NULL);
    char *d = zhs_query_describe(q);
    CU_ASSERT_PTR_NOT_NULL(d ? strstr(d, "DocidListSource(4)") : NULL);   /* 1, 2, 4, 5 */
    free(d);
    zhs_query_free(q);

    /* Revision 3 only deletes. */
    delete_committed(path, "Qr1");
    CU_ASSERT_EQUAL(zhs_db_reopen(db, NULL, NULL), ZHS_OK);
    assert_zhi_shi(db, "4:0,5:0", "3:0,4:0");
    zhs_db_close(db);

    /* Rebuilt from scratch (another database, docids from 1 again): nothing carried. */
    static const doc_spec fresh[] = {{"Qr9", "识", NULL, {0}}};
    CU_ASSERT_EQUAL_FATAL(write_db(path, fresh, 1), ZHS_OK);
    db = open_db(path);
    assert_zhi_shi(db, "", "1:0");
    zhs_db_close(db);
}

static void chars_query_intersects_dense_and_sparse_lists(void)
{
    /* 200 passages: 甲 in every one (a list kept as a bitmap too), 乙 in every 50th and
     * 丙 in every 40th (lists searched). */
    static char ids[200][16], terms[200][32];
    static doc_spec docs[200];
    for (int i = 0; i < 200; i++) {
        int n = i + 1;
        snprintf(ids[i], sizeof ids[i], "Qd%d", n);
        snprintf(terms[i], sizeof terms[i], "甲%s%s", n % 50 ? "" : " 乙", n % 40 ? "" : " 丙");
        docs[i] = (doc_spec){ids[i], terms[i], NULL, {0}};
    }
    DB_PATH(path, "dense");
    CU_ASSERT_EQUAL_FATAL(write_db(path, docs, 200), ZHS_OK);
    zhs_db_t *db = open_db(path);
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    char got[256];
    char_matches(e, db, "甲", "乙", got, sizeof got);
    ZHS_ASSERT_STR(got, "50:0,100:0,150:0,200:0");
    char_matches(e, db, "丙", "乙", got, sizeof got);
    ZHS_ASSERT_STR(got, "200:0");
    const char *three[] = {"乙", "甲", "丙"};
    consume_matches(e, zhs_query_chars(db, three, NULL, 3, NULL, NULL), "200", 1);
    zhs_enquire_free(e);
    zhs_db_close(db);
}

/* A key filter for zhs_query_chars: keeps keys that start with 甲, counting its calls. */
static bool key_starts_with_jia(void *ctx, const char *key, size_t nbytes)
{
    (*(int *)ctx)++;
    return nbytes >= 3 && memcmp(key, "甲", 3) == 0;
}

static void chars_query_keeps_the_passages_whose_key_the_filter_keeps(void)
{
    /* 甲 and 乙 in docs 1 to 4 (keys 甲乙, 乙甲, 甲丙乙, none), 甲 alone in doc 5. */
    static const doc_spec docs[] = {
        {"Qk1", "甲乙 乙", NULL, {[ZHS_SLOT_KEY] = "甲乙"}},
        {"Qk2", "乙甲 甲", NULL, {[ZHS_SLOT_KEY] = "乙甲"}},
        {"Qk3", "甲丙 丙乙 乙", NULL, {[ZHS_SLOT_KEY] = "甲丙乙"}},
        {"Qk4", "甲乙 乙", NULL, {0}},
        {"Qk5", "甲", NULL, {[ZHS_SLOT_KEY] = "甲"}},
    };
    DB_PATH(path, "keyfilter");
    zhs_db_t *db = written_db(path, docs, 5);
    CU_ASSERT_EQUAL_FATAL(zhs_db_warm_keys(db, ZHS_SLOT_KEY, NULL), ZHS_OK);
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    const char *chars[] = {"甲", "乙"};
    int calls = 0;
    zhs_key_filter_t filter = {key_starts_with_jia, &calls, 0};
    /* Only the candidates' keys are read (not doc 5's); doc 4 has none and stays. */
    consume_matches(e, zhs_query_chars(db, chars, NULL, 2, &filter, NULL), "1,3,4", 3);
    CU_ASSERT_EQUAL(calls, 3);
    CU_ASSERT_EQUAL(filter.matched, 3);
    consume_matches(e, zhs_query_chars(db, chars, NULL, 2, NULL, NULL), "1,2,3,4", 4);
    /* Without a filter function, only the count. */
    zhs_key_filter_t count_only = {NULL, NULL, 0};
    consume_matches(e, zhs_query_chars(db, chars, NULL, 2, &count_only, NULL), "1,2,3,4", 4);
    CU_ASSERT_EQUAL(count_only.matched, 4);
    zhs_enquire_free(e);
    zhs_db_close(db);
}

static void phrase_needs_positions_within_the_window(void)
{
    DB_PATH(path, "phrase");
    zhs_wdb_t *wdb = open_wdb(path, ZHS_WDB_CREATE);
    /* doc 1: 知识 at 1, 产权 at 2; doc 2: 产权 at 1, 知识 at 2 (wrong order);
     * doc 3: 知识 at 1, 产权 at 4; doc 4: both terms without positions. */
    const uint32_t pos[3][2] = {{1, 2}, {2, 1}, {1, 4}};
    for (unsigned i = 0; i < 4; i++) {
        zhs_xdoc_t *doc = NULL;
        CU_ASSERT_EQUAL_FATAL(zhs_xdoc_new(&doc, NULL), ZHS_OK);
        if (i < 3) {
            CU_ASSERT_EQUAL(zhs_xdoc_add_posting(doc, "知识", 6, pos[i][0], 1, NULL), ZHS_OK);
            CU_ASSERT_EQUAL(zhs_xdoc_add_posting(doc, "产权", 6, pos[i][1], 1, NULL), ZHS_OK);
        } else {
            CU_ASSERT_EQUAL(zhs_xdoc_add_term(doc, "知识", 6, 1, NULL), ZHS_OK);
            CU_ASSERT_EQUAL(zhs_xdoc_add_term(doc, "产权", 6, 1, NULL), ZHS_OK);
        }
        CU_ASSERT_EQUAL(zhs_wdb_add(wdb, doc, NULL, NULL), ZHS_OK);
        zhs_xdoc_free(doc);
    }
    zhs_wdb_close(wdb);

    zhs_db_t *db = open_db(path);
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(e, 0, false, NULL), ZHS_OK);
    const char *words[] = {"知识", "产权"};
    const size_t lens[] = {6, 6};
    zhs_query_t *q = zhs_query_phrase(words, lens, 2, 0, NULL);
    assert_matches(e, q, "1", 1);
    zhs_query_free(q);
    q = zhs_query_phrase(words, lens, 2, 3, NULL);
    assert_matches(e, q, "1", 1);
    zhs_query_free(q);
    q = zhs_query_phrase(words, lens, 2, 4, NULL);
    assert_matches(e, q, "1,3", 2);
    zhs_query_free(q);
    zhs_query_t *t1 = term("知识"), *t2 = term("产权");
    q = combine2(ZHS_QOP_AND, t1, t2);
    assert_matches(e, q, "1,2,3,4", 4);
    zhs_query_free(q);
    zhs_query_free(t1);
    zhs_query_free(t2);
    zhs_enquire_free(e);
    zhs_db_close(db);
}

/* ------------------------------------------------------------ ranking and ordering */

/* Where a character begins one term only, its weighted list must weigh every passage
 * exactly as Xapian's BM25 weighs that term, for any length normalization. */
static void weighted_char_query_weighs_as_bm25_weighs_a_term(void)
{
    /* 丁 only as a run's last character: the unigram 丁, wdf 1, 3, 1; lengths 2-6. */
    static const doc_spec docs[] = {
        {"Qw1", "丁 pad", NULL, {0}},         {"Qw2", "丁 丁 丁 pad pad", NULL, {0}},
        {"Qw3", "丁 pad pad pad pad pad", NULL, {0}}, {"Qw4", "pad", NULL, {0}},
        {"Qw5", "pad pad", NULL, {0}},
    };
    DB_PATH(path, "weighted");
    CU_ASSERT_EQUAL_FATAL(write_db(path, docs, 5), ZHS_OK);
    zhs_db_t *db = open_db(path);
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    const double bs[] = {0.0, 0.5, 1.0};
    for (size_t i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(zhs_enquire_set_bm25(e, 1.2, 0, 1, bs[i], 0.5, NULL), ZHS_OK);
        zhs_query_t *t = term("丁");
        zhs_query_t *w = zhs_query_char_weighted(db, "丁", 3, 1.2, bs[i], 0.5, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(w);
        zhs_mset_t *by_term = run(e, t, 0, 10), *by_list = run(e, w, 0, 10);
        char a[64], b[64];
        page_docids(by_term, a, sizeof a);
        page_docids(by_list, b, sizeof b);
        ZHS_ASSERT_STR(b, a);
        CU_ASSERT_EQUAL(zhs_mset_size(by_list), 3);
        for (zhs_docid_t d = 1; d <= 3; d++)
            CU_ASSERT_DOUBLE_EQUAL(weight_of(by_list, d), weight_of(by_term, d), 1e-9);
        CU_ASSERT_TRUE(weight_of(by_list, 1) > 0);
        zhs_mset_free(by_term);
        zhs_mset_free(by_list);
        zhs_query_free(t);
        zhs_query_free(w);
    }
    /* Over two shards there are no lists: the wildcard, to the same passages. */
    DB_PATH(other, "weighted2");
    static const doc_spec more[] = {{"Qw6", "丁 pad", NULL, {0}}};
    CU_ASSERT_EQUAL_FATAL(write_db(other, more, 1), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_db_add(db, other, NULL), ZHS_OK);
    zhs_enquire_free(e);
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    /* Shard ids interleave: the first shard's 1, 2, 3 are 1, 3, 5; the second's 1 is 2. */
    consume_matches(e, zhs_query_char_weighted(db, "丁", 3, 1.2, 0, 0.5, NULL), "3,1,2,5", 4);
    zhs_error_t err = {0};
    CU_ASSERT_PTR_NULL(zhs_query_char_weighted(db, "", 0, 1.2, 0, 0.5, &err));
    CU_ASSERT_EQUAL(err.status, ZHS_ERR_BAD_ARG);
    CU_ASSERT_PTR_NULL(zhs_query_char_weighted(NULL, "丁", 3, 1.2, 0, 0.5, NULL));
    zhs_enquire_free(e);
    zhs_db_close(db);
}

static void bm25_parameters_change_scores(void)
{
    fresh_enquire();
    zhs_query_t *a = term("a");
    /* Default BM25 (b = 0.5) favours the shortest passage: d2#1 holds only "a". */
    zhs_mset_t *m = run(enq, a, 0, 10);
    zhs_mset_item_t top;
    CU_ASSERT_EQUAL(zhs_mset_item(m, 0, &top, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(top.docid, 3);
    double w3 = weight_of(m, 3), w5 = weight_of(m, 5);
    CU_ASSERT_TRUE(w3 > w5 + 1e-9);
    zhs_mset_free(m);

    /* b = 0 turns length normalisation off: every wdf-1 match weighs the same. */
    CU_ASSERT_EQUAL(zhs_enquire_set_bm25(enq, 1.2, 0, 1, 0, 0.5, NULL), ZHS_OK);
    m = run(enq, a, 0, 10);
    CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 3), weight_of(m, 5), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(weight_of(m, 1), weight_of(m, 2), 1e-12);
    double flat = weight_of(m, 1);
    zhs_mset_free(m);

    /* b = 1 normalises fully: shorter than average gains, longer loses. */
    CU_ASSERT_EQUAL(zhs_enquire_set_bm25(enq, 1.2, 0, 1, 1, 0.5, NULL), ZHS_OK);
    m = run(enq, a, 0, 10);
    CU_ASSERT_TRUE(weight_of(m, 3) > flat + 1e-9);
    CU_ASSERT_TRUE(weight_of(m, 5) < flat - 1e-9);
    zhs_mset_free(m);

    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_enquire_set_bm25(enq, -1, 0, 1, 0.5, 0.5, &err), ZHS_ERR_BAD_ARG);
    ZHS_ASSERT_STR(err.message,
                   "zhs_enquire_set_bm25: InvalidArgumentError: BM25 k1, k2 and k3 must be >= 0");
    CU_ASSERT_EQUAL(zhs_enquire_set_bm25(enq, 1, 0, 1, 1.5, 0.5, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_set_bm25(enq, 1, 0, 1, 0.5, -2, NULL), ZHS_ERR_BAD_ARG);
    zhs_query_free(a);
}

static void sort_by_value_both_directions_then_back_to_relevance(void)
{
    fresh_enquire();
    zhs_query_t *all = zhs_query_match_all(NULL);
    CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(enq, SLOT_LINE, false, NULL), ZHS_OK);
    assert_matches(enq, all, "3,5,2,6,1,4", 6);
    CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(enq, SLOT_LINE, true, NULL), ZHS_OK);
    assert_matches(enq, all, "4,1,6,2,5,3", 6);
    /* d3#1 (docid 5) has no departments: last both ways, whether the columns rank
     * (every match checked) or Xapian does (check_at_least 0). Byte order: 教 < 科 < 财. */
    for (unsigned check = 0; check < 2; check++) {
        for (int reverse = 0; reverse < 2; reverse++) {
            CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(enq, ZHS_SLOT_DEPTS, reverse, NULL),
                            ZHS_OK);
            CU_ASSERT_EQUAL(zhs_enquire_set_query(enq, all, NULL), ZHS_OK);
            zhs_mset_t *page = NULL;
            CU_ASSERT_EQUAL_FATAL(zhs_enquire_get_mset(enq, 0, 10, check ? UINT32_MAX : 0,
                                                       &page, NULL), ZHS_OK);
            char order[64];
            page_docids(page, order, sizeof order);
            ZHS_ASSERT_STR(order, reverse ? "4,1,2,6,3,5" : "3,6,2,1,4,5");
            zhs_mset_free(page);
        }
    }
    /* Equal values fall back to relevance. */
    zhs_query_t *a = term("a");
    CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(enq, ZHS_SLOT_YEAR, true, NULL), ZHS_OK);
    zhs_mset_t *m = run(enq, a, 0, 10);
    char got[64];
    page_docids(m, got, sizeof got);
    ZHS_ASSERT_STR(got, "5,3,1,2");
    zhs_mset_free(m);
    CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(enq, -1, false, NULL), ZHS_OK);
    m = run(enq, a, 0, 10);
    zhs_mset_item_t top;
    CU_ASSERT_EQUAL(zhs_mset_item(m, 0, &top, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(top.docid, 3);
    zhs_mset_free(m);
    zhs_query_free(a);
    zhs_query_free(all);
}

static void collapse_keeps_the_best_per_key_and_counts_the_rest(void)
{
    fresh_enquire();
    zhs_query_t *a = term("a");
    CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(enq, SLOT_ORDER, false, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_enquire_set_collapse(enq, ZHS_SLOT_DOC, 1, NULL), ZHS_OK);
    zhs_mset_t *m = run(enq, a, 0, 10);
    CU_ASSERT_EQUAL(zhs_mset_size(m), 3);
    CU_ASSERT_EQUAL(zhs_mset_matches_estimated(m), 3);
    sink s = {0};
    for (size_t i = 0; i < zhs_mset_size(m); i++) {
        zhs_mset_item_t item;
        char *doc = NULL;
        CU_ASSERT_EQUAL(zhs_mset_item(m, i, &item, NULL), ZHS_OK);
        CU_ASSERT_EQUAL(zhs_mset_item_value(m, i, ZHS_SLOT_DOC, &doc, NULL, NULL), ZHS_OK);
        sink_add(&s, "%s+%u", doc, item.collapse_count);
        free(doc);
    }
    ZHS_ASSERT_STR(s.text, "d1+1,d2+0,d3+0");
    zhs_mset_free(m);

    CU_ASSERT_EQUAL(zhs_enquire_set_collapse(enq, ZHS_SLOT_DOC, 2, NULL), ZHS_OK);
    assert_matches(enq, a, "1,2,3,5", 4);
    CU_ASSERT_EQUAL(zhs_enquire_set_collapse(enq, ZHS_SLOT_DOC, 0, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_set_collapse(enq, -1, 0, NULL), ZHS_OK);
    assert_matches(enq, a, "1,2,3,5", 4);
    zhs_query_free(a);
}

/* ------------------------------------------------------------ deciders and facets */

/* Passages of two documents interleaved (d1, d2, d1, d2): a unit or a group met again
 * after another one still counts once. */
/* Tier 2 for the passages whose data says "two", tier 1 for the others. */
static int tier_by_data(void *ctx, zhs_docid_t docid, const char *data, size_t nbytes)
{
    (void)ctx;
    (void)docid;
    char copy[64];
    snprintf(copy, sizeof copy, "%.*s", (int)nbytes, data);
    return strstr(copy, "two") ? 2 : 1;
}

static void decider_tiers_rank_before_weights(void)
{
    fresh_enquire();
    CU_ASSERT_EQUAL(zhs_enquire_set_decider(enq, tier_by_data, NULL, NULL), ZHS_OK);
    /* c weighs most in d3#2 (docid 6, the shortest passage), a tier-2 passage: it
     * still comes after d3#1 (5), the only tier-1 match, and first among tier 2. */
    zhs_query_t *c = term("c");
    assert_matches(enq, c, "5,6,2,4", 4);
    zhs_mset_t *m = run(enq, c, 0, 10);
    int tiers[4];
    for (size_t i = 0; i < 4; i++) {
        zhs_mset_item_t item;
        CU_ASSERT_EQUAL(zhs_mset_item(m, i, &item, NULL), ZHS_OK);
        tiers[i] = item.tier;
    }
    CU_ASSERT_EQUAL(tiers[0], 1);
    CU_ASSERT_EQUAL(tiers[1], 2);
    CU_ASSERT_EQUAL(tiers[3], 2);
    zhs_mset_free(m);
    zhs_query_free(c);
}

/* Records "docid:data" of every candidate and keeps it. */
static int record_data(void *ctx, zhs_docid_t docid, const char *data, size_t nbytes)
{
    sink_add(ctx, "%u:%.*s", docid, (int)nbytes, data);
    return 1;
}

static void decider_data_comes_from_a_slot_where_set(void)
{
    DB_PATH(path, "decider-data");
    static const doc_spec specs[] = {{"Q1", "t", "own1", {[4] = "slot1"}},
                                     {"Q2", "t", "own2", {0}}};
    zhs_db_t *db = written_db(path, specs, 2);
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    zhs_query_t *t = term("t");
    sink s = {0};
    CU_ASSERT_EQUAL(zhs_enquire_set_decider(e, record_data, &s, NULL), ZHS_OK);
    zhs_mset_free(run(e, t, 0, 10));
    ZHS_ASSERT_STR(s.text, "1:own1,2:own2");
    memset(&s, 0, sizeof s);
    CU_ASSERT_EQUAL(zhs_enquire_set_decider_data(e, 4, NULL), ZHS_OK);
    zhs_mset_free(run(e, t, 0, 10));
    ZHS_ASSERT_STR(s.text, "1:slot1,2:own2");    /* the slot where set, else the data */
    memset(&s, 0, sizeof s);
    CU_ASSERT_EQUAL(zhs_enquire_set_decider_data(e, -1, NULL), ZHS_OK);
    zhs_mset_free(run(e, t, 0, 10));
    ZHS_ASSERT_STR(s.text, "1:own1,2:own2");
    CU_ASSERT_EQUAL(zhs_enquire_set_decider_data(NULL, 4, NULL), ZHS_ERR_BAD_ARG);
    zhs_query_free(t);
    zhs_enquire_free(e);
    zhs_db_close(db);
}

static void interleaved_units_count_and_collapse_once(void)
{
    static const doc_spec mixed[] = {
        {"Qm1", "a", "m1", {[ZHS_SLOT_DOC] = "d1", [ZHS_SLOT_DEPTS] = FIN}},
        {"Qm2", "a", "m2", {[ZHS_SLOT_DOC] = "d2", [ZHS_SLOT_DEPTS] = EDU}},
        {"Qm3", "a", "m3", {[ZHS_SLOT_DOC] = "d1", [ZHS_SLOT_DEPTS] = FIN SEP SCI}},
        {"Qm4", "a", "m4", {[ZHS_SLOT_DOC] = "d2", [ZHS_SLOT_DEPTS] = EDU}},
    };
    DB_PATH(path, "interleaved");
    CU_ASSERT_EQUAL_FATAL(write_db(path, mixed, 4), ZHS_OK);
    zhs_db_t *db = NULL;
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_db_open(path, &db, NULL), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    unsigned per_doc = add_facet(e, ZHS_SLOT_DEPTS, true, ZHS_SLOT_DOC);
    unsigned per_passage = add_facet(e, ZHS_SLOT_DEPTS, true, -1);
    CU_ASSERT_EQUAL(zhs_enquire_set_collapse(e, ZHS_SLOT_DOC, 1, NULL), ZHS_OK);
    zhs_query_t *a = term("a");
    /* Equal weights: the lower docid stands for each document. */
    assert_matches(e, a, "1,2", 2);
    zhs_mset_t *m = run(e, a, 0, 10);
    zhs_mset_item_t item;
    for (size_t i = 0; i < 2; i++) {
        CU_ASSERT_EQUAL(zhs_mset_item(m, i, &item, NULL), ZHS_OK);
        CU_ASSERT_EQUAL(item.collapse_count, 1);
        CU_ASSERT_EQUAL(item.rank, i);
    }
    zhs_mset_free(m);
    assert_facets(e, per_doc, EDU "=1," SCI "=1," FIN "=1", 2);
    assert_facets(e, per_passage, EDU "=2," FIN "=2," SCI "=1", 4);
    /* The second page starts after the first document. */
    m = run(e, a, 1, 10);
    CU_ASSERT_EQUAL(zhs_mset_size(m), 1);
    CU_ASSERT_EQUAL(zhs_mset_item(m, 0, &item, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(item.docid, 2);
    CU_ASSERT_EQUAL(item.rank, 1);
    zhs_mset_free(m);
    zhs_query_free(a);
    zhs_enquire_free(e);
    zhs_db_close(db);
}


static void facets_count_all_matches_split_and_per_unit(void)
{
    fresh_enquire();
    unsigned i0 = add_facet(enq, ZHS_SLOT_DEPTS, true, -1);
    unsigned i1 = add_facet(enq, ZHS_SLOT_DEPTS, true, ZHS_SLOT_DOC);
    unsigned i2 = add_facet(enq, ZHS_SLOT_YEAR, false, -1);
    unsigned i3 = add_facet(enq, ZHS_SLOT_DEPTS, false, -1);
    CU_ASSERT_EQUAL(i0, 0);
    CU_ASSERT_EQUAL(i1, 1);
    CU_ASSERT_EQUAL(i2, 2);
    CU_ASSERT_EQUAL(i3, 3);

    /* A page of one still counts every match. */
    zhs_query_t *all = zhs_query_match_all(NULL);
    zhs_mset_t *m = run(enq, all, 0, 1);
    CU_ASSERT_EQUAL(zhs_mset_size(m), 1);
    zhs_mset_free(m);
    /* Ties are in byte order: 教 (E6 95 99), 科 (E7 A7 91), 财 (E8 B4 A2). A repeated value
     * within one passage (d2#2) counts once. */
    assert_facets(enq, i0, EDU "=3," FIN "=3," SCI "=1", 6);
    assert_facets(enq, i1, EDU "=2," FIN "=2," SCI "=1", 3);
    assert_facets(enq, i2, "2016=2,2018=2,2020=2", 6);
    assert_facets(enq, i3, EDU "=1," SCI "=1," FIN "=1," FIN SEP EDU "=1,"
                  FIN SEP EDU SEP FIN "=1", 6);

    /* The callback can stop early. */
    sink s = {0};
    s.stop_after = 1;
    CU_ASSERT_EQUAL(zhs_enquire_facet_counts(enq, i0, sink_facet, &s, NULL), ZHS_OK);
    ZHS_ASSERT_STR(s.text, EDU "=3");

    /* Each get_mset starts the counts afresh. */
    zhs_query_t *b = term("b");
    m = run(enq, b, 0, 0);
    CU_ASSERT_EQUAL(zhs_mset_size(m), 0);
    CU_ASSERT_EQUAL(zhs_mset_matches_estimated(m), 3);
    zhs_mset_free(m);
    assert_facets(enq, i0, EDU "=2," FIN "=2", 3);
    assert_facets(enq, i1, EDU "=2," FIN "=2", 3);
    assert_facets(enq, i2, "2016=1,2018=1,2020=1", 3);

    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_enquire_facet_counts(enq, 4, sink_facet, &s, &err), ZHS_ERR_BAD_ARG);
    ZHS_ASSERT_STR(err.message,
                   "zhs_enquire_facet_counts: InvalidArgumentError: no facet with that index");
    uint64_t n = 0;
    CU_ASSERT_EQUAL(zhs_enquire_facet_units(enq, 4, &n, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_facet_counts(enq, 0, NULL, NULL, NULL), ZHS_ERR_BAD_ARG);
    const zhs_facet_spec_t bad = {0xffffffffu, false, -1};
    CU_ASSERT_EQUAL(zhs_enquire_add_facet(enq, &bad, NULL, NULL), ZHS_ERR_BAD_ARG);
    zhs_query_free(b);
    zhs_query_free(all);
}

static void decider_rejects_change_totals_and_facets(void)
{
    fresh_enquire();
    unsigned fd = add_facet(enq, ZHS_SLOT_DEPTS, true, -1);
    unsigned fy = add_facet(enq, ZHS_SLOT_YEAR, false, ZHS_SLOT_DOC);
    CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(enq, SLOT_ORDER, false, NULL), ZHS_OK);
    zhs_query_t *a = term("a");

    assert_matches(enq, a, "1,2,3,5", 4);
    assert_facets(enq, fd, EDU "=2," FIN "=2", 4);
    assert_facets(enq, fy, "2016=1,2018=1,2020=1", 3);

    /* d1#2 ("d1 two reject") goes: one fewer match, one fewer 财政部. */
    decider_ctx d = {"reject", corpus_db, 0, 0};
    CU_ASSERT_EQUAL(zhs_enquire_set_decider(enq, reject_marked, &d, NULL), ZHS_OK);
    assert_matches(enq, a, "1,3,5", 3);
    CU_ASSERT_EQUAL(d.calls, 4);
    CU_ASSERT_EQUAL(d.wrong_data, 0);
    assert_facets(enq, fd, EDU "=2," FIN "=1", 3);
    assert_facets(enq, fy, "2016=1,2018=1,2020=1", 3);

    /* Rejecting every passage of a document removes the document from unit counts. */
    decider_ctx d2 = {"d1", corpus_db, 0, 0};
    CU_ASSERT_EQUAL(zhs_enquire_set_decider(enq, reject_marked, &d2, NULL), ZHS_OK);
    assert_matches(enq, a, "3,5", 2);
    assert_facets(enq, fd, EDU "=1", 2);
    assert_facets(enq, fy, "2018=1,2020=1", 2);

    CU_ASSERT_EQUAL(zhs_enquire_set_decider(enq, NULL, NULL, NULL), ZHS_OK);
    assert_matches(enq, a, "1,2,3,5", 4);
    zhs_query_free(a);
}

static int value_calls;

/* Rejects passages of 财政部, from the departments value (NUL-terminated). */
static int reject_fin_value(void *ctx, zhs_docid_t docid, const char *value, size_t nbytes)
{
    (void)ctx;
    (void)docid;
    value_calls++;
    return strlen(value) == nbytes && strstr(value, FIN) == NULL;
}

static void decider_reads_a_value_where_there_is_one(void)
{
    fresh_enquire();
    CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(enq, SLOT_ORDER, false, NULL), ZHS_OK);
    zhs_query_t *a = term("a");
    decider_ctx d = {"d3", corpus_db, 0, 0};
    CU_ASSERT_EQUAL(zhs_enquire_set_decider(enq, reject_marked, &d, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_enquire_set_decider_value(enq, ZHS_SLOT_DEPTS, reject_fin_value, NULL),
                    ZHS_OK);
    /* d1#1, d1#2 and d2#1 have departments: judged by them (the two of 财政部 go);
     * d3#1 has none: judged by its data ("d3 one" goes). */
    value_calls = 0;
    assert_matches(enq, a, "3", 1);
    CU_ASSERT_EQUAL(value_calls, 3);
    CU_ASSERT_EQUAL(d.calls, 1);
    CU_ASSERT_EQUAL(d.wrong_data, 0);

    CU_ASSERT_EQUAL(zhs_enquire_set_decider_value(enq, -1, NULL, NULL), ZHS_OK);
    assert_matches(enq, a, "1,2,3", 3);
    CU_ASSERT_EQUAL(value_calls, 3);
    CU_ASSERT_EQUAL(d.calls, 5);
    CU_ASSERT_EQUAL(zhs_enquire_set_decider_value(NULL, 1, reject_fin_value, NULL),
                    ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_enquire_set_decider(enq, NULL, NULL, NULL), ZHS_OK);
    zhs_query_free(a);
}

static void facets_count_documents_that_collapsing_removes(void)
{
    fresh_enquire();
    unsigned fy = add_facet(enq, ZHS_SLOT_YEAR, false, -1);
    unsigned fu = add_facet(enq, ZHS_SLOT_YEAR, false, ZHS_SLOT_DOC);
    CU_ASSERT_EQUAL(zhs_enquire_set_collapse(enq, ZHS_SLOT_DOC, 1, NULL), ZHS_OK);
    zhs_query_t *a = term("a");
    zhs_mset_t *m = run(enq, a, 0, 10);
    CU_ASSERT_EQUAL(zhs_mset_size(m), 3);
    zhs_mset_free(m);
    /* d1 shows once but both of its matching passages are counted... */
    assert_facets(enq, fy, "2016=2,2018=1,2020=1", 4);
    /* ...so count per document with the collapse slot as the unit. */
    assert_facets(enq, fu, "2016=1,2018=1,2020=1", 3);
    zhs_query_free(a);
}

/* ------------------------------------------------------------ result pages */

static void pages_report_ranks_data_values_and_estimates(void)
{
    fresh_enquire();
    zhs_query_t *all = zhs_query_match_all(NULL);
    CU_ASSERT_EQUAL(zhs_enquire_set_sort_by_value(enq, SLOT_LINE, false, NULL), ZHS_OK);
    zhs_mset_t *m = run(enq, all, 2, 3);
    CU_ASSERT_EQUAL(zhs_mset_size(m), 3);
    CU_ASSERT_EQUAL(zhs_mset_matches_estimated(m), 6);
    CU_ASSERT_EQUAL(zhs_mset_matches_lower(m), 6);
    CU_ASSERT_EQUAL(zhs_mset_matches_upper(m), 6);
    sink s = {0};
    for (size_t i = 0; i < zhs_mset_size(m); i++) {
        zhs_mset_item_t item;
        char *data = NULL, *line = NULL;
        size_t nd = 0, nl = 0;
        CU_ASSERT_EQUAL(zhs_mset_item(m, i, &item, NULL), ZHS_OK);
        CU_ASSERT_EQUAL(zhs_mset_item_data(m, i, &data, &nd, NULL), ZHS_OK);
        CU_ASSERT_EQUAL(zhs_mset_item_value(m, i, SLOT_LINE, &line, &nl, NULL), ZHS_OK);
        CU_ASSERT_EQUAL(nd, strlen(data));
        CU_ASSERT_EQUAL(nl, 2);
        sink_add(&s, "%u:%u:%s:%s", item.rank, item.docid, line, data);
        free(data);
        free(line);
    }
    ZHS_ASSERT_STR(s.text, "2:2:03:d1 two reject,3:6:04:d3 two,4:1:05:d1 one");

    /* Past the end of the page. */
    zhs_error_t err = {0};
    zhs_mset_item_t item = {.docid = 7};
    CU_ASSERT_EQUAL(zhs_mset_item(m, 3, &item, &err), ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(item.docid, 0);
    ZHS_ASSERT_STR(err.message, "zhs_mset_item: InvalidArgumentError: item index is past "
                                "the end of the result page");
    char *data = (char *)"untouched";
    CU_ASSERT_EQUAL(zhs_mset_item_data(m, 3, &data, NULL, NULL), ZHS_ERR_BAD_ARG);
    CU_ASSERT_PTR_NULL(data);
    CU_ASSERT_EQUAL(zhs_mset_item_value(m, 0, 0xffffffffu, &data, NULL, NULL),
                    ZHS_ERR_BAD_ARG);
    CU_ASSERT_EQUAL(zhs_mset_item(m, 0, NULL, NULL), ZHS_ERR_BAD_ARG);
    zhs_mset_free(m);

    /* A first beyond the end gives an empty page with the exact total. */
    m = run(enq, all, 10, 5);
    CU_ASSERT_EQUAL(zhs_mset_size(m), 0);
    CU_ASSERT_EQUAL(zhs_mset_matches_estimated(m), 6);
    zhs_mset_free(m);
    zhs_query_free(all);
}

static void estimates_bound_the_total_when_not_all_is_checked(void)
{
    fresh_enquire();
    zhs_query_t *b = term("b"), *c = term("c");
    zhs_query_t *q = combine2(ZHS_QOP_AND, b, c);   /* exactly 2: d2#2 and d3#1 */
    zhs_mset_t *m = NULL;
    CU_ASSERT_EQUAL(zhs_enquire_set_query(enq, q, NULL), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_get_mset(enq, 0, 1, 0, &m, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_mset_size(m), 1);
    CU_ASSERT_TRUE(zhs_mset_matches_lower(m) >= 1);
    CU_ASSERT_TRUE(zhs_mset_matches_lower(m) <= 2);
    CU_ASSERT_TRUE(zhs_mset_matches_upper(m) >= 2);
    CU_ASSERT_TRUE(zhs_mset_matches_upper(m) <= 3);
    CU_ASSERT_TRUE(zhs_mset_matches_estimated(m) >= zhs_mset_matches_lower(m));
    CU_ASSERT_TRUE(zhs_mset_matches_estimated(m) <= zhs_mset_matches_upper(m));
    zhs_mset_free(m);
    /* Checking the whole database makes all three exact. */
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_get_mset(enq, 0, 1, UINT32_MAX, &m, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_mset_matches_lower(m), 2);
    CU_ASSERT_EQUAL(zhs_mset_matches_estimated(m), 2);
    CU_ASSERT_EQUAL(zhs_mset_matches_upper(m), 2);
    zhs_mset_free(m);
    zhs_query_free(q);
    zhs_query_free(b);
    zhs_query_free(c);
}

static void page_outlives_its_enquire_and_database(void)
{
    DB_PATH(path, "outlive");
    static const doc_spec one[] = {{"Q1", "t", "kept data", {[1] = "v1"}}};
    zhs_db_t *db = written_db(path, one, 1);
    zhs_enquire_t *e = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_enquire_new(db, &e, NULL), ZHS_OK);
    zhs_query_t *q = term("t");
    zhs_mset_t *m = run(e, q, 0, 10);
    zhs_query_free(q);
    zhs_enquire_free(e);
    zhs_db_close(db);
    char *data = NULL;
    CU_ASSERT_EQUAL(zhs_mset_item_data(m, 0, &data, NULL, NULL), ZHS_OK);
    ZHS_ASSERT_STR(data, "kept data");
    free(data);
    CU_ASSERT_EQUAL(zhs_mset_item_value(m, 0, 1, &data, NULL, NULL), ZHS_OK);
    ZHS_ASSERT_STR(data, "v1");
    free(data);
    zhs_mset_free(m);
}

/* ------------------------------------------------------------ suites */

static CU_TestInfo write_tests[] = {
    {"written document reads back exactly", written_document_reads_back_exactly},
    {"replace by id term keeps one document", replace_by_id_term_keeps_one_document},
    {"delete by term removes every indexed document",
     delete_by_term_removes_every_indexed_document},
    {"metadata: set, get, delete, list by prefix",
     metadata_set_get_delete_and_list_by_prefix},
    {"writer reads its uncommitted documents", writer_reads_its_uncommitted_documents},
    {"cancelled transaction is discarded, ended one committed",
     cancelled_transaction_is_discarded_ended_one_is_committed},
    {"close commits pending changes", close_commits_pending_changes},
    {"overwrite empties an existing database", overwrite_empties_an_existing_database},
    {"reopen sees a new commit", reopen_sees_a_new_commit},
    {"combined shards count and search as one", combined_shards_count_and_search_as_one},
    {"deleted documents stay out of lookups and searches",
     deleted_documents_stay_out_of_lookups_and_searches},
    {"cancelled deletions are forgotten", cancelled_deletions_are_forgotten},
    {"compaction renumbers each source's tombstones",
     compaction_renumbers_each_sources_tombstones},
    {"combined shards skip each shard's deleted", combined_shards_skip_each_shards_deleted},
    {"wdf raises the weight", wdf_raises_the_weight},
    {"prefix query is every term it starts", prefix_query_is_every_term_it_starts},
    {"chars query matches their terms from memory without weight",
     chars_query_matches_their_terms_from_memory_without_weight},
    {"char lists follow new revisions", char_lists_follow_new_revisions},
    {"chars query intersects dense and sparse lists",
     chars_query_intersects_dense_and_sparse_lists},
    {"chars query keeps the passages whose key the filter keeps",
     chars_query_keeps_the_passages_whose_key_the_filter_keeps},
    {"weighted char query weighs as BM25 weighs a term",
     weighted_char_query_weighs_as_bm25_weighs_a_term},
    {"phrase needs positions within the window", phrase_needs_positions_within_the_window},
    {"page outlives its enquire and database", page_outlives_its_enquire_and_database},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo error_tests[] = {
    {"missing database reports its path", missing_database_reports_its_path},
    {"second writer is locked out", second_writer_is_locked_out},
    {"create mode refuses an existing database", create_mode_refuses_an_existing_database},
    {"terms must be 1..ZHS_MAX_TERM_BYTES bytes", terms_must_be_one_to_max_bytes},
    {"NULL arguments are refused, NULL handles freed",
     null_arguments_are_refused_and_null_handles_freed},
    {"unknown docid is not found, docid 0 is bad", unknown_docid_is_not_found_docid_zero_is_bad},
    {"bad query arguments are refused", bad_query_arguments_are_refused},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo search_tests[] = {
    {"queries describe themselves", queries_describe_themselves},
    {"boolean operators match exactly", boolean_operators_match_exactly},
    {"value ranges compare strings, with open ends", value_ranges_compare_strings_with_open_ends},
    {"FILTER, AND_MAYBE and scale shape weights", filter_and_scale_shape_weights},
    {"value weights weigh every document of a given one's group",
     value_weights_weigh_every_document_of_a_given_ones_group},
    {"BM25 parameters change scores", bm25_parameters_change_scores},
    {"sort by value both directions, then relevance",
     sort_by_value_both_directions_then_back_to_relevance},
    {"collapse keeps the best per key and counts the rest",
     collapse_keeps_the_best_per_key_and_counts_the_rest},
    {"facets count all matches, split, per unit", facets_count_all_matches_split_and_per_unit},
    {"interleaved units count and collapse once", interleaved_units_count_and_collapse_once},
    {"decider tiers rank before weights", decider_tiers_rank_before_weights},
    {"decider data comes from a slot where set", decider_data_comes_from_a_slot_where_set},
    {"facets follow a reopen", facets_follow_a_reopen},
    {"decider rejects change totals and facets", decider_rejects_change_totals_and_facets},
    {"decider reads a value where there is one", decider_reads_a_value_where_there_is_one},
    {"facets count documents that collapsing removes",
     facets_count_documents_that_collapsing_removes},
    {"pages report ranks, data, values, estimates",
     pages_report_ranks_data_values_and_estimates},
    {"estimates bound the total when not all is checked",
     estimates_bound_the_total_when_not_all_is_checked},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"xapian write/read", write_init, write_cleanup, NULL, NULL, write_tests},
    {"xapian errors", write_init, write_cleanup, NULL, NULL, error_tests},
    {"xapian search", search_init, search_cleanup, NULL, NULL, search_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
