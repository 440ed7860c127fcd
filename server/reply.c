/* Building replies: JSON serialization with jansson, the error body shape, and the
 * fallback to a 500 when memory runs out halfway. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* jansson hands the serialization over in thousands of small pieces: they are gathered
 * in one block (an evbuffer_add each was a twentieth of a search's time), which the
 * body then references. */
typedef struct {
    char *bytes;
    size_t len, cap;
} dump_t;

static int dump_to_memory(const char *piece, size_t size, void *data)
{
    dump_t *d = data;
    if (size > d->cap - d->len) {
        size_t cap = d->cap ? d->cap : 16384;
        while (cap - d->len < size)
            cap *= 2;
        char *bytes = realloc(d->bytes, cap);
        if (!bytes)
            return -1;
        d->bytes = bytes;
        d->cap = cap;
    }
    memcpy(d->bytes + d->len, piece, size);
    d->len += size;
    return 0;
}

static void free_dump(const void *data, size_t len, void *bytes)
{
    free(bytes);
}

void srv_reply_json(srv_reply_t *r, int status, json_t *j)
{
    srv_reply_release(r);
    dump_t d = {0};
    struct evbuffer *buf = j ? evbuffer_new() : NULL;
    /* Compact output; 6 significant digits are plenty for scores and timings. */
    if (!buf ||
        json_dump_callback(j, dump_to_memory, &d, JSON_COMPACT | JSON_REAL_PRECISION(6)) != 0 ||
        evbuffer_add_reference(buf, d.bytes, d.len, free_dump, d.bytes) != 0) {
        if (buf)
            evbuffer_free(buf);
        free(d.bytes);
        json_decref(j);
        reply_oom(r);
        return;
    }
    json_decref(j);
    r->status = status;
    r->content_type = SRV_CTYPE_JSON;
    r->body = buf;
}

void srv_reply_error(srv_reply_t *r, const srv_error_t *e)
{
    char message[sizeof e->message];
    memcpy(message, e->message, sizeof message);
    message[sizeof message - 1] = '\0';
    zhs_error_t zerr = {0};
    if (zhs_utf8_validate(message, strlen(message), &zerr) != ZHS_OK)
        message[zerr.offset] = '\0';
    const char *code = e->code ? e->code : "internal";
    srv_reply_json(r, e->http ? e->http : 500,
                   json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message));
    if (!r->error_code)    /* else reply_oom already named it */
        r->error_code = code;
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
