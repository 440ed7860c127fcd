/* Growable byte buffers for the corpus generator. Allocation failure ends the program:
 * the generator is a benchmark tool, and a half-written corpus is worse than none. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

void *gen_xrealloc(void *ptr, size_t nbytes)
{
    void *p = realloc(ptr, nbytes ? nbytes : 1);
    if (!p) {
        fprintf(stderr, "gen_corpus: out of memory (%zu bytes)\n", nbytes);
        exit(2);
    }
    return p;
}

static void reserve(gen_buf_t *buf, size_t extra)
{
    if (buf->len + extra + 1 <= buf->cap)
        return;
    size_t cap = buf->cap ? buf->cap : 256;
    while (cap < buf->len + extra + 1)
        cap *= 2;
    buf->data = gen_xrealloc(buf->data, cap);
    buf->cap = cap;
}

void gen_buf_add(gen_buf_t *buf, const char *bytes, size_t nbytes)
{
    reserve(buf, nbytes);
    memcpy(buf->data + buf->len, bytes, nbytes);
    buf->len += nbytes;
    buf->data[buf->len] = '\0';
}

void gen_buf_adds(gen_buf_t *buf, const char *str)
{
    gen_buf_add(buf, str, strlen(str));
}

void gen_buf_addf(gen_buf_t *buf, const char *fmt, ...)
{
    va_list ap;
    reserve(buf, 64);
    va_start(ap, fmt);
    int n = vsnprintf(buf->data + buf->len, buf->cap - buf->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= buf->cap - buf->len) {
        reserve(buf, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(buf->data + buf->len, buf->cap - buf->len, fmt, ap);
        va_end(ap);
    }
    buf->len += (size_t)n;
}

void gen_buf_release(gen_buf_t *buf)
{
    if (!buf)
        return;
    free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

int gen_next_line(const char *text, size_t nbytes, size_t *pos, const char **line, size_t *len)
{
    if (*pos >= nbytes)
        return 0;
    const char *start = text + *pos;
    const char *nl = memchr(start, '\n', nbytes - *pos);
    size_t n = nl ? (size_t)(nl - start) : nbytes - *pos;
    *pos += n + 1;
    if (n && start[n - 1] == '\r')
        n--;
    *line = start;
    *len = n;
    return 1;
}
