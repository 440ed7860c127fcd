/* The title boost: the documents whose title matches a query, found through the one
 * passage of each that carries its title terms (schema.h, `S`), lend every passage of
 * theirs a weight. The passages of a document are found from the in-memory column of
 * the document slot: each document's range of ids, made once per revision, checked
 * passage by passage. A document's passages are written in one piece, so ranges do not
 * overlap (if two did, the passages of the second before the end of the first would go
 * without the boost). */
#include "config.h"

#include <algorithm>

#include "xapian_internal.h"

namespace zx {

namespace {

/* A boosted document: its passages' range and value id in the column, its weight. */
struct Boosted {
    Xapian::docid first, last;
    uint32_t value;
    double weight;
};

/* The passages of the boosted documents (sorted by range), each weighted as its
 * document. */
class DocBoostSource : public Xapian::PostingSource {
  public:
    DocBoostSource(std::shared_ptr<const Column> col,
                   std::shared_ptr<const std::vector<Boosted>> docs, double max_weight)
        : col_(std::move(col)), docs_(std::move(docs)), max_weight_(max_weight)
    {
        for (const Boosted &b : *docs_)
            size_ += b.last - b.first + 1;
    }
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return size_; }
    Xapian::doccount get_termfreq_max() const override { return size_; }
    void init(const Xapian::Database &) override
    {
        at_ = 0;
        did_ = docs_->empty() ? 0 : (*docs_)[0].first;
        started_ = false;
        set_maxweight(max_weight_);
    }
    void next(double) override
    {
        if (started_)
            did_++;
        started_ = true;
        settle();
    }
    void skip_to(Xapian::docid did, double) override
    {
        if (!started_ || did > did_) {
            started_ = true;
            /* The first document whose range ends at or after did. */
            while (at_ < docs_->size() && (*docs_)[at_].last < did)
                at_++;
            if (at_ < docs_->size())
                did_ = std::max(did, (*docs_)[at_].first);
        }
        settle();
    }
    bool at_end() const override { return at_ >= docs_->size(); }
    Xapian::docid get_docid() const override { return did_; }
    double get_weight() const override { return (*docs_)[at_].weight; }
    Xapian::PostingSource *clone() const override
    {
        return new DocBoostSource(col_, docs_, max_weight_);
    }
    std::string get_description() const override
    {
        return "DocBoostSource(" + std::to_string(docs_->size()) + ")";
    }

  private:
    /* Moves to the first passage at or after did_ of the current document or a later one. */
    void settle()
    {
        while (at_ < docs_->size()) {
            const Boosted &b = (*docs_)[at_];
            if (did_ > b.last) {
                if (++at_ < docs_->size())
                    did_ = std::max(did_, (*docs_)[at_].first);
                continue;
            }
            if (did_ < col_->ids.size() && col_->ids[did_] == b.value)
                return;
            did_++;
        }
    }
    std::shared_ptr<const Column> col_;
    std::shared_ptr<const std::vector<Boosted>> docs_;
    double max_weight_;
    Xapian::doccount size_ = 0;
    size_t at_ = 0;
    Xapian::docid did_ = 0;
    bool started_ = false;
};

} // namespace

std::shared_ptr<const DocRanges> Columns::doc_ranges(const Xapian::Database &db,
                                                     Xapian::valueno slot)
{
    std::shared_ptr<const Column> col = column(db, slot, false);
    std::lock_guard<std::mutex> lock(mutex_);
    std::shared_ptr<const DocRanges> &r = ranges_by_slot_[slot];
    if (!r) {
        auto ranges = std::make_shared<DocRanges>(col->parts.size(),
                                                  std::make_pair(Xapian::docid(0),
                                                                 Xapian::docid(0)));
        for (Xapian::docid did = 1; did < col->ids.size(); did++) {
            auto &range = (*ranges)[col->ids[did]];
            if (!range.first)
                range.first = did;
            range.second = did;
        }
        r = ranges;
    }
    return r;
}

} // namespace zx

extern "C" {

zhs_query_t *zhs_query_doc_boost(zhs_db_t *db, const zhs_query_t *title, unsigned doc_slot,
                                 double factor, zhs_error_t *err) noexcept
{
    zhs_query_t *q = nullptr;
    zx::guard(err, __func__, [&] {
        zx::need(db, "db");
        zx::need(title, "title");
        zx::need(factor >= 0, "boost factor must be a number >= 0");
        Xapian::valueno slot = zx::slot_arg(doc_slot);
        std::shared_ptr<zx::Columns> cols = zx::columns_of(db->db);
        if (!cols || factor == 0) {
            q = new zhs_query{Xapian::Query::MatchNothing};
            return;
        }
        *db->columns = cols;
        std::shared_ptr<const zx::Column> col = cols->column(db->db, slot, false);
        std::shared_ptr<const zx::DocRanges> ranges = cols->doc_ranges(db->db, slot);
        /* Every matching title (at most one passage per document carries one), weighted
         * as a search is (BM25 without length normalization). */
        Xapian::Enquire enq(db->db);
        enq.set_query(zx::live_only(title->q, *db->deleted));
        enq.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0, 0.5));
        Xapian::MSet titles = enq.get_mset(0, db->db.get_doccount());
        auto docs = std::make_shared<std::vector<zx::Boosted>>();
        double max_weight = 0;
        for (auto it = titles.begin(); it != titles.end(); ++it) {
            Xapian::docid did = *it;
            uint32_t value = did < col->ids.size() ? col->ids[did] : 0;
            if (!value)
                continue;
            double w = factor * it.get_weight();
            docs->push_back({(*ranges)[value].first, (*ranges)[value].second, value, w});
            max_weight = std::max(max_weight, w);
        }
        /* By range; a document found twice (indexes of schema 1 to 3 hold the title
         * terms on every passage) keeps its best weight. */
        std::sort(docs->begin(), docs->end(), [](const zx::Boosted &a, const zx::Boosted &b) {
            if (a.first != b.first)
                return a.first < b.first;
            return a.value != b.value ? a.value < b.value : a.weight > b.weight;
        });
        docs->erase(std::unique(docs->begin(), docs->end(),
                                [](const zx::Boosted &a, const zx::Boosted &b) {
                                    return a.value == b.value;
                                }),
                    docs->end());
        q = new zhs_query{Xapian::Query(
            (new zx::DocBoostSource(col, std::move(docs), max_weight))->release())};
    });
    return q;
}

} // extern "C"
