/* Compiles an analyzed query tree onto Xapian. The index has no positions, so a leaf
 * of several characters becomes the AND of its bigrams: a SUPERSET of the passages
 * holding it. The compiler therefore builds, for every node, a superset query (what
 * Xapian runs) and a subset query (what an exclusion may remove without losing a true
 * match); where the two differ the exact check (zhs_qnode_eval in a match decider)
 * settles it, so totals and facet counts stay exact. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search_internal.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/schema.h"

/* A compiled part: a query, or one of the trivial sets, or "everything except q". */
typedef enum { PART_Q, PART_ALL, PART_NONE, PART_NEG } part_kind_t;

typedef struct {
    part_kind_t kind;
    zhs_query_t *q;      /* PART_Q, PART_NEG; owned */
} part_t;

typedef struct {
    const zhs_rank_params_t *rank;
    zhs_searcher_t *relax;  /* NULL, or relaxed mode: its counts choose a word's rarest
                               characters */
    bool relaxed_marks;     /* words are highlighted as a relaxed run shows them */
    int nneeds;             /* the required parts of the query numbered so far */
    zhs_db_t *chars_db;     /* NULL, or the index a one-character word is weighed on
                               (zhs_query_char_weighted: its character lists, or the
                               wildcard where it has none) */
    bool need_decider;
    uint64_t word_matches;  /* passages the last relaxed word's characters' query matches
                               (zhs_key_filter_t.matched); UINT64_MAX: not known */
    zhs_error_t *err;
    zhs_status_t status;
} compiler_t;

static part_t part_of(part_kind_t kind)
{
    return (part_t){kind, NULL};
}

static void part_release(part_t *p)
{
    zhs_query_free(p->q);
    p->q = NULL;
}

static bool failed(compiler_t *c, zhs_query_t *q)
{
    if (q)
        return false;
    if (c->status == ZHS_OK)
        c->status = c->err && c->err->status ? c->err->status : ZHS_ERR_NOMEM;
    return true;
}

/* ------------------------------------------------------------ leaf terms */

typedef struct {
    zhs_token_t *v;
    size_t n;
    size_t cap;
    bool oom;
} tokens_t;

static int collect_token(void *ctx, const zhs_token_t *tok)
{
    tokens_t *t = ctx;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        zhs_token_t *v = realloc(t->v, cap * sizeof *v);
        if (!v) {
            t->oom = true;
            return 1;
        }
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n++] = *tok;
    return 0;
}

/* Is unigram i the only character of its Han run (no bigram touches it)? */
static bool solo_unigram(const tokens_t *t, size_t i)
{
    const zhs_token_t *u = &t->v[i];
    if (i > 0 && t->v[i - 1].kind == ZHS_TOKEN_BIGRAM &&
        t->v[i - 1].start + t->v[i - 1].nbytes == u->start + u->nbytes)
        return false;
    if (i + 1 < t->n && t->v[i + 1].kind == ZHS_TOKEN_BIGRAM && t->v[i + 1].start == u->start)
        return false;
    return true;
}

/* A relaxed word's query needs only to find a superset of its near matches (the decider
 * checks every character). Where the characters' lists are in memory (zhs_query_chars)
 * all of them: 某些人 4.5 -> 3.2 ms over 385,000 passages, 约束条件 2.7 -> 1.6 (fewer
 * candidates for the decider). Otherwise a character is the OR of the thousands of terms
 * it begins, and walking those of the common ones was most of a relaxed run: its
 * RELAX_KEEP_CHARS rarest characters (20 words in under 20 passages: 10.2 -> 5.5 ms on
 * average; the rarest character alone leaves the decider too many candidates). Same
 * matches. */
#define RELAX_KEEP_CHARS 2

static bool keep_rarest_chars(compiler_t *c, tokens_t *t)
{
    uint64_t freq[ZHS_QUERY_MAX_BYTES];
    size_t nchars = 0;
    if (t->n > ZHS_QUERY_MAX_BYTES || zhs_db_has_char_lists(c->relax->db))
        return true;    /* the first cannot happen: a token takes a byte of the query */
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].kind == ZHS_TOKEN_UNIGRAM) {
            freq[i] = 0;
            c->status = zhs_searcher_char_freq(c->relax, t->v[i].term, t->v[i].nbytes,
                                               &freq[i], c->err);
            if (c->status != ZHS_OK)
                return false;
            nchars++;
        }
    while (nchars > RELAX_KEEP_CHARS) {
        size_t commonest = t->n;
        for (size_t i = 0; i < t->n; i++)
            if (t->v[i].kind == ZHS_TOKEN_UNIGRAM &&
                (commonest == t->n || freq[i] > freq[commonest]))
                commonest = i;
        memmove(&t->v[commonest], &t->v[commonest + 1], (t->n - commonest - 1) * sizeof *t->v);
        memmove(&freq[commonest], &freq[commonest + 1], (t->n - commonest - 1) * sizeof *freq);
        t->n--;
        nchars--;
    }
    return true;
}

