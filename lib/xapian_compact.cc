/* Compacting a database, or merging several, into a new directory
 * (Xapian::Database::compact): a freshly built index is written with half-empty B-tree
 * blocks; its compacted copy is about 40% smaller and faster to read. */
#include "config.h"

#include "xapian_internal.h"
#include "zhsearch/schema.h"

namespace {

/* The first and last docid db holds (0, 0 when empty). */
std::pair<Xapian::docid, Xapian::docid> used_range(const Xapian::Database &db)
{
    Xapian::docid first = 0, last = 0;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        if (!first)
            first = *it;
        last = *it;
    }
    return {first, last};
}

/* The sources' tombstones, numbered as the compaction renumbers their documents: in
 * order, each source's first document right after the previous source's last. */
std::set<Xapian::docid> merged_tombstones(const std::vector<Xapian::Database> &srcs)
{
    std::set<Xapian::docid> out;
    Xapian::docid next = 1;
    for (const Xapian::Database &src : srcs) {
        auto range = used_range(src);
        if (!range.first)
            continue;
        for (Xapian::docid d : zx::decode_docids(src.get_metadata(ZHS_META_DELETED)))
            out.insert(d - range.first + next);
        next += range.second - range.first + 1;
    }
    return out;
}

} // namespace

extern "C" {

zhs_status_t zhs_db_compact_many(const char *const *srcs, size_t nsrcs, const char *dst,
                                 zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, dst, [&] {
        zx::need(srcs && nsrcs > 0, "srcs");
        zx::need(dst, "dst");
        Xapian::Database db;
        std::vector<Xapian::Database> each;
        for (size_t i = 0; i < nsrcs; i++) {
            zx::need(srcs[i], "srcs[i]");
            each.emplace_back(srcs[i]);
            db.add_database(each.back());
        }
        db.compact(dst, Xapian::Compactor::FULL);
        /* Metadata comes from the first source that has a key, as its documents were
         * numbered: the tombstones are merged and renumbered. */
        std::string deleted = zx::encode_docids(merged_tombstones(each));
        if (Xapian::Database(dst).get_metadata(ZHS_META_DELETED) != deleted) {
            Xapian::WritableDatabase out(dst, Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST);
            out.set_metadata(ZHS_META_DELETED, deleted);
            out.commit();
        }
    });
}

zhs_status_t zhs_db_compact(const char *src, const char *dst, zhs_error_t *err) noexcept
{
    return zhs_db_compact_many(&src, 1, dst, err);
}

} // extern "C"
