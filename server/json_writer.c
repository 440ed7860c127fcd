/* Compact JSON text of a jansson tree, byte for byte what json_dumps writes with
 * JSON_COMPACT | JSON_REAL_PRECISION(6) (tests/test_json_writer.c compares the two on
 * generated trees). The speed is in the strings: one table lookup per byte for the
 * ASCII that needs no escape, a direct check of each multi-byte UTF-8 sequence, and
 * whole unescaped runs copied at once. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"
#include "../lib/textbuf.h"

/* Deeper trees are refused rather than risking the stack (jansson's parser stops at
 * 2048 too; a search's reply is five levels deep). */
#define MAX_DEPTH 2048

typedef struct {
    zhs_textbuf_t text;
    const char *failure;    /* why writing stopped, when it did */
} out_t;

static bool fail(out_t *o, const char *why)
{
    o->failure = why;
    return false;
}

static bool put(out_t *o, const char *s, size_t n)
{
    zhs_textbuf_put(&o->text, s, n);
    return !o->text.failed || fail(o, "out of memory");
}

static bool put_char(out_t *o, char c)
{
    zhs_textbuf_putc(&o->text, c);
    return !o->text.failed || fail(o, "out of memory");
}

/* ------------------------------------------------------------ strings */

enum { PLAIN, ESCAPE, LEAD, INVALID };

/* What each byte starts: ASCII copied as is, ASCII that JSON escapes (controls, `"`,
 * `\`), the lead byte of a multi-byte sequence, or a byte no valid UTF-8 starts with
 * (a continuation byte, the overlong leads C0 and C1, F5-FF). */
static unsigned char byte_class(unsigned char c)
{
    if (c < 0x20 || c == '"' || c == '\\')
        return ESCAPE;
    if (c < 0x80)
        return PLAIN;
    return c >= 0xC2 && c <= 0xF4 ? LEAD : INVALID;
}

/* The length of the well-formed UTF-8 sequence at s[0..n) (its lead byte >= 0xC2), or
 * 0: no overlong forms, no surrogates, nothing above U+10FFFF (RFC 3629's table). */
static size_t sequence_length(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n < len)
        return 0;
    unsigned char lo = 0x80, hi = 0xBF;   /* the allowed range of the second byte */
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

static bool put_escape(out_t *o, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char seq[6] = {'\\', 0};
    switch (c) {
    case '"': seq[1] = '"'; return put(o, seq, 2);
    case '\\': seq[1] = '\\'; return put(o, seq, 2);
    case '\b': seq[1] = 'b'; return put(o, seq, 2);
    case '\f': seq[1] = 'f'; return put(o, seq, 2);
    case '\n': seq[1] = 'n'; return put(o, seq, 2);
    case '\r': seq[1] = 'r'; return put(o, seq, 2);
    case '\t': seq[1] = 't'; return put(o, seq, 2);
    default:
        memcpy(seq, "\\u00", 4);
        seq[4] = hex[c >> 4];
        seq[5] = hex[c & 0xF];
        return put(o, seq, 6);
    }
}

