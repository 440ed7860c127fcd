/* Weights by group: every document sharing a slot's value with one of a few given
 * documents weighs what that document was given (the searcher's title boost: each
 * passage of a document weighs how well the document's title passage matched). Read
 * from the slot's in-memory column where the database has one, else through Xapian's
 * ValueMapPostingSource (a value lookup per candidate). */
#include "config.h"

#include <cmath>
#include <map>

#include "xapian_internal.h"

namespace {

/* The documents whose column value id has a weight above 0. check() is what AND_MAYBE
 * asks of it, candidate by candidate: two array reads. */
class ColumnWeightSource : public Xapian::PostingSource {
  public:
    ColumnWeightSource(std::shared_ptr<const zx::Column> col,
                       std::shared_ptr<const std::vector<double>> by_id, double max_weight,
                       Xapian::doccount groups)
        : col_(std::move(col)), by_id_(std::move(by_id)), max_weight_(max_weight),
          groups_(groups)
    {
        set_maxweight(max_weight_);
    }
    void init(const Xapian::Database &db) override
    {
        last_ = std::min<Xapian::docid>(db.get_lastdocid(),
                                        static_cast<Xapian::docid>(col_->ids.size() - 1));
        doccount_ = db.get_doccount();
        did_ = 0;
        set_maxweight(max_weight_);
    }
    /* Not known without a scan: at least one document per group. */
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override
    {
        return std::min(groups_, doccount_);
    }
    Xapian::doccount get_termfreq_max() const override { return doccount_; }
    void next(double) override { advance(did_ + 1); }
    void skip_to(Xapian::docid did, double) override
    {
        if (did > did_)
            advance(did);
    }
    bool check(Xapian::docid did, double) override
    {
        if (did <= did_)
            return true;
        did_ = did;
        /* Indeterminate when did has no weight: next() and skip_to() go on past it. */
        return weight_of(did) > 0;
    }
    bool at_end() const override { return did_ > last_; }
    Xapian::docid get_docid() const override { return did_; }
    double get_weight() const override { return weight_of(did_); }
    Xapian::PostingSource *clone() const override
    {
        return new ColumnWeightSource(col_, by_id_, max_weight_, groups_);
    }
    std::string get_description() const override
    {
        return "ColumnWeightSource(" + std::to_string(groups_) + ")";
    }

  private:
    double weight_of(Xapian::docid did) const
    {
        return did < col_->ids.size() ? (*by_id_)[col_->ids[did]] : 0.0;
    }
    /* Only when the matcher walks the source itself (an AND in place of AND_MAYBE):
     * a scan of the column. */
    void advance(Xapian::docid from)
    {
        did_ = from;
        while (did_ <= last_ && weight_of(did_) <= 0)
            did_++;
    }
    std::shared_ptr<const zx::Column> col_;
    std::shared_ptr<const std::vector<double>> by_id_;
    double max_weight_;
    Xapian::doccount groups_;
    Xapian::docid last_ = 0;
    Xapian::doccount doccount_ = 0;
    Xapian::docid did_ = 0;
};

} // namespace

extern "C" {

zhs_query_t *zhs_query_value_weights(zhs_db_t *db, unsigned slot, const zhs_docid_t *docids,
                                     const double *weights, size_t n,
                                     zhs_error_t *err) noexcept
{
    zhs_query_t *q = nullptr;
    zx::guard(err, __func__, [&] {
        zx::need(db, "db");
        Xapian::valueno s = zx::slot_arg(slot);
        zx::need(n == 0 || (docids && weights), "docids and weights");
        double max_weight = 0;
        for (size_t i = 0; i < n; i++) {
            zx::need(weights[i] >= 0 && std::isfinite(weights[i]),
                     "weights must be finite numbers >= 0");
            max_weight = std::max(max_weight, weights[i]);
        }
        std::shared_ptr<zx::Columns> cols = zx::columns_of(db->db);
        if (cols) {
            *db->columns = cols;
            std::shared_ptr<const zx::Column> col = cols->column(db->db, s, false);
            auto by_id = std::make_shared<std::vector<double>>(col->values(), 0.0);
            Xapian::doccount groups = 0;
            for (size_t i = 0; i < n; i++) {
                uint32_t id = docids[i] < col->ids.size() ? col->ids[docids[i]] : 0;
                if (id == 0)
                    continue;    /* no value: no group */
                groups += (*by_id)[id] == 0 && weights[i] > 0;
                (*by_id)[id] = std::max((*by_id)[id], weights[i]);
            }
            q = new zhs_query{Xapian::Query(
                (new ColumnWeightSource(col, by_id, max_weight, groups))->release())};
            return;
        }
        std::map<std::string, double> by_value;
        for (size_t i = 0; i < n; i++) {
            std::string v = db->db.get_document(docids[i]).get_value(s);
            if (!v.empty())
                by_value[v] = std::max(by_value[v], weights[i]);
        }
        auto *source = new Xapian::ValueMapPostingSource(s);
        for (const auto &entry : by_value)
            source->add_mapping(entry.first, entry.second);
        q = new zhs_query{Xapian::Query(source->release())};
    });
    return q;
}

} // extern "C"
