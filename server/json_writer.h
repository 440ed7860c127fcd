/* Serializing a reply's JSON: the same bytes as jansson's
 * json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6)), several times faster. jansson
 * decodes every code point of every string through two function calls and formats
 * every integer with snprintf: over a search's Chinese snippets and hundreds of facet
 * values that was a third of the search's instructions. */
#ifndef ZHS_SERVER_JSON_WRITER_H
#define ZHS_SERVER_JSON_WRITER_H

#include <stddef.h>

#include <jansson.h>

#include "errors.h"

/* Writes j as compact JSON (object members in insertion order, reals with 6 significant
 * digits) into *bytes (new, not NUL-terminated, caller frees with free()), *nbytes its
 * length. Returns 0, or -1 with *bytes NULL and e set (SRV_ERR_INTERNAL) when memory
 * runs out, a string is not valid UTF-8 (jansson's *_nocheck setters can store such),
 * a real is not finite or the tree is too deep: what json_dumps refuses too. */
int srv_json_write(const json_t *j, char **bytes, size_t *nbytes, srv_error_t *e);

#endif
