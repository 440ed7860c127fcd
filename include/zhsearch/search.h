/* Searching the index: the library behind `GET /search`, `GET /doc/{id}` and
 * `GET /stats` (see the API contract). A searcher is a read-only view of one or more
 * index databases; the search and document calls return JSON already in the shape of
 * the HTTP responses, so the server only adds transport concerns.
 *
 * Query language (parameter `q`, at most ZHS_QUERY_MAX_BYTES):
 *   - terms separated by whitespace are ANDed: `人才 住房`
 *   - `"..."` is an exact phrase: its characters adjacent, where a space or
 *     punctuation inside the quotes stands for any punctuation or space in the text
 *     (`"穗府 2016 13号"` finds `穗府〔2016〕13号`); an unterminated quote closes at the
 *     end of the query
 *   - `OR` (upper case, also `|`) binds TIGHTER than the implicit AND:
 *     `人才 住房 OR 购房` = `人才 AND (住房 OR 购房)`
 *   - `-term`, `-"phrase"`, `-(...)` and `NOT term` exclude; a lone `-` is ignored
 *   - parentheses group; an unmatched `)` is ignored, a missing `)` is implied at the end
 *   - inline filters `dept:NAME`, `issuer:NAME`, `section:NAME`, `year:2016`,
 *     `year:2016..2020` (also `2016..` and `..2020`), `year:unknown`; the value may be
 *     quoted (`section:"主要任务及分工"`). Inline filters AND with everything else.
 *   - Simplified, Traditional, full-width and half-width forms are equivalent; a single
 *     Han character matches every passage containing it (`税` finds `所得稅`).
 *   - A multi-character word matches only where its characters are adjacent
 *     (`知识产权` does not match `知识…产权`); matching is exact, so totals and facet
 *     counts are exact.
 * Anything else that cannot be parsed (an operator with no operand, `dept:` with no
 * value, a bad year) fails with ZHS_ERR_BAD_QUERY, a message naming the problem and
 * err->offset the byte offset in q.
 *
 * Thread safety: a searcher is used by one thread at a time (open one per worker
 * thread). zhs_searcher_open initializes the analyzer itself.
 *
 * Status -> HTTP: see zhs_status_http; every status of this header is listed there. */
#ifndef ZHSEARCH_SEARCH_H
#define ZHSEARCH_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "zhsearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ZHS_QUERY_MAX_BYTES 1024
#define ZHS_LIMIT_DEFAULT 10
#define ZHS_LIMIT_MAX 100
#define ZHS_SNIPPET_DEFAULT 120
/* Snippets longer than this many characters are cut to it. */
#define ZHS_SNIPPET_MAX 2000
/* Values listed per facet, most frequent first (as Solr's facet.limit): a common word's
 * section facet has thousands, a megabyte of JSON no front end shows. */
#define ZHS_FACET_LIMIT_DEFAULT 100

/* ------------------------------------------------------------ the searcher */

typedef struct zhs_searcher zhs_searcher_t;

/* Opens the databases at paths[0..npaths) (directories or Xapian stub files) as one
 * index. Fails with ZHS_ERR_DB_MISSING when a path holds no database, ZHS_ERR_DB_CORRUPT
 * on an unknown schema version, ZHS_ERR_BAD_ARG when npaths is 0. Caller frees *out
 * with zhs_searcher_close; *out is NULL on failure. */
zhs_status_t zhs_searcher_open(const char *const *paths, size_t npaths,
                               zhs_searcher_t **out, zhs_error_t *err);

/* NULL-tolerant. */
void zhs_searcher_close(zhs_searcher_t *s);

/* Moves to the newest committed revision (cheap when nothing changed); *changed (may be
 * NULL) tells whether it moved. Call before each request or on SIGHUP. Searches also
 * reopen and retry by themselves once when the index changes under them. */
zhs_status_t zhs_searcher_refresh(zhs_searcher_t *s, bool *changed, zhs_error_t *err);

/* How many times s moved to another revision (a refresh that found one, or a search
 * that reopened by itself): equal counts mean the same contents, so an answer may be
 * reused. */
uint64_t zhs_searcher_moves(const zhs_searcher_t *s);

