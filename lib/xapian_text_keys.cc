/* The match keys of an index that does not store them (schema version 5, see schema.h):
 * made, when a revision's key column is built, from each passage's span (ZHS_SLOT_SPAN)
 * of its document's stored text (ZHS_SLOT_DOC, the `text:` record), as the indexer made
 * them. Storing the text once instead of also as keys saves a seventh of the index;
 * building the column costs a pass over the deflated texts, about 0.7 s for 385,000
 * passages, so a new revision of the same database starts from the last column built
 * for it: without termlists a document is never changed in place (a deletion is a
 * tombstone, a replacement a new document), so only the documents added since need
 * keys. */
#include "config.h"

#include <cstdlib>

#include "textpack.h"
#include "xapian_internal.h"
#include "zhsearch/analyzer.h"
#include "zhsearch/schema.h"

namespace zx {

namespace {

/* A C string the library allocated, freed with free(). */
struct CFree {
    void operator()(char *p) const { std::free(p); }
};
using CString = std::unique_ptr<char, CFree>;

/* The document text of id, empty when the index has none. */
std::string document_text(const Xapian::Database &db, const std::string &id)
{
    std::string rec = db.get_metadata(ZHS_META_TEXT + id);
    char *text = nullptr;
    size_t n = 0;
    if (rec.empty() || zhs_text_unpack(rec.data(), rec.size(), &text, &n, nullptr) != ZHS_OK)
        return std::string();
    CString owned(text);
    return std::string(text, n);
}

/* "OFFSET,NBYTES" within a text of size bytes. */
bool parse_span(const std::string &v, size_t size, size_t *offset, size_t *nbytes)
{
    char *end = nullptr;
    unsigned long long o = std::strtoull(v.c_str(), &end, 10);
    if (end == v.c_str() || *end != ',')
        return false;
    const char *n_start = end + 1;
    unsigned long long n = std::strtoull(n_start, &end, 10);
    if (end == n_start || *end || o > size || n > size - o)
        return false;
    *offset = static_cast<size_t>(o);
    *nbytes = static_cast<size_t>(n);
    return true;
}

/* The match key of text[0..n), empty when it is not valid UTF-8. */
std::string key_of(const char *text, size_t n)
{
    zhs_normalized_t norm;
    if (zhs_normalize(text, n, 0, &norm, nullptr) != ZHS_OK)
        return std::string();
    char *key = nullptr;
    zhs_status_t st = zhs_match_key(norm.text, norm.nbytes, &key, nullptr);
    zhs_normalized_release(&norm);
    CString owned(key);
    return st == ZHS_OK ? std::string(key) : std::string();
}

} // namespace

bool has_text_spans(const Xapian::Database &db)
{
    return db.get_value_freq(ZHS_SLOT_SPAN) > 0;
}

std::unique_ptr<KeyColumn> build_text_key_column(const Xapian::Database &db,
                                                 Xapian::valueno key_slot, size_t max_bytes,
                                                 const KeyColumn *base)
{
    auto col = std::make_unique<KeyColumn>();
    Xapian::docid last = db.get_lastdocid();
    col->starts.assign(static_cast<size_t>(last) + 2, 0);
    Xapian::docid next = 0;    /* the first document id whose start is not set yet */
    if (base && base->starts.size() >= 2 && base->starts.size() - 2 <= last) {
        next = static_cast<Xapian::docid>(base->starts.size() - 1);
        std::copy(base->starts.begin(), base->starts.end() - 1, col->starts.begin());
        col->bytes.assign(base->bytes, 0, base->starts.back());
    }
    Xapian::ValueIterator doc = db.valuestream_begin(ZHS_SLOT_DOC);
    const Xapian::ValueIterator doc_end = db.valuestream_end(ZHS_SLOT_DOC);
    /* Passages an older program wrote have their key stored: an index it built and
     * this one updated has both kinds. */
    Xapian::ValueIterator stored = db.valuestream_begin(key_slot);
    const Xapian::ValueIterator stored_end = db.valuestream_end(key_slot);
    Xapian::ValueIterator span = db.valuestream_begin(ZHS_SLOT_SPAN);
    const Xapian::ValueIterator span_end = db.valuestream_end(ZHS_SLOT_SPAN);
    if (next > 1) {    /* keys of documents up to next - 1 come from base */
        if (stored != stored_end)
            stored.skip_to(next);
        if (span != span_end)
            span.skip_to(next);
    }
    std::string id, text;      /* the document last read: its passages are consecutive */
    bool have_text = false;
    while (stored != stored_end || span != span_end) {
        bool from_stored =
            span == span_end || (stored != stored_end && stored.get_docid() <= span.get_docid());
        Xapian::docid did = from_stored ? stored.get_docid() : span.get_docid();
        std::string key;
        if (from_stored) {
            key = *stored;
            if (span != span_end && span.get_docid() == did)
                ++span;
            ++stored;
        } else {
            std::string v = *span;
            ++span;
            doc.skip_to(did);
            if (doc == doc_end || doc.get_docid() != did)
                continue;
            if (!have_text || *doc != id) {
                id = *doc;
                text = document_text(db, id);
                have_text = true;
            }
            size_t offset, nbytes;
            /* A deleted passage's document may have another text since (or none):
             * such spans make no key, or a wrong one nobody reads. */
            if (parse_span(v, text.size(), &offset, &nbytes))
                key = key_of(text.data() + offset, nbytes);
        }
        if (key.empty())
            continue;
        for (; next <= did; next++)
            col->starts[next] = col->bytes.size();
        col->bytes += key;
        col->bytes += '\0';
        if (col->bytes.size() > max_bytes)
            return nullptr;
    }
    for (; next < col->starts.size(); next++)
        col->starts[next] = col->bytes.size();
    return col;
}

} // namespace zx
