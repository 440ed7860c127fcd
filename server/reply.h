/* A reply under construction: status, content type, body and the few extra headers a
 * handler may ask for. Handlers fill one; the dispatcher (http.c) sends it exactly once,
 * so no handler can answer twice or not at all. */
#ifndef ZHS_SERVER_REPLY_H
#define ZHS_SERVER_REPLY_H

#include <stddef.h>

#include <event2/buffer.h>
#include <jansson.h>

#include "errors.h"

#define SRV_CTYPE_JSON "application/json; charset=utf-8"
#define SRV_CTYPE_HTML "text/html; charset=utf-8"
#define SRV_CTYPE_PROMETHEUS "text/plain; version=0.0.4; charset=utf-8"

typedef struct {
    int status;                 /* HTTP status; 0 until something is set */
    const char *content_type;   /* static string */
    struct evbuffer *body;      /* owned; NULL = empty body */
    const char *allow;          /* static Allow header value, or NULL */
    const char *error_code;     /* static, for error replies (access log), else NULL */
} srv_reply_t;

void srv_reply_init(srv_reply_t *r);
/* Frees the body and re-initializes. NULL-tolerant. */
void srv_reply_release(srv_reply_t *r);

/* Each setter replaces whatever r held. */

/* JSON reply; takes ownership of j (json_decref'd here). A NULL j (a failed
 * allocation upstream) becomes a 500 error. */
void srv_reply_json(srv_reply_t *r, int status, json_t *j);

/* `{"error": {"code": e->code, "message": e->message}}` with e->http as status. A
 * message cut inside a UTF-8 sequence (by a fixed-size buffer) is trimmed to valid
 * UTF-8 first. */
void srv_reply_error(srv_reply_t *r, const srv_error_t *e);

/* Shorthands: srv_error_set / srv_error_from_status, then srv_reply_error. */
void srv_reply_fail(srv_reply_t *r, srv_err_kind_t kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void srv_reply_status(srv_reply_t *r, zhs_status_t status, const zhs_error_t *zerr);

/* A body copied from bytes[0..nbytes). */
void srv_reply_bytes(srv_reply_t *r, int status, const char *content_type,
                     const char *bytes, size_t nbytes);

/* A body taken over from buf (which the reply now owns). */
void srv_reply_buffer(srv_reply_t *r, int status, const char *content_type,
                      struct evbuffer *buf);

#endif
