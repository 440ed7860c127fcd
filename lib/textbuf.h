/* A growing text buffer, the one every writer of text in memory uses (snippets and
 * highlighted HTML, text extracted from HTML pages, the server's JSON writer). Header
 * only, so the server uses it without the library exporting it. A failed allocation
 * is remembered: writes after it do nothing, and the writer checks `failed` once at
 * the end. The text is always NUL-terminated once anything was written. Cheaper than
 * open_memstream, which zeroes an 8 KB buffer for every stream (a snippet each). */
#ifndef ZHS_LIB_TEXTBUF_H
#define ZHS_LIB_TEXTBUF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *bytes;    /* owned; NULL until the first write */
    size_t len, cap;
    bool failed;    /* out of memory: the text is incomplete */
} zhs_textbuf_t;

/* Room for n more bytes and the NUL. */
static inline bool zhs_textbuf_reserve(zhs_textbuf_t *b, size_t n)
{
    if (b->failed)
        return false;
    if (n < b->cap - b->len)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= n) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *bytes = realloc(b->bytes, cap);
    if (!bytes) {
        b->failed = true;
        return false;
    }
    b->bytes = bytes;
    b->cap = cap;
    return true;
}

static inline void zhs_textbuf_put(zhs_textbuf_t *b, const char *s, size_t n)
{
    if (!zhs_textbuf_reserve(b, n))
        return;
    memcpy(b->bytes + b->len, s, n);
    b->len += n;
    b->bytes[b->len] = '\0';
}

static inline void zhs_textbuf_puts(zhs_textbuf_t *b, const char *s)
{
    zhs_textbuf_put(b, s, strlen(s));
}

static inline void zhs_textbuf_putc(zhs_textbuf_t *b, char c)
{
    if (b->len + 1 < b->cap || zhs_textbuf_reserve(b, 1)) {
        b->bytes[b->len++] = c;
        b->bytes[b->len] = '\0';
    }
}

/* The last byte written, or NUL for none. */
static inline char zhs_textbuf_last(const zhs_textbuf_t *b)
{
    return b->len ? b->bytes[b->len - 1] : '\0';
}

/* Hands the text over (NULL when writing failed, which frees it); b is empty after. */
static inline char *zhs_textbuf_take(zhs_textbuf_t *b, size_t *len)
{
    char *bytes = b->failed ? NULL : b->bytes ? b->bytes : (char *)calloc(1, 1);
    if (b->failed)
        free(b->bytes);
    if (len)
        *len = bytes ? b->len : 0;
    *b = (zhs_textbuf_t){0};
    return bytes;
}

static inline void zhs_textbuf_release(zhs_textbuf_t *b)
{
    free(b->bytes);
    *b = (zhs_textbuf_t){0};
}

#endif
