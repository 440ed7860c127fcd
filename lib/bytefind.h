/* Substring search for match keys and texts (internal to libzhsearch). glibc's memmem
 * prepares a shift table on every call and then steps two bytes at a time: for the
 * short needles of a search (a Han character is 3 bytes) over keys of a few hundred
 * bytes, called for every candidate passage, that was a quarter of a rare word's
 * search. This one compares a needle's first and last bytes at 16 positions at once
 * (SSE2, which every x86-64 has; 32 with AVX2 where the processor has it; memmem
 * elsewhere) and checks the middle only there. */
#ifndef ZHS_LIB_BYTEFIND_H
#define ZHS_LIB_BYTEFIND_H

#include <stddef.h>

/* The first occurrence of needle[0..m) in hay[0..n), or NULL; hay itself when m is 0.
 * For valid UTF-8 on both sides a match always starts at a character. */
const char *zhs_find_bytes(const char *hay, size_t n, const char *needle, size_t m);

#endif