/* The terms a leaf needs: bigrams of its Han runs (the unigram of a one-character
 * run), its words; in relaxed mode every character and word. Duplicates dropped.
 * *exact: the single term's presence is the same as the leaf's occurrence. */
static bool leaf_terms(compiler_t *c, const char *norm, bool relaxed, tokens_t *out,
                       bool *exact)
{
    tokens_t all = {0};
    zhs_tokenize(norm, strlen(norm), collect_token, &all);
    if (all.oom) {
        free(all.v);
        c->status = zhs_error_set(c->err, ZHS_ERR_NOMEM, "out of memory compiling a query");
        return false;
    }
    size_t nhan = 0, nwords = 0, nruns = 0;
    out->n = 0;
    for (size_t i = 0; i < all.n; i++) {
        const zhs_token_t *tok = &all.v[i];
        bool solo = tok->kind == ZHS_TOKEN_UNIGRAM && solo_unigram(&all, i);
        if (tok->kind == ZHS_TOKEN_UNIGRAM) {
            nhan++;
            if (i == 0 || all.v[i - 1].kind != ZHS_TOKEN_BIGRAM)
                nruns++;
        } else if (tok->kind == ZHS_TOKEN_WORD) {
            nwords++;
        }
        bool want = relaxed ? tok->kind != ZHS_TOKEN_BIGRAM
                            : tok->kind != ZHS_TOKEN_UNIGRAM || solo;
        if (!want)
            continue;
        bool dup = false;
        for (size_t j = 0; j < out->n && !dup; j++)
            dup = out->v[j].nbytes == tok->nbytes &&
                  memcmp(out->v[j].term, tok->term, tok->nbytes) == 0;
        if (!dup && collect_token(out, tok) != 0) {
            free(all.v);
            c->status = zhs_error_set(c->err, ZHS_ERR_NOMEM, "out of memory compiling a query");
            return false;
        }
    }
    free(all.v);
    *exact = !relaxed && ((nwords == 1 && nhan == 0) || (nwords == 0 && nruns == 1 && nhan <= 2));
    return !relaxed || keep_rarest_chars(c, out);
}

/* For zhs_query_chars to keep the passages where a relaxed word stands near. */
static bool holds_near_word(void *ctx, const char *key, size_t nbytes)
{
    return zhs_near_word_in(ctx, key, nbytes);
}

/* AND of the terms, each with prefix. chars_from (may be NULL; prefix is then ""): a
 * relaxed word's characters are read from their lists (zhs_query_chars, no weight: the
 * word's own terms weigh its passages, see weigh_as_the_word) rather than walking
 * their terms, keeping only the passages where the word (near_key) stands near: the
 * decider would turn the others away one by one (most of a relaxed run's candidates,
 * 4,000 for 常用对数, are a passage holding the characters apart). */
