/* Command-line options of zhsearch-server: what the process was asked to do, parsed
 * once at start and read-only afterwards (shared by every worker thread). */
#ifndef ZHS_SERVER_OPTIONS_H
#define ZHS_SERVER_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define SRV_DEFAULT_DB "./data/index"
#define SRV_DEFAULT_LISTEN "127.0.0.1:8080"
#define SRV_MAX_THREADS 256
#define SRV_DEFAULT_CACHE_MB 128
#define SRV_MAX_CACHE_MB 65536

typedef struct {
    char **dbs;                    /* --db paths in order (at least one) */
    size_t ndbs;
    char *listen;                  /* as given: "127.0.0.1:8080" */
    struct sockaddr_storage addr;  /* parsed from listen */
    int addrlen;
    unsigned threads;              /* worker threads, >= 1 */
    size_t cache_mb;               /* /search response caches, all workers; 0 = none */
    char *cors;                    /* Access-Control-Allow-Origin value */
    bool help;                     /* --help: print usage, serve nothing */
} srv_options_t;

/* Parses argv into *out. default_db is used when no --db is given (the caller passes
 * $ZHSEARCH_DB or SRV_DEFAULT_DB); ncpu is the default thread count. Returns 0, or -1
 * with a one-line reason in errbuf (and *out released). Release with
 * srv_options_release. */
int srv_options_parse(int argc, char **argv, const char *default_db, unsigned ncpu,
                      srv_options_t *out, char *errbuf, size_t errlen);

/* Frees the contents of o (not o itself). NULL-tolerant. */
void srv_options_release(srv_options_t *o);

/* The --help text. */
extern const char srv_options_usage[];

#endif