/* For /stats and /metrics. */
typedef struct {
    uint64_t revision;    /* revision of the first database */
    uint64_t documents;   /* source documents */
    uint64_t passages;    /* passages (Xapian documents) */
    uint64_t deleted;     /* passages deleted but kept until a rebuild (zhs_db_deleted) */
    uint64_t synonym_words;   /* words the index's thesaurus widens (zhs_db_synonym_words) */
} zhs_index_stats_t;

zhs_status_t zhs_searcher_stats(zhs_searcher_t *s, zhs_index_stats_t *out,
                                zhs_error_t *err);

/* ------------------------------------------------------------ a search request */

typedef enum {
    ZHS_SORT_RELEVANCE = 0,
    ZHS_SORT_DATE,            /* newest first; unknown dates last */
    ZHS_SORT_DATE_ASC,        /* oldest first; unknown dates first */
} zhs_sort_t;

typedef enum {
    ZHS_GROUP_DOC = 0,        /* best passage per document, `more` = its other matches */
    ZHS_GROUP_PASSAGE,        /* every matching passage */
} zhs_group_t;

/* Facets, a bit set. */
enum {
    ZHS_FACET_DEPARTMENT = 1u << 0,
    ZHS_FACET_YEAR = 1u << 1,
    ZHS_FACET_SECTION = 1u << 2,
    ZHS_FACET_ISSUER = 1u << 3,
    ZHS_FACETS_DEFAULT = ZHS_FACET_DEPARTMENT | ZHS_FACET_YEAR | ZHS_FACET_SECTION,
};

/* A list of borrowed strings; the array is owned by the request. */
typedef struct {
    const char **v;
    size_t n;
    size_t cap;
} zhs_strlist_t;

/* Every string is BORROWED from the caller and must stay valid until the zhs_search
 * call returns; the lists' arrays are owned by the request (zhs_search_request_release
 * frees them). Filter lists: values of one list are ORed, lists are ANDed. Filter
 * values are normalized like the text (`財政局` = `财政局`); a department without its
 * `市` prefix also matches the prefixed name. A year value is `2016`, `2016..2020`,
 * `2016..`, `..2020` or `unknown`. */
typedef struct {
    const char *q;            /* NULL or blank: filters only (every passage matches) */
    zhs_strlist_t dept;
    zhs_strlist_t issuer;
    zhs_strlist_t section;
    zhs_strlist_t year;
    unsigned offset;
    unsigned limit;           /* 0..ZHS_LIMIT_MAX */
    zhs_sort_t sort;
    zhs_group_t group;
    unsigned facets;          /* ZHS_FACET_* bits; 0 = no "facets" member */
    unsigned facet_limit;     /* values listed per facet; 0 = every value */
    unsigned snippet_chars;   /* 0 = no snippets */
    bool exact_only;          /* `near=false`: no near matches after few exact ones */
} zhs_search_request_t;

/* Sets the API defaults: no q, no filters, offset 0, limit ZHS_LIMIT_DEFAULT,
 * relevance, group doc, ZHS_FACETS_DEFAULT, ZHS_FACET_LIMIT_DEFAULT,
 * ZHS_SNIPPET_DEFAULT. Never fails. */
void zhs_search_request_init(zhs_search_request_t *req);

/* Frees the lists' arrays (not the borrowed strings) and re-initializes. NULL-tolerant. */
void zhs_search_request_release(zhs_search_request_t *req);

/* Applies one HTTP query parameter, by its API name (`q`, `dept`, `issuer`, `section`,
 * `year`, `offset`, `limit`, `sort`, `group`, `facets`, `facet_limit` (0: all), `snippet`,
 * `near` (true or false)). value is borrowed
 * (see above). Repeating a filter parameter adds a value; repeating another replaces it.
 * `limit` above ZHS_LIMIT_MAX is clamped, `snippet` above ZHS_SNIPPET_MAX likewise.
 * Fails with ZHS_ERR_BAD_ARG and a message naming the parameter on a malformed value
 * (`limit=x`, `sort=up`, `facets=color`, `year=20x6`) and on an unknown name. */
zhs_status_t zhs_search_request_set(zhs_search_request_t *req, const char *name,
                                    const char *value, zhs_error_t *err);

/* Is q blank (only ASCII white space and U+3000 IDEOGRAPHIC SPACE; NULL counts)? A blank
 * q with filters searches the filters alone; a blank q without them is no query. */
bool zhs_query_is_blank(const char *q);

