/* Facet counting during the match: a Xapian::MatchSpy per registered facet that splits
 * multi-valued slots on ZHS_VALUE_SEP and, given a unit slot, counts each distinct
 * (unit, facet value) pair once, so that passages of one document count as one. The
 * values come from in-memory columns of the slots (xapian_columns.cc) where the
 * database allows, else from the matcher's value streams. */
#include "config.h"

#include <algorithm>

#include "xapian_internal.h"
#include "zhsearch/schema.h"

namespace zx {

namespace {

/* Zeroed count vectors of the searches this thread has finished (a search has a few
 * facets). */
thread_local std::vector<std::vector<uint64_t>> zeroed_counts;
constexpr size_t max_zeroed_counts = 8;

} // namespace

void FacetSpy::take_part_counts(size_t n)
{
    release_part_counts();
    if (!zeroed_counts.empty()) {
        part_counts_ = std::move(zeroed_counts.back());
        zeroed_counts.pop_back();
    }
    if (part_counts_.size() < n)
        part_counts_.resize(n, 0);
}

void FacetSpy::release_part_counts() noexcept
{
    for (uint32_t part : parts_counted_)
        part_counts_[part] = 0;
    parts_counted_.clear();
    if (part_counts_.empty())
        return;
    try {
        if (zeroed_counts.size() < max_zeroed_counts)
            zeroed_counts.push_back(std::move(part_counts_));
    } catch (...) {
        /* Not kept: the next search allocates its own. */
    }
    part_counts_ = std::vector<uint64_t>();
}

void FacetSpy::use_columns(const Xapian::Database &db, Columns *cols)
{
    col_ = cols ? cols->column(db, spec_.slot, spec_.multi) : nullptr;
    unit_col_ = col_ && spec_.unit_slot >= 0
                    ? cols->column(db, static_cast<Xapian::valueno>(spec_.unit_slot), false)
                    : nullptr;
    take_part_counts(col_ ? col_->names.size() : 0);
    unit_seen_.assign(unit_col_ ? unit_col_->values() : 0, false);
    column_units_ = 0;
}

void FacetSpy::count_columns(Xapian::docid did)
{
    uint32_t id = did < col_->ids.size() ? col_->ids[did] : 0;
    if (!unit_col_) {
        docs_++;
        for (uint32_t part : col_->parts(id))
            count_part(part);
        return;
    }
    /* The matcher goes through document ids in order and a unit's passages have
     * consecutive ids, so a (unit, value) pair repeats within the current unit's run:
     * a short list catches it. A unit met again later (not seen in practice) makes
     * finish() recount from the pairs. */
    uint32_t unit = did < unit_col_->ids.size() ? unit_col_->ids[did] : 0;
    if (!in_unit_ || unit != unit_) {
        if (unit_seen_[unit])
            unit_revisited_ = true;
        else
            column_units_++;
        unit_seen_[unit] = true;
        unit_ = unit;
        in_unit_ = true;
        unit_parts_.clear();
    }
    for (uint32_t part : col_->parts(id)) {
        if (std::find(unit_parts_.begin(), unit_parts_.end(), part) != unit_parts_.end())
            continue;
        unit_parts_.push_back(part);
        pairs_seen_.push_back(static_cast<uint64_t>(unit) << 32 | part);
        count_part(part);
    }
}

/* Each match's value id, the id's parts and their counts are one cache miss each in
 * columns of megabytes, one after the other: asking for the ids, then the parts, of
 * the matches a few places ahead lets the memory deliver several at once. */
constexpr size_t ids_ahead = 16;
constexpr size_t parts_ahead = 8;

void FacetSpy::count_matches(const std::vector<Match> &matches)
{
    if (!deferred_)
        return;
    const std::vector<uint32_t> &ids = col_->ids;
    const size_t n = matches.size();
    for (size_t i = 0; i < n; i++) {
        if (i + ids_ahead < n) {
            Xapian::docid ahead = matches[i + ids_ahead].did;
            if (ahead < ids.size())
                __builtin_prefetch(&ids[ahead]);
            if (unit_col_ && ahead < unit_col_->ids.size())
                __builtin_prefetch(&unit_col_->ids[ahead]);
        }
        if (i + parts_ahead < n && matches[i + parts_ahead].did < ids.size())
            __builtin_prefetch(&col_->part_starts[ids[matches[i + parts_ahead].did]]);
        count_columns(matches[i].did);
    }
}

void FacetSpy::finish()
{
    if (!unit_revisited_)
        return;
    std::sort(pairs_seen_.begin(), pairs_seen_.end());
    pairs_seen_.erase(std::unique(pairs_seen_.begin(), pairs_seen_.end()), pairs_seen_.end());
    for (uint32_t part : parts_counted_)
        part_counts_[part] = 0;
    parts_counted_.clear();
    for (uint64_t pair : pairs_seen_)
        count_part(static_cast<uint32_t>(pair));
    unit_revisited_ = false;
}

void FacetSpy::operator()(const Xapian::Document &doc, double)
{
    if (deferred_)
        return;
    if (counts_from_columns()) {
        count_columns(doc.get_docid());
        return;
    }
    std::string unit;
    if (spec_.unit_slot >= 0) {
        unit = doc.get_value(static_cast<Xapian::valueno>(spec_.unit_slot));
        units_.insert(unit);
    } else {
        docs_++;
    }

    const std::string raw = doc.get_value(spec_.slot);
    if (!spec_.multi) {
        if (!raw.empty())
            count_value(unit, raw);
        return;
    }
    /* A document lists few values: a linear scan keeps a value from counting twice
     * when the list repeats it. */
    std::vector<std::string> seen;
    size_t start = 0;
    while (start < raw.size()) {
        size_t end = raw.find(ZHS_VALUE_SEP, start);
        if (end == std::string::npos)
            end = raw.size();
        if (end > start) {
            std::string value = raw.substr(start, end - start);
            if (std::find(seen.begin(), seen.end(), value) == seen.end()) {
                count_value(unit, value);
                seen.push_back(std::move(value));
            }
        }
        start = end + 1;
    }
}

void FacetSpy::count_value(const std::string &unit, const std::string &value)
{
    if (spec_.unit_slot >= 0) {
        /* The length prefix keeps ("a", "bc") and ("ab", "c") apart. */
        std::string pair = std::to_string(unit.size()) + ':' + unit + value;
        if (!pairs_.insert(std::move(pair)).second)
            return;
    }
    counts_[value]++;
}

void FacetSpy::reset() noexcept
{
    counts_.clear();
    pairs_.clear();
    units_.clear();
    release_part_counts();
    pairs_seen_.clear();
    unit_parts_.clear();
    unit_seen_.clear();
    in_unit_ = false;
    unit_revisited_ = false;
    deferred_ = false;
    column_units_ = 0;
    docs_ = 0;
}

std::vector<FacetSpy::Count> FacetSpy::counted() const
{
    std::vector<Count> v;
    v.reserve(counts_.size() + parts_counted_.size());
    for (const auto &vc : counts_)
        v.push_back({&vc.first, vc.second, Count::no_order});
    for (uint32_t part : parts_counted_)
        v.push_back({&col_->names[part], part_counts_[part], col_->name_order[part]});
    return v;
}

} // namespace zx

