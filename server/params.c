/* Query-string decoding and the mapping of `GET /search` parameters onto the library's
 * request. The library parses each value (zhs_search_request_set); this file adds what
 * only HTTP cares about: escapes, UTF-8, sizes, and the limits of one page. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "zhsearch/analyzer.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *srv_uri_decode(const char *s, size_t nbytes, bool plus_is_space, const char *what,
                     srv_error_t *e)
{
    char *out = malloc(nbytes + 1);
    if (!out) {
        srv_error_set(e, SRV_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < nbytes; i++) {
        char c = s[i];
        if (c == '+' && plus_is_space) {
            c = ' ';
        } else if (c == '%') {
            int h = i + 1 < nbytes ? hexval(s[i + 1]) : -1;
            int l = i + 2 < nbytes ? hexval(s[i + 2]) : -1;
            if (h < 0 || l < 0) {
                srv_error_set(e, SRV_ERR_BAD_PARAMETER,
                              "%s: bad percent-encoding at byte %zu (want %%XX)", what, i);
                free(out);
                return NULL;
            }
            c = (char)(h << 4 | l);
            i += 2;
        }
        if (c == '\0') {
            srv_error_set(e, SRV_ERR_BAD_PARAMETER, "%s: NUL byte at byte %zu", what, i);
            free(out);
            return NULL;
        }
        out[n++] = c;
    }
    out[n] = '\0';
    zhs_error_t zerr = {0};
    if (zhs_utf8_validate(out, n, &zerr) != ZHS_OK) {
        srv_error_set(e, SRV_ERR_BAD_UTF8, "%s is not valid UTF-8 (decoded byte %zu)", what,
                      zerr.offset);
        free(out);
        return NULL;
    }
    return out;
}

void srv_params_release(srv_params_t *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].name);
        free(p->v[i].value);
    }
    free(p->v);
    p->v = NULL;
    p->n = 0;
}

/* Decodes one `name=value` piece and appends it. */
static int add_piece(srv_params_t *p, const char *s, size_t nbytes, srv_error_t *e)
{
    const char *eq = memchr(s, '=', nbytes);
    size_t name_nbytes = eq ? (size_t)(eq - s) : nbytes;
    srv_param_t *v = realloc(p->v, (p->n + 1) * sizeof *v);
    if (!v)
        return srv_error_set(e, SRV_ERR_INTERNAL, "out of memory");
    p->v = v;
    srv_param_t *item = &v[p->n];
    item->name = srv_uri_decode(s, name_nbytes, true, "parameter name", e);
    if (!item->name)
        return -1;
    char what[80];
    snprintf(what, sizeof what, "parameter %.60s", item->name);
    item->value = eq ? srv_uri_decode(eq + 1, nbytes - name_nbytes - 1, true, what, e)
                     : srv_uri_decode("", 0, true, what, e);
    if (!item->value) {
        free(item->name);
        return -1;
    }
    p->n++;
    return 0;
}

int srv_params_parse(const char *query, srv_params_t *out, srv_error_t *e)
{
    out->v = NULL;
    out->n = 0;
    for (const char *s = query; s && *s;) {
        size_t len = strcspn(s, "&");
        if (len && add_piece(out, s, len, e)) {
            srv_params_release(out);
            return -1;
        }
        s += len;
        if (*s == '&')
            s++;
    }
    return 0;
}

const char *srv_params_get(const srv_params_t *p, const char *name)
{
    for (size_t i = p->n; i-- > 0;)
        if (strcmp(p->v[i].name, name) == 0)
            return p->v[i].value;
    return NULL;
}

static int check_q(const char *value, srv_error_t *e)
{
    size_t n = strlen(value);
    if (n > ZHS_QUERY_MAX_BYTES)
        return srv_error_set(e, SRV_ERR_QUERY_TOO_LONG,
                             "q is %zu bytes, at most %d are allowed", n,
                             ZHS_QUERY_MAX_BYTES);
    return 0;
}

/* The library clamps a large limit; the API answers 400 instead, so that a client
 * asking for 1000 results learns it gets 100. Non-numbers are left to the library. */
static int check_limit(const char *value, srv_error_t *e)
{
    if (!*value || strspn(value, "0123456789") != strlen(value))
        return 0;
    errno = 0;
    unsigned long long n = strtoull(value, NULL, 10);
    if (errno || n > ZHS_LIMIT_MAX)
        return srv_error_set(e, SRV_ERR_BAD_PARAMETER,
                             "limit must be a number from 0 to %d, not %.40s",
                             ZHS_LIMIT_MAX, value);
    return 0;
}

int srv_search_request_build(const srv_params_t *p, zhs_search_request_t *req,
                             srv_error_t *e)
{
    zhs_search_request_init(req);
    for (size_t i = 0; i < p->n; i++) {
        const srv_param_t *it = &p->v[i];
        if (strcmp(it->name, "q") == 0 && check_q(it->value, e))
            return -1;
        if (strcmp(it->name, "limit") == 0 && check_limit(it->value, e))
            return -1;
        zhs_error_t zerr = {0};
        zhs_status_t st = zhs_search_request_set(req, it->name, it->value, &zerr);
        if (st != ZHS_OK)
            return srv_error_from_status(e, st, &zerr);
    }
    if ((unsigned long long)req->offset + req->limit > SRV_MAX_WINDOW)
        return srv_error_set(e, SRV_ERR_BAD_PARAMETER,
                             "offset + limit must be at most %d (got %u + %u)",
                             SRV_MAX_WINDOW, req->offset, req->limit);
    bool filtered = req->dept.n || req->issuer.n || req->section.n || req->year.n;
    if (zhs_query_is_blank(req->q) && !filtered)
        return srv_error_set(e, SRV_ERR_EMPTY_QUERY,
                             "give a query q or a filter (dept, issuer, section, year)");
    return 0;
}

int srv_doc_params(const srv_params_t *p, const char **q, srv_error_t *e)
{
    *q = NULL;
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->v[i].name, "q") != 0)
            return srv_error_set(e, SRV_ERR_BAD_PARAMETER,
                                 "unknown parameter '%.60s' (GET /doc/ID takes only q)",
                                 p->v[i].name);
        if (check_q(p->v[i].value, e))
            return -1;
        *q = p->v[i].value;
    }
    return 0;
}
