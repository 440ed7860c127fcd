/* Request parameters: the query string split and strictly percent-decoded into
 * name/value pairs (every name and value valid UTF-8 without NUL bytes), then turned
 * into the library's search request. Pure functions, unit-tested without HTTP. */
#ifndef ZHS_SERVER_PARAMS_H
#define ZHS_SERVER_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "errors.h"
#include "zhsearch/search.h"

/* Largest offset + limit a search may ask for: deeper pages cost the server more and
 * serve no reader. */
#define SRV_MAX_WINDOW 10000

typedef struct {
    char *name;                 /* decoded, NUL-terminated, valid UTF-8 */
    char *value;                /* decoded ("" for `name` or `name=`) */
} srv_param_t;

typedef struct {
    srv_param_t *v;             /* in query-string order; owned */
    size_t n;
} srv_params_t;

/* Splits query (the part after `?`, may be NULL) on `&`, each piece on its first `=`,
 * and decodes `+` and `%XX`. Empty pieces are skipped. Fails (-1, *out empty) with
 * bad_parameter on a bad escape or a NUL byte, bad_utf8 on invalid UTF-8. Release
 * *out with srv_params_release. */
int srv_params_parse(const char *query, srv_params_t *out, srv_error_t *e);

/* Frees the contents of p (not p). NULL-tolerant. */
void srv_params_release(srv_params_t *p);

/* The value of the last parameter called name, or NULL. Borrowed, valid until
 * srv_params_release. */
const char *srv_params_get(const srv_params_t *p, const char *name);

/* Strictly decodes s[0..nbytes) (`%XX`, and `+` as a space when plus_is_space) into a
 * new NUL-terminated string (caller frees with free()). Returns NULL with e set on a
 * bad escape, a NUL byte, invalid UTF-8 or no memory. what names the input in the
 * message ("parameter q", "path"). */
char *srv_uri_decode(const char *s, size_t nbytes, bool plus_is_space, const char *what,
                     srv_error_t *e);

/* Fills req (which it initializes; release with zhs_search_request_release even on
 * failure) from the parameters of `GET /search`. Strings in req borrow from p. Fails
 * with query_too_long (413) for q over ZHS_QUERY_MAX_BYTES, bad_parameter for an
 * unknown name, a malformed value, limit above ZHS_LIMIT_MAX or offset + limit above
 * SRV_MAX_WINDOW, empty_query when there is neither a non-blank q nor a filter. */
int srv_search_request_build(const srv_params_t *p, zhs_search_request_t *req,
                             srv_error_t *e);

/* The q of `GET /doc/{id}` (NULL when absent; borrowed from p). Fails with
 * bad_parameter on any other parameter and query_too_long as above. */
int srv_doc_params(const srv_params_t *p, const char **q, srv_error_t *e);

#endif
