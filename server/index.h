/* One worker thread's view of the index: its own searcher (Xapian handles are per
 * thread), kept fresh without restarts. Before a request, at most every
 * SRV_REFRESH_MS: a --db path that now resolves to another directory or file (a
 * `--rebuild` swapped the symlink to a new generation) is opened afresh and the old
 * searcher closed; otherwise the searcher moves to the newest committed revision. A
 * path that disappeared makes the index unavailable (503) until it comes back. */
#ifndef ZHS_SERVER_INDEX_H
#define ZHS_SERVER_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "zhsearch/search.h"

#define SRV_REFRESH_MS 100

typedef struct srv_index srv_index_t;

/* Opens nothing yet (the first srv_index_refresh does). paths are borrowed and must
 * outlive the index; worker names the thread in log lines. NULL when out of memory. */
srv_index_t *srv_index_new(char *const *paths, size_t npaths, unsigned worker);

/* Closes the searcher. NULL-tolerant. */
void srv_index_free(srv_index_t *ix);

/* Brings the searcher up to date (see above); does nothing when the last check is
 * younger than SRV_REFRESH_MS, unless a reopen was requested since. */
void srv_index_refresh(srv_index_t *ix);

/* Opens the index afresh now (after a search failed with ZHS_ERR_DB_MODIFIED). */
void srv_index_reopen(srv_index_t *ix);

/* The searcher, or NULL with an index_unavailable error in e. Borrowed, valid until
 * the next srv_index_refresh/srv_index_reopen. */
zhs_searcher_t *srv_index_searcher(srv_index_t *ix, srv_error_t *e);

/* A number that changes whenever the searcher may answer differently (another
 * searcher opened, or the searcher moved to another revision, also by itself during
 * a search): what cached answers are tagged with. */
uint64_t srv_index_version(const srv_index_t *ix);

/* Makes every srv_index_t reopen at its next refresh (SIGHUP). Thread-safe and
 * async-signal-safe. */
void srv_index_request_reopen(void);

#endif