static zhs_query_t *terms_query(compiler_t *c, const tokens_t *t, const char *prefix,
                                zhs_db_t *chars_from, const char *near_key)
{
    size_t plen = strlen(prefix);
    zhs_query_t **subs = calloc(t->n + 1, sizeof *subs);
    const char **chars = calloc(t->n + 1, sizeof *chars);
    size_t *char_bytes = calloc(t->n + 1, sizeof *char_bytes);
    zhs_query_t *q = NULL;
    size_t n = 0, nchars = 0;
    if (!subs || !chars || !char_bytes) {
        c->status = zhs_error_set(c->err, ZHS_ERR_NOMEM, "out of memory compiling a query");
        goto done;
    }
    for (size_t i = 0; i < t->n; i++) {
        const zhs_token_t *tok = &t->v[i];
        if (tok->kind == ZHS_TOKEN_UNIGRAM && chars_from) {
            chars[nchars] = tok->term;
            char_bytes[nchars++] = tok->nbytes;
            continue;
        }
        char term[ZHS_MAX_TERM_BYTES + 16];
        if (tok->nbytes + plen > ZHS_MAX_TERM_BYTES) {
            c->status = zhs_error_set(c->err, ZHS_ERR_BAD_QUERY, "a word of the query is "
                                      "longer than %d bytes", ZHS_MAX_TERM_BYTES);
            goto done;
        }
        memcpy(term, prefix, plen);
        memcpy(term + plen, tok->term, tok->nbytes);
        /* A character is indexed by the bigrams it starts, or its unigram at the end
         * of a run (schema.h): all terms it begins. */
        size_t tn = plen + tok->nbytes;
        if (tok->kind != ZHS_TOKEN_UNIGRAM)
            subs[n] = zhs_query_term(term, tn, 1, c->err);
        else if (plen == 0 && c->chars_db)
            subs[n] = zhs_query_char_weighted(c->chars_db, term, tn, c->rank->k1, c->rank->b,
                                              c->rank->min_normlen, c->err);
        else
            subs[n] = zhs_query_prefix(term, tn, c->err);
        if (failed(c, subs[n++]))
            goto done;
    }
    zhs_near_word_t near;
    if (near_key)
        zhs_near_word_init(&near, near_key, c->rank->relax_window);
    zhs_key_filter_t filter = {holds_near_word, &near, UINT64_MAX};
    if (nchars && failed(c, subs[n++] = zhs_query_chars(chars_from, chars, char_bytes, nchars,
                                                        near_key ? &filter : NULL, c->err)))
        goto done;
    if (nchars && near_key)
        c->word_matches = filter.matched;
    q = n == 1 ? subs[0] : zhs_query_combine(ZHS_QOP_AND, subs, n, c->err);
    if (n == 1)
        subs[0] = NULL;
    failed(c, q);
done:
    for (size_t i = 0; subs && i < n; i++)
        zhs_query_free(subs[i]);
    free(subs);
    free(chars);
    free(char_bytes);
    return q;
}

/* ------------------------------------------------------------ filters */

static zhs_query_t *or_of(compiler_t *c, zhs_query_t **subs, size_t n)
{
    zhs_query_t *q = n == 1 ? subs[0] : zhs_query_combine(ZHS_QOP_OR, subs, n, c->err);
    if (n == 1)
        subs[0] = NULL;
    for (size_t i = 0; i < n; i++)
        zhs_query_free(subs[i]);
    failed(c, q);
    return q;
}

/* Documents whose name term (prefix + value) matches value as zhs_filter_name_matches
 * does: the value itself, or with the `市` it left out. */
static zhs_query_t *name_query(compiler_t *c, const char *prefix, const char *value)
{
    static const char shi[] = "\xE5\xB8\x82";
    zhs_query_t *subs[2] = {NULL, NULL};
    size_t n = 0;
    char *term = NULL;
    for (int variant = 0; variant < 2; variant++) {
        if (variant == 1 && strncmp(value, shi, 3) == 0)
            break;
        int len = asprintf(&term, "%s%s%s", prefix, variant ? shi : "", value);
        if (len < 0) {
            c->status = zhs_error_set(c->err, ZHS_ERR_NOMEM, "out of memory compiling a query");
            break;
        }
        subs[n] = zhs_query_term(term, (size_t)len, 1, c->err);
        free(term);
        if (failed(c, subs[n]))
            break;
        n++;
    }
    if (c->status != ZHS_OK) {
        for (size_t i = 0; i < n; i++)
            zhs_query_free(subs[i]);
        return NULL;
    }
    return or_of(c, subs, n);
}

/* Years documents plausibly carry: in these, a year filter is the OR of `Y` terms
 * (posting lists, which Xapian intersects cheaply). */
#define YEAR_TERMS_FIRST 1900
#define YEAR_TERMS_LAST 2100

static zhs_query_t *year_values(compiler_t *c, int lo, int hi)
{
    char vlo[16], vhi[16];
    snprintf(vlo, sizeof vlo, "%04d", lo);
    snprintf(vhi, sizeof vhi, "%04d", hi);
    zhs_query_t *q = zhs_query_value_range(ZHS_SLOT_YEAR, vlo, vhi, c->err);
    failed(c, q);
    return q;
}

/* Years in [lo, hi] (0: an open end): `Y` terms within the plausible years, and beyond
 * them a range of the year slot (a value read per candidate; Xapian drops it when no
 * document has a year out there, by the slot's bounds). `unknown` sorts after every
 * year as a value, so it stays out of any range. A range as a whole was 5 times slower
 * on a common word: 14.6 -> 3 ms. */