static bool put_string(out_t *o, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    if (!put_char(o, '"'))
        return false;
    size_t run = 0, i = 0;    /* s[run..i) is waiting to be copied unchanged */
    while (i < n) {
        /* Most of Chinese text: the three-byte sequences whose lead byte puts no limit on
         * the second byte (E1-EC, EE, EF), checked here without a call. */
        unsigned char c = s[i];
        if (c >= 0xE1 && c != 0xED && c <= 0xEF && n - i >= 3 && (s[i + 1] & 0xC0) == 0x80 &&
            (s[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        switch (byte_class(c)) {
        case PLAIN:
            i++;
            break;
        case LEAD: {
            size_t len = sequence_length(s + i, n - i);
            if (!len)
                return fail(o, "a string is not valid UTF-8");
            i += len;
            break;
        }
        case ESCAPE:
            if (!put(o, str + run, i - run) || !put_escape(o, s[i]))
                return false;
            run = ++i;
            break;
        default:
            return fail(o, "a string is not valid UTF-8");
        }
    }
    return put(o, str + run, n - run) && put_char(o, '"');
}

/* ------------------------------------------------------------ numbers */

static bool put_integer(out_t *o, json_int_t v)
{
    char digits[24];
    size_t at = sizeof digits;
    /* Unsigned arithmetic, so the most negative value needs no special case. */
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        digits[--at] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        digits[--at] = '-';
    return put(o, digits + at, sizeof digits - at);
}

/* As jansson: "%.6g", ".0" appended when that looks like an integer, and the exponent
 * without its "+" and leading zeros (1e+21 -> 1e21, 1e-07 -> 1e-7). The C locale's
 * decimal point is assumed: the server never calls setlocale. */
static bool put_real(out_t *o, double v)
{
    char text[40];
    int n = snprintf(text, sizeof text, "%.6g", v);
    if (n < 0 || (size_t)n >= sizeof text - 3 || strchr(text, 'n') || strchr(text, 'i'))
        return fail(o, "a number is not finite");
    char *e = strchr(text, 'e');
    if (!e && !strchr(text, '.')) {
        memcpy(text + n, ".0", 3);
        n += 2;
    }
    if (e) {
        char *from = e + 1, *to = e + 1;
        if (*from == '-')
            to = ++from;
        else if (*from == '+')
            from++;
        while (*from == '0' && from[1])
            from++;
        memmove(to, from, strlen(from) + 1);
        n = (int)strlen(text);
    }
    return put(o, text, (size_t)n);
}

/* ------------------------------------------------------------ values */

static bool put_value(out_t *o, const json_t *j, unsigned depth)
{
    if (depth > MAX_DEPTH)
        return fail(o, "nested too deeply");
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        if (!put_char(o, '{'))
            return false;
        bool first = true;
        const char *key;
        size_t key_len;
        json_t *value;
        /* The foreach macro takes a non-const object; it only reads it. */
        json_t *obj = (json_t *)j;
        json_object_keylen_foreach (obj, key, key_len, value) {
            if ((!first && !put_char(o, ',')) || !put_string(o, key, key_len) ||
                !put_char(o, ':') || !put_value(o, value, depth + 1))
                return false;
            first = false;
        }
        return put_char(o, '}');
    }
    case JSON_ARRAY: {
        if (!put_char(o, '['))
            return false;
        size_t n = json_array_size(j);
        for (size_t i = 0; i < n; i++)
            if ((i && !put_char(o, ',')) || !put_value(o, json_array_get(j, i), depth + 1))
                return false;
        return put_char(o, ']');
    }
    case JSON_STRING:
        return put_string(o, json_string_value(j), json_string_length(j));
    case JSON_INTEGER:
        return put_integer(o, json_integer_value(j));
    case JSON_REAL:
        return put_real(o, json_real_value(j));
    case JSON_TRUE:
        return put(o, "true", 4);
    case JSON_FALSE:
        return put(o, "false", 5);
    case JSON_NULL:
        return put(o, "null", 4);
    }
    return fail(o, "an unknown JSON type");
}

int srv_json_write(const json_t *j, char **bytes, size_t *nbytes, srv_error_t *e)
{
    out_t o = {0};
    *bytes = NULL;
    *nbytes = 0;
    if (!j)
        return srv_error_set(e, SRV_ERR_INTERNAL, "no JSON to write");
    if (!put_value(&o, j, 0) || !(*bytes = zhs_textbuf_take(&o.text, nbytes))) {
        zhs_textbuf_release(&o.text);
        return srv_error_set(e, SRV_ERR_INTERNAL, "cannot write the reply: %s",
                             o.failure ? o.failure : "out of memory");
    }
    return 0;
}
