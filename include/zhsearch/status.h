/* zhsearch status codes and the one error convention of the library.
 *
 * Every fallible library function returns a zhs_status_t and takes an optional
 * caller-owned zhs_error_t *err (may be NULL). On failure the first message is kept
 * in err; later failures do not overwrite it. Library code never prints or exits. */
#ifndef ZHSEARCH_STATUS_H
#define ZHSEARCH_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ZHS_OK = 0,
    ZHS_ERR_NOMEM,          /* an allocation failed */
    ZHS_ERR_BAD_ARG,        /* a caller passed an invalid argument */
    ZHS_ERR_BAD_UTF8,       /* input is not valid UTF-8; err->offset is the byte offset */
    ZHS_ERR_BAD_ENCODING,   /* a file could not be decoded from any supported encoding */
    ZHS_ERR_BAD_QUERY,      /* a query string could not be parsed */
    ZHS_ERR_NOT_FOUND,      /* a document or term asked for does not exist */
    ZHS_ERR_DB_MISSING,     /* no database at the given path */
    ZHS_ERR_DB_LOCKED,      /* another writer holds the database lock */
    ZHS_ERR_DB_MODIFIED,    /* the database changed under a reader: reopen and retry */
    ZHS_ERR_DB_CORRUPT,     /* the database is damaged or of an unknown format */
    ZHS_ERR_IO,             /* a read or write failed */
    ZHS_ERR_INTERNAL,       /* a bug or an unexpected library exception */
    ZHS_STATUS_LAST         /* not a status: one past the last */
} zhs_status_t;

/* Caller-owned; never allocates. Zero it (or call zhs_error_clear) before use. */
typedef struct {
    zhs_status_t status;
    size_t offset;          /* byte offset of the fault where one applies, else 0 */
    char message[256];
} zhs_error_t;

/* A short constant English name for a status ("bad UTF-8"); never NULL. */
const char *zhs_status_str(zhs_status_t status);

void zhs_error_clear(zhs_error_t *err);

/* Records status and a printf-style message in err unless err is NULL or already holds
 * a failure. Returns status, so callers can write `return zhs_error_set(err, ...)`. */
zhs_status_t zhs_error_set(zhs_error_t *err, zhs_status_t status, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* As zhs_error_set, also recording a byte offset. */
zhs_status_t zhs_error_set_at(zhs_error_t *err, zhs_status_t status, size_t offset,
                              const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#ifdef __cplusplus
}
#endif

#endif
