/* Reading one string member of a compact JSON object without parsing the whole object
 * (internal to libzhsearch): the exact check reads the text of every candidate passage,
 * and a full jansson parse of the passage data was a third of a search's time. */
#ifndef ZHS_LIB_JSONSTR_H
#define ZHS_LIB_JSONSTR_H

#include <stdbool.h>
#include <stddef.h>

/* Finds the member `"name":` of the JSON text json[0..nbytes) and decodes its string
 * value into *out (new NUL-terminated string, caller frees with free()), *out_nbytes
 * its length. The name must not occur unescaped inside any string of the text, which
 * holds when no other key equals it (a quote inside a JSON string is always escaped).
 * Returns false when the member is absent, not a string, malformed, holds an escaped
 * NUL or a lone surrogate, or memory runs out: the caller then parses the JSON fully. */
bool zhs_json_member_string(const char *json, size_t nbytes, const char *name, char **out,
                            size_t *out_nbytes);

#endif
