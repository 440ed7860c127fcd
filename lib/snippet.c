/* Highlighting: finds the query's match keys in the normalized form of an original
 * text, maps every occurrence back to the original bytes through the normalizer's
 * offset map, picks the snippet window with the densest cluster of matches and writes
 * escaped HTML with <mark> tags. Traditional text stays Traditional: only offsets cross
 * from the normalized form to the original. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytefind.h"
#include "query.h"
#include "snippet.h"
#include "textbuf.h"
#include "utf8.h"
#include "zhsearch/analyzer.h"

/* ------------------------------------------------------------ keyed text */

typedef struct {
    zhs_keyed_t *k;
    size_t cap;
    size_t prev_end;     /* normalized byte offset just past the previous piece */
    bool oom;
} keyed_build_t;

static bool keyed_push(keyed_build_t *b, const char *bytes, size_t n, size_t ns, size_t ne)
{
    zhs_keyed_t *k = b->k;
    if (k->nbytes + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < k->nbytes + n + 1)
            cap *= 2;
        char *key = realloc(k->key, cap);
        if (key)
            k->key = key;
        size_t *s = realloc(k->nstart, cap * sizeof *s);
        if (s)
            k->nstart = s;
        size_t *e = realloc(k->nend, cap * sizeof *e);
        if (e)
            k->nend = e;
        if (!key || !s || !e)
            return false;
        b->cap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        k->key[k->nbytes] = bytes[i];
        k->nstart[k->nbytes] = ns;
        k->nend[k->nbytes] = ne;
        k->nbytes++;
    }
    k->key[k->nbytes] = '\0';
    return true;
}

/* One piece per Han character (its unigram) and per word, as zhs_match_key joins them:
 * a space where anything separated two pieces, nothing where they touch. */
static int keyed_token(void *ctx, const zhs_token_t *tok)
{
    keyed_build_t *b = ctx;
    if (tok->kind == ZHS_TOKEN_BIGRAM)
        return 0;
    if (b->k->nbytes > 0 && tok->start != b->prev_end &&
        !keyed_push(b, " ", 1, b->prev_end, tok->start)) {
        b->oom = true;
        return 1;
    }
    if (!keyed_push(b, tok->term, tok->nbytes, tok->start, tok->start + tok->nbytes)) {
        b->oom = true;
        return 1;
    }
    b->prev_end = tok->start + tok->nbytes;
    return 0;
}

zhs_status_t zhs_keyed_build(const char *norm, size_t nbytes, zhs_keyed_t *out,
                             zhs_error_t *err)
{
    memset(out, 0, sizeof *out);
    keyed_build_t b = {.k = out};
    /* The key is no longer than the text (a space stands for at least a byte of it,
     * the pieces are its own bytes): sized once, not grown a few times per passage
     * (keyed_push still grows it if a piece ever were longer). */
    out->key = malloc(nbytes + 1);
    out->nstart = malloc((nbytes + 1) * sizeof *out->nstart);
    out->nend = malloc((nbytes + 1) * sizeof *out->nend);
    if (out->key && out->nstart && out->nend)
        b.cap = nbytes + 1;
    if (!b.cap || !keyed_push(&b, "", 0, 0, 0)) {
        zhs_keyed_release(out);
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory building a match key");
    }
    zhs_tokenize(norm, nbytes, keyed_token, &b);
    if (b.oom) {
        zhs_keyed_release(out);
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory building a match key");
    }
    return ZHS_OK;
}

void zhs_keyed_release(zhs_keyed_t *k)
{
    if (!k)
        return;
    free(k->key);
    free(k->nstart);
    free(k->nend);
    memset(k, 0, sizeof *k);
}

/* ------------------------------------------------------------ finding matches */

typedef struct {
    zhs_span_t *v;
    size_t n;
    size_t cap;
} spans_t;

static bool spans_push(spans_t *s, zhs_span_t sp)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        zhs_span_t *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return false;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = sp;
    return true;
}

