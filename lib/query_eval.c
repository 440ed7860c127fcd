/* The parsed query against the analyzer and the passages: normalizing its leaves into
 * match keys, and evaluating the whole tree exactly against one passage. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bytefind.h"
#include "query.h"
#include "utf8.h"
#include "zhsearch/analyzer.h"

static const char *leaf_text(const zhs_qnode_t *n)
{
    return n->norm ? n->norm : n->text ? n->text : "";
}

/* ------------------------------------------------------------ analysis */

static zhs_status_t analyze_leaf(zhs_qnode_t *n, zhs_error_t *err)
{
    if (n->kind == ZHS_QN_FILTER && n->field == ZHS_QF_YEAR)
        return ZHS_OK;
    zhs_normalized_t norm;
    zhs_status_t st = zhs_normalize(n->text, strlen(n->text), 0, &norm, err);
    if (st != ZHS_OK)
        return st;
    n->norm = strdup(norm.text);
    zhs_normalized_release(&norm);
    if (!n->norm)
        return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory analyzing query");
    if (n->kind == ZHS_QN_FILTER)
        return ZHS_OK;
    return zhs_match_key(n->norm, strlen(n->norm), &n->key, err);
}

/* Analyzes n; *keep false when n is to be dropped (no searchable run left). */
static zhs_status_t analyze(zhs_qnode_t *n, bool *keep, zhs_error_t *err)
{
    *keep = true;
    if (n->kind == ZHS_QN_TERM || n->kind == ZHS_QN_PHRASE || n->kind == ZHS_QN_FILTER) {
        zhs_status_t st = analyze_leaf(n, err);
        if (st != ZHS_OK)
            return st;
        if (n->kind == ZHS_QN_FILTER)
            *keep = n->field == ZHS_QF_YEAR || n->norm[0] != '\0';
        else
            *keep = n->key[0] != '\0';
        return ZHS_OK;
    }
    size_t out = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        bool k;
        zhs_status_t st = analyze(n->kids[i], &k, err);
        if (st != ZHS_OK) {
            /* Keep the tree consistent for zhs_qnode_free. */
            for (size_t j = i; j < n->nkids; j++)
                n->kids[out++] = n->kids[j];
            n->nkids = out;
            return st;
        }
        if (k)
            n->kids[out++] = n->kids[i];
        else
            zhs_qnode_free(n->kids[i]);
    }
    n->nkids = out;
    *keep = out > 0;
    return ZHS_OK;
}

/* Replaces AND/OR nodes left with one child by that child. */
static zhs_qnode_t *collapse(zhs_qnode_t *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        n->kids[i] = collapse(n->kids[i]);
    if ((n->kind == ZHS_QN_AND || n->kind == ZHS_QN_OR) && n->nkids == 1) {
        zhs_qnode_t *only = n->kids[0];
        n->nkids = 0;
        zhs_qnode_free(n);
        return only;
    }
    return n;
}

zhs_status_t zhs_qnode_analyze(zhs_qnode_t **root, zhs_error_t *err)
{
    if (!*root)
        return ZHS_OK;
    bool keep;
    zhs_status_t st = analyze(*root, &keep, err);
    if (st != ZHS_OK)
        return st;
    if (!keep) {
        zhs_qnode_free(*root);
        *root = NULL;
        return ZHS_OK;
    }
    *root = collapse(*root);
    return ZHS_OK;
}

/* ------------------------------------------------------------ exact evaluation */

bool zhs_filter_name_matches(const char *value, const char *name)
{
    if (strcmp(value, name) == 0)
        return true;
    static const char shi[] = "\xE5\xB8\x82";   /* 市 */
    return strncmp(name, shi, 3) == 0 && strncmp(value, shi, 3) != 0 &&
           strcmp(name + 3, value) == 0;
}

static bool any_name_matches(const char *value, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && zhs_filter_name_matches(value, names[i]))
            return true;
    return false;
}

static bool eval_filter(const zhs_qnode_t *n, const zhs_passage_view_t *p)
{
    if (n->prefiltered)
        return true;
    switch (n->field) {
    case ZHS_QF_DEPT:
        return any_name_matches(leaf_text(n), p->depts, p->ndepts);
    case ZHS_QF_ISSUER:
        return any_name_matches(leaf_text(n), p->issuers, p->nissuers);
    case ZHS_QF_SECTION:
        return p->section && zhs_filter_name_matches(leaf_text(n), p->section);
    case ZHS_QF_YEAR:
        return zhs_year_range_contains(&n->years, p->year);
    }
    return false;
}

bool zhs_qnode_eval(const zhs_qnode_t *n, const zhs_passage_view_t *p)
{
    switch (n->kind) {
    case ZHS_QN_TERM:
    case ZHS_QN_PHRASE:
        if (!n->key || !p->key)
            return false;
        size_t len = p->key_len ? p->key_len : strlen(p->key);
        /* A quoted phrase is always exact. */
        if (p->relax_window && n->kind == ZHS_QN_TERM)
            return zhs_key_near(p->key, len, n->key, p->relax_window);
        return zhs_key_contains_n(p->key, len, n->key);
    case ZHS_QN_FILTER:
        return eval_filter(n, p);
    case ZHS_QN_NOT:
        return !zhs_qnode_eval(n->kids[0], p);
    case ZHS_QN_AND:
        for (size_t i = 0; i < n->nkids; i++)
            if (!zhs_qnode_eval(n->kids[i], p))
                return false;
        return true;
    case ZHS_QN_OR:
        for (size_t i = 0; i < n->nkids; i++)
            if (zhs_qnode_eval(n->kids[i], p))
                return true;
        return false;
    }
    return false;
}

