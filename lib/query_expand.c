/* Widening an analyzed query with the synonyms of its words (see zhs_qnode_expand). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "query.h"

typedef struct {
    char *v[ZHS_SYNONYMS_PER_WORD];
    size_t n;
    bool oom;
} synonyms_t;

static int add_synonym(void *ctx, const char *synonym, size_t nbytes)
{
    synonyms_t *list = ctx;
    char *copy = malloc(nbytes + 1);
    if (!copy) {
        list->oom = true;
        return 1;
    }
    memcpy(copy, synonym, nbytes);
    copy[nbytes] = '\0';
    list->v[list->n++] = copy;
    return list->n == ZHS_SYNONYMS_PER_WORD;
}

static void synonyms_release(synonyms_t *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->v[i]);
    list->n = 0;
}

typedef struct {
    zhs_synonym_lookup_fn lookup;
    void *ctx;
    size_t added;
    zhs_error_t *err;
    zhs_status_t status;
} expander_t;

static bool fail(expander_t *x, zhs_status_t st, const char *what)
{
    if (x->status == ZHS_OK)
        x->status = st == ZHS_ERR_NOMEM ? zhs_error_set(x->err, st, "%s", what) : st;
    return false;
}

static char *dup_or_null(const char *s, bool *ok)
{
    char *d = s ? strdup(s) : NULL;
    *ok &= !s || d;
    return d;
}

/* A copy of the node alone, kids not included. */
static zhs_qnode_t *copy_node(expander_t *x, const zhs_qnode_t *n)
{
    zhs_qnode_t *c = calloc(1, sizeof *c);
    bool ok = c != NULL;
    if (c) {
        *c = *n;
        c->kids = NULL;
        c->nkids = 0;
        c->text = dup_or_null(n->text, &ok);
        c->norm = dup_or_null(n->norm, &ok);
        c->key = dup_or_null(n->key, &ok);
    }
    if (!ok) {
        zhs_qnode_free(c);
        fail(x, ZHS_ERR_NOMEM, "out of memory widening a query");
        return NULL;
    }
    return c;
}

static bool add_kid(expander_t *x, zhs_qnode_t *parent, zhs_qnode_t *kid)
{
    zhs_qnode_t **v = kid ? realloc(parent->kids, (parent->nkids + 1) * sizeof *v) : NULL;
    if (!v) {
        zhs_qnode_free(kid);
        return kid ? fail(x, ZHS_ERR_NOMEM, "out of memory widening a query") : false;
    }
    parent->kids = v;
    parent->kids[parent->nkids++] = kid;
    return true;
}

/* The exact phrase of a synonym, analyzed; NULL when it has nothing to search for (a
 * thesaurus written by another analyzer version) or on failure (x->status). */
static zhs_qnode_t *synonym_leaf(expander_t *x, const zhs_qnode_t *word, char *text)
{
    zhs_qnode_t *leaf = calloc(1, sizeof *leaf);
    if (!leaf) {
        free(text);
        fail(x, ZHS_ERR_NOMEM, "out of memory widening a query");
        return NULL;
    }
    leaf->kind = ZHS_QN_PHRASE;
    leaf->offset = word->offset;
    leaf->text = text;
    leaf->synonym = true;
    zhs_status_t st = zhs_qnode_analyze(&leaf, x->err);
    if (st != ZHS_OK) {
        zhs_qnode_free(leaf);
        fail(x, st, "");
        return NULL;
    }
    return leaf;
}

/* The word, or the OR of it and its synonyms. */
static zhs_qnode_t *expand_word(expander_t *x, const zhs_qnode_t *word)
{
    synonyms_t list = {0};
    zhs_status_t st = x->lookup(x->ctx, word->key, add_synonym, &list, x->err);
    if (st == ZHS_OK && list.oom)
        st = zhs_error_set(x->err, ZHS_ERR_NOMEM, "out of memory widening a query");
    if (st != ZHS_OK) {
        synonyms_release(&list);
        fail(x, st, "");
        return NULL;
    }
    zhs_qnode_t *self = copy_node(x, word);
    if (!self || list.n == 0) {
        synonyms_release(&list);
        return self;
    }
    zhs_qnode_t *any = calloc(1, sizeof *any);
    if (!any) {
        zhs_qnode_free(self);
        synonyms_release(&list);
        fail(x, ZHS_ERR_NOMEM, "out of memory widening a query");
        return NULL;
    }
    any->kind = ZHS_QN_OR;
    any->offset = word->offset;
    bool ok = add_kid(x, any, self);
    for (size_t i = 0; i < list.n; i++) {
        char *text = list.v[i];
        list.v[i] = NULL;
        if (!ok) {
            free(text);
            continue;
        }
        zhs_qnode_t *leaf = synonym_leaf(x, word, text);
        if (leaf && strcmp(leaf->key, word->key) == 0) {
            zhs_qnode_free(leaf);   /* the word itself, in another spelling */
            continue;
        }
        ok = leaf ? add_kid(x, any, leaf) : x->status == ZHS_OK;
        x->added += leaf != NULL && ok;
    }
    if (!ok || any->nkids == 1) {
        /* Failed, or nothing but the word itself: the word alone. */
        zhs_qnode_t *only = ok ? any->kids[0] : NULL;
        any->nkids = ok ? 0 : any->nkids;
        zhs_qnode_free(any);
        return only;
    }
    return any;
}

/* A copy of n, its words widened unless under a NOT: excluding their synonyms too
 * would remove what the user did not ask to remove. */
static zhs_qnode_t *expand(expander_t *x, const zhs_qnode_t *n, bool widen)
{
    if (widen && n->kind == ZHS_QN_TERM && n->key && n->key[0])
        return expand_word(x, n);
    zhs_qnode_t *c = copy_node(x, n);
    for (size_t i = 0; c && i < n->nkids; i++)
        if (!add_kid(x, c, expand(x, n->kids[i], widen && n->kind != ZHS_QN_NOT))) {
            zhs_qnode_free(c);
            return NULL;
        }
    return c;
}

zhs_status_t zhs_qnode_expand(const zhs_qnode_t *root, zhs_synonym_lookup_fn lookup,
                              void *ctx, zhs_qnode_t **out, zhs_error_t *err)
{
    *out = NULL;
    if (!root || !lookup)
        return ZHS_OK;
    expander_t x = {lookup, ctx, 0, err, ZHS_OK};
    zhs_qnode_t *tree = expand(&x, root, true);
    if (x.status == ZHS_OK && !tree)
        x.status = zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory widening a query");
    if (x.status != ZHS_OK || x.added == 0) {
        zhs_qnode_free(tree);
        return x.status;
    }
    *out = tree;
    return ZHS_OK;
}
