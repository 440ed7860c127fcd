/* Deflating and inflating the `text:` and `doc:` records (see textpack.h), with
 * libdeflate (zlib streams, as zlib wrote them before; inflating a block is several
 * times faster than zlib's, which allocates and sets up a stream per call). Level 1:
 * on the generated corpus it keeps 57% of the bytes against 55% at level 6, in a
 * fraction of the time. Blocks of about 2 KB cut at line ends: a search reads one
 * passage's line from a block (inflating whole documents was half of a search; 4 KB
 * blocks still a seventh), at 66% instead of 57% of the bytes. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "textpack.h"

#define PACKED_MARK 0xFF    /* one zlib stream (schema versions 2 to 4) */
#define BLOCKED_MARK 0xFE   /* blocks */
#define HEADER 5            /* mark, length */
#define BLOCK_BYTES 2048

static void put_u32(unsigned char *p, size_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)((v >> (8 * i)) & 0xFF);
}

static size_t get_u32(const unsigned char *p)
{
    return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
}

/* The end of the block starting at start: the line end at or after BLOCK_BYTES. */
static size_t block_end(const char *text, size_t n, size_t start)
{
    if (n - start <= BLOCK_BYTES)
        return n;
    const char *nl = memchr(text + start + BLOCK_BYTES, '\n', n - start - BLOCK_BYTES);
    return nl ? (size_t)(nl - text) + 1 : n;
}

zhs_status_t zhs_text_pack(const char *text, size_t n, char **out, size_t *nout,
                           zhs_error_t *err)
{
    *out = NULL;
    *nout = 0;
    size_t nblocks = 0;
    for (size_t start = 0; start < n; start = block_end(text, n, start))
        nblocks++;
    /* Record: mark, length, block count, each block's raw end and packed size, the
     * zlib streams. */
    size_t table = HEADER + 4 + 8 * nblocks;
    size_t cap = table;
    for (size_t start = 0, end; start < n; start = end) {
        end = block_end(text, n, start);
        cap += libdeflate_zlib_compress_bound(NULL, end - start);
    }
    bool packable = n > 0 && n < UINT32_MAX;
    struct libdeflate_compressor *c = packable ? libdeflate_alloc_compressor(1) : NULL;
    char *buf = malloc((packable && cap > n ? cap : n) + 1);
    if (!buf || (packable && !c)) {
        free(buf);
        libdeflate_free_compressor(c);
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory packing a text");
    }
    unsigned char *b = (unsigned char *)buf;
    size_t used = table, i = 0;
    for (size_t start = 0, end; packable && start < n; start = end, i++) {
        end = block_end(text, n, start);
        size_t packed = libdeflate_zlib_compress(c, text + start, end - start, b + used,
                                                 cap - used);
        if (packed == 0) {
            packable = false;
            break;
        }
        put_u32(b + HEADER + 4 + 8 * i, end);
        put_u32(b + HEADER + 4 + 8 * i + 4, packed);
        used += packed;
    }
    libdeflate_free_compressor(c);
    if (packable && used < n) {
        b[0] = BLOCKED_MARK;
        put_u32(b + 1, n);
        put_u32(b + HEADER, nblocks);
        *nout = used;
    } else {
        memcpy(buf, text, n);
        *nout = n;
    }
    buf[*nout] = '\0';
    *out = buf;
    return ZHS_OK;
}

/* A blocked record's table, checked against the record's size. */
typedef struct {
    const unsigned char *table;   /* nblocks entries: raw end, packed size */
    const unsigned char *streams;
    size_t nblocks, len;
} blocks_t;

static bool read_blocks(const unsigned char *r, size_t n, blocks_t *b)
{
    if (n < HEADER + 4)
        return false;
    b->len = get_u32(r + 1);
    b->nblocks = get_u32(r + HEADER);
    if (b->nblocks > (n - HEADER - 4) / 8)
        return false;
    b->table = r + HEADER + 4;
    b->streams = b->table + 8 * b->nblocks;
    size_t packed = 0, prev_end = 0;
    for (size_t i = 0; i < b->nblocks; i++) {
        size_t end = get_u32(b->table + 8 * i);
        if (end <= prev_end || end > b->len)
            return false;
        prev_end = end;
        packed += get_u32(b->table + 8 * i + 4);
    }
    return prev_end == b->len && packed == n - (size_t)(b->streams - r);
}

/* Inflates the zlib stream in[0..nin) into exactly nout bytes at out. */
static bool inflate_exactly(const void *in, size_t nin, void *out, size_t nout)
{
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    size_t got = 0;
    bool ok = d && libdeflate_zlib_decompress(d, in, nin, out, nout, &got) ==
                       LIBDEFLATE_SUCCESS &&
              got == nout;
    libdeflate_free_decompressor(d);
    return ok;
}