namespace {

zx::FacetSpy &facet_at(zhs_enquire_t *enq, unsigned index)
{
    zx::need(enq, "enq");
    zx::need(index < enq->facets.size(), "no facet with that index");
    return *enq->facets[index];
}

} // namespace

extern "C" {

zhs_status_t zhs_enquire_add_facet(zhs_enquire_t *enq, const zhs_facet_spec_t *spec,
                                   unsigned *out_index, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(enq, "enq");
        zx::need(spec, "spec");
        zx::slot_arg(spec->slot);
        if (spec->unit_slot >= 0)
            zx::slot_arg(spec->unit_slot);
        enq->facets.push_back(std::make_unique<zx::FacetSpy>(*spec));
        try {
            enq->enq.add_matchspy(enq->facets.back().get());
        } catch (...) {
            enq->facets.pop_back();
            throw;
        }
        if (out_index)
            *out_index = static_cast<unsigned>(enq->facets.size() - 1);
    });
}

zhs_status_t zhs_enquire_facet_counts(zhs_enquire_t *enq, unsigned index, zhs_facet_fn fn,
                                      void *ctx, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::FacetSpy &facet = facet_at(enq, index);
        zx::need(reinterpret_cast<const void *>(fn), "fn");
        /* Most frequent first, ties by value (byte order), from a heap: a caller that
         * stops after the first hundred of 20,000 section names sorts no more. */
        std::vector<zx::FacetSpy::Count> v = facet.counted();
        /* Ties of a column's values by their place in byte order: most counts tie (a
         * count of 1 or 2), and comparing the names was most of the sorting. */
        auto after = [](const zx::FacetSpy::Count &a, const zx::FacetSpy::Count &b) {
            if (a.count != b.count)
                return a.count < b.count;
            if (a.order != zx::FacetSpy::Count::no_order && b.order != zx::FacetSpy::Count::no_order)
                return a.order > b.order;
            return *a.value > *b.value;
        };
        std::make_heap(v.begin(), v.end(), after);
        for (auto end = v.end(); end != v.begin(); --end) {
            std::pop_heap(v.begin(), end, after);
            const zx::FacetSpy::Count &vc = *(end - 1);
            if (fn(ctx, vc.value->data(), vc.value->size(), vc.count))
                break;
        }
    });
}

zhs_status_t zhs_enquire_facet_units(zhs_enquire_t *enq, unsigned index, uint64_t *out,
                                     zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(out, "out");
        *out = 0;
        *out = facet_at(enq, index).units();
    });
}

} // extern "C"
