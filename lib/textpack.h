/* The stored form of a document's whole text (the `text:` records, internal to
 * libzhsearch): deflated, because the text is kept only for /doc and re-linking and was
 * 15% of the index uncompressed. */
#ifndef ZHS_LIB_TEXTPACK_H
#define ZHS_LIB_TEXTPACK_H

#include <stddef.h>

#include "zhsearch/status.h"

/* The record of text[0..n): 0xFF (never a byte of UTF-8), the length as 4 bytes
 * little-endian, then the zlib stream; the text itself when that is not smaller. Texts
 * of 4 GB or more are stored as they are. *out new (caller frees with free()). */
zhs_status_t zhs_text_pack(const char *text, size_t n, char **out, size_t *nout,
                           zhs_error_t *err);
/* The text of a record (packed or not): *out new, NUL-terminated (caller frees with
 * free()). ZHS_ERR_DB_CORRUPT when a packed record does not inflate to its length. */
zhs_status_t zhs_text_unpack(const char *rec, size_t n, char **out, size_t *nout,
                             zhs_error_t *err);

#endif