/* Adds every occurrence of needle in the keyed text, as original byte spans. */
static bool find_key(const zhs_keyed_t *k, const zhs_normalized_t *norm, const char *needle,
                     size_t key_index, spans_t *out)
{
    size_t nlen = strlen(needle);
    if (nlen == 0 || nlen > k->nbytes)
        return true;
    bool word_first = zhs_key_word_at(needle, nlen, 0);
    bool word_last = zhs_key_word_before(needle, nlen);
    const char *hay = k->key;
    for (size_t i = 0; i + nlen <= k->nbytes;) {
        const char *hit = zhs_find_bytes(hay + i, k->nbytes - i, needle, nlen);
        if (!hit)
            break;
        size_t at = (size_t)(hit - hay), end = at + nlen;
        /* A word at an edge of the needle must be a whole word of the text. */
        bool ok = !(word_first && zhs_key_word_before(hay, at)) &&
                  !(word_last && zhs_key_word_at(hay, k->nbytes, end));
        if (ok) {
            size_t na = k->nstart[at], nb = k->nend[end - 1];
            zhs_span_t sp = {norm->src_start[na], norm->src_end[nb - 1], key_index};
            if (!spans_push(out, sp))
                return false;
        }
        i = at + utf8_lead_len((unsigned char)hay[at]);
    }
    return true;
}

/* Is every character of the key a Han character? Such a key occurs in the keyed text
 * exactly where its bytes occur in the normalized text (the characters of a Han run
 * touch there and in the key alike, and no word edge applies), so it is found without
 * building the keyed text: most of a snippet's cost. */
static bool key_all_han(const char *key)
{
    size_t n = strlen(key);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode((const unsigned char *)key + i, n - i, &cp);
        if (!len || !zhs_is_han(cp))
            return false;
        i += len;
    }
    return n > 0;
}

/* find_key for a key of Han characters only, in the normalized text itself. */
static bool find_han_key(const zhs_normalized_t *norm, const char *needle, size_t key_index,
                         spans_t *out)
{
    size_t nlen = strlen(needle);
    for (size_t i = 0; i + nlen <= norm->nbytes;) {
        const char *hit = zhs_find_bytes(norm->text + i, norm->nbytes - i, needle, nlen);
        if (!hit)
            break;
        size_t at = (size_t)(hit - norm->text);
        zhs_span_t sp = {norm->src_start[at], norm->src_end[at + nlen - 1], key_index};
        if (!spans_push(out, sp))
            return false;
        i = at + utf8_lead_len((unsigned char)norm->text[at]);
    }
    return true;
}

static int span_cmp(const void *a, const void *b)
{
    const zhs_span_t *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* Joins overlapping and touching spans of a sorted list, in place. */
static size_t spans_merge(zhs_span_t *v, size_t n)
{
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (out > 0 && v[i].start <= v[out - 1].end) {
            if (v[i].end > v[out - 1].end)
                v[out - 1].end = v[i].end;
        } else {
            v[out++] = v[i];
        }
    }
    return out;
}

/* Adds the spans of near key i: every unit (character or word) of each of the word's
 * near occurrences in the keyed text (the ones the match found it by), as original
 * byte spans. */
static bool add_near_units(const zhs_keyed_t *k, const zhs_normalized_t *norm,
                           const zhs_marks_t *marks, size_t i, spans_t *out)
{
    zhs_near_word_t w;
    zhs_near_word_init(&w, marks->keys[i], marks->near_window);
    size_t at[ZHS_NEAR_MAX_UNITS], from = 0;
    while (zhs_near_word_next(&w, k->key, k->nbytes, from, at)) {
        for (size_t u = 0; u < w.nunits; u++) {
            size_t a = at[u], b = at[u] + w.units[u].n;
            zhs_span_t sp = {norm->src_start[k->nstart[a]], norm->src_end[k->nend[b - 1] - 1], i};
            if (!spans_push(out, sp))
                return false;
        }
        from = at[0] + utf8_lead_len((unsigned char)k->key[at[0]]);
    }
    return true;
}

