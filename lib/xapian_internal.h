/* Private to the Xapian binding (lib/xapian_*.cc): the handle structs behind the opaque
 * C types, the one exception-to-status mapper, and argument checks shared by the files.
 * Internal helpers live in namespace zx so that no C++ symbol matches the exported
 * `zhs_` pattern. */
#ifndef ZHS_LIB_XAPIAN_INTERNAL_H
#define ZHS_LIB_XAPIAN_INTERNAL_H

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <utility>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "zhsearch/xapian.h"

namespace zx {

/* Maps the exception being handled to a status, records "<what>[(<path>)]: <message>"
 * in err (first message wins) and returns the status. Call only from inside a catch
 * block. path (may be NULL) lets a DatabaseOpeningError on a missing path read as
 * ZHS_ERR_DB_MISSING. */
zhs_status_t fail(zhs_error_t *err, const char *what, const char *path = nullptr) noexcept;

/* Runs body, the whole work of an exported function, and turns whatever it throws into
 * a status through fail(): the one try/catch every exported function goes through. */
template <typename Body>
zhs_status_t guard(zhs_error_t *err, const char *what, const char *path, Body &&body) noexcept
{
    try {
        body();
        return ZHS_OK;
    } catch (...) {
        return fail(err, what, path);
    }
}

template <typename Body>
zhs_status_t guard(zhs_error_t *err, const char *what, Body &&body) noexcept
{
    return guard(err, what, nullptr, std::forward<Body>(body));
}

/* Argument checks: each throws Xapian::InvalidArgumentError, which fail() maps to
 * ZHS_ERR_BAD_ARG, so every check and every Xapian refusal take the same path. */
void need(const void *p, const char *name);
void need(bool ok, const char *message);
/* A term of 1..ZHS_MAX_TERM_BYTES bytes; lookups accept longer terms (they simply
 * match nothing), writing refuses them. */
std::string term_arg(const char *term, size_t nbytes, bool for_writing);
Xapian::valueno slot_arg(long long slot);

/* Copies bytes to a new NUL-terminated malloc() string (caller frees with free()). */
void copy_out(const std::string &s, char **out, size_t *out_nbytes);
/* Clears the out-parameters of a copy_out caller, so failures leave them NULL/0. */
void clear_out(char **out, size_t *out_nbytes);

/* Read-side operations shared by read-only and writable databases; documents for which
 * is_deleted (may be empty) holds are skipped or not found. */
using IsDeleted = std::function<bool(Xapian::docid)>;
uint64_t termfreq(const Xapian::Database &db, const char *term, size_t nbytes,
                  const IsDeleted &is_deleted);
void get_metadata(const Xapian::Database &db, const char *key, char **out,
                  size_t *out_nbytes);
void metadata_keys(const Xapian::Database &db, const char *prefix, zhs_bytes_fn fn,
                   void *ctx);
void postings(const Xapian::Database &db, const char *term, size_t nbytes, zhs_docid_fn fn,
              void *ctx, const IsDeleted &is_deleted);
/* The document docid, DocNotFoundError when it is deleted. */
Xapian::Document live_document(const Xapian::Database &db, zhs_docid_t docid,
                               const IsDeleted &is_deleted);
void get_value(const Xapian::Database &db, zhs_docid_t docid, unsigned slot, char **out,
               size_t *out_nbytes, const IsDeleted &is_deleted);

/* Deleted documents of databases without termlists (lib/xapian_tombstones.cc). */
bool has_termlists(const Xapian::Database &db);
std::string encode_docids(const std::set<Xapian::docid> &docids);
/* Throws DatabaseCorruptError on bytes encode_docids did not write. */
std::vector<Xapian::docid> decode_docids(const std::string &bytes);

/* A writer's tombstones, committed and pending; flush() stores them with the changes
 * about to be committed, load() reads the committed ones again (after a cancel). */
struct WriterTombstones {
    std::set<Xapian::docid> docids;
    bool dirty = false;
    void load(const Xapian::Database &db);
    void flush(Xapian::WritableDatabase &db);
};

/* The tombstones of a reader at one revision, per shard; load() returns NULL when no
 * shard has any, so that readers of a rebuilt index pay nothing. */
class Tombstones {
  public:
    static std::shared_ptr<const Tombstones> load(const std::vector<Xapian::Database> &shards);
    /* combined: a docid of all the shards together (see zhs_db_add). */
    bool deleted(Xapian::docid combined) const;
    uint64_t count() const { return count_; }
    /* The sorted shard-local docids of the shard with this UUID (NULL: none). */
    const std::vector<Xapian::docid> *of_shard(const std::string &uuid) const;

