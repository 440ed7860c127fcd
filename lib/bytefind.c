/* Substring search: see bytefind.h for why not memmem. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "bytefind.h"

#if defined(__SSE2__)
#include <emmintrin.h>

/* Does the middle of the needle (its first and last bytes already match) match too? */
static inline int middle_matches(const char *at, const char *needle, size_t m)
{
    for (size_t k = 1; k + 1 < m; k++)
        if (at[k] != needle[k])
            return 0;
    return 1;
}

/* The first start of a block (at, bit i of mask: first and last bytes match at at + i)
 * whose middle matches too, or NULL. */
static inline const char *first_in_block(const char *at, unsigned mask, const char *needle,
                                         size_t m)
{
    for (; mask; mask &= mask - 1) {
        unsigned bit = (unsigned)__builtin_ctz(mask);
        if (middle_matches(at + bit, needle, m))
            return at + bit;
    }
    return NULL;
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1

/* The SSE2 loop below at 32 positions a step, on processors with AVX2 (most since
 * 2013): a relaxed run reads every candidate's key with it. Returns the match, or NULL
 * with *resume the first start it did not test. */
__attribute__((target("avx2"))) static const char *find_avx2(const char *hay, size_t n,
                                                              const char *needle, size_t m,
                                                              size_t *resume)
{
    const __m256i first = _mm256_set1_epi8(needle[0]);
    const __m256i last = _mm256_set1_epi8(needle[m - 1]);
    size_t i = 0;
    for (; i + m + 31 <= n; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(hay + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(hay + i + m - 1));
        unsigned mask = (unsigned)_mm256_movemask_epi8(
            _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last)));
        const char *hit = mask ? first_in_block(hay + i, mask, needle, m) : NULL;
        if (hit)
            return hit;
    }
    *resume = i;
    return NULL;
}
#endif

const char *zhs_find_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0)
        return hay;
    if (m > n)
        return NULL;
    if (m == 1)
        return memchr(hay, needle[0], n);
    size_t i = 0;
#ifdef HAVE_AVX2_PATH
    if (n >= 64 && __builtin_cpu_supports("avx2")) {
        const char *hit = find_avx2(hay, n, needle, m, &i);
        if (hit)
            return hit;
    }
#endif
    const __m128i first = _mm_set1_epi8(needle[0]);
    const __m128i last = _mm_set1_epi8(needle[m - 1]);
    /* Block at i covers starts i..i+15; its last-byte load ends at i + m - 1 + 16. The
     * last starts, when a block fits in hay at all, are one block ending at its end,
     * its starts before i already tested (and matching nothing). */
    bool tail_block = m + 15 <= n;
    for (; i + m <= n && (i + m + 15 <= n || tail_block); i += 16) {
        size_t at = i + m + 15 <= n ? i : n - m - 15;
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(hay + at));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(hay + at + m - 1));
        unsigned mask = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));
        mask &= ~0u << (i - at);
        const char *hit = mask ? first_in_block(hay + at, mask, needle, m) : NULL;
        if (hit)
            return hit;
    }
    if (tail_block)
        return NULL;
    for (; i + m <= n; i++)
        if (hay[i] == needle[0] && hay[i + m - 1] == needle[m - 1] &&
            middle_matches(hay + i, needle, m))
            return hay + i;
    return NULL;
}

#else

const char *zhs_find_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
    return m == 0 ? hay : memmem(hay, n, needle, m);
}

#endif
