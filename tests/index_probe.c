/* A small reader of zhsearch indexes for the shell tests: counts, terms, metadata, a
 * search, and `hold`, which keeps one database handle open across an index swap.
 *
 *   index_probe DB count         -> "docs D passages P files F deleted X"
 *   index_probe DB term TERM     -> the number of passages indexed by TERM
 *   index_probe DB meta KEY      -> the metadata value, unpacked (exit 1 when absent)
 *   index_probe DB search TEXT   -> passages matching every token of TEXT (analyzed)
 *   index_probe DB synonyms KEY  -> the synonyms of the word KEY, one line, comma-separated
 *   index_probe DB hold          -> opens DB, prints "open P BYTES", then for each line
 *                                   read on stdin re-reads every passage through the
 *                                   same handle and prints "read P BYTES"
 *   index_probe DB lock          -> opens DB for writing (holding its lock), prints
 *                                   "locked", and waits for the end of stdin
 * Exit status 2 when the database cannot be opened or read. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/textpack.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/schema.h"
#include "zhsearch/xapian.h"

static void die(const char *what, const zhs_error_t *err)
{
    fprintf(stderr, "index_probe: %s: %s\n", what, err->message);
    exit(2);
}

static int count_key(void *ctx, const char *bytes, size_t nbytes)
{
    (void)bytes;
    (void)nbytes;
    ++*(uint64_t *)ctx;
    return 0;
}

static void count(zhs_db_t *db)
{
    zhs_error_t err = {0};
    uint64_t docs = 0, files = 0, passages = 0, deleted = 0;
    if (zhs_db_metadata_keys(db, ZHS_META_DOC, count_key, &docs, &err) != ZHS_OK ||
        zhs_db_metadata_keys(db, ZHS_META_FILE, count_key, &files, &err) != ZHS_OK ||
        zhs_db_doccount(db, &passages, &err) != ZHS_OK ||
        zhs_db_deleted(db, &deleted, &err) != ZHS_OK)
        die("count", &err);
    printf("docs %llu passages %llu files %llu deleted %llu\n", (unsigned long long)docs,
           (unsigned long long)passages, (unsigned long long)files,
           (unsigned long long)deleted);
}

/* Reads every passage's data through one enquire over the whole database; prints the
 * number of passages and the total bytes of their data. */
static void read_all(zhs_db_t *db, const char *label)
{
    zhs_error_t err = {0};
    uint64_t n = 0;
    zhs_enquire_t *enq = NULL;
    zhs_query_t *all = zhs_query_match_all(&err);
    zhs_mset_t *mset = NULL;
    if (!all || zhs_db_doccount(db, &n, &err) != ZHS_OK ||
        zhs_enquire_new(db, &enq, &err) != ZHS_OK ||
        zhs_enquire_set_query(enq, all, &err) != ZHS_OK ||
        zhs_enquire_get_mset(enq, 0, (unsigned)n, (unsigned)n, &mset, &err) != ZHS_OK)
        die("read", &err);
    uint64_t bytes = 0;
    for (size_t i = 0; i < zhs_mset_size(mset); i++) {
        char *data = NULL;
        size_t nbytes = 0;
        if (zhs_mset_item_value(mset, i, ZHS_SLOT_DATA, &data, &nbytes, &err) != ZHS_OK)
            die("data", &err);
        bytes += nbytes;
        free(data);
    }
    printf("%s %zu %llu\n", label, zhs_mset_size(mset), (unsigned long long)bytes);
    fflush(stdout);
    zhs_mset_free(mset);
    zhs_enquire_free(enq);
    zhs_query_free(all);
}

typedef struct {
    zhs_query_t **v;
    size_t n;
} terms_t;

static int add_token(void *ctx, const zhs_token_t *tok)
{
    terms_t *t = ctx;
    /* As the searcher does: a character is every term it starts (schema.h). */
    zhs_query_t *q = tok->kind == ZHS_TOKEN_UNIGRAM ? zhs_query_prefix(tok->term, tok->nbytes, NULL)
                                                    : zhs_query_term(tok->term, tok->nbytes, 1, NULL);
    if (q)
        t->v[t->n++] = q;
    return 0;
}

