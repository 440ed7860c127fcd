/* String pools: distinct strings in one arena, with a hash set so that a sentence that
 * occurs in many manual pages (or twice in a seed document) is kept once. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gen.h"

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

#define FNV_BASIS 0xcbf29ce484222325ULL

/* Inserts h into the set; returns 0 when it was already there. */
static int set_insert(gen_pool_t *pool, uint64_t h)
{
    if ((pool->n + 1) * 2 > pool->hash_cap) {
        size_t cap = pool->hash_cap ? pool->hash_cap * 2 : 1024;
        uint64_t *hashes = gen_xrealloc(NULL, cap * sizeof *hashes);
        memset(hashes, 0, cap * sizeof *hashes);
        for (size_t i = 0; i < pool->hash_cap; i++) {
            uint64_t old = pool->hashes[i];
            if (!old)
                continue;
            size_t j = old & (cap - 1);
            while (hashes[j])
                j = (j + 1) & (cap - 1);
            hashes[j] = old;
        }
        free(pool->hashes);
        pool->hashes = hashes;
        pool->hash_cap = cap;
    }
    size_t j = h & (pool->hash_cap - 1);
    while (pool->hashes[j]) {
        if (pool->hashes[j] == h)
            return 0;
        j = (j + 1) & (pool->hash_cap - 1);
    }
    pool->hashes[j] = h;
    return 1;
}

void gen_pool_add(gen_pool_t *pool, const char *str, size_t nbytes)
{
    uint64_t h = fnv1a(FNV_BASIS, str, nbytes);
    if (!h)
        h = 1;
    if (!set_insert(pool, h))
        return;
    if (pool->n == pool->cap) {
        pool->cap = pool->cap ? pool->cap * 2 : 256;
        pool->offsets = gen_xrealloc(pool->offsets, pool->cap * sizeof *pool->offsets);
    }
    pool->offsets[pool->n++] = (uint32_t)pool->arena.len;
    gen_buf_add(&pool->arena, str, nbytes);
    gen_buf_add(&pool->arena, "", 1);
}

const char *gen_pool_get(const gen_pool_t *pool, size_t i)
{
    return pool->arena.data + pool->offsets[i];
}

const char *gen_pool_pick(const gen_pool_t *pool, gen_rng_t *rng)
{
    return gen_pool_get(pool, gen_rng_below(rng, (uint32_t)pool->n));
}

uint64_t gen_pool_fingerprint(const gen_pool_t *pool)
{
    return fnv1a(FNV_BASIS, pool->arena.data ? pool->arena.data : "", pool->arena.len);
}

void gen_pool_release(gen_pool_t *pool)
{
    if (!pool)
        return;
    gen_buf_release(&pool->arena);
    free(pool->offsets);
    free(pool->hashes);
    memset(pool, 0, sizeof *pool);
}
