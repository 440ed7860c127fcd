/* A worker's cache of /search response bodies, keyed by the request's query string and
 * valid for one version of its index view: a front end asks the same search again and
 * again (the back button, paging back, a popular query, a facet click undone), and a
 * repeat then costs a lookup and a copy instead of a search. Bounded in bytes, least
 * recently used out first. One per worker thread, so it needs no lock. */
#ifndef ZHS_SERVER_CACHE_H
#define ZHS_SERVER_CACHE_H

#include <stddef.h>
#include <stdint.h>

typedef struct srv_cache srv_cache_t;

/* A cache holding at most max_bytes of keys, bodies and bookkeeping; a body over an
 * eighth of that is not kept. NULL when out of memory. */
srv_cache_t *srv_cache_new(size_t max_bytes);

/* NULL-tolerant. */
void srv_cache_free(srv_cache_t *c);

/* The body stored for key at version, or NULL (a version other than the last one
 * stored or looked up empties the cache first: entries of an older index are never
 * served). Borrowed, valid until the next srv_cache_put. A hit becomes the most
 * recently used entry. */
const char *srv_cache_get(srv_cache_t *c, uint64_t version, const char *key,
                          size_t *nbytes);

/* Stores a copy of body[0..nbytes) for key at version, replacing what key held and
 * evicting the least recently used entries to make room. Out of memory or too big:
 * nothing is stored (a cache may forget). */
void srv_cache_put(srv_cache_t *c, uint64_t version, const char *key, const char *body,
                   size_t nbytes);

/* Entries and bytes held (for tests and /metrics). */
size_t srv_cache_entries(const srv_cache_t *c);
size_t srv_cache_bytes(const srv_cache_t *c);

#endif
