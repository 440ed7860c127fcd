/* The query language parser: q text -> AST (lib/query.h). A lexer splits q into
 * terms, quoted phrases, parentheses and operators; a recursive-descent parser builds
 * the tree with OR binding tighter than the implicit AND and NOT/`-` tightest. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query.h"

#define QUERY_MAX_BYTES 1024

typedef enum {
    TOK_WORD,     /* a term, or a filter when field >= 0 */
    TOK_PHRASE,
    TOK_LPAREN,
    TOK_RPAREN,
    TOK_MINUS,    /* `-` glued to what follows */
    TOK_OR,
    TOK_AND,
    TOK_NOT,
    TOK_END,
} tok_kind_t;

typedef struct {
    tok_kind_t kind;
    size_t start;        /* byte offset in q */
    size_t end;
    size_t text;         /* WORD/PHRASE: the text proper (a filter's value part) */
    size_t text_end;
    int field;           /* WORD: zhs_qfield_t of a `field:` prefix, else -1 */
} tok_t;

typedef struct {
    const char *q;
    size_t n;
    tok_t *toks;
    size_t ntoks;
    size_t cap;
    size_t at;           /* parser position in toks */
    zhs_error_t *err;
    zhs_status_t status;
} parser_t;

/* ------------------------------------------------------------ lexer */

/* Length of a whitespace character at q[i] (ASCII blanks, U+3000), else 0. */
static size_t space_len(const char *q, size_t n, size_t i)
{
    unsigned char c = (unsigned char)q[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (c == 0xE3 && i + 2 < n + 0 && (unsigned char)q[i + 1] == 0x80 &&
        (unsigned char)q[i + 2] == 0x80)
        return 3;
    return 0;
}

/* Length of a quote character at q[i] (`"`, U+201C, U+201D), else 0. */
static size_t quote_len(const char *q, size_t n, size_t i)
{
    if (q[i] == '"')
        return 1;
    if ((unsigned char)q[i] == 0xE2 && i + 2 < n && (unsigned char)q[i + 1] == 0x80 &&
        ((unsigned char)q[i + 2] == 0x9C || (unsigned char)q[i + 2] == 0x9D))
        return 3;
    return 0;
}

static bool is_word_end(const char *q, size_t n, size_t i)
{
    return i >= n || space_len(q, n, i) || quote_len(q, n, i) || q[i] == '(' || q[i] == ')';
}

static bool push_tok(parser_t *p, tok_t t)
{
    if (p->ntoks == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        tok_t *v = realloc(p->toks, cap * sizeof *v);
        if (!v) {
            p->status = zhs_error_set(p->err, ZHS_ERR_NOMEM, "out of memory parsing query");
            return false;
        }
        p->toks = v;
        p->cap = cap;
    }
    p->toks[p->ntoks++] = t;
    return true;
}

static const struct {
    const char *name;
    zhs_qfield_t field;
} fields[] = {
    {"dept", ZHS_QF_DEPT},
    {"issuer", ZHS_QF_ISSUER},
    {"section", ZHS_QF_SECTION},
    {"year", ZHS_QF_YEAR},
};

/* If the word [s, e) starts with `field:` (or the full-width colon), returns the field
 * and the offset of the value; else -1. */
static int field_prefix(const char *q, size_t s, size_t e, size_t *value)
{
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        size_t len = strlen(fields[f].name);
        if (e - s <= len || strncasecmp(q + s, fields[f].name, len) != 0)
            continue;
        if (q[s + len] == ':') {
            *value = s + len + 1;
            return (int)fields[f].field;
        }
        if (e - s >= len + 3 && memcmp(q + s + len, "\xEF\xBC\x9A", 3) == 0) {
            *value = s + len + 3;
            return (int)fields[f].field;
        }
    }
    return -1;
}

/* A phrase starting at the quote at q[i]: ends at the next quote character or at the
 * end of q (an unterminated quote is closed there). */
