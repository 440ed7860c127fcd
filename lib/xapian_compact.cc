/* Compacting a database, or merging several, into a new directory
 * (Xapian::Database::compact): a freshly built index is written with half-empty B-tree
 * blocks; its compacted copy is about 40% smaller and faster to read. */
#include "config.h"

#include "xapian_internal.h"

extern "C" {

zhs_status_t zhs_db_compact_many(const char *const *srcs, size_t nsrcs, const char *dst,
                                 zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, dst, [&] {
        zx::need(srcs && nsrcs > 0, "srcs");
        zx::need(dst, "dst");
        Xapian::Database db;
        for (size_t i = 0; i < nsrcs; i++) {
            zx::need(srcs[i], "srcs[i]");
            db.add_database(Xapian::Database(srcs[i]));
        }
        db.compact(dst, Xapian::Compactor::FULL);
    });
}

zhs_status_t zhs_db_compact(const char *src, const char *dst, zhs_error_t *err) noexcept
{
    return zhs_db_compact_many(&src, 1, dst, err);
}

} // extern "C"
