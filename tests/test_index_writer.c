/* The index writer: the seed corpus indexed into a temporary database, then read back
 * through the Xapian binding term by term, value by value, record by record, as
 * schema.h describes them; fragments, replacing, removing and file states. */
#include "config.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <xxhash.h>

#include "cunit_run.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/document.h"
#include "zhsearch/index.h"
#include "zhsearch/schema.h"
#include "zhsearch/xapian.h"
#include "../lib/textpack.h"

#define NSEEDS 5
static const char *const seed_ids[NSEEDS] = {
    "000_ce5235c9c363ba6f", "001_fd8bcf01d029cd12", "002_63669fec260b4861",
    "003_a2da86337d7ff50c", "004_943963b27e31b63c",
};
enum { FRAG = 0, PARENT = 1, S002 = 2, ORPHAN = 3, S004 = 4 };

static zhs_document_t *seeds[NSEEDS];
static char tmpdir[PATH_MAX];
static char seed_db[PATH_MAX + 32];
static zhs_db_t *db;   /* the seed index, every seed put in file order */

/* ------------------------------------------------------------ helpers */

static void db_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmpdir, name);
}

/* Builds an index at tmpdir/name from the seeds listed in order[0..n); returns the
 * first failure (no CUnit assertion: suite set-up calls it too). */
static zhs_status_t build(const char *name, const int *order, size_t n)
{
    char path[PATH_MAX + 32];
    db_path(path, sizeof path, name);
    zhs_index_t *ix = NULL;
    zhs_error_t err = {0};
    zhs_status_t st = zhs_index_open(path, ZHS_INDEX_OVERWRITE, &ix, &err);
    for (size_t i = 0; st == ZHS_OK && i < n; i++)
        st = zhs_index_put(ix, seeds[order[i]], NULL, &err);
    if (st == ZHS_OK)
        st = zhs_index_commit(ix, &err);
    if (st != ZHS_OK)
        fprintf(stderr, "building %s: %s\n", name, err.message);
    zhs_index_close(ix);
    return st;
}

static zhs_index_t *reopen(const char *name)
{
    char path[PATH_MAX + 32];
    db_path(path, sizeof path, name);
    zhs_index_t *ix = NULL;
    CU_ASSERT_EQUAL(zhs_index_open(path, ZHS_INDEX_CREATE_OR_OPEN, &ix, NULL), ZHS_OK);
    return ix;
}

static zhs_db_t *open_db(const char *name)
{
    char path[PATH_MAX + 32];
    db_path(path, sizeof path, name);
    zhs_db_t *d = NULL;
    CU_ASSERT_EQUAL(zhs_db_open(path, &d, NULL), ZHS_OK);
    return d;
}

static uint64_t tf_in(zhs_db_t *d, const char *term)
{
    uint64_t n = 0;
    CU_ASSERT_EQUAL(zhs_db_termfreq(d, term, strlen(term), &n, NULL), ZHS_OK);
    return n;
}

static uint64_t tf(const char *term)
{
    return tf_in(db, term);
}

static uint64_t xdoc_count(zhs_db_t *d, const char *id)
{
    char term[256];
    snprintf(term, sizeof term, ZHS_PREFIX_DOC "%s", id);
    return tf_in(d, term);
}

static uint64_t doccount(zhs_db_t *d)
{
    uint64_t n = 0;
    CU_ASSERT_EQUAL(zhs_db_doccount(d, &n, NULL), ZHS_OK);
    return n;
}

static int first_docid_fn(void *ctx, zhs_docid_t docid)
{
    *(zhs_docid_t *)ctx = docid;
    return 1;
}

/* The first passage indexed by term, 0 when none. */
static zhs_docid_t first_docid(zhs_db_t *d, const char *term)
{
    zhs_docid_t docid = 0;
    CU_ASSERT_EQUAL(zhs_db_postings(d, term, strlen(term), first_docid_fn, &docid, NULL),
                    ZHS_OK);
    return docid;
}

typedef struct {
    zhs_docid_t want;
    bool found;
} find_t;

static int find_fn(void *ctx, zhs_docid_t docid)
{
    find_t *f = ctx;
    f->found |= docid == f->want;
    return f->found;
}

static bool has_term_in(zhs_db_t *d, zhs_docid_t docid, const char *term)
{
    find_t f = {docid, false};
    CU_ASSERT_EQUAL(zhs_db_postings(d, term, strlen(term), find_fn, &f, NULL), ZHS_OK);
    return f.found;
}

static bool has_term(zhs_docid_t docid, const char *term)
{
    return has_term_in(db, docid, term);
}

typedef struct {
    zhs_db_t *db;
    unsigned line;
    zhs_docid_t found;
} line_find_t;

static int line_find_fn(void *ctx, zhs_docid_t docid)
{
    line_find_t *f = ctx;
    char *s = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(zhs_db_get_value(f->db, docid, ZHS_SLOT_DATA, &s, &n, NULL), ZHS_OK);
    json_t *j = json_loadb(s ? s : "", n, 0, NULL);
    if (json_integer_value(json_object_get(j, "line_start")) == (json_int_t)f->line)
        f->found = docid;
    json_decref(j);
    free(s);
    return f->found != 0;
}

/* The passage of document id starting at line (its XDOC term, then its data). */
static zhs_docid_t passage(zhs_db_t *d, const char *id, unsigned line)
{
    char term[256];
    snprintf(term, sizeof term, ZHS_PREFIX_DOC "%s", id);
    line_find_t f = {d, line, 0};
    CU_ASSERT_EQUAL(zhs_db_postings(d, term, strlen(term), line_find_fn, &f, NULL), ZHS_OK);
    return f.found;
}

static char *value(zhs_docid_t docid, unsigned slot)
{
    char *v = NULL;
    CU_ASSERT_EQUAL(zhs_db_get_value(db, docid, slot, &v, NULL, NULL), ZHS_OK);
    return v;
}

