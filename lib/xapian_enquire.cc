/* Search sessions for C: query, BM25 parameters, sort order, collapsing, the caller's
 * per-candidate decider, and running the match. Facet counting lives in
 * xapian_facet.cc, result pages in xapian_mset.cc. */
#include "config.h"

#include <algorithm>

#include "xapian_internal.h"

namespace zx {

bool Decider::operator()(const Xapian::Document &doc) const
{
    /* Called by the matcher before match spies and collapsing, so a rejected document
     * is neither counted nor collapsed. */
    Xapian::docid docid = single_shard ? doc.get_docid() : 0;
    if (value_fn && value_column) {
        const char *value;
        size_t nbytes;
        if (value_column->get(docid, &value, &nbytes))
            return keep(docid, value_fn(ctx, docid, value, nbytes));
    } else if (value_fn) {
        /* A stored key ends in its NUL, a column's does not: value_fn sees neither. */
        std::string value = doc.get_value(value_slot);
        if (!value.empty() && value.back() == '\0')
            value.pop_back();
        if (!value.empty())
            return keep(docid, value_fn(ctx, docid, value.data(), value.size()));
    }
    std::string data = data_slot != Xapian::BAD_VALUENO ? doc.get_value(data_slot) : "";
    if (data.empty())
        data = doc.get_data();
    return keep(docid, fn(ctx, docid, data.data(), data.size()));
}

void Decider::decide_all(std::vector<Match> &matches, const Xapian::Database &db) const
{
    const size_t n = matches.size(), ahead = KeyColumn::read_ahead;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 2 * ahead < n)
            value_column->prefetch_start(matches[i + 2 * ahead].did);
        if (i + ahead < n)
            value_column->prefetch_bytes(matches[i + ahead].did);
        Match m = matches[i];
        const char *value;
        size_t nbytes;
        m.tier = value_column->get(m.did, &value, &nbytes)
                     ? value_fn(ctx, m.did, value, nbytes)
                     : ((*this)(db.get_document(m.did)) ? kept_tier : 0);
        if (m.tier > 0)
            matches[kept++] = m;
    }
    matches.resize(kept);
}

std::string EmptyLastKey::operator()(const Xapian::Document &doc) const
{
    /* Xapian sorts keys as byte strings; the first byte puts the documents without a
     * value after the others whichever way the keys are read. */
    std::string value = doc.get_value(slot);
    if (value.empty())
        return std::string(1, reverse ? '\0' : '\1');
    return (reverse ? '\1' : '\0') + value;
}

} // namespace zx

namespace {

void reset_facets(zhs_enquire_t *enq) noexcept
{
    for (auto &f : enq->facets)
        f->reset();
}

/* Ranking from the columns needs them, every match (which totals and facets want
 * anyway), and Xapian's collapsing to keep one match per group. */
bool use_columns(const zhs_enquire_t *enq, const zx::Columns *cols, unsigned check_at_least)
{
    return cols && check_at_least >= enq->db.get_doccount() &&
           (enq->collapse_slot == Xapian::BAD_VALUENO || enq->collapse_max == 1);
}

/* Hands the order and collapsing asked for to Xapian, or none when ranking from the
 * columns (Xapian would read every match's values for them). */
void apply_order(zhs_enquire_t *enq, bool xapian_ranks)
{
    if (xapian_ranks && enq->sort_key.slot != Xapian::BAD_VALUENO)
        enq->enq.set_sort_by_key_then_relevance(&enq->sort_key, enq->sort_key.reverse);
    else
        enq->enq.set_sort_by_relevance();
    if (xapian_ranks && enq->collapse_slot != Xapian::BAD_VALUENO)
        enq->enq.set_collapse_key(enq->collapse_slot, enq->collapse_max);
    else
        enq->enq.set_collapse_key(Xapian::BAD_VALUENO);
}

zx::RankSpec rank_spec(const zhs_enquire_t *enq, zx::Columns &cols)
{
    zx::RankSpec spec;
    if (enq->sort_key.slot != Xapian::BAD_VALUENO)
        spec.sort_column = cols.column(enq->db, enq->sort_key.slot, false);
    spec.reverse = enq->sort_key.reverse;
    if (enq->collapse_slot != Xapian::BAD_VALUENO)
        spec.group_column = cols.column(enq->db, enq->collapse_slot, false);
    return spec;
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
        (*out)->enq.add_matchspy(&(*out)->collector);
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
        enq->query = q->q;
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
        enq->sort_key.slot = slot < 0 ? Xapian::BAD_VALUENO : zx::slot_arg(slot);
        enq->sort_key.reverse = reverse;
    });
}

