/* The synonym table of a database (Xapian's own: a term and the terms it also stands
 * for), which the index writer fills from a thesaurus and searches read to widen a
 * query's words when they find little. */
#include "config.h"

#include "xapian_internal.h"

namespace zx {

static void synonyms_of(const Xapian::Database &db, const char *term, size_t nbytes,
                        zhs_bytes_fn fn, void *ctx)
{
    need(reinterpret_cast<const void *>(fn), "fn");
    std::string t = term_arg(term, nbytes, false);
    for (auto it = db.synonyms_begin(t); it != db.synonyms_end(t); ++it) {
        const std::string &syn = *it;
        if (fn(ctx, syn.data(), syn.size()))
            break;
    }
}

} // namespace zx

zhs_status_t zhs_db_synonyms(zhs_db_t *db, const char *term, size_t nbytes, zhs_bytes_fn fn,
                             void *ctx, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(db, "db");
        zx::synonyms_of(db->db, term, nbytes, fn, ctx);
    });
}

zhs_status_t zhs_db_synonym_words(zhs_db_t *db, uint64_t *out, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = 0;
        zx::need(db, "db");
        for (auto it = db->db.synonym_keys_begin(); it != db->db.synonym_keys_end(); ++it)
            ++*out;
    });
}

zhs_status_t zhs_wdb_synonyms(zhs_wdb_t *wdb, const char *term, size_t nbytes,
                              zhs_bytes_fn fn, void *ctx, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(wdb, "wdb");
        zx::synonyms_of(wdb->db, term, nbytes, fn, ctx);
    });
}

zhs_status_t zhs_wdb_add_synonym(zhs_wdb_t *wdb, const char *term, size_t nbytes,
                                 const char *synonym, size_t syn_nbytes,
                                 zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(wdb, "wdb");
        wdb->db.add_synonym(zx::term_arg(term, nbytes, true),
                            zx::term_arg(synonym, syn_nbytes, true));
    });
}

zhs_status_t zhs_wdb_clear_synonyms(zhs_wdb_t *wdb, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(wdb, "wdb");
        /* Collected first: clearing a key while iterating the keys would move under
         * the iterator. */
        std::vector<std::string> keys(wdb->db.synonym_keys_begin(), wdb->db.synonym_keys_end());
        for (const std::string &key : keys)
            wdb->db.clear_synonyms(key);
    });
}
