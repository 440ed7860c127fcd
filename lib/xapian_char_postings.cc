/* Characters' passage lists held in memory per revision: the passages holding a
 * character are those of every term it begins (its bigrams and its run-final unigram,
 * schema.h), and a wildcard query opens each of those terms' posting lists on every
 * search, thousands for a common character (most of a near-match run's time). The
 * union is made once per revision and read from memory after. */
#include "config.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "xapian_internal.h"
#include "zhsearch/schema.h"

namespace zx {

namespace {

/* 64 MB of document ids and bitmaps over all characters of a revision (the commonest
 * character of 385,000 passages is in 300,000; all of them together in about 27
 * million): past it the lists are dropped and made again as asked for. */
constexpr size_t max_char_postings = size_t(16) << 20;

/* The documents of every term starting with prefix, with the sum of those terms' wdf
 * (a character's occurrences: each begins exactly one term), through one count per
 * document (a character's lists overlap: a passage holds several of its bigrams); the
 * bitmap is kept when dense. base (may be NULL): the list of the documents up to
 * base_last, taken as it is; only the later documents' postings are read then. */
std::shared_ptr<const CharPostings> union_of_prefix(const Xapian::Database &db,
                                                    const std::string &prefix,
                                                    const CharPostings *base,
                                                    Xapian::docid base_last)
{
    auto out = std::make_shared<CharPostings>();
    const Xapian::docid last = db.get_lastdocid(), first = base ? base_last + 1 : 1;
    std::vector<uint16_t> counts(last >= first ? static_cast<size_t>(last - first) + 1 : 0, 0);
    size_t set = 0;
    for (auto t = db.allterms_begin(prefix); !counts.empty() && t != db.allterms_end(prefix);
         ++t) {
        auto p = db.postlist_begin(*t);
        if (first > 1)
            p.skip_to(first);
        for (; p != db.postlist_end(*t); ++p) {
            uint16_t &n = counts[*p - first];
            set += n == 0;
            Xapian::termcount sum = n + p.get_wdf();
            n = static_cast<uint16_t>(std::min<Xapian::termcount>(sum, UINT16_MAX));
        }
    }
    if (base) {
        out->ids = base->ids;
        out->wdf = base->wdf;
    }
    out->ids.reserve(out->ids.size() + set);
    out->wdf.reserve(out->wdf.size() + set);
    for (size_t i = 0; i < counts.size(); i++)
        if (counts[i]) {
            out->ids.push_back(static_cast<Xapian::docid>(first + i));
            out->wdf.push_back(counts[i]);
        }
    const size_t ndocs = static_cast<size_t>(last) + 1;
    if (out->ids.size() > ndocs / 32) {
        out->bits.assign(ndocs / 64 + 1, 0);
        for (Xapian::docid did : out->ids)
            out->bits[did / 64] |= uint64_t(1) << (did % 64);
    }
    return out;
}

/* The character lists last made for a database without termlists, by its uuid, each
 * with the last document it covers: a later revision extends a list by its new
 * documents' postings instead of reading every posting again (over 385,000 passages,
 * the first search for 的 after a commit took 86 ms against 41-52 for the next ones;
 * now 35-57, the same). Such a database never changes a document in place and keeps a
 * deleted one's postings (its tombstone leaves it out of every match), so a list up to
 * a document stays exact;
 * xapian_text_keys.cc carries the keys over the same way. Held within a budget as large
 * as the columns' own (max_char_postings); mostly they are the very lists the current
 * revision's columns hold, so little memory of their own. */
struct CarriedList {
    std::shared_ptr<const CharPostings> list;
    Xapian::docid last;
};
std::mutex carried_mutex;
std::string carried_uuid;
std::unordered_map<std::string, CarriedList> carried;
size_t carried_words = 0;

std::shared_ptr<const CharPostings> carried_or_union(const Xapian::Database &db,
                                                     const std::string &prefix)
{
    const bool immutable = !has_termlists(db);
    const std::string uuid = immutable ? db.get_uuid() : std::string();
    const Xapian::docid last = db.get_lastdocid();
    CarriedList base{nullptr, 0};
    if (immutable) {
        std::lock_guard<std::mutex> lock(carried_mutex);
        auto found = carried_uuid == uuid ? carried.find(prefix) : carried.end();
        if (found != carried.end() && found->second.last <= last)
            base = found->second;
    }
    if (base.list && base.last == last)
        return base.list;    /* this revision's own, dropped by its columns' budget */
    auto list = union_of_prefix(db, prefix, base.list.get(), base.last);
    if (immutable) {
        std::lock_guard<std::mutex> lock(carried_mutex);
        if (carried_uuid != uuid || carried_words + list->words() > max_char_postings) {
            carried.clear();
            carried_words = 0;
            carried_uuid = uuid;
        }
        CarriedList &slot = carried[prefix];
        if (slot.list)
            carried_words -= slot.list->words();
        slot = {list, last};
        carried_words += list->words();
    }
    return list;
}

/* Matches the documents of a sorted list, without weight, holding the list. */
class DocidListSource : public SortedDocidSource {
  public:
    explicit DocidListSource(std::shared_ptr<const std::vector<Xapian::docid>> list)
        : list_(std::move(list))
    {
        reset(list_.get());
    }
    void init(const Xapian::Database &) override { reset(list_.get()); }
    Xapian::PostingSource *clone() const override { return new DocidListSource(list_); }
    std::string get_description() const override
    {
        return "DocidListSource(" + std::to_string(list_->size()) + ")";
    }

