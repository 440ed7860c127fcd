/* The sentence sources of the generated corpus: policy sentences and section headings
 * from the seed corpus, and prose sentences from a large body of real Chinese text
 * (Debian's Chinese manual pages), split into sentences and clauses and filtered so that
 * what remains is mostly Chinese. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "gen.h"

/* Decodes one UTF-8 character at s (n bytes available) into *cp; returns its length,
 * 0 when the bytes are not valid UTF-8. */
static size_t utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    size_t len = u[0] >= 0xf0 && u[0] <= 0xf4 ? 4 : u[0] >= 0xe0 ? 3 : u[0] >= 0xc2 && u[0] < 0xe0 ? 2 : 0;
    if (!len || len > n)
        return 0;
    uint32_t c = u[0] & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3f);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

static int is_cjk(uint32_t c)
{
    return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ||
           (c >= 0xf900 && c <= 0xfaff);
}

static int is_blank(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0xa0 || c == 0x3000;
}

static int is_terminator(uint32_t c)
{
    return c == 0x3002 /* 。 */ || c == 0xff01 /* ！ */ || c == 0xff1f /* ？ */ ||
           c == 0xff1b /* ； */ || c == '!' || c == '?';
}

static int is_clause_mark(uint32_t c)
{
    return c == 0xff0c /* ， */ || c == ',' || c == 0x3001 /* 、 */ || c == 0xff1b || c == ';' ||
           c == 0xff1a /* ： */ || c == ':';
}

/* Punctuation a sentence must not start with. */
static int is_leading_junk(uint32_t c)
{
    return is_blank(c) || is_clause_mark(c) || c == ')' || c == 0xff09 || c == 0x300d ||
           c == 0x300f || c == 0x201d || c == '.' || c == '-';
}

/* Cleans s[0..n) into out (trimmed, blanks collapsed to one space) and returns 1 when
 * it is mostly Chinese: at least min_cjk CJK characters and half the characters. */
static int clean_chinese(const char *s, size_t n, size_t min_cjk, gen_buf_t *out)
{
    size_t total = 0, cjk = 0, i = 0;
    uint32_t c;
    out->len = 0;
    while (i < n) {                         /* leading junk */
        size_t len = utf8_decode(s + i, n - i, &c);
        if (!len)
            return 0;
        if (!is_leading_junk(c))
            break;
        i += len;
    }
    int pending_space = 0;
    while (i < n) {
        size_t len = utf8_decode(s + i, n - i, &c);
        if (!len || c < 0x20 || c == 0x7f)
            return 0;
        if (is_blank(c)) {
            pending_space = 1;
        } else {
            if (pending_space && out->len)
                gen_buf_add(out, " ", 1);
            pending_space = 0;
            gen_buf_add(out, s + i, len);
            total++;
            cjk += is_cjk(c);
        }
        i += len;
    }
    return cjk >= min_cjk && cjk * 2 >= total && out->len <= 600;
}

typedef struct {
    gen_text_cb cb;
    void *ctx;
    gen_buf_t clean;
} sentence_ctx_t;

void gen_text_sentences(const char *para, size_t nbytes, gen_text_cb cb, void *ctx)
{
    gen_buf_t clean = {0};
    size_t start = 0, i = 0;
    while (i <= nbytes) {
        uint32_t c = 0;
        size_t len = i < nbytes ? utf8_decode(para + i, nbytes - i, &c) : 0;
        if (i < nbytes && !len) {           /* not UTF-8: skip this sentence */
            while (i < nbytes && !(utf8_decode(para + i, nbytes - i, &c) && is_terminator(c)))
                i++;
            start = i < nbytes ? i + utf8_decode(para + i, nbytes - i, &c) : nbytes;
            i = start;
            continue;
        }
        if (i == nbytes || is_terminator(c)) {
            size_t end = i == nbytes ? i : i + len;
            if (end > start && clean_chinese(para + start, end - start, 6, &clean))
                cb(ctx, clean.data, clean.len);
            start = end;
            if (i == nbytes)
                break;
        }
        i += len;
    }
    gen_buf_release(&clean);
}

