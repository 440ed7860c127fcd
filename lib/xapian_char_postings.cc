/* Characters' passage lists held in memory per revision: the passages holding a
 * character are those of every term it begins (its bigrams and its run-final unigram,
 * schema.h), and a wildcard query opens each of those terms' posting lists on every
 * search, thousands for a common character (most of a near-match run's time). The
 * union is made once per revision and read from memory after. */
#include "config.h"

#include <algorithm>
#include <cstring>

#include "xapian_internal.h"

namespace zx {

namespace {

/* 64 MB of document ids and bitmaps over all characters of a revision (the commonest
 * character of 385,000 passages is in 300,000; all of them together in about 27
 * million): past it the lists are dropped and made again as asked for. */
constexpr size_t max_char_postings = size_t(16) << 20;

/* The documents of every term starting with prefix, through a bitmap (a character's
 * lists overlap: a passage holds several of its bigrams), kept when dense. */
std::shared_ptr<const CharPostings> union_of_prefix(const Xapian::Database &db,
                                                    const std::string &prefix)
{
    auto out = std::make_shared<CharPostings>();
    std::vector<uint64_t> bits(static_cast<size_t>(db.get_lastdocid()) / 64 + 1, 0);
    size_t set = 0;
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
        for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p) {
            uint64_t &word = bits[*p / 64], bit = uint64_t(1) << (*p % 64);
            set += !(word & bit);
            word |= bit;
        }
    out->ids.reserve(set);
    for (size_t w = 0; w < bits.size(); w++)
        for (uint64_t word = bits[w]; word; word &= word - 1)
            out->ids.push_back(static_cast<Xapian::docid>(w * 64 + __builtin_ctzll(word)));
    if (set > bits.size() * 2)
        out->bits = std::move(bits);
    return out;
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

/* The documents in every list: the shortest list filtered by the others (a bit test in
 * a dense one, else a galloping search). One pass in memory rather than the matcher's
 * AND over one posting source per list. */
std::shared_ptr<const std::vector<Xapian::docid>> intersection(
    std::vector<std::shared_ptr<const CharPostings>> lists)
{
    std::sort(lists.begin(), lists.end(),
              [](const auto &a, const auto &b) { return a->ids.size() < b->ids.size(); });
    if (lists.size() == 1)
        return std::shared_ptr<const std::vector<Xapian::docid>>(lists[0], &lists[0]->ids);
    auto out = std::make_shared<std::vector<Xapian::docid>>();
    std::vector<size_t> pos(lists.size(), 0);
    for (Xapian::docid did : lists[0]->ids) {
        bool all = true;
        for (size_t l = 1; l < lists.size() && all; l++) {
            if (!lists[l]->bits.empty()) {
                all = lists[l]->has(did);
                continue;
            }
            const std::vector<Xapian::docid> &v = lists[l]->ids;
            pos[l] = gallop(v, pos[l], did);
            all = pos[l] < v.size() && v[pos[l]] == did;
        }
        if (all)
            out->push_back(did);
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
    auto list = union_of_prefix(db, prefix);
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
                             size_t n, zhs_error_t *err) noexcept
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
        q = new zhs_query{
            Xapian::Query((new zx::DocidListSource(zx::intersection(std::move(lists))))
                              ->release())};
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