static void search(zhs_db_t *db, const char *text)
{
    zhs_error_t err = {0};
    zhs_normalized_t norm;
    if (zhs_analyzer_init(&err) != ZHS_OK ||
        zhs_normalize(text, strlen(text), 0, &norm, &err) != ZHS_OK)
        die("normalize", &err);
    terms_t t = {calloc(norm.nbytes * 2 + 1, sizeof *t.v), 0};
    zhs_tokenize(norm.text, norm.nbytes, add_token, &t);
    zhs_query_t *q = zhs_query_combine(ZHS_QOP_AND, t.v, t.n, &err);
    zhs_enquire_t *enq = NULL;
    zhs_mset_t *mset = NULL;
    if (!q || zhs_enquire_new(db, &enq, &err) != ZHS_OK ||
        zhs_enquire_set_query(enq, q, &err) != ZHS_OK ||
        zhs_enquire_get_mset(enq, 0, 10, UINT32_MAX, &mset, &err) != ZHS_OK)
        die("search", &err);
    printf("%llu\n", (unsigned long long)zhs_mset_matches_estimated(mset));
    zhs_mset_free(mset);
    zhs_enquire_free(enq);
    zhs_query_free(q);
    for (size_t i = 0; i < t.n; i++)
        zhs_query_free(t.v[i]);
    free(t.v);
    zhs_normalized_release(&norm);
}

static int print_synonym(void *ctx, const char *bytes, size_t nbytes)
{
    bool *first = ctx;
    printf("%s%.*s", *first ? "" : ",", (int)nbytes, bytes);
    *first = false;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: index_probe DB count|term T|meta K|search TEXT|synonyms W|hold\n");
        return 2;
    }
    zhs_error_t err = {0};
    if (!strcmp(argv[2], "lock")) {
        zhs_wdb_t *wdb = NULL;
        if (zhs_wdb_open(argv[1], ZHS_WDB_CREATE_OR_OPEN, &wdb, &err) != ZHS_OK)
            die(argv[1], &err);
        puts("locked");
        fflush(stdout);
        char line[64];
        while (fgets(line, sizeof line, stdin))
            ;
        zhs_wdb_close(wdb);
        return 0;
    }
    zhs_db_t *db = NULL;
    if (zhs_db_open(argv[1], &db, &err) != ZHS_OK)
        die(argv[1], &err);
    const char *cmd = argv[2];
    int rc = 0;
    if (!strcmp(cmd, "count")) {
        count(db);
    } else if (!strcmp(cmd, "term") && argc == 4) {
        uint64_t n = 0;
        if (zhs_db_termfreq(db, argv[3], strlen(argv[3]), &n, &err) != ZHS_OK)
            die("term", &err);
        printf("%llu\n", (unsigned long long)n);
    } else if (!strcmp(cmd, "meta") && argc == 4) {
        /* Records and texts are stored packed: shown unpacked. */
        char *v = NULL, *text = NULL;
        size_t n = 0, ntext = 0;
        if (zhs_db_get_metadata(db, argv[3], &v, &n, &err) != ZHS_OK ||
            (v && zhs_text_unpack(v, n, &text, &ntext, &err) != ZHS_OK))
            die("meta", &err);
        if (text)
            printf("%s\n", text);
        rc = v ? 0 : 1;
        free(v);
        free(text);
    } else if (!strcmp(cmd, "search") && argc == 4) {
        search(db, argv[3]);
    } else if (!strcmp(cmd, "synonyms") && argc == 4) {
        bool first = true;
        if (zhs_db_synonyms(db, argv[3], strlen(argv[3]), print_synonym, &first, &err) != ZHS_OK)
            die("synonyms", &err);
        putchar('\n');
    } else if (!strcmp(cmd, "hold")) {
        read_all(db, "open");
        char line[64];
        while (fgets(line, sizeof line, stdin))
            read_all(db, "read");
    } else {
        fprintf(stderr, "index_probe: bad command\n");
        rc = 2;
    }
    zhs_db_close(db);
    return rc;
}
