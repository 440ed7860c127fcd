/* The response cache: a chained hash table (xxHash of the key) threaded on a doubly
 * linked list from most to least recently used. Each entry is one allocation holding
 * its key and body. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "cache.h"

typedef struct entry {
    struct entry *chain;            /* next in the bucket */
    struct entry *newer, *older;    /* the recency list */
    uint64_t hash;
    size_t key_len, body_len;
    char bytes[];                   /* key, NUL, body */
} entry_t;

struct srv_cache {
    size_t max_bytes, bytes, count;
    uint64_t version;
    entry_t **buckets;
    size_t nbuckets;                /* a power of two */
    entry_t *newest, *oldest;
};

static size_t entry_cost(size_t key_len, size_t body_len)
{
    return sizeof(entry_t) + key_len + 1 + body_len;
}

srv_cache_t *srv_cache_new(size_t max_bytes)
{
    srv_cache_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->nbuckets = 64;
    if (!(c->buckets = calloc(c->nbuckets, sizeof *c->buckets))) {
        free(c);
        return NULL;
    }
    c->max_bytes = max_bytes;
    return c;
}

static void unlink_recency(srv_cache_t *c, entry_t *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void push_newest(srv_cache_t *c, entry_t *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest)
        c->newest->newer = e;
    c->newest = e;
    if (!c->oldest)
        c->oldest = e;
}

static entry_t **slot_of(srv_cache_t *c, uint64_t hash, const char *key, size_t key_len)
{
    entry_t **p = &c->buckets[hash & (c->nbuckets - 1)];
    while (*p && !((*p)->hash == hash && (*p)->key_len == key_len &&
                   memcmp((*p)->bytes, key, key_len) == 0))
        p = &(*p)->chain;
    return p;
}

static void remove_entry(srv_cache_t *c, entry_t **slot)
{
    entry_t *e = *slot;
    *slot = e->chain;
    unlink_recency(c, e);
    c->bytes -= entry_cost(e->key_len, e->body_len);
    c->count--;
    free(e);
}

static void clear(srv_cache_t *c)
{
    while (c->oldest) {
        entry_t *e = c->oldest;
        remove_entry(c, slot_of(c, e->hash, e->bytes, e->key_len));
    }
}

/* Empties the cache when the index view moved to another version. */
static void settle_version(srv_cache_t *c, uint64_t version)
{
    if (version != c->version) {
        clear(c);
        c->version = version;
    }
}

/* Doubles the table when it holds more entries than buckets; stays as it is when out
 * of memory (chains just get longer). */
static void grow(srv_cache_t *c)
{
    if (c->count < c->nbuckets)
        return;
    size_t n = c->nbuckets * 2;
    entry_t **b = calloc(n, sizeof *b);
    if (!b)
        return;
    for (entry_t *e = c->newest; e; e = e->older) {
        entry_t **p = &b[e->hash & (n - 1)];
        e->chain = *p;
        *p = e;
    }
    free(c->buckets);
    c->buckets = b;
    c->nbuckets = n;
}

void srv_cache_free(srv_cache_t *c)
{
    if (!c)
        return;
    clear(c);
    free(c->buckets);
    free(c);
}

const char *srv_cache_get(srv_cache_t *c, uint64_t version, const char *key,
                          size_t *nbytes)
{
    settle_version(c, version);
    size_t key_len = strlen(key);
    entry_t *e = *slot_of(c, XXH3_64bits(key, key_len), key, key_len);
    if (!e)
        return NULL;
    unlink_recency(c, e);
    push_newest(c, e);
    *nbytes = e->body_len;
    return e->bytes + key_len + 1;
}

void srv_cache_put(srv_cache_t *c, uint64_t version, const char *key, const char *body,
                   size_t nbytes)
{
    settle_version(c, version);
    size_t key_len = strlen(key);
    uint64_t hash = XXH3_64bits(key, key_len);
    entry_t **slot = slot_of(c, hash, key, key_len);
    if (*slot)
        remove_entry(c, slot);
    size_t cost = entry_cost(key_len, nbytes);
    if (cost > c->max_bytes / 8)
        return;
    while (c->bytes + cost > c->max_bytes && c->oldest) {
        entry_t *old = c->oldest;
        remove_entry(c, slot_of(c, old->hash, old->bytes, old->key_len));
    }
    entry_t *e = malloc(cost);
    if (!e)
        return;
    e->hash = hash;
    e->key_len = key_len;
    e->body_len = nbytes;
    memcpy(e->bytes, key, key_len + 1);
    if (nbytes)
        memcpy(e->bytes + key_len + 1, body, nbytes);
    slot = &c->buckets[hash & (c->nbuckets - 1)];
    e->chain = *slot;
    *slot = e;
    push_newest(c, e);
    c->bytes += cost;
    c->count++;
    grow(c);
}

size_t srv_cache_entries(const srv_cache_t *c)
{
    return c->count;
}

size_t srv_cache_bytes(const srv_cache_t *c)
{
    return c->bytes;
}