static tok_t lex_phrase(const char *q, size_t n, size_t i)
{
    tok_t t = {.kind = TOK_PHRASE, .start = i, .field = -1};
    size_t j = i + quote_len(q, n, i);
    t.text = j;
    while (j < n && !quote_len(q, n, j))
        j++;
    t.text_end = j;
    t.end = j < n ? j + quote_len(q, n, j) : n;
    return t;
}

static tok_t lex_word(const char *q, size_t n, size_t i)
{
    tok_t t = {.kind = TOK_WORD, .start = i, .text = i, .field = -1};
    size_t j = i;
    while (!is_word_end(q, n, j))
        j++;
    t.end = t.text_end = j;
    size_t len = j - i;
    if ((len == 2 && memcmp(q + i, "OR", 2) == 0) || (len == 1 && q[i] == '|'))
        t.kind = TOK_OR;
    else if (len == 3 && memcmp(q + i, "AND", 3) == 0)
        t.kind = TOK_AND;
    else if (len == 3 && memcmp(q + i, "NOT", 3) == 0)
        t.kind = TOK_NOT;
    else
        t.field = field_prefix(q, i, j, &t.text);
    return t;
}

static bool lex(parser_t *p)
{
    const char *q = p->q;
    size_t n = p->n, i = 0;
    while (i < n) {
        size_t sp = space_len(q, n, i);
        if (sp) {
            i += sp;
            continue;
        }
        tok_t t = {.start = i, .end = i + 1, .field = -1};
        if (q[i] == '(') {
            t.kind = TOK_LPAREN;
        } else if (q[i] == ')') {
            t.kind = TOK_RPAREN;
        } else if (quote_len(q, n, i)) {
            t = lex_phrase(q, n, i);
        } else if (q[i] == '-') {
            /* A lone `-` (before a blank or the end) is dropped. */
            if (i + 1 >= n || space_len(q, n, i + 1)) {
                i++;
                continue;
            }
            t.kind = TOK_MINUS;
        } else {
            t = lex_word(q, n, i);
            /* `dept:"市 科技局"`: the quoted phrase right after the colon is the value. */
            if (t.kind == TOK_WORD && t.field >= 0 && t.text == t.end && t.end < n &&
                quote_len(q, n, t.end)) {
                tok_t ph = lex_phrase(q, n, t.end);
                t.text = ph.text;
                t.text_end = ph.text_end;
                t.end = ph.end;
            }
        }
        if (!push_tok(p, t))
            return false;
        i = t.end;
    }
    tok_t end = {.kind = TOK_END, .start = n, .end = n, .field = -1};
    return push_tok(p, end);
}

/* ------------------------------------------------------------ tree building */

static zhs_qnode_t *node_new(parser_t *p, zhs_qnode_kind_t kind, size_t offset)
{
    zhs_qnode_t *node = calloc(1, sizeof *node);
    if (!node) {
        p->status = zhs_error_set(p->err, ZHS_ERR_NOMEM, "out of memory parsing query");
        return NULL;
    }
    node->kind = kind;
    node->offset = offset;
    return node;
}

void zhs_qnode_free(zhs_qnode_t *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->nkids; i++)
        zhs_qnode_free(node->kids[i]);
    free(node->kids);
    free(node->text);
    free(node->norm);
    free(node->key);
    free(node);
}

bool zhs_qnode_any(const zhs_qnode_t *node, bool (*pred)(const zhs_qnode_t *))
{
    if (!node)
        return false;
    if (pred(node))
        return true;
    for (size_t i = 0; i < node->nkids; i++)
        if (zhs_qnode_any(node->kids[i], pred))
            return true;
    return false;
}

