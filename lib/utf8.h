/* The one strict UTF-8 decoder (and encoder) of the library: validation, normalization,
 * tokenization and match keys all decode through it, so they agree on what a character
 * is. Internal header; the functions are static inline because they sit in hot loops. */
#ifndef ZHS_LIB_UTF8_H
#define ZHS_LIB_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence starting at s[0] (n >= 1 bytes available). Returns its length
 * (1-4) with the code point in *cp, or 0 when s[0] does not start a valid sequence: a
 * stray continuation byte, an overlong form (C0, C1, E0 80..9F, F0 80..8F), a surrogate
 * (ED A0..BF), a value above U+10FFFF (F4 90.., F5..FF), or a sequence cut short by a
 * non-continuation byte or by the end of the input. Checking the second byte's range
 * per lead byte (Unicode Table 3-7) rejects every bad form without decoding first. */
static inline size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xC2)
        return 0;
    if (c < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (c < 0xF0) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        if (n < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if (c < 0xF5) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        if (n < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12)
              | ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    return 0;
}

/* The length of the sequence that the (valid) lead byte c starts. */
static inline size_t utf8_lead_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Writes the UTF-8 form of the Unicode scalar value cp to out[0..4); returns its length. */
static inline size_t utf8_encode(uint32_t cp, unsigned char *out)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Is s[0..8) all ASCII? Lets loops skip plain ASCII eight bytes at a time. */
static inline int utf8_ascii8(const unsigned char *s)
{
    uint64_t w;
    __builtin_memcpy(&w, s, sizeof w);
    return (w & UINT64_C(0x8080808080808080)) == 0;
}

#endif