static zhs_query_t *year_query(compiler_t *c, const zhs_year_range_t *r)
{
    int lo = r->lo, hi = r->hi ? r->hi : 9999;
    zhs_query_t *subs[YEAR_TERMS_LAST - YEAR_TERMS_FIRST + 3];
    size_t n = 0;
    int first = lo > YEAR_TERMS_FIRST ? lo : YEAR_TERMS_FIRST;
    int last = hi < YEAR_TERMS_LAST ? hi : YEAR_TERMS_LAST;
    for (int y = first; y <= last && c->status == ZHS_OK; y++) {
        char term[16];
        int len = snprintf(term, sizeof term, ZHS_PREFIX_YEAR "%d", y);
        if (!failed(c, subs[n] = zhs_query_term(term, (size_t)len, 1, c->err)))
            n++;
    }
    if (c->status == ZHS_OK && lo < YEAR_TERMS_FIRST &&
        (subs[n] = year_values(c, lo, hi < YEAR_TERMS_FIRST ? hi : YEAR_TERMS_FIRST - 1)))
        n++;
    if (c->status == ZHS_OK && hi > YEAR_TERMS_LAST &&
        (subs[n] = year_values(c, lo > YEAR_TERMS_LAST ? lo : YEAR_TERMS_LAST + 1, hi)))
        n++;
    if (c->status != ZHS_OK || n == 0) {
        for (size_t i = 0; i < n; i++)
            zhs_query_free(subs[i]);
        if (c->status == ZHS_OK)
            c->status = zhs_error_set(c->err, ZHS_ERR_BAD_QUERY, "year range %d..%d is empty",
                                      lo, hi);
        return NULL;
    }
    return or_of(c, subs, n);
}

static zhs_query_t *filter_query(compiler_t *c, zhs_qfield_t field, const char *norm,
                                 const zhs_year_range_t *years)
{
    switch (field) {
    case ZHS_QF_DEPT:
        return name_query(c, ZHS_PREFIX_DEPT, norm);
    case ZHS_QF_ISSUER:
        return name_query(c, ZHS_PREFIX_ISSUER, norm);
    case ZHS_QF_SECTION:
        return name_query(c, ZHS_PREFIX_SECTION, norm);
    case ZHS_QF_YEAR:
        if (years->unknown) {
            zhs_query_t *q = zhs_query_value_range(ZHS_SLOT_YEAR, ZHS_YEAR_UNKNOWN,
                                                   ZHS_YEAR_UNKNOWN, c->err);
            failed(c, q);
            return q;
        }
        return year_query(c, years);
    }
    return NULL;
}

/* ------------------------------------------------------------ superset / subset */

static part_t compile(compiler_t *c, zhs_qnode_t *n, bool superset);

/* A relaxed word's candidates (q, taken) weighted up by the word's own terms where they
 * all occur, so that its passages rank among themselves as in an exact run. */
static zhs_query_t *weigh_as_the_word(compiler_t *c, const zhs_qnode_t *n, zhs_query_t *q)
{
    tokens_t terms = {0};
    bool exact;
    zhs_query_t *word = leaf_terms(c, n->norm, false, &terms, &exact) && terms.n
                            ? terms_query(c, &terms, "", NULL, NULL)
                            : NULL;
    free(terms.v);
    if (!word)
        return q;
    zhs_query_t *pair[2] = {q, word};
    zhs_query_t *both = zhs_query_combine(ZHS_QOP_AND_MAYBE, pair, 2, c->err);
    zhs_query_free(q);
    zhs_query_free(word);
    failed(c, both);
    return both;
}

static part_t leaf(compiler_t *c, zhs_qnode_t *n, bool superset)
{
    if (n->kind == ZHS_QN_FILTER) {
        zhs_query_t *q = filter_query(c, n->field, n->norm, &n->years);
        if (!q)
            return part_of(PART_NONE);
        /* Filters add no weight. */
        zhs_query_t *scaled = zhs_query_scale(q, 0.0, c->err);
        zhs_query_free(q);
        failed(c, scaled);
        return (part_t){scaled ? PART_Q : PART_NONE, scaled};
    }
    tokens_t terms = {0};
    bool exact;
    /* Relaxed mode loosens words, never a quoted phrase. */
    if (!leaf_terms(c, n->norm, c->relax && n->kind == ZHS_QN_TERM, &terms, &exact))
        return part_of(PART_NONE);
    if (!exact)
        c->need_decider = true;
    if (!superset && !exact) {
        free(terms.v);
        return part_of(PART_NONE);
    }
    bool relaxed_word = c->relax && n->kind == ZHS_QN_TERM;
    zhs_query_t *q = relaxed_word ? terms_query(c, &terms, "", c->relax->db, n->key)
                                  : terms_query(c, &terms, "", NULL, NULL);
    free(terms.v);
    if (q && relaxed_word)
        q = weigh_as_the_word(c, n, q);
    return (part_t){q ? PART_Q : PART_NONE, q};
}