static bool add_kid(parser_t *p, zhs_qnode_t *parent, zhs_qnode_t *kid)
{
    zhs_qnode_t **v = realloc(parent->kids, (parent->nkids + 1) * sizeof *v);
    if (!v) {
        p->status = zhs_error_set(p->err, ZHS_ERR_NOMEM, "out of memory parsing query");
        return false;
    }
    parent->kids = v;
    parent->kids[parent->nkids++] = kid;
    return true;
}

/* Adds kid to an AND/OR list, flattening a kid of the same operator. Frees kid on
 * failure. */
static bool add_flat(parser_t *p, zhs_qnode_t *list, zhs_qnode_t *kid)
{
    if (kid->kind != list->kind)
        return add_kid(p, list, kid) || (zhs_qnode_free(kid), false);
    for (size_t i = 0; i < kid->nkids; i++) {
        if (!add_kid(p, list, kid->kids[i])) {
            for (size_t j = i; j < kid->nkids; j++)
                zhs_qnode_free(kid->kids[j]);
            kid->nkids = 0;
            zhs_qnode_free(kid);
            return false;
        }
    }
    kid->nkids = 0;
    zhs_qnode_free(kid);
    return true;
}

/* An AND/OR list with one child becomes that child, with none NULL. */
static zhs_qnode_t *list_finish(zhs_qnode_t *list)
{
    if (list->nkids > 1)
        return list;
    zhs_qnode_t *only = list->nkids ? list->kids[0] : NULL;
    list->nkids = 0;
    zhs_qnode_free(list);
    return only;
}

static char *copy_text(parser_t *p, size_t s, size_t e)
{
    char *t = strndup(p->q + s, e - s);
    if (!t)
        p->status = zhs_error_set(p->err, ZHS_ERR_NOMEM, "out of memory parsing query");
    return t;
}

static bool is_blank(const char *q, size_t s, size_t e)
{
    while (s < e) {
        size_t sp = space_len(q, e, s);
        if (!sp)
            return false;
        s += sp;
    }
    return true;
}

/* ------------------------------------------------------------ parser */

static const tok_t *peek(const parser_t *p)
{
    return &p->toks[p->at];
}

static bool bad(parser_t *p, size_t offset, const char *what)
{
    p->status = zhs_error_set_at(p->err, ZHS_ERR_BAD_QUERY, offset, "%s (at byte %zu)",
                                 what, offset);
    return false;
}

/* Can the token begin an operand? */
static bool starts_operand(const tok_t *t)
{
    return t->kind == TOK_WORD || t->kind == TOK_PHRASE || t->kind == TOK_LPAREN ||
           t->kind == TOK_MINUS || t->kind == TOK_NOT;
}

static bool parse_and(parser_t *p, int depth, zhs_qnode_t **out);

static bool parse_filter(parser_t *p, const tok_t *t, zhs_qnode_t **out)
{
    if (t->text == t->text_end || is_blank(p->q, t->text, t->text_end))
        return bad(p, t->start, "filter needs a value");
    zhs_qnode_t *node = node_new(p, ZHS_QN_FILTER, t->start);
    if (!node)
        return false;
    node->field = (zhs_qfield_t)t->field;
    if (node->field == ZHS_QF_YEAR) {
        zhs_error_t yerr = {0};
        if (zhs_year_range_parse(p->q + t->text, t->text_end - t->text, &node->years,
                                 &yerr) != ZHS_OK) {
            zhs_qnode_free(node);
            return bad(p, t->text + yerr.offset, yerr.message);
        }
    } else if (!(node->text = copy_text(p, t->text, t->text_end))) {
        zhs_qnode_free(node);
        return false;
    }
    *out = node;
    return true;
}

