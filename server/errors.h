/* Every error the server answers with: the HTTP status and machine-readable code of each
 * kind, in one table (errors.c), and library statuses mapped through the library's own
 * zhs_status_http/zhs_status_code, so no other file picks an HTTP status for an error. */
#ifndef ZHS_SERVER_ERRORS_H
#define ZHS_SERVER_ERRORS_H

#include "zhsearch/status.h"

/* Errors the server itself detects (library failures come as zhs_status_t). */
typedef enum {
    SRV_ERR_BAD_PARAMETER = 0,  /* 400: malformed value, bad percent-encoding, ... */
    SRV_ERR_BAD_UTF8,           /* 400: a parameter or path is not valid UTF-8 */
    SRV_ERR_EMPTY_QUERY,        /* 400: no q and no filter */
    SRV_ERR_NOT_FOUND,          /* 404: no such path */
    SRV_ERR_METHOD,             /* 405: wrong method (the reply carries Allow) */
    SRV_ERR_QUERY_TOO_LONG,     /* 413: q over ZHS_QUERY_MAX_BYTES */
    SRV_ERR_URI_TOO_LONG,       /* 414: request target over SRV_MAX_URI_BYTES */
    SRV_ERR_INTERNAL,           /* 500 */
    SRV_ERR_UNAVAILABLE,        /* 503: the index is not open */
    SRV_ERR_LAST
} srv_err_kind_t;

/* Caller-owned, never allocates; the first error set wins (as zhs_error_t). */
typedef struct {
    int http;                   /* 0 while no error is set */
    const char *code;           /* static: "bad_parameter" */
    char message[256];
} srv_error_t;

/* Records kind and a printf-style message unless e already holds an error. Returns -1
 * so callers can write `return srv_error_set(...)`. */
int srv_error_set(srv_error_t *e, srv_err_kind_t kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records a library failure: HTTP status and code from the library's mapping, the
 * message from zerr when it holds one, else the status name. Returns -1. */
int srv_error_from_status(srv_error_t *e, zhs_status_t status, const zhs_error_t *zerr);

#endif