zhs_status_t zhs_marks_find(const char *text, size_t nbytes, const zhs_marks_t *marks,
                            bool merge, zhs_span_t **spans, size_t *nspans, zhs_error_t *err)
{
    *spans = NULL;
    *nspans = 0;
    zhs_normalized_t norm;
    zhs_status_t st = zhs_normalize(text, nbytes, ZHS_NORM_OFFSETS, &norm, err);
    if (st != ZHS_OK)
        return st;
    const char *const *keys = marks->keys;
    bool all_han = true, any_near = false;
    for (size_t i = 0; i < marks->nkeys; i++) {
        all_han = all_han && (!keys[i] || key_all_han(keys[i]));
        any_near = any_near || (marks->near && marks->near[i]);
    }
    /* Near occurrences are found in the keyed text, as the match found them. */
    bool keyed = !all_han || any_near;
    zhs_keyed_t k = {0};
    if (keyed && (st = zhs_keyed_build(norm.text, norm.nbytes, &k, err)) != ZHS_OK) {
        zhs_normalized_release(&norm);
        return st;
    }
    spans_t out = {0};
    for (size_t i = 0; i < marks->nkeys && st == ZHS_OK; i++) {
        bool ok = !keys[i]                      ? true
                  : marks->near && marks->near[i] ? add_near_units(&k, &norm, marks, i, &out)
                  : all_han                     ? find_han_key(&norm, keys[i], i, &out)
                                                : find_key(&k, &norm, keys[i], i, &out);
        if (!ok)
            st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory highlighting");
    }
    zhs_keyed_release(&k);
    zhs_normalized_release(&norm);
    if (st != ZHS_OK) {
        free(out.v);
        return st;
    }
    if (out.n > 1)
        qsort(out.v, out.n, sizeof *out.v, span_cmp);
    if (merge)
        out.n = spans_merge(out.v, out.n);
    if (out.n == 0) {
        free(out.v);
        out.v = NULL;
    }
    *spans = out.v;
    *nspans = out.n;
    return ZHS_OK;
}

/* ------------------------------------------------------------ HTML */

static void put_escaped(zhs_textbuf_t *out, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        zhs_textbuf_put(out, s + run, i - run);
        zhs_textbuf_puts(out, rep);
        run = i + 1;
    }
    zhs_textbuf_put(out, s + run, n - run);
}

/* Writes text[a, b) with the parts of spans inside it marked. */
static void put_marked(zhs_textbuf_t *out, const char *text, size_t a, size_t b,
                       const zhs_span_t *spans, size_t nspans)
{
    size_t at = a;
    for (size_t i = 0; i < nspans; i++) {
        size_t s = spans[i].start < a ? a : spans[i].start;
        size_t e = spans[i].end > b ? b : spans[i].end;
        if (s >= e || s < at)
            continue;
        put_escaped(out, text + at, s - at);
        zhs_textbuf_puts(out, "<mark>");
        put_escaped(out, text + s, e - s);
        zhs_textbuf_puts(out, "</mark>");
        at = e;
    }
    put_escaped(out, text + at, b - at);
}

/* The written text into *out, or the error when memory ran out. */
static zhs_status_t html_done(zhs_textbuf_t *html, char **out, zhs_error_t *err)
{
    if (!(*out = zhs_textbuf_take(html, NULL)))
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory writing HTML");
    return ZHS_OK;
}

zhs_status_t zhs_marks_html(const char *text, size_t nbytes, const zhs_span_t *spans,
                            size_t nspans, char **out, zhs_error_t *err)
{
    zhs_textbuf_t html = {0};
    *out = NULL;
    put_marked(&html, text, 0, nbytes, spans, nspans);
    return html_done(&html, out, err);
}

/* ------------------------------------------------------------ snippet window */

/* Character index of byte offset b (the character containing it) in the sorted table
 * of character starts cb[0..nch]. */
