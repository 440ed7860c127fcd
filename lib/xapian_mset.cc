/* Result pages for C: sizes, match-count estimates, and each item's docid, rank,
 * weight, collapse count, data and values. An MSet keeps its database alive, so a page
 * stays readable after its enquire is freed. */
#include "config.h"

#include "xapian_internal.h"

namespace {

size_t page_size(const zhs_mset_t *mset)
{
    return mset->ranked ? mset->items.size() : mset->mset.size();
}

void need_item(const zhs_mset_t *mset, size_t i)
{
    zx::need(mset, "mset");
    zx::need(i < page_size(mset), "item index is past the end of the result page");
}

Xapian::Document document_at(const zhs_mset_t *mset, size_t i)
{
    need_item(mset, i);
    if (mset->ranked)
        return mset->db.get_document(mset->items[i].docid);
    return mset->mset[static_cast<Xapian::doccount>(i)].get_document();
}

} // namespace

extern "C" {

void zhs_mset_free(zhs_mset_t *mset) noexcept
{
    delete mset;
}

size_t zhs_mset_size(const zhs_mset_t *mset) noexcept
{
    return mset ? page_size(mset) : 0;
}

uint64_t zhs_mset_matches_estimated(const zhs_mset_t *mset) noexcept
{
    return !mset ? 0 : mset->ranked ? mset->matches : mset->mset.get_matches_estimated();
}

uint64_t zhs_mset_matches_lower(const zhs_mset_t *mset) noexcept
{
    return !mset ? 0 : mset->ranked ? mset->matches : mset->mset.get_matches_lower_bound();
}

uint64_t zhs_mset_matches_upper(const zhs_mset_t *mset) noexcept
{
    return !mset ? 0 : mset->ranked ? mset->matches : mset->mset.get_matches_upper_bound();
}

zhs_status_t zhs_mset_item(const zhs_mset_t *mset, size_t i, zhs_mset_item_t *out,
                           zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = zhs_mset_item_t{};
        need_item(mset, i);
        if (mset->ranked) {
            *out = mset->items[i];
            return;
        }
        Xapian::MSetIterator it = mset->mset[static_cast<Xapian::doccount>(i)];
        out->docid = *it;
        out->rank = it.get_rank();
        out->weight = it.get_weight();
        out->collapse_count = it.get_collapse_count();
    });
}

zhs_status_t zhs_mset_item_data(const zhs_mset_t *mset, size_t i, char **out,
                                size_t *out_nbytes, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::clear_out(out, out_nbytes);
        zx::need(out, "out");
        zx::copy_out(document_at(mset, i).get_data(), out, out_nbytes);
    });
}

zhs_status_t zhs_mset_item_value(const zhs_mset_t *mset, size_t i, unsigned slot,
                                 char **out, size_t *out_nbytes, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::clear_out(out, out_nbytes);
        zx::need(out, "out");
        Xapian::valueno s = zx::slot_arg(slot);
        zx::copy_out(document_at(mset, i).get_value(s), out, out_nbytes);
    });
}

} // extern "C"