  private:
    std::shared_ptr<const std::vector<Xapian::docid>> list_;
};

/* One character's passages weighted as BM25Weight weighs a term (Xapian 1.4's formula
 * with no relevance set, wqf 1 and k3's factor 1): log of the inverse frequency, halved
 * toward 1 below 2, times (k1 + 1) wdf / (k1 (b normlen + 1 - b) + wdf). Its frequency
 * is the character's exact passage count (the wildcard's synonym estimates it). */
class WeightedCharSource : public SortedDocidSource {
  public:
    WeightedCharSource(std::shared_ptr<const CharPostings> list, const Bm25 &bm25)
        : list_(std::move(list)), bm25_(bm25)
    {
        reset(&list_->ids);
    }
    void init(const Xapian::Database &db) override
    {
        reset(&list_->ids);
        db_ = db;
        double n = static_cast<double>(list_->ids.size());
        double tw = (static_cast<double>(db.get_doccount()) - n + 0.5) / (n + 0.5);
        if (tw < 2)
            tw = tw * 0.5 + 1;
        factor_ = std::log(tw) * (bm25_.k1 + 1);
        double avlen = db.get_avlength();
        len_factor_ = avlen > 0 ? 1.0 / avlen : 0;
        set_maxweight(factor_);   /* wdf / (k1 ... + wdf) stays below 1 */
    }
    double get_weight() const override
    {
        double wdf = list_->wdf[position()];
        double denom = bm25_.k1 + wdf;
        if (bm25_.b != 0) {
            double len = static_cast<double>(db_.get_doclength(get_docid())) * len_factor_;
            denom = bm25_.k1 * (std::max(len, bm25_.min_normlen) * bm25_.b + (1 - bm25_.b)) + wdf;
        }
        return factor_ * wdf / denom;
    }
    Xapian::PostingSource *clone() const override
    {
        return new WeightedCharSource(list_, bm25_);
    }
    std::string get_description() const override
    {
        return "WeightedCharSource(" + std::to_string(list_->ids.size()) + ")";
    }

  private:
    std::shared_ptr<const CharPostings> list_;
    Bm25 bm25_;
    Xapian::Database db_;
    double factor_ = 0, len_factor_ = 0;
};

/* The documents in every list: the shortest list filtered by the others, the dense
 * ones first (a bit test each, and most documents fail one: 万国码's two lists of
 * about 100,000 passages leave a tenth of the shortest one's 5,700), then the sparse
 * ones (a galloping search). One pass in memory rather than the matcher's AND over
 * one posting source per list. */
std::shared_ptr<const std::vector<Xapian::docid>> intersection(
    std::vector<std::shared_ptr<const CharPostings>> lists)
{
    std::sort(lists.begin(), lists.end(),
              [](const auto &a, const auto &b) { return a->ids.size() < b->ids.size(); });
    if (lists.size() == 1)
        return std::shared_ptr<const std::vector<Xapian::docid>>(lists[0], &lists[0]->ids);
    std::vector<const CharPostings *> dense;
    std::vector<const std::vector<Xapian::docid> *> sparse;
    for (size_t l = 1; l < lists.size(); l++) {
        if (!lists[l]->bits.empty())
            dense.push_back(lists[l].get());
        else
            sparse.push_back(&lists[l]->ids);
    }
    auto out = std::make_shared<std::vector<Xapian::docid>>();
    std::vector<size_t> pos(sparse.size(), 0);
    for (Xapian::docid did : lists[0]->ids) {
        bool all = true;
        for (size_t l = 0; l < dense.size() && all; l++)
            all = dense[l]->has(did);
        for (size_t l = 0; l < sparse.size() && all; l++) {
            pos[l] = gallop(*sparse[l], pos[l], did);
            all = pos[l] < sparse[l]->size() && (*sparse[l])[pos[l]] == did;
        }
        if (all)
            out->push_back(did);
    }
    return out;
}

/* The documents of list whose key the filter keeps (or that have none), in order. */
std::shared_ptr<const std::vector<Xapian::docid>> kept(const std::vector<Xapian::docid> &list,
                                                       const KeyColumn &keys,
                                                       const zhs_key_filter_t &filter)
{
    auto out = std::make_shared<std::vector<Xapian::docid>>();
    for (size_t i = 0; i < list.size(); i++) {
        if (i + 2 * zx::KeyColumn::read_ahead < list.size())
            keys.prefetch_start(list[i + 2 * zx::KeyColumn::read_ahead]);
        if (i + zx::KeyColumn::read_ahead < list.size())
            keys.prefetch_bytes(list[i + zx::KeyColumn::read_ahead]);
        const char *key;
        size_t nbytes;
        if (!keys.get(list[i], &key, &nbytes) || filter.keep(filter.ctx, key, nbytes))
            out->push_back(list[i]);
    }
    return out;
}

} // namespace

std::shared_ptr<const CharPostings> Columns::char_postings(const Xapian::Database &db,
                                                          const std::string &prefix)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto found = chars_.find(prefix);
        if (found != chars_.end())
            return found->second;
    }
    /* Made outside the lock: the other worker's searches go on meanwhile (two workers
     * asking for the same character at once make it twice, and keep the first). */
    auto list = carried_or_union(db, prefix);
    std::lock_guard<std::mutex> lock(mutex_);
    if (char_postings_ + list->words() > max_char_postings) {
        chars_.clear();    /* searches holding a list keep it */
        char_postings_ = 0;
    }
    auto added = chars_.emplace(prefix, list);
    if (added.second)
        char_postings_ += list->words();
    return added.first->second;
}

