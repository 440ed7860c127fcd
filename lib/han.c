/* Which code points are Han ideographs: the one definition shared by the normalizer
 * (which characters go through Traditional -> Simplified), the tokenizer (Han runs)
 * and match keys (word edges). */
#include "config.h"

#include "zhsearch/analyzer.h"

bool zhs_is_han(uint32_t cp)
{
    if (cp < 0x3007)
        return false;                            /* ASCII, Latin, punctuation: one test */
    return (cp >= 0x4E00 && cp <= 0x9FFF)        /* CJK Unified Ideographs (the common case) */
        || (cp >= 0x3400 && cp <= 0x4DBF)        /* Extension A */
        || (cp >= 0x20000 && cp <= 0x3FFFF)      /* planes 2 and 3, reserved for ideographs:
                                                    Extensions B-I and the compatibility
                                                    supplement, and blocks still to come */
        || (cp >= 0xF900 && cp <= 0xFAFF)        /* CJK Compatibility Ideographs */
        || cp == 0x3007;                         /* 〇, the ideographic zero */
}
