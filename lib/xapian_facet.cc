/* Facet counting during the match: a Xapian::MatchSpy per registered facet that splits
 * multi-valued slots on ZHS_VALUE_SEP and, given a unit slot, counts each distinct
 * (unit, facet value) pair once, so that passages of one document count as one. The
 * values come from in-memory columns of the slots (built once per revision) where the
 * database allows, else from the matcher's value streams. */
#include "config.h"

#include <algorithm>

#include "xapian_internal.h"
#include "zhsearch/schema.h"

namespace zx {

namespace {

/* A column takes 4 bytes per document id: up to 16 MB each. */
constexpr Xapian::docid max_column_docs = 1u << 22;

/* The distinct non-empty names of value (split on ZHS_VALUE_SEP when multi), in the
 * order the value lists them. */
std::vector<std::string> names_of(const std::string &value, bool multi)
{
    std::vector<std::string> out;
    if (!multi) {
        if (!value.empty())
            out.push_back(value);
        return out;
    }
    size_t start = 0;
    while (start < value.size()) {
        size_t end = value.find(ZHS_VALUE_SEP, start);
        if (end == std::string::npos)
            end = value.size();
        std::string name = value.substr(start, end - start);
        if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end())
            out.push_back(std::move(name));
        start = end + 1;
    }
    return out;
}

std::unique_ptr<Column> build_column(const Xapian::Database &db, Xapian::valueno slot,
                                     bool multi)
{
    auto col = std::make_unique<Column>();
    col->ids.assign(static_cast<size_t>(db.get_lastdocid()) + 1, 0);
    col->parts.emplace_back();    /* id 0: no value */
    std::unordered_map<std::string, uint32_t> value_ids{{std::string(), 0}};
    std::unordered_map<std::string, uint32_t> name_ids;
    /* Neighbouring passages mostly share their value (one document's passages are
     * consecutive): the previous one is checked before the table. */
    std::string last;
    uint32_t last_id = 0;
    for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
        std::string value = *it;
        if (last_id && value == last) {
            col->ids[it.get_docid()] = last_id;
            continue;
        }
        auto found = value_ids.find(value);
        uint32_t id;
        if (found != value_ids.end()) {
            id = found->second;
        } else {
            id = static_cast<uint32_t>(col->parts.size());
            std::vector<uint32_t> parts;
            for (auto &name : names_of(value, multi)) {
                auto n = name_ids.emplace(name, static_cast<uint32_t>(col->names.size()));
                if (n.second)
                    col->names.push_back(std::move(name));
                parts.push_back(n.first->second);
            }
            col->parts.push_back(std::move(parts));
            value_ids.emplace(value, id);
        }
        col->ids[it.get_docid()] = id;
        last = std::move(value);
        last_id = id;
    }
    return col;
}

} // namespace

std::shared_ptr<const Column> column(const Xapian::Database &db, Columns &cols,
                                     Xapian::valueno slot, bool multi)
{
    /* Over several shards the matcher hands spies shard-local document ids. */
    if (db.size() != 1 || db.get_lastdocid() > max_column_docs)
        return nullptr;
    Xapian::rev revision = db.get_revision();
    if (revision != cols.revision) {
        cols.by_key.clear();
        cols.revision = revision;
    }
    std::shared_ptr<const Column> &col = cols.by_key[slot * 2 + (multi ? 1 : 0)];
    if (!col)
        col = build_column(db, slot, multi);
    return col;
}

void FacetSpy::use_columns(const Xapian::Database &db, Columns &cols)
{
    col_ = column(db, cols, spec_.slot, spec_.multi);
    unit_col_ = col_ && spec_.unit_slot >= 0
                    ? column(db, cols, static_cast<Xapian::valueno>(spec_.unit_slot), false)
                    : nullptr;
    part_counts_.assign(col_ ? col_->names.size() : 0, 0);
    unit_seen_.assign(unit_col_ ? unit_col_->parts.size() : 0, false);
    column_units_ = 0;
}

void FacetSpy::count_columns(Xapian::docid did)
{
    uint32_t unit = 0;
    if (unit_col_) {
        unit = did < unit_col_->ids.size() ? unit_col_->ids[did] : 0;
        if (!unit_seen_[unit]) {
            unit_seen_[unit] = true;
            column_units_++;
        }
    } else {
        docs_++;
    }
    uint32_t id = did < col_->ids.size() ? col_->ids[did] : 0;
    for (uint32_t part : col_->parts[id])
        if (!unit_col_ || pair_ids_.insert(static_cast<uint64_t>(unit) << 32 | part).second)
            part_counts_[part]++;
}

void FacetSpy::operator()(const Xapian::Document &doc, double)
{
    if (col_ && (unit_col_ || spec_.unit_slot < 0)) {
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
    part_counts_.clear();
    pair_ids_.clear();
    unit_seen_.clear();
    column_units_ = 0;
    docs_ = 0;
}

std::vector<std::pair<std::string, uint64_t>> FacetSpy::sorted() const
{
    std::vector<std::pair<std::string, uint64_t>> v(counts_.begin(), counts_.end());
    for (size_t part = 0; part < part_counts_.size(); part++)
        if (part_counts_[part])
            v.emplace_back(col_->names[part], part_counts_[part]);
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