/* primary := '(' and ')' | PHRASE | WORD. *out NULL for an empty group or phrase. */
static bool parse_primary(parser_t *p, zhs_qnode_t **out)
{
    const tok_t *t = peek(p);
    *out = NULL;
    switch (t->kind) {
    case TOK_LPAREN:
        p->at++;
        if (!parse_and(p, 1, out))
            return false;
        if (peek(p)->kind == TOK_RPAREN)
            p->at++;
        return true;   /* a missing `)` is implied at the end */
    case TOK_PHRASE:
    case TOK_WORD: {
        p->at++;
        if (t->kind == TOK_WORD && t->field >= 0)
            return parse_filter(p, t, out);
        if (is_blank(p->q, t->text, t->text_end))
            return true;
        zhs_qnode_t *node =
            node_new(p, t->kind == TOK_PHRASE ? ZHS_QN_PHRASE : ZHS_QN_TERM, t->start);
        if (!node || !(node->text = copy_text(p, t->text, t->text_end))) {
            zhs_qnode_free(node);
            return false;
        }
        *out = node;
        return true;
    }
    default:
        return bad(p, t->start, "expected a term");
    }
}

/* unary := ('-' | NOT) unary | primary */
static bool parse_unary(parser_t *p, zhs_qnode_t **out)
{
    const tok_t *t = peek(p);
    *out = NULL;
    if (t->kind != TOK_MINUS && t->kind != TOK_NOT)
        return parse_primary(p, out);
    p->at++;
    if (!starts_operand(peek(p))) {
        if (t->kind == TOK_MINUS)
            return true;   /* `-)`: a dangling minus is ignored like a lone one */
        return bad(p, t->start, "NOT needs a term after it");
    }
    zhs_qnode_t *kid;
    if (!parse_unary(p, &kid))
        return false;
    if (!kid)
        return true;
    if (kid->kind == ZHS_QN_NOT) {   /* double negation */
        *out = kid->kids[0];
        kid->nkids = 0;
        zhs_qnode_free(kid);
        return true;
    }
    zhs_qnode_t *node = node_new(p, ZHS_QN_NOT, t->start);
    if (!node || !add_kid(p, node, kid)) {
        zhs_qnode_free(node);
        zhs_qnode_free(kid);
        return false;
    }
    *out = node;
    return true;
}

/* or := unary (OR unary)* */
static bool parse_or(parser_t *p, zhs_qnode_t **out)
{
    size_t start = peek(p)->start;
    zhs_qnode_t *list = node_new(p, ZHS_QN_OR, start), *kid;
    if (!list)
        return false;
    if (!parse_unary(p, &kid))
        goto fail;
    if (kid && !add_flat(p, list, kid))
        goto fail;
    while (peek(p)->kind == TOK_OR) {
        const tok_t *op = peek(p);
        p->at++;
        if (!starts_operand(peek(p))) {
            bad(p, op->start, "OR needs a term on its right");
            goto fail;
        }
        if (!parse_unary(p, &kid))
            goto fail;
        if (kid && !add_flat(p, list, kid))
            goto fail;
    }
    *out = list_finish(list);
    return true;
fail:
    zhs_qnode_free(list);
    return false;
}

/* and := or ([AND] or)*, up to the end or (inside parentheses) a `)`. At the top level
 * an unmatched `)` is dropped. */
static bool parse_and(parser_t *p, int depth, zhs_qnode_t **out)
{
    zhs_qnode_t *list = node_new(p, ZHS_QN_AND, peek(p)->start), *kid;
    if (!list)
        return false;
    bool after_and = false;
    for (;;) {
        const tok_t *t = peek(p);
        if (t->kind == TOK_END)
            break;
        if (t->kind == TOK_RPAREN) {
            if (depth > 0)
                break;
            p->at++;
            continue;
        }
        if (t->kind == TOK_OR) {
            bad(p, t->start, "OR needs a term on its left");
            goto fail;
        }
        if (t->kind == TOK_AND) {
            if (list->nkids == 0 && !after_and) {
                bad(p, t->start, "AND needs a term on its left");
                goto fail;
            }
            p->at++;
            if (!starts_operand(peek(p))) {
                bad(p, t->start, "AND needs a term on its right");
                goto fail;
            }
            after_and = true;
            continue;
        }
        if (!parse_or(p, &kid))
            goto fail;
        if (kid && !add_flat(p, list, kid))
            goto fail;
    }
    *out = list_finish(list);
    return true;
fail:
    zhs_qnode_free(list);
    return false;
}

