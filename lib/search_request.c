/* The search request: API defaults, HTTP parameters applied by name, and the mapping
 * from library statuses to HTTP statuses and error codes. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "zhsearch/search.h"

void zhs_search_request_init(zhs_search_request_t *req)
{
    memset(req, 0, sizeof *req);
    req->limit = ZHS_LIMIT_DEFAULT;
    req->sort = ZHS_SORT_RELEVANCE;
    req->group = ZHS_GROUP_DOC;
    req->facets = ZHS_FACETS_DEFAULT;
    req->facet_limit = ZHS_FACET_LIMIT_DEFAULT;
    req->snippet_chars = ZHS_SNIPPET_DEFAULT;
}

void zhs_search_request_release(zhs_search_request_t *req)
{
    if (!req)
        return;
    free(req->dept.v);
    free(req->issuer.v);
    free(req->section.v);
    free(req->year.v);
    zhs_search_request_init(req);
}

zhs_status_t zhs_strlist_add(zhs_strlist_t *list, const char *s, zhs_error_t *err)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 4;
        const char **v = realloc(list->v, cap * sizeof *v);
        if (!v)
            return zhs_error_set(err, ZHS_ERR_NOMEM, "out of memory adding a filter value");
        list->v = v;
        list->cap = cap;
    }
    list->v[list->n++] = s;
    return ZHS_OK;
}

/* A decimal number in [0, UINT_MAX]; *out clamped to max. */
static zhs_status_t parse_count(const char *name, const char *value, unsigned max,
                                unsigned *out, zhs_error_t *err)
{
    if (!*value || *value == '-' || *value == '+' || *value == ' ')
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "%s must be a number, not \"%s\"", name,
                             value);
    char *end;
    errno = 0;
    unsigned long long v = strtoull(value, &end, 10);
    if (*end)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "%s must be a number, not \"%s\"", name,
                             value);
    if (errno == ERANGE || v > UINT_MAX)
        v = UINT_MAX;
    *out = v > max ? max : (unsigned)v;
    return ZHS_OK;
}

static const struct {
    const char *name;
    unsigned bit;
} facet_names[] = {
    {"department", ZHS_FACET_DEPARTMENT},
    {"year", ZHS_FACET_YEAR},
    {"section", ZHS_FACET_SECTION},
    {"issuer", ZHS_FACET_ISSUER},
};

static zhs_status_t parse_facets(const char *value, unsigned *out, zhs_error_t *err)
{
    if (strcmp(value, "none") == 0 || !*value) {
        *out = 0;
        return ZHS_OK;
    }
    unsigned bits = 0;
    for (const char *p = value; *p;) {
        size_t len = strcspn(p, ",");
        size_t f = 0;
        for (; f < sizeof facet_names / sizeof facet_names[0]; f++)
            if (strlen(facet_names[f].name) == len && strncmp(p, facet_names[f].name, len) == 0)
                break;
        if (len > 0 && f == sizeof facet_names / sizeof facet_names[0])
            return zhs_error_set(err, ZHS_ERR_BAD_ARG,
                                 "facets: unknown facet \"%.*s\" (department, year, "
                                 "section, issuer or none)", (int)len, p);
        if (len > 0)
            bits |= facet_names[f].bit;
        p += len;
        if (*p == ',')
            p++;
    }
    *out = bits;
    return ZHS_OK;
}