zhs_status_t zhs_enquire_set_collapse(zhs_enquire_t *enq, int slot, unsigned max,
                                      zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(enq, "enq");
        if (slot >= 0)
            zx::need(max > 0, "collapse max must be at least 1");
        enq->collapse_slot = slot < 0 ? Xapian::BAD_VALUENO : zx::slot_arg(slot);
        enq->collapse_max = slot < 0 ? 0 : max;
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

zhs_status_t zhs_enquire_set_decider_data(zhs_enquire_t *enq, int slot,
                                          zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(enq, "enq");
        enq->decider.data_slot = slot < 0 ? Xapian::BAD_VALUENO : zx::slot_arg(slot);
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
        enq->collector.matches.clear();
        enq->collector.seen = 0;
        /* Set here, not with the query: the database may have moved since, and its
         * tombstones with it. */
        enq->enq.set_query(zx::live_only(enq->query, *enq->deleted));
        std::shared_ptr<zx::Columns> cols = zx::columns_of(enq->db);
        *enq->columns = cols;
        enq->decider.value_column =
            cols && enq->decider.value_fn ? cols->keys(enq->db, enq->decider.value_slot)
                                          : nullptr;
        const Xapian::MatchDecider *decider = enq->decider.fn ? &enq->decider : nullptr;
        try {
            for (auto &f : enq->facets)
                f->use_columns(enq->db, cols.get());
            std::unique_ptr<zhs_mset> mset(new zhs_mset);
            bool ranked_here = use_columns(enq, cols.get(), check_at_least);
            apply_order(enq, !ranked_here);
            if (ranked_here) {
                /* The collector keeps every match: the facets count from it after. */
                for (auto &f : enq->facets)
                    f->defer();
                /* ... and so can the decider, when it reads the key column and no spy
                 * counts during the match (it would count the rejected too). */
                bool decide_after =
                    decider && enq->decider.decides_from_column() &&
                    std::all_of(enq->facets.begin(), enq->facets.end(),
                                [](const auto &f) { return f->deferred(); });
                enq->collector.active = true;
                enq->enq.get_mset(0, 0, enq->db.get_doccount(), nullptr,
                                  decide_after ? nullptr : decider);
                enq->collector.active = false;
                if (decide_after) {
                    enq->decider.decide_all(enq->collector.matches, enq->db);
                    enq->collector.seen = enq->collector.matches.size();
                }
                for (auto &f : enq->facets)
                    f->count_matches(enq->collector.matches);
                mset->items = zx::rank_matches(enq->collector, rank_spec(enq, *cols), first,
                                               max, &mset->matches);
                mset->ranked = true;
                mset->db = enq->db;
                enq->collector.matches.clear();
            } else {
                mset->mset = enq->enq.get_mset(first, max, check_at_least, nullptr, decider);
            }
            for (auto &f : enq->facets)
                f->finish();
            *out = mset.release();
        } catch (...) {
            /* Counts of a match that did not finish would mislead. */
            enq->collector.active = false;
            reset_facets(enq);
            throw;
        }
    });
}

uint64_t zhs_enquire_matches_seen(const zhs_enquire_t *enq) noexcept
{
    return enq ? enq->collector.seen : 0;
}

} // extern "C"
