/* Writable databases and the documents written to them, for C: add, replace by unique
 * id term, delete, metadata, commits and transactions. Terms are checked against
 * ZHS_MAX_TERM_BYTES here, before Xapian would refuse them. New databases have no
 * termlists: their deletions are tombstones (lib/xapian_tombstones.cc), stored with
 * each commit. */
#include "config.h"

#include <cstring>

#include "xapian_internal.h"

namespace {

int open_flags(int mode)
{
    switch (mode) {
    case ZHS_WDB_CREATE_OR_OPEN:
        return Xapian::DB_CREATE_OR_OPEN;
    case ZHS_WDB_CREATE:
        return Xapian::DB_CREATE;
    case ZHS_WDB_OVERWRITE:
        return Xapian::DB_CREATE_OR_OVERWRITE;
    default:
        throw Xapian::InvalidArgumentError("unknown open mode " + std::to_string(mode));
    }
}

bool has_term(const Xapian::Document &doc, const std::string &term)
{
    Xapian::TermIterator it = doc.termlist_begin();
    it.skip_to(term);
    return it != doc.termlist_end() && *it == term;
}

/* Marks every live document indexed by term deleted. */
void delete_by_term(zhs_wdb_t *wdb, const std::string &term)
{
    if (wdb->termlists) {
        wdb->db.delete_document(term);
        return;
    }
    for (auto it = wdb->db.postlist_begin(term); it != wdb->db.postlist_end(term); ++it)
        wdb->deleted.dirty |= wdb->deleted.docids.insert(*it).second;
}

zx::IsDeleted is_deleted(const zhs_wdb_t *wdb)
{
    if (wdb->termlists || wdb->deleted.docids.empty())
        return nullptr;
    return [wdb](Xapian::docid did) { return wdb->is_deleted(did); };
}

} // namespace

extern "C" {

/* ------------------------------------------------------------ writable database */

zhs_status_t zhs_wdb_open(const char *path, int mode, zhs_wdb_t **out,
                          zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, path, [&] {
        zx::need(out, "out");
        *out = nullptr;
        zx::need(path, "path");
        /* The flag only matters when the database is created: one written with
         * termlists keeps them. */
        Xapian::WritableDatabase db(path, open_flags(mode) | Xapian::DB_NO_TERMLIST);
        std::unique_ptr<zhs_wdb> w(new zhs_wdb{db, zx::has_termlists(db), {}});
        if (!w->termlists)
            w->deleted.load(db);
        *out = w.release();
    });
}

void zhs_wdb_close(zhs_wdb_t *wdb) noexcept
{
    if (!wdb)
        return;
    try {
        /* Commits, or cancels an open transaction; a failure here has nowhere to go
         * (callers who must know call zhs_wdb_commit first). */
        if (!wdb->in_transaction)
            wdb->deleted.flush(wdb->db);
        wdb->db.close();
    } catch (...) {
    }
    delete wdb;
}

zhs_status_t zhs_wdb_replace(zhs_wdb_t *wdb, const char *idterm, const zhs_xdoc_t *doc,
                             zhs_docid_t *out_docid, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        if (out_docid)
            *out_docid = 0;
        zx::need(wdb, "wdb");
        zx::need(doc, "doc");
        zx::need(idterm, "idterm");
        std::string id = zx::term_arg(idterm, strlen(idterm), true);
        /* Without its id term the document could never be replaced again: copies
         * would pile up silently. */
        if (!has_term(doc->doc, id))
            throw Xapian::InvalidArgumentError("document lacks its id term " + id +
                                               " (add it with zhs_xdoc_add_boolean)");
        zhs_docid_t docid;
        if (wdb->termlists) {
            docid = wdb->db.replace_document(id, doc->doc);
        } else {
            delete_by_term(wdb, id);
            docid = wdb->db.add_document(doc->doc);
        }
        if (out_docid)
            *out_docid = docid;
    });
}

zhs_status_t zhs_wdb_add(zhs_wdb_t *wdb, const zhs_xdoc_t *doc, zhs_docid_t *out_docid,
                         zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        if (out_docid)
            *out_docid = 0;
        zx::need(wdb, "wdb");
        zx::need(doc, "doc");
        zhs_docid_t docid = wdb->db.add_document(doc->doc);
        if (out_docid)
            *out_docid = docid;
    });
}

zhs_status_t zhs_wdb_delete_by_term(zhs_wdb_t *wdb, const char *term,
                                    zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(wdb, "wdb");
        zx::need(term, "term");
        /* term_arg refuses "", which Xapian would read as "every document". */
        delete_by_term(wdb, zx::term_arg(term, strlen(term), false));
    });
}

zhs_status_t zhs_wdb_set_metadata(zhs_wdb_t *wdb, const char *key, const char *value,
                                  size_t nbytes, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(wdb, "wdb");
        zx::need(key, "key");
        zx::need(value || nbytes == 0, "value is NULL");
        wdb->db.set_metadata(key, value ? std::string(value, nbytes) : std::string());
    });
}

