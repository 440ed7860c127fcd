/* The one place where C++ exceptions become zhs_status_t values, plus the argument
 * checks of the Xapian binding (which throw, so they take the same path). */
#include "config.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include "xapian_internal.h"

namespace zx {

static bool path_is_missing(const char *path)
{
    struct stat st;
    return path && stat(path, &st) != 0 && errno == ENOENT;
}

static zhs_status_t record(zhs_error_t *err, zhs_status_t status, const char *what,
                           const char *path, const Xapian::Error &e) noexcept
{
    try {
        const char *detail = e.get_error_string();
        zhs_error_set(err, status, "%s%s%s%s: %s: %s%s%s%s", what, path ? "(" : "",
                      path ? path : "", path ? ")" : "", e.get_type(), e.get_msg().c_str(),
                      detail ? " (" : "", detail ? detail : "", detail ? ")" : "");
    } catch (...) {
        /* get_error_string() may allocate: keep at least the type. */
        zhs_error_set(err, status, "%s: %s", what, e.get_type());
    }
    return status;
}

zhs_status_t fail(zhs_error_t *err, const char *what, const char *path) noexcept
{
    /* Most specific first: several of these derive from one another (DatabaseVersionError
     * and DatabaseNotFoundError are DatabaseOpeningErrors, all are Xapian::Errors). */
    try {
        throw;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return record(err, ZHS_ERR_DB_MISSING, what, path, e);
    } catch (const Xapian::DatabaseLockError &e) {
        return record(err, ZHS_ERR_DB_LOCKED, what, path, e);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return record(err, ZHS_ERR_DB_MODIFIED, what, path, e);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return record(err, ZHS_ERR_DB_CORRUPT, what, path, e);
    } catch (const Xapian::DatabaseVersionError &e) {
        return record(err, ZHS_ERR_DB_CORRUPT, what, path, e);
    } catch (const Xapian::DatabaseOpeningError &e) {
        return record(err, path_is_missing(path) ? ZHS_ERR_DB_MISSING : ZHS_ERR_IO, what,
                      path, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return record(err, ZHS_ERR_BAD_ARG, what, path, e);
    } catch (const Xapian::InvalidOperationError &e) {
        return record(err, ZHS_ERR_BAD_ARG, what, path, e);
    } catch (const Xapian::DocNotFoundError &e) {
        return record(err, ZHS_ERR_NOT_FOUND, what, path, e);
    } catch (const Xapian::Error &e) {
        return record(err, ZHS_ERR_IO, what, path, e);
    } catch (const std::bad_alloc &) {
        return zhs_error_set(err, ZHS_ERR_NOMEM, "%s: out of memory", what);
    } catch (const std::exception &e) {
        return zhs_error_set(err, ZHS_ERR_INTERNAL, "%s: %s", what, e.what());
    } catch (...) {
        return zhs_error_set(err, ZHS_ERR_INTERNAL, "%s: unknown exception", what);
    }
}

void need(const void *p, const char *name)
{
    if (!p)
        throw Xapian::InvalidArgumentError(std::string(name) + " is NULL");
}

void need(bool ok, const char *message)
{
    if (!ok)
        throw Xapian::InvalidArgumentError(message);
}

std::string term_arg(const char *term, size_t nbytes, bool for_writing)
{
    need(term, "term");
    need(nbytes > 0, "term is empty");
    if (for_writing && nbytes > ZHS_MAX_TERM_BYTES)
        throw Xapian::InvalidArgumentError("term of " + std::to_string(nbytes) +
                                           " bytes is longer than ZHS_MAX_TERM_BYTES (" +
                                           std::to_string(ZHS_MAX_TERM_BYTES) + ")");
    return std::string(term, nbytes);
}

Xapian::valueno slot_arg(long long slot)
{
    if (slot < 0 || slot >= static_cast<long long>(Xapian::BAD_VALUENO))
        throw Xapian::InvalidArgumentError("value slot " + std::to_string(slot) +
                                           " is out of range");
    return static_cast<Xapian::valueno>(slot);
}

void clear_out(char **out, size_t *out_nbytes)
{
    if (out)
        *out = nullptr;
    if (out_nbytes)
        *out_nbytes = 0;
}

void copy_out(const std::string &s, char **out, size_t *out_nbytes)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    *out = p;
    if (out_nbytes)
        *out_nbytes = s.size();
}

} // namespace zx