  private:
    struct Shard {
        std::string uuid;
        std::vector<Xapian::docid> docids;
    };
    std::vector<Shard> shards_;
    uint64_t count_ = 0;
};

/* The first place at or after from where the sorted v holds did or more (v.size() if
 * none): steps doubling from `from`, then a binary search, as the next document wanted
 * is mostly a few places on. */
inline size_t gallop(const std::vector<Xapian::docid> &v, size_t from, Xapian::docid did)
{
    if (from >= v.size() || v[from] >= did)
        return from;
    size_t lo = from, step = 1;
    while (lo + step < v.size() && v[lo + step] < did) {
        lo += step;
        step *= 2;
    }
    size_t hi = std::min(lo + step, v.size());
    return static_cast<size_t>(std::lower_bound(v.begin() + lo, v.begin() + hi, did) -
                               v.begin());
}

/* A posting list over a sorted vector of document ids, without weight: the deleted
 * documents (lib/xapian_tombstones.cc), a character's passages
 * (lib/xapian_char_postings.cc). A subclass points it at its list with reset(),
 * in init() at the latest; the list must outlive the source. */
class SortedDocidSource : public Xapian::PostingSource {
  public:
    Xapian::doccount get_termfreq_min() const override { return count(); }
    Xapian::doccount get_termfreq_est() const override { return count(); }
    Xapian::doccount get_termfreq_max() const override { return count(); }
    void next(double) override
    {
        if (started_)
            pos_++;
        started_ = true;
    }
    void skip_to(Xapian::docid did, double) override
    {
        started_ = true;
        pos_ = gallop(*v_, pos_, did);
    }
    bool at_end() const override { return pos_ >= v_->size(); }
    Xapian::docid get_docid() const override { return (*v_)[pos_]; }

  protected:
    size_t position() const { return pos_; }
    void reset(const std::vector<Xapian::docid> *v)
    {
        v_ = v ? v : &empty_;
        pos_ = 0;
        started_ = false;
    }

  private:
    Xapian::doccount count() const { return static_cast<Xapian::doccount>(v_->size()); }
    std::vector<Xapian::docid> empty_;
    const std::vector<Xapian::docid> *v_ = &empty_;
    size_t pos_ = 0;
    bool started_ = false;
};

/* q without the deleted documents (q itself when t is NULL). */
Xapian::Query live_only(const Xapian::Query &q, const std::shared_ptr<const Tombstones> &t);

/* One value slot of a single-shard database held in memory: ids[docid] numbers the
 * document's value (0: none), parts(id) lists the facet values that value counts as
 * (its ZHS_VALUE_SEP-separated names when multi, else itself; distinct, none for ""),
 * names[part] spells them. The lists are one array cut by part_starts: facet counting
 * reads them for every match, and a vector per value cost it a cache miss more. */
struct Column {
    std::vector<uint32_t> ids;
    std::vector<uint32_t> part_starts{0};   /* value id's parts: [starts[id], starts[id + 1]) */
    std::vector<uint32_t> part_list;
    std::vector<std::string> names;
    std::vector<uint32_t> name_order;   /* each name's place among them in byte order */