/* Appends a borrowed string to a list. ZHS_ERR_NOMEM on failure. */
zhs_status_t zhs_strlist_add(zhs_strlist_t *list, const char *s, zhs_error_t *err);

/* ------------------------------------------------------------ searching */

/* Runs a search. On success *out is a new JSON object (caller frees with json_decref)
 * in the shape of the `GET /search` response:
 *
 *   {"query": {"q": ..., "normalized": ..., "relaxed": false},
 *    "total": N, "offset": n, "limit": n, "took_ms": 0.8,
 *    "hits": [{"doc", "title", "issuer": [..], "doc_number", "date", "year", "url",
 *              "section", "subsection", "departments": [{"name", "role"}],
 *              "file", "line_start", "line_end", "score", "more", "snippet"}, ...],
 *    "facets": {"department": [{"value", "count"}, ...], "year": [...],
 *               "section": [...], "issuer": [...]}}
 *
 * Missing metadata is JSON null (title, doc_number, date, year, url, section,
 * subsection); "issuer" and "departments" are arrays, possibly empty. "more" is the
 * number of other matching passages of the same document with group=doc, and 0 with
 * group=passage. "snippet" is HTML with only `<mark>` tags, absent when
 * snippet_chars is 0. "facets" holds the requested facets only, each over ALL matches
 * with every filter applied, counted in the unit of "total" (documents with group=doc,
 * passages with group=passage), most frequent first; a year facet value is `2016` or
 * `unknown`. "relaxed" is true when few passages matched exactly (fewer than 20)
 * and looser matches follow them: the words' characters close
 * together in order, and the synonyms the index's thesaurus gives the words
 * (zhs_index_set_thesaurus), listed in "query": {"synonyms": [...]} when any was
 * added. Every hit then says "exact": true (the query as asked, ranked first) or false.
 * "normalized" is q after normalization.
 *
 * Fails with ZHS_ERR_BAD_QUERY / ZHS_ERR_BAD_UTF8 (err->offset in q) or ZHS_ERR_BAD_ARG
 * for the request, a database status otherwise; *out is NULL then. */
zhs_status_t zhs_search(zhs_searcher_t *s, const zhs_search_request_t *req, json_t **out,
                        zhs_error_t *err);

/* One document for `GET /doc/{id}`. q may be NULL (or blank). On success *out is a new
 * JSON object (caller frees with json_decref):
 *
 *   {"doc", "file", "title", "issuer": [..], "doc_number", "date", "year", "url",
 *    "fragment_of", "encoding", "passages": n,
 *    "outline": [{"heading", "name", "level", "line_start", "line_end"}, ...],
 *    "text": the full original text (plain, not escaped)}
 *
 * and with a non-blank q also
 *
 *   "query": {"q", "normalized"}, "matches": number of marked spans,
 *   "match_lines": [1-based line numbers holding a match, ascending],
 *   "html": the full text HTML-escaped with every match of q's terms and phrases in
 *           <mark>...</mark>; where the document holds none, every match of the words'
 *           synonyms (see zhs_search), listed in "query": {"synonyms": [...]}
 *
 * Fails with ZHS_ERR_NOT_FOUND when no document has that id, ZHS_ERR_BAD_QUERY for q. */
zhs_status_t zhs_search_doc(zhs_searcher_t *s, const char *id, const char *q,
                            json_t **out, zhs_error_t *err);

/* ------------------------------------------------------------ statuses for HTTP */

/* The HTTP status for a failure of this header: ZHS_ERR_BAD_QUERY, ZHS_ERR_BAD_ARG,
 * ZHS_ERR_BAD_UTF8 -> 400; ZHS_ERR_NOT_FOUND -> 404; ZHS_ERR_DB_MISSING,
 * ZHS_ERR_DB_LOCKED, ZHS_ERR_DB_MODIFIED, ZHS_ERR_DB_CORRUPT -> 503; ZHS_OK -> 200;
 * anything else -> 500. */
int zhs_status_http(zhs_status_t status);

/* The machine-readable "code" of an error response: "bad_query", "bad_parameter",
 * "bad_utf8", "not_found", "index_unavailable", "internal"; "ok" for ZHS_OK. Static. */
const char *zhs_status_code(zhs_status_t status);

#ifdef __cplusplus
}
#endif

#endif