static part_t negate(part_t p)
{
    switch (p.kind) {
    case PART_ALL:
        return part_of(PART_NONE);
    case PART_NONE:
        return part_of(PART_ALL);
    case PART_NEG:
        return (part_t){PART_Q, p.q};
    case PART_Q:
        return (part_t){PART_NEG, p.q};
    }
    return p;
}

/* "everything except q" as a query. Takes p's query. */
static zhs_query_t *materialize_neg(compiler_t *c, part_t *p)
{
    zhs_query_t *all = zhs_query_match_all(c->err);
    zhs_query_t *q = NULL;
    if (!failed(c, all)) {
        zhs_query_t *subs[2] = {all, p->q};
        q = zhs_query_combine(ZHS_QOP_AND_NOT, subs, 2, c->err);
        failed(c, q);
    }
    zhs_query_free(all);
    part_release(p);
    return q;
}

static part_t combine_and(compiler_t *c, zhs_qnode_t *n, bool superset)
{
    zhs_query_t **pos = calloc(n->nkids, sizeof *pos), **neg = calloc(n->nkids, sizeof *neg);
    size_t npos = 0, nneg = 0;
    part_t out = part_of(PART_ALL);
    if (!pos || !neg) {
        c->status = zhs_error_set(c->err, ZHS_ERR_NOMEM, "out of memory compiling a query");
        out = part_of(PART_NONE);
        goto done;
    }
    bool none = false;
    for (size_t i = 0; i < n->nkids; i++) {
        part_t p = compile(c, n->kids[i], superset);
        if (p.kind == PART_Q)
            pos[npos++] = p.q;
        else if (p.kind == PART_NEG)
            neg[nneg++] = p.q;
        else if (p.kind == PART_NONE)
            none = true;
    }
    if (none || c->status != ZHS_OK) {
        out = part_of(PART_NONE);
        goto done;
    }
    zhs_query_t *pq = NULL, *nq = NULL;
    if (npos)
        pq = npos == 1 ? pos[0] : zhs_query_combine(ZHS_QOP_AND, pos, npos, c->err);
    if (npos == 1)
        pos[0] = NULL;
    if (nneg)
        nq = or_of(c, neg, nneg);
    nneg = 0;
    if (npos && failed(c, pq)) {
        zhs_query_free(nq);
        out = part_of(PART_NONE);
        goto done;
    }
    if (!npos && !nq)
        out = part_of(nneg || c->status != ZHS_OK ? PART_NONE : PART_ALL);
    else if (!nq)
        out = (part_t){PART_Q, pq};
    else if (!pq)
        out = (part_t){PART_NEG, nq};
    else {
        zhs_query_t *subs[2] = {pq, nq};
        zhs_query_t *q = zhs_query_combine(ZHS_QOP_AND_NOT, subs, 2, c->err);
        zhs_query_free(pq);
        zhs_query_free(nq);
        out = failed(c, q) ? part_of(PART_NONE) : (part_t){PART_Q, q};
    }
done:
    for (size_t i = 0; pos && i < npos; i++)
        zhs_query_free(pos[i]);
    for (size_t i = 0; neg && i < nneg; i++)
        zhs_query_free(neg[i]);
    free(pos);
    free(neg);
    return out;
}

static part_t combine_or(compiler_t *c, zhs_qnode_t *n, bool superset)
{
    zhs_query_t **subs = calloc(n->nkids, sizeof *subs);
    size_t nsubs = 0;
    bool all = false;
    if (!subs) {
        c->status = zhs_error_set(c->err, ZHS_ERR_NOMEM, "out of memory compiling a query");
        return part_of(PART_NONE);
    }
    for (size_t i = 0; i < n->nkids; i++) {
        part_t p = compile(c, n->kids[i], superset);
        if (p.kind == PART_ALL)
            all = true;
        else if (p.kind == PART_Q)
            subs[nsubs++] = p.q;
        else if (p.kind == PART_NEG && (subs[nsubs] = materialize_neg(c, &p)))
            nsubs++;
    }
    part_t out;
    if (c->status != ZHS_OK)
        out = part_of(PART_NONE);
    else if (all)
        out = part_of(PART_ALL);
    else if (nsubs == 0)
        out = part_of(PART_NONE);
    else {
        zhs_query_t *q = or_of(c, subs, nsubs);
        nsubs = 0;
        out = q ? (part_t){PART_Q, q} : part_of(PART_NONE);
    }
    for (size_t i = 0; i < nsubs; i++)
        zhs_query_free(subs[i]);
    free(subs);
    return out;
}