    struct Parts {
        const uint32_t *first, *last;
        const uint32_t *begin() const { return first; }
        const uint32_t *end() const { return last; }
        bool empty() const { return first == last; }
    };
    size_t values() const { return part_starts.size() - 1; }
    Parts parts(uint32_t id) const
    {
        const uint32_t *base = part_list.data();
        return {base + part_starts[id], base + part_starts[id + 1]};
    }
};

/* A slot of distinct values (the match keys): the value of docid is the NUL-terminated
 * string at bytes + starts[docid], starts[docid + 1] - starts[docid] bytes with its NUL;
 * 0 bytes when the document has none. */
struct KeyColumn {
    std::vector<size_t> starts;
    std::string bytes;
    bool get(Xapian::docid did, const char **value, size_t *nbytes) const
    {
        if (did + 1 >= starts.size() || starts[did + 1] == starts[did])
            return false;
        *value = bytes.data() + starts[did];
        *nbytes = starts[did + 1] - starts[did] - 1;
        return true;
    }
    /* Reading keys of scattered documents is a cache miss for the start and one for
     * the bytes (a relaxed run's candidates lie far apart in a column of a hundred
     * megabytes): a reader asks for the start of the document 2 * read_ahead places
     * ahead and for the bytes of the one read_ahead ahead (whose start has come in by
     * then), enough for the memory to deliver several keys at once, few enough that
     * they are still cached when read. */
    static constexpr size_t read_ahead = 8;
    void prefetch_start(Xapian::docid did) const
    {
        if (did < starts.size())
            __builtin_prefetch(&starts[did]);
    }
    void prefetch_bytes(Xapian::docid did) const
    {
        if (did + 1 >= starts.size())
            return;
        /* All of a key up to prefetch_max: its reader (a substring search) reads it
         * whole. */
        const char *key = bytes.data() + starts[did];
        size_t nbytes = std::min(starts[did + 1] - starts[did], prefetch_max);
        for (size_t at = 0; at < nbytes; at += 64)
            __builtin_prefetch(key + at);
    }
    static constexpr size_t prefetch_max = 512;
};

/* The match keys of an index that stores passages' texts once (lib/xapian_text_keys.cc):
 * has_text_spans tells such an index; the column holds key_slot's stored keys where
 * passages have one, else the key made from the passage's text; NULL when over
 * max_bytes. base (may be NULL): the column of an earlier revision of db without
 * termlists, whose documents' keys are taken as they are. */
bool has_text_spans(const Xapian::Database &db);
std::unique_ptr<KeyColumn> build_text_key_column(const Xapian::Database &db,
                                                 Xapian::valueno key_slot, size_t max_bytes,
                                                 const KeyColumn *base);

/* A character's documents, sorted; and as a bitmap (bit docid) when that is smaller
 * than the list (more than one document in 32 holds it), for the intersection's
 * membership tests. */
/* The BM25 parameters a search ranks with (zhs_enquire_set_bm25; k2 0, k3 1). */
struct Bm25 {
    double k1, b, min_normlen;
};

struct CharPostings {
    std::vector<Xapian::docid> ids;
    std::vector<uint16_t> wdf;      /* ids[i]'s occurrences of the character (saturated) */
    std::vector<uint64_t> bits;
    bool has(Xapian::docid did) const
    {
        return did / 64 < bits.size() && (bits[did / 64] >> (did % 64) & 1);
    }
    size_t words() const { return ids.size() + (wdf.size() + 1) / 2 + 2 * bits.size(); }
};

/* The columns of one revision of a database, built on first use and shared by every
 * handle at that revision (thread-safe). */
class Columns {
  public:
    std::shared_ptr<const Column> column(const Xapian::Database &db, Xapian::valueno slot,
                                         bool multi);
    /* NULL when the keys would take more memory than the columns allow. */
    std::shared_ptr<const KeyColumn> keys(const Xapian::Database &db, Xapian::valueno slot);
    /* The documents holding the character (or any term) prefix: the union of the
     * posting lists of every term it begins (lib/xapian_char_postings.cc). */
    std::shared_ptr<const CharPostings> char_postings(const Xapian::Database &db,
                                                      const std::string &prefix);

  private:
    std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const CharPostings>> chars_;
    size_t char_postings_ = 0;    /* 4-byte words held in chars_ */
    std::unordered_map<unsigned, std::shared_ptr<const Column>> by_key_;  /* slot*2+multi */
    std::unordered_map<unsigned, std::shared_ptr<const KeyColumn>> keys_by_slot_;
};

/* The columns of db at its current revision (the same object for every handle at that
 * revision while one holds it); NULL when db has several shards or more documents than
 * columns are built for: the value streams are read then. */
std::shared_ptr<Columns> columns_of(const Xapian::Database &db);

/* Every term that starts with prefix, as one synonym (zhs_query_prefix). */
Xapian::Query wildcard(const std::string &prefix);

/* A match as a Collector records it. */
struct Match {
    Xapian::docid did;
    double wt;
    int tier;      /* the decider's (1 without one) */
};

/* Hands each candidate's data to the caller's C callback (see zhs_enquire_set_decider). */
class Decider : public Xapian::MatchDecider {
  public:
    zhs_decider_fn fn = nullptr;
    void *ctx = nullptr;
    /* Xapian hands the decider shard-local documents without saying which shard: over
     * several shards the docid passed on is 0 rather than a wrong one. */
    bool single_shard = true;
    /* zhs_enquire_set_decider_value: value_fn sees value_slot where it is set, read
     * from value_column when the search has one. */
    zhs_decider_fn value_fn = nullptr;
    Xapian::valueno value_slot = 0;
    /* zhs_enquire_set_decider_data: fn's data comes from this slot where set. */
    Xapian::valueno data_slot = Xapian::BAD_VALUENO;
    std::shared_ptr<const KeyColumn> value_column;
    /* The tier of the document last kept: the matcher hands a kept document to the
     * spies (the Collector) right after the decider. */
    mutable Xapian::docid kept_docid = 0;
    mutable int kept_tier = 1;
    bool operator()(const Xapian::Document &doc) const override;
    /* Whether decide_all can decide from the key column alone, after the match. */
    bool decides_from_column() const { return value_fn && value_column && single_shard; }
    /* Keeps the matches the decider keeps, with their tiers, reading keys ahead; a
     * match without a key in the column is decided from db's document. */
    void decide_all(std::vector<Match> &matches, const Xapian::Database &db) const;