Xapian::Query wildcard(const std::string &prefix)
{
    /* No expansion limit: a common character starts a few thousand terms. */
    return Xapian::Query(Xapian::Query::OP_WILDCARD, prefix, 0,
                         Xapian::Query::WILDCARD_LIMIT_ERROR, Xapian::Query::OP_SYNONYM);
}

} // namespace zx

extern "C" {

zhs_query_t *zhs_query_chars(zhs_db_t *db, const char *const *chars, const size_t *nbytes,
                             size_t n, zhs_key_filter_t *filter, zhs_error_t *err) noexcept
{
    zhs_query_t *q = nullptr;
    zx::guard(err, __func__, [&] {
        zx::need(db, "db");
        zx::need(chars, "chars");
        zx::need(n > 0, "no characters given");
        std::vector<std::string> prefixes;
        for (size_t i = 0; i < n; i++) {
            zx::need(chars[i], "chars[i]");
            prefixes.push_back(
                zx::term_arg(chars[i], nbytes ? nbytes[i] : strlen(chars[i]), false));
        }
        if (filter)
            filter->matched = UINT64_MAX;
        std::shared_ptr<zx::Columns> cols = zx::columns_of(db->db);
        if (!cols) {
            std::vector<Xapian::Query> subs;
            for (const std::string &p : prefixes)
                subs.push_back(zx::wildcard(p));
            q = new zhs_query{Xapian::Query(
                Xapian::Query::OP_SCALE_WEIGHT,
                Xapian::Query(Xapian::Query::OP_AND, subs.begin(), subs.end()), 0.0)};
            return;
        }
        *db->columns = cols;
        std::vector<std::shared_ptr<const zx::CharPostings>> lists;
        for (const std::string &p : prefixes)
            lists.push_back(cols->char_postings(db->db, p));
        auto docids = zx::intersection(std::move(lists));
        std::shared_ptr<const zx::KeyColumn> keys =
            filter && filter->keep ? cols->keys(db->db, ZHS_SLOT_KEY) : nullptr;
        if (keys)
            docids = zx::kept(*docids, *keys, *filter);
        if (filter)
            filter->matched = docids->size();
        q = new zhs_query{
            Xapian::Query((new zx::DocidListSource(std::move(docids)))->release())};
    });
    return q;
}

zhs_query_t *zhs_query_char_weighted(zhs_db_t *db, const char *ch, size_t nbytes, double k1,
                                     double b, double min_normlen, zhs_error_t *err) noexcept
{
    zhs_query_t *q = nullptr;
    zx::guard(err, __func__, [&] {
        zx::need(db, "db");
        zx::need(ch && nbytes > 0, "no character given");
        std::string prefix = zx::term_arg(ch, nbytes, false);
        std::shared_ptr<zx::Columns> cols = zx::columns_of(db->db);
        if (!cols) {
            q = new zhs_query{zx::wildcard(prefix)};
            return;
        }
        *db->columns = cols;
        zx::Bm25 bm25{k1, b, min_normlen};
        q = new zhs_query{Xapian::Query(
            (new zx::WeightedCharSource(cols->char_postings(db->db, prefix), bm25))->release())};
    });
    return q;
}

bool zhs_db_has_char_lists(zhs_db_t *db) noexcept
{
    try {
        return db && zx::columns_of(db->db) != nullptr;
    } catch (...) {
        return false;
    }
}

} // extern "C"