zhs_status_t zhs_search_request_set(zhs_search_request_t *req, const char *name,
                                    const char *value, zhs_error_t *err)
{
    if (!name || !value)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "parameter name or value is NULL");
    if (strcmp(name, "q") == 0) {
        req->q = value;
        return ZHS_OK;
    }
    if (strcmp(name, "dept") == 0)
        return zhs_strlist_add(&req->dept, value, err);
    if (strcmp(name, "issuer") == 0)
        return zhs_strlist_add(&req->issuer, value, err);
    if (strcmp(name, "section") == 0)
        return zhs_strlist_add(&req->section, value, err);
    if (strcmp(name, "year") == 0) {
        zhs_year_range_t r;
        zhs_error_t yerr = {0};
        if (zhs_year_range_parse(value, strlen(value), &r, &yerr) != ZHS_OK)
            return zhs_error_set(err, ZHS_ERR_BAD_ARG, "year: %s, not \"%s\"", yerr.message,
                                 value);
        return zhs_strlist_add(&req->year, value, err);
    }
    if (strcmp(name, "offset") == 0)
        return parse_count(name, value, UINT_MAX, &req->offset, err);
    if (strcmp(name, "limit") == 0)
        return parse_count(name, value, ZHS_LIMIT_MAX, &req->limit, err);
    if (strcmp(name, "facet_limit") == 0)
        return parse_count(name, value, UINT_MAX, &req->facet_limit, err);
    if (strcmp(name, "snippet") == 0)
        return parse_count(name, value, ZHS_SNIPPET_MAX, &req->snippet_chars, err);
    if (strcmp(name, "near") == 0) {
        if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
            return zhs_error_set(err, ZHS_ERR_BAD_ARG, "near must be true or false, not \"%s\"",
                                 value);
        req->exact_only = strcmp(value, "false") == 0;
        return ZHS_OK;
    }
    if (strcmp(name, "sort") == 0) {
        if (strcmp(value, "relevance") == 0)
            req->sort = ZHS_SORT_RELEVANCE;
        else if (strcmp(value, "date") == 0)
            req->sort = ZHS_SORT_DATE;
        else if (strcmp(value, "date_asc") == 0)
            req->sort = ZHS_SORT_DATE_ASC;
        else
            return zhs_error_set(err, ZHS_ERR_BAD_ARG,
                                 "sort must be relevance, date or date_asc, not \"%s\"",
                                 value);
        return ZHS_OK;
    }
    if (strcmp(name, "group") == 0) {
        if (strcmp(value, "doc") == 0)
            req->group = ZHS_GROUP_DOC;
        else if (strcmp(value, "passage") == 0)
            req->group = ZHS_GROUP_PASSAGE;
        else
            return zhs_error_set(err, ZHS_ERR_BAD_ARG,
                                 "group must be doc or passage, not \"%s\"", value);
        return ZHS_OK;
    }
    if (strcmp(name, "facets") == 0)
        return parse_facets(value, &req->facets, err);
    return zhs_error_set(err, ZHS_ERR_BAD_ARG, "unknown parameter \"%s\"", name);
}

int zhs_status_http(zhs_status_t status)
{
    switch (status) {
    case ZHS_OK:
        return 200;
    case ZHS_ERR_BAD_QUERY:
    case ZHS_ERR_BAD_ARG:
    case ZHS_ERR_BAD_UTF8:
        return 400;
    case ZHS_ERR_NOT_FOUND:
        return 404;
    case ZHS_ERR_DB_MISSING:
    case ZHS_ERR_DB_LOCKED:
    case ZHS_ERR_DB_MODIFIED:
    case ZHS_ERR_DB_CORRUPT:
        return 503;
    default:
        return 500;
    }
}

const char *zhs_status_code(zhs_status_t status)
{
    switch (status) {
    case ZHS_OK:
        return "ok";
    case ZHS_ERR_BAD_QUERY:
        return "bad_query";
    case ZHS_ERR_BAD_ARG:
        return "bad_parameter";
    case ZHS_ERR_BAD_UTF8:
        return "bad_utf8";
    case ZHS_ERR_NOT_FOUND:
        return "not_found";
    case ZHS_ERR_DB_MISSING:
    case ZHS_ERR_DB_LOCKED:
    case ZHS_ERR_DB_MODIFIED:
    case ZHS_ERR_DB_CORRUPT:
        return "index_unavailable";
    default:
        return "internal";
    }
}

bool zhs_query_is_blank(const char *q)
{
    if (!q)
        return true;
    while (*q) {
        if (strchr(" \t\r\n\f\v", *q))
            q++;
        else if (strncmp(q, "\u3000", 3) == 0)
            q += 3;
        else
            return false;
    }
    return true;
}
