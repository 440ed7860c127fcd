/* Ranking the collected matches from the in-memory columns: sorting, collapsing to the
 * best match per group, and cutting the page. Xapian's own collapsing and value sort
 * read each candidate's value from the value streams, a B-tree lookup per candidate;
 * the columns answer from memory. The order is the decider's tier, then Xapian's: sort
 * value (documents without one last), weight descending, document id ascending. */
#include "config.h"

#include <algorithm>

#include "xapian_internal.h"

namespace zx {

namespace {

struct Ranked {
    Xapian::docid did;
    double wt;
    int tier;
    const std::string *sort_value;
    uint32_t count;     /* matches in the group */
};

const std::string no_value;

/* The value of did in a single-valued column, "" when it has none. */
const std::string *value_of(const Column &col, Xapian::docid did)
{
    uint32_t id = did < col.ids.size() ? col.ids[did] : 0;
    Column::Parts parts = col.parts(id);
    return parts.empty() ? &no_value : &col.names[*parts.begin()];
}

class Before {
  public:
    explicit Before(bool reverse) : reverse_(reverse) {}
    bool operator()(const Ranked &a, const Ranked &b) const
    {
        if (a.tier != b.tier)
            return a.tier < b.tier;
        if (a.sort_value != b.sort_value) {
            /* Without a value last, whichever the direction (as EmptyLastKey). */
            if (a.sort_value->empty() != b.sort_value->empty())
                return b.sort_value->empty();
            int c = a.sort_value->compare(*b.sort_value);
            if (c != 0)
                return reverse_ ? c > 0 : c < 0;
        }
        if (a.wt != b.wt)
            return a.wt > b.wt;
        return a.did < b.did;
    }

  private:
    bool reverse_;
};

} // namespace

std::vector<zhs_mset_item_t> rank_matches(const Collector &c, const RankSpec &spec,
                                          unsigned first, unsigned max, uint64_t *total)
{
    Before before(spec.reverse);
    std::vector<Ranked> ranked;
    ranked.reserve(c.matches.size());
    /* Group id -> index in ranked. The matcher hands matches over in document-id
     * order and one document's passages are consecutive ids, so the previous group is
     * tried before the table. */
    std::unordered_map<uint32_t, size_t> group_at;
    uint32_t last_group = 0;
    size_t last_at = 0;
    for (const auto &m : c.matches) {
        Ranked r{m.did, m.wt, m.tier,
                 spec.sort_column ? value_of(*spec.sort_column, m.did) : &no_value, 1};
        const Column *groups = spec.group_column.get();
        uint32_t group = groups && m.did < groups->ids.size() ? groups->ids[m.did] : 0;
        if (group == 0) {    /* not grouped, or no value to group on */
            ranked.push_back(r);
            continue;
        }
        size_t at;
        if (group == last_group) {
            at = last_at;
        } else {
            auto found = group_at.emplace(group, ranked.size());
            if (found.second) {
                ranked.push_back(r);
                last_group = group;
                last_at = ranked.size() - 1;
                continue;
            }
            at = found.first->second;
        }
        Ranked &best = ranked[at];
        uint32_t count = best.count + 1;
        if (before(r, best))
            best = r;
        best.count = count;
        last_group = group;
        last_at = at;
    }
    *total = ranked.size();
    std::vector<zhs_mset_item_t> page;
    if (first >= ranked.size())
        return page;
    size_t end = std::min<size_t>(ranked.size(), static_cast<size_t>(first) + max);
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(end),
                      ranked.end(), before);
    for (size_t i = first; i < end; i++)
        page.push_back(zhs_mset_item_t{ranked[i].did, static_cast<unsigned>(i), ranked[i].wt,
                                       ranked[i].count - 1, ranked[i].tier});
    return page;
}

} // namespace zx
