/* One string member of a JSON object, decoded in a single pass (see jsonstr.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonstr.h"
#include "utf8.h"

/* Four hex digits at s; -1 when they are not. */
static long hex4(const char *s)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Decodes the escape at s[0] == '\\' (s[0..end)) into out; returns the bytes read, or 0
 * when it is malformed or not representable (NUL, lone surrogate). */
static size_t unescape(const char *s, const char *end, char *out, size_t *written)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    if (end - s < 2)
        return 0;
    const char *simple = strchr(from, s[1]);
    if (simple && s[1] != 'u') {
        out[0] = to[simple - from];
        *written = 1;
        return 2;
    }
    if (s[1] != 'u' || end - s < 6)
        return 0;
    long cp = hex4(s + 2);
    size_t used = 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (end - s < 12 || s[6] != '\\' || s[7] != 'u')
            return 0;
        long lo = hex4(s + 8);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return 0;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        used = 12;
    } else if (cp <= 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) {
        return 0;
    }
    *written = utf8_encode((uint32_t)cp, (unsigned char *)out);
    return used;
}

bool zhs_json_member_string(const char *json, size_t nbytes, const char *name, char **out,
                            size_t *out_nbytes)
{
    *out = NULL;
    size_t nlen = strlen(name);
    const char *end = json + nbytes;
    const char *p = json;
    for (;;) {
        p = memmem(p, (size_t)(end - p), name, nlen);
        if (!p)
            return false;
        if (p > json && p[-1] == '"' && end - (p + nlen) >= 2 && p[nlen] == '"' &&
            p[nlen + 1] == ':')
            break;
        p++;
    }
    p += nlen + 2;
    if (p >= end || *p != '"')
        return false;
    p++;
    /* The decoded string is never longer than its escaped form. */
    char *buf = malloc((size_t)(end - p) + 1);
    if (!buf)
        return false;
    size_t n = 0;
    while (p < end && *p != '"') {
        if ((unsigned char)*p < 0x20) {
            free(buf);
            return false;
        }
        if (*p != '\\') {
            buf[n++] = *p++;
            continue;
        }
        size_t written = 0, used = unescape(p, end, buf + n, &written);
        if (!used) {
            free(buf);
            return false;
        }
        p += used;
        n += written;
    }
    if (p >= end) {
        free(buf);
        return false;
    }
    buf[n] = '\0';
    *out = buf;
    *out_nbytes = n;
    return true;
}
