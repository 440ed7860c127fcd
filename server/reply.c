/* Building replies: JSON serialization with jansson, the error body shape, and the
 * fallback to a 500 when memory runs out halfway. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"
#include "reply.h"
#include "zhsearch/analyzer.h"

void srv_reply_init(srv_reply_t *r)
{
    memset(r, 0, sizeof *r);
}

void srv_reply_release(srv_reply_t *r)
{
    if (!r)
        return;
    if (r->body)
        evbuffer_free(r->body);
    srv_reply_init(r);
}

/* The reply of last resort, built from static bytes so it needs no JSON allocation. */
static void reply_oom(srv_reply_t *r)
{
    static const char body[] =
        "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
    srv_reply_release(r);
    r->status = 500;
    r->content_type = SRV_CTYPE_JSON;
    r->error_code = "internal";
    r->body = evbuffer_new();
    if (r->body)
        evbuffer_add_reference(r->body, body, sizeof body - 1, NULL, NULL);
}

/* Frees a written body once the connection is done with it. */
static void free_body(const void *data, size_t len, void *bytes)
{
    free(bytes);
}

/* The body j written out (j released); -1 with e set when it cannot be. */
static int set_json(srv_reply_t *r, int status, json_t *j, srv_error_t *e)
{
    char *bytes = NULL;
    size_t nbytes = 0;
    int written = srv_json_write(j, &bytes, &nbytes, e);
    json_decref(j);
    if (written != 0)
        return -1;
    struct evbuffer *buf = evbuffer_new();
    if (!buf || evbuffer_add_reference(buf, bytes, nbytes, free_body, bytes) != 0) {
        if (buf)
            evbuffer_free(buf);
        free(bytes);
        return srv_error_set(e, SRV_ERR_INTERNAL, "out of memory");
    }
    r->status = status;
    r->content_type = SRV_CTYPE_JSON;
    r->body = buf;
    return 0;
}

/* The error body built the same way; the static reply when even that fails. */
static void set_error(srv_reply_t *r, const srv_error_t *e, const char *message)
{
    srv_error_t again = {0};
    const char *code = e->code ? e->code : "internal";
    json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message);
    if (!j || set_json(r, e->http ? e->http : 500, j, &again) != 0)
        reply_oom(r);
    else
        r->error_code = code;
}

void srv_reply_json(srv_reply_t *r, int status, json_t *j)
{
    srv_reply_release(r);
    srv_error_t e = {0};
    if (!j)
        reply_oom(r);
    else if (set_json(r, status, j, &e) != 0)
        set_error(r, &e, e.message);
}

void srv_reply_error(srv_reply_t *r, const srv_error_t *e)
{
    char message[sizeof e->message];
    memcpy(message, e->message, sizeof message);
    message[sizeof message - 1] = '\0';
    zhs_error_t zerr = {0};
    if (zhs_utf8_validate(message, strlen(message), &zerr) != ZHS_OK)
        message[zerr.offset] = '\0';
    srv_reply_release(r);
    set_error(r, e, message);
}

void srv_reply_fail(srv_reply_t *r, srv_err_kind_t kind, const char *fmt, ...)
{
    srv_error_t e = {0};
    char message[sizeof e.message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    srv_error_set(&e, kind, "%s", message);
    srv_reply_error(r, &e);
}

void srv_reply_status(srv_reply_t *r, zhs_status_t status, const zhs_error_t *zerr)
{
    srv_error_t e = {0};
    srv_error_from_status(&e, status, zerr);
    srv_reply_error(r, &e);
}

void srv_reply_buffer(srv_reply_t *r, int status, const char *content_type,
                      struct evbuffer *buf)
{
    srv_reply_release(r);
    r->status = status;
    r->content_type = content_type;
    r->body = buf;
}

void srv_reply_bytes(srv_reply_t *r, int status, const char *content_type,
                     const char *bytes, size_t nbytes)
{
    struct evbuffer *buf = evbuffer_new();
    if (!buf || evbuffer_add(buf, bytes, nbytes) != 0) {
        if (buf)
            evbuffer_free(buf);
        reply_oom(r);
        return;
    }
    srv_reply_buffer(r, status, content_type, buf);
}