/* Consumes Chinese numerals at s; returns their byte length. */
static size_t numerals(const char *s, size_t n)
{
    static const char digits[] = "一二三四五六七八九十百零";   /* 3 bytes each */
    size_t i = 0;
    for (;;) {
        size_t d = 0;
        while (d + 3 < sizeof digits && !(i + 3 <= n && memcmp(s + i, digits + d, 3) == 0))
            d += 3;
        if (d + 3 >= sizeof digits)
            return i;
        i += 3;
    }
}

static size_t ascii_digits(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

/* Length of an opening/closing parenthesis (ASCII or full-width) at s, else 0. */
static size_t paren(const char *s, size_t n, int open)
{
    if (n >= 1 && s[0] == (open ? '(' : ')'))
        return 1;
    if (n >= 3 && memcmp(s, open ? "（" : "）", 3) == 0)
        return 3;
    return 0;
}

size_t gen_text_enumerator(const char *s, size_t n, int *kind)
{
    size_t k, o, c;
    *kind = GEN_ENUM_NONE;
    if ((k = numerals(s, n)) && n - k >= 3 && memcmp(s + k, "、", 3) == 0) {
        *kind = GEN_ENUM_SECTION;
        return k + 3;
    }
    if ((o = paren(s, n, 1))) {
        if ((k = numerals(s + o, n - o)) && (c = paren(s + o + k, n - o - k, 0))) {
            *kind = GEN_ENUM_SUBSECTION;
            return o + k + c;
        }
        if ((k = ascii_digits(s + o, n - o)) && (c = paren(s + o + k, n - o - k, 0))) {
            *kind = GEN_ENUM_SUBITEM;
            return o + k + c;
        }
        return 0;
    }
    if ((k = ascii_digits(s, n)) && k <= 3) {
        if (n > k && s[k] == '.' && !(n > k + 1 && s[k + 1] >= '0' && s[k + 1] <= '9')) {
            *kind = GEN_ENUM_ITEM;
            return k + 1;
        }
        if (n >= k + 3 && (memcmp(s + k, "、", 3) == 0 || memcmp(s + k, "．", 3) == 0)) {
            *kind = GEN_ENUM_ITEM;
            return k + 3;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- pools */

static void add_clauses(gen_text_t *text, const char *s, size_t n)
{
    gen_buf_t clean = {0};
    size_t start = 0, i = 0;
    while (i <= n) {
        uint32_t c = 0;
        size_t len = i < n ? utf8_decode(s + i, n - i, &c) : 1;
        if (!len)
            break;
        if (i == n || is_clause_mark(c) || is_terminator(c)) {
            if (i > start && clean_chinese(s + start, i - start, 4, &clean))
                gen_pool_add(&text->clauses, clean.data, clean.len);
            start = i + len;
        }
        i += len;
    }
    gen_buf_release(&clean);
}

/* Adds a sentence to pool, ending it with 。 when it has no final punctuation. */
static void add_sentence(gen_text_t *text, gen_pool_t *pool, const char *s, size_t n)
{
    uint32_t c = 0;
    size_t i = 0, last = 0;
    while (i < n) {                      /* find the last character */
        size_t len = utf8_decode(s + i, n - i, &c);
        last = i;
        i += len ? len : 1;
    }
    utf8_decode(s + last, n - last, &c);
    gen_buf_t tmp = {0};
    gen_buf_add(&tmp, s, n);
    if (!is_terminator(c)) {
        if (is_clause_mark(c) || c == '.')
            tmp.len = last;
        gen_buf_adds(&tmp, "。");
    }
    gen_pool_add(pool, tmp.data, tmp.len);
    add_clauses(text, s, n);
    gen_buf_release(&tmp);
}

static void add_prose_sentence(void *ctx, const char *s, size_t n)
{
    gen_text_t *text = ctx;
    add_sentence(text, &text->prose, s, n);
}

static void add_prose_paragraph(void *ctx, const char *s, size_t n)
{
    gen_text_sentences(s, n, add_prose_sentence, ctx);
}

static void add_policy_sentence(void *ctx, const char *s, size_t n)
{
    gen_text_t *text = ctx;
    add_sentence(text, &text->policy, s, n);
}

void gen_text_add_troff(gen_text_t *text, const char *src, size_t nbytes)
{
    gen_troff_paragraphs(src, nbytes, add_prose_paragraph, text);
}

/* Scraped-page furniture in the seeds: never a source of sentences. */
static int is_boilerplate(const char *s, size_t n)
{
    static const char *const marks[] = {"ICP", "点击数", "电话", "地址", "版权所有", "主办单位",
                                        "发布时间", "颁布时间", "时间:", "首页", "欢迎您", "友情链接",
                                        "总访问量", "文 号", "发布单位", "印发", "秘书处", NULL};
    for (const char *const *m = marks; *m; m++)
        if (memmem(s, n, *m, strlen(*m)))
            return 1;
    return 0;
}

/* Removes department parentheticals (`(本部分工作由…牵头…)`, `(责任单位:…)`) in place;
 * returns the new length. */
static size_t strip_departments(char *s, size_t n)
{
    static const char *const roles[] = {"牵头", "负责", "参与", "配合", "责任单位", NULL};
    size_t i = 0;
    while (i < n) {
        size_t o = paren(s + i, n - i, 1);
        if (!o) {
            i++;
            continue;
        }
        size_t j = i + o, c = 0;
        while (j < n && !(c = paren(s + j, n - j, 0)))
            j++;
        if (j >= n)
            break;
        int is_dept = 0;
        for (const char *const *r = roles; *r; r++)
            is_dept |= memmem(s + i, j - i, *r, strlen(*r)) != NULL;
        if (is_dept) {
            memmove(s + i, s + j + c, n - (j + c));
            n -= j + c - i;
        } else {
            i = j + c;
        }
    }
    return n;
}

static void add_policy_line(gen_text_t *text, char *s, size_t n)
{
    int kind;
    size_t en = gen_text_enumerator(s, n, &kind);
    if (kind == GEN_ENUM_SECTION || kind == GEN_ENUM_SUBSECTION) {
        const char *h = s + en;
        const char *stop = memmem(h, n - en, "。", 3);
        size_t hn = stop ? (size_t)(stop - h) : n - en;
        gen_buf_t clean = {0};
        if (hn <= 90 && !paren(h, hn, 1) && !memchr(h, '(', hn) &&
            clean_chinese(h, hn, 2, &clean))
            gen_pool_add(&text->headings, clean.data, clean.len);
        gen_buf_release(&clean);
        if (kind == GEN_ENUM_SECTION || !stop)
            return;
        en = (size_t)(stop + 3 - s);
    }
    n = strip_departments(s + en, n - en);
    gen_text_sentences(s + en, n, add_policy_sentence, text);
}

void gen_text_add_policy(gen_text_t *text, const char *doc, size_t nbytes)
{
    gen_buf_t line = {0};
    size_t pos = 0, n;
    const char *s;
    while (gen_next_line(doc, nbytes, &pos, &s, &n)) {
        uint32_t c;
        size_t len;
        while (n && (len = utf8_decode(s, n, &c)) && is_blank(c))   /* indentation */
            s += len, n -= len;
        if (n && !is_boilerplate(s, n)) {
            line.len = 0;
            gen_buf_add(&line, s, n);
            add_policy_line(text, line.data, line.len);
        }
    }
    gen_buf_release(&line);
}

/* ---------------------------------------------------------------- loading */

typedef struct {
    char **paths;
    size_t n, cap;
} path_list_t;

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects regular files under dir (recursively) whose names end in suffix ("" = any). */
static void collect(path_list_t *list, const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        gen_buf_t path = {0};
        gen_buf_addf(&path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path.data, &st) != 0) {
            gen_buf_release(&path);
            continue;
        }
        size_t nl = strlen(e->d_name), sl = strlen(suffix);
        if (S_ISDIR(st.st_mode)) {
            collect(list, path.data, suffix);
            gen_buf_release(&path);
        } else if (S_ISREG(st.st_mode) && nl >= sl && strcmp(e->d_name + nl - sl, suffix) == 0) {
            if (list->n == list->cap) {
                list->cap = list->cap ? list->cap * 2 : 64;
                list->paths = gen_xrealloc(list->paths, list->cap * sizeof *list->paths);
            }
            list->paths[list->n++] = path.data;   /* takes the buffer */
        } else {
            gen_buf_release(&path);
        }
    }
    closedir(d);
}

static void path_list_release(path_list_t *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->paths[i]);
    free(list->paths);
}

/* Reads a whole file, gunzipping it when it is gzip (zlib reads plain files as is). */
static int read_file(const char *path, gen_buf_t *out)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return -1;
    char chunk[65536];
    int n;
    out->len = 0;
    while ((n = gzread(f, chunk, sizeof chunk)) > 0)
        gen_buf_add(out, chunk, (size_t)n);
    int ok = n == 0;
    gzclose(f);
    return ok ? 0 : -1;
}

