/* Result pages for C: sizes, match-count estimates, and each item's docid, rank,
 * weight, collapse count, data and values. An MSet keeps its database alive, so a page
 * stays readable after its enquire is freed. */
#include "config.h"

#include "xapian_internal.h"

namespace {

Xapian::MSetIterator item_at(const zhs_mset_t *mset, size_t i)
{
    zx::need(mset, "mset");
    zx::need(i < mset->mset.size(), "item index is past the end of the result page");
    return mset->mset[static_cast<Xapian::doccount>(i)];
}

} // namespace

extern "C" {

void zhs_mset_free(zhs_mset_t *mset) noexcept
{
    delete mset;
}

size_t zhs_mset_size(const zhs_mset_t *mset) noexcept
{
    return mset ? mset->mset.size() : 0;
}

uint64_t zhs_mset_matches_estimated(const zhs_mset_t *mset) noexcept
{
    return mset ? mset->mset.get_matches_estimated() : 0;
}

uint64_t zhs_mset_matches_lower(const zhs_mset_t *mset) noexcept
{
    return mset ? mset->mset.get_matches_lower_bound() : 0;
}

uint64_t zhs_mset_matches_upper(const zhs_mset_t *mset) noexcept
{
    return mset ? mset->mset.get_matches_upper_bound() : 0;
}

zhs_status_t zhs_mset_item(const zhs_mset_t *mset, size_t i, zhs_mset_item_t *out,
                           zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = zhs_mset_item_t{};
        Xapian::MSetIterator it = item_at(mset, i);
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
        zx::copy_out(item_at(mset, i).get_document().get_data(), out, out_nbytes);
    });
}

zhs_status_t zhs_mset_item_value(const zhs_mset_t *mset, size_t i, unsigned slot,
                                 char **out, size_t *out_nbytes, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::clear_out(out, out_nbytes);
        zx::need(out, "out");
        Xapian::valueno s = zx::slot_arg(slot);
        zx::copy_out(item_at(mset, i).get_document().get_value(s), out, out_nbytes);
    });
}

} // extern "C"