zhs_status_t zhs_qnode_parse(const char *q, size_t nbytes, zhs_qnode_t **out,
                             zhs_error_t *err)
{
    *out = NULL;
    if (!q && nbytes)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "query text is NULL");
    if (nbytes > QUERY_MAX_BYTES)
        return zhs_error_set_at(err, ZHS_ERR_BAD_QUERY, QUERY_MAX_BYTES,
                                "query longer than %d bytes", QUERY_MAX_BYTES);
    parser_t p = {.q = q ? q : "", .n = nbytes, .err = err, .status = ZHS_OK};
    zhs_qnode_t *root = NULL;
    if (lex(&p))
        parse_and(&p, 0, &root);
    free(p.toks);
    if (p.status != ZHS_OK) {
        zhs_qnode_free(root);
        return p.status;
    }
    *out = root;
    return ZHS_OK;
}

/* ------------------------------------------------------------ year ranges */

/* Parses a 4-digit year at v[*i], advancing *i. */
static bool parse_year(const char *v, size_t n, size_t *i, int *year)
{
    if (*i + 4 > n)
        return false;
    int y = 0;
    for (size_t k = 0; k < 4; k++) {
        char c = v[*i + k];
        if (c < '0' || c > '9')
            return false;
        y = y * 10 + (c - '0');
    }
    *i += 4;
    *year = y;
    return y > 0;
}

zhs_status_t zhs_year_range_parse(const char *value, size_t nbytes, zhs_year_range_t *out,
                                  zhs_error_t *err)
{
    zhs_year_range_t r = {0};
    *out = r;
    if (nbytes == 7 && strncasecmp(value, "unknown", 7) == 0) {
        out->unknown = true;
        return ZHS_OK;
    }
    size_t i = 0;
    bool has_lo = false;
    if (!(i + 2 <= nbytes && memcmp(value, "..", 2) == 0)) {
        if (!parse_year(value, nbytes, &i, &r.lo))
            return zhs_error_set_at(err, ZHS_ERR_BAD_QUERY, i,
                                    "year must be YYYY, YYYY..YYYY or unknown");
        has_lo = true;
    }
    if (i == nbytes) {
        r.hi = r.lo;
        *out = r;
        return ZHS_OK;
    }
    if (i + 2 <= nbytes && memcmp(value + i, "..", 2) == 0)
        i += 2;
    else if (value[i] == '-')
        i += 1;
    else
        return zhs_error_set_at(err, ZHS_ERR_BAD_QUERY, i,
                                "year must be YYYY, YYYY..YYYY or unknown");
    size_t hi_at = i;
    if (i < nbytes && !parse_year(value, nbytes, &i, &r.hi))
        return zhs_error_set_at(err, ZHS_ERR_BAD_QUERY, i,
                                "year must be YYYY, YYYY..YYYY or unknown");
    if (i != nbytes || (!has_lo && r.hi == 0))
        return zhs_error_set_at(err, ZHS_ERR_BAD_QUERY, i,
                                "year must be YYYY, YYYY..YYYY or unknown");
    if (r.lo && r.hi && r.lo > r.hi)
        return zhs_error_set_at(err, ZHS_ERR_BAD_QUERY, hi_at,
                                "year range %d..%d is empty", r.lo, r.hi);
    *out = r;
    return ZHS_OK;
}

bool zhs_year_range_contains(const zhs_year_range_t *r, int year)
{
    if (year == 0)
        return r->unknown;
    if (r->unknown)
        return false;
    return (!r->lo || year >= r->lo) && (!r->hi || year <= r->hi);
}