zhs_status_t zhs_wdb_get_metadata(zhs_wdb_t *wdb, const char *key, char **out,
                                  size_t *out_nbytes, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::clear_out(out, out_nbytes);
        zx::need(wdb, "wdb");
        zx::get_metadata(wdb->db, key, out, out_nbytes);
    });
}

zhs_status_t zhs_wdb_metadata_keys(zhs_wdb_t *wdb, const char *prefix, zhs_bytes_fn fn,
                                   void *ctx, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(wdb, "wdb");
        zx::metadata_keys(wdb->db, prefix, fn, ctx);
    });
}

zhs_status_t zhs_wdb_termfreq(zhs_wdb_t *wdb, const char *term, size_t nbytes,
                              uint64_t *out, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = 0;
        zx::need(wdb, "wdb");
        *out = zx::termfreq(wdb->db, term, nbytes, is_deleted(wdb));
    });
}

zhs_status_t zhs_wdb_doccount(zhs_wdb_t *wdb, uint64_t *out, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = 0;
        zx::need(wdb, "wdb");
        *out = wdb->db.get_doccount() - (wdb->termlists ? 0 : wdb->deleted.docids.size());
    });
}

zhs_status_t zhs_wdb_deleted(zhs_wdb_t *wdb, uint64_t *out, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = 0;
        zx::need(wdb, "wdb");
        *out = wdb->termlists ? 0 : wdb->deleted.docids.size();
    });
}

zhs_status_t zhs_wdb_postings(zhs_wdb_t *wdb, const char *term, size_t nbytes,
                              zhs_docid_fn fn, void *ctx, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(wdb, "wdb");
        zx::postings(wdb->db, term, nbytes, fn, ctx, is_deleted(wdb));
    });
}

zhs_status_t zhs_wdb_get_value(zhs_wdb_t *wdb, zhs_docid_t docid, unsigned slot, char **out,
                               size_t *out_nbytes, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::clear_out(out, out_nbytes);
        zx::need(wdb, "wdb");
        zx::get_value(wdb->db, docid, slot, out, out_nbytes, is_deleted(wdb));
    });
}

zhs_status_t zhs_wdb_commit(zhs_wdb_t *wdb, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(wdb, "wdb");
        wdb->deleted.flush(wdb->db);
        wdb->db.commit();
    });
}

zhs_status_t zhs_wdb_begin(zhs_wdb_t *wdb, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(wdb, "wdb");
        wdb->db.begin_transaction(true);
        wdb->in_transaction = true;
    });
}

zhs_status_t zhs_wdb_end(zhs_wdb_t *wdb, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(wdb, "wdb");
        wdb->deleted.flush(wdb->db);
        wdb->db.commit_transaction();
        wdb->in_transaction = false;
    });
}

zhs_status_t zhs_wdb_cancel(zhs_wdb_t *wdb, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(wdb, "wdb");
        wdb->db.cancel_transaction();
        wdb->in_transaction = false;
        /* The tombstones of the cancelled changes go with them. */
        if (!wdb->termlists)
            wdb->deleted.load(wdb->db);
    });
}

/* ------------------------------------------------------------ documents to write */

zhs_status_t zhs_xdoc_new(zhs_xdoc_t **out, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = nullptr;
        *out = new zhs_xdoc{};
    });
}

void zhs_xdoc_free(zhs_xdoc_t *doc) noexcept
{
    delete doc;
}

zhs_status_t zhs_xdoc_add_term(zhs_xdoc_t *doc, const char *term, size_t nbytes,
                               unsigned wdf_inc, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(doc, "doc");
        doc->doc.add_term(zx::term_arg(term, nbytes, true), wdf_inc);
    });
}

zhs_status_t zhs_xdoc_add_posting(zhs_xdoc_t *doc, const char *term, size_t nbytes,
                                  uint32_t pos, unsigned wdf_inc, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(doc, "doc");
        doc->doc.add_posting(zx::term_arg(term, nbytes, true), pos, wdf_inc);
    });
}

zhs_status_t zhs_xdoc_add_boolean(zhs_xdoc_t *doc, const char *term, size_t nbytes,
                                  zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(doc, "doc");
        doc->doc.add_boolean_term(zx::term_arg(term, nbytes, true));
    });
}

zhs_status_t zhs_xdoc_set_value(zhs_xdoc_t *doc, unsigned slot, const char *bytes,
                                size_t nbytes, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(doc, "doc");
        zx::need(bytes || nbytes == 0, "bytes is NULL");
        Xapian::valueno s = zx::slot_arg(slot);
        doc->doc.add_value(s, bytes ? std::string(bytes, nbytes) : std::string());
    });
}

zhs_status_t zhs_xdoc_set_data(zhs_xdoc_t *doc, const char *bytes, size_t nbytes,
                               zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(doc, "doc");
        zx::need(bytes || nbytes == 0, "bytes is NULL");
        doc->doc.set_data(bytes ? std::string(bytes, nbytes) : std::string());
    });
}

} // extern "C"