  private:
    bool keep(Xapian::docid docid, int tier) const
    {
        kept_docid = docid;
        kept_tier = tier;
        return tier > 0;
    }
};

/* Counts facet values over every match the matcher sees (see zhs_enquire_add_facet). */
class FacetSpy : public Xapian::MatchSpy {
  public:
    explicit FacetSpy(const zhs_facet_spec_t &spec) : spec_(spec) {}
    ~FacetSpy() override { release_part_counts(); }
    FacetSpy(const FacetSpy &) = delete;
    FacetSpy &operator=(const FacetSpy &) = delete;
    /* Before each match: the columns of the spec's slot and unit slot at the revision
     * searched (cols may be NULL), read instead of the documents' values when there
     * are both. */
    void use_columns(const Xapian::Database &db, Columns *cols);
    void operator()(const Xapian::Document &doc, double wt) override;
    /* Counts after the match, from the docids a Collector kept (count_matches), where
     * the columns allow (deferred() tells): the spy then ignores the matcher. Until
     * reset. */
    void defer() { deferred_ = counts_from_columns(); }
    bool deferred() const { return deferred_; }
    /* Counts the matches when deferred; nothing otherwise. */
    void count_matches(const std::vector<Match> &matches);
    void reset() noexcept;
    /* After each match: settles the counts (see count_columns). */
    void finish();
    /* A value (borrowed from the spy or its column, valid until the next match) and
     * its count. */
    struct Count {
        const std::string *value;
        uint64_t count;
        uint32_t order;   /* the value's place in byte order among the column's names,
                             no_order when not from a column */
        static constexpr uint32_t no_order = UINT32_MAX;
    };
    /* The values counted, in no order. */
    std::vector<Count> counted() const;
    uint64_t units() const
    {
        return spec_.unit_slot < 0 ? docs_ : units_.size() + column_units_;
    }

  private:
    bool counts_from_columns() const { return col_ && (unit_col_ || spec_.unit_slot < 0); }
    void count_value(const std::string &unit, const std::string &value);
    /* part_counts_ comes zeroed from a per-thread pool and goes back to it with only
     * the counted parts zeroed: a column may name 20,000 sections, and zeroing a count
     * for each of them on every search took more than the counting. */
    void take_part_counts(size_t n);
    void release_part_counts() noexcept;
    void count_columns(Xapian::docid did);
    void count_part(uint32_t part)
    {
        if (part_counts_[part]++ == 0)
            parts_counted_.push_back(part);
    }
    zhs_facet_spec_t spec_;
    std::shared_ptr<const Column> col_;
    std::shared_ptr<const Column> unit_col_;
    std::unordered_map<std::string, uint64_t> counts_;
    /* (unit, value) pairs already counted, encoded "<unit length>:<unit><value>". */
    std::unordered_set<std::string> pairs_;
    std::unordered_set<std::string> units_;
    /* The same from the columns: counts by part, (unit id, part) pairs, units seen by
     * unit id and how many. */
    std::vector<uint64_t> part_counts_;
    std::vector<uint32_t> parts_counted_;   /* parts whose count is not 0: few of many */
    std::vector<uint64_t> pairs_seen_;      /* (unit id << 32 | part), as counted */
    std::vector<uint32_t> unit_parts_;      /* parts counted for the current unit */
    uint32_t unit_ = 0;
    bool in_unit_ = false;
    bool unit_revisited_ = false;
    std::vector<bool> unit_seen_;
    uint64_t column_units_ = 0;
    uint64_t docs_ = 0;
    bool deferred_ = false;
};

/* The sort key of a value slot that puts documents without a value last in either
 * direction (set_sort_by_key_then_relevance; rank_matches orders the same way). */
class EmptyLastKey : public Xapian::KeyMaker {
  public:
    Xapian::valueno slot = Xapian::BAD_VALUENO;
    bool reverse = false;
    std::string operator()(const Xapian::Document &doc) const override;
};

/* Records every match, its weight and tier, for ranking by rank_matches (when active),
 * and counts them. */
class Collector : public Xapian::MatchSpy {
  public:
    explicit Collector(const Decider &decider) : decider_(decider) {}
    bool active = false;
    std::vector<Match> matches;
    uint64_t seen = 0;    /* every match, collected or not */
    void operator()(const Xapian::Document &doc, double wt) override
    {
        seen++;
        if (!active)
            return;
        Xapian::docid did = doc.get_docid();
        matches.push_back({did, wt, decider_.kept_docid == did ? decider_.kept_tier : 1});
    }