/* The passage data (schema.h: in ZHS_SLOT_DATA; the document data is empty). */
static json_t *data(zhs_db_t *d, zhs_docid_t docid)
{
    char *s = NULL, *doc_data = NULL;
    size_t n = 0, ndoc = 99;
    CU_ASSERT_EQUAL(zhs_db_get_data(d, docid, &doc_data, &ndoc, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(ndoc, 0);
    free(doc_data);
    CU_ASSERT_EQUAL(zhs_db_get_value(d, docid, ZHS_SLOT_DATA, &s, &n, NULL), ZHS_OK);
    json_t *j = s ? json_loadb(s, n, 0, NULL) : NULL;
    free(s);
    CU_ASSERT_PTR_NOT_NULL(j);
    return j;
}

/* The JSON record doc:<id>, NULL when absent. */
static json_t *record(zhs_db_t *d, const char *id)
{
    json_t *j = NULL;
    CU_ASSERT_EQUAL(zhs_index_read_record(d, id, &j, NULL), ZHS_OK);
    return j;
}

/* The text of text:<id> (unpacked), NULL when absent; *packed_nbytes (may be NULL):
 * the size of the stored record. */
static char *text_record_size(zhs_db_t *d, const char *id, size_t *packed_nbytes)
{
    char key[256], *s = NULL, *text = NULL;
    size_t n = 0, ntext = 0;
    snprintf(key, sizeof key, "%s%s", ZHS_META_TEXT, id);
    CU_ASSERT_EQUAL(zhs_db_get_metadata(d, key, &s, &n, NULL), ZHS_OK);
    if (s)
        CU_ASSERT_EQUAL(zhs_text_unpack(s, n, &text, &ntext, NULL), ZHS_OK);
    if (packed_nbytes)
        *packed_nbytes = s && (unsigned char)s[0] == 0xFE ? n : 0;   /* packed in blocks */
    free(s);
    return text;
}

static char *text_record(zhs_db_t *d, const char *id)
{
    return text_record_size(d, id, NULL);
}

/* The passage text the data d points to: its span of its document's stored text. */
static char *stored_passage_text(json_t *d)
{
    char *text = text_record(db, json_string_value(json_object_get(d, "doc")));
    json_int_t offset = json_integer_value(json_object_get(d, "offset"));
    json_int_t n = json_integer_value(json_object_get(d, "nbytes"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_TRUE_FATAL(offset >= 0 && n > 0 && (size_t)(offset + n) <= strlen(text));
    char *out = strndup(text + offset, (size_t)n);
    free(text);
    return out;
}

static const char *str(json_t *j, const char *key)
{
    return json_string_value(json_object_get(j, key));
}

static json_int_t num(json_t *j, const char *key)
{
    return json_integer_value(json_object_get(j, key));
}

/* The `XH` term of a passage text, computed as schema.h defines it. */
/* The match key of text (caller frees). */
static char *match_key(const char *text)
{
    zhs_normalized_t norm;
    char *key = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_normalize(text, strlen(text), 0, &norm, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_match_key(norm.text, norm.nbytes, &key, NULL), ZHS_OK);
    zhs_normalized_release(&norm);
    return key;
}

static void hash_term(const char *text, char *term)
{
    char *key = match_key(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(key);
    sprintf(term, ZHS_PREFIX_HASH "%016" PRIx64, XXH3_64bits(key, strlen(key)));
    free(key);
}

/* The 1-based lines of a seed file containing every one of the given strings, read
 * from the file itself (not through the parser). Returns how many were found. */
static size_t lines_with(const char *id, const char *a, const char *b, unsigned *out,
                         size_t max)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/corpus/%s.txt", ZHS_TEST_SRCDIR, id);
    FILE *f = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char *line = NULL;
    size_t cap = 0, n = 0;
    for (unsigned no = 1; getline(&line, &cap, f) > 0; no++)
        if (strstr(line, a) && (!b || strstr(line, b)) && n < max)
            out[n++] = no;
    free(line);
    fclose(f);
    return n;
}

static const zhs_passage_t *passage_at(const zhs_document_t *doc, unsigned line)
{
    for (size_t i = 0; i < doc->npassages; i++)
        if (doc->passages[i].line_start == line)
            return &doc->passages[i];
    return NULL;
}

/* ------------------------------------------------------------ suite */

static int suite_init(void)
{
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(tmpdir, sizeof tmpdir, "%s/zhs-index-writer.XXXXXX", base);
    if (!mkdtemp(tmpdir))
        return 1;
    for (int i = 0; i < NSEEDS; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/corpus/%s.txt", ZHS_TEST_SRCDIR, seed_ids[i]);
        zhs_error_t err = {0};
        if (zhs_document_load(path, &seeds[i], &err) != ZHS_OK) {
            fprintf(stderr, "%s: %s\n", path, err.message);
            return 1;
        }
    }
    static const int file_order[NSEEDS] = {0, 1, 2, 3, 4};
    if (build("seed", file_order, NSEEDS) != ZHS_OK)
        return 1;
    db_path(seed_db, sizeof seed_db, "seed");
    return zhs_db_open(seed_db, &db, NULL) != ZHS_OK;
}

static int changes_init(void)
{
    return seeds[NSEEDS - 1] == NULL;   /* the seed suite could not load the corpus */
}

static int suite_clean(void)
{
    zhs_db_close(db);
    for (int i = 0; i < NSEEDS; i++)
        zhs_document_free(seeds[i]);
    zhs_test_remove_tree(tmpdir);
    return 0;
}

/* ------------------------------------------------------------ the seed index */

static void every_seed_file_has_its_record_and_text(void)
{
    for (int i = 0; i < NSEEDS; i++) {
        json_t *rec = record(db, seed_ids[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
        ZHS_ASSERT_STR(str(rec, "id"), seed_ids[i]);
        char file[64];
        snprintf(file, sizeof file, "%s.txt", seed_ids[i]);
        ZHS_ASSERT_STR(str(rec, "file"), file);
        ZHS_ASSERT_STR(str(rec, "encoding"), "utf-8");
        CU_ASSERT_EQUAL(num(rec, "npassages"), (json_int_t)seeds[i]->npassages);
        CU_ASSERT_EQUAL(json_array_size(json_object_get(rec, "outline")),
                        seeds[i]->nsections);
        size_t packed = 0;
        char *text = text_record_size(db, seed_ids[i], &packed);
        ZHS_ASSERT_STR(text, seeds[i]->text);
        free(text);
        /* Stored deflated: the seeds keep well under 80% of their bytes. */
        CU_ASSERT_NOT_EQUAL(packed, 0);
        CU_ASSERT_TRUE(packed * 10 < seeds[i]->text_nbytes * 8);
        json_decref(rec);
    }
    json_t *rec = record(db, seed_ids[PARENT]);
    ZHS_ASSERT_STR(str(rec, "title"),
                   "中共广州市委广州市人民政府关于大力推进自主创新加快高新技术产业发展的决定");
    ZHS_ASSERT_STR(str(rec, "date"), "2009-11-17");
    CU_ASSERT_EQUAL(num(rec, "year"), 2009);
    CU_ASSERT_TRUE(json_is_null(json_object_get(rec, "fragment_of")));
    CU_ASSERT_EQUAL(json_array_size(json_object_get(rec, "inherited")), 0);
    json_decref(rec);
    char *schema = NULL;
    CU_ASSERT_EQUAL(zhs_db_get_metadata(db, ZHS_META_SCHEMA, &schema, NULL, NULL), ZHS_OK);
    ZHS_ASSERT_STR(schema, "7");
    free(schema);
}

static void documents_with_a_title_index_every_passage_once(void)
{
    uint64_t total = 0;
    for (int i = 1; i < NSEEDS; i++) {
        CU_ASSERT_EQUAL(xdoc_count(db, seed_ids[i]), seeds[i]->npassages);
        json_t *rec = record(db, seed_ids[i]);
        CU_ASSERT_EQUAL(num(rec, "indexed"), (json_int_t)seeds[i]->npassages);
        json_decref(rec);
        total += seeds[i]->npassages;
        /* npassages Xapian documents, one for each line: each line once. */
        for (size_t k = 0; k < seeds[i]->npassages; k++) {
            CU_ASSERT_NOT_EQUAL(passage(db, seed_ids[i], seeds[i]->passages[k].line_start), 0);
            char q[256];
            snprintf(q, sizeof q, ZHS_PREFIX_ID "%s#%u", seed_ids[i],
                     seeds[i]->passages[k].line_start);
            CU_ASSERT_EQUAL(tf(q), 1);
        }
    }
    CU_ASSERT_EQUAL(doccount(db), total);
}

static void the_fragment_000_is_linked_to_001_and_inherits_its_metadata(void)
{
    json_t *rec = record(db, seed_ids[FRAG]), *parent = record(db, seed_ids[PARENT]);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
    ZHS_ASSERT_STR(str(rec, "fragment_of"), seed_ids[PARENT]);
    ZHS_ASSERT_STR(str(rec, "title"), str(parent, "title"));
    ZHS_ASSERT_STR(str(rec, "date"), "2009-11-17");
    CU_ASSERT_EQUAL(num(rec, "year"), 2009);
    CU_ASSERT_TRUE(json_equal(json_object_get(rec, "issuer"), json_object_get(parent, "issuer")));
    json_t *inherited = json_pack("[s, s, s, s]", "title", "issuer", "date", "year");
    CU_ASSERT_TRUE(json_equal(json_object_get(rec, "inherited"), inherited));
    json_decref(inherited);
    CU_ASSERT_EQUAL(num(rec, "npassages"), (json_int_t)seeds[FRAG]->npassages);
    CU_ASSERT_EQUAL(num(rec, "indexed"), 0);
    CU_ASSERT_EQUAL(xdoc_count(db, seed_ids[FRAG]), 0);
    json_decref(rec);
    json_decref(parent);
}

static void a_passage_of_the_fragment_is_indexed_once_under_its_parent(void)
{
    CU_ASSERT_TRUE_FATAL(seeds[FRAG]->npassages > 0);
    for (size_t k = 0; k < seeds[FRAG]->npassages; k++) {
        const char *text = seeds[FRAG]->passages[k].text;
        char term[64];
        hash_term(text, term);
        CU_ASSERT_EQUAL(tf(term), 1);
        json_t *d = data(db, first_docid(db, term));
        ZHS_ASSERT_STR(str(d, "doc"), seed_ids[PARENT]);
        char *stored = stored_passage_text(d);
        ZHS_ASSERT_STR(stored, text);
        free(stored);
        json_decref(d);
    }
}

static void an_untitled_document_without_a_parent_is_indexed_whole(void)
{
    json_t *rec = record(db, seed_ids[ORPHAN]);
    CU_ASSERT_TRUE(json_is_null(json_object_get(rec, "fragment_of")));
    CU_ASSERT_TRUE(json_is_null(json_object_get(rec, "title")));
    CU_ASSERT_EQUAL(num(rec, "indexed"), (json_int_t)seeds[ORPHAN]->npassages);
    CU_ASSERT_EQUAL(xdoc_count(db, seed_ids[ORPHAN]), seeds[ORPHAN]->npassages);
    json_decref(rec);
}

static void items_led_by_the_science_bureau_carry_its_filter_term(void)
{
    unsigned lines[64];
    size_t n = lines_with(seed_ids[PARENT], "由市科技局牵头", NULL, lines, 64);
    CU_ASSERT_EQUAL(n, 12);
    for (size_t i = 0; i < n; i++) {
        zhs_docid_t docid = passage(db, seed_ids[PARENT], lines[i]);
        CU_ASSERT_NOT_EQUAL_FATAL(docid, 0);
        CU_ASSERT_TRUE(has_term(docid, "XDEPT市科技局"));
        json_t *d = data(db, docid);
        json_t *first = json_array_get(json_object_get(d, "departments"), 0);
        ZHS_ASSERT_STR(str(first, "name"), "市科技局");
        ZHS_ASSERT_STR(str(first, "role"), "lead");
        json_decref(d);
    }
    /* The fragment's copies of such items (28-30) are not indexed under 000. */
    CU_ASSERT_EQUAL(tf("XDEPT市科技局") > 0, 1);
    CU_ASSERT_EQUAL(tf("XDOC000_ce5235c9c363ba6f"), 0);
}

static void a_passage_has_its_filter_terms_values_and_data(void)
{
    unsigned line;
    CU_ASSERT_EQUAL_FATAL(lines_with(seed_ids[PARENT], "6.全面支持企业加强创新能力建设", NULL,
                                     &line, 1),
                          1);
    const zhs_passage_t *p = passage_at(seeds[PARENT], line);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    zhs_docid_t docid = passage(db, seed_ids[PARENT], line);
    CU_ASSERT_NOT_EQUAL_FATAL(docid, 0);

    const char *section = "大力推动企业技术创新,强化企业在推动自主创新和发展高新技术产业中的主体地位";
    char term[512];
    snprintf(term, sizeof term, "XSEC%s", section);
    CU_ASSERT_TRUE(has_term(docid, term));
    CU_ASSERT_TRUE(has_term(docid, "XDOC001_fd8bcf01d029cd12"));
    CU_ASSERT_TRUE(has_term(docid, "XDEPT市科技局"));
    CU_ASSERT_TRUE(has_term(docid, "XDEPT市经贸委"));
    CU_ASSERT_TRUE(has_term(docid, "XDEPT市财政局"));
    CU_ASSERT_TRUE(has_term(docid, "XISSUER广州市人民政府"));
    CU_ASSERT_TRUE(has_term(docid, "Y2009"));
    CU_ASSERT_FALSE(has_term(docid, "Yunknown"));
    CU_ASSERT_FALSE(has_term(docid, "S决定"));      /* no title terms (schema.h) */
    CU_ASSERT_TRUE(has_term(docid, "创新"));        /* content term */
    /* Unigrams only where a run ends (…能力建设。, …企业集聚,): 全 and 面 are found
     * through 全面 and 面支. */
    CU_ASSERT_TRUE(has_term(docid, "设"));
    CU_ASSERT_TRUE(has_term(docid, "聚"));
    CU_ASSERT_TRUE(has_term(docid, "全面"));
    CU_ASSERT_FALSE(has_term(docid, "全"));
    CU_ASSERT_FALSE(has_term(docid, "面"));
    hash_term(p->text, term);
    CU_ASSERT_TRUE(has_term(docid, term));

    char *v;
    ZHS_ASSERT_STR((v = value(docid, ZHS_SLOT_DATE)), "20091117");
    free(v);
    ZHS_ASSERT_STR((v = value(docid, ZHS_SLOT_YEAR)), "2009");
    free(v);
    ZHS_ASSERT_STR((v = value(docid, ZHS_SLOT_DOC)), seed_ids[PARENT]);
    free(v);
    ZHS_ASSERT_STR((v = value(docid, ZHS_SLOT_DEPTS)), "市科技局\x1f市经贸委\x1f市财政局");
    free(v);
    ZHS_ASSERT_STR((v = value(docid, ZHS_SLOT_SECTION)), section);
    free(v);
    ZHS_ASSERT_STR((v = value(docid, ZHS_SLOT_ISSUERS)), "中共广州市委\x1f广州市人民政府");
    free(v);
    ZHS_ASSERT_STR((v = value(docid, 6)), "");     /* no line slot (schema.h) */
    free(v);
    /* The text is stored once, in the document's text: the span says where. */
    ZHS_ASSERT_STR((v = value(docid, ZHS_SLOT_KEY)), "");
    free(v);
    char span[64];
    snprintf(span, sizeof span, "%zu,%zu", p->offset, strlen(p->text));
    ZHS_ASSERT_STR((v = value(docid, ZHS_SLOT_SPAN)), span);
    free(v);

    json_t *d = data(db, docid);
    char *stored = stored_passage_text(d);
    ZHS_ASSERT_STR(stored, p->text);
    free(stored);
    /* line_end (equal to line_start) and subsection (none) are left out. */
    json_t *want = json_pack(
        "{s:s, s:i, s:s, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}], s:I, s:I}", "doc",
        seed_ids[PARENT], "line_start", (int)line, "section", section, "departments",
        "name", "市科技局", "role", "lead", "name", "市经贸委", "role", "partner", "name",
        "市财政局", "role", "partner", "offset", (json_int_t)p->offset, "nbytes",
        (json_int_t)strlen(p->text));
    CU_ASSERT_TRUE(json_equal(d, want));
    char *got = json_dumps(d, JSON_COMPACT);
    if (!json_equal(d, want))
        printf("\ndata: %s\n", got);
    free(got);
    json_decref(want);
    json_decref(d);
}

typedef struct {
    zhs_token_t v[256];
    size_t n;
} tok_list_t;

static int collect_tok(void *ctx, const zhs_token_t *tok)
{
    tok_list_t *l = ctx;
    if (l->n < 256)
        l->v[l->n++] = *tok;
    return 0;
}

/* The terms schema.h has a text indexed under, each with prefix: Han bigrams, the
 * unigram of a run's last character, words; distinct. Returns how many (at most max). */
static size_t text_terms(const char *text, const char *prefix, char (*out)[64], size_t max)
{
    zhs_normalized_t norm;
    CU_ASSERT_EQUAL_FATAL(zhs_normalize(text, strlen(text), 0, &norm, NULL), ZHS_OK);
    static tok_list_t list;
    list.n = 0;
    zhs_tokenize(norm.text, norm.nbytes, collect_tok, &list);
    const zhs_token_t *toks = list.v;
    size_t ntoks = list.n, n = 0;
    for (size_t i = 0; i < ntoks; i++) {
        const zhs_token_t *t = &toks[i];
        if (t->kind == ZHS_TOKEN_UNIGRAM && i + 1 < ntoks &&
            toks[i + 1].kind == ZHS_TOKEN_BIGRAM && toks[i + 1].start == t->start)
            continue;    /* it starts a bigram */
        char term[64];
        snprintf(term, sizeof term, "%s%.*s", prefix, (int)t->nbytes, t->term);
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = strcmp(out[k], term) == 0;
        if (!seen && n < max)
            strcpy(out[n++], term);
    }
    zhs_normalized_release(&norm);
    return n;
}

/* The line of a seed file that is its title: the first holding it whole. */
static unsigned title_line(int seed, size_t *nlines)
{
    unsigned lines[8];
    *nlines = lines_with(seed_ids[seed], seeds[seed]->title, NULL, lines, 8);
    return *nlines ? lines[0] : 0;
}

static void only_the_title_passage_carries_title_terms(void)
{
    static const int titled[] = {PARENT, S002, S004};
    uint64_t want = 0;
    for (size_t i = 0; i < 3; i++) {
        size_t nlines = 0;
        unsigned line = title_line(titled[i], &nlines);
        /* 002 says its title twice: the first is the title passage. */
        CU_ASSERT_EQUAL(nlines, titled[i] == S002 ? 2 : 1);
        zhs_docid_t docid = passage(db, seed_ids[titled[i]], line);
        CU_ASSERT_NOT_EQUAL_FATAL(docid, 0);
        char terms[128][64];
        size_t n = text_terms(seeds[titled[i]]->title, ZHS_PREFIX_TITLE, terms, 128);
        CU_ASSERT_TRUE(n > 10);
        for (size_t k = 0; k < n; k++) {
            CU_ASSERT_TRUE(has_term(docid, terms[k]));
            CU_ASSERT_TRUE(has_term(docid, terms[k] + strlen(ZHS_PREFIX_TITLE)));
        }
        want += n;
    }
    /* Every posting of a title term is one of those: no other passage (000 is a
     * fragment of 001 with its title, 003 has none) carries any. */
    uint64_t all = 0;
    CU_ASSERT_EQUAL(zhs_db_prefix_freq(db, ZHS_PREFIX_TITLE, strlen(ZHS_PREFIX_TITLE), &all,
                                       NULL),
                    ZHS_OK);
    CU_ASSERT_EQUAL(all, want);
    /* 001's title has 决定, 004's 决议, 002's 通知; 关于 is in all three. */
    CU_ASSERT_EQUAL(tf("S决定"), 1);
    CU_ASSERT_EQUAL(tf("S决议"), 1);
    CU_ASSERT_EQUAL(tf("S关于"), 3);
    CU_ASSERT_EQUAL(tf("S决"), 0);
    CU_ASSERT_TRUE(tf("关于") > 3);
}

static void undated_documents_count_under_year_unknown(void)
{
    uint64_t unknown = 0;
    for (int i = 1; i < NSEEDS; i++) {
        json_t *rec = record(db, seed_ids[i]);
        if (json_is_null(json_object_get(rec, "year")))
            unknown += seeds[i]->npassages;
        json_decref(rec);
    }
    CU_ASSERT_EQUAL(tf("Yunknown"), unknown);
}

/* ------------------------------------------------------------ changes */

static void putting_a_document_again_replaces_it(void)
{
    static const int order[] = {1, 2};
    CU_ASSERT_EQUAL_FATAL(build("replace", order, 2), ZHS_OK);
    zhs_index_t *ix = reopen("replace");
    zhs_index_put_info_t info;
    CU_ASSERT_EQUAL(zhs_index_put(ix, seeds[S002], &info, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(info.npassages, seeds[S002]->npassages);
    CU_ASSERT_EQUAL(info.nduplicates, 0);
    CU_ASSERT_FALSE(info.fragment);
    uint64_t ndocs = 0, npassages = 0;
    CU_ASSERT_EQUAL(zhs_index_counts(ix, &ndocs, &npassages, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(ndocs, 2);
    CU_ASSERT_EQUAL(npassages, seeds[PARENT]->npassages + seeds[S002]->npassages);
    zhs_index_close(ix);
    zhs_db_t *d = open_db("replace");
    CU_ASSERT_EQUAL(xdoc_count(d, seed_ids[S002]), seeds[S002]->npassages);
    CU_ASSERT_EQUAL(doccount(d), seeds[PARENT]->npassages + seeds[S002]->npassages);
    zhs_db_close(d);
}

static void removing_a_document_removes_its_passages_and_records(void)
{
    static const int order[] = {1, 4};
    CU_ASSERT_EQUAL_FATAL(build("remove", order, 2), ZHS_OK);
    zhs_index_t *ix = reopen("remove");
    CU_ASSERT_EQUAL(zhs_index_remove(ix, seed_ids[S004], NULL, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_index_remove(ix, "no-such-document", NULL, NULL), ZHS_OK);
    zhs_index_close(ix);
    zhs_db_t *d = open_db("remove");
    CU_ASSERT_EQUAL(xdoc_count(d, seed_ids[S004]), 0);
    CU_ASSERT_EQUAL(doccount(d), seeds[PARENT]->npassages);
    CU_ASSERT_PTR_NULL(record(d, seed_ids[S004]));
    CU_ASSERT_PTR_NULL(text_record(d, seed_ids[S004]));
    zhs_db_close(d);
}

static void removing_the_parent_indexes_the_fragment_whole(void)
{
    static const int order[] = {1, 0};
    CU_ASSERT_EQUAL_FATAL(build("orphaned", order, 2), ZHS_OK);
    zhs_index_t *ix = reopen("orphaned");   /* links are read back from the records */
    zhs_index_put_info_t info;
    CU_ASSERT_EQUAL(zhs_index_remove(ix, seed_ids[PARENT], &info, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(info.nrelinked, 1);
    CU_ASSERT_EQUAL(info.nrelinked_passages, seeds[FRAG]->npassages);
    zhs_index_close(ix);
    zhs_db_t *d = open_db("orphaned");
    json_t *rec = record(d, seed_ids[FRAG]);
    CU_ASSERT_TRUE(json_is_null(json_object_get(rec, "fragment_of")));
    CU_ASSERT_TRUE(json_is_null(json_object_get(rec, "title")));
    CU_ASSERT_TRUE(json_is_null(json_object_get(rec, "date")));
    CU_ASSERT_EQUAL(json_array_size(json_object_get(rec, "inherited")), 0);
    CU_ASSERT_EQUAL(num(rec, "indexed"), (json_int_t)seeds[FRAG]->npassages);
    CU_ASSERT_EQUAL(doccount(d), seeds[FRAG]->npassages);
    json_decref(rec);
    zhs_db_close(d);
}

static void fragment_first_or_parent_first_give_the_same_index(void)
{
    static const int parent_first[] = {1, 0}, fragment_first[] = {0};
    CU_ASSERT_EQUAL_FATAL(build("pf", parent_first, 2), ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(build("ff", fragment_first, 1), ZHS_OK);
    zhs_index_t *ix = reopen("ff");
    zhs_index_put_info_t info;
    CU_ASSERT_EQUAL(zhs_index_put(ix, seeds[PARENT], &info, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(info.nrelinked, 1);            /* 000, now a fragment ... */
    CU_ASSERT_EQUAL(info.nrelinked_passages, 0);   /* ... with nothing of its own */
    zhs_index_close(ix);
    zhs_db_t *a = open_db("pf"), *b = open_db("ff");
    CU_ASSERT_EQUAL(doccount(a), seeds[PARENT]->npassages);
    CU_ASSERT_EQUAL(doccount(b), seeds[PARENT]->npassages);
    json_t *ra = record(a, seed_ids[FRAG]), *rb = record(b, seed_ids[FRAG]);
    CU_ASSERT_TRUE(json_equal(ra, rb));
    ZHS_ASSERT_STR(str(rb, "fragment_of"), seed_ids[PARENT]);
    json_decref(ra);
    json_decref(rb);
    zhs_db_close(a);
    zhs_db_close(b);
}

/* The seeds put in file order (000 is re-linked when 001 comes) with a shard, then
 * 002 removed and put again: merged with the writer's database, the same index as the
 * seed index. */
static void a_build_with_a_shard_merges_into_the_same_index(void)
{
    char path[PATH_MAX + 32], shard[PATH_MAX + 32], merged[PATH_MAX + 32];
    db_path(path, sizeof path, "sh");
    db_path(shard, sizeof shard, "sh-shard");
    db_path(merged, sizeof merged, "sh-merged");
    zhs_index_t *ix = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_index_open(path, ZHS_INDEX_OVERWRITE, &ix, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_index_add_shard(ix, shard, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_index_add_shard(ix, shard, NULL), ZHS_ERR_BAD_ARG);
    zhs_index_put_info_t info;
    for (int i = 0; i < NSEEDS; i++)
        CU_ASSERT_EQUAL(zhs_index_put(ix, seeds[i], &info, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_index_remove(ix, seed_ids[S002], &info, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_index_commit(ix, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_index_put(ix, seeds[S002], &info, NULL), ZHS_OK);
    uint64_t ndocs = 0, npassages = 0;
    CU_ASSERT_EQUAL(zhs_index_counts(ix, &ndocs, &npassages, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(ndocs, NSEEDS);
    CU_ASSERT_EQUAL(npassages, doccount(db));
    zhs_index_close(ix);

    zhs_db_t *sd = NULL;
    CU_ASSERT_EQUAL_FATAL(zhs_db_open(shard, &sd, NULL), ZHS_OK);
    CU_ASSERT_NOT_EQUAL(doccount(sd), 0);          /* the first passage goes there */
    zhs_db_close(sd);
    const char *srcs[] = {path, shard};
    CU_ASSERT_EQUAL_FATAL(zhs_db_compact_many(srcs, 2, merged, NULL), ZHS_OK);
    zhs_db_t *m = open_db("sh-merged");
    CU_ASSERT_EQUAL(doccount(m), doccount(db));
    static const char *const terms[] = {"创新", "决定", "S决定", "S关于", "Y2009", "Yunknown",
                                        "XDEPT市科技局", "XISSUER广州市人民政府"};
    for (size_t i = 0; i < sizeof terms / sizeof *terms; i++)
        CU_ASSERT_EQUAL(tf_in(m, terms[i]), tf(terms[i]));
    for (int i = 0; i < NSEEDS; i++) {
        CU_ASSERT_EQUAL(xdoc_count(m, seed_ids[i]), xdoc_count(db, seed_ids[i]));
        json_t *a = record(m, seed_ids[i]), *b = record(db, seed_ids[i]);
        CU_ASSERT_TRUE(json_equal(a, b));
        json_decref(a);
        json_decref(b);
    }
    zhs_db_close(m);
}

/* A document parsed from text (the fragment tests' own documents). */
static zhs_document_t *parse_text(const char *name, const char *text)
{
    zhs_document_t *doc = NULL;
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_document_parse(name, text, strlen(text), &doc, &err), ZHS_OK);
    return doc;
}

static void a_fragment_indexes_its_own_passages_with_inherited_metadata(void)
{
    /* Items 28 and 29 of 001 verbatim, then an item 001 does not have. */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "%s\n%s\n37.一条原文没有的新条目,说明补充规定。\n",
            seeds[FRAG]->passages[0].text, seeds[FRAG]->passages[1].text);
    fclose(f);
    zhs_document_t *frag = parse_text("extra.txt", text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(frag);
    CU_ASSERT_PTR_NULL(frag->title);
    static const int order[] = {1};
    CU_ASSERT_EQUAL_FATAL(build("extra", order, 1), ZHS_OK);
    zhs_index_t *ix = reopen("extra");
    zhs_index_put_info_t info;
    CU_ASSERT_EQUAL(zhs_index_put(ix, frag, &info, NULL), ZHS_OK);
    CU_ASSERT_TRUE(info.fragment);
    CU_ASSERT_EQUAL(info.nduplicates, 2);
    CU_ASSERT_EQUAL(info.npassages, 1);
    zhs_index_close(ix);

    zhs_db_t *d = open_db("extra");
    CU_ASSERT_EQUAL(xdoc_count(d, "extra"), 1);
    zhs_docid_t docid = passage(d, "extra", 3);
    CU_ASSERT_NOT_EQUAL_FATAL(docid, 0);
    char *v = NULL;
    CU_ASSERT_EQUAL(zhs_db_get_value(d, docid, ZHS_SLOT_DATE, &v, NULL, NULL), ZHS_OK);
    ZHS_ASSERT_STR(v, "20091117");
    free(v);
    CU_ASSERT_EQUAL(tf_in(d, "Y2009"), seeds[PARENT]->npassages + 1);
    CU_ASSERT_EQUAL(tf_in(d, "XISSUER广州市人民政府"), seeds[PARENT]->npassages + 1);
    /* The title is inherited, its terms are not: 001's title passage alone has them. */
    CU_ASSERT_EQUAL(tf_in(d, "S决定"), 1);
    CU_ASSERT_FALSE(has_term_in(d, docid, "S决定"));
    json_t *rec = record(d, "extra");
    ZHS_ASSERT_STR(str(rec, "fragment_of"), seed_ids[PARENT]);
    CU_ASSERT_EQUAL(num(rec, "indexed"), 1);
    json_decref(rec);
    zhs_db_close(d);
    zhs_document_free(frag);
    free(text);
}

static void a_sidecar_title_no_line_says_is_carried_by_the_first_passage(void)
{
    const char *text = "第一段正文,说明工作背景。\n第二段正文,提出工作要求。\n";
    zhs_document_t *doc = parse_text("side.txt", text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_PTR_NULL(doc->title);
    CU_ASSERT_EQUAL(zhs_document_apply_sidecar(doc, "{\"title\": \"关于测试标题的通知\"}",
                                               NULL),
                    ZHS_OK);
    CU_ASSERT_EQUAL_FATAL(build("side", NULL, 0), ZHS_OK);
    zhs_index_t *ix = reopen("side");
    CU_ASSERT_EQUAL(zhs_index_put(ix, doc, NULL, NULL), ZHS_OK);
    zhs_index_close(ix);
    zhs_db_t *d = open_db("side");
    zhs_docid_t first = passage(d, "side", 1), second = passage(d, "side", 2);
    CU_ASSERT_NOT_EQUAL_FATAL(first, 0);
    CU_ASSERT_NOT_EQUAL_FATAL(second, 0);
    CU_ASSERT_TRUE(has_term_in(d, first, "S标题"));
    CU_ASSERT_TRUE(has_term_in(d, first, "S通知"));
    CU_ASSERT_EQUAL(tf_in(d, "S标题"), 1);
    CU_ASSERT_EQUAL(tf_in(d, "S正文"), 0);    /* the passages' own words are content */
    CU_ASSERT_EQUAL(tf_in(d, "正文"), 2);
    zhs_db_close(d);
    zhs_document_free(doc);
}

static void a_document_sharing_less_than_half_its_text_is_no_fragment(void)
{
    /* One item of 001, then three longer passages of 002 (002 is not indexed). */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "%s\n", seeds[FRAG]->passages[0].text);
    for (int i = 0; i < 3; i++)
        fprintf(f, "%s\n", seeds[S002]->passages[seeds[S002]->npassages / 2 + i].text);
    fclose(f);
    zhs_document_t *doc = parse_text("mixed.txt", text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_EQUAL_FATAL(doc->npassages, 4);
    static const int order[] = {1};
    CU_ASSERT_EQUAL_FATAL(build("mixed", order, 1), ZHS_OK);
    zhs_index_t *ix = reopen("mixed");
    zhs_index_put_info_t info;
    CU_ASSERT_EQUAL(zhs_index_put(ix, doc, &info, NULL), ZHS_OK);
    CU_ASSERT_FALSE(info.fragment);
    CU_ASSERT_EQUAL(info.npassages, 4);
    /* Putting 001 again does not even try to re-link it: too little is shared. */
    CU_ASSERT_EQUAL(zhs_index_put(ix, seeds[PARENT], &info, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(info.nrelinked, 0);
    zhs_index_close(ix);
    zhs_db_t *d = open_db("mixed");
    json_t *rec = record(d, "mixed");
    CU_ASSERT_TRUE(json_is_null(json_object_get(rec, "fragment_of")));
    CU_ASSERT_EQUAL(num(rec, "passage_bytes"), (json_int_t)(len - 4));
    CU_ASSERT_EQUAL(xdoc_count(d, "mixed"), 4);
    json_decref(rec);
    zhs_db_close(d);
    zhs_document_free(doc);
    free(text);
}

static void a_document_without_id_is_refused_and_changes_nothing(void)
{
    static const int order[] = {4};
    CU_ASSERT_EQUAL_FATAL(build("refused", order, 1), ZHS_OK);
    zhs_index_t *ix = reopen("refused");
    zhs_document_t bad = *seeds[S004];
    bad.id = "";
    zhs_error_t err = {0};
    CU_ASSERT_EQUAL(zhs_index_put(ix, &bad, NULL, &err), ZHS_ERR_BAD_ARG);
    ZHS_ASSERT_STR(err.message, "a document needs an id");
    /* The writer is still usable. */
    CU_ASSERT_EQUAL(zhs_index_put(ix, seeds[S002], NULL, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_index_commit(ix, NULL), ZHS_OK);
    zhs_index_close(ix);
    zhs_db_t *d = open_db("refused");
    CU_ASSERT_EQUAL(doccount(d), seeds[S004]->npassages + seeds[S002]->npassages);
    zhs_db_close(d);
}

static void closing_without_commit_commits(void)
{
    static const int order[] = {4};
    CU_ASSERT_EQUAL_FATAL(build("close", order, 1), ZHS_OK);
    zhs_index_t *ix = reopen("close");
    CU_ASSERT_EQUAL(zhs_index_put(ix, seeds[S002], NULL, NULL), ZHS_OK);
    zhs_index_close(ix);
    zhs_db_t *d = open_db("close");
    CU_ASSERT_EQUAL(xdoc_count(d, seed_ids[S002]), seeds[S002]->npassages);
    zhs_db_close(d);
}

/* ------------------------------------------------------------ file states */

typedef struct {
    json_t *seen;
} states_t;

static int collect_state(void *ctx, const zhs_file_state_t *st)
{
    states_t *s = ctx;
    json_object_set_new(s->seen, st->path,
                        json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "id", st->id, "size",
                                  (json_int_t)st->size, "mtime", (json_int_t)st->mtime_ns,
                                  "hash", (json_int_t)st->hash, "sidecar_size",
                                  (json_int_t)st->sidecar_size, "sidecar_mtime",
                                  (json_int_t)st->sidecar_mtime_ns));
    return 0;
}

static void file_states_are_recorded_listed_and_forgotten(void)
{
    static const int none[1] = {0};
    CU_ASSERT_EQUAL_FATAL(build("files", none, 0), ZHS_OK);
    zhs_index_t *ix = reopen("files");
    char long_path[400];
    memset(long_path, 'x', sizeof long_path - 1);
    long_path[0] = '/';
    long_path[sizeof long_path - 1] = '\0';
    zhs_file_state_t a = {"/corpus/a.txt", "a", 1234, 1700000000123456789LL,
                          0xfedcba9876543210ULL, -1, 0};
    zhs_file_state_t b = {long_path, "b", 5, 7, 9, 11, 13};
    CU_ASSERT_EQUAL(zhs_index_set_file(ix, &a, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_index_set_file(ix, &b, NULL), ZHS_OK);
    states_t s = {json_object()};
    CU_ASSERT_EQUAL(zhs_index_files(ix, collect_state, &s, NULL), ZHS_OK);
    json_t *want = json_pack(
        "{s:{s:s, s:I, s:I, s:I, s:I, s:I}, s:{s:s, s:I, s:I, s:I, s:I, s:I}}",
        "/corpus/a.txt", "id", "a", "size", (json_int_t)1234, "mtime",
        (json_int_t)1700000000123456789LL, "hash", (json_int_t)0xfedcba9876543210ULL,
        "sidecar_size", (json_int_t)-1, "sidecar_mtime", (json_int_t)0, long_path, "id", "b",
        "size", (json_int_t)5, "mtime", (json_int_t)7, "hash", (json_int_t)9, "sidecar_size",
        (json_int_t)11, "sidecar_mtime", (json_int_t)13);
    CU_ASSERT_TRUE(json_equal(s.seen, want));
    json_decref(want);
    json_decref(s.seen);

    CU_ASSERT_EQUAL(zhs_index_remove_file(ix, long_path, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(zhs_index_remove_file(ix, "/never/indexed", NULL), ZHS_OK);
    s.seen = json_object();
    CU_ASSERT_EQUAL(zhs_index_files(ix, collect_state, &s, NULL), ZHS_OK);
    CU_ASSERT_EQUAL(json_object_size(s.seen), 1);
    CU_ASSERT_PTR_NOT_NULL(json_object_get(s.seen, "/corpus/a.txt"));
    json_decref(s.seen);
    zhs_index_close(ix);
}

static CU_TestInfo seed_tests[] = {
    {"every seed file has its record and text", every_seed_file_has_its_record_and_text},
    {"documents with a title index every passage once",
     documents_with_a_title_index_every_passage_once},
    {"the fragment 000 is linked to 001 and inherits its metadata",
     the_fragment_000_is_linked_to_001_and_inherits_its_metadata},
    {"a passage of the fragment is indexed once, under its parent",
     a_passage_of_the_fragment_is_indexed_once_under_its_parent},
    {"an untitled document without a parent is indexed whole",
     an_untitled_document_without_a_parent_is_indexed_whole},
    {"items led by the science bureau carry its filter term",
     items_led_by_the_science_bureau_carry_its_filter_term},
    {"a passage has its filter terms, values and data",
     a_passage_has_its_filter_terms_values_and_data},
    {"only the title passage carries title terms",
     only_the_title_passage_carries_title_terms},
    {"undated documents count under year unknown", undated_documents_count_under_year_unknown},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo change_tests[] = {
    {"putting a document again replaces it", putting_a_document_again_replaces_it},
    {"removing a document removes its passages and records",
     removing_a_document_removes_its_passages_and_records},
    {"removing the parent indexes the fragment whole",
     removing_the_parent_indexes_the_fragment_whole},
    {"a build with a shard merges into the same index",
     a_build_with_a_shard_merges_into_the_same_index},
    {"fragment first or parent first give the same index",
     fragment_first_or_parent_first_give_the_same_index},
    {"a fragment indexes its own passages with inherited metadata",
     a_fragment_indexes_its_own_passages_with_inherited_metadata},
    {"a sidecar title no line says is carried by the first passage",
     a_sidecar_title_no_line_says_is_carried_by_the_first_passage},
    {"a document sharing less than half its text is no fragment",
     a_document_sharing_less_than_half_its_text_is_no_fragment},
    {"a document without id is refused and changes nothing",
     a_document_without_id_is_refused_and_changes_nothing},
    {"closing without commit commits", closing_without_commit_commits},
    {"file states are recorded, listed and forgotten",
     file_states_are_recorded_listed_and_forgotten},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"seed index", suite_init, NULL, NULL, NULL, seed_tests},
    {"changes", changes_init, suite_clean, NULL, NULL, change_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return zhs_test_run(suites);
}
