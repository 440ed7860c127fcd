/* Status names and the first-message-wins error record. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "zhsearch/status.h"

static const char *const status_names[ZHS_STATUS_LAST] = {
    [ZHS_OK] = "ok",
    [ZHS_ERR_NOMEM] = "out of memory",
    [ZHS_ERR_BAD_ARG] = "bad argument",
    [ZHS_ERR_BAD_UTF8] = "bad UTF-8",
    [ZHS_ERR_BAD_ENCODING] = "bad encoding",
    [ZHS_ERR_BAD_QUERY] = "bad query",
    [ZHS_ERR_NOT_FOUND] = "not found",
    [ZHS_ERR_DB_MISSING] = "index missing",
    [ZHS_ERR_DB_LOCKED] = "index locked",
    [ZHS_ERR_DB_MODIFIED] = "index modified",
    [ZHS_ERR_DB_CORRUPT] = "index corrupt",
    [ZHS_ERR_IO] = "I/O error",
    [ZHS_ERR_INTERNAL] = "internal error",
};

const char *zhs_status_str(zhs_status_t status)
{
    if ((unsigned)status >= ZHS_STATUS_LAST || !status_names[status])
        return "unknown status";
    return status_names[status];
}

void zhs_error_clear(zhs_error_t *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

static zhs_status_t error_vset(zhs_error_t *err, zhs_status_t status, size_t offset,
                               const char *fmt, va_list ap)
{
    if (!err || err->status != ZHS_OK || status == ZHS_OK)
        return status;
    err->status = status;
    err->offset = offset;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return status;
}

zhs_status_t zhs_error_set(zhs_error_t *err, zhs_status_t status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vset(err, status, 0, fmt, ap);
    va_end(ap);
    return status;
}

zhs_status_t zhs_error_set_at(zhs_error_t *err, zhs_status_t status, size_t offset,
                              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vset(err, status, offset, fmt, ap);
    va_end(ap);
    return status;
}