/* superset: a query matching at least every exact match of n; else (subset) at most
 * the exact matches. */
static part_t compile(compiler_t *c, zhs_qnode_t *n, bool superset)
{
    if (c->status != ZHS_OK)
        return part_of(PART_NONE);
    switch (n->kind) {
    case ZHS_QN_TERM:
    case ZHS_QN_PHRASE:
    case ZHS_QN_FILTER:
        return leaf(c, n, superset);
    case ZHS_QN_NOT:
        return negate(compile(c, n->kids[0], !superset));
    case ZHS_QN_AND:
        return combine_and(c, n, superset);
    case ZHS_QN_OR:
        return combine_or(c, n, superset);
    }
    return part_of(PART_NONE);
}

/* ------------------------------------------------------------ the whole query */

/* Filters that sit in the top-level conjunction are enforced by the query itself. */
static void mark_prefiltered(zhs_qnode_t *root)
{
    if (!root)
        return;
    if (root->kind == ZHS_QN_FILTER)
        root->prefiltered = true;
    if (root->kind == ZHS_QN_AND)
        for (size_t i = 0; i < root->nkids; i++)
            if (root->kids[i]->kind == ZHS_QN_FILTER)
                root->kids[i]->prefiltered = true;
}

/* Is there a filter the query does not enforce (and the exact check must evaluate),
 * of one of the given fields (any field when doc_fields is false)? */
static bool open_filter(const zhs_qnode_t *n, bool doc_fields)
{
    if (n->kind == ZHS_QN_FILTER)
        return !n->prefiltered &&
               (!doc_fields || n->field == ZHS_QF_ISSUER || n->field == ZHS_QF_YEAR);
    for (size_t i = 0; i < n->nkids; i++)
        if (open_filter(n->kids[i], doc_fields))
            return true;
    return false;
}

static bool add_key(compiler_t *c, zhs_compiled_t *out, const char *key, size_t n, int need,
                    bool near)
{
    const char **v = realloc(out->keys, (out->nkeys + 1) * sizeof *v);
    if (v)
        out->keys = v;
    int *needs = v ? realloc(out->need, (out->nkeys + 1) * sizeof *needs) : NULL;
    if (needs)
        out->need = needs;
    bool *nears = needs ? realloc(out->near, (out->nkeys + 1) * sizeof *nears) : NULL;
    if (nears)
        out->near = nears;
    char *copy = nears ? strndup(key, n) : NULL;
    if (!copy) {
        c->status = zhs_error_set(c->err, ZHS_ERR_NOMEM, "out of memory compiling a query");
        return false;
    }
    out->need[out->nkeys] = need;
    out->near[out->nkeys] = near;
    out->keys[out->nkeys++] = copy;
    return true;
}

/* The match keys to highlight: the positive text leaves (in relaxed mode a word leaf's
 * flagged near), each with the required part of the query it satisfies (need: an
 * AND's parts are each required, what stands under an OR satisfies the OR's; -1:
 * number it here). */
static void collect_keys(compiler_t *c, const zhs_qnode_t *n, bool negated, int need,
                         zhs_compiled_t *out)
{
    if (n->kind == ZHS_QN_NOT) {
        collect_keys(c, n->kids[0], !negated, need, out);
        return;
    }
    if (need < 0 && n->kind != ZHS_QN_AND)
        need = c->nneeds++;
    for (size_t i = 0; i < n->nkids; i++)
        collect_keys(c, n->kids[i], negated, need, out);
    if (negated || (n->kind != ZHS_QN_TERM && n->kind != ZHS_QN_PHRASE) || !n->key)
        return;
    /* A relaxed word is marked by the characters (and words) each of its near
     * occurrences is made of (see zhs_marks_t), an exact occurrence whole. */
    add_key(c, out, n->key, strlen(n->key), need, c->relaxed_marks && n->kind == ZHS_QN_TERM);
}

/* Could a title hold every one of the terms, as far as c's index tells (false when a
 * word or bigram is in no title; characters are not looked up)? A rare word is in no
 * title, and matching its title query for nothing cost a fifth of its search. */
