/* A small blocking HTTP/1.1 client for the end-to-end tests: plain sockets to
 * 127.0.0.1, Content-Length bodies (what the server sends), keep-alive or not. */
#ifndef ZHS_TESTS_HTTP_CLIENT_H
#define ZHS_TESTS_HTTP_CLIENT_H

#include <stddef.h>

#include <jansson.h>

typedef struct {
    int status;                 /* 0 when the exchange failed */
    char *headers;              /* the raw header lines after the status line */
    char *body;                 /* NUL-terminated */
    size_t body_len;
} http_response_t;

/* A connection to 127.0.0.1:port, or -1. */
int http_connect(unsigned port);

/* Sends one request on fd and reads its response into out (release it with
 * http_response_release). extra_headers: "Name: value\r\n" lines, or NULL. Returns 0,
 * or -1 on a transport error (out->status is 0 then). */
int http_exchange(int fd, const char *method, const char *target,
                  const char *extra_headers, http_response_t *out);

/* One request on a new connection (Connection: close). Returns as http_exchange. */
int http_request(unsigned port, const char *method, const char *target,
                 const char *extra_headers, http_response_t *out);

/* Sends raw bytes on a new connection and reads the response (for malformed input). */
int http_raw(unsigned port, const char *bytes, size_t nbytes, http_response_t *out);

void http_response_release(http_response_t *r);

/* The value of header name (case-insensitive) copied into buf, or NULL. */
const char *http_header(const http_response_t *r, const char *name, char *buf, size_t len);

/* GET target; the body parsed as JSON (NULL when it is not), status in *status. */
json_t *http_get_json(unsigned port, const char *target, int *status);

/* Percent-encodes every byte of s outside [A-Za-z0-9-._~]. Caller frees. */
char *http_encode(const char *s);

#endif
