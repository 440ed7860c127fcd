/* The end-to-end tests' HTTP client (see http_client.h). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_client.h"

int http_connect(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads until the header block is complete, then the Content-Length body (none for
 * HEAD, 204, 304). Extra bytes already read stay unread only within one response,
 * which is all keep-alive without pipelining needs. */
static int read_response(int fd, int head, http_response_t *out)
{
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    char *end = NULL;
    while (buf && !(end = len ? memmem(buf, len, "\r\n\r\n", 4) : NULL)) {
        if (len + 1 >= cap && !(buf = realloc(buf, cap *= 2)))
            return -1;
        ssize_t r = recv(fd, buf + len, cap - len - 1, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    if (!buf || !end) {
        free(buf);
        return -1;
    }
    size_t hlen = (size_t)(end - buf) + 4;
    buf[hlen - 2] = '\0';      /* headers end with one CRLF */
    if (sscanf(buf, "HTTP/1.%*d %d", &out->status) != 1) {
        free(buf);
        return -1;
    }
    const char *line_end = strstr(buf, "\r\n");
    out->headers = strdup(line_end ? line_end + 2 : "");
    char v[32];
    size_t clen = http_header(out, "Content-Length", v, sizeof v) ? strtoul(v, NULL, 10) : 0;
    if (head || out->status == 204 || out->status == 304)
        clen = 0;
    out->body = malloc(clen + 1);
    size_t have = len - hlen < clen ? len - hlen : clen;
    memcpy(out->body, buf + hlen, have);
    free(buf);
    while (have < clen) {
        ssize_t r = recv(fd, out->body + have, clen - have, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        have += (size_t)r;
    }
    out->body[clen] = '\0';
    out->body_len = clen;
    return 0;
}

int http_exchange(int fd, const char *method, const char *target,
                  const char *extra_headers, http_response_t *out)
{
    memset(out, 0, sizeof *out);
    size_t n = strlen(method) + strlen(target) + (extra_headers ? strlen(extra_headers) : 0) + 64;
    char *req = malloc(n);
    snprintf(req, n, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n", method, target,
             extra_headers ? extra_headers : "");
    int rc = send_all(fd, req, strlen(req));
    free(req);
    if (rc == 0)
        rc = read_response(fd, strcmp(method, "HEAD") == 0, out);
    if (rc != 0) {
        http_response_release(out);
        return -1;
    }
    return 0;
}

int http_request(unsigned port, const char *method, const char *target,
                 const char *extra_headers, http_response_t *out)
{
    memset(out, 0, sizeof *out);
    int fd = http_connect(port);
    if (fd < 0)
        return -1;
    size_t n = (extra_headers ? strlen(extra_headers) : 0) + 32;
    char *headers = malloc(n);
    snprintf(headers, n, "%sConnection: close\r\n", extra_headers ? extra_headers : "");
    int rc = http_exchange(fd, method, target, headers, out);
    free(headers);
    close(fd);
    return rc;
}

int http_raw(unsigned port, const char *bytes, size_t nbytes, http_response_t *out)
{
    memset(out, 0, sizeof *out);
    int fd = http_connect(port);
    if (fd < 0)
        return -1;
    int rc = send_all(fd, bytes, nbytes);
    if (rc == 0)
        rc = read_response(fd, 0, out);
    close(fd);
    if (rc != 0)
        http_response_release(out);
    return rc;
}

void http_response_release(http_response_t *r)
{
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}

const char *http_header(const http_response_t *r, const char *name, char *buf, size_t len)
{
    size_t n = strlen(name);
    for (const char *p = r->headers; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        size_t llen = eol ? (size_t)(eol - p) : strlen(p);
        if (llen > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ')
                v++;
            size_t vlen = llen - (size_t)(v - p);
            if (vlen >= len)
                vlen = len - 1;
            memcpy(buf, v, vlen);
            buf[vlen] = '\0';
            return buf;
        }
        p = eol ? eol + 2 : p + llen;
    }
    return NULL;
}

json_t *http_get_json(unsigned port, const char *target, int *status)
{
    http_response_t r;
    *status = 0;
    if (http_request(port, "GET", target, NULL, &r) != 0)
        return NULL;
    *status = r.status;
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    http_response_release(&r);
    return j;
}

char *http_encode(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(3 * strlen(s) + 1);
    char *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}