  private:
    const Decider &decider_;
};

/* How rank_matches orders and groups: sort_column orders by its value first (NULL:
 * relevance only; descending when reverse), group_column keeps the best match of each
 * non-empty value (NULL: no grouping). */
struct RankSpec {
    std::shared_ptr<const Column> sort_column;
    bool reverse = false;
    std::shared_ptr<const Column> group_column;
};

/* The page [first, first + max) of the collected matches ordered by tier, then as
 * Xapian would (sort value, then weight descending, then docid ascending), each match
 * standing for its group with the group's size - 1 as collapse_count; *total is the
 * number of results (groups, or matches when not grouping). */
std::vector<zhs_mset_item_t> rank_matches(const Collector &c, const RankSpec &spec,
                                          unsigned first, unsigned max, uint64_t *total);

} // namespace zx

struct zhs_db {
    Xapian::Database db;     /* all shards */
    /* Each alone (sharing db's internals, so they move along with it): the first for
     * the revision, each for its tombstones. */
    std::vector<Xapian::Database> shards;
    /* The tombstones at db's revision (NULL: none), shared with the enquires, which
     * exclude them from every match. */
    std::shared_ptr<std::shared_ptr<const zx::Tombstones>> deleted =
        std::make_shared<std::shared_ptr<const zx::Tombstones>>();
    /* The columns of the revision last searched, held so that they outlive the search
     * (see zx::columns_of); shared with the enquires, which update it. */
    std::shared_ptr<std::shared_ptr<zx::Columns>> columns =
        std::make_shared<std::shared_ptr<zx::Columns>>();
};

struct zhs_wdb {
    Xapian::WritableDatabase db;
    bool termlists;                 /* Xapian deletes; else tombstones record it */
    zx::WriterTombstones deleted;
    bool in_transaction = false;
    bool is_deleted(Xapian::docid did) const
    {
        return !termlists && deleted.docids.count(did);
    }
};

struct zhs_xdoc {
    Xapian::Document doc;
};

struct zhs_query {
    Xapian::Query q;
};

struct zhs_enquire {
    explicit zhs_enquire(const zhs_db_t *db)
        : db(db->db), columns(db->columns), deleted(db->deleted), enq(db->db)
    {
    }
    Xapian::Database db;
    std::shared_ptr<std::shared_ptr<zx::Columns>> columns;
    std::shared_ptr<std::shared_ptr<const zx::Tombstones>> deleted;
    Xapian::Query query;          /* as set; searched without the deleted documents */
    /* The order and grouping asked for, kept to rank from the columns (see get_mset). */
    zx::EmptyLastKey sort_key;    /* the sort slot (BAD_VALUENO: relevance) and
                                     direction; declared before enq, which points to it */
    Xapian::valueno collapse_slot = Xapian::BAD_VALUENO;
    unsigned collapse_max = 0;
    /* Declared before enq: Xapian keeps raw pointers to the spies and the decider. */
    std::vector<std::unique_ptr<zx::FacetSpy>> facets;
    zx::Decider decider;
    zx::Collector collector{decider};
    Xapian::Enquire enq;
};

/* A page ranked by Xapian (mset), or by zx::rank_matches from the columns (ranked true:
 * items, matches and db, for the items' documents). */
struct zhs_mset {
    Xapian::MSet mset;
    bool ranked = false;
    std::vector<zhs_mset_item_t> items;
    uint64_t matches = 0;
    Xapian::Database db;
};

#endif
