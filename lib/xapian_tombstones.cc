/* Deletions in an index without termlists. Xapian needs a document's termlist to delete
 * it, and the termlists are a third of an index, so databases are created without them
 * (DB_NO_TERMLIST) and delete by recording the deleted docids, tombstones, in their
 * metadata (ZHS_META_DELETED): every lookup here skips them and every search excludes
 * them (live_only). A rebuild leaves them behind; until then term statistics still
 * count them. Databases written with termlists (older indexes) delete for real and
 * have no tombstones. */
#include "config.h"

#include <algorithm>

#include "xapian_internal.h"
#include "zhsearch/schema.h"

namespace zx {

/* ------------------------------------------------------------ the stored form */

/* Ascending docids as the varint-coded gaps between them (7 bits a byte, low first). */
std::string encode_docids(const std::set<Xapian::docid> &docids)
{
    std::string out;
    Xapian::docid prev = 0;
    for (Xapian::docid d : docids) {
        uint32_t gap = d - prev;
        prev = d;
        do {
            unsigned char byte = gap & 0x7f;
            gap >>= 7;
            out += static_cast<char>(gap ? byte | 0x80 : byte);
        } while (gap);
    }
    return out;
}

std::vector<Xapian::docid> decode_docids(const std::string &bytes)
{
    std::vector<Xapian::docid> out;
    uint64_t prev = 0;
    for (size_t i = 0; i < bytes.size();) {
        uint64_t gap = 0;
        unsigned shift = 0;
        unsigned char byte;
        do {
            if (i == bytes.size() || shift > 28)
                throw Xapian::DatabaseCorruptError("bad " ZHS_META_DELETED " record");
            byte = static_cast<unsigned char>(bytes[i++]);
            gap |= static_cast<uint64_t>(byte & 0x7f) << shift;
            shift += 7;
        } while (byte & 0x80);
        prev += gap;
        if (gap == 0 || prev > UINT32_MAX)
            throw Xapian::DatabaseCorruptError("bad " ZHS_META_DELETED " record");
        out.push_back(static_cast<Xapian::docid>(prev));
    }
    return out;
}

/* ------------------------------------------------------------ writers */

bool has_termlists(const Xapian::Database &db)
{
    try {
        db.termlist_begin(1);
    } catch (const Xapian::FeatureUnavailableError &) {
        return false;
    } catch (const Xapian::DocNotFoundError &) {
    }
    return true;
}

void WriterTombstones::load(const Xapian::Database &db)
{
    std::vector<Xapian::docid> v = decode_docids(db.get_metadata(ZHS_META_DELETED));
    docids = std::set<Xapian::docid>(v.begin(), v.end());
    dirty = false;
}

void WriterTombstones::flush(Xapian::WritableDatabase &db)
{
    if (dirty)
        db.set_metadata(ZHS_META_DELETED, encode_docids(docids));
    dirty = false;
}

/* ------------------------------------------------------------ readers */

std::shared_ptr<const Tombstones> Tombstones::load(const std::vector<Xapian::Database> &shards)
{
    auto t = std::make_shared<Tombstones>();
    for (const Xapian::Database &db : shards) {
        Shard s;
        s.docids = decode_docids(db.get_metadata(ZHS_META_DELETED));
        if (!s.docids.empty())
            s.uuid = db.get_uuid();
        t->count_ += s.docids.size();
        t->shards_.push_back(std::move(s));
    }
    return t->count_ ? t : nullptr;
}

bool Tombstones::deleted(Xapian::docid combined) const
{
    size_t n = shards_.size();
    const std::vector<Xapian::docid> &v = shards_[(combined - 1) % n].docids;
    return std::binary_search(v.begin(), v.end(), (combined - 1) / n + 1);
}

const std::vector<Xapian::docid> *Tombstones::of_shard(const std::string &uuid) const
{
    for (const Shard &s : shards_)
        if (!s.docids.empty() && s.uuid == uuid)
            return &s.docids;
    return nullptr;
}

namespace {

/* The deleted documents of one shard as a posting list: the matcher hands each shard
 * its own clone, and init() says which shard it is (by its UUID). */
class DeletedSource : public SortedDocidSource {
  public:
    explicit DeletedSource(std::shared_ptr<const Tombstones> t) : t_(std::move(t)) {}
    void init(const Xapian::Database &db) override { reset(t_->of_shard(db.get_uuid())); }
    PostingSource *clone() const override { return new DeletedSource(t_); }
    std::string name() const override { return "zhs::DeletedSource"; }

  private:
    std::shared_ptr<const Tombstones> t_;
};

} // namespace

Xapian::Query live_only(const Xapian::Query &q, const std::shared_ptr<const Tombstones> &t)
{
    if (!t)
        return q;
    return Xapian::Query(Xapian::Query::OP_AND_NOT, q,
                         Xapian::Query((new DeletedSource(t))->release()));
}

} // namespace zx
