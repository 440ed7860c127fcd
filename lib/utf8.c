/* Strict UTF-8 validation with the byte offset of the first bad sequence (the decoding
 * rules themselves live in utf8.h, shared with the normalizer). */
#include "config.h"

#include "zhsearch/analyzer.h"
#include "utf8.h"

zhs_status_t zhs_utf8_validate(const char *s, size_t nbytes, zhs_error_t *err)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    if (!s && nbytes)
        return zhs_error_set(err, ZHS_ERR_BAD_ARG, "NULL text with %zu bytes", nbytes);
    while (i < nbytes) {
        while (nbytes - i >= 8 && utf8_ascii8(u + i))
            i += 8;
        if (i == nbytes)
            break;
        uint32_t cp;
        size_t len = utf8_decode(u + i, nbytes - i, &cp);
        if (!len)
            return zhs_error_set_at(err, ZHS_ERR_BAD_UTF8, i,
                                    "invalid UTF-8 sequence at byte %zu", i);
        i += len;
    }
    return ZHS_OK;
}