int gen_text_load(gen_text_t *text, const char *corpus_dir, const char *prose_dir,
                  gen_convert_fn t2s, void *t2s_ctx, char *err, size_t errlen)
{
    path_list_t seeds = {0}, prose = {0};
    gen_buf_t raw = {0}, simplified = {0};
    int rc = -1;
    collect(&seeds, corpus_dir, ".txt");
    collect(&prose, prose_dir, "");
    if (!seeds.n) {
        snprintf(err, errlen, "no *.txt seed documents in %s (pass --corpus DIR)", corpus_dir);
        goto out;
    }
    if (!prose.n) {
        snprintf(err, errlen, "no Chinese prose in %s: install manpages-zh (bench/setup.sh) "
                 "or pass --prose DIR", prose_dir);
        goto out;
    }
    /* Directory order differs between file systems; byte order does not. */
    qsort(seeds.paths, seeds.n, sizeof *seeds.paths, cmp_path);
    qsort(prose.paths, prose.n, sizeof *prose.paths, cmp_path);
    for (size_t i = 0; i < seeds.n; i++) {
        if (read_file(seeds.paths[i], &raw) != 0) {
            snprintf(err, errlen, "%s: %s", seeds.paths[i], strerror(errno));
            goto out;
        }
        const gen_buf_t *doc = &raw;
        if (t2s) {
            if (t2s(t2s_ctx, raw.data ? raw.data : "", raw.len, &simplified) != 0) {
                snprintf(err, errlen, "%s: conversion to Simplified failed", seeds.paths[i]);
                goto out;
            }
            doc = &simplified;
        }
        gen_text_add_policy(text, doc->data ? doc->data : "", doc->len);
    }
    for (size_t i = 0; i < prose.n; i++) {
        if (read_file(prose.paths[i], &raw) != 0)
            continue;   /* an unreadable page only makes the pool smaller */
        gen_text_add_troff(text, raw.data ? raw.data : "", raw.len);
    }
    text->files = seeds.n + prose.n;
    if (!text->policy.n || !text->prose.n || !text->headings.n || !text->clauses.n) {
        snprintf(err, errlen, "too little text: %zu policy sentences, %zu headings, %zu prose "
                 "sentences", text->policy.n, text->headings.n, text->prose.n);
        goto out;
    }
    rc = 0;
out:
    path_list_release(&seeds);
    path_list_release(&prose);
    gen_buf_release(&raw);
    gen_buf_release(&simplified);
    return rc;
}

void gen_text_release(gen_text_t *text)
{
    if (!text)
        return;
    gen_pool_release(&text->policy);
    gen_pool_release(&text->headings);
    gen_pool_release(&text->prose);
    gen_pool_release(&text->clauses);
}