static size_t char_index(const size_t *cb, size_t nch, size_t b)
{
    size_t lo = 0, hi = nch;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (cb[mid] <= b)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

typedef struct {
    size_t first, last;   /* character window [first, last) */
} window_t;

/* The required part of the query the span's key satisfies (see zhs_marks_t). */
static size_t need_of(const zhs_marks_t *marks, const zhs_span_t *sp)
{
    return marks->need ? (size_t)marks->need[sp->key] : sp->key;
}

/* The parts (as bits, need % 64) of the spans wholly inside window w. */
static uint64_t needs_within(const size_t *cb, size_t nch, const zhs_span_t *m, size_t nm,
                             const zhs_marks_t *marks, window_t w)
{
    uint64_t in = 0;
    for (size_t j = 0; j < nm; j++)
        if (char_index(cb, nch, m[j].start) >= w.first &&
            char_index(cb, nch, m[j].end - 1) < w.last)
            in |= UINT64_C(1) << (need_of(marks, &m[j]) % 64);
    return in;
}

/* The window of nchars characters around the densest cluster of the spans m whose part
 * is not in skip: most parts first, then most distinct keys, then most matches, the
 * earliest on ties; the cluster is placed a third of the free room from the window's
 * left edge. {0, 0} when no span is left. */
static window_t choose_window(const size_t *cb, size_t nch, const zhs_span_t *m, size_t nm,
                              const zhs_marks_t *marks, uint64_t skip, size_t nchars)
{
    window_t w = {0, 0};
    size_t best_i = nm, best_end = 0, best_needs = 0, best_keys = 0, best_count = 0;
    for (size_t i = 0; i < nm; i++) {
        if (skip >> (need_of(marks, &m[i]) % 64) & 1)
            continue;
        size_t cs = char_index(cb, nch, m[i].start);
        size_t limit = cs + nchars, end = 0, count = 0, nkeys = 0, nneeds = 0;
        uint64_t seen = 0, needs = 0;
        for (size_t j = i; j < nm; j++) {
            if (char_index(cb, nch, m[j].start) >= limit)
                break;
            uint64_t need = UINT64_C(1) << (need_of(marks, &m[j]) % 64);
            size_t ce = char_index(cb, nch, m[j].end - 1) + 1;
            if ((skip & need) || (ce > limit && j > i))
                continue;   /* a later, shorter match may still fit */
            if (ce > end)
                end = ce;
            count++;
            uint64_t bit = UINT64_C(1) << (m[j].key % 64);
            nkeys += !(seen & bit);
            seen |= bit;
            nneeds += !(needs & need);
            needs |= need;
        }
        if (best_i == nm || nneeds > best_needs ||
            (nneeds == best_needs &&
             (nkeys > best_keys || (nkeys == best_keys && count > best_count)))) {
            best_i = i;
            best_end = end;
            best_needs = nneeds;
            best_keys = nkeys;
            best_count = count;
        }
    }
    if (best_i == nm)
        return w;
    size_t cs = char_index(cb, nch, m[best_i].start);
    size_t span = best_end - cs;
    size_t lead = span >= nchars ? 0 : (nchars - span) / 3;
    size_t first = cs > lead ? cs - lead : 0;
    if (first + nchars > nch)
        first = nch > nchars ? nch - nchars : 0;
    w.first = first;
    w.last = first + nchars;
    return w;
}

/* A snippet is cut into at most this many fragments, each of at least
 * FRAGMENT_MIN_CHARS characters. */
#define MAX_FRAGMENTS 3
#define FRAGMENT_MIN_CHARS 20

/* Up to k windows sharing nchars: the best one, then the best one of the parts those
 * before it lack, and so on, in text order, a window that overlaps or touches another
 * joined to it. Returns how many. */
static size_t split_windows(const size_t *cb, size_t nch, const zhs_span_t *m, size_t nm,
                            const zhs_marks_t *marks, size_t nchars, size_t k, window_t *w)
{
    uint64_t shown = 0;
    size_t n = 0;
    for (size_t i = 0; i < k; i++) {
        size_t len = nchars / k + (i < nchars % k);
        window_t x = choose_window(cb, nch, m, nm, marks, shown, len);
        if (x.last == 0)
            break;
        shown |= needs_within(cb, nch, m, nm, marks, x);
        size_t at = 0;
        while (at < n && w[at].first <= x.first)
            at++;
        if (at > 0 && w[at - 1].last >= x.first) {
            at--;
            if (x.last > w[at].last)
                w[at].last = x.last;
        } else {
            memmove(&w[at + 1], &w[at], (n - at) * sizeof *w);
            w[at] = x;
            n++;
        }
        while (at + 1 < n && w[at].last >= w[at + 1].first) {
            if (w[at + 1].last > w[at].last)
                w[at].last = w[at + 1].last;
            memmove(&w[at + 1], &w[at + 2], (n - at - 2) * sizeof *w);
            n--;
        }
    }
    return n;
}

/* The snippet's windows (*nw of them): one of nchars, or, when it lacks a part of the
 * query the text holds, the fewest fragments (up to MAX_FRAGMENTS) that show every part
 * the text holds, else those of the last split that showed more than one window. */
static void choose_windows(const size_t *cb, size_t nch, const zhs_span_t *m, size_t nm,
                           const zhs_marks_t *marks, size_t nchars,
                           window_t w[MAX_FRAGMENTS], size_t *nw)
{
    *nw = 1;
    w[0] = (window_t){0, nchars};
    if (nm == 0)
        return;
    w[0] = choose_window(cb, nch, m, nm, marks, 0, nchars);
    uint64_t all = 0;
    for (size_t j = 0; j < nm; j++)
        all |= UINT64_C(1) << (need_of(marks, &m[j]) % 64);
    uint64_t best = needs_within(cb, nch, m, nm, marks, w[0]);
    window_t v[MAX_FRAGMENTS];
    for (size_t k = 2; best != all && k <= MAX_FRAGMENTS && nchars / k >= FRAGMENT_MIN_CHARS;
         k++) {
        size_t n = split_windows(cb, nch, m, nm, marks, nchars, k, v);
        uint64_t shown = 0;
        for (size_t i = 0; i < n; i++)
            shown |= needs_within(cb, nch, m, nm, marks, v[i]);
        /* Cut only for more parts than the fewer fragments showed. */
        if (n < 2 || __builtin_popcountll(shown) <= __builtin_popcountll(best))
            continue;
        memcpy(w, v, n * sizeof *v);
        *nw = n;
        best = shown;
    }
}

zhs_status_t zhs_snippet_make(const char *text, size_t nbytes, const zhs_marks_t *marks,
                              unsigned nchars, char **out, zhs_error_t *err)
{
    *out = NULL;
    zhs_span_t *m = NULL, *merged = NULL;
    size_t nm = 0, nmerged = 0;
    size_t *cb = NULL;
    zhs_status_t st = zhs_marks_find(text, nbytes, marks, false, &m, &nm, err);
    if (st != ZHS_OK)
        return st;
    if (nm && !(merged = malloc(nm * sizeof *merged))) {
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory making a snippet");
        goto done;
    }
    if (nm)
        memcpy(merged, m, nm * sizeof *m);
    nmerged = spans_merge(merged, nm);

    /* Character starts: cb[k] is the byte offset of character k, cb[nch] = nbytes. */
    if (!(cb = malloc((nbytes + 1) * sizeof *cb))) {
        st = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory making a snippet");
        goto done;
    }
    size_t nch = 0;
    for (size_t i = 0; i < nbytes; i += utf8_lead_len((unsigned char)text[i]))
        cb[nch++] = i;
    cb[nch] = nbytes;

    window_t w[MAX_FRAGMENTS] = {{0, nch}};
    size_t nw = 1;
    if (nch > nchars)
        choose_windows(cb, nch, m, nm, marks, nchars, w, &nw);
    zhs_textbuf_t html = {0};
    for (size_t k = 0; k < nw; k++) {
        if (w[k].first > (k ? w[k - 1].last : 0))
            zhs_textbuf_puts(&html, "…");
        put_marked(&html, text, cb[w[k].first], cb[w[k].last], merged, nmerged);
    }
    if (w[nw - 1].last < nch)
        zhs_textbuf_puts(&html, "…");
    st = html_done(&html, out, err);
done:
    free(cb);
    free(merged);
    free(m);
    return st;
}