/* Inflates blocks [first, last] into buf, which holds the raw bytes from the start of
 * block first. */
static bool inflate_blocks(const blocks_t *b, size_t first, size_t last, char *buf)
{
    const unsigned char *s = b->streams;
    for (size_t i = 0; i < first; i++)
        s += get_u32(b->table + 8 * i + 4);
    size_t start = first ? get_u32(b->table + 8 * (first - 1)) : 0, base = start;
    for (size_t i = first; i <= last; i++) {
        size_t end = get_u32(b->table + 8 * i), packed = get_u32(b->table + 8 * i + 4);
        if (!inflate_exactly(s, packed, buf + (start - base), end - start))
            return false;
        s += packed;
        start = end;
    }
    return true;
}

static zhs_status_t not_inflating(zhs_error_t *err)
{
    return zhs_error_set(err, ZHS_ERR_DB_CORRUPT, "a stored text does not inflate");
}

zhs_status_t zhs_text_unpack_range(const char *rec, size_t n, size_t offset, size_t len,
                                   char **out, zhs_error_t *err)
{
    *out = NULL;
    const unsigned char *r = (const unsigned char *)rec;
    blocks_t b;
    if (n == 0 || r[0] != BLOCKED_MARK) {
        /* Plain, or one stream: everything, then the range. */
        char *all = NULL;
        size_t nall = 0;
        zhs_status_t st = zhs_text_unpack(rec, n, &all, &nall, err);
        if (st == ZHS_OK && (offset > nall || len > nall - offset))
            st = zhs_error_set(err, ZHS_ERR_DB_CORRUPT, "a range lies outside its text");
        if (st == ZHS_OK) {
            memmove(all, all + offset, len);
            all[len] = '\0';
            *out = all;
        } else {
            free(all);
        }
        return st;
    }
    if (!read_blocks(r, n, &b))
        return not_inflating(err);
    if (offset > b.len || len > b.len - offset)
        return zhs_error_set(err, ZHS_ERR_DB_CORRUPT, "a range lies outside its text");
    size_t first = 0;
    while (first + 1 < b.nblocks && get_u32(b.table + 8 * first) <= offset)
        first++;
    size_t last = first;
    while (last + 1 < b.nblocks && get_u32(b.table + 8 * last) < offset + len)
        last++;
    size_t start = first ? get_u32(b.table + 8 * (first - 1)) : 0;
    size_t end = b.nblocks ? get_u32(b.table + 8 * last) : 0;
    char *buf = malloc(end - start + 1);
    if (!buf)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory unpacking a text");
    if (b.nblocks && !inflate_blocks(&b, first, last, buf)) {
        free(buf);
        return not_inflating(err);
    }
    memmove(buf, buf + (offset - start), len);
    buf[len] = '\0';
    *out = buf;
    return ZHS_OK;
}

zhs_status_t zhs_text_unpack(const char *rec, size_t n, char **out, size_t *nout,
                             zhs_error_t *err)
{
    *out = NULL;
    *nout = 0;
    const unsigned char *r = (const unsigned char *)rec;
    bool packed = n >= HEADER && r[0] == PACKED_MARK;
    bool blocked = n >= HEADER && r[0] == BLOCKED_MARK;
    blocks_t b = {0};
    if (blocked && !read_blocks(r, n, &b))
        return not_inflating(err);
    size_t len = packed || blocked ? get_u32(r + 1) : n;
    char *buf = malloc(len + 1);
    if (!buf)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory unpacking a text");
    bool ok = true;
    if (blocked) {
        ok = b.nblocks == 0 || inflate_blocks(&b, 0, b.nblocks - 1, buf);
    } else if (packed) {
        ok = inflate_exactly(r + HEADER, n - HEADER, buf, len);
    } else {
        memcpy(buf, rec, n);
    }
    if (!ok) {
        free(buf);
        return not_inflating(err);
    }
    buf[len] = '\0';
    *out = buf;
    *nout = len;
    return ZHS_OK;
}

zhs_status_t zhs_json_unpack(const char *rec, size_t n, json_t **out, zhs_error_t *err)
{
    *out = NULL;
    char *text = NULL;
    size_t ntext = 0;
    zhs_status_t st = zhs_text_unpack(rec, n, &text, &ntext, err);
    if (st != ZHS_OK)
        return st;
    json_error_t jerr;
    *out = json_loadb(text, ntext, 0, &jerr);
    free(text);
    if (!*out)
        return zhs_error_set(err, ZHS_ERR_DB_CORRUPT, "a stored record is not JSON: %s",
                             jerr.text);
    return ZHS_OK;
}
