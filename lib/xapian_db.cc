/* Read-only databases for C: opening, combining shards, reopening, and the read-side
 * lookups (counts, metadata, postings, document data and values). The lookups that a
 * writable database offers too are written once here, over Xapian::Database. */
#include "config.h"

#include "xapian_internal.h"

namespace zx {

uint64_t termfreq(const Xapian::Database &db, const char *term, size_t nbytes)
{
    return db.get_termfreq(term_arg(term, nbytes, false));
}

void get_metadata(const Xapian::Database &db, const char *key, char **out,
                  size_t *out_nbytes)
{
    clear_out(out, out_nbytes);
    need(key, "key");
    need(out, "out");
    std::string value = db.get_metadata(key);
    if (!value.empty())
        copy_out(value, out, out_nbytes);
}

void metadata_keys(const Xapian::Database &db, const char *prefix, zhs_bytes_fn fn,
                   void *ctx)
{
    need(reinterpret_cast<const void *>(fn), "fn");
    std::string pfx = prefix ? prefix : "";
    for (auto it = db.metadata_keys_begin(pfx); it != db.metadata_keys_end(pfx); ++it) {
        const std::string &key = *it;
        if (fn(ctx, key.data(), key.size()))
            break;
    }
}

void postings(const Xapian::Database &db, const char *term, size_t nbytes, zhs_docid_fn fn,
              void *ctx)
{
    need(reinterpret_cast<const void *>(fn), "fn");
    /* term_arg refuses "", which Xapian would read as "every document". */
    std::string t = term_arg(term, nbytes, false);
    for (auto it = db.postlist_begin(t); it != db.postlist_end(t); ++it)
        if (fn(ctx, *it))
            break;
}

void get_value(const Xapian::Database &db, zhs_docid_t docid, unsigned slot, char **out,
               size_t *out_nbytes)
{
    clear_out(out, out_nbytes);
    need(out, "out");
    Xapian::valueno s = slot_arg(slot);
    copy_out(db.get_document(docid).get_value(s), out, out_nbytes);
}

} // namespace zx

extern "C" {

zhs_status_t zhs_db_open(const char *path, zhs_db_t **out, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, path, [&] {
        zx::need(out, "out");
        *out = nullptr;
        zx::need(path, "path");
        Xapian::Database db(path);
        *out = new zhs_db{db, db};
    });
}

zhs_status_t zhs_db_add(zhs_db_t *db, const char *path, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, path, [&] {
        zx::need(db, "db");
        zx::need(path, "path");
        db->db.add_database(Xapian::Database(path));
    });
}

void zhs_db_close(zhs_db_t *db) noexcept
{
    delete db;
}

zhs_status_t zhs_db_reopen(zhs_db_t *db, bool *changed, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        if (changed)
            *changed = false;
        zx::need(db, "db");
        /* The shards' internals are shared with `first`, so it moves along. */
        bool moved = db->db.reopen();
        if (changed)
            *changed = moved;
    });
}

zhs_status_t zhs_db_revision(zhs_db_t *db, uint64_t *out, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = 0;
        zx::need(db, "db");
        try {
            *out = db->first.get_revision();
        } catch (const Xapian::InvalidOperationError &) {
            /* A stub file naming several shards has no single revision. */
            *out = 0;
        }
    });
}

zhs_status_t zhs_db_doccount(zhs_db_t *db, uint64_t *out, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = 0;
        zx::need(db, "db");
        *out = db->db.get_doccount();
    });
}

zhs_status_t zhs_db_termfreq(zhs_db_t *db, const char *term, size_t nbytes, uint64_t *out,
                             zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = 0;
        zx::need(db, "db");
        *out = zx::termfreq(db->db, term, nbytes);
    });
}

zhs_status_t zhs_db_prefix_freq(zhs_db_t *db, const char *prefix, size_t nbytes,
                                uint64_t *out, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = 0;
        zx::need(db, "db");
        std::string p = zx::term_arg(prefix, nbytes, false);
        for (auto it = db->db.allterms_begin(p); it != db->db.allterms_end(p); ++it)
            *out += it.get_termfreq();
    });
}

zhs_status_t zhs_db_get_metadata(zhs_db_t *db, const char *key, char **out,
                                 size_t *out_nbytes, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::clear_out(out, out_nbytes);
        zx::need(db, "db");
        zx::get_metadata(db->db, key, out, out_nbytes);
    });
}

zhs_status_t zhs_db_metadata_keys(zhs_db_t *db, const char *prefix, zhs_bytes_fn fn,
                                  void *ctx, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(db, "db");
        zx::metadata_keys(db->db, prefix, fn, ctx);
    });
}

zhs_status_t zhs_db_postings(zhs_db_t *db, const char *term, size_t nbytes, zhs_docid_fn fn,
                             void *ctx, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(db, "db");
        zx::postings(db->db, term, nbytes, fn, ctx);
    });
}

zhs_status_t zhs_db_get_data(zhs_db_t *db, zhs_docid_t docid, char **out, size_t *out_nbytes,
                             zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::clear_out(out, out_nbytes);
        zx::need(db, "db");
        zx::need(out, "out");
        zx::copy_out(db->db.get_document(docid).get_data(), out, out_nbytes);
    });
}

zhs_status_t zhs_db_get_value(zhs_db_t *db, zhs_docid_t docid, unsigned slot, char **out,
                              size_t *out_nbytes, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::clear_out(out, out_nbytes);
        zx::need(db, "db");
        zx::get_value(db->db, docid, slot, out, out_nbytes);
    });
}

} // extern "C"
