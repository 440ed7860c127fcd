/* A thesaurus in Solr's synonyms.txt format, read into the pairs a search widens words
 * with (internal to libzhsearch; zhs_index_set_thesaurus stores them in an index).
 *
 *   # a comment line; blank lines are ignored
 *   减税 => 税收优惠, 税收减免      one way: a search for 减税 also finds the others
 *   孵化器, 孵化基地, 创业孵化      equivalent: each also finds every other
 *   小微企业, 中小企业 => 中小微企业  several words, each also finds the right side
 *
 * Terms are normalized as queries are (Traditional, full-width forms and `，` read as
 * their Simplified, half-width forms), so a word is matched the way a typed word is. */
#ifndef ZHS_LIB_THESAURUS_H
#define ZHS_LIB_THESAURUS_H

#include <stddef.h>

#include "zhsearch/status.h"

/* Called for each pair: the match key of a word, and the normalized text of a term a
 * search for it also finds (both borrowed for the call). A failure stops the parse,
 * which returns it. */
typedef zhs_status_t (*zhs_synonym_fn)(void *ctx, const char *word_key, const char *synonym,
                                       zhs_error_t *err);

/* Parses text[0..nbytes), calling fn (NULL: only checks) for every pair. *nentries (may be NULL): lines
 * holding synonyms. Fails with ZHS_ERR_BAD_ARG and a message `name:LINE: ...` on a
 * malformed line (a list of one term, an empty term, a second `=>`, a term with nothing
 * to search for or over ZHS_MAX_TERM_BYTES), ZHS_ERR_BAD_UTF8 likewise on bad UTF-8; err->offset is the line's
 * byte offset (the bad byte's for UTF-8). */
zhs_status_t zhs_thesaurus_parse(const char *text, size_t nbytes, const char *name,
                                 zhs_synonym_fn fn, void *ctx, size_t *nentries,
                                 zhs_error_t *err);

#endif
