/* stderr logging: notices and the access log. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "params.h"

void srv_log(const char *fmt, ...)
{
    char line[1024];
    int n = snprintf(line, sizeof line, "zhsearch-server: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    line[len] = '\n';
    line[len + 1] = '\0';
    fputs(line, stderr);
}

/* Copies s into out, escaping control bytes, stopping before a character that would
 * not fit whole. */
static void copy_escaped(const char *s, char *out, size_t outlen)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t clen = 1;
        if (*p >= 0xf0)
            clen = 4;
        else if (*p >= 0xe0)
            clen = 3;
        else if (*p >= 0xc0)
            clen = 2;
        char esc[5];
        const char *piece = (const char *)p;
        size_t plen = clen;
        if (*p < 0x20 || *p == 0x7f) {
            snprintf(esc, sizeof esc, "\\x%02x", *p);
            piece = esc;
            plen = 4;
        }
        if (n + plen + 1 > outlen || strnlen((const char *)p, clen) < clen)
            break;
        memcpy(out + n, piece, plen);
        n += plen;
        p += clen;
    }
    out[n] = '\0';
}

void srv_log_format_target(const char *uri, char *out, size_t outlen)
{
    srv_error_t e = {0};
    char *decoded = srv_uri_decode(uri, strlen(uri), false, "target", &e);
    copy_escaped(decoded ? decoded : uri, out, outlen);
    free(decoded);
}

void srv_log_access(const char *method, const char *uri, int status, double ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    char target[512];
    srv_log_format_target(uri, target, sizeof target);
    char line[700];
    snprintf(line, sizeof line, "%s.%03ldZ %s %s %d %.3fms\n", when,
             ts.tv_nsec / 1000000, method, target, status, ms);
    fputs(line, stderr);
}