/* ------------------------------------------------------------ relaxed matching */

bool zhs_key_word_at(const char *s, size_t n, size_t i)
{
    uint32_t cp;
    if (i >= n || !utf8_decode((const unsigned char *)s + i, n - i, &cp))
        return false;
    return cp != ' ' && !zhs_is_han(cp);
}

bool zhs_key_word_before(const char *s, size_t i)
{
    if (i == 0)
        return false;
    size_t j = i - 1;
    while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
        j--;
    return zhs_key_word_at(s, i, j);
}

typedef zhs_key_unit_t unit_t;

/* The unit starting at key[i] (a Han character, a word, or a space) into *u; returns
 * the offset after it. */
static size_t key_units_at(const char *key, size_t n, size_t i, unit_t *u)
{
    uint32_t cp = 0;
    size_t len = utf8_decode((const unsigned char *)key + i, n - i, &cp);
    if (!len)
        len = 1;
    if (cp == ' ' || zhs_is_han(cp)) {
        *u = (unit_t){key + i, len, false};
        return i + len;
    }
    size_t j = i;
    while (j < n && zhs_key_word_at(key, n, j))
        j += utf8_lead_len((unsigned char)key[j]);
    if (j == i)
        j = i + len;
    *u = (unit_t){key + i, j - i, true};
    return j;
}

/* Splits a key into its units (spaces dropped). At most max units. */
static size_t key_units(const char *key, unit_t *u, size_t max)
{
    size_t n = strlen(key), nu = 0;
    for (size_t i = 0; i < n && nu < max;) {
        size_t next = key_units_at(key, n, i, &u[nu]);
        if (key[i] != ' ')
            nu++;
        i = next;
    }
    return nu;
}

/* The first occurrence of u in hay (n bytes) starting at or after from and ending by
 * limit (a whole word for a word unit: the bytes after it are read up to n). */
static const char *unit_find(const char *hay, size_t n, size_t from, size_t limit,
                             const unit_t *u)
{
    while (from < limit) {
        const char *hit = zhs_find_bytes(hay + from, limit - from, u->s, u->n);
        if (!hit)
            return NULL;
        size_t at = (size_t)(hit - hay);
        if (!u->word || (!zhs_key_word_before(hay, at) && !zhs_key_word_at(hay, n, at + u->n)))
            return hit;
        from = at + 1;
    }
    return NULL;
}

/* The offset where the max units (Han characters, words; spaces not counted) starting at
 * s[i] end, or n when fewer follow. */
static size_t units_end(const char *s, size_t n, size_t i, size_t max)
{
    unit_t u[1];
    for (size_t count = 0; i < n && count < max;) {
        /* U+4E00..U+9FFF, most of a key, without decoding: E4 B8.. to E9 BF BF. */
        unsigned char lead = (unsigned char)s[i];
        if (i + 3 <= n && ((lead >= 0xE5 && lead <= 0xE9) ||
                           (lead == 0xE4 && (unsigned char)s[i + 1] >= 0xB8))) {
            count++;
            i += 3;
            continue;
        }
        size_t k = key_units_at(s, n, i, u);
        count += s[i] != ' ';
        i = k > i ? k : i + 1;
    }
    return i;
}

void zhs_near_word_init(zhs_near_word_t *w, const char *needle, size_t window)
{
    w->nunits = key_units(needle, w->units, ZHS_NEAR_MAX_UNITS);
    w->window = window;
}

bool zhs_near_word_next(const zhs_near_word_t *w, const char *hay, size_t n, size_t from,
                        size_t *unit_at)
{
    const unit_t *u = w->units;
    size_t nu = w->nunits;
    if (nu == 0)
        return false;
    size_t limit = w->window * nu;
    /* From each occurrence of the first unit, the others in order, each the first one
     * after the last, all within the limit's units: the shortest match from there.
     * Searching only up to that end (rather than to the end of the passage, and then
     * measuring the match) keeps a long passage from being read again for every
     * occurrence of the first unit. */
    for (const char *first = unit_find(hay, n, from, n, &u[0]); first;
         first = unit_find(hay, n, (size_t)(first - hay) + 1, n, &u[0])) {
        size_t at0 = (size_t)(first - hay), stop = units_end(hay, n, at0, limit);
        size_t at = at0 + u[0].n;
        size_t k = 1;
        for (const char *hit; k < nu && (hit = unit_find(hay, n, at, stop, &u[k])); k++) {
            if (unit_at)
                unit_at[k] = (size_t)(hit - hay);
            at = (size_t)(hit - hay) + u[k].n;
        }
        if (k == nu) {
            if (unit_at)
                unit_at[0] = at0;
            return true;
        }
    }
    return false;
}

bool zhs_near_word_in(const zhs_near_word_t *w, const char *hay, size_t n)
{
    return zhs_near_word_next(w, hay, n, 0, NULL);
}

bool zhs_key_near(const char *hay, size_t n, const char *needle, size_t window)
{
    zhs_near_word_t w;
    zhs_near_word_init(&w, needle, window);
    return zhs_near_word_in(&w, hay, n);
}
