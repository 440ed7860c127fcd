/* The stored form of a document's whole text (the `text:` records, internal to
 * libzhsearch): deflated, because the text is kept for /doc, re-linking and (since
 * schema version 5) the passages' texts, and was 15% of the index uncompressed. */
#ifndef ZHS_LIB_TEXTPACK_H
#define ZHS_LIB_TEXTPACK_H

#include <stddef.h>

#include <jansson.h>

#include "zhsearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The record of text[0..n): 0xFE (never a byte of UTF-8), the length as 4 bytes
 * little-endian, the number of blocks (4 bytes), each block's end in the text and packed
 * size (4 bytes each), then each block's zlib stream; blocks end at the first line end
 * after 2 KB. The text itself when that is not smaller. (Schema versions 2 to 4 wrote
 * 0xFF, the length, one zlib stream: still read.) Texts of 4 GB or more are stored as
 * they are. *out new (caller frees with free()). */
zhs_status_t zhs_text_pack(const char *text, size_t n, char **out, size_t *nout,
                           zhs_error_t *err);
/* The text of a record (packed or not): *out new, NUL-terminated (caller frees with
 * free()). ZHS_ERR_DB_CORRUPT when a packed record does not inflate to its length. */
zhs_status_t zhs_text_unpack(const char *rec, size_t n, char **out, size_t *nout,
                             zhs_error_t *err);

/* Bytes [offset, offset + len) of the text of a record, inflating only the blocks
 * that hold them: *out new, NUL-terminated (caller frees with free());
 * ZHS_ERR_DB_CORRUPT when the range is outside the text or the record is damaged. */
zhs_status_t zhs_text_unpack_range(const char *rec, size_t n, size_t offset, size_t len,
                                   char **out, zhs_error_t *err);

/* A JSON record (the `doc:` records, packed since schema version 5, plain before):
 * the parsed value, a new reference (caller decrefs); ZHS_ERR_DB_CORRUPT when it is
 * not JSON. */
zhs_status_t zhs_json_unpack(const char *rec, size_t n, json_t **out, zhs_error_t *err);

#ifdef __cplusplus
}
#endif

#endif
