/* Helpers shared by the document tests (see doc_test_util.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_run.h"
#include "doc_test_util.h"
#include "zhsearch/index.h"

char *doc_test_read_corpus(const char *name, size_t *nbytes)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/corpus/%s", ZHS_TEST_SRCDIR, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[size] = '\0';
        *nbytes = (size_t)size;
    }
    return buf;
}

char *doc_test_encode(const char *text, size_t nbytes, const char *to, size_t *out_nbytes)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = nbytes * 2 + 16;
    char *out = malloc(cap), *op = out, *in = (char *)text;
    size_t inleft = nbytes, outleft = cap;
    if (!out || iconv(cd, &in, &inleft, &op, &outleft) == (size_t)-1) {
        free(out);
        out = NULL;
    } else {
        *out_nbytes = (size_t)(op - out);
    }
    iconv_close(cd);
    return out;
}

zhs_document_t *doc_test_parse_corpus(const char *name)
{
    size_t n;
    char *raw = doc_test_read_corpus(name, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
    zhs_document_t *doc = NULL;
    zhs_error_t err = {0};
    zhs_status_t st = zhs_document_parse(name, raw, n, &doc, &err);
    free(raw);
    if (st != ZHS_OK)
        fprintf(stderr, "\n%s: %s\n", name, err.message);
    CU_ASSERT_EQUAL_FATAL(st, ZHS_OK);
    return doc;
}

zhs_document_t *doc_test_parse_text(const char *name, const char *text)
{
    zhs_document_t *doc = NULL;
    zhs_error_t err = {0};
    zhs_status_t st = zhs_document_parse(name, text, strlen(text), &doc, &err);
    if (st != ZHS_OK)
        fprintf(stderr, "\n%s: %s\n", name, err.message);
    CU_ASSERT_EQUAL_FATAL(st, ZHS_OK);
    return doc;
}

const zhs_passage_t *doc_test_passage_at(const zhs_document_t *doc, unsigned line)
{
    for (size_t i = 0; i < doc->npassages; i++)
        if (doc->passages[i].line_start == line)
            return &doc->passages[i];
    return NULL;
}

int doc_test_index_corpus(const char *dir, const char *const *prefixes)
{
    zhs_index_t *ix = NULL;
    if (zhs_index_open(dir, ZHS_INDEX_OVERWRITE, &ix, NULL) != ZHS_OK)
        return 1;
    DIR *d = opendir(ZHS_TEST_SRCDIR "/corpus");
    struct dirent *e;
    int rc = 0;
    while (d && (e = readdir(d))) {
        bool wanted = !prefixes;
        for (size_t i = 0; prefixes && prefixes[i]; i++)
            wanted = wanted || strncmp(e->d_name, prefixes[i], strlen(prefixes[i])) == 0;
        if (!strstr(e->d_name, ".txt") || !wanted)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/corpus/%s", ZHS_TEST_SRCDIR, e->d_name);
        zhs_document_t *doc = NULL;
        zhs_error_t err = {0};
        if (zhs_document_load(path, &doc, &err) != ZHS_OK ||
            zhs_index_put(ix, doc, NULL, &err) != ZHS_OK) {
            fprintf(stderr, "%s: %s\n", path, err.message);
            rc = 1;
        }
        zhs_document_free(doc);
    }
    if (d)
        closedir(d);
    if (zhs_index_commit(ix, NULL) != ZHS_OK)
        rc = 1;
    zhs_index_close(ix);
    return rc;
}
