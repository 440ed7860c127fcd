/* Helpers shared by the document tests: reading seed corpus files and re-encoding
 * text with iconv. */
#ifndef ZHS_TESTS_DOC_TEST_UTIL_H
#define ZHS_TESTS_DOC_TEST_UTIL_H

#include <stddef.h>

#include "zhsearch/document.h"

/* The bytes of corpus/NAME (NUL-terminated); NULL when unreadable. Caller frees. */
char *doc_test_read_corpus(const char *name, size_t *nbytes);

/* text[0..nbytes) converted from UTF-8 to the iconv encoding `to`; NULL when a
 * character has no form there. Caller frees. */
char *doc_test_encode(const char *text, size_t nbytes, const char *to, size_t *out_nbytes);

/* Parses corpus/NAME; NULL (and a CUnit failure) when it does not parse. Caller frees
 * with zhs_document_free. */
zhs_document_t *doc_test_parse_corpus(const char *name);

/* Parses a document given as UTF-8 text under the file name `name`. */
zhs_document_t *doc_test_parse_text(const char *name, const char *text);

/* Indexes the corpus files whose names start with one of prefixes (all when NULL)
 * into a new index at dir: 0, or 1 (after printing why). */
int doc_test_index_corpus(const char *dir, const char *const *prefixes);

/* The passage whose first line is line, or NULL. */
const zhs_passage_t *doc_test_passage_at(const zhs_document_t *doc, unsigned line);

#endif
