/* Search sessions for C: query, BM25 parameters, sort order, collapsing, the caller's
 * per-candidate decider, and running the match. Facet counting lives in
 * xapian_facet.cc, result pages in xapian_mset.cc. */
#include "config.h"

#include "xapian_internal.h"

namespace zx {

bool Decider::operator()(const Xapian::Document &doc) const
{
    /* Called by the matcher before match spies and collapsing, so a rejected document
     * is neither counted nor collapsed. */
    Xapian::docid docid = single_shard ? doc.get_docid() : 0;
    if (value_fn) {
        std::string value = doc.get_value(value_slot);
        if (!value.empty())
            return value_fn(ctx, docid, value.data(), value.size());
    }
    std::string data = doc.get_data();
    return fn(ctx, docid, data.data(), data.size());
}

} // namespace zx

namespace {

void reset_facets(zhs_enquire_t *enq) noexcept
{
    for (auto &f : enq->facets)
        f->reset();
}

} // namespace

extern "C" {

zhs_status_t zhs_enquire_new(zhs_db_t *db, zhs_enquire_t **out, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = nullptr;
        zx::need(db, "db");
        *out = new zhs_enquire(db);
        (*out)->decider.single_shard = db->db.size() == 1;
    });
}

void zhs_enquire_free(zhs_enquire_t *enq) noexcept
{
    delete enq;
}

zhs_status_t zhs_enquire_set_query(zhs_enquire_t *enq, const zhs_query_t *q,
                                   zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(enq, "enq");
        zx::need(q, "q");
        enq->enq.set_query(q->q);
    });
}

zhs_status_t zhs_enquire_set_bm25(zhs_enquire_t *enq, double k1, double k2, double k3,
                                  double b, double min_normlen, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(enq, "enq");
        /* Xapian silently clamps out-of-range parameters; refuse them instead (the
         * comparisons are also false for NaN). */
        zx::need(k1 >= 0 && k2 >= 0 && k3 >= 0, "BM25 k1, k2 and k3 must be >= 0");
        zx::need(b >= 0 && b <= 1, "BM25 b must lie in [0, 1]");
        zx::need(min_normlen >= 0, "BM25 min_normlen must be >= 0");
        enq->enq.set_weighting_scheme(Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
    });
}

zhs_status_t zhs_enquire_set_sort_by_value(zhs_enquire_t *enq, int slot, bool reverse,
                                           zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(enq, "enq");
        if (slot < 0)
            enq->enq.set_sort_by_relevance();
        else
            enq->enq.set_sort_by_value_then_relevance(zx::slot_arg(slot), reverse);
    });
}

zhs_status_t zhs_enquire_set_collapse(zhs_enquire_t *enq, int slot, unsigned max,
                                      zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(enq, "enq");
        if (slot < 0) {
            enq->enq.set_collapse_key(Xapian::BAD_VALUENO);
        } else {
            zx::need(max > 0, "collapse max must be at least 1");
            enq->enq.set_collapse_key(zx::slot_arg(slot), max);
        }
    });
}

zhs_status_t zhs_enquire_set_decider(zhs_enquire_t *enq, zhs_decider_fn fn, void *ctx,
                                     zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(enq, "enq");
        enq->decider.fn = fn;
        enq->decider.ctx = ctx;
    });
}

zhs_status_t zhs_enquire_set_decider_value(zhs_enquire_t *enq, int slot,
                                           zhs_decider_fn value_fn, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(enq, "enq");
        enq->decider.value_fn = slot >= 0 ? value_fn : nullptr;
        if (slot >= 0)
            enq->decider.value_slot = zx::slot_arg(slot);
    });
}

zhs_status_t zhs_enquire_get_mset(zhs_enquire_t *enq, unsigned first, unsigned max,
                                  unsigned check_at_least, zhs_mset_t **out,
                                  zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = nullptr;
        zx::need(enq, "enq");
        reset_facets(enq);
        const Xapian::MatchDecider *decider = enq->decider.fn ? &enq->decider : nullptr;
        try {
            for (auto &f : enq->facets)
                f->use_columns(enq->db, *enq->columns);
            Xapian::MSet mset = enq->enq.get_mset(first, max, check_at_least, nullptr, decider);
            *out = new zhs_mset{std::move(mset)};
        } catch (...) {
            /* Counts of a match that did not finish would mislead. */
            reset_facets(enq);
            throw;
        }
    });
}

} // extern "C"