static bool in_some_title(compiler_t *c, const tokens_t *t)
{
    for (size_t i = 0; c->chars_db && i < t->n; i++) {
        char term[ZHS_MAX_TERM_BYTES + 2];
        size_t plen = strlen(ZHS_PREFIX_TITLE);
        if (t->v[i].kind == ZHS_TOKEN_UNIGRAM || plen + t->v[i].nbytes > ZHS_MAX_TERM_BYTES)
            continue;
        memcpy(term, ZHS_PREFIX_TITLE, plen);
        memcpy(term + plen, t->v[i].term, t->v[i].nbytes);
        uint64_t freq = 1;
        if (zhs_db_termfreq(c->chars_db, term, plen + t->v[i].nbytes, &freq, NULL) == ZHS_OK &&
            freq == 0)
            return false;
    }
    return true;
}

/* The title query's parts: for each positive text leaf that can be in a title, the AND
 * of its title (`S`) terms. */
static void collect_title(compiler_t *c, const zhs_qnode_t *n, bool negated,
                          zhs_query_t ***subs, size_t *nsubs)
{
    if (c->status != ZHS_OK)
        return;
    if (n->kind == ZHS_QN_NOT) {
        collect_title(c, n->kids[0], !negated, subs, nsubs);
        return;
    }
    for (size_t i = 0; i < n->nkids; i++)
        collect_title(c, n->kids[i], negated, subs, nsubs);
    if (negated || (n->kind != ZHS_QN_TERM && n->kind != ZHS_QN_PHRASE))
        return;
    tokens_t terms = {0};
    bool exact;
    if (!leaf_terms(c, n->norm, false, &terms, &exact))
        return;
    zhs_query_t *q = terms.n && in_some_title(c, &terms)
                         ? terms_query(c, &terms, ZHS_PREFIX_TITLE, NULL, NULL)
                         : NULL;
    free(terms.v);
    if (!q)
        return;
    zhs_query_t **v = realloc(*subs, (*nsubs + 1) * sizeof *v);
    if (!v) {
        zhs_query_free(q);
        c->status = zhs_error_set(c->err, ZHS_ERR_NOMEM, "out of memory compiling a query");
        return;
    }
    *subs = v;
    v[(*nsubs)++] = q;
}

/* The title query, matched on its own before the search (see search.c): the OR over
 * the positive text leaves of the AND of their title terms. NULL when there is no boost:
 * a relaxed run, a weight of 0, no text leaf that can be in a title. */
static zhs_query_t *title_query(compiler_t *c, zhs_qnode_t *root)
{
    if (!root || c->rank->title_weight <= 0 || c->relax)
        return NULL;
    zhs_query_t **subs = NULL;
    size_t nsubs = 0;
    collect_title(c, root, false, &subs, &nsubs);
    zhs_query_t *title = NULL;
    if (c->status == ZHS_OK && nsubs) {
        title = or_of(c, subs, nsubs);
        nsubs = 0;
    }
    for (size_t i = 0; i < nsubs; i++)
        zhs_query_free(subs[i]);
    free(subs);
    return title;
}

/* The request's filter parameters: OR within a parameter, AND across. */
static zhs_query_t *request_filters(compiler_t *c, const zhs_search_request_t *req)
{
    const zhs_strlist_t *lists[] = {&req->dept, &req->issuer, &req->section, &req->year};
    const zhs_qfield_t fields[] = {ZHS_QF_DEPT, ZHS_QF_ISSUER, ZHS_QF_SECTION, ZHS_QF_YEAR};
    zhs_query_t *ands[4];
    size_t nands = 0;
    for (size_t l = 0; l < 4 && c->status == ZHS_OK; l++) {
        const zhs_strlist_t *list = lists[l];
        if (list->n == 0)
            continue;
        zhs_query_t **ors = calloc(list->n, sizeof *ors);
        size_t nors = 0;
        if (!ors) {
            c->status = zhs_error_set(c->err, ZHS_ERR_NOMEM, "out of memory compiling filters");
            break;
        }
        for (size_t i = 0; i < list->n && c->status == ZHS_OK; i++) {
            zhs_year_range_t years = {0};
            char *norm = NULL;
            if (fields[l] == ZHS_QF_YEAR) {
                zhs_error_t yerr = {0};
                if (zhs_year_range_parse(list->v[i], strlen(list->v[i]), &years, &yerr) !=
                    ZHS_OK) {
                    c->status = zhs_error_set(c->err, ZHS_ERR_BAD_ARG, "year: %s, not \"%s\"",
                                              yerr.message, list->v[i]);
                    break;
                }
            } else if ((c->status = zhs_normalize_str(list->v[i], &norm, c->err)) != ZHS_OK) {
                break;
            }
            zhs_query_t *q = filter_query(c, fields[l], norm, &years);
            free(norm);
            if (q)
                ors[nors++] = q;
        }
        zhs_query_t *q = c->status == ZHS_OK ? or_of(c, ors, nors) : NULL;
        if (c->status != ZHS_OK)
            for (size_t i = 0; i < nors; i++)
                zhs_query_free(ors[i]);
        free(ors);
        if (q)
            ands[nands++] = q;
    }
    zhs_query_t *out = NULL;
    if (c->status == ZHS_OK && nands > 1)
        failed(c, out = zhs_query_combine(ZHS_QOP_AND, ands, nands, c->err));
    if (c->status == ZHS_OK && nands == 1) {
        out = ands[0];
        nands = 0;
    }
    for (size_t i = 0; i < nands; i++)
        zhs_query_free(ands[i]);
    return out;
}

