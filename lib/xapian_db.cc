/* Read-only databases for C: opening, combining shards, reopening, and the read-side
 * lookups (counts, metadata, postings, document data and values). The lookups that a
 * writable database offers too are written once here, over Xapian::Database. */
#include "config.h"

#include "xapian_internal.h"

namespace zx {

uint64_t termfreq(const Xapian::Database &db, const char *term, size_t nbytes,
                  const IsDeleted &is_deleted)
{
    std::string t = term_arg(term, nbytes, false);
    if (!is_deleted)
        return db.get_termfreq(t);
    uint64_t n = 0;
    for (auto it = db.postlist_begin(t); it != db.postlist_end(t); ++it)
        n += !is_deleted(*it);
    return n;
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
              void *ctx, const IsDeleted &is_deleted)
{
    need(reinterpret_cast<const void *>(fn), "fn");
    /* term_arg refuses "", which Xapian would read as "every document". */
    std::string t = term_arg(term, nbytes, false);
    for (auto it = db.postlist_begin(t); it != db.postlist_end(t); ++it)
        if (!(is_deleted && is_deleted(*it)) && fn(ctx, *it))
            break;
}

Xapian::Document live_document(const Xapian::Database &db, zhs_docid_t docid,
                               const IsDeleted &is_deleted)
{
    if (docid != 0 && is_deleted && is_deleted(docid))
        throw Xapian::DocNotFoundError("Document " + std::to_string(docid) +
                                       " not found");
    return db.get_document(docid);
}

void get_value(const Xapian::Database &db, zhs_docid_t docid, unsigned slot, char **out,
               size_t *out_nbytes, const IsDeleted &is_deleted)
{
    clear_out(out, out_nbytes);
    need(out, "out");
    Xapian::valueno s = slot_arg(slot);
    copy_out(live_document(db, docid, is_deleted).get_value(s), out, out_nbytes);
}

} // namespace zx

namespace {

/* Reads the tombstones of db's shards at their current revision. */
void load_tombstones(zhs_db_t *db)
{
    *db->deleted = zx::Tombstones::load(db->shards);
}

zx::IsDeleted is_deleted(const zhs_db_t *db)
{
    std::shared_ptr<const zx::Tombstones> t = *db->deleted;
    if (!t)
        return nullptr;
    return [t](Xapian::docid did) { return t->deleted(did); };
}

} // namespace

extern "C" {

zhs_status_t zhs_db_open(const char *path, zhs_db_t **out, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, path, [&] {
        zx::need(out, "out");
        *out = nullptr;
        zx::need(path, "path");
        Xapian::Database db(path);
        std::unique_ptr<zhs_db> h(new zhs_db{db, {db}});
        load_tombstones(h.get());
        *out = h.release();
    });
}

zhs_status_t zhs_db_add(zhs_db_t *db, const char *path, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, path, [&] {
        zx::need(db, "db");
        zx::need(path, "path");
        Xapian::Database shard(path);
        db->db.add_database(shard);
        db->shards.push_back(shard);
        load_tombstones(db);
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
        /* The shards' internals are shared with `shards`, which move along. */
        bool moved = db->db.reopen();
        if (moved)
            load_tombstones(db);
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
            *out = db->shards.front().get_revision();
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
        std::shared_ptr<const zx::Tombstones> t = *db->deleted;
        *out = db->db.get_doccount() - (t ? t->count() : 0);
    });
}

zhs_status_t zhs_db_deleted(zhs_db_t *db, uint64_t *out, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = 0;
        zx::need(db, "db");
        std::shared_ptr<const zx::Tombstones> t = *db->deleted;
        *out = t ? t->count() : 0;
    });
}

zhs_status_t zhs_db_termfreq(zhs_db_t *db, const char *term, size_t nbytes, uint64_t *out,
                             zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = 0;
        zx::need(db, "db");
        *out = zx::termfreq(db->db, term, nbytes, is_deleted(db));
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
        zx::postings(db->db, term, nbytes, fn, ctx, is_deleted(db));
    });
}

zhs_status_t zhs_db_get_data(zhs_db_t *db, zhs_docid_t docid, char **out, size_t *out_nbytes,
                             zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::clear_out(out, out_nbytes);
        zx::need(db, "db");
        zx::need(out, "out");
        zx::copy_out(zx::live_document(db->db, docid, is_deleted(db)).get_data(), out, out_nbytes);
    });
}

zhs_status_t zhs_db_get_value(zhs_db_t *db, zhs_docid_t docid, unsigned slot, char **out,
                              size_t *out_nbytes, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::clear_out(out, out_nbytes);
        zx::need(db, "db");
        zx::get_value(db->db, docid, slot, out, out_nbytes, is_deleted(db));
    });
}

} // extern "C"
