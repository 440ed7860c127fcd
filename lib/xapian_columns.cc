/* In-memory columns of value slots, one set per database revision and shared by every
 * handle open at that revision (the server's workers): facet and group columns, and the
 * match keys. A search reads a candidate's values from them instead of Xapian's value
 * streams, which cost a B-tree lookup per candidate and slot (about 1.5 us each). */
#include "config.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <numeric>

#include "xapian_internal.h"
#include "zhsearch/schema.h"

namespace zx {

namespace {

/* A column takes 4 bytes per document id: up to 16 MB each. The cap bounds the time a
 * new revision's columns take to build (a few seconds at 4 million passages), which
 * every commit of an incremental run costs the server. */
constexpr Xapian::docid max_column_docs = 1u << 22;
/* The match keys are about as large as the passages' text: beyond this the exact check
 * reads them from Xapian again (a B-tree lookup per candidate) rather than hold them. */
constexpr size_t max_key_bytes = size_t(1) << 30;

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
    col->part_starts.push_back(0);    /* id 0: no value, no parts */
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
            id = static_cast<uint32_t>(col->values());
            for (auto &name : names_of(value, multi)) {
                auto n = name_ids.emplace(name, static_cast<uint32_t>(col->names.size()));
                if (n.second)
                    col->names.push_back(std::move(name));
                col->part_list.push_back(n.first->second);
            }
            col->part_starts.push_back(static_cast<uint32_t>(col->part_list.size()));
            value_ids.emplace(value, id);
        }
        col->ids[it.get_docid()] = id;
        last = std::move(value);
        last_id = id;
    }
    std::vector<uint32_t> by_name(col->names.size());
    std::iota(by_name.begin(), by_name.end(), 0);
    std::sort(by_name.begin(), by_name.end(),
              [&](uint32_t a, uint32_t b) { return col->names[a] < col->names[b]; });
    col->name_order.resize(by_name.size());
    for (uint32_t i = 0; i < by_name.size(); i++)
        col->name_order[by_name[i]] = i;
    return col;
}

std::unique_ptr<KeyColumn> build_key_column(const Xapian::Database &db, Xapian::valueno slot)
{
    auto col = std::make_unique<KeyColumn>();
    Xapian::docid last = db.get_lastdocid();
    col->starts.assign(static_cast<size_t>(last) + 2, 0);
    Xapian::docid next = 0;    /* the first document id whose start is not set yet */
    for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
        Xapian::docid did = it.get_docid();
        /* Documents without a value: empty spans before this one. */
        for (; next <= did; next++)
            col->starts[next] = col->bytes.size();
        col->bytes += *it;
        col->bytes += '\0';
        if (col->bytes.size() > max_key_bytes)
            return nullptr;
    }
    for (; next < col->starts.size(); next++)
        col->starts[next] = col->bytes.size();
    return col;
}

/* Every revision some handle has columns for, by "<uuid>@<revision>/<documents>/<last
 * docid>". A revision's columns live as long as a handle (or a search) holds them. */
std::mutex registry_mutex;
std::map<std::string, std::weak_ptr<Columns>> registry;

} // namespace

std::shared_ptr<Columns> columns_of(const Xapian::Database &db)
{
    /* Over several shards the matcher hands out shard-local document ids. */
    if (db.size() != 1 || db.get_lastdocid() > max_column_docs)
        return nullptr;
    /* A copied database keeps its uuid: the counts tell copies changed since apart. */
    std::string key = db.get_uuid() + '@' + std::to_string(db.get_revision()) + '/' +
                      std::to_string(db.get_doccount()) + '/' +
                      std::to_string(db.get_lastdocid());
    std::lock_guard<std::mutex> lock(registry_mutex);
    std::shared_ptr<Columns> cols = registry[key].lock();
    if (cols)
        return cols;
    for (auto it = registry.begin(); it != registry.end();)
        it = it->second.expired() ? registry.erase(it) : std::next(it);
    cols = std::make_shared<Columns>();
    registry[key] = cols;
    return cols;
}

std::shared_ptr<const Column> Columns::column(const Xapian::Database &db, Xapian::valueno slot,
                                              bool multi)
{
    /* Building under the lock makes a second worker wait for the first one's column
     * rather than build its own copy. */
    std::lock_guard<std::mutex> lock(mutex_);
    std::shared_ptr<const Column> &col = by_key_[slot * 2 + (multi ? 1 : 0)];
    if (!col)
        col = build_column(db, slot, multi);
    return col;
}

namespace {

/* The key column last made from the texts of a database without termlists, and that
 * database's UUID: the next revision starts from it (see xapian_text_keys.cc). One,
 * the index a server serves: it is the current revision's own column, so it costs no
 * memory of its own once the workers have moved. */
std::mutex text_keys_mutex;
std::string last_text_keys_uuid;
std::shared_ptr<const KeyColumn> last_text_keys;

std::shared_ptr<const KeyColumn> text_key_column(const Xapian::Database &db,
                                                 Xapian::valueno slot)
{
    std::string uuid = db.get_uuid();
    bool immutable = !has_termlists(db);
    std::shared_ptr<const KeyColumn> base;
    if (immutable) {
        std::lock_guard<std::mutex> lock(text_keys_mutex);
        if (last_text_keys_uuid == uuid)
            base = last_text_keys;
    }
    std::shared_ptr<const KeyColumn> col =
        build_text_key_column(db, slot, max_key_bytes, base.get());
    if (immutable && col) {
        std::lock_guard<std::mutex> lock(text_keys_mutex);
        last_text_keys_uuid = uuid;
        last_text_keys = col;
    }
    return col;
}

} // namespace

std::shared_ptr<const KeyColumn> Columns::keys(const Xapian::Database &db, Xapian::valueno slot)
{
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = keys_by_slot_.find(slot);
    if (found == keys_by_slot_.end())    /* NULL, remembered, when over max_key_bytes */
        found = keys_by_slot_
                    .emplace(slot, has_text_spans(db) ? text_key_column(db, slot)
                                                      : build_key_column(db, slot))
                    .first;
    return found->second;
}

} // namespace zx

extern "C" {

zhs_status_t zhs_db_warm_column(zhs_db_t *db, unsigned slot, bool multi,
                                zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(db, "db");
        std::shared_ptr<zx::Columns> cols = zx::columns_of(db->db);
        *db->columns = cols;
        if (cols)
            cols->column(db->db, zx::slot_arg(slot), multi);
    });
}

zhs_status_t zhs_db_warm_keys(zhs_db_t *db, unsigned slot, zhs_error_t *err) noexcept
{
    return zx::guard(err, __func__, [&] {
        zx::need(db, "db");
        std::shared_ptr<zx::Columns> cols = zx::columns_of(db->db);
        *db->columns = cols;
        if (cols)
            cols->keys(db->db, zx::slot_arg(slot));
    });
}

} // extern "C"
