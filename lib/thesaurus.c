/* Reading a thesaurus in Solr's synonyms.txt format (see thesaurus.h). */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "thesaurus.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/xapian.h"

/* Terms of one side of a line; more than this on one line is refused. */
#define TERMS_MAX 64

typedef struct {
    char *norm[TERMS_MAX];   /* in the normalized line, NUL-terminated in place */
    char *key[TERMS_MAX];    /* owned */
    size_t n;
} side_t;

typedef struct {
    const char *name;
    size_t line;
    size_t offset;
    zhs_error_t *err;
} where_t;

static zhs_status_t bad(const where_t *w, zhs_status_t st, const char *what, const char *term)
{
    return zhs_error_set_at(w->err, st, w->offset, "%s:%zu: %s%s%.60s%s", w->name, w->line,
                            what, term ? " '" : "", term ? term : "", term ? "'" : "");
}

static void side_release(side_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->key[i]);
    s->n = 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Splits the comma-separated terms of part (modified in place) into side. */
static zhs_status_t read_side(char *part, side_t *side, const where_t *w)
{
    for (char *next = part; next;) {
        char *comma = strchr(next, ',');
        if (comma)
            *comma = '\0';
        char *term = trim(next);
        next = comma ? comma + 1 : NULL;
        if (!*term)
            return bad(w, ZHS_ERR_BAD_ARG, "empty term (two commas, or one at an end)", NULL);
        if (side->n == TERMS_MAX)
            return bad(w, ZHS_ERR_BAD_ARG, "more than 64 terms on a side", NULL);
        char *key = NULL;
        zhs_status_t st = zhs_match_key(term, strlen(term), &key, w->err);
        if (st != ZHS_OK)
            return st;
        const char *problem = !key[0]                                ? "nothing to search for in"
                              : strlen(term) > ZHS_MAX_TERM_BYTES ||
                                        strlen(key) > ZHS_MAX_TERM_BYTES ? "a term too long:"
                                                                        : NULL;
        if (problem) {
            free(key);
            return bad(w, ZHS_ERR_BAD_ARG, problem, term);
        }
        side->norm[side->n] = term;
        side->key[side->n++] = key;
    }
    return ZHS_OK;
}

/* The pairs of one normalized line (modified in place): each of from with each of to
 * (from itself when the line lists equivalents: to == from). */
static zhs_status_t emit(const side_t *from, const side_t *to, zhs_synonym_fn fn, void *ctx,
                         zhs_error_t *err)
{
    zhs_status_t st = ZHS_OK;
    for (size_t i = 0; i < from->n && st == ZHS_OK; i++)
        for (size_t j = 0; j < to->n && st == ZHS_OK; j++)
            if (fn && strcmp(from->key[i], to->key[j]) != 0)
                st = fn(ctx, from->key[i], to->norm[j], err);
    return st;
}

static zhs_status_t read_line(char *line, zhs_synonym_fn fn, void *ctx, const where_t *w)
{
    side_t left = {0}, right = {0};
    char *arrow = strstr(line, "=>");
    if (arrow) {
        *arrow = '\0';
        if (strstr(arrow + 2, "=>"))
            return bad(w, ZHS_ERR_BAD_ARG, "more than one '=>'", NULL);
    }
    zhs_status_t st = read_side(line, &left, w);
    if (st == ZHS_OK && arrow)
        st = read_side(arrow + 2, &right, w);
    if (st == ZHS_OK && !arrow && left.n < 2)
        st = bad(w, ZHS_ERR_BAD_ARG, "a list of equivalents needs two terms or more:", left.norm[0]);
    if (st == ZHS_OK)
        st = emit(&left, arrow ? &right : &left, fn, ctx, w->err);
    side_release(&left);
    side_release(&right);
    return st;
}

static bool is_blank_or_comment(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
        i++;
    return i == n || s[i] == '#';
}

zhs_status_t zhs_thesaurus_parse(const char *text, size_t nbytes, const char *name,
                                 zhs_synonym_fn fn, void *ctx, size_t *nentries,
                                 zhs_error_t *err)
{
    if (nentries)
        *nentries = 0;
    if (!text && nbytes)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "zhs_thesaurus_parse: text is NULL");
    where_t w = {name ? name : "thesaurus", 0, 0, err};
    zhs_status_t st = ZHS_OK;
    for (size_t start = 0; start < nbytes && st == ZHS_OK;) {
        const char *nl = memchr(text + start, '\n', nbytes - start);
        size_t end = nl ? (size_t)(nl - text) : nbytes;
        w.line++;
        w.offset = start;
        if (!is_blank_or_comment(text + start, end - start)) {
            zhs_error_t local = {0};
            zhs_normalized_t norm;
            st = zhs_normalize(text + start, end - start, 0, &norm, &local);
            if (st == ZHS_ERR_BAD_UTF8) {
                w.offset = start + local.offset;   /* the bad byte itself */
                st = bad(&w, st, "not UTF-8", NULL);
            }
            else if (st != ZHS_OK)
                st = zhs_error_set(err, st, "%s", local.message);
            if (st == ZHS_OK) {
                st = read_line(norm.text, fn, ctx, &w);
                zhs_normalized_release(&norm);
            }
            if (st == ZHS_OK && nentries)
                (*nentries)++;
        }
        start = end + 1;
    }
    return st;
}
