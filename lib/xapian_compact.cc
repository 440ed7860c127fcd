/* Compacting a database into a new directory (Xapian::Database::compact): a freshly
 * built index is written with half-empty B-tree blocks; its compacted copy is about
 * 40% smaller and faster to read. */
#include "config.h"

#include "xapian_internal.h"

extern "C" {

zhs_status_t zhs_db_compact(const char *src, const char *dst, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, src, [&] {
        zx::need(src, "src");
        zx::need(dst, "dst");
        Xapian::Database db(src);
        db.compact(dst, Xapian::Compactor::FULL);
    });
}

} // extern "C"
