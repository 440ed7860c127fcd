/* The server's error table: HTTP status and code of every error kind it detects. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "errors.h"
#include "zhsearch/search.h"

static const struct {
    int http;
    const char *code;
} kinds[SRV_ERR_LAST] = {
    [SRV_ERR_BAD_PARAMETER] = {400, "bad_parameter"},
    [SRV_ERR_BAD_UTF8] = {400, "bad_utf8"},
    [SRV_ERR_EMPTY_QUERY] = {400, "empty_query"},
    [SRV_ERR_NOT_FOUND] = {404, "not_found"},
    [SRV_ERR_METHOD] = {405, "method_not_allowed"},
    [SRV_ERR_QUERY_TOO_LONG] = {413, "query_too_long"},
    [SRV_ERR_URI_TOO_LONG] = {414, "uri_too_long"},
    [SRV_ERR_INTERNAL] = {500, "internal"},
    [SRV_ERR_UNAVAILABLE] = {503, "index_unavailable"},
};

int srv_error_set(srv_error_t *e, srv_err_kind_t kind, const char *fmt, ...)
{
    if (e->http)
        return -1;
    if ((unsigned)kind >= SRV_ERR_LAST)
        kind = SRV_ERR_INTERNAL;
    e->http = kinds[kind].http;
    e->code = kinds[kind].code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return -1;
}

int srv_error_from_status(srv_error_t *e, zhs_status_t status, const zhs_error_t *zerr)
{
    if (e->http)
        return -1;
    e->http = zhs_status_http(status);
    e->code = zhs_status_code(status);
    const char *msg = zerr && zerr->status != ZHS_OK && zerr->message[0]
                          ? zerr->message : zhs_status_str(status);
    snprintf(e->message, sizeof e->message, "%s", msg);
    return -1;
}
