/* Writing a parsed query back as text: the fixed-form description for tests and logs,
 * and the query language form shown to users as the normalized query. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"

static const char *const field_names[] = {
    [ZHS_QF_DEPT] = "dept",
    [ZHS_QF_ISSUER] = "issuer",
    [ZHS_QF_SECTION] = "section",
    [ZHS_QF_YEAR] = "year",
};

static const char *leaf_text(const zhs_qnode_t *n)
{
    return n->norm ? n->norm : n->text ? n->text : "";
}

static void put_years(FILE *f, const zhs_year_range_t *r)
{
    if (r->unknown)
        fputs("unknown", f);
    else if (r->lo == r->hi)
        fprintf(f, "%d", r->lo);
    else if (!r->hi)
        fprintf(f, "%d..", r->lo);
    else if (!r->lo)
        fprintf(f, "..%d", r->hi);
    else
        fprintf(f, "%d..%d", r->lo, r->hi);
}

/* Does a term or filter value need quotes to read back as one token? */
static bool needs_quotes(const char *s)
{
    if (!*s || strcmp(s, "OR") == 0 || strcmp(s, "AND") == 0 || strcmp(s, "NOT") == 0 ||
        strcmp(s, "|") == 0 || *s == '-')
        return true;
    for (; *s; s++)
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '(' || *s == ')' || *s == ':' ||
            strncmp(s, "\xE3\x80\x80", 3) == 0)
            return true;
    return false;
}

static void put_filter(FILE *f, const zhs_qnode_t *n)
{
    fprintf(f, "%s:", field_names[n->field]);
    if (n->field == ZHS_QF_YEAR)
        put_years(f, &n->years);
    else if (needs_quotes(leaf_text(n)))
        fprintf(f, "\"%s\"", leaf_text(n));
    else
        fputs(leaf_text(n), f);
}

/* Writes a term, phrase or filter (a term quoted when quote_terms and it needs it);
 * false for the other kinds. */
static bool put_leaf(FILE *f, const zhs_qnode_t *n, bool quote_terms)
{
    switch (n->kind) {
    case ZHS_QN_TERM:
        if (quote_terms && needs_quotes(leaf_text(n)))
            fprintf(f, "\"%s\"", leaf_text(n));
        else
            fputs(leaf_text(n), f);
        return true;
    case ZHS_QN_PHRASE:
        fprintf(f, "\"%s\"", leaf_text(n));
        return true;
    case ZHS_QN_FILTER:
        put_filter(f, n);
        return true;
    default:
        return false;
    }
}

static void describe(FILE *f, const zhs_qnode_t *n)
{
    if (put_leaf(f, n, false))
        return;
    switch (n->kind) {
    case ZHS_QN_TERM:
    case ZHS_QN_PHRASE:
    case ZHS_QN_FILTER:
        return;
    case ZHS_QN_AND:
    case ZHS_QN_OR:
    case ZHS_QN_NOT:
        fputs(n->kind == ZHS_QN_AND ? "AND(" : n->kind == ZHS_QN_OR ? "OR(" : "NOT(", f);
        for (size_t i = 0; i < n->nkids; i++) {
            if (i)
                fputs(", ", f);
            describe(f, n->kids[i]);
        }
        fputc(')', f);
        return;
    }
}

/* parent: the kind of the enclosing node, to know when parentheses are needed (OR
 * binds tighter than the implicit AND, NOT tighter than both). */
static void unparse(FILE *f, const zhs_qnode_t *n, int parent)
{
    if (put_leaf(f, n, true))
        return;
    switch (n->kind) {
    case ZHS_QN_TERM:
    case ZHS_QN_PHRASE:
    case ZHS_QN_FILTER:
        return;
    case ZHS_QN_NOT:
        fputc('-', f);
        unparse(f, n->kids[0], ZHS_QN_NOT);
        return;
    case ZHS_QN_AND:
    case ZHS_QN_OR: {
        bool paren = parent == ZHS_QN_NOT || (n->kind == ZHS_QN_AND && parent == ZHS_QN_OR);
        if (paren)
            fputc('(', f);
        for (size_t i = 0; i < n->nkids; i++) {
            if (i)
                fputs(n->kind == ZHS_QN_AND ? " " : " OR ", f);
            unparse(f, n->kids[i], n->kind);
        }
        if (paren)
            fputc(')', f);
        return;
    }
    }
}

static char *render(const zhs_qnode_t *n, bool describe_form)
{
    char *s = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&s, &len);
    if (!f)
        return NULL;
    if (n && describe_form)
        describe(f, n);
    else if (n)
        unparse(f, n, ZHS_QN_AND);
    if (fclose(f) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

char *zhs_qnode_describe(const zhs_qnode_t *node)
{
    return render(node, true);
}

char *zhs_qnode_unparse(const zhs_qnode_t *node)
{
    return render(node, false);
}

