/* Facet counting during the match: a Xapian::MatchSpy per registered facet that splits
 * multi-valued slots on ZHS_VALUE_SEP and, given a unit slot, counts each distinct
 * (unit, facet value) pair once, so that passages of one document count as one. */
#include "config.h"

#include <algorithm>

#include "xapian_internal.h"
#include "zhsearch/schema.h"

namespace zx {

void FacetSpy::operator()(const Xapian::Document &doc, double)
{
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
    docs_ = 0;
}

std::vector<std::pair<std::string, uint64_t>> FacetSpy::sorted() const
{
    std::vector<std::pair<std::string, uint64_t>> v(counts_.begin(), counts_.end());
    std::sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
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
        for (const auto &vc : facet.sorted())
            if (fn(ctx, vc.first.data(), vc.first.size(), vc.second))
                break;
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