static bool is_synonym(const zhs_qnode_t *n)
{
    return n->synonym;
}

zhs_status_t zhs_compile(zhs_qnode_t *root, const zhs_search_request_t *req,
                         const zhs_rank_params_t *rank, zhs_searcher_t *s, bool relaxed,
                         zhs_compiled_t *out, zhs_error_t *err)
{
    memset(out, 0, sizeof *out);
    compiler_t c = {.rank = rank,
                    .relax = relaxed ? s : NULL,
                    .relaxed_marks = relaxed,
                    .chars_db = s ? s->db : NULL,
                    .word_matches = UINT64_MAX,
                    .err = err,
                    .status = ZHS_OK};
    mark_prefiltered(root);
    /* Only the exact check tells a widened query's matches of the words as asked (ranked
     * first) from those of their synonyms. */
    c.need_decider = zhs_qnode_any(root, is_synonym);
    part_t p = root ? compile(&c, root, true) : part_of(PART_ALL);
    zhs_query_t *main = NULL;
    if (c.status == ZHS_OK) {
        switch (p.kind) {
        case PART_Q:
            main = p.q;
            p.q = NULL;
            break;
        case PART_NEG:
            main = materialize_neg(&c, &p);
            break;
        case PART_ALL:
            failed(&c, main = zhs_query_match_all(err));
            break;
        case PART_NONE:
            /* Nothing can match (e.g. a year filter that excludes every year): a term
             * no document holds keeps the rest of the pipeline uniform. */
            failed(&c, main = zhs_query_term("\x01", 1, 1, err));
            break;
        }
    }
    part_release(&p);
    if (c.status == ZHS_OK)
        out->title = title_query(&c, root);
    zhs_query_t *filters = c.status == ZHS_OK && req ? request_filters(&c, req) : NULL;
    if (c.status == ZHS_OK && filters) {
        zhs_query_t *pair[2] = {main, filters};
        zhs_query_t *q = zhs_query_combine(ZHS_QOP_FILTER, pair, 2, err);
        if (!failed(&c, q)) {
            zhs_query_free(main);
            main = q;
        }
    }
    zhs_query_free(filters);
    if (c.status == ZHS_OK && root)
        collect_keys(&c, root, false, -1, out);
    out->near_window = rank->relax_window;
    out->query = main;
    out->need_decider = c.need_decider;
    out->need_filters = c.need_decider && root && open_filter(root, false);
    out->need_doc_record = c.need_decider && root && open_filter(root, true);
    /* The whole tree one word: its query matches only passages of its characters' list. */
    out->matches_at_most = relaxed && root && root->kind == ZHS_QN_TERM ? c.word_matches
                                                                        : UINT64_MAX;
    if (c.status != ZHS_OK) {
        zhs_compiled_release(out);
        return c.status;
    }
    return ZHS_OK;
}

zhs_status_t zhs_compile_marks(const zhs_qnode_t *root, const zhs_rank_params_t *rank,
                               bool relaxed, zhs_compiled_t *out, zhs_error_t *err)
{
    memset(out, 0, sizeof *out);
    compiler_t c = {.rank = rank, .relaxed_marks = relaxed, .err = err, .status = ZHS_OK};
    if (root)
        collect_keys(&c, root, false, -1, out);
    out->near_window = rank->relax_window;
    if (c.status != ZHS_OK)
        zhs_compiled_release(out);
    return c.status;
}

void zhs_compiled_release(zhs_compiled_t *c)
{
    if (!c)
        return;
    zhs_query_free(c->query);
    zhs_query_free(c->title);
    for (size_t i = 0; i < c->nkeys; i++)
        free((char *)c->keys[i]);
    free(c->keys);
    free(c->need);
    free(c->near);
    memset(c, 0, sizeof *c);
}

zhs_marks_t zhs_compiled_marks(const zhs_compiled_t *c)
{
    return (zhs_marks_t){c->keys, c->nkeys, c->need, c->near, c->near_window};
}
