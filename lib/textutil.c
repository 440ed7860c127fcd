/* Small UTF-8 and string helpers shared by the document-understanding files: blanks
 * and trimming, prefix/suffix tests, and an owning list of distinct strings. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "utf8.h"

uint32_t doc_utf8_next(const char *s, size_t *len)
{
    uint32_t cp;
    size_t n = utf8_decode((const unsigned char *)s, strnlen(s, 4), &cp);
    if (n == 0) {               /* not reached on valid input; step one byte anyway */
        *len = 1;
        return 0xFFFD;
    }
    *len = n;
    return cp;
}

static bool is_blank_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\v' || cp == '\f' || cp == '\r' ||
           cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) ||
           cp == 0x202F || cp == 0x205F || cp == 0xFEFF;
}

size_t doc_blank_len(const char *s)
{
    if (!*s)
        return 0;
    size_t len;
    uint32_t cp = doc_utf8_next(s, &len);
    return is_blank_cp(cp) ? len : 0;
}

const char *doc_trim(const char *s, size_t *nbytes)
{
    const char *end = s + *nbytes;
    size_t len;
    while (s < end && (len = doc_blank_len(s)) > 0)
        s += len;
    /* Walk forward remembering where the last non-blank character ended: UTF-8
     * cannot be trimmed from the back without knowing character starts. */
    const char *last = s;
    for (const char *p = s; p < end;) {
        size_t b = doc_blank_len(p);
        if (b) {
            p += b;
        } else {
            doc_utf8_next(p, &len);
            p += len;
            last = p;
        }
    }
    *nbytes = (size_t)(last - s);
    return s;
}

size_t doc_nchars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

bool doc_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool doc_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

size_t doc_starts_with_any(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (doc_starts_with(s, *list))
            return strlen(*list);
    return 0;
}

bool doc_contains_any(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strstr(s, *list))
            return true;
    return false;
}

bool doc_split_each(const char *s, size_t nbytes, const char *const *seps,
                    bool (*fn)(void *ctx, const char *piece, size_t nbytes), void *ctx)
{
    const char *end = s + nbytes;
    while (s < end) {
        const char *cut = end;
        size_t cut_len = 0;
        for (const char *const *sep = seps; *sep; sep++) {
            size_t sl = strlen(*sep);
            const char *hit = memmem(s, (size_t)(cut - s), *sep, sl);
            if (hit) {
                cut = hit;
                cut_len = sl;
            }
        }
        if (cut > s && !fn(ctx, s, (size_t)(cut - s)))
            return false;
        s = cut + cut_len;
    }
    return true;
}

char *doc_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

bool doc_strlist_add(doc_strlist_t *l, const char *s, size_t n)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->items[i]) == n && memcmp(l->items[i], s, n) == 0)
            return true;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        char **items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return false;
        l->items = items;
        l->cap = cap;
    }
    char *copy = doc_strndup(s, n);
    if (!copy)
        return false;
    l->items[l->n++] = copy;
    return true;
}

void doc_strlist_release(doc_strlist_t *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}
